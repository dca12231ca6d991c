"""ZIP code to county, and whether it is likely inside the counties the clinic visits."""

import pytest
from django.core.exceptions import ValidationError

from pages.clinic import clinic_facts
from pages.models import ClinicProfile
from pages.service_area import counties_unknown, service_area_for_zip

SERVED = ["King", "Pierce", "Snohomish"]


@pytest.mark.parametrize(
    ("zip_code", "county"),
    [("98101", "King"), ("98402", "Pierce"), ("98201", "Snohomish"), ("98103-1234", "King")],
)
def test_zip_codes_in_the_three_counties_are_likely_in_area(zip_code, county):
    area = service_area_for_zip(zip_code, SERVED)

    assert area.in_area is True
    assert area.county == county
    assert area.state == "WA"


@pytest.mark.parametrize(("zip_code", "county"), [("99201", "Spokane"), ("98501", "Thurston")])
def test_zip_codes_elsewhere_in_washington_are_out_of_area(zip_code, county):
    area = service_area_for_zip(zip_code, SERVED)

    assert area.in_area is False
    assert area.county == county


def test_a_county_of_the_same_name_in_another_state_is_out_of_area():
    area = service_area_for_zip("54003", SERVED)  # Pierce County, Wisconsin

    assert (area.county, area.state) == ("Pierce", "WI")
    assert area.in_area is False


def test_an_unknown_zip_code_is_left_for_staff_to_confirm():
    area = service_area_for_zip("00000", SERVED)

    assert area.in_area is None
    assert area.county == ""
    assert not area.known


@pytest.mark.django_db
def test_the_counties_come_from_the_clinic_profile(set_clinic_facts):
    set_clinic_facts(counties_served="spokane county")

    assert clinic_facts().counties == ["Spokane"]
    assert clinic_facts().area_for_zip("99201").in_area is True
    assert clinic_facts().area_for_zip("98101").in_area is False


@pytest.mark.django_db
def test_without_counties_nobody_guesses_whether_a_home_is_in_the_area(set_clinic_facts):
    set_clinic_facts(counties_served="")

    for zip_code in ("98101", "99201", "00000"):
        assert clinic_facts().area_for_zip(zip_code).in_area is None
    assert clinic_facts().area_name == ""


@pytest.mark.django_db
def test_a_new_database_takes_the_counties_the_setting_held():
    assert ClinicProfile.objects.get().counties_served == "King, Pierce, Snohomish"
    assert clinic_facts().counties == SERVED


@pytest.mark.parametrize(
    ("text", "unknown"),
    [
        ("King, Pierce, Snohomish", []),
        ("king county,  PIERCE ,", []),
        ("King, Kings", ["Kings"]),
        ("Multnomah", ["Multnomah"]),  # Oregon's, not Washington's
    ],
)
def test_county_names_are_checked_against_the_state(text, unknown):
    assert counties_unknown(text) == unknown


def test_a_misspelt_county_is_refused_with_its_name():
    profile = ClinicProfile(counties_served="King, Peirce")

    with pytest.raises(ValidationError) as raised:
        ClinicProfile._meta.get_field("counties_served").run_validators(profile.counties_served)

    assert "Not a county of Washington: Peirce" in str(raised.value)
