"""The retention review at the 100th anniversary of birth (§13.3): the Co-ordinator keeps
the archived record (why, and when it is next reviewed) or removes it.

Removal is irreversible. The nominal goes, and with it every record that hangs from it,
whichever app keeps it: cases may not import the apps above it, so the records are found
through the database's own relations (every row that refers to the nominal, or to a row
found so, through a relation that owns it: CASCADE, PROTECT or RESTRICT), and a record a
later app hangs from the case is removed without anyone having to remember it. What
several cases share stays (a panel date, an agency, a person): only this case's parts of it
go, and a found row that names another case stops the removal. The files those rows keep
on disk (the photo, the documents) are deleted once the removal is committed. The audit
trail's entries about the case and its records keep who did what and when, but no longer
what they said (jmappa.audit.services.erase_removed_case); one new entry says the record
was removed, by whom, when and why, by reference and counts only.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote, quote_plus

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils.text import capfirst
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from jmappa.audit.models import RENAMED_OBJECT_TYPES, Verb
from jmappa.audit.services import audit_create, audit_log, erase_removed_case
from jmappa.core import dates
from jmappa.core.deadlines import deadlines_changed_on_commit

from .models import Nominal, RetentionReview, Status, retention_due

NOT_DUE = ("This record is not due for its retention review: an archived record is reviewed "
           "at the 100th anniversary of birth, or on the next review date set when it was "
           "last kept (§13.3).")
REASON_NAMES_PERSON = ("The reason stays in the audit trail once the record is removed: say it "
                       "without the person's name, date of birth, numbers or address.")
# Relations through which a row belongs to the row it refers to (and goes with it).
OWNING = (models.CASCADE, models.PROTECT, models.RESTRICT)
SHORTEST_TERM = 3
# Rows nobody reads as records of the case: who may see it (they go with it all the same).
PERMISSION_ROWS = (UserObjectPermissionBase, GroupObjectPermissionBase)


class RemovalRefused(Exception):
    """A row found under the case belongs to another case: nothing is removed."""


def retention_due_on(nominal: Nominal) -> date:
    return Nominal.objects.filter(pk=nominal.pk).annotate(due=retention_due()) \
        .values_list("due", flat=True).get()


def is_due(nominal: Nominal, today: date | None = None) -> bool:
    """Whether the archived record is due for its retention review on `today`."""
    return nominal.status == Status.ARCHIVED and \
        retention_due_on(nominal) <= (today or dates.today())


def _check_due(nominal: Nominal, today: date) -> None:
    if not is_due(nominal, today):
        raise ValidationError(NOT_DUE)


@transaction.atomic
def retention_keep(*, nominal: Nominal, reason: str, next_review_on: date,
                   actor) -> RetentionReview:
    """The record is kept past its review: why, and when it is next reviewed (a date in the
    future). The review alert clears, and comes back on that date."""
    nominal = Nominal.objects.select_for_update().get(pk=nominal.pk)
    today = dates.today()
    _check_due(nominal, today)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = "Give the reason the record is kept."
    if next_review_on is None:
        errors["next_review_on"] = "Give the date of the next review."
    elif next_review_on <= today:
        errors["next_review_on"] = "The next review must be in the future."
    if errors:
        raise ValidationError(errors)
    review = RetentionReview.objects.create(
        nominal=nominal, reviewed_on=today, reason=reason.strip(),
        next_review_on=next_review_on, decided_by=actor)
    audit_create(actor=actor, obj=review, case_id=nominal.pk)
    deadlines_changed_on_commit(nominal.pk)
    return review


# -- removal ------------------------------------------------------------------------------


@dataclass
class Removal:
    """Every row the removal of one nominal deletes, by model, and how many of each."""

    nominal: Nominal
    rows: dict[type[models.Model], set]
    # Rows of other records that point at a removed row where the link may be emptied.
    emptied: dict[tuple[type[models.Model], str], set]

    def counts(self) -> list[tuple[str, int]]:
        """("Meeting", 3)... each kind of record in the users' words, largest first; the
        nominal itself left out, and the rows nobody reads as records (permissions, links)."""
        counted = defaultdict(int)
        for model, pks in self.rows.items():
            if model is Nominal or model._meta.auto_created or not pks \
                    or issubclass(model, PERMISSION_ROWS):
                continue
            counted[capfirst(str(model._meta.verbose_name))] += len(pks)
        return sorted(counted.items(), key=lambda item: (-item[1], item[0]))

    def records(self) -> list[str]:
        """Each removed row as the audit trail names it ("app.model:id"), under the label it
        was written with before a move (RENAMED_OBJECT_TYPES) too."""
        former = defaultdict(list)
        for old, new in RENAMED_OBJECT_TYPES.items():
            former[new].append(old)
        named = []
        for model, pks in self.rows.items():
            label = model._meta.label_lower
            for name in (label, *former[label]):
                named += [f"{name}:{pk}" for pk in pks]
        return named


def _case_of(model: type[models.Model]) -> str | None:
    names = {field.attname for field in model._meta.concrete_fields}
    return "nominal_id" if "nominal_id" in names else None


def _references() -> dict[type[models.Model], list[models.ForeignKey]]:
    """Every foreign key (one-to-one too, and those of many-to-many link tables), by the
    model it points at."""
    pointing = defaultdict(list)
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one):
                pointing[field.related_model._meta.concrete_model].append(field)
    return pointing


def removal_of(nominal: Nominal) -> Removal:
    """What removing `nominal` deletes: the rows found from it through owning relations,
    one query per relation and level. RemovalRefused if a row found is another case's."""
    pointing = _references()
    rows: dict[type[models.Model], set] = defaultdict(set)
    emptied: dict[tuple[type[models.Model], str], set] = defaultdict(set)
    rows[Nominal].add(nominal.pk)
    todo = [(Nominal, {nominal.pk})]
    while todo:
        model, pks = todo.pop()
        for field in pointing[model]:
            related, on_delete = field.model, field.remote_field.on_delete
            found = related._base_manager.filter(**{f"{field.name}__in": pks})
            if on_delete is models.SET_NULL:
                emptied[(related, field.name)] |= set(found.values_list("pk", flat=True))
                continue
            if on_delete not in OWNING:
                raise RemovalRefused(f"{related._meta.label}.{field.name}: no rule to remove "
                                     f"what refers to {model._meta.label}.")
            case = _case_of(related)
            new = set()
            for pk, case_id in found.values_list("pk", case or "pk"):
                if case and case_id is not None and case_id != nominal.pk:
                    raise RemovalRefused(
                        f"{related._meta.label} {pk} under case {nominal.pk} belongs to case "
                        f"{case_id}.")
                if pk not in rows[related]:
                    new.add(pk)
            if new:
                rows[related] |= new
                todo.append((related, new))
    for (model, name), pks in list(emptied.items()):
        emptied[(model, name)] = pks - rows.get(model, set())
    return Removal(nominal=nominal, rows=dict(rows), emptied=dict(emptied))


