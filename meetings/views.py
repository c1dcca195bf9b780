"""The pages of arranging and holding meetings: the meetings list, the meeting page, the
scheduling page (from an accepted referral or from the case), invitations and answers,
the offender's written information, attendance and follow-ups; and the Administrator's
panel dates and standing membership.

Thin views: access from jmappa/access.py (a meeting, invitation or follow-up of a case the
user may not see answers 404; one they see but may not act on, 403), reads from
selectors, writes through services. Every page about a case writes one audit event when
read; every write its own (the services do it).
"""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView, View

from cases.models import Level
from jmappa import access
from jmappa.accounts.models import Agency, Grade, User
from jmappa.audit.services import audit_read
from jmappa.core.dates import long_day
from jmappa.core.forms import add_service_errors
from referrals.models import ReferralStatus

from . import selectors, services
from .forms import (
    AttendanceRowForm,
    FollowUpCloseForm,
    InvitationAddForm,
    MeetingFilterForm,
    OffenderInformationForm,
    PanelDateForm,
    ReasonForm,
    ResponseForm,
    ScheduleForm,
    SeatForm,
)
from .models import (
    KIND_LEVEL,
    FollowUp,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingStatus,
    PanelDate,
    PanelLevel,
    StandingMembership,
)


def _when(value) -> str:
    return dateformat.format(timezone.localtime(value), "l j F Y, H:i")


def _to_meeting(meeting: Meeting):
    return redirect("meetings:detail", pk=meeting.pk)


def _service_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# -- access ----------------------------------------------------------------------------------------


class MeetingAccessMixin(LoginRequiredMixin):
    """A page about one meeting (URL kwarg `pk`): 404 unless the user sees its case, then
    403 unless `allowed(user)`. Sets `self.meeting`."""

    def meetings(self, user):
        return selectors.meetings_for(user)

    def allowed(self, user) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.meeting = get_object_or_404(self.meetings(request.user), pk=kwargs["pk"])
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def audit_read(self) -> None:
        audit_read(actor=self.request.user, obj=self.meeting, case_id=self.meeting.nominal_id)


class ManagerMixin:
    def allowed(self, user) -> bool:
        return access.can_manage_meetings(user)


class MeetingFormBase(FormView):
    """A form about one meeting, on the shared page: the meeting's facts above the form.
    `save(form)` calls the service and returns the message; a refusal lands in the form.
    An access mixin before it sets `self.meeting`."""

    template_name = "meetings/meeting_form.html"
    title = ""
    intro = ""
    submit_label = "Save"
    submit_class = "btn-primary"

    def blocked(self) -> str:
        return ""

    def get(self, request, *args, **kwargs):
        self.audit_read()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.blocked():
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(meeting=self.meeting, nominal=self.meeting.nominal, title=self.title,
                       intro=self.intro, submit_label=self.submit_label,
                       submit_class=self.submit_class, blocked=self.blocked())
        return context

    def save(self, form) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return _to_meeting(self.meeting)


class MeetingFormView(MeetingAccessMixin, MeetingFormBase):
    pass


def _still_to_be_held(meeting: Meeting) -> str:
    if meeting.status != MeetingStatus.SCHEDULED:
        return (f"This meeting is {meeting.get_status_display().lower()}: this is done only "
                "for a meeting still to be held.")
    return ""


# -- the meetings list and the meeting page --------------------------------------------------------


