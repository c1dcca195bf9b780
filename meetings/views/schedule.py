"""The pages of arranging meetings: the meetings list, the meeting page, the scheduling
page (from an accepted referral or from the case), cancelling, the offender's written
information.

Thin views: access from jmappa/access.py (a meeting of a case the user may not see answers
404; one they see but may not act on, 403), reads from selectors, writes through services.
Every page about a case writes one audit event when read; every write its own (the
services do it).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from cases.models import Level
from jmappa import access
from jmappa.accounts.models import Grade
from jmappa.audit.services import audit_read
from jmappa.core.forms import add_service_errors
from jmappa.core.views import AuditedListMixin
from referrals.models import ReferralStatus

from .. import selectors
from ..forms.arranging import MeetingFilterForm, OffenderInformationForm, ReasonForm, ScheduleForm
from ..models import KIND_LEVEL, Meeting, MeetingKind, MeetingStatus
from ..services import attendance, scheduling
from ..services import invitations as invitations_service
from .base import (
    ManagerMixin,
    MeetingAccessMixin,
    MeetingFormView,
    _still_to_be_held,
    _to_meeting,
    _when,
)

# -- the meetings list and the meeting page --------------------------------------------------------


class MeetingListView(LoginRequiredMixin, AuditedListMixin, TemplateView):
    """Upcoming and recent meetings of the cases the user sees."""

    template_name = "meetings/meeting_list.html"
    listed_model = Meeting

    def listed(self, context):
        return [*context["upcoming"], *context["recent"]]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = MeetingFilterForm(self.request.GET)
        mine = form.is_valid() and form.cleaned_data["mine"]
        upcoming, recent = selectors.meeting_list(user, mine=mine)
        context.update(filter_form=form, mine=mine, upcoming=upcoming, recent=recent,
                       today=timezone.localdate(), recent_weeks=selectors.RECENT_WEEKS,
                       can_manage=access.can_manage_meetings(user))
        return context


class MeetingDetailView(MeetingAccessMixin, TemplateView):
    """The meeting: its case, kind, date, Chair, due dates, invitations and answers,
    attendance, follow-ups and the offender's written information."""

    template_name = "meetings/meeting_detail.html"
    selector = selectors.meeting_page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.meeting, self.request.user
        invitations = list(meeting.invitations.all())
        can_manage = access.can_manage_meetings(user)
        due, due_why = (None, "")
        if meeting.referral_id:
            due, due_why = scheduling.due_date(meeting.nominal, meeting.level, meeting.referral)
        follow_ups = [(f, access.can_close_follow_up(user, f) and f.closed_on is None)
                      for f in meeting.follow_ups.all()]
        scheduled = meeting.status == MeetingStatus.SCHEDULED
        may_record = meeting.status != MeetingStatus.CANCELLED \
            and access.can_record_attendance(user, meeting)
        context.update(
            seat_gaps=invitations_service.seat_gaps(meeting, invitations) if can_manage else [],
            can_manage_people=access.can_manage_people(user),
            meeting=meeting, nominal=meeting.nominal, today=timezone.localdate(),
            invitations=[i for i in invitations if i.withdrawn_at is None],
            withdrawn=[i for i in invitations if i.withdrawn_at is not None],
            unsent=sum(1 for i in invitations
                       if i.withdrawn_at is None and i.sent_at is None and i.email),
            unanswered=len(invitations_service.unanswered(meeting, invitations))
            if scheduled else 0,
            no_email=sum(1 for i in invitations if i.withdrawn_at is None and not i.email),
            my_invitation=next((i for i in invitations
                                if i.user_id == user.pk and i.withdrawn_at is None), None),
            attendance=_with_short_grades(meeting.attendance.all()),
            follow_ups=follow_ups,
            due=due, due_why=due_why, late=bool(meeting.late_reason),
            can_manage=can_manage, scheduled=scheduled,
            can_attach_information=scheduled
            and access.can_attach_offender_information(user, meeting),
            can_record_attendance=may_record and meeting.date <= timezone.localdate()
            and not attendance.minutes_final(meeting),
            # Before the day: when recording the attendance opens.
            attendance_opens=meeting.date if may_record and scheduled
            and meeting.date > timezone.localdate() else None,
            can_answer_any=can_manage and scheduled,
            review_by=selectors.review_due(meeting)
            if meeting.status == MeetingStatus.HELD else None,
            # The review is arranged once: not again from a meeting already followed.
            followed=meeting.status == MeetingStatus.HELD and Meeting.objects.filter(
                nominal=meeting.nominal_id, level=meeting.level, starts_at__gt=meeting.starts_at,
            ).exclude(status=MeetingStatus.CANCELLED).exists(),
        )
        return context


