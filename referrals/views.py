"""The referral pages: the Appendix A form, the referral page, the lists and the
Co-ordinator's screening (§10.4).

Thin views: access from jmappa/access.py (a referral the user may not see answers 404; one
they see but may not change or screen answers 403, or, for the referrer of a referral no
longer theirs to change, a message on the referral page), reads from selectors, writes
through services. Every page about a referral writes one audit event when read.
"""

from __future__ import annotations

import copy
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView, View

from cases import selectors as case_selectors
from cases.models import Category, OrderType
from jmappa import access
from jmappa.audit.services import audit_read
from jmappa.core.dates import long_day
from jmappa.core.forms import (
    add_service_errors,
    mark_conflicts,
    stale_merge,
)
from jmappa.core.versioning import StaleEdit
from jmappa.workdays import working_days_between

from . import selectors, services
from .forms import (
    AcceptForm,
    ConfirmLevel1Form,
    ReferralEditForm,
    ReferralFilterForm,
    ReferralForm,
    RejectForm,
    RequestInfoForm,
    agency_formset,
    stored_rows,
)
from .models import (
    AWAITING_MEETING_STATUSES,
    OPEN_STATUSES,
    SEX_OFFENDER_MESSAGE,
    Referral,
    ReferralStatus,
)
from .services import CONFIRMED_CATEGORIES

SEND = "send"



def _detail(referral: Referral):
    return redirect("referrals:detail", pk=referral.pk)


def countdown(referral: Referral, today: date) -> dict | None:
    """Working days left until the meeting is due, or overdue, while it is awaited."""
    if referral.meeting_due_by is None or referral.status not in AWAITING_MEETING_STATUSES:
        return None
    days = working_days_between(today, referral.meeting_due_by)
    return {"days": abs(days), "overdue": referral.meeting_due_by < today,
            "today": referral.meeting_due_by == today}


def _sent_message(referral: Referral) -> str:
    text = (f"Referral {referral.reference} is sent to the JMAPPA Co-ordinator. The meeting "
            f"is due by {long_day(referral.meeting_due_by)}.")
    if referral.is_emergency:
        text += " It is marked as an emergency: the Co-ordinator is told at once."
    return text


# -- the referrer: the Appendix A form ---------------------------------------------------------


class ReferralFormMixin:
    """The form page shared by a new referral and a change to one. After saving, "Save and
    send" sends it; if the Co-ordinator would still miss something, the draft is kept and
    the form comes back with each missing thing beside its field."""

    template_name = "referrals/referral_form.html"
    referral: Referral | None = None

    def render_form(self, form, formset, **extra):
        context = {
            "form": form, "formset": formset, "referral": self.referral,
            "nominal": form.initial.get("nominal_record") or (
                self.referral.nominal if self.referral else None),
            "title": self.title(), "cancel_url": self.cancel_url(),
            "today": timezone.localdate(), **extra,
        }
        return self.render_to_response(context)

    def title(self) -> str:
        raise NotImplementedError

    def cancel_url(self) -> str:
        raise NotImplementedError

    def saved(self, referral: Referral):
        """After a save: send it if asked, else back to the referral page."""
        if self.request.POST.get("action") != SEND:
            state = "draft" if referral.status == ReferralStatus.DRAFT else "referral"
            messages.success(self.request, f"Your {state} {referral.reference} is saved. It "
                                           "is not yet sent to the JMAPPA Co-ordinator.")
            return _detail(referral)
        return send(self.request, referral)


def _valid(form, formset) -> bool:
    """Both valid; a mistake in a row of agencies is listed in the form's error summary."""
    form_valid, rows_valid = form.is_valid(), formset.is_valid()
    if not rows_valid:
        form.add_error("agencies", "Check the rows marked below.")
    return form_valid and rows_valid


