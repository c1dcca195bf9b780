"""A case's disclosures (§5.1-§5.3) and the disclosure step of the minutes (§5.2)."""

from __future__ import annotations

from django.urls import reverse
from django.views.generic import TemplateView

from cases.views.base import CaseSectionMixin
from jmappa import access
from jmappa.audit.services import audit_list
from jmappa.core.views import AuditedListMixin
from meetings.models import Meeting, Minutes, MinutesStatus
from meetings.selectors import meetings_for

from .. import selectors
from ..forms import CarryOutForm, DeferralForm, DisclosureForm, EndorseForm
from ..models import (
    CRITERIA,
    Disclosure,
    DisclosureStatus,
    RecipientKind,
    Trigger,
    WorshipArrangement,
    WorshipStatus,
)
from ..services import decisions, disclosures, worship
from .base import RecordFormView


def case_url(nominal) -> str:
    return reverse("disclosure:case", args=[nominal.pk])


def detail_url(disclosure: Disclosure) -> str:
    return reverse("disclosure:detail", args=[disclosure.pk])


class CaseDisclosuresView(AuditedListMixin, CaseSectionMixin, access.NominalAccessMixin,
                          TemplateView):
    """The case's Disclosures: the list, for those who hold the case's disclosure
    permission; others see that the list is not theirs to read."""

    template_name = "disclosure/case_disclosures.html"
    listed_model = Disclosure
    section = "disclosures"

    def listed(self, context):
        return context["disclosures"]

    def get_context_data(self, **kwargs):
        user = self.request.user
        may_read = access.can_view_disclosures(user, self.nominal)
        rows = list(selectors.case_disclosures(user, self.nominal)) if may_read else []
        worship_rows = list(selectors.case_worship(user, self.nominal)) if may_read else []
        if worship_rows:  # a place and a religious leader: their read is audited too
            audit_list(actor=user, model=WorshipArrangement,
                       ids=[row.pk for row in worship_rows], detail=self.request.get_full_path())
        return super().get_context_data(
            nominal=self.nominal, title="Disclosures", disclosures=rows, may_read=may_read,
            worship_arrangements=worship_rows,
            can_agree=access.can_agree_disclosure(user, self.nominal),
            can_manage_worship=access.can_manage_worship(user, self.nominal), **kwargs)


class DisclosureAccessMixin(access.ObjectAccessMixin):
    selector = selectors.disclosures_visible
    object_name = "disclosure"

    def audit_case_id(self, obj):
        return obj.nominal_id


class DisclosureDetailView(DisclosureAccessMixin, TemplateView):
    template_name = "disclosure/detail.html"

    def get_context_data(self, **kwargs):
        user, disclosure = self.request.user, self.disclosure
        criteria = [(label, getattr(disclosure, name)) for name, label, _help in CRITERIA]
        return super().get_context_data(
            disclosure=disclosure, nominal=disclosure.nominal, title="Disclosure",
            criteria=criteria,
            can_endorse=disclosure.status == DisclosureStatus.AGREED
            and access.can_endorse_disclosure(user, disclosure),
            can_carry_out=disclosure.status == DisclosureStatus.ENDORSED
            and access.can_carry_out_disclosure(user, disclosure), **kwargs)


class DisclosureAddView(access.NominalAccessMixin, RecordFormView):
    """A disclosure the meeting agreed (from the minutes' disclosure step, `?meeting=`)."""

    access_check = access.can_agree_disclosure
    denied_status = 403
    form_class = DisclosureForm
    title = "Record a disclosure the meeting agreed"
    intro = ("Disclosure is the exception to the rule of confidentiality: record the recipient, "
             "why disclosure is considered, and each of the criteria of §5.2. Nothing is "
             "disclosed until a senior officer endorses it.")
    submit_label = "Record and ask for endorsement"

    def meeting(self) -> Meeting | None:
        pk = self.request.GET.get("meeting") or self.request.POST.get("meeting")
        if not (pk and str(pk).isdigit()):
            return None
        return meetings_for(self.request.user).filter(nominal=self.nominal, pk=pk).first()

    def worship(self) -> WorshipArrangement | None:
        """The attendance at a place of worship this discloses to its leader (`?worship=`)."""
        pk = self.request.GET.get("worship") or self.request.POST.get("worship")
        if not (pk and str(pk).isdigit()):
            return None
        return selectors.case_worship(self.request.user, self.nominal).filter(
            pk=pk, status=WorshipStatus.ASSESSED).first()

    def back_url(self) -> str:
        arrangement = self.worship()
        return (reverse("disclosure:worship", args=[arrangement.pk]) if arrangement
                else case_url(self.nominal))

    def get_initial(self):
        arrangement = self.worship()
        if arrangement is None:
            # A page that calls for the consideration names its §5.2 reason (`?trigger=`).
            trigger = self.request.GET.get("trigger")
            initial = super().get_initial()
            return {**initial, "trigger": trigger} if trigger in Trigger.values else initial
        # §5.4: the place of worship and its leader are told enough to protect the
        # congregation; grooming in churches is a §5.2 trigger.
        return {"recipient_kind": RecipientKind.RELIGIOUS_LEADER,
                "recipient_name": arrangement.religious_leader,
                "recipient_role": arrangement.place_of_worship,
                "recipient_contact": arrangement.leader_contact, "trigger": Trigger.GROOMING}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "nominal": self.nominal}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        endorser, action = data.pop("endorser"), data.pop("action")
        self.saved = disclosures.disclosure_agree(
            nominal=self.nominal, actor=self.request.user, endorser=endorser, action=action,
            meeting=self.meeting(), **data)
        arrangement = self.worship()
        if arrangement is not None and data["recipient_kind"] == RecipientKind.RELIGIOUS_LEADER:
            worship.worship_disclosure_link(arrangement=arrangement, disclosure=self.saved,
                                            actor=self.request.user)
        return "The disclosure is recorded; the senior officer is asked to endorse it."

    def get_success_url(self) -> str:
        return detail_url(self.saved)


