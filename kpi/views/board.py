"""The Board itself (§15.2, §15.3): its seats and who holds them (a member below the seat's
grade flagged), the Chair now and before, and its meetings with each member's attendance,
which KPI 4 measures. Read by the Board's members, the Co-ordinator and the Administrators;
kept by the secretariat (access.can_manage_smb)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from jmappa import access
from jmappa.audit.models import Verb
from jmappa.audit.services import audit_log
from jmappa.core import dates
from jmappa.core.uploads import private_file_response
from jmappa.core.versioning import StaleEdit
from jmappa.core.views import ServiceFormView

from .. import selectors, services
from ..forms import (
    AppointForm,
    AttendanceForm,
    ChairForm,
    EscalationForm,
    GovernanceForm,
    MeetingForm,
    SmbActionDoneForm,
    SmbActionForm,
    SmbMinutesForm,
)
from ..models import (
    GovernanceDocument,
    SmbAction,
    SmbMeeting,
    SmbMeetingStatus,
    SmbMinutes,
    SmbMinutesStatus,
    SmbSeat,
)

FORM_TEMPLATE = "kpi/board_form.html"


def board_url() -> str:
    return reverse("kpi:board")


class BoardPageMixin(access.RoleRequiredMixin):
    access_check = access.can_view_kpis


class BoardFormView(access.RoleRequiredMixin, ServiceFormView):
    """A form of the secretariat's, back to the Board's page."""

    access_check = access.can_manage_smb
    template_name = FORM_TEMPLATE

    def get_success_url(self) -> str:
        return board_url()

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_success_url(), **kwargs)


class BoardView(BoardPageMixin, TemplateView):
    template_name = "kpi/board.html"

    def get_context_data(self, **kwargs):
        today = dates.today()
        chairs = list(selectors.chair_terms())
        return super().get_context_data(
            seats=selectors.board_seats(today), chairs=chairs,
            chair=next((term for term in chairs if term.date_to is None), None),
            meetings=list(selectors.board_meetings()), today=today,
            can_manage=access.can_manage_smb(self.request.user), **kwargs)


class AppointView(BoardFormView):
    form_class = AppointForm
    submit_label = "Appoint"

    def dispatch(self, request, *args, **kwargs):
        self.seat = get_object_or_404(SmbSeat, pk=kwargs["pk"], is_active=True)
        return super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return f"Appoint to the seat: {self.seat}"

    @property
    def intro(self) -> str:
        return (f"The seat asks for: {self.seat.seniority} (§15.2). A member below the "
                f"seat's grade is flagged on the Board's page.")

    def get_initial(self):
        return {"on": dates.today()}

    def save(self, form) -> str:
        membership = services.smb_member_appoint(seat=self.seat, actor=self.request.user,
                                                 **form.cleaned_data)
        flag = " They are below the grade the seat asks." if membership.below_grade else ""
        return f"{membership.member} holds the seat {self.seat} from " \
               f"{membership.date_from:%-d %B %Y}.{flag}"


class ChairView(BoardFormView):
    form_class = ChairForm
    title = "Hand over the chair"
    intro = ("The Chair is a senior member of the Police, Probation or Prison Service, and "
             "rotates between them (§15.3). The present Chair's term ends the day before.")
    submit_label = "Appoint the Chair"

    def get_initial(self):
        return {"on": dates.today()}

    def save(self, form) -> str:
        term = services.smb_chair_appoint(actor=self.request.user, **form.cleaned_data)
        return f"{term.member} chairs the Board from {term.date_from:%-d %B %Y}."


class MeetingArrangeView(BoardFormView):
    form_class = MeetingForm
    title = "Arrange a Board meeting"
    intro = "The Board meets at least quarterly (§15.3); KPI 4 measures each member's " \
            "attendance."
    submit_label = "Arrange the meeting"

    def save(self, form) -> str:
        self.saved = services.smb_meeting_create(actor=self.request.user, **form.cleaned_data)
        return f"The Board meeting of {self.saved.date:%-d %B %Y} is arranged."

    def get_success_url(self) -> str:
        return reverse("kpi:board_meeting", args=[self.saved.pk]) if self.saved \
            else board_url()


class MeetingDetailView(BoardPageMixin, TemplateView):
    template_name = "kpi/board_meeting.html"

    def get_context_data(self, **kwargs):
        meeting = get_object_or_404(SmbMeeting.objects.select_related("chair"),
                                    pk=self.kwargs["pk"])
        manages = access.can_manage_smb(self.request.user)
        return super().get_context_data(
            meeting=meeting, minutes=SmbMinutes.objects.filter(meeting=meeting).first(),
            actions=list(meeting.actions.select_related("owner")), can_manage=manages,
            can_finalise=services.can_finalise_smb_minutes(self.request.user, meeting),
            attendance=list(meeting.attendance.select_related("membership__seat",
                                                              "membership__member")),
            can_record=access.can_manage_smb(self.request.user)
            and meeting.status != SmbMeetingStatus.CANCELLED
            and meeting.date <= dates.today(), today=dates.today(), **kwargs)


class AttendanceView(BoardFormView):
    """The meeting held: each member holding a seat on the day, present, a deputy sent (and
    who), apologies or absent. Recording it again corrects it."""

    form_class = AttendanceForm
    title = "Record the attendance"
    submit_label = "Record the attendance"

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(SmbMeeting, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def blocked(self) -> str:
        if self.meeting.status == SmbMeetingStatus.CANCELLED:
            return "This meeting was cancelled."
        if self.meeting.date > dates.today():
            return (f"The meeting is on {self.meeting.date:%-d %B %Y}: its attendance is "
                    f"recorded on the day or after.")
        return ""

    def get_form_kwargs(self):
        recorded = {row.membership_id: (row.status, row.deputy_name)
                    for row in self.meeting.attendance.all()}
        return {**super().get_form_kwargs(),
                "memberships": list(selectors.seated_on(self.meeting.date)),
                "recorded": recorded}

    @property
    def intro(self) -> str:
        return (f"The Board meeting of {self.meeting.date:%-d %B %Y}: say for each member "
                f"holding a seat on the day how they attended.")

    def save(self, form) -> str:
        services.smb_meeting_record(meeting=self.meeting, attendance=form.attendance(),
                                    actor=self.request.user)
        return "The attendance is recorded."

    def get_success_url(self) -> str:
        return reverse("kpi:board_meeting", args=[self.meeting.pk])


# -- governance documents (§14.11, §15.1) -------------------------------------------------------


class GovernanceListView(BoardPageMixin, TemplateView):
    template_name = "kpi/governance.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            documents=list(GovernanceDocument.objects.select_related("owner")),
            today=dates.today(), can_manage=access.can_manage_smb(self.request.user),
            **kwargs)


class GovernanceAddView(BoardFormView):
    form_class = GovernanceForm
    title = "Add a governance document"
    intro = ("The Board's media strategy, communication, diversity, business and training "
             "plans, protocols and memoranda of understanding (§14.11, §15.1), each with its "
             "next review.")
    submit_label = "Add the document"
    template_name = "kpi/board_form.html"

    def get_success_url(self) -> str:
        return reverse("kpi:governance")

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        document = services.governance_document_add(actor=self.request.user, **data)
        return f"{document} is added; its review is due by {document.next_review:%-d %B %Y}."


class GovernanceEditView(BoardFormView):
    form_class = GovernanceForm
    title = "Review a governance document"
    stale_message = ("Someone else saved this document while you were changing it: nothing "
                     "was saved. Open it again to see their change.")
    intro = ("Record the review: the date it was approved again and its next review, a new "
             "owner or copy, or that it is withdrawn.")
    submit_label = "Save"

    def dispatch(self, request, *args, **kwargs):
        self.document = get_object_or_404(GovernanceDocument, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.document}

    def get_initial(self):
        return {"version": self.document.version}

    def get_success_url(self) -> str:
        return reverse("kpi:governance")

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        version = data.pop("version", None)
        services.governance_document_update(document=self.document, actor=self.request.user,
                                            version=version, **data)
        return "Saved."


class GovernanceFileView(BoardPageMixin, View):
    """GET: the document's approved copy, as an attachment the browser does not keep."""

    def get(self, request, *args, **kwargs):
        document = get_object_or_404(GovernanceDocument, pk=kwargs["pk"])
        if not document.file:
            raise Http404
        try:
            handle = document.file.open("rb")
        except (FileNotFoundError, ValueError):
            raise Http404 from None
        audit_log(actor=request.user, action=Verb.VIEW, obj=document, detail="Downloaded")
        return private_file_response(handle, filename=document.file_name,
                                     content_type=document.file_content_type)


