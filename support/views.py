"""Support planning's pages (seed 000): the case's Support section, and the forms of its
planning, network, consent, meetings, safety plan, network packs and the limits of
confidentiality. Whoever reads the case reads them (404 outside it); those who keep the case's
plan change them (jmappa/access.py)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from cases.views.base import CaseRecordFormView, CaseSectionMixin, CaseWorkFormView
from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_list, audit_log
from jmappa.core import dates
from jmappa.core.pdf import pdf_response, render_pdf
from jmappa.core.uploads import private_file_response
from meetings.kinds import KINDS

from . import selectors, services
from .forms import (
    ArrangeForm,
    CancelForm,
    ConsentForm,
    ExchangeForm,
    FinaliseForm,
    OffendingForm,
    PassedOnForm,
    PersonForm,
    PlanningForm,
    RecordForm,
    SafetyPlanForm,
    SendForm,
    WithdrawForm,
)
from .models import SupportMeeting, SupportMeetingStatus, SupportPerson

SPM = KINDS["support_planning"]



class CaseSupportView(CaseSectionMixin, access.NominalAccessMixin, TemplateView):
    template_name = "support/case_support.html"
    section = "support"

    def get_context_data(self, **kwargs):
        user, nominal = self.request.user, self.nominal
        found = selectors.case_support(user, nominal)
        # The network's names and contacts, and what was disclosed: their read is audited.
        for model, records in ((SupportPerson, found["people"]),
                               (SupportMeeting, found["meetings"])):
            if records:
                audit_list(actor=user, model=model, ids=[r.pk for r in records],
                           detail=self.request.get_full_path())
        planning = found["planning"]
        consent = services.consent_in_force(nominal, dates.today())
        return super().get_context_data(
            title="Support planning", kind=SPM, consent=consent, today=dates.today(),
            plan=found["plans"][0] if found["plans"] else None,
            can_manage=access.can_manage_support(user, nominal),
            sees_victims=access.can_view_victims(user, nominal),
            first_due=planning.first_meeting_due if planning else None, **found, **kwargs)


class CaseFormView(CaseWorkFormView):
    """A form of a case's support planning, for those who keep it."""

    access_check = access.can_manage_support
    section_url = "support:case"


class RecordFormView(CaseRecordFormView):
    """A form about one record of a case's support planning, for those who keep it."""

    access_check = access.can_manage_support_record
    section_url = "support:case"


class PlanningStartView(CaseFormView):
    form_class = PlanningForm
    title = "Start support planning"
    intro = ("A child sex offender released from prison, or starting a supervision or "
             "extended supervision order, is brought together with the people committed to "
             "supporting them to remain offence-free. The first Support Planning Meeting is "
             "held, where possible, within the first four weeks.")
    submit_label = "Start support planning"

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        planning = services.planning_start(nominal=self.nominal, actor=self.request.user,
                                           **data)
        return f"Support planning starts. The first meeting is due by " \
               f"{planning.first_meeting_due:%-d %B %Y}."


class PlanningEditView(RecordFormView):
    selector = selectors.planning_visible
    object_name = "planning"
    form_class = PlanningForm
    title = "Change the dates of support planning"
    submit_label = "Save"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.planning}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        services.planning_update(planning=self.planning, actor=self.request.user,
                                 version=data.pop("version", None), **data)
        return "Saved."


class ExchangeView(PlanningEditView):
    form_class = ExchangeForm
    title = "The professionals' information exchange"
    intro = ("Before the meeting, the professionals share what decides who should attend: the "
             "type and frequency of offending, the age and gender of victims, and the risk of "
             "re-offending. After that, specific information is shared only with those "
             "directly involved in the support network.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(),
                "sees_victims": access.can_view_victims(self.request.user,
                                                        self.planning.nominal)}


class PersonAddView(CaseFormView):
    form_class = PersonForm
    title = "Add a member of the support network"
    intro = ("Support people the person chose (family, friends, employers) and the "
             "professionals and treatment providers of the network. They never sign in and "
             "never see the case: they are sent only what is ticked below, and only once the "
             "person has consented.")
    submit_label = "Add to the network"

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        person = services.person_add(nominal=self.nominal, actor=self.request.user, **data)
        return f"{person.name} is in the support network."


class PersonEditView(RecordFormView):
    selector = selectors.people_visible
    object_name = "person"
    form_class = PersonForm
    submit_label = "Save"
    # A member's name may share the offender's: the title (kept in the browser's history)
    # names neither.
    title = "A member of the support network"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.person}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        services.person_update(person=self.person, actor=self.request.user,
                               version=data.pop("version", None), **data)
        return "Saved."


class SendView(RecordFormView):
    selector = selectors.people_visible
    object_name = "person"
    form_class = SendForm
    submit_label = "Send the pack"
    title = "Send a network pack"

    def get_initial(self):
        return {"sent_on": dates.today()}

    def get_context_data(self, **kwargs):
        person = self.person
        receives = ", ".join(person.receives) or "nothing yet"
        return super().get_context_data(
            intro=f"Only what {person.name} may receive is in the pack: {receives}. It is "
                  "sent only under the person's consent in force, and the sending is logged.",
            **kwargs)

    def save(self, form) -> str:
        services.network_send(person=self.person, actor=self.request.user,
                              **form.cleaned_data)
        return (f"The pack for {self.person.name} is logged as sent: print it from “What was "
                "sent to the network”.")


