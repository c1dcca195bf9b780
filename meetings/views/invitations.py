"""The invitations of a meeting: inviting someone more, sending, checking for anyone
missing, withdrawing, and the invitee's answer (or the Administrator's record of it)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.views.generic import View

from jmappa import access

from .. import selectors
from ..forms.arranging import InvitationAddForm, ResponseForm
from ..services import invitations
from .base import (
    ManagerMixin,
    MeetingAccessMixin,
    MeetingFormBase,
    MeetingFormView,
    _service_messages,
    _still_to_be_held,
    _to_meeting,
)


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

    def get_initial(self):
        initial = super().get_initial()
        seat = self.request.GET.get("seat", "")
        if seat.isdigit():
            initial.update(seat=seat, agency=seat)
        return initial

    def save(self, form):
        data = form.cleaned_data
        invitation = invitations.invitation_add(
            meeting=self.meeting, actor=self.request.user, user=data.get("user"),
            agency=data.get("agency"), name=data.get("name", ""), email=data.get("email", ""),
            send=data.get("send", False), for_seat=data.get("seat") is not None)
        sent = " and emailed" if invitation.sent_at else ""
        return f"{invitation.name} ({invitation.agency}) is invited{sent}."


class InvitationsSendView(ManagerMixin, MeetingAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            count = invitations.invitations_send(meeting=self.meeting, actor=request.user)
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


class InvitationsRemindView(ManagerMixin, MeetingAccessMixin, View):
    """Chasing unanswered invitations: a reminder to each invitee emailed who has not
    answered."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            reminded = invitations.invitations_remind(meeting=self.meeting, actor=request.user)
        except ValidationError as error:
            messages.error(request, _service_messages(error))
            return _to_meeting(self.meeting)
        if reminded:
            messages.success(request, "Reminder emailed to " + ", ".join(
                i.name for i in reminded) + ".")
        else:
            messages.info(request, "Everyone emailed has answered: nobody to remind.")
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
        created = invitations.invitations_build(meeting=self.meeting, actor=request.user)
        if created:
            messages.success(request, "Invited: " + ", ".join(
                f"{i.name} ({i.agency})" for i in created) + ". Send their invitations below.")
        gaps = invitations.seat_gaps(self.meeting)
        if gaps:
            messages.warning(request, "Nobody is invited for the standing seat of " + ", ".join(
                str(seat.agency) for seat in gaps) + " (§10.7): the agency has no standing "
                "member, no SPOC and no secure email. Name someone for the seat, or invite "
                "someone for it, under “Standing seats with nobody invited”.")
        elif not created:
            messages.info(request, "Nobody is missing: everyone the rules name is invited.")
        return _to_meeting(self.meeting)


class InvitationAccessMixin(access.ObjectAccessMixin):
    """A page about one invitation (URL kwarg `pk`): 404 unless the user sees the case, then
    403 unless `access_check(user, invitation)`. Sets `self.invitation` and `self.meeting`;
    reading the page is audited against the meeting."""

    selector = selectors.invitation_page
    object_name = "invitation"
    denied_status = 403

    def set_object(self, obj) -> None:
        super().set_object(obj)
        self.meeting = obj.meeting

    def read_object(self):
        return self.meeting

    def audit_case_id(self, obj):
        return self.meeting.nominal_id


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
    submit_class = "govuk-button--warning"

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
            invitations.invitation_withdraw(invitation=self.invitation, actor=request.user)
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

    access_check = access.can_answer

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
        invitation = invitations.invitation_respond(
            invitation=self.invitation, response=form.cleaned_data["response"],
            actor=self.request.user)
        who = "Your" if not self.on_behalf else f"{invitation.name}'s"
        return f"{who} answer is recorded: {invitation.get_response_display().lower()}."