class MeetingListView(LoginRequiredMixin, TemplateView):
    """Upcoming and recent meetings of the cases the user sees."""

    template_name = "meetings/meeting_list.html"

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

    def meetings(self, user):
        return selectors.meeting_page(user)

    def get(self, request, *args, **kwargs):
        self.audit_read()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.meeting, self.request.user
        invitations = list(meeting.invitations.all())
        can_manage = access.can_manage_meetings(user)
        due, due_why = (None, "")
        if meeting.referral_id:
            due, due_why = services.due_date(meeting.nominal, meeting.level, meeting.referral)
        follow_ups = [(f, services.can_close_follow_up(user, f) and f.closed_on is None)
                      for f in meeting.follow_ups.all()]
        scheduled = meeting.status == MeetingStatus.SCHEDULED
        context.update(
            meeting=meeting, nominal=meeting.nominal, today=timezone.localdate(),
            invitations=[i for i in invitations if i.withdrawn_at is None],
            withdrawn=[i for i in invitations if i.withdrawn_at is not None],
            unsent=sum(1 for i in invitations
                       if i.withdrawn_at is None and i.sent_at is None and i.email),
            no_email=sum(1 for i in invitations if i.withdrawn_at is None and not i.email),
            my_invitation=next((i for i in invitations
                                if i.user_id == user.pk and i.withdrawn_at is None), None),
            attendance=_with_short_grades(meeting.attendance.all()),
            follow_ups=follow_ups,
            due=due, due_why=due_why, late=bool(meeting.late_reason),
            can_manage=can_manage, scheduled=scheduled,
            can_attach_information=scheduled
            and services.can_attach_offender_information(user, meeting),
            can_record_attendance=meeting.status != MeetingStatus.CANCELLED
            and services.can_record_attendance(user, meeting)
            and meeting.date <= timezone.localdate() and not services.minutes_final(meeting),
            can_answer_any=can_manage and scheduled,
            review_by=services.review_due(meeting)
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
        if not access.can_manage_meetings(user):
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
        return list(MeetingKind.values)

    @cached_property
    def kind(self) -> str:
        asked = self.request.POST.get("kind") or self.request.GET.get("kind")
        return asked if asked in self.kinds else _default_kind(self.nominal, self.referral)

    @cached_property
    def due(self):
        return services.due_date(self.nominal, KIND_LEVEL[self.kind], self.referral)

    def form(self, data=None) -> ScheduleForm:
        user = self.request.user
        level = KIND_LEVEL[self.kind]
        initial = {}
        if not services.chair_problem(user, level):
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
                meeting = services.meeting_schedule(
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
            on_panel=self.kind in services.PANEL_KINDS, level=KIND_LEVEL[self.kind],
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
    submit_class = "btn-danger"

    def blocked(self) -> str:
        return _still_to_be_held(self.meeting)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "Why is it cancelled?",
                "help_text": "Kept with the meeting."}

    def save(self, form):
        services.meeting_cancel(meeting=self.meeting, reason=form.cleaned_data["reason"],
                                actor=self.request.user)
        return "The meeting is cancelled. Those invited are told."


# -- invitations -----------------------------------------------------------------------------------


class InvitationAddView(ManagerMixin, MeetingFormView):
    form_class = InvitationAddForm
    title = "Invite someone more"
    intro = ("A person with an account sees the case while invited. Someone without one is "
             "invited by name and email. Never the offender (§3.6).")
    submit_label = "Invite"

    def blocked(self) -> str:
        return _still_to_be_held(self.meeting)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def save(self, form):
        data = form.cleaned_data
        invitation = services.invitation_add(
            meeting=self.meeting, actor=self.request.user, user=data.get("user"),
            agency=data.get("agency"), name=data.get("name", ""), email=data.get("email", ""),
            send=data.get("send", False))
        sent = " and emailed" if invitation.sent_at else ""
        return f"{invitation.name} ({invitation.agency}) is invited{sent}."


class InvitationsSendView(ManagerMixin, MeetingAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            count = services.invitations_send(meeting=self.meeting, actor=request.user)
        except ValidationError as error:
            messages.error(request, _service_messages(error))
            return _to_meeting(self.meeting)
        if count:
            messages.success(request, f"{count} invitation{'s' if count != 1 else ''} emailed, "
                                      "each with a calendar file.")
        else:
            messages.info(request, "Every invitation with an email address has already been "
                                   "sent.")
        return _to_meeting(self.meeting)


class InvitationsBuildView(ManagerMixin, MeetingAccessMixin, View):
    """"Check for anyone missing": the invitation rules again (after a change to the
    standing membership, a new case manager...); those already invited, or withdrawn, stay
    as they are."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        blocked = _still_to_be_held(self.meeting)
        if blocked:
            messages.error(request, blocked)
            return _to_meeting(self.meeting)
        created = services.invitations_build(meeting=self.meeting, actor=request.user)
        if created:
            messages.success(request, "Invited: " + ", ".join(
                f"{i.name} ({i.agency})" for i in created) + ". Send their invitations below.")
        else:
            messages.info(request, "Nobody is missing: everyone the rules name is invited.")
        return _to_meeting(self.meeting)


class InvitationAccessMixin(LoginRequiredMixin):
    """A page about one invitation (URL kwarg `pk`): 404 unless the user sees the case."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        invitations = Invitation.objects.filter(
            meeting__in=Meeting.objects.visible_to(request.user)).select_related(
            "meeting", "meeting__nominal", "meeting__chair", "agency", "user")
        self.invitation = get_object_or_404(invitations, pk=kwargs["pk"])
        self.meeting = self.invitation.meeting
        if not self.allowed(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, user) -> bool:
        return True

    def audit_read(self) -> None:
        audit_read(actor=self.request.user, obj=self.meeting, case_id=self.meeting.nominal_id)


class InvitationFormView(InvitationAccessMixin, MeetingFormBase):
    template_name = "meetings/invitation_form.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "invitation": self.invitation}


class InvitationWithdrawView(ManagerMixin, InvitationFormView):
    """A confirmation page: no form to fill in."""

    title = "Withdraw the invitation"
    intro = ("They are told by email if the invitation was sent, and no longer see the case "
             "through it (their other roles on the case stay).")
    submit_label = "Withdraw the invitation"
    submit_class = "btn-danger"

    def get_form(self, form_class=None):
        return None

    def blocked(self) -> str:
        if self.invitation.withdrawn_at is not None:
            return "This invitation is already withdrawn."
        return _still_to_be_held(self.meeting)

    def post(self, request, *args, **kwargs):
        if self.blocked():
            return self.render_to_response(self.get_context_data())
        try:
            services.invitation_withdraw(invitation=self.invitation, actor=request.user)
        except ValidationError as error:
            messages.error(request, _service_messages(error))
        else:
            messages.success(request, f"The invitation of {self.invitation.name} is withdrawn.")
        return _to_meeting(self.meeting)


class RespondView(InvitationFormView):
    """The invitee answers; the Administrator may record an answer given another way."""

    form_class = ResponseForm
    title = "Answer the invitation"
    submit_label = "Send the answer"

    def allowed(self, user) -> bool:
        return services.can_answer(user, self.invitation)

    @property
    def on_behalf(self) -> bool:
        return self.invitation.user_id != self.request.user.pk

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "on_behalf": self.on_behalf}
        if self.invitation.response != "pending":
            kwargs["initial"] = {"response": self.invitation.response}
        return kwargs

    def blocked(self) -> str:
        if self.invitation.withdrawn_at is not None:
            return "This invitation has been withdrawn: there is nothing to answer."
        return _still_to_be_held(self.meeting)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.on_behalf:
            context.update(title=f"Record the answer of {self.invitation.name}",
                           submit_label="Record the answer")
        return context

    def save(self, form):
        invitation = services.invitation_respond(
            invitation=self.invitation, response=form.cleaned_data["response"],
            actor=self.request.user)
        who = "Your" if not self.on_behalf else f"{invitation.name}'s"
        return f"{who} answer is recorded: {invitation.get_response_display().lower()}."