class SendingPackView(access.ObjectAccessMixin, View):
    """The network pack of one sending, as PDF: what that member was sent, protectively
    marked; its printing is audited."""

    selector = selectors.sendings_visible
    object_name = "sending"

    def audit_case_id(self, obj):
        return obj.nominal_id

    def get(self, request, *args, **kwargs):
        sending = self.sending
        person = sending.person
        people = []
        if person.receives_contacts:
            people = list(selectors.people_visible(request.user).filter(
                nominal=sending.nominal, left_on__isnull=True))
        content = render_pdf("support/pack_pdf.html", {
            "sending": sending, "person": person, "plan": sending.safety_plan,
            "people": people, "risks": _risks(sending) if person.receives_risks else ""})
        audit_log(actor=request.user, action=Verb.PRINT, obj=sending,
                  case_id=sending.nominal_id, detail=f"Network pack for {person.name}")
        return pdf_response(content, f"network-pack-{sending.pk}.pdf")


def _risks(sending) -> str:
    """The specific risks as the latest final meeting record agreed them by the day sent."""
    meeting = SupportMeeting.objects.filter(
        nominal=sending.nominal, final=True, starts_at__date__lte=sending.sent_on).order_by(
        "-starts_at").first()
    return meeting.specific_risks if meeting else ""


class ConsentAddView(CaseFormView):
    form_class = ConsentForm
    title = "Record the person's consent to share"
    intro = ("Print the consent form, have the person sign it, then record the date, what "
             "they agreed to share and a scan of the signed form. Without it, nothing is sent "
             "to a support person.")
    submit_label = "Record the consent"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            form_link=reverse("support:consent_form", args=[self.nominal.pk]), **kwargs)

    def save(self, form) -> str:
        data = form.cleaned_data
        services.consent_record(nominal=self.nominal, actor=self.request.user,
                                information=data["information"], signed_on=data["signed_on"],
                                upload=data.get("upload"))
        return "The consent is recorded."


class ConsentFormPdfView(access.NominalAccessMixin, View):
    """The consent form to print and have signed."""

    access_check = access.can_manage_support
    denied_status = 403

    def get(self, request, *args, **kwargs):
        people = list(selectors.people_visible(request.user).filter(
            nominal=self.nominal, left_on__isnull=True))
        content = render_pdf("support/consent_pdf.html", {
            "nominal": self.nominal, "people": people, "today": dates.today()})
        audit_log(actor=request.user, action=Verb.PRINT, obj=self.nominal,
                  case_id=self.nominal.pk, detail="Consent form for support planning")
        return pdf_response(content, f"consent-form-{self.nominal.reference}.pdf")


class ConsentFileView(access.ObjectAccessMixin, View):
    selector = selectors.consents_visible
    object_name = "consent"

    def audit_case_id(self, obj):
        return obj.nominal_id

    def get(self, request, *args, **kwargs):
        if not self.consent.file:
            raise Http404
        try:
            handle = self.consent.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        return private_file_response(handle, filename=self.consent.file_name,
                                     content_type=self.consent.file_content_type)


class ConsentWithdrawView(RecordFormView):
    selector = selectors.consents_visible
    object_name = "consent"
    form_class = WithdrawForm
    title = "The person withdrew their consent"
    submit_label = "Record the withdrawal"

    def get_initial(self):
        return {"on": dates.today()}

    def save(self, form) -> str:
        services.consent_withdraw(consent=self.consent, actor=self.request.user,
                                  on=form.cleaned_data["on"])
        return "The consent is withdrawn: nothing more is sent to the network."


class MeetingArrangeView(CaseFormView):
    form_class = ArrangeForm
    title = "Arrange a Support Planning Meeting"
    submit_label = "Arrange the meeting"

    def get_context_data(self, **kwargs):
        return super().get_context_data(intro=f"Invited: {SPM.invited}.", **kwargs)

    def save(self, form) -> str:
        self.saved = services.meeting_arrange(
            nominal=self.nominal, actor=self.request.user, starts_at=form.starts_at(),
            location=form.cleaned_data.get("location", ""))
        return "The meeting is arranged."

    def get_success_url(self) -> str:
        return reverse("support:meeting", args=[self.saved.pk])


class MeetingView(access.ObjectAccessMixin, TemplateView):
    selector = selectors.meetings_visible
    object_name = "meeting"
    template_name = "support/meeting.html"

    def audit_case_id(self, obj):
        return obj.nominal_id

    def get_context_data(self, **kwargs):
        meeting = self.meeting
        sections = [{"label": s.label, "text": getattr(meeting, s.name), "name": s.name}
                    for s in SPM.sections]
        manages = access.can_manage_support(self.request.user, meeting.nominal)
        return super().get_context_data(
            meeting=meeting, nominal=meeting.nominal, sections=sections, kind=SPM,
            attendees=list(meeting.attendees.all()),
            plans=list(meeting.safety_plans.all()),
            problems=services.finalise_problems(meeting) if manages and not meeting.final
            else {}, can_manage=manages and not meeting.final,
            can_cancel=manages and meeting.status == SupportMeetingStatus.SCHEDULED, **kwargs)


