"""The referrer's pages: the Appendix A form, new or changed, and sending it to the
Co-ordinator."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View

from cases.models import Category, OrderType
from jmappa import access
from jmappa.audit.services import audit_read
from jmappa.core.forms import (
    add_service_errors,
    mark_conflicts,
    stale_merge,
)
from jmappa.core.versioning import StaleEdit

from .. import services
from ..forms import (
    ReferralEditForm,
    ReferralForm,
    agency_formset,
    stored_rows,
)
from ..models import (
    Referral,
    ReferralStatus,
)
from .base import SEND, ReferrerOnlyMixin, _detail, _sent_message

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