def send(request, referral: Referral, version: int | None = None):
    try:
        referral = services.referral_submit(referral=referral, actor=request.user,
                                            version=version)
    except StaleEdit:
        messages.error(request, "Someone changed this referral since you opened it: check "
                                "it, then send it again.")
        return _detail(referral)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            messages.error(request, " ".join(error.messages))
            return _detail(referral)
        messages.warning(request, f"{referral.reference} is saved as a draft but not yet sent: "
                                  "the JMAPPA Co-ordinator needs what is marked below. Add it, "
                                  "then send the referral again.")
        return redirect(reverse("referrals:edit", args=[referral.pk]) + "?check=1")
    messages.success(request, _sent_message(referral))
    return _detail(referral)


class ReferralCreateView(access.RoleRequiredMixin, ReferralFormMixin, TemplateView):
    """A new referral: a draft of the user's agency, about one of their cases if they start
    from it (`?nominal=`)."""

    access_check = access.can_refer

    @cached_property
    def nominal(self):
        pk = self.request.GET.get("nominal")
        return access.get_nominal_or_404(self.request.user, pk) if pk else None

    def title(self) -> str:
        return "Refer a case to a level 2 or 3 meeting"

    def cancel_url(self) -> str:
        if self.nominal is not None:
            return reverse("cases:detail", args=[self.nominal.pk])
        return reverse("referrals:list")

    def initial(self) -> dict:
        user = self.request.user
        agency = user.agency
        initial = {
            "lead_agency": agency, "contact_name": user.get_full_name(),
            "contact_telephone": user.phone or agency.phone, "contact_email": user.email,
            "contact_address": agency.address,
        }
        if self.nominal is not None:
            initial.update(_from_case(self.nominal))
        return initial

    def get(self, request, *args, **kwargs):
        form = ReferralForm(initial=self.initial(), user=request.user)
        if self.nominal is not None:
            audit_read(actor=request.user, obj=self.nominal, case_id=self.nominal.pk)
        return self.render_form(form, agency_formset())

    def post(self, request, *args, **kwargs):
        form = ReferralForm(request.POST, initial=self.initial(), user=request.user)
        formset = agency_formset(request.POST)
        if not _valid(form, formset):
            return self.render_form(form, formset)
        try:
            referral = services.referral_create(actor=request.user, agencies=formset.rows(),
                                                **form.referral_fields())
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(form, formset)
        return self.saved(referral)


def _from_case(nominal) -> dict:
    """What the case record already says, for a referral about it."""
    current = next((a for a in nominal.addresses.all() if a.is_current), None)
    supervision = {OrderType.SUPERVISION: "supervision", OrderType.LICENCE: "licence"}
    initial = {
        "nominal": nominal.pk, "nominal_record": nominal,
        "given_names": nominal.given_names, "family_name": nominal.family_name,
        "date_of_birth": nominal.date_of_birth,
        "aliases": "\n".join(alias.name for alias in nominal.aliases.all()),
        "address": current.address if current else "",
        "prison_number": nominal.prison_number, "pnc_number": nominal.pnc_number,
        "conviction": nominal.index_offence, "custody_status": nominal.custody_status,
        "earliest_release_date": nominal.earliest_release_date,
        "temporary_release_date": nominal.temporary_release_date,
        "supervision_type": supervision.get(nominal.order_type, ""),
    }
    if initial["supervision_type"]:
        initial.update(supervision_start=nominal.order_start,
                       supervision_end=nominal.order_end)
    if nominal.category != Category.UNKNOWN:
        initial["category_proposed"] = nominal.category
    return initial


