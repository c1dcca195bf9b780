"""What the meeting pages share: the access to one meeting (404 unless the user sees its
case, 403 unless they may act), the form page about one meeting, the Administrator's
pages, the redirect back to the meeting."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import dateformat, timezone

from jmappa import access
from jmappa.core.views import ServiceFormView

from .. import selectors
from ..models import Meeting, MeetingStatus


def _when(value) -> str:
    return dateformat.format(timezone.localtime(value), "l j F Y, H:i")


def _to_meeting(meeting: Meeting):
    return redirect("meetings:detail", pk=meeting.pk)


def _service_messages(error: ValidationError) -> str:
    return " ".join(error.messages)


class MeetingAccessMixin(access.ObjectAccessMixin):
    """A page about one meeting (URL kwarg `pk`): 404 unless the user sees its case, then
    403 unless `access_check(user, meeting)`. Sets `self.meeting`; reading the page is
    audited against the meeting."""

    selector = selectors.meetings_for
    object_name = "meeting"
    denied_status = 403

    def audit_case_id(self, obj):
        return self.meeting.nominal_id


class ManagerMixin:
    """Placed before the access mixin: the Co-ordinator and Administrators only (403)."""

    access_check = access.for_any(access.can_manage_meetings)


class MeetingFormBase(ServiceFormView):
    """A form about one meeting, on the shared page: the meeting's facts above the form.
    An access mixin before it sets `self.meeting`; back to the meeting."""

    template_name = "meetings/meeting_form.html"
    submit_class = ""

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            meeting=self.meeting, nominal=self.meeting.nominal,
            submit_class=self.submit_class, **kwargs)

    def get_success_url(self) -> str:
        return reverse("meetings:detail", args=[self.meeting.pk])


class MeetingFormView(MeetingAccessMixin, MeetingFormBase):
    pass


def _still_to_be_held(meeting: Meeting) -> str:
    if meeting.status != MeetingStatus.SCHEDULED:
        return (f"This meeting is {meeting.get_status_display().lower()}: this is done only "
                "for a meeting still to be held.")
    return ""


def _form_errors(form) -> list:
    if not form.is_bound or form.is_valid():
        return []
    return [(form[name], message) for name, messages_ in form.errors.items() if name != "__all__"
            for message in messages_]


class ManagerPageMixin(access.RoleRequiredMixin):
    access_check = access.can_manage_meetings
