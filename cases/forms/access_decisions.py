"""The Co-ordinator's access decisions on a case: its status, exclusions, restriction to
named people."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from jmappa.core.forms import PlainWords, UserChoiceField, UsersChoiceField, active_users, text_area

from ..models import NamedAccess, Nominal


class ExclusionForm(PlainWords, forms.Form):
    user = UserChoiceField(label="Person to exclude",
                           help_text="They will see nothing of this case, whatever their role.")
    reason = forms.CharField(widget=text_area(2),
                             help_text="For example: knows the victim; neighbour of the "
                                       "offender.")

    def __init__(self, *args, nominal: Nominal, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = active_users().exclude(pk=actor.pk).exclude(
            case_exclusions__nominal=nominal)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Give the reason for excluding this person.")
        return reason


class RestrictForm(PlainWords, forms.Form):
    reason = forms.CharField(widget=text_area(2))
    named_users = UsersChoiceField(
        label="People who may see the case", required=False,
        help_text="Everyone else, team members included, loses sight of it. You are always "
                  "included.")

    def __init__(self, *args, nominal: Nominal, actor, **kwargs):
        super().__init__(*args, **kwargs)
        already = NamedAccess.objects.filter(nominal=nominal).values("user")
        self.fields["named_users"].queryset = active_users().exclude(pk=actor.pk) \
            .exclude(pk__in=already).exclude(case_exclusions__nominal=nominal)
        if nominal.restricted:
            self.fields["reason"].initial = nominal.restricted_reason
            self.fields["named_users"].label = "Name more people"
            self.fields["named_users"].help_text = "Added to those already named."
        else:
            # Start from the people on the team today: restricting should be a choice of
            # whom to leave out, not an accident.
            from ..models import TeamMember

            self.fields["named_users"].initial = list(
                TeamMember.objects.current().filter(nominal=nominal)
                .values_list("user", flat=True).distinct())

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError("Give the reason for restricting this case.")
        return reason