# -- the offender's written information ------------------------------------------------------------


class OffenderInformationView(MeetingFormView):
    form_class = OffenderInformationForm
    title = "The offender's written information"
    intro = ("Offenders do not attend JMAPP meetings, but may present written information "
             "through their case manager, or the case manager may give it on their behalf "
             "(§3.6).")

    def allowed(self, user) -> bool:
        return services.can_attach_offender_information(user, self.meeting)

    def blocked(self) -> str:
        return _still_to_be_held(self.meeting)

    def get_initial(self):
        return {"text": self.meeting.offender_information}

    def save(self, form):
        services.meeting_offender_information_set(meeting=self.meeting, actor=self.request.user,
                                                  text=form.cleaned_data["text"])
        return "The offender's written information is attached to the meeting."


# -- attendance and follow-ups ---------------------------------------------------------------------


class AttendanceView(MeetingAccessMixin, TemplateView):
    """On the day: one row per invited agency. Saving marks the meeting held and sets the
    date its minutes are due by."""

    template_name = "meetings/attendance.html"

    def meetings(self, user):
        return selectors.meeting_page(user)

    def allowed(self, user) -> bool:
        return services.can_record_attendance(user, self.meeting)

    def blocked(self) -> str:
        meeting = self.meeting
        if meeting.status == MeetingStatus.CANCELLED:
            return "This meeting was cancelled: there is no attendance to record."
        if meeting.date > timezone.localdate():
            return (f"The meeting is on {long_day(meeting.date)}: record who attended on the day "
                    "or after.")
        if services.minutes_final(meeting):
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
        audit_read(actor=request.user, obj=self.meeting, case_id=self.meeting.nominal_id)
        return self.render_to_response(self.get_context_data(forms=self.rows()))

    def post(self, request, *args, **kwargs):
        if self.blocked():
            return self.render_to_response(self.get_context_data(forms=[]))
        forms = self.rows(request.POST)
        errors = []
        if all([form.is_valid() for form in forms]):
            try:
                meeting = services.meeting_record_attendance(
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


def _form_errors(form) -> list:
    if not form.is_bound or form.is_valid():
        return []
    return [(form[name], message) for name, messages_ in form.errors.items() if name != "__all__"
            for message in messages_]


class FollowUpListView(LoginRequiredMixin, TemplateView):
    """The follow-ups of non-attendance still open for the user to close, as Chair (all of
    them, for the Co-ordinator)."""

    template_name = "meetings/follow_up_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["follow_ups"] = list(selectors.open_follow_ups(self.request.user))
        return context


class FollowUpCloseView(LoginRequiredMixin, FormView):
    form_class = FollowUpCloseForm
    template_name = "meetings/meeting_form.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        follow_ups = FollowUp.objects.filter(
            meeting__in=Meeting.objects.visible_to(request.user)).select_related(
            "meeting", "meeting__nominal", "meeting__chair", "agency", "spoc", "chair")
        self.follow_up = get_object_or_404(follow_ups, pk=kwargs["pk"])
        self.meeting = self.follow_up.meeting
        if not services.can_close_follow_up(request.user, self.follow_up):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        audit_read(actor=request.user, obj=self.meeting, case_id=self.meeting.nominal_id)
        return super().get(request, *args, **kwargs)

    def blocked(self) -> str:
        return "This follow-up is closed." if self.follow_up.closed_on else ""

    def post(self, request, *args, **kwargs):
        if self.blocked():
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        follow_up = self.follow_up
        spoc = f" ({follow_up.spoc})" if follow_up.spoc else ""
        context.update(
            meeting=self.meeting, nominal=self.meeting.nominal, follow_up=follow_up,
            title=f"Close the follow-up with {follow_up.agency}",
            intro=f"{follow_up.agency} neither attended nor sent a report. Follow it up with "
                  f"the agency's SPOC{spoc}, then record the outcome.",
            submit_label="Close the follow-up", submit_class="btn-primary",
            blocked=self.blocked())
        return context

    def form_valid(self, form):
        try:
            services.follow_up_close(follow_up=self.follow_up, actor=self.request.user,
                                     outcome=form.cleaned_data["outcome"])
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The follow-up with {self.follow_up.agency} is "
                                       "closed.")
        return _to_meeting(self.meeting)


