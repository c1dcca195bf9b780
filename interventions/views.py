"""The pages of intervention packages (seed 004): the case's Interventions section and the
forms of its package, interventions, referrals, log and review points (read by whoever reads
the case, 404 outside it; kept by those who keep the case's plan); the catalogue of
interventions (read by whoever works on cases, kept by the Co-ordinator and the
Administrators)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import TemplateView

from cases.views.base import CaseRecordFormView, CaseSectionMixin, CaseWorkFormView
from jmappa import access
from jmappa.audit.services import audit_list
from jmappa.core import dates
from jmappa.core.views import ServiceFormView

from . import selectors, services
from .forms import (
    AgreementForm,
    AnswerForm,
    CloseForm,
    EngagementChangeForm,
    EngagementForm,
    EntryForm,
    HeldForm,
    InterventionForm,
    OptionChangeForm,
    OptionForm,
    ReferralForm,
    ReviewPointForm,
)
from .models import DELIVERY_STAGES, Intervention, InterventionPackage, Stage

CATALOGUE_FORM = "interventions/catalogue_form.html"


class CaseInterventionsView(CaseSectionMixin, access.NominalAccessMixin, TemplateView):
    template_name = "interventions/case_interventions.html"
    section = "interventions"

    def get_context_data(self, **kwargs):
        user, nominal = self.request.user, self.nominal
        packages = selectors.case_packages(user, nominal)
        if packages:
            audit_list(actor=user, model=InterventionPackage, ids=[p.pk for p in packages],
                       detail=self.request.get_full_path())
        can_keep = access.can_keep_interventions(user, nominal)
        for package in packages:
            package.keep = can_keep and package.is_open
        current = next((p for p in packages if p.is_open), None)
        return super().get_context_data(
            title="Intervention package", packages=packages, current=current,
            today=dates.today(), can_keep=can_keep,
            me=user.pk, delivery=[s for s in Stage if s in DELIVERY_STAGES], **kwargs)


class CaseFormView(CaseWorkFormView):
    access_check = access.can_keep_interventions
    section_url = "interventions:case"


class RecordFormView(CaseRecordFormView):
    """A form about one record of a case's package, for those who keep it; back to the
    case's Interventions section. A closed package is no longer changed."""

    access_check = access.can_keep_interventions_record
    section_url = "interventions:case"

    def package_of(self, obj) -> InterventionPackage:
        return obj if isinstance(obj, InterventionPackage) else obj.package

    def blocked(self) -> str:
        return "" if self.package_of(self.object).is_open else services.CLOSED

    def versioned(self, form) -> tuple[dict, int | None]:
        data = dict(form.cleaned_data)
        return data, data.pop("version", None)


class PackageStartView(CaseFormView):
    form_class = EngagementForm
    title = "Start an intervention package"
    intro = ("The package is planned with the person. First record the engagement meeting: "
             "what was explained to them, what the court requires, and their needs, "
             "preferences and whom they want involved.")
    submit_label = "Start the package"

    def get_initial(self):
        return {"engaged_on": dates.today()}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        services.package_start(nominal=self.nominal, actor=self.request.user, **data)
        return "The package is started: add the interventions weighed with the person."


class EngagementView(RecordFormView):
    selector = selectors.packages_visible
    object_name = "package"
    form_class = EngagementChangeForm
    title = "The engagement record"
    submit_label = "Save"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.package}

    def save(self, form) -> str:
        data, version = self.versioned(form)
        services.engagement_update(package=self.package, actor=self.request.user,
                                   version=version, **data)
        return "Saved: a new revision of the package."


class CloseView(RecordFormView):
    selector = selectors.packages_visible
    object_name = "package"
    form_class = CloseForm
    title = "Close the intervention package"
    submit_label = "Close the package"

    def get_initial(self):
        return {**super().get_initial(), "closed_on": dates.today()}

    def save(self, form) -> str:
        data, version = self.versioned(form)
        services.package_close(package=self.package, actor=self.request.user, version=version,
                               **data)
        return "The package is closed."


class OptionAddView(RecordFormView):
    selector = selectors.packages_visible
    object_name = "package"
    form_class = OptionForm
    title = "Add an intervention to the package"
    intro = ("An option weighed with the person: the risk factors it addresses, the "
             "protective factors it builds, its advantages and disadvantages, and its place "
             "in the sequence.")
    submit_label = "Add the intervention"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "package": self.package}

    def get_initial(self):
        return {"step": self.package.interventions.count() + 1}

    def save(self, form) -> str:
        data, _ = self.versioned(form)
        item = services.option_add(package=self.package, actor=self.request.user, **data)
        return f"{item.intervention.name} is added as an option."


class EntryAddView(RecordFormView):
    selector = selectors.packages_visible
    object_name = "package"
    form_class = EntryForm
    title = "Add to the package's log"
    intro = ("Progress, non-compliance and the action taken, the person's or a provider's "
             "feedback, a change in the person's needs or circumstances.")
    submit_label = "Add to the log"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "package": self.package}

    def get_initial(self):
        return {"on": dates.today()}

    def save(self, form) -> str:
        services.entry_record(package=self.package, actor=self.request.user,
                              **form.cleaned_data)
        return "Added to the log."


class ReviewPointAddView(RecordFormView):
    selector = selectors.packages_visible
    object_name = "package"
    form_class = ReviewPointForm
    title = "Agree a review point"
    intro = ("A review of the package agreed with the relevant people, and who makes it "
             "happen: they are alerted from its date until it is recorded.")
    submit_label = "Add the review point"

    def get_initial(self):
        return {}

    def save(self, form) -> str:
        point = services.review_point_add(package=self.package, actor=self.request.user,
                                          **form.cleaned_data)
        return f"The review point of {point.review_by:%-d %B %Y} is added."