def _with_short_grades(rows) -> list:
    """Each attendance row with `grade_short`: "First-line manager", not the examples."""
    rows = list(rows)
    for row in rows:
        row.grade_short = Grade(row.grade).label.split(" (")[0] if row.grade else ""
    return rows

# -- scheduling ------------------------------------------------------------------------------------


def _default_kind(nominal, referral) -> str:
    if referral is not None:
        emergency = referral.is_emergency
        return {Level.TWO: (MeetingKind.LEVEL_2, MeetingKind.EMERGENCY_2),
                Level.THREE: (MeetingKind.LEVEL_3, MeetingKind.EMERGENCY_3)}[
            referral.level_agreed][1 if emergency else 0]
    return {Level.ONE: MeetingKind.LEVEL_1, Level.THREE: MeetingKind.LEVEL_3}.get(
        nominal.level, MeetingKind.LEVEL_2)


class ScheduleView(LoginRequiredMixin, TemplateView):
    """Arrange a meeting of a case: from an accepted referral (`referral_pk`), on a panel
    date on or before its meeting-due date or as an emergency; or from the case page
    (`nominal_pk`): a review, a level 1 discussion, an emergency meeting."""

    template_name = "meetings/schedule.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        user = request.user
        self.referral = None
        if "referral_pk" in kwargs:
            self.referral = access.get_referral_or_404(user, kwargs["referral_pk"])
            self.nominal = None
            if self.referral.nominal_id is not None:
                self.nominal = access.get_nominal_or_404(user, self.referral.nominal_id)
        else:
            self.nominal = access.get_nominal_or_404(user, kwargs["nominal_pk"])
        # The referring agency arranges a level 1 discussion (§10.3); any other meeting, the
        # Co-ordinator or an Administrator.
        self.level_1_only = not access.can_manage_meetings(user)
        if self.level_1_only and (self.referral is not None
                                  or not access.can_arrange_level_1(user, self.nominal)):
            raise PermissionDenied
        return self.refuse(request) or super().dispatch(request, *args, **kwargs)

    def refuse(self, request):
        """Back where the user came from, with why, when there is nothing to arrange."""
        referral = self.referral
        if referral is not None and (referral.status != ReferralStatus.ACCEPTED
                                     or self.nominal is None):
            messages.warning(request, f"Referral {referral.reference} is "
                                      f"{referral.get_status_display().lower()}: only an "
                                      "accepted referral is arranged for a meeting.")
            return redirect("referrals:detail", pk=referral.pk)
        if referral is not None:
            arranged = referral.meetings.exclude(status=MeetingStatus.CANCELLED).first()
            if arranged is not None:
                messages.info(request, f"A meeting is already arranged for referral "
                                       f"{referral.reference}.")
                return _to_meeting(arranged)
        if self.nominal.status == "archived":
            messages.warning(request, "This case is archived: re-activate it before arranging "
                                      "a meeting.")
            return redirect("cases:detail", pk=self.nominal.pk)
        return None

    @cached_property
    def kinds(self) -> list[str]:
        if self.referral is not None:
            level = self.referral.level_agreed
            return [kind for kind in MeetingKind.values
                    if KIND_LEVEL[kind] == level and kind != MeetingKind.LEVEL_1]
        if self.level_1_only:
            return [MeetingKind.LEVEL_1]
        return list(MeetingKind.values)

    @cached_property
    def kind(self) -> str:
        asked = self.request.POST.get("kind") or self.request.GET.get("kind")
        if asked in self.kinds:
            return asked
        default = _default_kind(self.nominal, self.referral)
        return default if default in self.kinds else self.kinds[0]

    @cached_property
    def due(self):
        return scheduling.due_date(self.nominal, KIND_LEVEL[self.kind], self.referral)

    def form(self, data=None) -> ScheduleForm:
        user = self.request.user
        level = KIND_LEVEL[self.kind]
        initial = {}
        if not scheduling.chair_problem(user, level):
            initial["chair"] = user.pk
        return ScheduleForm(data, kind=self.kind, due=self.due[0], initial=initial)

    def url(self) -> str:
        if self.referral is not None:
            return reverse("meetings:schedule_referral", args=[self.referral.pk])
        return reverse("meetings:schedule", args=[self.nominal.pk])

    def get(self, request, *args, **kwargs):
        audit_read(actor=request.user, obj=self.nominal, case_id=self.nominal.pk)
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                meeting = scheduling.meeting_schedule(
                    nominal=self.nominal, kind=self.kind, referral=self.referral,
                    actor=request.user, **form.schedule_fields())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, self.done_message(meeting))
                return _to_meeting(meeting)
        return self.render_to_response(self.get_context_data(form=form))

    @staticmethod
    def done_message(meeting: Meeting) -> str:
        invitations = list(meeting.invitations.all())
        sent = sum(1 for i in invitations if i.sent_at)
        text = (f"{meeting.get_kind_display()} arranged for {_when(meeting.starts_at)}, with "
                f"{len(invitations)} invited. ")
        if sent:
            text += f"{sent} invitation{'s' if sent != 1 else ''} emailed."
        else:
            text += "Check the list of invitees, then send the invitations."
        return text

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        due, why = self.due
        url = self.url()
        context.update(
            nominal=self.nominal, referral=self.referral, kind=self.kind,
            kind_label=MeetingKind(self.kind).label, due=due, due_why=why,
            kinds=[{"value": k, "label": MeetingKind(k).label, "url": f"{url}?kind={k}",
                    "active": k == self.kind} for k in self.kinds],
            on_panel=self.kind in scheduling.PANEL_KINDS, level=KIND_LEVEL[self.kind],
            title="Arrange a meeting", today=timezone.localdate(),
            can_add_panels=access.can_manage_meetings(self.request.user),
        )
        return context