class MeetingRecordView(RecordFormView):
    selector = selectors.meetings_visible
    object_name = "meeting"
    form_class = RecordForm
    title = "Record the Support Planning Meeting"
    submit_label = "Save the record"
    stale_message = ("Someone else saved this record while you were writing: nothing was "
                     "saved. Open it again to see their change.")

    def blocked(self) -> str:
        if self.meeting.final:
            return "The record is final: it is no longer changed."
        if self.meeting.status == SupportMeetingStatus.CANCELLED:
            return "The meeting was cancelled."
        return ""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.meeting,
                "nominal": self.meeting.nominal}

    def get_initial(self):
        meeting = self.meeting
        return {"version": meeting.version, "attendees": list(meeting.attendees.all()),
                "person_present": meeting.status == SupportMeetingStatus.HELD}

    def get_success_url(self) -> str:
        return reverse("support:meeting", args=[self.meeting.pk])

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        services.meeting_record(meeting=self.meeting, actor=self.request.user,
                                version=data.pop("version", None), **data)
        return "The record is saved."


class MeetingFinaliseView(RecordFormView):
    selector = selectors.meetings_visible
    object_name = "meeting"
    form_class = FinaliseForm
    title = "Make the record final"
    intro = "A final record is no longer changed."
    submit_label = "Make it final"

    def get_success_url(self) -> str:
        return reverse("support:meeting", args=[self.meeting.pk])

    def save(self, form) -> str:
        services.meeting_finalise(meeting=self.meeting, actor=self.request.user,
                                  version=form.cleaned_data.get("version"))
        return "The record is final."


class MeetingCancelView(MeetingFinaliseView):
    form_class = CancelForm
    title = "Cancel the meeting"
    intro = "A cancelled meeting is kept with its reason; arrange another."
    submit_label = "Cancel the meeting"

    def save(self, form) -> str:
        services.meeting_cancel(meeting=self.meeting, actor=self.request.user,
                                version=form.cleaned_data.get("version"),
                                reason=form.cleaned_data["reason"])
        return "The meeting is cancelled."


class SafetyPlanAddView(CaseFormView):
    form_class = SafetyPlanForm
    title = "A new version of the safety plan"
    intro = ("The safety plan addresses the Court or Parole Board conditions and sets out the "
             "strategies the network thinks will help the person lead an offence-free life. "
             "Each change is a new version; the earlier ones are kept.")
    submit_label = "Save the new version"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "nominal": self.nominal}

    def get_initial(self):
        current = services.current_safety_plan(self.nominal)
        initial = {name: getattr(current, name) for name in (
            "conditions", "strategies", "supporters", "warning_signs")} if current else {}
        meeting = self.request.GET.get("meeting")
        if meeting and meeting.isdigit():
            initial["reviewed_at"] = int(meeting)
        return initial

    def save(self, form) -> str:
        plan = services.safety_plan_save(nominal=self.nominal, actor=self.request.user,
                                         **form.cleaned_data)
        return f"Version {plan.number} of the safety plan is saved."


class SafetyPlanView(access.ObjectAccessMixin, TemplateView):
    selector = selectors.safety_plans_visible
    object_name = "plan"
    template_name = "support/safety_plan.html"

    def audit_case_id(self, obj):
        return obj.nominal_id

    def get_context_data(self, **kwargs):
        return super().get_context_data(plan=self.plan, nominal=self.plan.nominal, **kwargs)


class OffendingAddView(CaseFormView):
    form_class = OffendingForm
    title = "Record offending disclosed"
    intro = ("There are limits to confidentiality: further offending disclosed during a "
             "Support Planning Meeting is passed to the Police, who are likely to investigate. "
             "The officer named is alerted at once.")
    submit_label = "Record and alert the Police"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "nominal": self.nominal}

    def get_initial(self):
        return {"disclosed_on": dates.today()}

    def save(self, form) -> str:
        services.offending_record(nominal=self.nominal, actor=self.request.user,
                                  **form.cleaned_data)
        return "Recorded. The police officer named is alerted."


class OffendingPassedView(RecordFormView):
    selector = selectors.offending_visible
    object_name = "record"
    access_check = access.can_pass_offending_on
    form_class = PassedOnForm
    title = "Passed to the Police"
    submit_label = "Record it passed on"

    def blocked(self) -> str:
        return "It is already recorded as passed on." if self.record.passed_on else ""

    def get_initial(self):
        return {"version": self.record.version, "passed_on": dates.today()}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        services.offending_passed_on(record=self.record, actor=self.request.user,
                                     version=data.pop("version", None), **data)
        return "Recorded as passed to the Police."
