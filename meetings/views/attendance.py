"""Holding the meeting: attendance per invited agency, and the Chair's follow-ups of the
agencies that neither came nor sent a report (§10.10)."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from jmappa import access
from jmappa.core.dates import long_day
from jmappa.core.views import AuditedListMixin, ServiceFormView

from .. import selectors
from ..forms.arranging import AttendanceRowForm, FollowUpCloseForm
from ..models import FollowUp, Meeting, MeetingStatus, PanelLevel
from ..services import attendance
from .base import MeetingAccessMixin, _form_errors, _to_meeting


class AttendanceView(MeetingAccessMixin, TemplateView):
    """On the day: one row per invited agency. Saving marks the meeting held and sets the
    date its minutes are due by."""

    template_name = "meetings/attendance.html"

    selector = selectors.meeting_page
    access_check = access.can_record_attendance

    def blocked(self) -> str:
        meeting = self.meeting
        if meeting.status == MeetingStatus.CANCELLED:
            return "This meeting was cancelled: there is no attendance to record."
        if meeting.date > timezone.localdate():
            return (f"The meeting is on {long_day(meeting.date)}: record who attended on the day "
                    "or after.")
        if attendance.minutes_final(meeting):
            return ("The minutes of this meeting are final: the attendance they record can no "
                    "longer be changed.")
        return ""

    def rows(self, data=None) -> list[AttendanceRowForm]:
        by_agency: OrderedDict[int, list] = OrderedDict()
        agencies = {}
        for invitation in self.meeting.invitations.all():
            if invitation.withdrawn_at is None:
                by_agency.setdefault(invitation.agency_id, []).append(invitation)
                agencies[invitation.agency_id] = invitation.agency
        recorded = {a.agency_id: a for a in self.meeting.attendance.all()}
        for agency_id, record in recorded.items():
            if agency_id not in agencies:
                by_agency[agency_id] = []
                agencies[agency_id] = record.agency
        seats = selectors.standing_seats(self.meeting.level) \
            if self.meeting.level in PanelLevel.values else {}
        forms = []
        for agency_id, invitations in sorted(by_agency.items(),
                                             key=lambda item: agencies[item[0]].name):
            record = recorded.get(agency_id)
            initial = {}
            if record is not None:
                listed = record.attendee_id in {i.user_id for i in invitations}
                initial = {"mode": record.mode, "attendee": record.attendee_id if listed else "",
                           "attendee_name": "" if listed else record.attendee_name,
                           "grade": record.grade}
            form = AttendanceRowForm(data, agency=agencies[agency_id], invitations=invitations,
                                     seat=seats.get(agency_id), initial=initial)
            forms.append(form)
        return forms

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(forms=self.rows()))

    def post(self, request, *args, **kwargs):
        if self.blocked():
            return self.render_to_response(self.get_context_data(forms=[]))
        forms = self.rows(request.POST)
        errors = []
        if all([form.is_valid() for form in forms]):
            try:
                meeting = attendance.meeting_record_attendance(
                    meeting=self.meeting, rows=[form.row() for form in forms],
                    actor=request.user)
            except ValidationError as error:
                errors = error.messages
            else:
                return self.done(meeting)
        return self.render_to_response(self.get_context_data(forms=forms, errors=errors))

    def done(self, meeting: Meeting):
        text = "Attendance recorded: the meeting is held."
        if meeting.minutes_due_by:
            text += f" Its minutes are due by {long_day(meeting.minutes_due_by)}."
        opened = [f.agency.name for f in meeting.follow_ups.filter(closed_on__isnull=True)]
        if opened:
            text += (" The Chair is asked to follow up with "
                     f"{', '.join(opened)} (no attendance and no report, §10.10).")
        messages.success(self.request, text)
        return _to_meeting(meeting)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = kwargs.get("forms", [])
        context.update(meeting=self.meeting, nominal=self.meeting.nominal,
                       title="Attendance", blocked=self.blocked(),
                       errors=kwargs.get("errors", []),
                       form_errors=[(f, e) for f in forms for e in _form_errors(f)])
        return context


class FollowUpListView(LoginRequiredMixin, AuditedListMixin, TemplateView):
    """The follow-ups of non-attendance still open for the user to close, as Chair (all of
    them, for the Co-ordinator)."""

    template_name = "meetings/follow_up_list.html"
    listed_model = FollowUp

    def listed(self, context):
        return context["follow_ups"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["follow_ups"] = list(selectors.open_follow_ups(self.request.user))
        return context


class FollowUpCloseView(access.ObjectAccessMixin, ServiceFormView):
    """The Chair closes a follow-up of a meeting whose case they see (else 404; 403 unless
    access.can_close_follow_up). Reading it is audited against the meeting."""

    selector = selectors.follow_up_page
    object_name = "follow_up"
    access_check = access.can_close_follow_up
    denied_status = 403
    form_class = FollowUpCloseForm
    template_name = "meetings/meeting_form.html"

    def set_object(self, obj) -> None:
        super().set_object(obj)
        self.meeting = obj.meeting

    def read_object(self):
        return self.meeting

    def audit_case_id(self, obj):
        return self.meeting.nominal_id

    def blocked(self) -> str:
        return "This follow-up is closed." if self.follow_up.closed_on else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        follow_up = self.follow_up
        spoc = f" ({follow_up.spoc})" if follow_up.spoc else ""
        context.update(
            meeting=self.meeting, nominal=self.meeting.nominal, follow_up=follow_up,
            title=f"Close the follow-up with {follow_up.agency}",
            intro=f"{follow_up.agency} neither attended nor sent a report. Follow it up with "
                  f"the agency's SPOC{spoc}, then record the outcome.",
            submit_label="Close the follow-up", submit_class="")
        return context

    def save(self, form) -> str:
        escalate = form.cleaned_data.get("escalate", False)
        attendance.follow_up_close(follow_up=self.follow_up, actor=self.request.user,
                                   outcome=form.cleaned_data["outcome"], escalate=escalate)
        return (f"The follow-up with {self.follow_up.agency} is closed"
                + (" and escalated to the SMB Chair." if escalate else "."))

    def get_success_url(self) -> str:
        return reverse("meetings:detail", args=[self.meeting.pk])
