"""The register's write side for the nominal itself: creating and editing the record (with
the duplicate check), archiving and re-activating it. The parts of the record are
record.py; the Co-ordinator's access decisions, access_decisions.py.

Thin views: access from jmappa/access.py (a case the user may not see answers 404; a
case they see but may not change answers 404 too; a role they lack on a case they see,
403), reads from selectors, writes through services. Every page about a case writes one
audit event when read; every write its own (the services do it). After each successful
POST: back to the case page with a message.
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import FormView

from jmappa import access
from jmappa.core.forms import add_service_errors, field_label, mark_conflicts, stale_merge
from jmappa.core.versioning import StaleEdit

from .. import decisions, selectors, services
from ..forms.nominal import NominalCreateForm, NominalEditForm, StatusForm
from ..models import AliasKind, Nominal, Status
from .base import CaseFormView, _case_or_list, _short


class DuplicateCheckMixin:
    """Before saving, the records that may be the same person: a warning listing them, and
    a save only once "This is a different person" is ticked for exactly those records. A
    match the user may not see is not named (neither reference nor id reaches the page):
    they are told one exists, and the Co-ordinator is told which (services)."""

    duplicate_attempt = "adding a new record to the register"

    def duplicate_subject(self, data) -> str:
        """What the user was recording, for the audit trail of the check."""
        born = data["date_of_birth"].isoformat() if data.get("date_of_birth") else "unknown"
        return f"{data['given_names']} {data['family_name']}, born {born}"

    def duplicates_response(self, form, *, exclude_pk=None, aliases=()):
        data = form.cleaned_data
        found = list(selectors.possible_duplicates(
            given_names=data["given_names"], family_name=data["family_name"],
            date_of_birth=data["date_of_birth"], pnc_number=data.get("pnc_number") or "",
            aliases=[a for a in aliases if a], exclude_pk=exclude_pk,
        ))
        if not found:
            return None
        pks = {n.pk for n in found}
        if form.confirms_duplicates(pks):
            return None
        visible = selectors.visible_among(self.request.user, pks)
        hidden = [nominal for nominal in found if nominal.pk not in visible]
        services.duplicate_check_hidden(actor=self.request.user, hidden=hidden,
                                        attempt=self.duplicate_attempt,
                                        subject=self.duplicate_subject(data))
        pnc = (data.get("pnc_number") or "").strip().upper()
        rows = [{
            "reference": nominal.reference, "nominal": nominal,
            "why": "same PNC number" if pnc and nominal.pnc_number.upper() == pnc
            else "same date of birth and a similar name or alias",
        } for nominal in found if nominal.pk in visible]
        # Ask again for these records: a tick given for other records does not count.
        form.data = form.data.copy()
        form.data["duplicates_seen"] = form.duplicates_token(pks)
        form.data.pop("confirm_not_duplicate", None)
        context = self.get_context_data(form=form, duplicates=rows,
                                        hidden_duplicates=bool(hidden),
                                        photo_lost=bool(data.get("photo")))
        return self.render_to_response(context)


class NominalFormMixin:
    template_name = "cases/form_nominal.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs


class NominalCreateView(access.RoleRequiredMixin, NominalFormMixin, DuplicateCheckMixin,
                        FormView):
    access_check = access.can_create_nominal
    form_class = NominalCreateForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title="Add a JMAPPA offender to the register", nominal=None,
                       cancel_url=reverse("cases:list"))
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        response = self.duplicates_response(form, aliases=form.extra_names())
        if response:
            return response
        aliases = [{"name": data["alias_name"].strip(),
                    "kind": data.get("alias_kind") or AliasKind.ALIAS}] \
            if data.get("alias_name", "").strip() else []
        addresses = [{"address": data["address"].strip(), "postcode": data["address_postcode"],
                      "date_from": data["address_from"], "is_current": True}] \
            if data.get("address", "").strip() else []
        user = self.request.user
        try:
            nominal = services.nominal_register(
                actor=user, level=data["level"], level_reason=data["level_reason"],
                aliases=aliases, addresses=addresses, photo=data.get("photo"),
                **form.record_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request,
                         f"{nominal} ({nominal.reference}) is now on the register.")
        return redirect(_case_or_list(user, nominal))


class NominalEditView(access.NominalAccessMixin, NominalFormMixin, DuplicateCheckMixin,
                      FormView):
    access_check = access.can_change_nominal
    form_class = NominalEditForm

    @property
    def duplicate_attempt(self) -> str:
        return f"changing the identity on record {self.nominal.reference}"

    def get_initial(self):
        return {"version": self.nominal.version,
                "opened": NominalEditForm.opened_token(self.nominal)}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: validating the form must not change the record the page is about.
        kwargs["instance"] = copy.copy(self.nominal)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title="Edit the record", nominal=self.nominal,
                       withholding=decisions.where_decided(decisions.WITHHOLDING, self.nominal),
                       cancel_url=reverse("cases:detail", args=[self.nominal.pk]))
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        if form.identity_changed():
            aliases = list(self.nominal.aliases.values_list("name", flat=True))
            response = self.duplicates_response(form, exclude_pk=self.nominal.pk,
                                                aliases=aliases)
            if response:
                return response
        opened = form.opened_nominal() or Nominal.objects.get(pk=self.nominal.pk)
        user = self.request.user
        try:
            nominal = services.nominal_edit(nominal=opened, actor=user, version=data["version"],
                                            photo=data.get("photo"),
                                            remove_photo=bool(data.get("remove_photo")),
                                            **form.record_fields())
        except StaleEdit as stale:
            return self.stale_response(form, stale, opened)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"The record of {nominal} ({nominal.reference}) "
                                       "is saved.")
        return redirect(_case_or_list(user, nominal))

    def stale_response(self, form, stale, opened: Nominal):
        current = stale.current
        data, changes, conflicts = stale_merge(
            form, stale, opened, label=lambda name: field_label(Nominal, name))
        data["opened"] = NominalEditForm.opened_token(current)
        fresh = NominalEditForm(data=data, instance=copy.copy(current), user=self.request.user)
        fresh.is_valid()
        mark_conflicts(fresh, conflicts)
        context = self.get_context_data(form=fresh, stale_changes=changes,
                                        photo_lost=bool(form.cleaned_data.get("photo")))
        return self.render_to_response(context)


class NominalArchiveView(CaseFormView):
    access_check = access.for_any(access.can_archive)
    denied_status = 403
    form_class = StatusForm
    title = "Archive the case"
    intro = ("An archived case is kept, not deleted (§13.3): it leaves the active register and "
             "can be re-activated. Its retention is reviewed at the 100th anniversary of the "
             "person's birth.")
    submit_label = "Archive the case"
    blocked_status = Status.ARCHIVED
    blocked_message = "This case is already archived."

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.nominal.status == self.blocked_status:
            context["blocked"] = self.blocked_message
        return context

    def save(self, form):
        services.nominal_archive(nominal=self.nominal, reason=form.cleaned_data["reason"],
                                 on=form.cleaned_data["on"], actor=self.request.user)
        return f"The case is archived from {_short(form.cleaned_data['on'])}."


class NominalReactivateView(NominalArchiveView):
    title = "Re-activate the case"
    intro = "The case returns to the active register."
    submit_label = "Re-activate the case"
    blocked_status = Status.ACTIVE
    blocked_message = "This case is active: only an archived case can be re-activated."

    def save(self, form):
        services.nominal_reactivate(nominal=self.nominal, reason=form.cleaned_data["reason"],
                                    on=form.cleaned_data["on"], actor=self.request.user)
        return f"The case is active again from {_short(form.cleaned_data['on'])}."