class ItemFormView(RecordFormView):
    """A form about one intervention of a package, named above the form."""

    selector = selectors.items_visible
    object_name = "item"
    template_name = "interventions/item_form.html"

    def get_context_data(self, **kwargs):
        item = self.item
        return super().get_context_data(
            caption=f"Step {item.step}: {item.intervention}", **kwargs)


class OptionEditView(ItemFormView):
    form_class = OptionChangeForm
    title = "An intervention of the package"
    submit_label = "Save the change"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "package": self.item.package, "item": self.item}

    def get_initial(self):
        item = self.item
        return {**{name: getattr(item, name) for name in services.PLAN_FIELDS},
                "decision": item.stage, "version": item.version}

    def save(self, form) -> str:
        data, version = self.versioned(form)
        services.option_update(item=self.item, actor=self.request.user, version=version,
                               **data)
        return "Saved: a new revision of the package."


class ReferralView(ItemFormView):
    form_class = ReferralForm
    title = "Refer to the provider"
    submit_label = "Record the referral"

    def get_initial(self):
        return {**super().get_initial(), "referred_on": dates.today()}

    def save(self, form) -> str:
        data, version = self.versioned(form)
        services.referral_record(item=self.item, actor=self.request.user, version=version,
                                 **data)
        return "The referral is recorded."


class AnswerView(ItemFormView):
    form_class = AnswerForm
    title = "The provider's answer"
    intro = ("Whether the provider is willing and able to work with the person, the "
             "resources it needs, and the contribution agreed with it.")
    submit_label = "Record the answer"

    def get_initial(self):
        return {**super().get_initial(), "answered_on": dates.today()}

    def save(self, form) -> str:
        data, version = self.versioned(form)
        item = services.provider_answer(item=self.item, actor=self.request.user,
                                        version=version, **data)
        if item.stage == Stage.ACCEPTED:
            return "The provider accepts: ask the person whether they agree to proceed."
        return "The provider declines: choose another option with the person."


class AgreementView(ItemFormView):
    form_class = AgreementForm
    title = "The person's agreement"
    submit_label = "Record it"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=f"{self.item.intervention.provider} is willing and able to work with the "
                  "person. Tell them so, and ask whether they agree to proceed with it.",
            **kwargs)

    def get_initial(self):
        return {**super().get_initial(), "on": dates.today()}

    def save(self, form) -> str:
        data, version = self.versioned(form)
        services.person_agreement(item=self.item, actor=self.request.user, version=version,
                                  **data)
        return "The person's answer is recorded."


class ProgressView(ItemFormView):
    form_class = EntryForm
    title = "Log progress"
    intro = ("How the intervention is going, non-compliance and the action taken, or "
             "feedback; and where it starts, is completed or ends early.")
    submit_label = "Add to the log"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "package": self.item.package, "item": self.item}

    def get_initial(self):
        return {"on": dates.today(), "kind": "progress"}

    def save(self, form) -> str:
        services.entry_record(package=self.item.package, actor=self.request.user,
                              **form.cleaned_data)
        return "Added to the log."


class HeldView(RecordFormView):
    selector = selectors.review_points_visible
    object_name = "point"
    access_check = access.can_hold_review_point
    form_class = HeldForm
    title = "The review"
    submit_label = "Record the review"

    def blocked(self) -> str:
        if self.point.held_on:
            return f"This review was recorded on {self.point.held_on:%-d %B %Y}."
        return super().blocked()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            intro=f"Due by {self.point.review_by:%-d %B %Y}: {self.point.purpose}", **kwargs)

    def get_initial(self):
        return {**super().get_initial(), "held_on": dates.today()}

    def save(self, form) -> str:
        data, version = self.versioned(form)
        services.review_point_held(point=self.point, actor=self.request.user, version=version,
                                   **data)
        return "The review is recorded."


# -- the catalogue -----------------------------------------------------------------------------


class CatalogueView(access.RoleRequiredMixin, TemplateView):
    access_check = access.can_view_intervention_catalogue
    template_name = "interventions/catalogue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            interventions=list(selectors.catalogue()),
            can_manage=access.can_manage_intervention_catalogue(user),
            can_manage_providers=access.can_manage_panel(user), **kwargs)


class CatalogueFormView(access.RoleRequiredMixin, ServiceFormView):
    access_check = access.can_manage_intervention_catalogue
    template_name = CATALOGUE_FORM
    form_class = InterventionForm

    def get_success_url(self) -> str:
        return reverse("interventions:catalogue")

    def get_context_data(self, **kwargs):
        return super().get_context_data(cancel_url=self.get_success_url(), **kwargs)


class InterventionAddView(CatalogueFormView):
    title = "Add an intervention to the catalogue"
    intro = ("A formal programme or more informal support, delivered by a provider of the "
             "provider catalogue: a member agency (internal) or a funded service (external).")
    submit_label = "Add the intervention"

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        data.pop("version", None)
        services.intervention_save(actor=self.request.user, **data)
        return "The intervention is in the catalogue."


class InterventionEditView(CatalogueFormView):
    title = "An intervention of the catalogue"
    submit_label = "Save"

    def dispatch(self, request, *args, **kwargs):
        self.intervention = get_object_or_404(Intervention, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.intervention}

    def get_initial(self):
        return {"version": self.intervention.version}

    def save(self, form) -> str:
        data = dict(form.cleaned_data)
        services.intervention_save(actor=self.request.user, intervention=self.intervention,
                                   version=data.pop("version", None), **data)
        return "Saved."

