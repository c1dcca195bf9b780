"""The register's write side: creating and editing a nominal, and each part of the record.

Thin views: access from jmappa/access.py (a case the user may not see answers 404; a
case they see but may not change answers 404 too; a role they lack on a case they see,
403), reads from selectors, writes through services. Every page about a case writes one
audit event when read; every write its own (the services do it). After each successful
POST: back to the case page with a message.
"""

from __future__ import annotations

import copy
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from jmappa import access
from jmappa.audit.models import Action
from jmappa.audit.services import audit_log, audit_read
from jmappa.core.forms import (
    add_service_errors,
    field_label,
    mark_conflicts,
    stale_merge,
)
from jmappa.core.versioning import StaleEdit

from . import selectors, services
from .forms import (
    CONSTRAINT_MESSAGES,
    TEAM_ROLES_ON_THE_RECORD,
    AddressForm,
    AliasForm,
    DeviationForm,
    ExclusionForm,
    LevelForm,
    NominalCreateForm,
    NominalEditForm,
    RestrictForm,
    RiskAssessmentForm,
    RoshForm,
    StatusForm,
    TeamEndForm,
    TeamMemberForm,
    TransferForm,
    VictimForm,
)
from .models import AliasKind, Exclusion, NamedAccess, Nominal, Status, TeamMember, Transfer


def _case_or_list(user, nominal: Nominal) -> str:
    """The case page, or the list if this very change took the case out of the user's sight."""
    if access.can_view_nominal(user, nominal):
        return reverse("cases:detail", args=[nominal.pk])
    return reverse("cases:list")


def _short(day: date) -> str:
    return dateformat.format(day, "j M Y")