class ReferralAccessMixin(access.LoginRequiredMixin):
    """A page about one referral: 404 unless the user sees it. Sets `self.referral`."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.referral = access.get_referral_or_404(
            request.user, kwargs["pk"], selectors.referral_page(request.user))
        return self.check(request) or super().dispatch(request, *args, **kwargs)

    def check(self, request):
        return None

    def audit_read(self) -> None:
        audit_read(actor=self.request.user, obj=self.referral,
                   case_id=self.referral.nominal_id)


class ReferrerOnlyMixin(ReferralAccessMixin):
    """Only the referrer changes or sends their referral, while it is theirs: anyone else
    who sees it is refused (403); the referrer of one already sent is told why."""

    def check(self, request):
        referral = self.referral
        if access.can_edit_referral(request.user, referral):
            return None
        if referral.referred_by_id != request.user.pk:
            raise PermissionDenied
        messages.warning(request, f"This referral is {referral.get_status_display().lower()}: "
                                  "it can no longer be changed. Ask the JMAPPA Co-ordinator "
                                  "if something in it is wrong.")
        return _detail(referral)


class ReferralEditView(ReferrerOnlyMixin, ReferralFormMixin, TemplateView):
    """A draft, or a referral sent back for more information, changed by its referrer. A
    save over someone else's is refused with what they changed; nothing typed is lost."""

    def title(self) -> str:
        return f"Edit referral {self.referral.reference}"

    def cancel_url(self) -> str:
        return reverse("referrals:detail", args=[self.referral.pk])

    @cached_property
    def rows(self) -> list[dict]:
        return stored_rows(self.referral)

    def edit_form(self, data=None) -> ReferralEditForm:
        initial = {"version": self.referral.version,
                   "opened": ReferralEditForm.opened_token(self.referral, self.rows)}
        # A copy: validating the form must not change the referral the page is about.
        return ReferralEditForm(data, initial=initial, instance=copy.copy(self.referral),
                                user=self.request.user)

    def get(self, request, *args, **kwargs):
        self.audit_read()
        form, formset = self.edit_form(), agency_formset(rows=self.rows)
        if request.GET.get("check"):
            self.show_what_is_missing(form)
        return self.render_form(form, formset)

    def show_what_is_missing(self, form) -> None:
        """What the Co-ordinator still needs, beside each field of the form as stored."""
        missing = services.submission_errors(self.referral, self.rows)
        form.errors  # noqa: B018 — an unbound form has none of its own
        form.cleaned_data = {}
        for name, message in missing.items():
            form.add_error(name if name in form.fields else None, message)

    def post(self, request, *args, **kwargs):
        form, formset = self.edit_form(request.POST), agency_formset(request.POST)
        if not _valid(form, formset):
            return self.render_form(form, formset)
        opened = form.opened_referral() or Referral.objects.get(pk=self.referral.pk)
        try:
            referral = services.referral_update(
                referral=opened, actor=request.user, version=form.cleaned_data["version"],
                agencies=formset.rows(), **form.referral_fields())
        except StaleEdit as stale:
            return self.stale_response(form, formset, stale, opened)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_form(form, formset)
        return self.saved(referral)

    def stale_response(self, form, formset, stale, opened: Referral):
        current = stale.current
        data, changes, conflicts = stale_merge(form, stale, opened)
        current_rows = stored_rows(current)
        if _comparable(current_rows) != _comparable(form.opened_agencies() or []):
            changes.append(("Agencies to be involved", "changed: check the list below"))
        data["opened"] = ReferralEditForm.opened_token(current, current_rows)
        fresh = ReferralEditForm(data, instance=copy.copy(current), user=self.request.user)
        fresh.is_valid()
        mark_conflicts(fresh, conflicts)
        return self.render_form(fresh, formset, stale_changes=changes)


def _comparable(rows: list[dict]) -> list[tuple]:
    return sorted(tuple(str(getattr(value, "pk", value) or "") for value in row.values())
                  for row in rows)


