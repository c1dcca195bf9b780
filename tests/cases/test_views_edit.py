"""The register's forms (cases/views/): each rule in the user's words, nothing typed
lost, stale saves refused, possible duplicates caught, and the need-to-know rule on every
page (a case the user may not see or change answers 404)."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from django import forms
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases.models import (
    Address,
    Alias,
    Category,
    Deviation,
    Exclusion,
    LevelChange,
    NamedAccess,
    Nominal,
    RiskAssessment,
    Status,
    StatusChange,
    TeamMember,
    TeamRole,
    Transfer,
    TransferStatus,
    Victim,
)
from cases.services import (
    nominal_archive,
    nominal_decide_withholding,
    nominal_restrict,
    nominal_set_level,
    nominal_update,
    transfer_record,
    victim_record,
)
from jmappa import access
from jmappa.accounts.models import Role
from jmappa.audit.models import AuditEvent, Verb
from tests.factories import add_to_team, make_nominal, make_user
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

CAT3_MESSAGE = (
    "Category 3 needs the Co-ordinator's two tests (§3.9) and the qualifying conviction, "
    "caution or reprimand/warning."
)
ORDER_MESSAGE = "The order cannot end before it starts."


def today() -> date:
    return timezone.localdate()


def client_for(user) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def url(name: str, case, *more) -> str:
    return reverse(f"cases:{name}", args=[case.pk, *more])


def form_data(form) -> dict:
    """What a browser would post back for this form as it is shown."""
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        if isinstance(field.widget, forms.CheckboxInput):
            if value:
                data[name] = "on"
            continue
        if value is None:
            value = ""
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value.isoformat() if isinstance(value, date) else str(value)
    return data


def errors(response, field: str = "__all__") -> list[str]:
    return list(response.context["form"].errors.get(field, []))


def only_error(response, field: str) -> str:
    """The one message beside `field` (the same rule never shows twice)."""
    messages = errors(response, field)
    assert len(messages) == 1, messages
    return messages[0]


def new_nominal(**overrides) -> dict:
    data = {
        "given_names": "Peter", "family_name": "Example", "date_of_birth": "1975-06-01",
        "gender": "male", "eligibility": "eligible", "category": "2",
        "custody_status": "community", "consent_to_share": "not_known", "level": "unknown",
    }
    data.update(overrides)
    return data


@pytest.fixture
def case(coordinator, police, practitioner):
    """A case whose case manager is bob (police): he may change it and see its victims."""
    return make_nominal(actor=coordinator, given_names="Terry", family_name="Tester",
                        date_of_birth=date(1966, 6, 6), lead_agency=police,
                        case_manager=practitioner)


@pytest.fixture
def contact(coordinator, housing, case):
    """A read-only team member: an agency contact without the victim permission."""
    user = make_user("dora", agency=housing, first_name="Dora", last_name="Contact")
    add_to_team(case, user, TeamRole.AGENCY_CONTACT, actor=coordinator)
    return user


# -- create -----------------------------------------------------------------------------------


def test_only_the_coordinator_or_an_administrator_may_add_a_nominal(practitioner, coordinator,
                                                                   police):
    assert client_for(practitioner).get(reverse("cases:create")).status_code == 403
    assert client_for(coordinator).get(reverse("cases:create")).status_code == 200
    admin = make_user("admin", roles=[Role.ADMINISTRATOR], agency=police)
    assert client_for(admin).get(reverse("cases:create")).status_code == 200


def test_create_saves_the_record_with_first_alias_address_and_level(coordinator, practitioner,
                                                                    police):
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(
        lead_agency=police.pk, case_manager=practitioner.pk, pnc_number="99/111111Z",
        alias_name="Pete Sample", alias_kind="nickname", address="1 Rue de Test, St Helier",
        address_postcode="JE2 3AB", address_from="2020-01-01", level="2",
        level_reason="Agreed at the JMAPP meeting of 3 March",
    ))
    nominal = Nominal.objects.get(family_name="Example")
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[nominal.pk])
    assert nominal.level == "2"
    assert LevelChange.objects.get(nominal=nominal).reason.startswith("Agreed at the JMAPP")
    assert Alias.objects.get(nominal=nominal).name == "Pete Sample"
    address = Address.objects.get(nominal=nominal)
    assert address.is_current and address.postcode == "JE2 3AB"
    assert access.can_change_nominal(practitioner, nominal)
    assert AuditEvent.objects.filter(action=Verb.CREATE, object_type="cases.nominal",
                                     case_id=nominal.pk).exists()


def test_create_needs_a_reason_for_the_initial_level(coordinator):
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(level="3"))
    assert response.status_code == 200
    assert errors(response, "level_reason") == ["Give the reason for the initial level."]
    assert not Nominal.objects.exists()


def test_date_of_birth_must_be_in_the_past(coordinator):
    response = client_for(coordinator).post(
        reverse("cases:create"), new_nominal(date_of_birth=today().isoformat()))
    assert only_error(response, "date_of_birth") == "The date of birth must be in the past."
    assert not Nominal.objects.exists()


def test_order_cannot_end_before_it_starts(coordinator):
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(
        order_start="2024-05-01", order_end="2024-04-30"))
    assert only_error(response, "order_end") == ORDER_MESSAGE


def test_earliest_release_cannot_be_before_the_sentence(coordinator):
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(
        sentence_date="2024-05-01", earliest_release_date="2024-04-01"))
    assert only_error(response, "earliest_release_date") == (
        "The release date must be after the sentence date.")


def test_identified_on_cannot_be_before_the_sentence(coordinator):
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(
        sentence_date="2024-05-01", identified_on="2024-04-28"))
    assert only_error(response, "identified_on") == (
        "The date identified as JMAPPA-eligible cannot be before the sentence date.")


def test_category3_cannot_be_saved_without_the_two_tests(coordinator):
    client = client_for(coordinator)
    response = client.post(reverse("cases:create"), new_nominal(
        category="3", cat3_capacity_for_serious_harm="True", cat3_disposal="caution"))
    assert only_error(response, "category") == CAT3_MESSAGE
    assert "two tests (§3.9)" in response.content.decode()
    response = client.post(reverse("cases:create"), new_nominal(
        category="3", cat3_capacity_for_serious_harm="True",
        cat3_needs_multi_agency_management="True"))
    assert only_error(response, "category") == CAT3_MESSAGE
    assert not Nominal.objects.exists()


def test_category3_with_both_tests_and_a_qualifying_disposal_is_saved(coordinator):
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(
        category="3", cat3_capacity_for_serious_harm="True",
        cat3_needs_multi_agency_management="True", cat3_disposal="reprimand_warning"))
    assert response.status_code == 302
    nominal = Nominal.objects.get()
    assert nominal.category == Category.THREE and nominal.cat3_disposal == "reprimand_warning"


def test_a_pdp_cannot_have_a_qualifying_disposal(coordinator):
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(
        category="pdp", cat3_disposal="conviction"))
    assert only_error(response, "cat3_disposal").startswith(
        "A potentially dangerous person has no qualifying conviction")


def test_the_case_form_cannot_withhold_from_the_offender_alone(coordinator):
    # §3.6: withholding is agreed at a meeting, with reasons; the form only shows it.
    client = client_for(coordinator)
    response = client.post(reverse("cases:create"), new_nominal(
        withhold_from_offender="on", withhold_reason="Decided by me alone"))
    assert response.status_code == 302
    nominal = Nominal.objects.get()
    assert not nominal.withhold_from_offender and nominal.withhold_reason == ""
    edit = client.get(reverse("cases:edit", args=[nominal.pk]))
    assert "withhold_from_offender" not in edit.context["form"].fields
    assert "agreed at a meeting" in edit.content.decode()


def test_the_case_form_shows_the_withholding_agreed_at_a_meeting(coordinator):
    nominal = make_nominal(actor=coordinator)
    nominal_decide_withholding(nominal=nominal, actor=coordinator, withhold=True,
                               reason="Telling him would endanger the two women who disclosed",
                               decided_at="the level 3 meeting of 5 December 2026")
    content = client_for(coordinator).get(reverse("cases:edit", args=[nominal.pk])) \
        .content.decode()
    assert "Telling him would endanger the two women who disclosed" in content


def test_the_case_manager_must_work_for_the_lead_agency(coordinator, outsider, police):
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(
        lead_agency=police.pk, case_manager=outsider.pk))
    assert only_error(response, "case_manager") == (
        "The case manager must work for the lead agency.")


def test_nothing_typed_is_lost_when_the_form_comes_back(coordinator):
    data = new_nominal(ethnicity="White Portuguese", alias_name="Pete",
                       index_offence="Assault occasioning bodily harm")
    data.pop("date_of_birth", None)
    data.update(date_of_birth_day="1", date_of_birth_month="1", date_of_birth_year="2999")
    response = client_for(coordinator).post(reverse("cases:create"), data)
    page = response.content.decode()
    for typed in ("White Portuguese", "Pete", "Assault occasioning bodily harm", 'value="2999"'):
        assert typed in page
    assert "There is a problem" in page


def test_a_photo_is_stored_under_a_name_that_does_not_identify_anyone(coordinator, settings,
                                                                      tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "grey").save(buffer, "PNG")
    buffer.name = "peter-example.png"
    buffer.seek(0)
    response = client_for(coordinator).post(reverse("cases:create"),
                                            {**new_nominal(), "photo": buffer})
    assert response.status_code == 302
    photo = Nominal.objects.get().photo
    assert photo.name.startswith("nominal-photos/") and photo.name.endswith(".png")
    assert "peter" not in photo.name
    assert (tmp_path / photo.name).exists()


def photo_upload(kind: str, *, exif: bool = False, name: str = "photo") -> io.BytesIO:
    buffer = io.BytesIO()
    image = Image.new("RGB", (20, 20), "grey")
    options = {}
    if exif:
        tags = Image.Exif()
        tags[0x010F] = "Example Camera Maker"  # Make
        tags[0x0131] = "Example Software"  # Software
        options["exif"] = tags.tobytes()
    image.save(buffer, kind, **options)
    buffer.name = f"{name}.{kind.lower()}"
    buffer.seek(0)
    return buffer


def test_a_photo_is_stored_re_encoded_without_its_exif(coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = photo_upload("JPEG", exif=True)
    assert b"Example Camera Maker" in upload.getvalue()
    response = client_for(coordinator).post(reverse("cases:create"),
                                            {**new_nominal(), "photo": upload})
    assert response.status_code == 302
    stored = (tmp_path / Nominal.objects.get().photo.name).read_bytes()
    assert b"Example Camera Maker" not in stored and b"Exif" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and image.size == (20, 20)
        assert not image.getexif()


@pytest.mark.parametrize("kind", ["GIF", "BMP", "TIFF"])
def test_only_jpeg_png_or_webp_is_taken_as_a_photo(coordinator, settings, tmp_path, kind):
    settings.MEDIA_ROOT = tmp_path
    response = client_for(coordinator).post(
        reverse("cases:create"), {**new_nominal(), "photo": photo_upload(kind, name="photo")})
    assert response.status_code == 200
    assert errors(response, "photo") == ["The photo must be a JPEG, PNG or WebP image."]
    assert not Nominal.objects.exists()


def test_a_photo_of_a_giant_picture_is_refused(coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("1", (8000, 6000)).save(buffer, "PNG")
    buffer.name = "huge.png"
    buffer.seek(0)
    response = client_for(coordinator).post(reverse("cases:create"),
                                            {**new_nominal(), "photo": buffer})
    assert response.status_code == 200
    assert "megapixels" in errors(response, "photo")[0]


def test_a_name_with_a_hidden_direction_override_is_refused_in_the_users_words(coordinator):
    response = client_for(coordinator).post(reverse("cases:create"),
                                            new_nominal(family_name="Exa\u202elpm"))
    assert response.status_code == 200
    assert "right-to-left override" in errors(response, "family_name")[0]
    assert not Nominal.objects.exists()


def test_a_file_that_is_not_an_image_is_refused_as_photo(coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = io.BytesIO(b"not an image at all")
    upload.name = "notes.png"
    response = client_for(coordinator).post(reverse("cases:create"),
                                            {**new_nominal(), "photo": upload})
    assert response.status_code == 200
    assert errors(response, "photo")
    assert not Nominal.objects.exists()


# -- possible duplicates ------------------------------------------------------------------------


def test_same_pnc_number_is_warned_and_saved_only_when_confirmed(coordinator):
    existing = make_nominal(actor=coordinator, given_names="Anna", family_name="Vautier",
                            date_of_birth=date(1970, 3, 3), pnc_number="01/123456A")
    client = client_for(coordinator)
    response = client.post(reverse("cases:create"), new_nominal(pnc_number="01/123456a"))
    assert response.status_code == 200
    assert Nominal.objects.count() == 1
    page = response.content.decode()
    assert "This may be a person already on the register" in page
    assert existing.reference in page
    assert reverse("cases:detail", args=[existing.pk]) in page
    assert "same PNC number" in page
    again = form_data(response.context["form"])
    assert again["given_names"] == "Peter"  # nothing typed is lost
    response = client.post(reverse("cases:create"), again)  # not ticked: asked again
    assert response.status_code == 200 and Nominal.objects.count() == 1
    again["confirm_not_duplicate"] = "on"
    response = client.post(reverse("cases:create"), again)
    assert response.status_code == 302
    assert Nominal.objects.count() == 2


def test_similar_name_with_the_same_date_of_birth_is_warned(coordinator):
    existing = make_nominal(actor=coordinator, given_names="Jonathan", family_name="Smith",
                            date_of_birth=date(1980, 1, 1))
    client = client_for(coordinator)
    data = new_nominal(given_names="Jonathon", family_name="Smyth", date_of_birth="1980-01-01")
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 200
    assert existing.reference in response.content.decode()
    assert Nominal.objects.count() == 1
    confirmed = {**form_data(response.context["form"]), "confirm_not_duplicate": "on"}
    assert client.post(reverse("cases:create"), confirmed).status_code == 302
    assert Nominal.objects.filter(family_name="Smyth").exists()


def test_similar_name_with_another_date_of_birth_is_not_a_duplicate(coordinator):
    make_nominal(actor=coordinator, given_names="Jonathan", family_name="Smith",
                 date_of_birth=date(1980, 1, 1))
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(
        given_names="Jonathon", family_name="Smyth", date_of_birth="1981-02-02"))
    assert response.status_code == 302


def test_a_tick_given_for_other_records_does_not_confirm_a_new_match(coordinator):
    make_nominal(actor=coordinator, given_names="Anna", family_name="Vautier",
                 date_of_birth=date(1970, 3, 3), pnc_number="01/123456A")
    other = make_nominal(actor=coordinator, given_names="Peter", family_name="Exampel",
                         date_of_birth=date(1975, 6, 1))
    data = {**new_nominal(pnc_number="01/123456A"), "confirm_not_duplicate": "on",
            "duplicates_seen": "999999"}
    response = client_for(coordinator).post(reverse("cases:create"), data)
    assert response.status_code == 200
    assert other.reference in response.content.decode()
    assert Nominal.objects.count() == 2


def _hidden_duplicate_attempt(coordinator, practitioner, case):
    hidden = make_nominal(actor=coordinator, given_names="Jonathan", family_name="Smith",
                          date_of_birth=date(1980, 1, 1))
    client = client_for(practitioner)
    data = form_data(client.get(url("edit", case)).context["form"])
    data.update(given_names="Jonathon", family_name="Smyth", date_of_birth="1980-01-01")
    return hidden, client, data


def test_a_duplicate_the_user_cannot_see_is_named_nowhere_on_the_page(coordinator,
                                                                     practitioner, case):
    hidden, client, data = _hidden_duplicate_attempt(coordinator, practitioner, case)
    response = client.post(url("edit", case), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "a possible match that you cannot see" in page
    assert "The JMAPPA Co-ordinator has been told" in page
    assert hidden.reference not in page and f"J{hidden.pk:06d}" not in page
    assert "Jonathan" not in page and reverse("cases:detail", args=[hidden.pk]) not in page
    # What the page keeps of the warning names no record, not even by its id.
    (seen,) = re.findall(r'name="duplicates_seen" value="([^"]*)"', page)
    assert re.fullmatch(r"[0-9a-f]{64}", seen)
    case.refresh_from_db()
    assert case.family_name == "Tester"


def test_the_coordinator_is_told_of_a_hidden_duplicate_and_the_check_is_audited(
        coordinator, practitioner, case, django_capture_on_commit_callbacks):
    coordinator.email = "alice@police.example"
    coordinator.save()
    hidden, client, data = _hidden_duplicate_attempt(coordinator, practitioner, case)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("edit", case), data)
    (told,) = mail.outbox
    assert told.to == ["alice@police.example"]
    assert hidden.reference in told.body and "Bob Practitioner" in told.body
    assert case.reference in told.body
    assert "Smith" not in told.body + told.subject
    (probe,) = AuditEvent.objects.filter(case_id=hidden.pk, actor=practitioner)
    assert probe.action == Verb.VIEW and "Duplicate check" in probe.detail
    assert "Jonathon Smyth" in probe.detail
    # Seen again the same day: audited again, told once.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("edit", case), data)
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(case_id=hidden.pk, actor=practitioner).count() == 2


def test_past_a_hidden_duplicate_the_user_may_still_declare_a_different_person(
        coordinator, practitioner, case):
    hidden, client, data = _hidden_duplicate_attempt(coordinator, practitioner, case)
    response = client.post(url("edit", case), data)
    confirmed = {**form_data(response.context["form"]), "confirm_not_duplicate": "on"}
    assert client.post(url("edit", case), confirmed).status_code == 302
    case.refresh_from_db()
    assert case.family_name == "Smyth"
    hidden.refresh_from_db()
    assert hidden.family_name == "Smith"


def test_editing_without_touching_the_identity_does_not_ask_about_duplicates(
    coordinator, practitioner, case
):
    make_nominal(actor=coordinator, given_names="Terry", family_name="Testor",
                 date_of_birth=date(1966, 6, 6))
    client = client_for(practitioner)
    data = form_data(client.get(url("edit", case)).context["form"])
    data["ethnicity"] = "White British"
    assert client.post(url("edit", case), data).status_code == 302


# -- edit ---------------------------------------------------------------------------------------


def test_case_manager_edits_the_record_and_the_change_is_audited(practitioner, case):
    client = client_for(practitioner)
    response = client.get(url("edit", case))
    assert response.status_code == 200
    data = form_data(response.context["form"])
    data.update(ethnicity="White British", sentence_date="2024-01-10",
                earliest_release_date="2026-01-10")
    response = client.post(url("edit", case), data)
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    case.refresh_from_db()
    assert case.ethnicity == "White British" and case.version == 2
    event = AuditEvent.objects.filter(action=Verb.CHANGE, object_type="cases.nominal",
                                      case_id=case.pk).latest("id")
    assert event.changes["ethnicity"] == {"from": "", "to": "White British"}


def test_reading_the_edit_page_is_audited(practitioner, case):
    before = AuditEvent.objects.filter(action=Verb.VIEW, case_id=case.pk).count()
    client_for(practitioner).get(url("edit", case))
    assert AuditEvent.objects.filter(action=Verb.VIEW, case_id=case.pk).count() == before + 1


def test_the_same_rules_apply_on_edit(practitioner, case):
    client = client_for(practitioner)
    data = form_data(client.get(url("edit", case)).context["form"])
    data.update(category="3", order_start="2024-05-01", order_end="2024-01-01")
    response = client.post(url("edit", case), data)
    assert only_error(response, "category") == CAT3_MESSAGE
    assert only_error(response, "order_end") == ORDER_MESSAGE


def test_a_stale_edit_is_refused_showing_what_someone_else_changed(practitioner, coordinator,
                                                                   case):
    client = client_for(practitioner)
    data = form_data(client.get(url("edit", case)).context["form"])
    nominal_update(nominal=case, actor=coordinator, version=case.version,
                   prison_number="HMP-4242")
    data["ethnicity"] = "White British"
    response = client.post(url("edit", case), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this record while you were editing it" in page
    assert "Prison number: now “HMP-4242”" in page
    form = response.context["form"]
    assert form["ethnicity"].value() == "White British"  # what the user typed is kept
    assert form["prison_number"].value() == "HMP-4242"  # untouched field shows the new value
    case.refresh_from_db()
    assert case.ethnicity == ""  # nothing saved
    # Saving again, having seen the other change, keeps both.
    response = client.post(url("edit", case), form_data(form))
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.ethnicity, case.prison_number) == ("White British", "HMP-4242")


def test_a_stale_edit_of_the_same_field_keeps_what_the_user_typed_and_marks_it(
    practitioner, coordinator, case
):
    client = client_for(practitioner)
    data = form_data(client.get(url("edit", case)).context["form"])
    nominal_update(nominal=case, actor=coordinator, version=case.version,
                   ethnicity="Other White background")
    data["ethnicity"] = "White British"
    response = client.post(url("edit", case), data)
    form = response.context["form"]
    assert form["ethnicity"].value() == "White British"
    assert any("Other White background" in e for e in form.errors["ethnicity"])
    case.refresh_from_db()
    assert case.ethnicity == "Other White background"


def test_an_agency_contact_gets_404_on_every_edit_page(contact, coordinator, case):
    member = TeamMember.objects.get(nominal=case, user=contact)
    transfer = transfer_record(nominal=case, actor=coordinator, direction="out",
                               other_jurisdiction="Guernsey")
    client = client_for(contact)
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 200
    pages = [url(name, case) for name in (
        "edit", "alias_add", "address_add", "level_set", "rosh_add", "risk_assessment_add",
        "team_add", "transfer_add", "deviation_add", "victims")]
    pages += [url("team_end", case, member.pk), url("transfer_edit", case, transfer.pk)]
    for page in pages:
        assert client.get(page).status_code == 404, page
        assert client.post(page, {}).status_code == 404, page


def test_an_outsider_gets_404_on_every_case_sub_page(outsider, coordinator, practitioner, case):
    member = TeamMember.objects.get(nominal=case, user=practitioner)
    transfer = transfer_record(nominal=case, actor=coordinator, direction="out",
                               other_jurisdiction="Guernsey")
    client = client_for(outsider)
    pages = [url(name, case) for name in (
        "edit", "archive", "reactivate", "victims", "alias_add", "address_add", "level_set",
        "rosh_add", "risk_assessment_add", "team_add", "transfer_add", "deviation_add",
        "access")]
    pages += [url("team_end", case, member.pk), url("transfer_edit", case, transfer.pk)]
    for page in pages:
        assert client.get(page).status_code == 404, page
        assert client.post(page, {"reason": "x", "action": "unrestrict"}).status_code == 404
    assert client.get(reverse("cases:edit", args=[999999])).status_code == 404


def test_an_excluded_coordinator_gets_404_on_the_case_pages(coordinator, police, case):
    other = make_user("olga", roles=[Role.COORDINATOR], agency=police)
    client_for(coordinator).post(url("access", case), {
        "action": "exclude", "exclude-user": other.pk, "exclude-reason": "Knows the victim"})
    for name in ("edit", "archive", "access", "victims"):
        assert client_for(other).get(url(name, case)).status_code == 404


# -- archive and re-activate ---------------------------------------------------------------------


def test_archive_and_reactivation_are_recorded_with_reason_and_audited(coordinator, case):
    client = client_for(coordinator)
    response = client.post(url("archive", case), {
        "reason": "No longer needs multi-agency management", "on": today().isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ARCHIVED and case.archived_on == today()
    change = StatusChange.objects.get(nominal=case, status=Status.ARCHIVED)
    assert change.reason == "No longer needs multi-agency management" and change.by == coordinator
    assert AuditEvent.objects.get(action=Verb.ARCHIVE, case_id=case.pk).detail == \
        "No longer needs multi-agency management"

    response = client.post(url("reactivate", case), {
        "reason": "New offence: back under management", "on": today().isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.ACTIVE
    assert StatusChange.objects.get(nominal=case, status=Status.ACTIVE).reason == \
        "New offence: back under management"
    assert AuditEvent.objects.filter(action=Verb.REACTIVATE, case_id=case.pk).exists()


def test_archive_needs_a_reason_and_a_date_not_in_the_future(coordinator, case):
    response = client_for(coordinator).post(url("archive", case), {
        "reason": " ", "on": (today() + timedelta(days=1)).isoformat()})
    assert response.status_code == 200
    assert errors(response, "reason")
    assert errors(response, "on") == ["This date cannot be in the future."]
    case.refresh_from_db()
    assert case.status == Status.ACTIVE


def test_archive_is_the_coordinators_403_for_the_team_404_for_outsiders(practitioner,
                                                                       outsider, case):
    for name in ("archive", "reactivate", "access"):
        assert client_for(practitioner).get(url(name, case)).status_code == 403
        assert client_for(outsider).get(url(name, case)).status_code == 404


def test_archiving_an_archived_case_is_refused_in_words(coordinator, case):
    nominal_archive(nominal=case, reason="Done", actor=coordinator)
    client = client_for(coordinator)
    assert "already archived" in client.get(url("archive", case)).content.decode()
    response = client.post(url("archive", case), {"reason": "Again", "on": today()})
    assert errors(response) == ["This case is already archived."]


# -- parts of the record -------------------------------------------------------------------------


def test_alias_is_added(practitioner, case):
    response = client_for(practitioner).post(url("alias_add", case),
                                             {"name": "Tel Tester", "kind": "nickname"})
    assert response.status_code == 302
    assert Alias.objects.get(nominal=case).name == "Tel Tester"


def test_a_new_current_address_moves_the_old_one_to_past(practitioner, case):
    client = client_for(practitioner)
    client.post(url("address_add", case), {"address": "1 Old Street", "date_from": "2020-01-01",
                                           "is_current": "on"})
    response = client.post(url("address_add", case), {
        "address": "2 New Road", "date_from": "2024-03-01", "is_current": "on"})
    assert response.status_code == 302
    old, new = Address.objects.get(address="1 Old Street"), Address.objects.get(
        address="2 New Road")
    assert new.is_current and not old.is_current
    assert old.date_to == date(2024, 3, 1)


def test_an_address_cannot_end_before_it_starts_nor_be_current_with_an_end(practitioner, case):
    client = client_for(practitioner)
    response = client.post(url("address_add", case), {
        "address": "1 Old Street", "date_from": "2020-01-01", "date_to": "2019-01-01"})
    assert "cannot end before it starts" in errors(response, "date_to")[0]
    response = client.post(url("address_add", case), {
        "address": "1 Old Street", "date_to": "2021-01-01", "is_current": "on"})
    assert "A current address has no end date" in errors(response, "date_to")[0]


def test_level_is_set_with_reason_and_date(practitioner, case):
    response = client_for(practitioner).post(url("level_set", case), {
        "level": "2", "reason": "Agreed at the level 2 meeting", "on": today().isoformat()})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.level == "2"
    assert LevelChange.objects.get(nominal=case).reason == "Agreed at the level 2 meeting"


def test_level_date_cannot_be_in_the_future_or_before_the_current_level(practitioner,
                                                                        coordinator, case):
    nominal_set_level(nominal=case, level="2", reason="Meeting", actor=coordinator,
                      on=today() - timedelta(days=10))
    client = client_for(practitioner)
    response = client.post(url("level_set", case), {
        "level": "3", "reason": "Escalated", "on": (today() + timedelta(days=1)).isoformat()})
    assert errors(response, "on") == ["This date cannot be in the future."]
    response = client.post(url("level_set", case), {
        "level": "3", "reason": "Escalated", "on": (today() - timedelta(days=20)).isoformat()})
    assert "cannot start before that" in errors(response, "on")[0]
    response = client.post(url("level_set", case), {"level": "3", "reason": " ",
                                                     "on": today().isoformat()})
    assert errors(response, "reason")


def test_rosh_is_recorded_and_becomes_the_case_risk(practitioner, case):
    response = client_for(practitioner).post(url("rosh_add", case), {
        "assessed_on": today().isoformat(), "overall": "high", "community_children": "very_high",
        "custody_staff": "medium", "who_is_at_risk": "Children under 12",
        "nature_of_risk": "Sexual harm", "imminence": "Could happen at any time",
    })
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.rosh == "high"
    rosh = case.rosh_history.get()
    assert (rosh.community_children, rosh.custody_staff) == ("very_high", "medium")


def test_rosh_date_cannot_be_in_the_future_and_narrative_is_required(practitioner, case):
    response = client_for(practitioner).post(url("rosh_add", case), {
        "assessed_on": (today() + timedelta(days=2)).isoformat(), "overall": "low"})
    assert errors(response, "assessed_on") == ["This date cannot be in the future."]
    assert errors(response, "who_is_at_risk") and errors(response, "imminence")


def test_risk_assessment_with_another_tool_needs_its_name(practitioner, police, case):
    client = client_for(practitioner)
    data = {"tool": "other", "score": "High", "assessed_on": today().isoformat(),
            "assessor": "B. Practitioner", "agency": police.pk}
    response = client.post(url("risk_assessment_add", case), data)
    assert errors(response, "tool_other") == ["Name the tool used."]
    response = client.post(url("risk_assessment_add", case), {**data, "tool_other": "ERASOR"})
    assert response.status_code == 302
    assert RiskAssessment.objects.get(nominal=case).tool_other == "ERASOR"


def test_team_add_grants_access_and_team_end_revokes_it(coordinator, outsider, case):
    client = client_for(coordinator)
    assert client_for(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    response = client.post(url("team_add", case), {
        "user": outsider.pk, "role": TeamRole.AGENCY_CONTACT, "date_from": today().isoformat()})
    assert response.status_code == 302
    assert client_for(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 200
    member = TeamMember.objects.get(nominal=case, user=outsider)
    response = client.get(url("team_end", case, member.pk))
    assert response.status_code == 200 and "Charlie Outsider" in response.content.decode()
    response = client.post(url("team_end", case, member.pk), {"date_to": today().isoformat()})
    assert response.status_code == 302
    assert client_for(outsider).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    # An ended membership cannot be ended again.
    assert client.get(url("team_end", case, member.pk)).status_code == 404


def test_victim_permission_is_offered_only_by_those_who_hold_it(coordinator, police, case):
    visor = make_user("vera", agency=police)
    from cases.services import team_member_add

    team_member_add(nominal=case, user=visor, role=TeamRole.VISOR_MANAGER, actor=coordinator)
    assert not access.can_view_victims(visor, case)
    form = client_for(visor).get(url("team_add", case)).context["form"]
    assert "sees_victims" not in form.fields
    form = client_for(coordinator).get(url("team_add", case)).context["form"]
    assert "sees_victims" in form.fields


def test_team_end_refuses_a_date_before_the_membership_began(coordinator, outsider, case):
    member = add_to_team(case, outsider, actor=coordinator)
    response = client_for(coordinator).post(url("team_end", case, member.pk), {
        "date_to": (member.date_from - timedelta(days=1)).isoformat()})
    # The service's refusal lands beside the field.
    assert errors(response, "date_to") == ["The end date must be on or after the start date."]


def test_the_case_manager_is_not_ended_from_the_team_page(coordinator, practitioner, case):
    member = TeamMember.objects.get(nominal=case, user=practitioner,
                                    role=TeamRole.CASE_MANAGER)
    response = client_for(coordinator).post(url("team_end", case, member.pk),
                                            {"date_to": today().isoformat()})
    assert "edit the record instead" in errors(response)[0]
    assert access.can_change_nominal(practitioner, case)


def test_excluded_people_are_not_offered_and_restricted_cases_need_a_named_person(
    coordinator, outsider, housing, case
):
    client = client_for(coordinator)
    client.post(url("access", case), {"action": "exclude", "exclude-user": outsider.pk,
                                      "exclude-reason": "Neighbour of the victim"})
    form = client.get(url("team_add", case)).context["form"]
    assert outsider not in form.fields["user"].queryset
    someone = make_user("sam", agency=housing)
    nominal_restrict(nominal=case, reason="High profile", named_users=[], actor=coordinator)
    response = client.post(url("team_add", case), {
        "user": someone.pk, "role": TeamRole.AGENCY_CONTACT, "date_from": today().isoformat()})
    assert "This case is restricted" in errors(response, "user")[0]


def test_community_order_transfer_needs_the_chief_probation_officers_permission(practitioner,
                                                                                case):
    client = client_for(practitioner)
    data = {"direction": "out", "other_jurisdiction": "England and Wales",
            "is_community_order": "on", "status": TransferStatus.AGREED}
    response = client.post(url("transfer_add", case), data)
    assert "Chief Probation Officer's permission" in errors(response, "status")[0]
    assert errors(response, "cpo_permission_by") and errors(response, "cpo_permission_on")
    assert not Transfer.objects.exists()
    data.update(cpo_permission_by="Chief Probation Officer",
                cpo_permission_on=today().isoformat())
    assert client.post(url("transfer_add", case), data).status_code == 302
    assert Transfer.objects.get(nominal=case).status == TransferStatus.AGREED


def test_a_new_transfer_is_restricted_unless_said_otherwise_as_usual_in_jersey(practitioner,
                                                                             case):
    client = client_for(practitioner)
    data = form_data(client.get(url("transfer_add", case)).context["form"])
    assert data.get("restricted") == "on"
    data.update(direction="in", other_jurisdiction="England and Wales",
                status=TransferStatus.PROPOSED)
    assert client.post(url("transfer_add", case), data).status_code == 302
    assert Transfer.objects.get(nominal=case).restricted


def test_transfer_is_updated_and_another_cases_transfer_is_404(practitioner, coordinator, case):
    transfer = transfer_record(nominal=case, actor=coordinator, direction="in",
                               other_jurisdiction="Scotland")
    client = client_for(practitioner)
    data = form_data(client.get(url("transfer_edit", case, transfer.pk)).context["form"])
    data.update(status=TransferStatus.COMPLETED, transfer_date=today().isoformat())
    assert client.post(url("transfer_edit", case, transfer.pk), data).status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.COMPLETED
    event = AuditEvent.objects.filter(object_type="cases.transfer",
                                      action=Verb.CHANGE).latest("id")
    assert event.changes["status"] == {"from": "proposed", "to": "completed"}
    other = make_nominal(actor=coordinator, lead_agency=case.lead_agency,
                         case_manager=practitioner)
    assert client.get(url("transfer_edit", other, transfer.pk)).status_code == 404


def test_deviation_is_recorded_with_reasons(practitioner, case):
    client = client_for(practitioner)
    response = client.post(url("deviation_add", case), {
        "what": "Review held after 14 weeks", "why": "Chair unavailable",
        "guidance_section": "§10.11", "decided_on": (today() + timedelta(days=1)).isoformat()})
    assert errors(response, "decided_on") == ["This date cannot be in the future."]
    response = client.post(url("deviation_add", case), {
        "what": "Review held after 14 weeks", "why": "Chair unavailable",
        "guidance_section": "§10.11", "decided_on": today().isoformat()})
    assert response.status_code == 302
    deviation = Deviation.objects.get(nominal=case)
    assert deviation.decided_by == practitioner and deviation.guidance_section == "§10.11"


# -- victims --------------------------------------------------------------------------------------


def test_victims_page_is_404_without_the_victim_permission_and_200_with_it(contact,
                                                                           coordinator, case):
    assert client_for(contact).get(url("victims", case)).status_code == 404
    add_to_team(case, contact, TeamRole.AGENCY_CONTACT, actor=coordinator, sees_victims=True)
    assert client_for(contact).get(url("victims", case)).status_code == 200


def test_each_look_at_the_victims_is_audited(practitioner, coordinator, case):
    victim_record(nominal=case, actor=coordinator, relationship="Former partner")
    response = client_for(practitioner).get(url("victims", case))
    assert "Former partner" in response.content.decode()
    events = AuditEvent.objects.filter(action=Verb.VIEW, object_type="cases.victim",
                                       case_id=case.pk)
    assert events.count() == 1
    assert events.get().actor == practitioner


def test_a_victim_is_added(practitioner, case):
    response = client_for(practitioner).post(url("victims", case), {
        "relationship": "Neighbour's child", "age_band": "5-11", "gender": "female",
        "contact_restrictions": "No contact, direct or indirect"})
    assert response.status_code == 302
    assert Victim.objects.get(nominal=case).age_band == "5-11"
    response = client_for(practitioner).post(url("victims", case), {"relationship": ""})
    assert errors(response, "relationship")


def test_victims_page_query_count_does_not_grow_with_rows(practitioner, coordinator, case):
    client = client_for(practitioner)
    victim_record(nominal=case, actor=coordinator, relationship="Victim 1")
    client.get(url("victims", case))
    with CaptureQueriesContext(connection) as one:
        client.get(url("victims", case))
    for n in range(2, 8):
        victim_record(nominal=case, actor=coordinator, relationship=f"Victim {n}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url("victims", case))
    assert "Victim 7" in response.content.decode()
    assert len(many) == len(one)


# -- exclusions and restriction (the Co-ordinator's) ----------------------------------------------


def test_coordinator_excludes_someone_and_lifts_it_through_the_access_page(coordinator,
                                                                          practitioner, case):
    client = client_for(coordinator)
    response = client.post(url("access", case), {
        "action": "exclude", "exclude-user": practitioner.pk,
        "exclude-reason": "Related to the victim"})
    assert response.status_code == 302
    assert not access.can_view_nominal(practitioner, case)
    page = client.get(url("access", case)).content.decode()
    assert "Related to the victim" in page and "Bob Practitioner" in page
    exclusion = Exclusion.objects.get(nominal=case, user=practitioner)
    response = client.post(url("access", case), {"action": "lift_exclusion",
                                                  "exclusion": exclusion.pk})
    assert response.status_code == 302
    assert access.can_view_nominal(practitioner, case)


def test_an_exclusion_needs_a_reason(coordinator, practitioner, case):
    response = client_for(coordinator).post(url("access", case), {
        "action": "exclude", "exclude-user": practitioner.pk, "exclude-reason": ""})
    assert response.status_code == 200
    assert response.context["exclusion_form"].errors["reason"]
    assert not Exclusion.objects.exists()


def test_coordinator_restricts_to_named_people_and_lifts_it(coordinator, practitioner, contact,
                                                            case):
    client = client_for(coordinator)
    response = client.post(url("access", case), {
        "action": "restrict", "restrict-reason": "High-profile case",
        "restrict-named_users": [practitioner.pk]})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.restricted and case.restricted_reason == "High-profile case"
    assert access.can_view_nominal(practitioner, case)
    assert not access.can_view_nominal(contact, case)
    page = client.get(url("access", case)).content.decode()
    assert "This case is restricted" in page and "Bob Practitioner" in page
    named = NamedAccess.objects.get(nominal=case, user=practitioner)
    client.post(url("access", case), {"action": "remove_named", "named": named.pk})
    assert not access.can_view_nominal(practitioner, case)
    response = client.post(url("access", case), {"action": "unrestrict"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert not case.restricted
    assert access.can_view_nominal(contact, case) and access.can_view_nominal(practitioner, case)


def test_the_coordinator_cannot_take_themselves_off_a_restricted_case(coordinator, case):
    nominal_restrict(nominal=case, reason="High profile", named_users=[], actor=coordinator)
    named = NamedAccess.objects.get(nominal=case, user=coordinator)
    client_for(coordinator).post(url("access", case), {"action": "remove_named",
                                                       "named": named.pk})
    assert access.can_view_nominal(coordinator, case)


def test_restricting_starts_from_the_current_team(coordinator, practitioner, contact, case):
    form = client_for(coordinator).get(url("access", case)).context["restrict_form"]
    assert set(form["named_users"].value()) == {practitioner.pk, contact.pk}


def test_consent_given_needs_its_date_and_dates_identified_cannot_be_ahead(coordinator):
    response = client_for(coordinator).post(reverse("cases:create"), new_nominal(
        consent_to_share="given",
        identified_on=(today() + timedelta(days=3)).isoformat()))
    assert only_error(response, "consent_date").startswith("Give the date consent")
    assert only_error(response, "identified_on") == "This date cannot be in the future."


def test_case_manager_choice_leaves_out_the_excluded_and_respects_a_restriction(
    coordinator, practitioner, police, case
):
    excluded = make_user("eve", agency=police, first_name="Eve", last_name="Excluded")
    colleague = make_user("carl", agency=police, first_name="Carl", last_name="Colleague")
    client = client_for(coordinator)
    client.post(url("access", case), {"action": "exclude", "exclude-user": excluded.pk,
                                      "exclude-reason": "Knows the victim"})
    form = client.get(url("edit", case)).context["form"]
    assert excluded not in form.fields["case_manager"].queryset
    assert practitioner in form.fields["case_manager"].queryset
    nominal_restrict(nominal=case, reason="High profile", named_users=[practitioner],
                     actor=coordinator)
    data = form_data(client.get(url("edit", case)).context["form"])
    data["case_manager"] = colleague.pk
    response = client.post(url("edit", case), data)
    assert only_error(response, "case_manager").startswith("This case is restricted")
    case.refresh_from_db()
    assert case.case_manager == practitioner


def test_the_team_page_refuses_an_smb_member_with_a_clear_message(coordinator, police, case):
    member = make_user("sally", roles=[Role.SMB_MEMBER], agency=police)
    response = client_for(coordinator).post(url("team_add", case), {
        "user": member.pk, "role": TeamRole.AGENCY_CONTACT, "date_from": today().isoformat()})
    assert "An SMB member, as such, sees no individual case" in errors(response, "user")[0]
    assert not TeamMember.objects.filter(user=member).exists()