# -- non-attendance escalated to the Board (§10.10) ---------------------------------------------


class EscalationsView(BoardPageMixin, TemplateView):
    """Agencies whose non-attendance a JMAPP Chair escalated: the agency, the meeting's date
    and level, what the SPOC answered; never the case."""

    template_name = "kpi/escalations.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            escalations=list(selectors.escalations()),
            can_record=services.can_record_board_outcome(self.request.user, dates.today()),
            **kwargs)


class EscalationCloseView(access.RoleRequiredMixin, ServiceFormView):
    access_check = access.can_view_kpis
    template_name = FORM_TEMPLATE
    form_class = EscalationForm
    submit_label = "Record the Board's outcome"

    def dispatch(self, request, *args, **kwargs):
        self.follow_up = get_object_or_404(selectors.escalations(), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        self._may_record()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._may_record()
        return super().post(request, *args, **kwargs)

    def _may_record(self) -> None:
        if not services.can_record_board_outcome(self.request.user, dates.today()):
            raise PermissionDenied

    def get_title(self) -> str:
        return f"Non-attendance by {self.follow_up.agency}"

    def blocked(self) -> str:
        return "The Board's outcome is recorded." if self.follow_up.board_closed_on else ""

    @property
    def intro(self) -> str:
        follow_up = self.follow_up
        return (f"{follow_up.agency} neither attended nor reported to the "
                f"{follow_up.meeting.get_kind_display().lower()} meeting of "
                f"{follow_up.meeting.starts_at:%-d %B %Y}. Its SPOC answered: "
                f"“{follow_up.outcome}”. The JMAPP Chair escalated it on "
                f"{follow_up.escalated_on:%-d %B %Y}: take it up with the agency's "
                f"representative on the Board (§10.10).")

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=reverse("kpi:escalations"), **kwargs)

    def save(self, form) -> str:
        services.escalation_close(follow_up=self.follow_up, actor=self.request.user,
                                  outcome=form.cleaned_data["board_outcome"])
        return "The Board's outcome is recorded."

    def get_success_url(self) -> str:
        return reverse("kpi:escalations")