class EndorseView(DisclosureAccessMixin, RecordFormView):
    access_check = access.can_endorse_disclosure
    denied_status = 403
    form_class = EndorseForm
    title = "Endorse the disclosure"
    intro = "Disclosure is endorsed at ACPO or DCO level (§5.1): endorse it, or refuse it "\
            "with your reasons."
    submit_label = "Record my decision"

    def blocked(self) -> str:
        if self.disclosure.status != DisclosureStatus.AGREED:
            return "This disclosure has already been decided."
        return ""

    def back_url(self) -> str:
        return detail_url(self.disclosure)

    def save(self, form) -> str:
        done = disclosures.disclosure_endorse(
            disclosure=self.disclosure, actor=self.request.user,
            endorse=form.cleaned_data["decision"], reasons=form.cleaned_data["reasons"])
        return f"Disclosure {done.get_status_display().lower()}."


class CarryOutView(DisclosureAccessMixin, RecordFormView):
    access_check = access.can_carry_out_disclosure
    denied_status = 403
    form_class = CarryOutForm
    title = "Record the disclosure made"
    submit_label = "Record the disclosure"

    def blocked(self) -> str:
        if self.disclosure.status != DisclosureStatus.ENDORSED:
            return disclosures.NOT_ENDORSED_MESSAGE if \
                self.disclosure.status == DisclosureStatus.AGREED else \
                "This disclosure is not open to be carried out."
        return ""

    def get_initial(self):
        return {"version": self.disclosure.version}

    def back_url(self) -> str:
        return detail_url(self.disclosure)

    def save(self, form) -> str:
        disclosures.disclosure_carry_out(disclosure=self.disclosure, actor=self.request.user,
                                         **form.cleaned_data)
        return "The disclosure is recorded as made."


class DeferralView(access.ObjectAccessMixin, RecordFormView):
    """The minutes' disclosure step, for a decision deferred: the date it will be taken by
    and what is awaited, kept with the meeting's draft minutes."""

    selector = meetings_for
    object_name = "meeting"
    access_check = access.can_draft_minutes
    denied_status = 403
    form_class = DeferralForm
    title = "Disclosure decision deferred"
    intro = ("A deferred decision is still a decision considered (§5.2): name the date it "
             "will be taken by and what is awaited. A deferral that reaches its date without "
             "a decision raises an alert.")
    submit_label = "Save the deferral"

    def audit_case_id(self, obj):
        return obj.nominal_id

    @property
    def minutes(self) -> Minutes | None:
        return Minutes.objects.filter(meeting=self.meeting, status=MinutesStatus.DRAFT).first()

    def blocked(self) -> str:
        if self.minutes is None:
            return ("The meeting has no draft minutes: a deferral is recorded while they are "
                    "drafted.")
        return ""

    def get_initial(self):
        deferral = selectors.minutes_deferral(self.minutes) if self.minutes else None
        return {"decide_by": deferral.decide_by, "awaited": deferral.awaited} if deferral \
            else {}

    def back_url(self) -> str:
        return reverse("meetings:minutes", args=[self.meeting.pk])

    def save(self, form) -> str:
        decisions.deferral_record(minutes=self.minutes, actor=self.request.user,
                                  **form.cleaned_data)
        return "The deferral is recorded with the minutes."