# -- the Administrator's: panel dates and standing membership --------------------------------------


class ManagerPageMixin(access.RoleRequiredMixin):
    access_check = access.can_manage_meetings


class PanelListView(ManagerPageMixin, TemplateView):
    """The set dates of level 2 and 3 meetings (§10.6), with how many cases each holds."""

    template_name = "meetings/panel_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dates = list(selectors.panels(include_cancelled=True))
        context.update(cancelled=[p for p in dates if p.cancelled], levels=[
            (level, label, [p for p in dates if p.level == level and not p.cancelled])
            for level, label in PanelLevel.choices])
        return context


class PanelAddView(ManagerPageMixin, FormView):
    form_class = PanelDateForm
    template_name = "meetings/admin_form.html"
    extra_context = {"title": "Add panel dates", "submit_label": "Add",
                     "intro": "Level 2 and 3 meetings sit on set days each month, set well in "
                              "advance (§10.6). Emergency meetings are arranged from the case "
                              "or the referral at any time.",
                     "back": "meetings:panels", "back_label": "Panel dates"}

    def form_valid(self, form):
        data, user = form.cleaned_data, self.request.user
        try:
            if data["repeat"] == PanelDateForm.MONTHLY:
                created, skipped = services.panel_dates_add_monthly(
                    level=data["level"], first=form.starts_at(), months=data["months"],
                    actor=user, location=data["location"])
            else:
                created = [services.panel_date_add(level=data["level"],
                                                   starts_at=form.starts_at(), actor=user,
                                                   location=data["location"])]
                skipped = []
        except ValidationError as error:
            if hasattr(error, "error_dict") and "starts_at" in error.error_dict:
                error = ValidationError({"day": error.error_dict["starts_at"]})
            add_service_errors(form, error)
            return self.form_invalid(form)
        if created:
            messages.success(self.request, f"{len(created)} level {data['level']} panel "
                                           f"date{'s' if len(created) != 1 else ''} added.")
        for why in skipped:
            messages.warning(self.request, f"Not added: {why}")
        return redirect("meetings:panels")