class MeetingCancelView(ManagerMixin, MeetingFormView):
    form_class = ReasonForm
    title = "Cancel the meeting"
    intro = ("The meeting is called off. Those invited are told by email (without the reason) "
             "and no longer see the case through their invitation.")
    submit_label = "Cancel the meeting"
    submit_class = "govuk-button--warning"

    def blocked(self) -> str:
        return _still_to_be_held(self.meeting)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "Why is it cancelled?",
                "help_text": "Kept with the meeting."}

    def save(self, form):
        scheduling.meeting_cancel(meeting=self.meeting, reason=form.cleaned_data["reason"],
                                actor=self.request.user)
        return "The meeting is cancelled. Those invited are told."

# -- the offender's written information ------------------------------------------------------------


class OffenderInformationView(MeetingFormView):
    form_class = OffenderInformationForm
    title = "The offender's written information"
    intro = ("Offenders do not attend JMAPP meetings, but may present written information "
             "through their case manager, or the case manager may give it on their behalf "
             "(§3.6).")

    access_check = access.can_attach_offender_information

    def blocked(self) -> str:
        return _still_to_be_held(self.meeting)

    def get_initial(self):
        return {"text": self.meeting.offender_information}

    def save(self, form):
        scheduling.meeting_offender_information_set(meeting=self.meeting, actor=self.request.user,
                                                  text=form.cleaned_data["text"])
        return "The offender's written information is attached to the meeting."
