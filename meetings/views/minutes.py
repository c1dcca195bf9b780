"""The minutes pages: the structured draft, finalising by the Chair, the final minutes with
their versions, corrections, distribution to the SPOCs and the Chair's consent to share.

Thin views: a meeting whose case the user may not see answers 404; one they see but may
not draft, finalise, correct or distribute answers 403. Every page writes one audit event
when read; every write its own (meetings/services/minutes.py, distribution.py).
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View

from jmappa import access
from jmappa.accounts.models import Agency
from jmappa.core.forms import add_service_errors, mark_conflicts, stale_merge
from jmappa.core.versioning import StaleEdit

from .. import selectors
from ..forms.minutes import ConsentForm, CorrectionForm, MinutesForm, information_formset
from ..models import (
    AttendanceMode,
    Distribution,
    InvitationResponse,
    Meeting,
    Minutes,
    MinutesStatus,
    SharingConsent,
)
from ..services import distribution
from ..services import minutes as services

FINALISE = "finalise"


def _names(agencies) -> str:
    return ", ".join(agency.name for agency in agencies)


def _minutes_page(meeting: Meeting):
    return redirect("meetings:minutes", pk=meeting.pk)


class MeetingMinutesMixin(access.ObjectAccessMixin):
    """A page about one meeting's minutes: 404 unless the user sees the meeting's case.
    Sets `self.meeting`; reading the page is audited against the version it shows
    (`read_object`), else the meeting."""

    selector = selectors.minutes_page
    object_name = "meeting"

    def audit_case_id(self, obj):
        return self.meeting.nominal_id

    @property
    def nominal(self):
        return self.meeting.nominal

    @cached_property
    def minutes_only(self) -> bool:
        """Sent the minutes as a SPOC, without seeing the case (§4.2): the versions sent to
        them, and nothing else of the case."""
        return access.reads_minutes_only(self.request.user, self.meeting)

    @cached_property
    def versions(self) -> list[Minutes]:
        versions = Minutes.objects.filter(meeting=self.meeting)
        if self.minutes_only:
            versions = versions.filter(distribution__recipient=self.request.user).distinct()
        versions = list(versions.select_related("drafted_by", "finalised_by")
                        .order_by("-number"))
        for minutes in versions:
            minutes.meeting = self.meeting
        return versions

    def version(self, status: str) -> Minutes | None:
        return next((m for m in self.versions if m.status == status), None)

    @property
    def draft(self) -> Minutes | None:
        return self.version(MinutesStatus.DRAFT)

    @property
    def final(self) -> Minutes | None:
        if self.minutes_only:
            # The latest version they were sent, even if since corrected.
            return self.versions[0] if self.versions else None
        return self.version(MinutesStatus.FINAL)

    @cached_property
    def can_draft(self) -> bool:
        return access.can_draft_minutes(self.request.user, self.meeting)

    @cached_property
    def can_finalise(self) -> bool:
        return access.can_finalise_minutes(self.request.user, self.meeting)

    @cached_property
    def can_distribute(self) -> bool:
        return access.can_manage_meetings(self.request.user)

    @cached_property
    def invitations(self) -> list:
        """The invitations not withdrawn, by agency."""
        return list(self.meeting.invitations.filter(withdrawn_at__isnull=True)
                    .select_related("agency").order_by("agency__name", "name"))

    def base_context(self, **extra) -> dict:
        meeting = self.meeting
        invitations = self.invitations
        attendance = list(meeting.attendance.select_related("agency", "attendee"))
        return {
            "meeting": meeting, "nominal": meeting.nominal, "versions": self.versions,
            "draft": self.draft, "final": self.final,
            "can_draft": self.can_draft, "can_finalise": self.can_finalise,
            "can_distribute": self.can_distribute,
            "invitations": invitations,
            "present": [row for row in attendance if row.mode != AttendanceMode.ABSENT],
            "absent": [row for row in attendance if row.mode == AttendanceMode.ABSENT],
            "apologies": [invitation for invitation in invitations
                          if invitation.response == InvitationResponse.APOLOGIES],
            "attendance_recorded": bool(attendance),
            "meeting_url": "" if self.minutes_only else _url("meetings:detail", meeting.pk),
            "minutes_only": self.minutes_only,
            **extra,
        }

    def render_read(self, minutes: Minutes):
        """One version of the minutes, read-only, with the distribution log, the consents
        and the other versions."""
        if minutes.status == MinutesStatus.DRAFT:
            plan = services.plan_snapshot(services.plan_actions(self.meeting))
        else:
            plan = minutes.plan_snapshot
        plan = services.plan_rows(plan)
        meeting_minutes = Minutes.objects.filter(meeting=self.meeting)
        context = self.base_context(
            title=f"Minutes, version {minutes.number}", minutes=minutes,
            information=list(minutes.information.select_related("agency")), plan=plan,
            plan_url="" if self.minutes_only else _url("plans:plan", self.nominal.pk),
            distribution=list(Distribution.objects.filter(minutes__in=meeting_minutes)
                              .select_related("agency", "recipient", "sent_by", "minutes")),
            consents=list(SharingConsent.objects.filter(minutes__in=meeting_minutes)
                          .select_related("consented_by", "minutes")),
            latest_review=services.review_limit(minutes),
            is_current=minutes.status == MinutesStatus.FINAL,
        )
        self.template_name = "meetings/minutes/read.html"
        return self.render_to_response(context)


class MinutesView(MeetingMinutesMixin, TemplateView):
    """GET: the draft as the structured form (for those who draft it), otherwise the final
    minutes. POST: save the draft, and for the Chair, finalise it."""

    def read_object(self):
        if self.draft is not None and self.can_draft:
            return self.draft
        return self.final or self.meeting

    def get(self, request, *args, **kwargs):
        draft, final = self.draft, self.final
        if draft is not None and self.can_draft:
            return self.render_edit(self.edit_form(draft), self.formset(draft))
        if final is not None:
            return self.render_read(final)
        return self.render_none()

    # -- no minutes yet --

    def render_none(self):
        context = self.base_context(title="Minutes")
        self.template_name = "meetings/minutes/none.html"
        return self.render_to_response(context)

    # -- the draft --

    @cached_property
    def actions(self) -> list:
        return list(services.plan_actions(self.meeting))

    @cached_property
    def agencies(self) -> list[Agency]:
        return list(Agency.objects.filter(is_active=True).order_by("name"))

    def stored_information(self, minutes: Minutes) -> list[dict]:
        return [{"agency": row.agency, "information": row.information}
                for row in minutes.information.select_related("agency")]

    def edit_form(self, draft: Minutes, data=None) -> MinutesForm:
        initial = {"version": draft.version,
                   "opened": MinutesForm.opened_token(draft, self.stored_information(draft))}
        # A copy: validating the form must not change the draft the page is about.
        return MinutesForm(data, initial=initial, instance=copy.copy(draft),
                           latest_review=services.review_limit(draft))

    def formset(self, draft: Minutes, data=None, stored: list[dict] | None = None):
        invited = [invitation.agency for invitation in self.invitations]
        if stored is None:
            stored = self.stored_information(draft)
        return information_formset(data, stored=stored, invited=invited,
                                   agencies=self.agencies)

    def render_edit(self, form, formset, **extra):
        draft = self.draft
        problems = services.finalise_problems(draft, self.actions)
        refused = extra.get("refused", [])
        context = self.base_context(
            title=f"Minutes, version {draft.number} (draft)", minutes=draft, form=form,
            formset=formset, plan=services.plan_rows(services.plan_snapshot(self.actions)),
            plan_url="" if self.minutes_only else _url("plans:plan", self.nominal.pk),
            action_add_url=_url("plans:action_add", self.nominal.pk)
            if access.can_change_plan(self.request.user, self.nominal) else "",
            statement=draft.confidentiality_statement,
            still_needed=[message for field_messages in problems.values()
                          for message in field_messages],
            plan_refused=any(anchor == "plan" for anchor, _ in refused),
            **extra)
        self.template_name = "meetings/minutes/edit.html"
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        if not self.can_draft:
            raise PermissionDenied
        draft = self.draft
        if draft is None:
            messages.error(request, "There is no draft to save: the minutes are final. The "
                                    "Chair can correct them in a new version.")
            return _minutes_page(self.meeting)
        finalising = request.POST.get("action") == FINALISE
        if finalising and not self.can_finalise:
            raise PermissionDenied
        form = self.edit_form(draft, request.POST)
        formset = self.formset(draft, request.POST)
        form_valid, rows_valid = form.is_valid(), formset.is_valid()
        if not (form_valid and rows_valid):
            if not rows_valid:
                form.add_error(None, "Check the rows of information shared, marked below.")
            return self.render_edit(form, formset)
        opened = form.opened_minutes() or Minutes.objects.get(pk=draft.pk)
        try:
            saved = services.minutes_update(
                minutes=opened, actor=request.user, version=form.cleaned_data["version"],
                information=formset.rows(), **form.minutes_fields())
        except StaleEdit as stale:
            return self.stale_response(form, formset, stale, opened)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_edit(form, formset)
        if not finalising:
            messages.success(request, f"The draft minutes (version {saved.number}) are saved.")
            return _minutes_page(self.meeting)
        try:
            final = services.minutes_finalise(minutes=saved, actor=request.user)
        except ValidationError as error:
            return self.refused(saved, formset, error)
        messages.success(request, f"The minutes are final (version {final.number}) and "
                                  "locked. The case's risk of serious harm, level and next "
                                  "review are updated.")
        return _minutes_page(self.meeting)

    def refused(self, saved: Minutes, formset, error: ValidationError):
        """The Chair asked to finalise, but something is missing: what they typed is saved;
        every reason is listed, each beside its field."""
        saved.meeting = self.meeting
        self.versions[:] = [saved if m.pk == saved.pk else m for m in self.versions]
        data = self.request.POST.copy()
        data["version"] = str(saved.version)
        data["opened"] = MinutesForm.opened_token(saved, self.stored_information(saved))
        form = self.edit_form(saved, data)
        form.is_valid()
        reasons = []
        for name, field_messages in error.message_dict.items():
            for message in field_messages:
                anchor = form[name].auto_id if name in form.fields else "plan"
                reasons.append((anchor, message))
                if name in form.fields:
                    form.add_error(name, message)
        return self.render_edit(form, formset, refused=reasons)

    def stale_response(self, form, formset, stale: StaleEdit, opened: Minutes):
        current = stale.current
        current.meeting = self.meeting
        data, changes, conflicts = stale_merge(form, stale, opened)
        stored = self.stored_information(current)
        as_stored = [[row["agency"].pk, row["information"]] for row in stored]
        typed = [[row["agency"].pk, row["information"]] for row in formset.rows()]
        opened_rows = form.opened_information()
        if opened_rows is not None and as_stored != opened_rows:
            changes.append(("Information shared by each agency",
                            "; ".join(f"{row['agency']}: {row['information']}"
                                      for row in stored) or "(none)"))
            if typed == opened_rows:
                # Untouched here: the rows take what the other person saved.
                formset = self.formset(current, stored=stored)
        data["opened"] = MinutesForm.opened_token(current, stored)
        fresh = self.edit_form(current, data)
        fresh.is_valid()
        mark_conflicts(fresh, conflicts)
        return self.render_edit(fresh, formset, stale_changes=changes)


def _url(name: str, pk: int) -> str:
    """The address of a page of the case or the meeting, or "" where there is none."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


