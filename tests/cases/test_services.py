"""The case services the forms rely on (cases/services.py, cases/selectors.py): each write
checks its rules, writes its audit event, and refuses a stale or invalid change."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from cases import selectors
from cases.forms.nominal import NominalEditForm
from cases.models import CAT3_MESSAGE, Address, LevelChange, NamedAccess, Nominal, TransferStatus
from cases.services import (
    address_add,
    alias_add,
    named_access_remove,
    nominal_archive,
    nominal_create,
    nominal_decide_withholding,
    nominal_photo_set,
    nominal_reactivate,
    nominal_restrict,
    nominal_set_level,
    nominal_update,
    transfer_record,
    victim_record,
)
from jmappa import access
from jmappa.audit.models import AuditEvent, Verb
from jmappa.audit.services import WITHHELD
from jmappa.core.forms import add_service_errors
from jmappa.core.versioning import StaleEdit
from tests.factories import add_to_team, make_nominal

pytestmark = pytest.mark.django_db


def today() -> date:
    return timezone.localdate()


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# -- possible duplicates -------------------------------------------------------------------------


def duplicates(**kwargs) -> set[int]:
    return set(selectors.possible_duplicates(**kwargs).values_list("pk", flat=True))


def test_possible_duplicates_by_pnc_whatever_the_name_or_date_of_birth(coordinator):
    existing = make_nominal(actor=coordinator, pnc_number="07/654321B",
                            date_of_birth=date(1960, 1, 1))
    assert duplicates(given_names="Quite", family_name="Different", date_of_birth=None,
                      pnc_number=" 07/654321b ") == {existing.pk}


def test_possible_duplicates_by_similar_name_and_same_date_of_birth(coordinator):
    existing = make_nominal(actor=coordinator, given_names="Jonathan", family_name="Smith",
                            date_of_birth=date(1980, 1, 1))
    assert duplicates(given_names="Jonathon", family_name="Smyth",
                      date_of_birth=date(1980, 1, 1)) == {existing.pk}
    assert duplicates(given_names="Jonathon", family_name="Smyth",
                      date_of_birth=date(1980, 1, 2)) == set()
    assert duplicates(given_names="Peter", family_name="Jones",
                      date_of_birth=date(1980, 1, 1)) == set()


def test_possible_duplicates_by_alias_and_excluding_the_record_itself(coordinator):
    existing = make_nominal(actor=coordinator, given_names="Robert", family_name="Le Brocq",
                            date_of_birth=date(1971, 7, 7))
    alias_add(nominal=existing, actor=coordinator, name="Bobby Brock", kind="nickname")
    assert duplicates(given_names="Bobby", family_name="Brock",
                      date_of_birth=date(1971, 7, 7)) == {existing.pk}
    assert duplicates(given_names="Someone", family_name="Else",
                      date_of_birth=date(1971, 7, 7), aliases=["Robert Le Brocq"]) == {
        existing.pk}
    assert duplicates(given_names="Robert", family_name="Le Brocq",
                      date_of_birth=date(1971, 7, 7), exclude_pk=existing.pk) == set()


def test_possible_duplicates_include_archived_records(coordinator):
    existing = make_nominal(actor=coordinator, pnc_number="11/000001C")
    nominal_archive(nominal=existing, reason="Left the island", actor=coordinator)
    assert duplicates(given_names="A", family_name="B", date_of_birth=None,
                      pnc_number="11/000001C") == {existing.pk}


def test_visible_among_tells_which_duplicates_the_user_may_open(coordinator, practitioner):
    mine = make_nominal(actor=coordinator)
    hidden = make_nominal(actor=coordinator)
    add_to_team(mine, practitioner, actor=coordinator)
    assert selectors.visible_among(practitioner, [mine.pk, hidden.pk]) == {mine.pk}


# -- the record ---------------------------------------------------------------------------------


def test_a_stale_update_is_refused_with_the_fields_someone_else_changed(coordinator):
    nominal = make_nominal(actor=coordinator, family_name="Original")
    opened = Nominal.objects.get(pk=nominal.pk)
    nominal_update(nominal=nominal, actor=coordinator, version=1, family_name="Changed")
    with pytest.raises(StaleEdit) as stale:
        nominal_update(nominal=opened, actor=coordinator, version=1, family_name="Original",
                       ethnicity="White British")
    assert stale.value.changed == {"family_name": "Changed"}
    assert stale.value.current.version == 2
    nominal.refresh_from_db()
    assert (nominal.family_name, nominal.ethnicity) == ("Changed", "")


def test_the_signed_snapshot_gives_back_the_record_as_opened(coordinator, police, practitioner):
    nominal = make_nominal(actor=coordinator, lead_agency=police, case_manager=practitioner,
                           sentence_date=date(2024, 2, 1))
    token = NominalEditForm.opened_token(nominal)
    form = NominalEditForm(instance=nominal)
    form.cleaned_data = {"opened": token}
    opened = form.opened_nominal()
    assert opened.sentence_date == date(2024, 2, 1)
    assert opened.case_manager == practitioner and opened.lead_agency == police
    form.cleaned_data = {"opened": token[:-2] + "xx"}
    assert form.opened_nominal() is None


def test_the_service_refuses_category3_without_the_tests(coordinator):
    with pytest.raises(ValidationError):
        nominal_create(actor=coordinator, given_names="A", family_name="B",
                       date_of_birth=date(1980, 1, 1), category="3")


def test_a_services_refusal_becomes_the_users_words_beside_the_field(coordinator):
    class Form(forms.Form):
        category = forms.CharField()

    form = Form({"category": "3"})
    assert form.is_valid()
    try:
        nominal_create(actor=coordinator, given_names="A", family_name="B",
                       date_of_birth=date(1980, 1, 1), category="3")
    except ValidationError as error:
        add_service_errors(form, error)
    assert form.errors["category"] == [CAT3_MESSAGE]

    form = Form({"category": "2"})
    form.is_valid()
    add_service_errors(form, ValidationError({"reason": "Give the reason."}))
    assert form.non_field_errors() == ["Give the reason."]


def test_a_database_rule_refused_in_a_save_is_shown_beside_its_field_in_the_users_words(
    coordinator,
):
    """The constraints carry their own message and field: no table in a form maps them."""

    class Form(forms.Form):
        date_from = forms.DateField()
        date_to = forms.DateField()

    nominal = make_nominal(actor=coordinator)
    address = Address(nominal=nominal, address="1 Rue de Test, St Helier",
                      date_from=date(2026, 5, 1), date_to=date(2026, 4, 1))
    form = Form({"date_from": "2026-05-01", "date_to": "2026-04-01"})
    assert form.is_valid()
    with pytest.raises(ValidationError) as refused:
        address.full_clean()
    add_service_errors(form, refused.value)
    assert form.errors["date_to"] == ["The address cannot end before it starts."]
    assert not form.non_field_errors()


def test_photo_is_set_and_removed_with_an_audit_event_that_withholds_the_file(
    coordinator, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    nominal = make_nominal(actor=coordinator)
    nominal = nominal_photo_set(nominal=nominal, photo=png("jane-doe.png"), actor=coordinator)
    assert nominal.photo.name.startswith("nominal-photos/") and "jane" not in nominal.photo.name
    event = AuditEvent.objects.filter(action=Verb.CHANGE, case_id=nominal.pk).latest("id")
    assert event.changes == {"photo": WITHHELD}
    nominal = nominal_photo_set(nominal=nominal, photo=None, actor=coordinator)
    assert not Nominal.objects.get(pk=nominal.pk).photo


def test_withholding_from_the_offender_is_not_set_with_the_rest_of_the_record(coordinator):
    # §3.6: it is agreed at a meeting, and recorded from there with where it was agreed.
    nominal = make_nominal(actor=coordinator)
    with pytest.raises(ValueError):
        nominal_update(nominal=nominal, actor=coordinator, withhold_from_offender=True,
                       withhold_reason="Decided alone")
    with pytest.raises(ValueError):
        make_nominal(actor=coordinator, withhold_from_offender=True, withhold_reason="Alone")
    nominal = nominal_decide_withholding(
        nominal=nominal, actor=coordinator, withhold=True, reason="  Risk to the victim  ",
        decided_at="the level 3 meeting of 5 December 2026")
    assert nominal.withhold_from_offender and nominal.withhold_reason == "Risk to the victim"
    event = AuditEvent.objects.filter(object_type="cases.nominal", action=Verb.CHANGE).latest("id")
    assert event.detail == "Agreed at the level 3 meeting of 5 December 2026 (§3.6)"


def test_withholding_needs_its_reasons(coordinator):
    nominal = make_nominal(actor=coordinator)
    with pytest.raises(ValidationError) as refused:
        nominal_decide_withholding(nominal=nominal, actor=coordinator, withhold=True,
                                   reason=" ", decided_at="the level 3 meeting")
    assert "withhold_reason" in refused.value.message_dict


def test_archive_and_reactivate_keep_their_history(coordinator):
    nominal = make_nominal(actor=coordinator)
    nominal_archive(nominal=nominal, reason="Order ended", actor=coordinator)
    with pytest.raises(ValidationError):
        nominal_archive(nominal=nominal, reason="Again", actor=coordinator)
    nominal_reactivate(nominal=nominal, reason="Reconvicted", actor=coordinator)
    assert [c.reason for c in nominal.status_history.order_by("id")] == [
        "Order ended", "Reconvicted"]


def test_setting_a_level_closes_the_previous_one(coordinator):
    nominal = make_nominal(actor=coordinator)
    first = nominal_set_level(nominal=nominal, level="3", reason="Meeting 1", actor=coordinator,
                              on=today() - timedelta(days=30))
    nominal_set_level(nominal=nominal, level="2", reason="Meeting 2", actor=coordinator)
    first.refresh_from_db()
    assert first.date_to == today()
    assert LevelChange.objects.filter(nominal=nominal, date_to__isnull=True).get().level == "2"
    with pytest.raises(ValidationError):
        nominal_set_level(nominal=nominal, level="1", reason=" ", actor=coordinator)


def test_a_new_current_address_ends_the_old_one(coordinator):
    nominal = make_nominal(actor=coordinator)
    old = address_add(nominal=nominal, actor=coordinator, address="1 Old Street",
                      date_from=date(2020, 1, 1), is_current=True)
    address_add(nominal=nominal, actor=coordinator, address="2 New Road",
                date_from=date(2024, 3, 1), is_current=True)
    old.refresh_from_db()
    assert not old.is_current and old.date_to == date(2024, 3, 1)
    assert Address.objects.filter(nominal=nominal, is_current=True).get().address == "2 New Road"


def test_community_order_transfer_cannot_be_agreed_without_permission(coordinator):
    nominal = make_nominal(actor=coordinator)
    with pytest.raises(ValidationError):
        transfer_record(nominal=nominal, actor=coordinator, direction="out",
                        other_jurisdiction="Jersey to England", is_community_order=True,
                        status=TransferStatus.AGREED)


def test_removing_a_named_person_takes_the_restricted_case_out_of_their_sight(coordinator,
                                                                             practitioner):
    nominal = make_nominal(actor=coordinator)
    add_to_team(nominal, practitioner, actor=coordinator)
    nominal_restrict(nominal=nominal, reason="High profile", named_users=[practitioner],
                     actor=coordinator)
    assert access.can_view_nominal(practitioner, nominal)
    named = NamedAccess.objects.get(nominal=nominal, user=practitioner)
    named_access_remove(named_access=named, actor=coordinator)
    assert not access.can_view_nominal(practitioner, nominal)
    event = AuditEvent.objects.filter(object_type="cases.namedaccess").latest("id")
    assert event.action == Verb.CHANGE and event.case_id == nominal.pk
    assert "no longer named" in event.detail


def test_victims_are_read_only_with_the_victim_permission(coordinator, practitioner):
    nominal = make_nominal(actor=coordinator)
    victim_record(nominal=nominal, actor=coordinator, relationship="Stranger")
    add_to_team(nominal, practitioner, actor=coordinator)
    assert not selectors.victims_of(practitioner, nominal).exists()
    add_to_team(nominal, practitioner, actor=coordinator, sees_victims=True)
    assert [v.relationship for v in selectors.victims_of(practitioner, nominal)] == ["Stranger"]
