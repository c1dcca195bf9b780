"""The parts of a case's record, each a form on the case: aliases, addresses, level, risk of
serious harm, risk assessments, the case team, transfers, deviations, victims."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import models
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import cached_property

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log

from .. import selectors, services
from ..forms.record import (
    TEAM_ROLES_ON_THE_RECORD,
    AddressForm,
    AliasForm,
    DeviationForm,
    LevelForm,
    RiskAssessmentForm,
    RoshForm,
    TeamEndForm,
    TeamMemberForm,
    TransferForm,
    VictimForm,
)
from ..models import TeamMember, Transfer
from .base import CaseFormView, _short


class AliasAddView(CaseFormView):
    form_class = AliasForm
    title = "Add an alias"
    submit_label = "Add the alias"

    def save(self, form):
        alias = services.alias_add(nominal=self.nominal, actor=self.request.user,
                                   **form.cleaned_data)
        return f"Alias “{alias.name}” added."


class AddressAddView(CaseFormView):
    form_class = AddressForm
    title = "Add an address"
    submit_label = "Add the address"

    def save(self, form):
        services.address_add(nominal=self.nominal, actor=self.request.user,
                             **form.cleaned_data)
        if form.cleaned_data["is_current"]:
            return "Address added as the current address; the previous one is now past."
        return "Address added."


class LevelSetView(CaseFormView):
    form_class = LevelForm
    title = "Change the management level"
    intro = "Cases are managed at the lowest level that fits (§9)."
    submit_label = "Record the level"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["nominal"] = self.nominal
        return kwargs

    def get_initial(self):
        from ..models import Level

        return {"level": self.nominal.level} if self.nominal.level != Level.UNKNOWN else {}

    def save(self, form):
        data = form.cleaned_data
        change = services.nominal_set_level(nominal=self.nominal, level=data["level"],
                                            reason=data["reason"], on=data["on"],
                                            actor=self.request.user)
        return f"{change.get_level_display()} recorded from {_short(change.date_from)}."


class RoshAddView(CaseFormView):
    form_class = RoshForm
    template_name = "cases/form_rosh.html"
    title = "Record a risk of serious harm assessment"
    intro = ("Overall, and by who is at risk, in the community and in custody (§9.1). The "
             "latest assessment is the case's current risk.")
    submit_label = "Record the assessment"

    def save(self, form):
        rosh = services.rosh_record(nominal=self.nominal, actor=self.request.user,
                                    **form.cleaned_data)
        return f"Risk of serious harm recorded: {rosh.get_overall_display().lower()}."


class RiskAssessmentAddView(CaseFormView):
    form_class = RiskAssessmentForm
    title = "Record a risk assessment"
    intro = "An assessment with a validated tool (§6)."
    submit_label = "Record the assessment"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form):
        services.risk_assessment_record(nominal=self.nominal, actor=self.request.user,
                                        **form.cleaned_data)
        return "Risk assessment recorded."


class TeamAddView(CaseFormView):
    form_class = TeamMemberForm
    title = "Add someone to the case team"
    intro = "Team members see the case; only what their part needs (§4.2)."
    submit_label = "Add to the team"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(nominal=self.nominal,
                      may_grant_victims=access.can_view_victims(self.request.user,
                                                                self.nominal))
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        member = services.team_member_add(
            nominal=self.nominal, user=data["user"], role=data["role"],
            date_from=data["date_from"], sees_victims=data.get("sees_victims", False),
            actor=self.request.user,
        )
        return f"{member.user} is on the team as {member.get_role_display().lower()}."


class TeamEndView(CaseFormView):
    form_class = TeamEndForm
    template_name = "cases/form_team_end.html"
    title = "End a team membership"
    submit_label = "End the membership"

    @cached_property
    def member(self) -> TeamMember:
        today = timezone.localdate()
        members = TeamMember.objects.filter(nominal=self.nominal).filter(
            models.Q(date_to__isnull=True) | models.Q(date_to__gt=today)
        ).select_related("user__agency")
        return get_object_or_404(members, pk=self.kwargs["member_pk"])

    @property
    def on_the_record(self) -> bool:
        return self.member.role in TEAM_ROLES_ON_THE_RECORD

    def get(self, request, *args, **kwargs):
        self.member  # noqa: B018 — 404 before anything else
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.member  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(member=self.member, on_the_record=self.on_the_record)
        return context

    def save(self, form):
        if self.on_the_record:
            raise ValidationError(
                f"The {self.member.get_role_display().lower()} is changed on the record "
                "itself: edit the record instead.")
        member = services.team_member_end(member=self.member, actor=self.request.user,
                                          date_to=form.cleaned_data["date_to"])
        return f"{member.user}'s membership of the team ends on {_short(member.date_to)}."


class TransferAddView(CaseFormView):
    form_class = TransferForm
    title = "Record a transfer"
    intro = ("A transfer to or from Jersey (§12). Transferring a community order needs the "
             "Chief Probation Officer's permission.")
    submit_label = "Record the transfer"

    def save(self, form):
        transfer = services.transfer_record(nominal=self.nominal, actor=self.request.user,
                                            **form.cleaned_data)
        return f"{transfer} recorded."


class TransferEditView(CaseFormView):
    form_class = TransferForm
    title = "Update a transfer"
    submit_label = "Save the transfer"

    @cached_property
    def transfer(self) -> Transfer:
        return get_object_or_404(Transfer, pk=self.kwargs["transfer_pk"], nominal=self.nominal)

    def read_object(self):
        return self.transfer

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = copy.copy(self.transfer)
        return kwargs

    def post(self, request, *args, **kwargs):
        self.transfer  # noqa: B018 — 404 before anything else
        return super().post(request, *args, **kwargs)

    def save(self, form):
        stored = Transfer.objects.get(pk=self.transfer.pk)
        transfer = services.transfer_update(transfer=stored, actor=self.request.user,
                                            **form.cleaned_data)
        return f"{transfer} updated: {transfer.get_status_display().lower()}."


class DeviationAddView(CaseFormView):
    form_class = DeviationForm
    title = "Record a deviation from the Guidance"
    intro = "Any departure from the Guidance is recorded with its reasons (§1.1, §14.11)."
    submit_label = "Record the deviation"

    def save(self, form):
        services.deviation_record(nominal=self.nominal, actor=self.request.user,
                                  **form.cleaned_data)
        return "Deviation recorded."


# -- victims -----------------------------------------------------------------------------------


class VictimsView(CaseFormView):
    """Victim details: their own permission; every look at the list is in the audit trail."""

    access_check = access.can_view_victims
    form_class = VictimForm
    template_name = "cases/form_victims.html"
    title = "Victims"
    submit_label = "Add the victim"

    @cached_property
    def victims(self):
        return list(selectors.victims_of(self.request.user, self.nominal))

    def audit_read(self):
        audit_log(actor=self.request.user, action=Verb.VIEW, object_type="cases.victim",
                  object_repr=f"Victims of {self.nominal.reference}", case_id=self.nominal.pk,
                  detail=f"{len(self.victims)} victim(s) listed")

    def form_invalid(self, form):
        self.audit_read()
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["victims"] = self.victims
        return context

    def save(self, form):
        services.victim_record(nominal=self.nominal, actor=self.request.user,
                               **form.cleaned_data)
        return "Victim recorded."