def personal_terms(nominal: Nominal) -> list[str]:
    """The person's names, aliases, date of birth and numbers, whole and word by word, as
    typed and as an address carries them: what a search for them left in the trail."""
    names = [nominal.given_names, nominal.family_name, nominal.full_name,
             *nominal.aliases.values_list("name", flat=True)]
    terms = set()
    for name in names:
        terms.add(name)
        terms.update(name.replace("-", " ").split())
    born = nominal.date_of_birth
    terms |= {born.isoformat(), born.strftime("%d/%m/%Y"), nominal.pnc_number,
              nominal.visor_number, nominal.prison_number,
              *nominal.addresses.exclude(postcode="").values_list("postcode", flat=True)}
    terms = {term.strip() for term in terms if term and len(term.strip()) >= SHORTEST_TERM}
    return sorted(terms | {quote(t) for t in terms} | {quote_plus(t) for t in terms})


def _names_person(text: str, terms: list[str]) -> bool:
    return any(re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE)
               for term in terms)


def _stored_files(removal: Removal) -> list[tuple]:
    files = []
    for model, pks in removal.rows.items():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names = model._base_manager.filter(pk__in=pks).exclude(
                    **{field.attname: ""}).values_list(field.attname, flat=True)
                files += [(field.storage, name) for name in names if name]
    return files


@transaction.atomic
def nominal_remove(*, nominal: Nominal, reason: str, confirm_reference: str,
                   actor) -> dict:
    """Removes an archived record due for its retention review, and everything under it,
    for good (§13.3). `confirm_reference` is the case reference typed by the user. Returns
    what the audit trail keeps: the reference and the counts removed."""
    nominal = Nominal.objects.select_for_update().get(pk=nominal.pk)
    _check_due(nominal, dates.today())
    terms = personal_terms(nominal)
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = "Give the reason the record is removed."
    elif _names_person(reason, terms):
        errors["reason"] = REASON_NAMES_PERSON
    if (confirm_reference or "").strip().upper() != nominal.reference:
        errors["confirm_reference"] = (f"Type the case reference, {nominal.reference}, to "
                                       "confirm the removal.")
    if errors:
        raise ValidationError(errors)
    removal = removal_of(nominal)
    files = _stored_files(removal)
    counts = removal.counts()
    for (model, name), pks in removal.emptied.items():
        if pks:
            model._base_manager.filter(pk__in=pks).update(**{name: None})
    for model, pks in removal.rows.items():
        model._base_manager.filter(pk__in=pks)._raw_delete(model._base_manager.db)
    with connection.cursor() as cursor:
        # Every reference left to a removed row fails here, not at the commit.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    erase_removed_case(case_id=nominal.pk, records=removal.records(), terms=terms)
    kept = {"reference": nominal.reference, "removed": dict(counts)}
    audit_log(actor=actor, action=Verb.REMOVE, object_type="cases.nominal",
              object_id=nominal.pk, object_repr=nominal.reference, case_id=nominal.pk,
              changes={"removed": dict(counts)}, detail=reason)
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return kept