# -- the Board's minutes and actions (§15.3) ----------------------------------------------------


class BoardMeetingFormView(BoardFormView):
    """A form about one Board meeting, back to it."""

    def dispatch(self, request, *args, **kwargs):
        self.meeting = get_object_or_404(SmbMeeting.objects.select_related("chair"),
                                         pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_success_url(self) -> str:
        return reverse("kpi:board_meeting", args=[self.meeting.pk])


class SmbMinutesView(BoardMeetingFormView):
    form_class = SmbMinutesForm
    title = "The minutes of the Board meeting"
    submit_label = "Save the draft"
    stale_message = ("Someone else saved the minutes while you were writing: nothing was "
                     "saved. Open them again to see their change.")

    @property
    def minutes(self):
        return SmbMinutes.objects.filter(meeting=self.meeting).first()

    def blocked(self) -> str:
        if self.meeting.status != SmbMeetingStatus.HELD:
            return ("Minutes are written once the meeting is held and its attendance "
                    "recorded.")
        minutes = self.minutes
        if minutes is not None and minutes.status == SmbMinutesStatus.FINAL:
            return "The minutes are final: they are no longer changed."
        return ""

    def get_initial(self):
        minutes = self.minutes
        if minutes is not None:
            return {"present": minutes.present, "discussion": minutes.discussion,
                    "version": minutes.version}
        rows = self.meeting.attendance.select_related("membership__member",
                                                      "membership__seat")
        present = "; ".join(
            f"{row.membership.member.get_full_name() or row.membership.member} "
            f"({row.membership.seat}): {row.get_status_display().lower()}"
            + (f", {row.deputy_name}" if row.deputy_name else "") for row in rows)
        return {"present": present}

    def save(self, form) -> str:
        services.smb_minutes_save(meeting=self.meeting, actor=self.request.user,
                                  **form.cleaned_data)
        return "The draft minutes are saved."


class SmbMinutesFinaliseView(BoardPageMixin, View):
    """POST: the meeting's Chair (or the Co-ordinator) makes the minutes final."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        minutes = get_object_or_404(SmbMinutes.objects.select_related("meeting"),
                                    meeting_id=kwargs["pk"])
        if not services.can_finalise_smb_minutes(request.user, minutes.meeting):
            raise PermissionDenied
        version = request.POST.get("version")
        try:
            services.smb_minutes_finalise(minutes=minutes, actor=request.user,
                                          version=int(version) if version and
                                          version.isdigit() else None)
        except StaleEdit:
            messages.error(request, "Someone else saved the minutes since you opened them: "
                                    "read them again before finalising.")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The minutes are final.")
        return redirect("kpi:board_meeting", kwargs["pk"])


class SmbActionAddView(BoardMeetingFormView):
    form_class = SmbActionForm
    title = "Add an action the Board agreed"
    submit_label = "Add the action"

    def save(self, form) -> str:
        services.smb_action_add(meeting=self.meeting, actor=self.request.user,
                                **form.cleaned_data)
        return "The action is added."


class SmbActionDoneView(BoardFormView):
    form_class = SmbActionDoneForm
    title = "Record the action done"
    submit_label = "Record it"

    def dispatch(self, request, *args, **kwargs):
        self.action = get_object_or_404(SmbAction, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def intro(self) -> str:
        return self.action.description

    def blocked(self) -> str:
        return "This action is already done." if self.action.done_on else ""

    def get_initial(self):
        return {"done_on": dates.today()}

    def save(self, form) -> str:
        services.smb_action_done(action=self.action, actor=self.request.user,
                                 **form.cleaned_data)
        return "The action is recorded as done."

    def get_success_url(self) -> str:
        return reverse("kpi:board_meeting", args=[self.action.meeting_id])