class ReferralSubmitView(ReferrerOnlyMixin, View):
    """"Send to the Co-ordinator" from the referral page."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = request.POST.get("version", "")
        return send(request, self.referral, int(version) if version.isdigit() else None)


# -- reading -----------------------------------------------------------------------------------


class ReferralListView(access.LoginRequiredMixin, ListView):
    """The referrals the user may see: their agency's, and those sent about their cases."""

    template_name = "referrals/referral_list.html"
    context_object_name = "referrals"
    paginate_by = 50

    @cached_property
    def filter_form(self) -> ReferralFilterForm:
        return ReferralFilterForm(self.request.GET)

    def get_queryset(self):
        form = self.filter_form
        status = form.cleaned_data.get("status") if form.is_valid() else None
        return selectors.referral_list(self.request.user, status=status or None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(filter_form=self.filter_form, query_string=query.urlencode(),
                       can_refer=access.can_refer(self.request.user),
                       can_screen=access.can_screen_referrals(self.request.user))
        return context


class ScreeningQueueView(access.RoleRequiredMixin, ListView):
    """The Co-ordinator's queue: waiting referrals, the meeting due first at the top."""

    access_check = access.can_screen_referrals
    template_name = "referrals/screening_queue.html"
    context_object_name = "referrals"
    paginate_by = 50

    def get_queryset(self):
        return selectors.screening_queue(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context["rows"] = [(referral, countdown(referral, today))
                           for referral in context["referrals"]]
        context["today"] = today
        return context


class ReferralDetailView(ReferralAccessMixin, TemplateView):
    """The referral as Appendix A lays it out, with where it stands and its history."""

    template_name = "referrals/referral_detail.html"

    def get(self, request, *args, **kwargs):
        self.audit_read()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        referral, user = self.referral, self.request.user
        today = timezone.localdate()
        screening = access.can_screen_referrals(user) and referral.status in OPEN_STATUSES
        context.update(
            referral=referral, today=today, countdown=countdown(referral, today),
            can_edit=access.can_edit_referral(user, referral),
            can_view_victims=access.can_view_referral_victims(user, referral),
            case_visible=referral.nominal_id is not None
            and access.can_view_nominal(user, referral.nominal),
            screening=screening,
            sex_offender_message=SEX_OFFENDER_MESSAGE,
            # Accepted: the Co-ordinator or an Administrator arranges its meeting.
            can_arrange=referral.status == ReferralStatus.ACCEPTED
            and access.can_manage_meetings(user),
            meetings=list(referral.meetings.all()),
        )
        if screening:
            context["matches"] = _matches(user, referral)
        return context


def _matches(user, referral: Referral) -> list[dict]:
    """Records that may be the referral's subject, each with a link if the user sees it."""
    found = list(selectors.possible_matches(referral))
    visible = case_selectors.visible_among(user, [n.pk for n in found])
    pnc = referral.pnc_number.strip().upper()
    return [{"nominal": n, "visible": n.pk in visible,
             "why": "same PNC number" if pnc and n.pnc_number.upper() == pnc
             else "same date of birth and a similar name or alias"} for n in found]


# -- the Co-ordinator's screening decisions -----------------------------------------------------


class DecisionView(ReferralAccessMixin, FormView):
    """One screening decision: the referral must be visible (else 404), and the user the
    Co-ordinator (else 403). After deciding: back to the queue with a message."""

    template_name = "referrals/decision_form.html"
    title = ""
    intro = ""
    submit_label = ""
    submit_class = "btn-primary"

    def check(self, request):
        if not access.can_screen_referrals(request.user):
            raise PermissionDenied
        return None

    def blocked(self) -> str:
        """Why this decision cannot be taken on this referral, if it cannot."""
        referral = self.referral
        if referral.status not in OPEN_STATUSES:
            return (f"This referral is {referral.get_status_display().lower()}: it has "
                    "already been screened.")
        return ""

    def get(self, request, *args, **kwargs):
        self.audit_read()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.blocked():
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    @cached_property
    def matches(self) -> list[dict]:
        if "record" not in self.form_class.base_fields:
            return []
        return _matches(self.request.user, self.referral)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(referral=self.referral, matches=[m["nominal"] for m in self.matches])
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        context.update(referral=self.referral, title=self.title, intro=self.intro,
                       submit_label=self.submit_label, blocked=self.blocked(),
                       matches=self.matches, today=today,
                       countdown=countdown(self.referral, today),
                       record_choice="record" in context["form"].fields)
        return context

    def decide(self, form) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.decide(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect("referrals:screening")


class SexOffenderBlockMixin:
    """Rejecting, or confirming level 1 management, is not open for a sex offender."""

    def blocked(self) -> str:
        if self.referral.status in OPEN_STATUSES and self.referral.is_sex_offender:
            return SEX_OFFENDER_MESSAGE
        return super().blocked()


def _record_words(referral: Referral) -> str:
    nominal = referral.nominal
    return f"{nominal} ({nominal.reference})" if nominal else "the record"


class AcceptView(DecisionView):
    form_class = AcceptForm
    template_name = "referrals/decision_accept.html"
    title = "Accept for a level 2 or 3 meeting"
    intro = ("The case meets the threshold: a level 2 or 3 meeting is arranged by the "
             "meeting-due date. The offender's record is linked, or created, at the level "
             "and category agreed, and the referrer joins the case team.")
    submit_label = "Accept the referral"

    def get_initial(self):
        referral = self.referral
        initial = {"level": referral.level_proposed}
        if referral.category_proposed in CONFIRMED_CATEGORIES:
            initial["category"] = referral.category_proposed
        return initial

    def decide(self, form):
        referral = services.referral_accept(referral=self.referral, actor=self.request.user,
                                            **form.decision())
        return (f"{referral.reference} accepted for a {referral.get_level_agreed_display()} "
                f"meeting, due by {long_day(referral.meeting_due_by)}; linked to "
                f"{_record_words(referral)}. The referrer is told.")


class RejectView(SexOffenderBlockMixin, DecisionView):
    form_class = RejectForm
    title = "Reject the referral"
    intro = ("The case does not meet the eligibility criteria. The rejection is recorded and "
             "the referring agency is told why (§3.5).")
    submit_label = "Reject the referral"
    submit_class = "btn-danger"

    def decide(self, form):
        referral = services.referral_reject(referral=self.referral, actor=self.request.user,
                                            reason=form.cleaned_data["reason"])
        return f"{referral.reference} rejected. The referring agency is told why."


class RequestInfoView(DecisionView):
    form_class = RequestInfoForm
    title = "Ask the referrer for more information"
    intro = ("The referral goes back to the referrer, who can change it and send it again. "
             "The meeting-due date keeps running from the day it was first received.")
    submit_label = "Send the request"

    def blocked(self) -> str:
        if self.referral.status == ReferralStatus.INFO_REQUESTED:
            return ("More information has already been asked for: the referral is with the "
                    "referrer until they send it again.")
        return super().blocked()

    def decide(self, form):
        referral = services.referral_request_info(referral=self.referral,
                                                  actor=self.request.user,
                                                  note=form.cleaned_data["note"])
        return f"{referral.reference} is back with the referrer, with your request."


class ConfirmLevel1View(SexOffenderBlockMixin, DecisionView):
    form_class = ConfirmLevel1Form
    title = "Confirm level 1 management"
    intro = ("No JMAPP meeting is needed: the lead agency manages the case at level 1 and "
             "arranges a multi-agency case management discussion (§10.3).")
    submit_label = "Confirm level 1 management"

    def get_initial(self):
        if self.referral.category_proposed in (Category.TWO, Category.PDP):
            return {"category": self.referral.category_proposed}
        return {}

    def decide(self, form):
        referral = services.referral_confirm_level_1(referral=self.referral,
                                                     actor=self.request.user,
                                                     **form.decision())
        return (f"{referral.reference}: level 1 management confirmed; linked to "
                f"{_record_words(referral)}. The lead agency is told.")
