"""Managers keep the clinic profile in the admin: one record, every change audited, seen at once."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client

from core.models import AuditEvent
from pages.admin import ClinicProfileForm
from pages.models import ClinicProfile

from .support import ADMIN

pytestmark = pytest.mark.django_db

PROFILE_LIST = "/staff/pages/clinicprofile/"


def change_url() -> str:
    # The migrations create the one record; a flushed database gets it from the admin's list.
    profile = ClinicProfile.objects.first() or ClinicProfile.objects.create()
    return f"{PROFILE_LIST}{profile.pk}/change/"


def form_data(profile: ClinicProfile, **changes) -> dict[str, str]:
    """What the admin's form posts back: every field as it stands, with `changes`."""
    data = model_to_dict(profile, fields=ClinicProfileForm._meta.fields)
    data.update(changes)
    return {name: "" if value is None else value for name, value in data.items()}


def test_a_managers_new_price_shows_on_the_cost_page_at_once_and_is_audited(manager_client):
    assert "$" not in Client().get("/cost/").content.decode().replace("$400", "")

    response = manager_client.post(
        change_url(), form_data(ClinicProfile.objects.get(), price_per_session="725")
    )

    assert response.status_code == 302, response.content[:3000]
    page = BeautifulSoup(Client().get("/cost/").content, "html.parser")
    assert page.select_one(".price-list strong").get_text() == "$725"
    event = AuditEvent.objects.get(detail__startswith="clinic profile")
    assert event.actor_username == "manager-one"
    assert event.detail == "clinic profile: price_per_session"


def test_the_profile_is_one_record_that_nobody_adds_to_or_deletes(manager_client):
    assert manager_client.get(PROFILE_LIST).headers["Location"] == change_url()
    assert manager_client.get(f"{PROFILE_LIST}add/").status_code == 403
    assert manager_client.post(change_url().replace("change", "delete")).status_code == 403
    assert ClinicProfile.objects.count() == 1


def test_reviewers_do_not_change_the_profile(reviewer_client):
    assert reviewer_client.get(change_url()).status_code == 403
    home = BeautifulSoup(reviewer_client.get(ADMIN).content, "html.parser")
    assert not home.find(string="Before going live")


def test_the_staff_home_page_lists_what_is_missing_before_going_live(manager_client):
    home = BeautifulSoup(manager_client.get(ADMIN).content, "html.parser")

    section = home.select_one(".before-going-live")
    assert section.find("h2").get_text() == "Before going live"
    assert "Missing: price of one session" in section.get_text()
    assert home.find("a", string="Clinic profile")["href"] == PROFILE_LIST


def test_example_values_are_marked_for_staff_until_confirmed(manager_client):
    call_command("seed_example_clinic")
    page = BeautifulSoup(manager_client.get(change_url()).content, "html.parser")
    help_text = page.select_one("#id_price_per_session_helptext").get_text()
    assert "EXAMPLE VALUE" in help_text

    profile = ClinicProfile.objects.get()
    manager_client.post(change_url(), form_data(profile, confirm_examples="on"))

    assert ClinicProfile.objects.get().example_field_names == []
    page = BeautifulSoup(manager_client.get(change_url()).content, "html.parser")
    marked = [
        help_text["id"]
        for help_text in page.select(".help")
        if "EXAMPLE VALUE" in help_text.get_text()
    ]
    # A number reserved for fiction and an example.org address stay examples whatever is ticked.
    assert marked == ["id_phone_helptext", "id_email_helptext"]


# Each checked fact: what a manager might mistype, and a right value in another common layout.
TYPED = {
    "phone": (["abc", "(206) 555-014", "555-0142", "+44 20 7946 0958"], "206.555.0199"),
    "postal_code": (["ABCDE", "9810", "98101-12"], "98101-1234"),
    "opening_hours_schema": (
        ["whenever", "Monday to Friday", "Mo-Fr 8-18", "Mo-Fr 08:00-18:00,Sa 09:00-12:00"],
        "Mo-Fr 08:00-18:00, Sa 09:00-12:00",
    ),
    "director_licence_number": (["hello world", "60012345", "MD 60012345"], "MD60012345"),
}


@pytest.mark.parametrize(
    ("field", "typed"), [(field, wrong) for field, (wrongs, _) in TYPED.items() for wrong in wrongs]
)
def test_a_mistyped_fact_is_refused_beside_its_box_and_nothing_is_saved(
    manager_client, field, typed
):
    before = model_to_dict(ClinicProfile.objects.get())
    response = manager_client.post(
        change_url(), form_data(ClinicProfile.objects.get(), **{field: typed})
    )

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == [field], errors
    assert "e.g." in errors[field][0]  # says what it expects
    assert model_to_dict(ClinicProfile.objects.get()) == before


@pytest.mark.parametrize("field", TYPED)
def test_a_fact_in_another_common_layout_is_taken(manager_client, field):
    right = TYPED[field][1]
    response = manager_client.post(
        change_url(), form_data(ClinicProfile.objects.get(), **{field: right})
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert getattr(ClinicProfile.objects.get(), field) == right


def test_a_manager_publishes_a_clinician_with_a_licence_number_and_a_reviewer_cannot(
    manager_client, reviewer_client
):
    add = "/staff/pages/clinician/add/"
    assert reviewer_client.get(add).status_code == 403
    assert manager_client.get(add).status_code == 200

    response = manager_client.post(
        add,
        {
            "name": "Ana Ruiz",
            "credentials": "RN",
            "role": "Gives infusions at home",
            "licence_number": "RN60123456",
            "role_es": "",
            "order": "1",
            "published": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    team = BeautifulSoup(Client().get("/").content, "html.parser").select_one(".care-team")
    assert "Ana Ruiz" in team.get_text(" ", strip=True)
    assert "RN60123456" in team.get_text(" ", strip=True)