class RoleOnCaseMixin:
    """Placed after NominalAccessMixin: the case is visible (else 404), and the role is
    needed on top of it (else 403: the user already knows the case exists)."""

    role_check = None

    def dispatch(self, request, *args, **kwargs):
        check = type(self).role_check
        if check is not None and not check(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class CaseFormView(access.NominalAccessMixin, RoleOnCaseMixin, FormView):
    """A form about one case that the user may change. `save(form)` calls the service and
    returns the success message; a ValidationError from it lands beside the fields."""

    require_change = True
    template_name = "cases/form_page.html"
    title = ""
    intro = ""
    submit_label = "Save"

    def get(self, request, *args, **kwargs):
        self.audit_read()
        return super().get(request, *args, **kwargs)

    def audit_read(self) -> None:
        audit_read(actor=self.request.user, obj=self.nominal, case_id=self.nominal.pk)

    def get_title(self) -> str:
        return self.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(nominal=self.nominal, title=self.get_title(), intro=self.intro,
                       submit_label=self.submit_label)
        return context

    def save(self, form) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            message = self.save(form)
        except ValidationError as error:
            add_service_errors(form, error, CONSTRAINT_MESSAGES)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(_case_or_list(self.request.user, self.nominal))


# -- the nominal -----------------------------------------------------------------------------


class DuplicateCheckMixin:
    """Before saving, the records that may be the same person: a warning listing them, and
    a save only once "This is a different person" is ticked for exactly those records."""

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
        if data.get("confirm_not_duplicate") and pks <= form.seen_duplicates():
            return None
        visible = selectors.visible_among(self.request.user, pks)
        pnc = (data.get("pnc_number") or "").strip().upper()
        rows = []
        for nominal in found:
            row = {"reference": nominal.reference, "nominal": None}
            if nominal.pk in visible:
                row.update(
                    nominal=nominal,
                    why="same PNC number" if pnc and nominal.pnc_number.upper() == pnc
                    else "same date of birth and a similar name or alias",
                )
            rows.append(row)
        # Ask again for these records: a tick given for other records does not count.
        form.data = form.data.copy()
        form.data["duplicates_seen"] = ",".join(str(pk) for pk in sorted(pks))
        form.data.pop("confirm_not_duplicate", None)
        context = self.get_context_data(form=form, duplicates=rows,
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
            add_service_errors(form, error, CONSTRAINT_MESSAGES)
            return self.form_invalid(form)
        messages.success(self.request,
                         f"{nominal} ({nominal.reference}) is now on the register.")
        return redirect(_case_or_list(user, nominal))


class NominalEditView(access.NominalAccessMixin, NominalFormMixin, DuplicateCheckMixin,
                      FormView):
    require_change = True
    form_class = NominalEditForm

    def get(self, request, *args, **kwargs):
        audit_read(actor=request.user, obj=self.nominal, case_id=self.nominal.pk)
        return super().get(request, *args, **kwargs)

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
        context.update(title=f"Edit the record of {self.nominal}", nominal=self.nominal,
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
            add_service_errors(form, error, CONSTRAINT_MESSAGES)
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
    require_change = False
    role_check = access.can_archive
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


# -- parts of the record ---------------------------------------------------------------------


class AliasAddView(CaseFormView):
    form_class = AliasForm
    title = "Add an alias"
    submit_label = "Add the alias"

    def save(self, form):
        alias = services.alias_add(nominal=self.nominal, actor=self.request.user,
                                   **form.cleaned_data)
        return f"Alias “{alias.name}” added."


class AddressAddView(CaseFormView):
    form_class = AddressForm
    title = "Add an address"
    submit_label = "Add the address"

    def save(self, form):
        services.address_add(nominal=self.nominal, actor=self.request.user,
                             **form.cleaned_data)
        if form.cleaned_data["is_current"]:
            return "Address added as the current address; the previous one is now past."
        return "Address added."


class LevelSetView(CaseFormView):
    form_class = LevelForm
    title = "Change the management level"
    intro = "Cases are managed at the lowest level that fits (§9)."
    submit_label = "Record the level"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["nominal"] = self.nominal
        return kwargs

    def get_initial(self):
        from .models import Level

        return {"level": self.nominal.level} if self.nominal.level != Level.UNKNOWN else {}

    def save(self, form):
        data = form.cleaned_data
        change = services.nominal_set_level(nominal=self.nominal, level=data["level"],
                                            reason=data["reason"], on=data["on"],
                                            actor=self.request.user)
        return f"{change.get_level_display()} recorded from {_short(change.date_from)}."


class RoshAddView(CaseFormView):
    form_class = RoshForm
    template_name = "cases/form_rosh.html"
    title = "Record a risk of serious harm assessment"
    intro = ("Overall, and by who is at risk, in the community and in custody (§9.1). The "
             "latest assessment is the case's current risk.")
    submit_label = "Record the assessment"

    def save(self, form):
        rosh = services.rosh_record(nominal=self.nominal, actor=self.request.user,
                                    **form.cleaned_data)
        return f"Risk of serious harm recorded: {rosh.get_overall_display().lower()}."


class RiskAssessmentAddView(CaseFormView):
    form_class = RiskAssessmentForm
    title = "Record a risk assessment"
    intro = "An assessment with a validated tool (§6)."
    submit_label = "Record the assessment"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def save(self, form):
        services.risk_assessment_record(nominal=self.nominal, actor=self.request.user,
                                        **form.cleaned_data)
        return "Risk assessment recorded."


class TeamAddView(CaseFormView):
    form_class = TeamMemberForm
    title = "Add someone to the case team"
    intro = "Team members see the case; only what their part needs (§4.2)."
    submit_label = "Add to the team"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(nominal=self.nominal,
                      may_grant_victims=access.can_view_victims(self.request.user,
                                                                self.nominal))
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        member = services.team_member_add(
            nominal=self.nominal, user=data["user"], role=data["role"],
            date_from=data["date_from"], sees_victims=data.get("sees_victims", False),
            actor=self.request.user,
        )
        return f"{member.user} is on the team as {member.get_role_display().lower()}."


class TeamEndView(CaseFormView):
    form_class = TeamEndForm
    template_name = "cases/form_team_end.html"
    title = "End a team membership"
    submit_label = "End the membership"

    @cached_property
    def member(self) -> TeamMember:
        today = timezone.localdate()
        members = TeamMember.objects.filter(nominal=self.nominal).filter(
            models.Q(date_to__isnull=True) | models.Q(date_to__gt=today)
        ).select_related("user__agency")
        return get_object_or_404(members, pk=self.kwargs["member_pk"])

    @property
    def on_the_record(self) -> bool:
        return self.member.role in TEAM_ROLES_ON_THE_RECORD

    def get(self, request, *args, **kwargs):
        self.member  # noqa: B018 — 404 before anything else
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.member  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(member=self.member, on_the_record=self.on_the_record)
        return context

    def save(self, form):
        if self.on_the_record:
            raise ValidationError(
                f"The {self.member.get_role_display().lower()} is changed on the record "
                "itself: edit the record instead.")
        member = services.team_member_end(member=self.member, actor=self.request.user,
                                          date_to=form.cleaned_data["date_to"])
        return f"{member.user}'s membership of the team ends on {_short(member.date_to)}."


class TransferAddView(CaseFormView):
    form_class = TransferForm
    title = "Record a transfer"
    intro = ("A transfer to or from Jersey (§12). Transferring a community order needs the "
             "Chief Probation Officer's permission.")
    submit_label = "Record the transfer"

    def save(self, form):
        transfer = services.transfer_record(nominal=self.nominal, actor=self.request.user,
                                            **form.cleaned_data)
        return f"{transfer} recorded."


class TransferEditView(CaseFormView):
    form_class = TransferForm
    title = "Update a transfer"
    submit_label = "Save the transfer"

    @cached_property
    def transfer(self) -> Transfer:
        return get_object_or_404(Transfer, pk=self.kwargs["transfer_pk"], nominal=self.nominal)

    def audit_read(self):
        audit_read(actor=self.request.user, obj=self.transfer, case_id=self.nominal.pk)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = copy.copy(self.transfer)
        return kwargs

    def post(self, request, *args, **kwargs):
        self.transfer  # noqa: B018 — 404 before anything else
        return super().post(request, *args, **kwargs)

    def save(self, form):
        stored = Transfer.objects.get(pk=self.transfer.pk)
        transfer = services.transfer_update(transfer=stored, actor=self.request.user,
                                            **form.cleaned_data)
        return f"{transfer} updated: {transfer.get_status_display().lower()}."


class DeviationAddView(CaseFormView):
    form_class = DeviationForm
    title = "Record a deviation from the Guidance"
    intro = "Any departure from the Guidance is recorded with its reasons (§1.1, §14.11)."
    submit_label = "Record the deviation"

    def save(self, form):
        services.deviation_record(nominal=self.nominal, actor=self.request.user,
                                  **form.cleaned_data)
        return "Deviation recorded."


# -- victims -----------------------------------------------------------------------------------


class VictimsView(CaseFormView):
    """Victim details: their own permission; every look at the list is in the audit trail."""

    require_change = False
    require_victims = True
    form_class = VictimForm
    template_name = "cases/form_victims.html"
    title = "Victims"
    submit_label = "Add the victim"

    @cached_property
    def victims(self):
        return list(selectors.victims_of(self.request.user, self.nominal))

    def audit_read(self):
        audit_log(actor=self.request.user, action=Action.VIEW, object_type="cases.victim",
                  object_repr=f"Victims of {self.nominal.reference}", case_id=self.nominal.pk,
                  detail=f"{len(self.victims)} victim(s) listed")

    def form_invalid(self, form):
        self.audit_read()
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["victims"] = self.victims
        return context

    def save(self, form):
        services.victim_record(nominal=self.nominal, actor=self.request.user,
                               **form.cleaned_data)
        return "Victim recorded."


# -- the Co-ordinator's access decisions --------------------------------------------------------


def _posted_id(request, name: str) -> int:
    value = request.POST.get(name, "")
    if not value.isdigit():
        raise Http404
    return int(value)


class CaseAccessView(access.NominalAccessMixin, RoleOnCaseMixin, TemplateView):
    """Exclusions and restriction: the Co-ordinator's decisions (§4)."""

    role_check = access.can_manage_case_access
    template_name = "cases/form_access.html"

    def get(self, request, *args, **kwargs):
        audit_read(actor=request.user, obj=self.nominal, case_id=self.nominal.pk)
        return self.render_page()

    def exclusion_form(self, data=None) -> ExclusionForm:
        return ExclusionForm(data, prefix="exclude", nominal=self.nominal,
                             actor=self.request.user)

    def restrict_form(self, data=None) -> RestrictForm:
        return RestrictForm(data, prefix="restrict", nominal=self.nominal,
                            actor=self.request.user)

    def render_page(self, **forms):
        context = self.get_context_data(
            nominal=self.nominal, title="Who may see this case",
            exclusion_form=forms.get("exclusion_form") or self.exclusion_form(),
            restrict_form=forms.get("restrict_form") or self.restrict_form(),
            **selectors.case_access_overview(self.nominal),
        )
        return self.render_to_response(context)

    def done(self, message: str):
        messages.success(self.request, message)
        return redirect(_case_or_list(self.request.user, self.nominal))

    def post(self, request, *args, **kwargs):
        handler = {
            "exclude": self.exclude, "lift_exclusion": self.lift_exclusion,
            "restrict": self.restrict, "unrestrict": self.unrestrict,
            "remove_named": self.remove_named,
        }.get(request.POST.get("action"))
        if handler is None:
            messages.error(request, "Choose what to do with the buttons on this page.")
            return redirect("cases:access", pk=self.nominal.pk)
        return handler(request)

    def exclude(self, request):
        form = self.exclusion_form(request.POST)
        if form.is_valid():
            user = form.cleaned_data["user"]
            try:
                services.exclusion_add(nominal=self.nominal, user=user,
                                       reason=form.cleaned_data["reason"], actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error, CONSTRAINT_MESSAGES)
            else:
                return self.done(f"{user} is excluded from this case.")
        return self.render_page(exclusion_form=form)

    def lift_exclusion(self, request):
        exclusion = get_object_or_404(Exclusion.objects.select_related("user"),
                                      pk=_posted_id(request, "exclusion"), nominal=self.nominal)
        services.exclusion_remove(exclusion=exclusion, actor=request.user)
        return self.done(f"The exclusion of {exclusion.user} is lifted.")

    def restrict(self, request):
        form = self.restrict_form(request.POST)
        if form.is_valid():
            try:
                services.nominal_restrict(
                    nominal=self.nominal, reason=form.cleaned_data["reason"],
                    named_users=list(form.cleaned_data["named_users"]), actor=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error, CONSTRAINT_MESSAGES)
            else:
                return self.done("The case is restricted: only the named people see it.")
        return self.render_page(restrict_form=form)

    def unrestrict(self, request):
        if self.nominal.restricted:
            services.nominal_unrestrict(nominal=self.nominal, actor=request.user)
        return self.done("The restriction is lifted: the case team sees the case again.")

    def remove_named(self, request):
        named = get_object_or_404(NamedAccess.objects.select_related("user"),
                                  pk=_posted_id(request, "named"), nominal=self.nominal)
        if named.user_id == request.user.pk:
            messages.error(request, "You cannot take yourself off the case: you would no "
                                    "longer see it.")
            return redirect("cases:access", pk=self.nominal.pk)
        services.named_access_remove(named_access=named, actor=request.user)
        return self.done(f"{named.user} is no longer named on this case.")