class PanelCancelView(ManagerPageMixin, FormView):
    form_class = ReasonForm
    template_name = "meetings/panel_cancel.html"

    def dispatch(self, request, *args, **kwargs):
        self.panel = get_object_or_404(PanelDate, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "label": "Why is the date cancelled?"}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(panel=self.panel, title="Cancel a panel date",
                       booked=list(self.panel.meetings.filter(status=MeetingStatus.SCHEDULED)
                                   .select_related("nominal", "chair")))
        return context

    def form_valid(self, form):
        try:
            services.panel_date_cancel(panel=self.panel, reason=form.cleaned_data["reason"],
                                       actor=self.request.user)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The level {self.panel.level} panel of "
                                       f"{_when(self.panel.starts_at)} is cancelled.")
        return redirect("meetings:panels")


class StandingMixin(ManagerPageMixin):
    def dispatch(self, request, *args, **kwargs):
        if kwargs["level"] not in PanelLevel.values:
            raise Http404
        self.level = kwargs["level"]
        return super().dispatch(request, *args, **kwargs)


class StandingView(StandingMixin, TemplateView):
    """The standing membership of one level (§10.7): each agency's seat, the seniority it
    needs, the lowest grade that meets it, and the standing member invited to every
    meeting of the level."""

    template_name = "meetings/standing.html"

    def forms(self, data=None) -> list[SeatForm]:
        seats = selectors.standing_seats(self.level)
        agencies = Agency.objects.filter(Q(is_active=True) | Q(pk__in=seats.keys()))
        people: dict[int, list] = {}
        for user in User.objects.filter(is_active=True, agency__isnull=False).order_by(
                "last_name", "first_name", "username"):
            people.setdefault(user.agency_id, []).append(user)
        return [SeatForm(data, agency=agency, level=self.level, seat=seats.get(agency.pk),
                         people=people.get(agency.pk, []))
                for agency in agencies.order_by("name")]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(forms=self.forms()))

    def post(self, request, *args, **kwargs):
        forms = self.forms(request.POST)
        if all([form.is_valid() for form in forms]):
            changed = 0
            try:
                with transaction.atomic():
                    for form in forms:
                        wanted = form.changes()
                        if wanted is None:
                            continue
                        try:
                            services.standing_membership_set(
                                agency=form.agency, level=self.level, actor=request.user,
                                **wanted)
                        except ValidationError as error:
                            add_service_errors(form, error)
                            raise
                        changed += 1
            except ValidationError:
                pass
            else:
                messages.success(request, f"Level {self.level} standing membership saved "
                                          f"({changed} seat{'s' if changed != 1 else ''} "
                                          "changed).")
                return redirect("meetings:standing", level=self.level)
        return self.render_to_response(self.get_context_data(forms=forms))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = kwargs["forms"]
        context.update(
            level=self.level, other_level=Level.THREE if self.level == Level.TWO else Level.TWO,
            title=f"Standing membership of level {self.level} meetings",
            form_errors=[(f, e) for f in forms for e in _form_errors(f)],
            defaults=[(agency, seniority, grade)
                      for agency, seniority, grade in services.default_seats(self.level)],
            has_seats=StandingMembership.objects.filter(level=self.level).exists())
        return context


class StandingFillView(StandingMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        created = services.standing_membership_fill(level=self.level, actor=request.user)
        if created:
            messages.success(request, "Filled in from the Guidance (§10.7): " + ", ".join(
                f"{seat.agency}, {seat.seniority}" for seat in created)
                + ". Check each seat and name its standing member.")
        else:
            messages.info(request, "Every agency the Guidance names already has a seat at "
                                   "this level: nothing was changed.")
        return redirect("meetings:standing", level=self.level)
