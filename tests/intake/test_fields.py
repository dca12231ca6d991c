"""The encrypted model fields and the flag-codes field, method by method, then through the ORM."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.core.exceptions import FieldError, ValidationError

from intake.crypto import decrypt_text, encrypt_text
from intake.demo import demo_request_create
from intake.fields import EncryptedField, FlagCodesField
from intake.models import ScreeningRequest


def field(name: str):
    return ScreeningRequest._meta.get_field(name)


def test_a_value_is_stored_as_a_token_of_its_text_and_read_back():
    first_name = field("first_name")

    token = first_name.get_prep_value("Zoë")

    assert token != "Zoë"
    assert decrypt_text(token) == "Zoë"
    assert first_name.from_db_value(token, None, None) == "Zoë"


def test_none_stays_none_both_ways():
    for name in ("first_name", "date_of_birth", "answers"):
        assert field(name).get_prep_value(None) is None
        assert field(name).from_db_value(None, None, None) is None


def test_the_base_field_stores_str_of_the_value_and_reads_text_back():
    base = EncryptedField()

    assert decrypt_text(base.get_prep_value(12)) == "12"
    assert base.from_db_value(encrypt_text("12"), None, None) == "12"
    assert base.to_python(12) == 12


def test_text_fields_turn_other_values_into_text():
    first_name = field("first_name")

    assert first_name.to_python(None) is None
    assert first_name.to_python("Zoë") == "Zoë"
    assert first_name.to_python(42) == "42"


def test_dates_are_stored_as_iso_text_and_read_back_as_dates():
    date_of_birth = field("date_of_birth")
    born = datetime.date(1979, 4, 23)

    assert decrypt_text(date_of_birth.get_prep_value(born)) == "1979-04-23"
    assert decrypt_text(date_of_birth.get_prep_value("1979-04-23")) == "1979-04-23"
    assert date_of_birth.from_db_value(encrypt_text("1979-04-23"), None, None) == born
    assert date_of_birth.to_python(None) is None
    assert date_of_birth.to_python(born) is born
    assert date_of_birth.to_python("1979-04-23") == born
    assert isinstance(date_of_birth.formfield(), forms.DateField)
    assert date_of_birth.formfield(required=False).required is False


def test_json_is_stored_sorted_unescaped_and_with_django_types():
    answers = field("answers")
    value = {"b": "Zoë", "a": Decimal("6.5"), "d": datetime.date(2026, 3, 1)}

    text = decrypt_text(answers.get_prep_value(value))

    assert text == '{"a": "6.5", "b": "Zoë", "d": "2026-03-01"}'
    assert answers.from_db_value(encrypt_text('{"x": [1, 2]}'), None, None) == {"x": [1, 2]}
    assert isinstance(answers.formfield(), forms.JSONField)
    assert answers.formfield(required=False).required is False


def test_serialisation_writes_plaintext():
    screening_request = ScreeningRequest(
        first_name="Zoë", date_of_birth=datetime.date(1979, 4, 23), answers={"k": 1}
    )

    assert field("first_name").value_to_string(screening_request) == "Zoë"
    assert field("date_of_birth").value_to_string(screening_request) == "1979-04-23"
    assert field("answers").value_to_string(screening_request) == '{"k": 1}'


@pytest.mark.parametrize("lookup", ["exact", "iexact", "contains", "startswith", "in", "gt"])
def test_encrypted_fields_refuse_lookups_they_cannot_support(lookup):
    with pytest.raises(FieldError, match=rf"ScreeningRequest\.email .*'{lookup}'"):
        field("email").get_lookup(lookup)


def test_encrypted_fields_allow_isnull():
    assert field("email").get_lookup("isnull").lookup_name == "isnull"


# --- Flag codes ----------------------------------------------------------------------------------


def test_flag_codes_are_stored_between_commas():
    flags = field("flags")

    assert flags.get_prep_value(["heart", "liver"]) == ",heart,liver,"
    assert flags.get_prep_value([]) == ""
    assert flags.get_prep_value(None) == ""
    assert flags.get_prep_value(",already,stored,") == ",already,stored,"
    assert flags.value_to_string(ScreeningRequest(flags=["heart"])) == ",heart,"


@pytest.mark.parametrize("bad", [["a,b"], [""], ["ok", ""]])
def test_a_flag_code_with_a_comma_or_empty_is_refused(bad):
    with pytest.raises(ValueError, match="Invalid flag code"):
        field("flags").get_prep_value(bad)


@pytest.mark.parametrize(
    ("stored", "codes"),
    [(None, []), ("", []), (",heart,", ["heart"]), (",heart,,liver,", ["heart", "liver"])],
)
def test_flag_codes_are_read_back_as_a_list(stored, codes):
    flags = field("flags")

    assert flags.from_db_value(stored, None, None) == codes
    assert flags.to_python(stored) == codes
    assert flags.to_python(tuple(codes)) == codes


def test_flag_codes_field_defaults():
    flags = FlagCodesField()

    assert (flags.max_length, flags.default, flags.blank) == (500, list, True)
    assert FlagCodesField(max_length=20, blank=False).max_length == 20
    assert FlagCodesField(max_length=20, blank=False).blank is False
    assert flags.formfield() is None


def test_flag_codes_validation_applies_to_the_list():
    required = FlagCodesField(blank=False)
    required.set_attributes_from_name("flags")

    with pytest.raises(ValidationError):
        required.validate([], None)
    required.validate(["heart"], None)
    FlagCodesField().validate([], None)
    not_editable = FlagCodesField(blank=False, editable=False)
    not_editable.validate([], None)


def test_flag_codes_longer_than_the_column_are_refused():
    flags = FlagCodesField(max_length=12)

    flags.run_validators(["heart", "liv"])  # ",heart,liv," is 11 characters
    with pytest.raises(ValidationError):
        flags.run_validators(["heart", "liver"])  # ",heart,liver," is 13


@pytest.mark.django_db
def test_flags_has_finds_exactly_that_code():
    heart = demo_request_create(1, health_conditions=["heart"])
    demo_request_create(2)

    assert list(ScreeningRequest.objects.filter(flags__has="heart")) == [heart]
    assert not ScreeningRequest.objects.filter(flags__has="hear").exists()


@pytest.mark.django_db
def test_an_encrypted_field_round_trips_through_the_database():
    stored = demo_request_create(1, first_name="Zoë")

    assert ScreeningRequest.objects.get(pk=stored.pk).first_name == "Zoë"
    assert ScreeningRequest.objects.filter(email__isnull=False).count() == 1
    assert not ScreeningRequest.objects.filter(how_heard__isnull=True).exists()


def test_flag_code_choices_are_not_checked_against_the_whole_list():
    with_choices = FlagCodesField(choices=[("heart", "Heart")], blank=False)
    with_choices.set_attributes_from_name("flags")

    with_choices.validate(["heart"], None)  # a list, not one of the choices: not refused
