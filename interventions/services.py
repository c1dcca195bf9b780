"""Every write to the intervention catalogue and to a person's intervention package (seed
004): one transaction each, with its audit row. Each change to a package is also a new
revision of it, kept with who made it, when and why (PackageChange); a change to what the
deadline sweep watches refreshes the case's alerts on commit."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.models import Nominal
from jmappa import access
from jmappa.audit.services import audit_change, audit_create, snapshot
from jmappa.core.checks import not_future, raise_errors, required, text
from jmappa.core.deadlines import deadlines_changed_on_commit
from jmappa.core.forms import display_value, field_label
from jmappa.core.versioning import check_version, lock_for_update

from .models import (
    PLACE_STAGES,
    EntryKind,
    Intervention,
    InterventionPackage,
    PackageChange,
    PackageEntry,
    PackageIntervention,
    PackageStatus,
    ReviewPoint,
    Stage,
)

KEEPERS_ONLY = "Only those who keep the case's plan keep its intervention package."
CATALOGUE_ONLY = "Only the Co-ordinator and the Administrators keep the catalogue."
CLOSED = "The package is closed: it is no longer changed."
ENGAGEMENT_FIELDS = ("engaged_on", "rights_explained", "court_required",
                     "confidentiality_explained", "needs", "preferences", "communication",
                     "wants_involved")
CATALOGUE_FIELDS = ("name", "provider", "programme_type", "description", "eligibility",
                    "capacity", "is_active")
PLAN_FIELDS = ("risk_factors", "protective_factors", "advantages", "disadvantages", "step",
               "after")
REFERRAL_FIELDS = ("referred_on", "referral_discussed", "information_given")
ANSWER_FIELDS = ("answered_on", "willing", "able", "resources", "contribution")


# -- shared checks --------------------------------------------------------------------------------


def _keeper(actor, nominal: Nominal) -> None:
    if not (access.can_view_nominal(actor, nominal)
            and access.can_keep_interventions(actor, nominal)):
        raise PermissionDenied(KEEPERS_ONLY)


def _open(package: InterventionPackage) -> None:
    if package.status != PackageStatus.OPEN:
        raise ValidationError(CLOSED)


def _words(model, name: str, value) -> str:
    if name == "after":
        return f"step {value.step}, {value.intervention.name}" if value else "(none)"
    text = display_value(model, name, value)
    return text if len(text) <= 80 else text[:77] + "..."


def _changes_in_words(model, before: dict, current, names) -> list[str]:
    """'the step in the sequence: 1 → 2' for each field that changed."""
    said = []
    for name in names:
        old, new = before[name], getattr(current, model._meta.get_field(name).attname)
        if old == new:
            continue
        if name == "after":
            old_item = PackageIntervention.objects.filter(pk=old).select_related(
                "intervention").first() if old else None
            said.append(f"{field_label(model, name).lower()}: {_words(model, name, old_item)} "
                        f"→ {_words(model, name, current.after)}")
        else:
            said.append(f"{field_label(model, name).lower()}: {_words(model, name, old)} → "
                        f"{_words(model, name, new)}")
    return said


def _revise(package: InterventionPackage, actor, what: str, why: str = "") -> PackageChange:
    """A new revision of the package: what changed, by whom, when and why."""
    current = InterventionPackage.objects.select_for_update().get(pk=package.pk)
    current.revision += 1
    current.save(update_fields=["revision"])
    package.revision = current.revision
    return PackageChange.objects.create(package=current, nominal_id=current.nominal_id,
                                        revision=current.revision, what=what,
                                        why=text(why), changed_by=actor)


# -- the catalogue --------------------------------------------------------------------------------


def places_taken(intervention: Intervention) -> int:
    """The places of `intervention` held by people in packages in force: accepted by the
    provider, or under way."""
    return PackageIntervention.objects.filter(
        intervention=intervention, stage__in=PLACE_STAGES,
        package__status=PackageStatus.OPEN).count()


@transaction.atomic
def intervention_save(*, actor, intervention: Intervention | None = None,
                      version: int | None = None, **fields) -> Intervention:
    """An intervention added to the catalogue, or changed."""
    if not access.can_manage_intervention_catalogue(actor):
        raise PermissionDenied(CATALOGUE_ONLY)
    unknown = set(fields) - set(CATALOGUE_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    current = lock_for_update(intervention) if intervention is not None else None
    if current is not None:
        check_version(intervention, current, version, CATALOGUE_FIELDS)
    values = {name: getattr(current, name) for name in CATALOGUE_FIELDS} if current else {}
    values.update({k: text(v) if isinstance(v, str) else v for k, v in fields.items()})
    errors: dict = {}
    required(errors, "name", values.get("name"), "Enter the intervention's name.")
    required(errors, "provider", values.get("provider"),
              "Choose the provider that delivers it, from the provider catalogue.")
    required(errors, "programme_type", values.get("programme_type"),
              "Choose the kind of intervention it is.")
    required(errors, "description", values.get("description"), "Say what it involves.")
    required(errors, "eligibility", values.get("eligibility"),
              "Say who is eligible for it, for example “men convicted of violence, 18 and "
              "over”, or “anyone under supervision”.")
    capacity = values.get("capacity")
    if capacity is not None and capacity < 1:
        errors["capacity"] = ("Give the number of places, 1 or more, or leave it empty where "
                              "there is no limit.")
    provider, name = values.get("provider"), values.get("name")
    if provider and name and Intervention.objects.filter(
            provider=provider, name__iexact=name).exclude(
            pk=getattr(current, "pk", None)).exists():
        errors["name"] = f"{provider} already has an intervention of that name in the catalogue."
    raise_errors(errors)
    values.setdefault("is_active", True)
    if current is None:
        created = Intervention.objects.create(**values)
        audit_create(actor=actor, obj=created)
        return created
    before = snapshot(current, list(CATALOGUE_FIELDS))
    for field_name, value in values.items():
        setattr(current, field_name, value)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before)
    return current


# -- the package and its engagement record --------------------------------------------------------


def _engagement_errors(values: dict) -> dict:
    errors: dict = {}
    required(errors, "engaged_on", values.get("engaged_on"),
              "Give the date of the engagement meeting with the person.")
    not_future(errors, "engaged_on", values.get("engaged_on"))
    if not values.get("rights_explained"):
        errors["rights_explained"] = (
            "Explain their rights and responsibilities, and your role and responsibilities, "
            "before the package is planned with them.")
    if not values.get("confidentiality_explained"):
        errors["confidentiality_explained"] = (
            "Explain the confidentiality policy and when information is disclosed to third "
            "parties before the package is planned with them.")
    required(errors, "court_required", values.get("court_required"),
              "Say which interventions the sentence of the court requires, or “none”.")
    required(errors, "needs", values.get("needs"),
              "Record the person's needs as they put them: the package is built on them.")
    return errors


@transaction.atomic
def package_start(*, nominal: Nominal, actor, **engagement) -> InterventionPackage:
    """A package opened with the engagement record: one package in force per person."""
    _keeper(actor, nominal)
    unknown = set(engagement) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    Nominal.objects.select_for_update().filter(pk=nominal.pk).first()  # one at a time
    if InterventionPackage.objects.filter(nominal=nominal, status=PackageStatus.OPEN).exists():
        raise ValidationError("The person already has an intervention package in force: "
                              "change that one, or close it first.")
    values = {k: text(v) if isinstance(v, str) else v for k, v in engagement.items()}
    raise_errors(_engagement_errors(values))
    package = InterventionPackage.objects.create(nominal=nominal, created_by=actor, **values)
    audit_create(actor=actor, obj=package, case_id=nominal.pk)
    PackageChange.objects.create(package=package, nominal=nominal, revision=1,
                                 what="The package is opened with the engagement record.",
                                 changed_by=actor)
    return package


@transaction.atomic
def engagement_update(*, package: InterventionPackage, actor, version: int | None,
                      why: str = "", **fields) -> InterventionPackage:
    unknown = set(fields) - set(ENGAGEMENT_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    current = lock_for_update(package)
    _keeper(actor, current.nominal)
    _open(current)
    check_version(package, current, version, ENGAGEMENT_FIELDS)
    before = snapshot(current, ENGAGEMENT_FIELDS)
    values = {**before, **{k: text(v) if isinstance(v, str) else v for k, v in fields.items()}}
    errors = _engagement_errors(values)
    required(errors, "why", why, "Say why the engagement record changes.")
    raise_errors(errors)
    for name, value in values.items():
        setattr(current, name, value)
    said = _changes_in_words(InterventionPackage, before, current, ENGAGEMENT_FIELDS)
    if not said:
        raise ValidationError("Nothing was changed.")
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    _revise(current, actor, "The engagement record: " + "; ".join(said) + ".", why)
    return current


@transaction.atomic
def package_close(*, package: InterventionPackage, actor, version: int | None,
                  closed_on: date | None, why: str) -> InterventionPackage:
    current = lock_for_update(package)
    _keeper(actor, current.nominal)
    _open(current)
    check_version(package, current, version, ["status"])
    errors: dict = {}
    required(errors, "closed_on", closed_on, "Give the date the package closes.")
    not_future(errors, "closed_on", closed_on)
    if closed_on and closed_on < current.engaged_on:
        errors["closed_on"] = "The package closes on or after the engagement meeting."
    required(errors, "why", why, "Say why the package closes.")
    raise_errors(errors)
    before = snapshot(current, ["status", "closed_on"])
    current.status, current.closed_on = PackageStatus.CLOSED, closed_on
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    _revise(current, actor, f"The package is closed on {closed_on:%-d %B %Y}.", why)
    deadlines_changed_on_commit(current.nominal_id)
    return current


# -- its interventions: the options, the sequence ---------------------------------------------


def _plan_errors(item: PackageIntervention) -> dict:
    errors: dict = {}
    if not (text(item.risk_factors) or text(item.protective_factors)):
        errors["risk_factors"] = (
            "Say which risk factors it addresses or which protective factors it builds: the "
            "package's interventions are those that promote desistance.")
    if item.step is None or item.step < 1:
        errors["step"] = "Give its step in the sequence, 1 for the first."
    after = item.after
    if after is not None:
        if after.package_id != item.package_id:
            errors["after"] = "Choose an intervention of this package."
        elif item.pk is not None and after.pk == item.pk:
            errors["after"] = "An intervention cannot come after itself."
        elif item.step is not None and after.step >= item.step:
            errors["after"] = (f"It comes after step {after.step} ({after.intervention.name}): "
                               f"give it a later step than {after.step}.")
    return errors


def _choice_errors(item: PackageIntervention) -> dict:
    errors: dict = {}
    if not text(item.advantages):
        errors["advantages"] = ("Weigh the option with the person first: record its "
                                "advantages before choosing it.")
    if not text(item.disadvantages):
        errors["disadvantages"] = ("Weigh the option with the person first: record its "
                                   "disadvantages before choosing it.")
    return errors


@transaction.atomic
def option_add(*, package: InterventionPackage, actor, intervention: Intervention | None,
               risk_factors: str = "", protective_factors: str = "", advantages: str = "",
               disadvantages: str = "", step: int | None = 1,
               after: PackageIntervention | None = None, why: str = ""
               ) -> PackageIntervention:
    """An intervention of the catalogue added to the package as an option to weigh."""
    _keeper(actor, package.nominal)
    _open(package)
    errors: dict = {}
    if intervention is None:
        errors["intervention"] = "Choose the intervention from the catalogue."
    elif not intervention.is_active:
        errors["intervention"] = "That intervention is no longer in the catalogue."
    item = PackageIntervention(
        package=package, intervention=intervention,
        risk_factors=text(risk_factors), protective_factors=text(protective_factors),
        advantages=text(advantages), disadvantages=text(disadvantages), step=step,
        after=after, added_by=actor)
    errors.update(_plan_errors(item))
    raise_errors(errors)
    item.save()
    audit_create(actor=actor, obj=item, case_id=package.nominal_id)
    _revise(package, actor, f"{intervention.name} ({intervention.provider}) is added as an "
                            f"option, step {item.step}.", why)
    return item


@transaction.atomic
def option_update(*, item: PackageIntervention, actor, version: int | None, why: str,
                  decision: str | None = None, **fields) -> PackageIntervention:
    """The intervention's factors, the option's advantages and disadvantages, its place in
    the sequence; and `decision`: chosen with the person, not chosen, or back to an option
    being considered. Every change says why (the modified package, criterion 31)."""
    unknown = set(fields) - set(PLAN_FIELDS)
    if unknown:
        raise ValueError(f"{', '.join(sorted(unknown))} cannot be set here")
    current = lock_for_update(item)
    _keeper(actor, current.nominal)
    _open(current.package)
    check_version(item, current, version, PLAN_FIELDS)
    before = snapshot(current, [*PLAN_FIELDS, "stage"])
    for name, value in fields.items():
        setattr(current, name, text(value) if isinstance(value, str) else value)
    errors = _plan_errors(current)
    if decision and decision != current.stage:
        if decision not in (Stage.OPTION, Stage.CHOSEN, Stage.NOT_CHOSEN):
            errors["decision"] = "Choose whether the option is chosen, not chosen, or still "\
                                 "being considered."
        elif current.stage not in (Stage.OPTION, Stage.CHOSEN, Stage.NOT_CHOSEN):
            errors["decision"] = (f"It is already {current.get_stage_display().lower()}: "
                                  "the choice is made before the referral.")
        else:
            if decision == Stage.CHOSEN:
                errors.update(_choice_errors(current))
            current.stage = decision
    required(errors, "why", why, "Say why the package changes.")
    raise_errors(errors)
    said = _changes_in_words(PackageIntervention, before, current, [*PLAN_FIELDS, "stage"])
    if not said:
        raise ValidationError("Nothing was changed.")
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    _revise(current.package, actor, f"{current.intervention.name}: " + "; ".join(said) + ".",
            why)
    return current


# -- the referral, the provider's answer, the person's agreement -------------------------------


def _step_start(item: PackageIntervention, actor, version, names) -> PackageIntervention:
    current = lock_for_update(item)
    _keeper(actor, current.nominal)
    _open(current.package)
    check_version(item, current, version, names)
    return current


def _step_save(current: PackageIntervention, actor, before: dict, what: str) -> None:
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    _revise(current.package, actor, what)


@transaction.atomic
def referral_record(*, item: PackageIntervention, actor, version: int | None,
                    referred_on: date | None, referral_discussed: str,
                    information_given: str) -> PackageIntervention:
    """The provider agreed with the person is contacted: its role, the benefits and how
    confidentiality is kept discussed, and the information it needs given."""
    current = _step_start(item, actor, version, REFERRAL_FIELDS)
    if current.stage not in (Stage.CHOSEN, Stage.DECLINED):
        raise ValidationError("Choose the option with the person before referring them: "
                              "only the organisations agreed with them are contacted.")
    errors: dict = {}
    required(errors, "referred_on", referred_on, "Give the date of the referral.")
    not_future(errors, "referred_on", referred_on)
    required(errors, "referral_discussed", referral_discussed,
              "Record what was discussed with the provider: its role, the benefits it may "
              "bring and how confidentiality will be kept.")
    required(errors, "information_given", information_given,
              "Record the information given about the person's difficulties and the level "
              "of support they need.")
    raise_errors(errors)
    before = snapshot(current, [*REFERRAL_FIELDS, *ANSWER_FIELDS, "stage"])
    current.referred_on = referred_on
    current.referral_discussed = text(referral_discussed)
    current.information_given = text(information_given)
    # A new referral after a refusal waits for a new answer.
    current.answered_on = current.willing = current.able = None
    current.stage = Stage.REFERRED
    _step_save(current, actor, before, f"{current.intervention.name}: referred to "
                                       f"{current.intervention.provider} on "
                                       f"{referred_on:%-d %B %Y}.")
    return current


@transaction.atomic
def provider_answer(*, item: PackageIntervention, actor, version: int | None,
                    answered_on: date | None, willing: bool | None, able: bool | None,
                    resources: str = "", contribution: str = "") -> PackageIntervention:
    """The provider's willingness and ability to work with the person, the resources it
    needs and the contribution agreed: willing and able, it accepts (a place is taken);
    otherwise it declines."""
    current = _step_start(item, actor, version, ANSWER_FIELDS)
    if current.stage != Stage.REFERRED:
        raise ValidationError("Refer the person to the provider before recording its answer.")
    errors: dict = {}
    required(errors, "answered_on", answered_on, "Give the date the provider answered.")
    not_future(errors, "answered_on", answered_on)
    if answered_on and current.referred_on and answered_on < current.referred_on:
        errors["answered_on"] = (f"The provider answers on or after the referral, "
                                 f"{current.referred_on:%-d %B %Y}.")
    if willing is None:
        errors["willing"] = "Say whether the provider is willing to work with the person."
    if able is None:
        errors["able"] = "Say whether the provider is able to work with the person."
    accepts = bool(willing and able)
    if accepts:
        required(errors, "resources", resources,
                  "Record the resources the provider needs to work with the person.")
        required(errors, "contribution", contribution,
                  "Record the contribution agreed with the provider, consistent with what "
                  "was agreed with the person.")
    raise_errors(errors)
    if accepts:
        intervention = Intervention.objects.select_for_update().get(
            pk=current.intervention_id)
        taken = places_taken(intervention)
        if intervention.capacity is not None and taken >= intervention.capacity:
            raise ValidationError({"willing": (
                f"{intervention.name} has no place free: all {intervention.capacity} are "
                "taken. Record the answer once a place is free, or choose another option "
                "with the person.")})
    before = snapshot(current, [*ANSWER_FIELDS, "stage"])
    current.answered_on, current.willing, current.able = answered_on, willing, able
    current.resources, current.contribution = text(resources), text(contribution)
    current.stage = Stage.ACCEPTED if accepts else Stage.DECLINED
    verdict = "accepts" if accepts else (
        "declines: " + ("not willing" if not willing else "") +
        (" and " if not willing and not able else "") + ("not able" if not able else ""))
    _step_save(current, actor, before,
               f"{current.intervention.name}: {current.intervention.provider} {verdict}.")
    return current


@transaction.atomic
def person_agreement(*, item: PackageIntervention, actor, version: int | None,
                     agrees: bool | None, on: date | None) -> PackageIntervention:
    """The person, told the provider is willing and able, agrees to proceed with it, or
    does not (the option is then not chosen, its place freed)."""
    current = _step_start(item, actor, version, ["person_agreed_on", "stage"])
    if current.stage != Stage.ACCEPTED:
        raise ValidationError("The person's agreement is sought once the provider has said "
                              "it is willing and able to work with them.")
    if current.person_agreed_on:
        raise ValidationError("The person's agreement is already recorded.")
    errors: dict = {}
    if agrees is None:
        errors["agrees"] = "Say whether the person agrees to the provider's involvement."
    required(errors, "on", on, "Give the date the person said so.")
    not_future(errors, "on", on)
    if on and current.answered_on and on < current.answered_on:
        errors["on"] = (f"The person is asked once the provider has answered, on "
                        f"{current.answered_on:%-d %B %Y}.")
    raise_errors(errors)
    before = snapshot(current, ["person_agreed_on", "stage"])
    if agrees:
        current.person_agreed_on = on
        what = (f"{current.intervention.name}: the person agrees to "
                f"{current.intervention.provider}'s involvement.")
    else:
        current.stage = Stage.NOT_CHOSEN
        what = (f"{current.intervention.name}: the person does not agree to "
                f"{current.intervention.provider}'s involvement; not chosen.")
    _step_save(current, actor, before, what)
    return current


# -- the log: progress, non-compliance, feedback, changes in need ------------------------------


def _stage_errors(item: PackageIntervention, stage: str, on: date) -> dict:
    """Whether `item` may move to `stage` (under way, completed, ended early) on `on`."""
    if stage == Stage.UNDER_WAY:
        if item.stage != Stage.ACCEPTED:
            return {"stage_after": "It starts once the provider has accepted the person."}
        if not item.person_agreed_on:
            return {"stage_after": "It starts once the person has agreed to the provider's "
                                   "involvement."}
        after = item.after
        if after is not None and after.stage != Stage.COMPLETED:
            return {"stage_after": (
                f"It comes after step {after.step} ({after.intervention.name}) in the "
                f"sequence: it starts once that one is completed.")}
        if after is not None and after.finished_on and on < after.finished_on:
            return {"stage_after": (f"It starts on or after {after.finished_on:%-d %B %Y}, "
                                    f"when {after.intervention.name} was completed.")}
        return {}
    if stage == Stage.COMPLETED:
        if item.stage != Stage.UNDER_WAY:
            return {"stage_after": "Only an intervention under way is completed."}
    elif stage == Stage.ENDED:
        if item.stage not in (Stage.ACCEPTED, Stage.UNDER_WAY):
            return {"stage_after": "Only an intervention accepted or under way ends early."}
    else:
        return {"stage_after": "Choose under way, completed or ended early."}
    if item.started_on and on < item.started_on:
        return {"on": f"It started on {item.started_on:%-d %B %Y}: it ends after that."}
    return {}


@transaction.atomic
def entry_record(*, package: InterventionPackage, actor, kind: str, on: date | None,
                 note: str, action_taken: str = "",
                 intervention: PackageIntervention | None = None,
                 stage_after: str = "") -> PackageEntry:
    """An entry of the package's log: progress (and where an intervention starts, is
    completed or ends early), non-compliance with the action taken, the person's or a
    provider's feedback, a change in the person's needs or circumstances."""
    package = lock_for_update(package)
    _keeper(actor, package.nominal)
    _open(package)
    errors: dict = {}
    required(errors, "kind", kind, "Say what the entry records.")
    required(errors, "on", on, "Give the date.")
    not_future(errors, "on", on)
    required(errors, "note", note, "Record what happened, or what was said.")
    item = None
    if intervention is not None:
        item = PackageIntervention.objects.select_for_update(of=("self",)).select_related(
            "intervention__provider", "after__intervention").get(pk=intervention.pk)
        if item.package_id != package.pk:
            errors["intervention"] = "Choose an intervention of this package."
    if kind == EntryKind.NON_COMPLIANCE:
        required(errors, "action_taken", action_taken,
                  "Record the action taken in response, in line with the organisation's and "
                  "the law's requirements.")
    if kind == EntryKind.PROVIDER_FEEDBACK and item is None:
        errors["intervention"] = "Choose the intervention whose provider gave the feedback."
    if kind == EntryKind.NEED_CHANGE:
        required(errors, "action_taken", action_taken,
                  "Say what the change means for the package.")
    if stage_after:
        if item is None:
            errors["intervention"] = "Choose the intervention whose stage changes."
        elif kind not in (EntryKind.PROGRESS, EntryKind.NON_COMPLIANCE):
            errors["stage_after"] = "A stage changes with a progress or non-compliance entry."
        elif on and "intervention" not in errors:
            errors.update(_stage_errors(item, stage_after, on))
    raise_errors(errors)
    entry = PackageEntry.objects.create(
        package=package, nominal_id=package.nominal_id, intervention=item, kind=kind, on=on,
        note=text(note), action_taken=text(action_taken), stage_after=stage_after or "",
        recorded_by=actor)
    audit_create(actor=actor, obj=entry, case_id=package.nominal_id)
    if stage_after:
        before = snapshot(item, ["stage", "started_on", "finished_on"])
        item.stage = stage_after
        if stage_after == Stage.UNDER_WAY:
            item.started_on = on
        else:
            item.finished_on = on
        item.version += 1
        item.save()
        audit_change(actor=actor, obj=item, before=before, case_id=item.nominal_id)
        _revise(package, actor, f"{item.intervention.name}: {item.get_stage_display().lower()} "
                                f"on {on:%-d %B %Y}.", text(note))
    return entry


# -- review points -----------------------------------------------------------------------------


@transaction.atomic
def review_point_add(*, package: InterventionPackage, actor, review_by: date | None,
                     purpose: str, responsible, agreed_with: str = "") -> ReviewPoint:
    """A review of the package agreed with the relevant people, and who makes it happen:
    they are alerted from its date until it is held."""
    _keeper(actor, package.nominal)
    _open(package)
    errors: dict = {}
    required(errors, "review_by", review_by, "Give the date of the review.")
    if review_by and review_by < package.engaged_on:
        errors["review_by"] = "The review comes after the engagement meeting."
    required(errors, "purpose", purpose, "Say what is reviewed.")
    if responsible is None:
        errors["responsible"] = "Choose who makes the review happen."
    elif not (responsible.is_active and access.can_view_nominal(responsible, package.nominal)):
        errors["responsible"] = (f"{responsible.get_full_name() or responsible} cannot see "
                                 "this case: choose someone on its team.")
    raise_errors(errors)
    point = ReviewPoint.objects.create(
        package=package, nominal_id=package.nominal_id, review_by=review_by, purpose=text(purpose),
        agreed_with=text(agreed_with), responsible=responsible, added_by=actor)
    audit_create(actor=actor, obj=point, case_id=package.nominal_id)
    _revise(package, actor, f"A review point by {review_by:%-d %B %Y}, made to happen by "
                            f"{responsible.get_full_name() or responsible}.")
    deadlines_changed_on_commit(package.nominal_id)
    return point


@transaction.atomic
def review_point_held(*, point: ReviewPoint, actor, version: int | None,
                      held_on: date | None, outcome: str) -> ReviewPoint:
    current = lock_for_update(point)
    if not access.can_hold_review_point(actor, current):
        raise PermissionDenied("Whoever the review point names, or those who keep the case's "
                               "plan, record it.")
    _open(current.package)
    check_version(point, current, version, ["held_on", "outcome"])
    if current.held_on:
        raise ValidationError("The review is already recorded.")
    errors: dict = {}
    required(errors, "held_on", held_on, "Give the date of the review.")
    not_future(errors, "held_on", held_on)
    if held_on and held_on < current.package.engaged_on:
        errors["held_on"] = "The review comes after the engagement meeting."
    required(errors, "outcome", outcome,
              "Record what the review found and agreed: the progress of each intervention, "
              "the issues raised, the changes to make.")
    raise_errors(errors)
    before = snapshot(current, ["held_on", "outcome"])
    current.held_on, current.outcome = held_on, text(outcome)
    current.version += 1
    current.save()
    audit_change(actor=actor, obj=current, before=before, case_id=current.nominal_id)
    _revise(current.package, actor, f"The review point of {current.review_by:%-d %B %Y} is "
                                    f"held on {held_on:%-d %B %Y}.")
    deadlines_changed_on_commit(current.nominal_id)
    return current
