"""ZIP code to county, and whether it is likely inside the counties the clinic visits."""

import pytest

from intake.service_area import service_area_for_zip


@pytest.mark.parametrize(
    ("zip_code", "county"),
    [("98101", "King"), ("98402", "Pierce"), ("98201", "Snohomish"), ("98103-1234", "King")],
)
def test_zip_codes_in_the_three_counties_are_likely_in_area(zip_code, county):
    area = service_area_for_zip(zip_code)

    assert area.in_area is True
    assert area.county == county
    assert area.state == "WA"


@pytest.mark.parametrize(("zip_code", "county"), [("99201", "Spokane"), ("98501", "Thurston")])
def test_zip_codes_elsewhere_in_washington_are_out_of_area(zip_code, county):
    area = service_area_for_zip(zip_code)

    assert area.in_area is False
    assert area.county == county


def test_a_county_of_the_same_name_in_another_state_is_out_of_area():
    area = service_area_for_zip("54003")  # Pierce County, Wisconsin

    assert (area.county, area.state) == ("Pierce", "WI")
    assert area.in_area is False


def test_an_unknown_zip_code_is_left_for_staff_to_confirm():
    area = service_area_for_zip("00000")

    assert area.in_area is None
    assert area.county == ""
    assert not area.known


def test_the_counties_come_from_settings(settings):
    settings.SERVICE_AREA_COUNTIES = ["Spokane County"]

    assert service_area_for_zip("99201").in_area is True
    assert service_area_for_zip("98101").in_area is False