class ReadView(MeetingMinutesMixin, TemplateView):
    """One version of the minutes, read-only: any final or superseded version for whoever
    sees the case; a draft only for those who draft it."""

    def read_object(self):
        """The version named in the address: 404 if there is none, 403 if it is a draft the
        user may not draft."""
        minutes = next((m for m in self.versions if m.number == self.kwargs["number"]), None)
        if minutes is None:
            raise Http404
        if minutes.status == MinutesStatus.DRAFT and not self.can_draft:
            raise PermissionDenied
        return minutes

    def get(self, request, *args, **kwargs):
        return self.render_read(self.read_object())


class StartView(MeetingMinutesMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not self.can_draft:
            raise PermissionDenied
        try:
            services.minutes_start(meeting=self.meeting, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return _minutes_page(self.meeting)


class ChairFormView(MeetingMinutesMixin, TemplateView):
    """A short form about the final minutes that only the meeting's Chair fills in."""

    template_name = "meetings/minutes/form_page.html"
    form_class = None
    title = intro = submit_label = ""

    def turn_away(self):
        # Only the pages themselves are refused: other methods answer as Django does.
        if self.request.method in ("GET", "HEAD", "POST"):
            return self.check()
        return None

    def read_object(self):
        return self.final

    def check(self):
        if not self.can_finalise:
            raise PermissionDenied
        if self.final is None:
            messages.error(self.request, "There are no final minutes yet: the Chair "
                                         "finalises them first.")
            return _minutes_page(self.meeting)
        return None

    def render_form(self, form):
        context = self.base_context(title=self.title, intro=self.intro, form=form,
                                    submit_label=self.submit_label, minutes=self.final)
        return self.render_to_response(context)

    def get(self, request, *args, **kwargs):
        return self.render_form(self.form_class())

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if form.is_valid():
            try:
                message = self.save(form)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, message)
                return _minutes_page(self.meeting)
        return self.render_form(form)

    def save(self, form) -> str:
        raise NotImplementedError


class CorrectView(ChairFormView):
    form_class = CorrectionForm
    title = "Correct the final minutes"
    intro = ("The final minutes stay as they are; the correction is a new version, drafted "
             "from them. Once you finalise it, it replaces them, and both are kept.")
    submit_label = "Start the correction"

    def check(self):
        blocked = super().check()
        if blocked is None and self.draft is not None:
            messages.info(self.request, "A correction is already being drafted: it is below.")
            return _minutes_page(self.meeting)
        return blocked

    def save(self, form):
        correction = services.minutes_correct(minutes=self.final, actor=self.request.user,
                                              reason=form.cleaned_data["reason"])
        return (f"Version {correction.number} is drafted from the final minutes. Make the "
                "correction, then finalise it.")


class ConsentView(ChairFormView):
    form_class = ConsentForm
    title = "Consent to share the minutes"
    intro = ("The minutes go to the invited agencies through their SPOCs. Sharing them with "
             "anyone else needs your recorded consent as Chair.")
    submit_label = "Record my consent"

    def save(self, form):
        consent = distribution.sharing_consent_record(
            minutes=self.final, actor=self.request.user,
            recipient=form.cleaned_data["recipient"], purpose=form.cleaned_data["purpose"],
            third_party=form.cleaned_data["third_party"])
        return f"Your consent to share the minutes with {consent.recipient} is recorded."


class DistributeView(MeetingMinutesMixin, View):
    """The Administrator sends the final minutes to each invited agency's SPOC."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not self.can_distribute:
            raise PermissionDenied
        final = self.final
        if final is None:
            messages.error(request, "Only final minutes are distributed: the Chair finalises "
                                    "them first.")
            return _minutes_page(self.meeting)
        result = distribution.minutes_distribute(minutes=final, actor=request.user)
        if result.sent:
            messages.success(request, "Sent to the SPOC of " + _names(
                row.agency for row in result.sent) + ".")
        if result.already_sent:
            messages.info(request, "Already sent to " + _names(result.already_sent) + ".")
        if result.without_spoc:
            messages.warning(request, "Not sent to " + _names(result.without_spoc) + ": no "
                                      "SPOC is recorded for them. Ask the agency to name one, "
                                      "then distribute again.")
        if not (result.sent or result.already_sent or result.without_spoc):
            messages.warning(request, "No agency was invited to this meeting: there is nobody "
                                      "to send the minutes to.")
        return _minutes_page(self.meeting)
