"""The clinic's own facts come from the clinic profile, and only from it.

A new database has an empty profile: every page hides each missing fact and shows no placeholder.
The example profile shows every section; each sentence shows where patients decide, in its own
language only; `clinic_check` and the deployment check name what is missing or still an example.
"""

from __future__ import annotations

import importlib
import json
import re
from decimal import Decimal
from urllib.parse import urlsplit

import pytest
import textstat
from bs4 import BeautifulSoup
from django.apps import apps
from django.core.checks import Warning as CheckWarning
from django.core.management import CommandError, call_command
from django.template.loader import render_to_string

from core.models import AuditEvent
from pages.cache import bump_content_version
from pages.checks import clinic_profile_check
from pages.clinic import (
    FILLED_ON_A_NEW_DATABASE,
    REQUIRED,
    SENTENCES,
    clinic_profile_problems,
    field_label,
)
from pages.example_clinic import EXAMPLE_PROFILE
from pages.models import Clinician, ClinicProfile
from pages.services import clinic_profile_save

from ..schema_org import schema_problems
from .content_helpers import CONTENT_PATHS, SPANISH_PATHS, main_text, of_type, soup_of

pytestmark = pytest.mark.django_db

EVERY_PAGE = [*CONTENT_PATHS.values(), *SPANISH_PATHS.values()]
AT_HOME = CONTENT_PATHS["at_home"]
COST = CONTENT_PATHS["cost"]
# Where each of the clinic's sentences is shown to patients.
SENTENCE_PAGES = {
    "opening_hours": "/",
    "consultation_includes": COST,
    "session_includes": COST,
    "course_includes": COST,
    "hsa_fsa": COST,
    "superbill": COST,
    "session_duration": AT_HOME,
    "fasting_rule": AT_HOME,
    "companion_rule": AT_HOME,
    "driving_rule": AT_HOME,
    "visiting_clinician": AT_HOME,
    "prescriber": AT_HOME,
    "monitoring": AT_HOME,
    "emergency_equipment": AT_HOME,
    "emergency_plan": AT_HOME,
}
# What a sentence about a price needs beside it: the price itself.
ALONGSIDE = {
    "consultation_includes": {"price_consultation": Decimal("150")},
    "session_includes": {"price_per_session": Decimal("650")},
    "course_includes": {"price_per_course": Decimal("3600")},
}
PLACEHOLDERS = [
    "555-01",
    "example.org",
    "Your clinician tells you",
    "Su profesional de salud le dice",
]
# Words that promise a fact: without the fact they would promise nothing.
PROMISES = [
    "Our prices are on",
    "Nuestros precios están",
    "farther from a hospital",
    "más lejos de un hospital",
    "Call us if anything",
    "Llámenos si algo",
    "Who comes, and what they bring",
    "Quién va a su casa y qué lleva",
]


def spanish(path: str) -> str:
    return "/es" + path


def page_text(client, path: str) -> str:
    return soup_of(client.get(path)).get_text(" ", strip=True)


# --- A new database: nothing invented -------------------------------------------------------------


def test_a_new_database_has_one_empty_profile_and_no_example_value():
    profile = ClinicProfile.objects.get()

    assert profile.example_field_names == []
    assert clinic_profile_problems(profile) == [
        f"Missing: {field_label(name)}" for name in REQUIRED if name not in FILLED_ON_A_NEW_DATABASE
    ]


def test_with_an_empty_profile_every_link_on_every_listed_page_has_words(client):
    # Every page the sitemap lists, in each language it lists it in.
    sitemap = client.get("/sitemap.xml").content.decode()
    paths = sorted({urlsplit(loc).path for loc in re.findall(r'(?:<loc>|href=")([^<"]+)', sitemap)})
    assert {"/language-assistance/", "/es/language-assistance/"} <= set(paths)
    for path in paths:
        soup = soup_of(client.get(path))
        assert not soup.select('a[href="tel:"], a[href="mailto:"]'), path
        for link in soup.select("a[href]"):
            named = link.get_text(strip=True) or link.get("aria-label") or link.select("img[alt]")
            assert named, (path, str(link)[:160])


@pytest.mark.parametrize("path", EVERY_PAGE)
def test_with_an_empty_profile_no_page_shows_a_placeholder_or_an_invented_fact(client, path):
    soup = soup_of(client.get(path))
    text = soup.get_text(" ", strip=True)

    for placeholder in PLACEHOLDERS + PROMISES:
        assert placeholder not in text, placeholder
    assert not soup.select('a[href="tel:"], a[href="mailto:"], a.site-phone')
    assert not soup.select(".care-team, .price-from, .site-footer__example")
    # The only dollar figure without a profile is the Good Faith Estimate's $400 dispute rule.
    assert set(re.findall(r"\$[\d,]+", text)) <= {"$400"}


def test_every_sentence_the_clinic_writes_shows_on_its_page_in_its_own_language_only(
    client, set_clinic_facts
):
    assert set(SENTENCE_PAGES) == set(SENTENCES)
    for name, path in SENTENCE_PAGES.items():
        english, in_spanish = f"English words for {name}.", f"Palabras para {name}."
        set_clinic_facts(**{name: english}, **ALONGSIDE.get(name, {}))
        assert english in page_text(client, path), name
        assert english not in page_text(client, spanish(path)), name

        set_clinic_facts(**{f"{name}_es": in_spanish})
        assert in_spanish in page_text(client, spanish(path)), name
        assert in_spanish not in page_text(client, path), name

        set_clinic_facts(**{name: "", f"{name}_es": ""})
        assert english not in page_text(client, path), name
        set_clinic_facts(**{price: None for price in ALONGSIDE.get(name, {})})


# --- The example clinic: every section ------------------------------------------------------------


def test_home_page_says_what_a_session_costs_and_links_the_estimate(client, example_clinic):
    soup = soup_of(client.get("/"))
    price = soup.select_one("main .hero .price-from")

    # A session of the course ($3,600 for 6) is the lowest price a session can have.
    assert "From $600 a session." in price.get_text(" ", strip=True)
    assert price.find("a", href="/cost/#good-faith-estimate")
    assert "One session at home costs $650." in main_text(client.get("/"))
    assert "Desde $600 por sesión." in soup_of(client.get("/es/")).select_one(
        ".price-from"
    ).get_text(" ", strip=True)


@pytest.mark.parametrize("path", [COST, spanish(COST)])
def test_cost_page_lists_each_price_with_the_estimate_and_works_out_a_course(
    client, example_clinic, path
):
    soup = soup_of(client.get(path))
    prices = soup.select("main .price-list li")

    assert [li.strong.get_text() for li in prices] == ["$150", "$650", "$3,600"]
    for li in prices:
        assert li.find("a", href="#good-faith-estimate"), li
    worked = soup.find(id="example").find_next("p").get_text(" ", strip=True)
    assert "$650" in worked and "$3,900" in worked and "$3,600" in worked


def test_who_cares_for_you_names_the_medical_director_with_a_licence_to_check(
    client, example_clinic
):
    for path in ["/", AT_HOME, "/es/"]:
        team = soup_of(client.get(path)).select_one(".care-team")
        person = team.select_one(".care-team__person")
        assert person.select_one(".care-team__name").get_text() == "Jordan Example, MD"
        licence = person.select_one(".care-team__licence a")
        assert licence.get_text() == "MD00000000"
        assert licence["href"] == example_clinic.director_licence_url


@pytest.mark.parametrize("path", [AT_HOME, spanish(AT_HOME)])
def test_at_home_page_says_what_happens_if_something_goes_wrong(client, example_clinic, path):
    soup = soup_of(client.get(path))
    heading = soup.find(id="if-something-goes-wrong")
    plan = heading.find_next("p").get_text(" ", strip=True)

    assert "911" in plan
    english = path == AT_HOME
    expected = example_clinic.emergency_plan if english else example_clinic.emergency_plan_es
    assert expected in plan
    home = "/" if path == AT_HOME else "/es/"
    assert soup_of(client.get(home)).select_one(f'main a[href="{path}#if-something-goes-wrong"]')


@pytest.mark.parametrize("path", ["/", "/es/", "/screening/"])
def test_footer_gives_contact_hours_address_and_the_estimate_link(client, example_clinic, path):
    footer = soup_of(client.get(path)).find("footer")
    text = footer.get_text(" ", strip=True)

    assert footer.select_one('a[href="tel:+12065550142"]')
    assert footer.select_one('a[href="mailto:care@example.org"]')
    assert "100 Example Street, Suite 1, Seattle, WA 98101" in text
    hours = example_clinic.opening_hours if path != "/es/" else example_clinic.opening_hours_es
    assert hours in text.replace("\u00a0", " ")
    assert footer.find("a", href=re.compile(r"cost/#good-faith-estimate$"))
    # The example is said to be one, on every page, while any example value is left.
    assert footer.select_one(".site-footer__example")


def test_the_estimate_is_linked_from_every_pages_footer_even_without_a_profile(client):
    for path in EVERY_PAGE:
        footer = soup_of(client.get(path)).find("footer")
        assert footer.find("a", href=re.compile(r"cost/#good-faith-estimate$")), path


@pytest.mark.parametrize("path", [COST, spanish(COST)])
def test_good_faith_estimate_notice_covers_scope_timing_and_the_dispute_threshold(client, path):
    notice = soup_of(client.get(path)).select_one("#good-faith-estimate").get_text(" ", strip=True)

    for words in {
        COST: [
            "all the items and services",
            "every provider or facility",
            "boosters",
            "(ECG)",
            "medicines",
            "at least 3 business days",
            "within 1 business day",
            "at least 10 business days",
            "within 3 business days",
            "$400 or more",
            "1-800-985-3059",
        ],
        spanish(COST): [
            "todos los productos y servicios",
            "cada proveedor o centro",
            "refuerzo",
            "(ECG)",
            "medicamentos",
            "al menos 3 días hábiles",
            "en un día hábil",
            "al menos 10 días hábiles",
            "en 3 días hábiles",
            "$400 o más",
            "1-800-985-3059",
        ],
    }[path]:
        assert words in notice, words


def test_the_home_page_says_king_pierce_and_snohomish_counties(client):
    lead = soup_of(client.get("/")).select_one("main .lead").get_text(" ", strip=True)

    assert "King, Pierce and Snohomish counties" in lead


# --- JSON-LD --------------------------------------------------------------------------------------


def test_the_clinic_is_described_to_search_engines_with_every_fact_of_its_profile(
    client, example_clinic
):
    clinic = of_type(client.get("/"), "MedicalClinic")

    assert schema_problems(clinic) == []
    assert clinic["telephone"] == "(206) 555-0142"
    assert clinic["openingHours"] == ["Mo-Fr 08:00-18:00"]
    assert clinic["priceRange"] == "$150 - $3,600"
    assert clinic["medicalSpecialty"] == "Anesthesia"
    assert clinic["address"]["postalCode"] == "98101"
    director = clinic["member"]
    assert director["@type"] == "Physician"
    assert director["name"] == "Jordan Example, MD"
    assert director["hasCredential"]["identifier"] == "MD00000000"


@pytest.mark.parametrize(
    ("wrong", "found"),
    [
        (
            {"@type": "Physician", "name": "A", "jobTitle": "Medical director"},
            "Physician.jobTitle is not a schema.org property of it",
        ),
        ({"@type": "MedicalClinik", "name": "A"}, "MedicalClinik: not a schema.org type"),
        (
            {"@type": "MedicalClinic", "medicalSpecialty": "Ketamine"},
            "MedicalClinic.medicalSpecialty: text 'Ketamine' is outside ['MedicalSpecialty']",
        ),
        (
            {"@type": "MedicalClinic", "address": {"@type": "Physician", "name": "A"}},
            "MedicalClinic.address: a Physician is outside ['PostalAddress', 'Text']",
        ),
    ],
)
def test_the_schema_check_catches_what_schema_org_does_not_define(wrong, found):
    assert found in schema_problems(wrong)


def test_every_pages_structured_data_follows_schema_org(client, example_clinic):
    types_seen = set()
    for path in EVERY_PAGE:
        soup = soup_of(client.get(path))
        blocks = [json.loads(s.string) for s in soup.select('script[type="application/ld+json"]')]
        for node in (node for block in blocks for node in block.get("@graph", [block])):
            assert schema_problems(node) == [], (path, node["@type"])
            types_seen.add(node["@type"])

    assert {"MedicalClinic", "MedicalWebPage", "FAQPage"} <= types_seen


# --- A manager's edit, at once --------------------------------------------------------------------


def test_saving_the_profile_refreshes_every_cached_page_and_is_audited(client, set_clinic_facts):
    set_clinic_facts(price_per_session=Decimal("650"))
    assert "$650" in main_text(client.get(COST))  # now cached at this content version

    set_clinic_facts(price_per_session=Decimal("700"))

    assert "$700" in main_text(client.get(COST))
    event = AuditEvent.objects.filter(detail__startswith="clinic profile").latest("occurred_at")
    assert event.detail == "clinic profile: price_per_session"
    assert event.action == AuditEvent.Action.CHANGE


# --- Ready to go live? ----------------------------------------------------------------------------


def test_clinic_check_names_every_blank_on_a_new_database(capsys):
    with pytest.raises(CommandError):
        call_command("clinic_check")
    listed = capsys.readouterr().out.splitlines()

    assert listed == [
        f"- Missing: {field_label(name)}"
        for name in REQUIRED
        if name not in FILLED_ON_A_NEW_DATABASE
    ]


def test_clinic_check_names_every_example_value_until_a_manager_replaces_it(
    example_clinic, set_clinic_facts, capsys
):
    with pytest.raises(CommandError):
        call_command("clinic_check")
    listed = capsys.readouterr().out

    for name in EXAMPLE_PROFILE:
        assert f"- Still an example: {field_label(name)}\n" in listed, name
    # A value a manager changes is no longer an example; the others still are.
    set_clinic_facts(fasting_rule_es="Nuestra propia regla.")
    remaining = clinic_profile_problems()
    assert f"Still an example: {field_label('fasting_rule_es')}" not in remaining
    assert f"Still an example: {field_label('fasting_rule')}" in remaining


def test_clinic_check_passes_once_every_fact_is_the_clinics_own(example_clinic, capsys):
    profile = ClinicProfile.objects.get()
    profile.phone = "(206) 321-4567"
    profile.email = "care@avyia.test"
    profile.example_field_names = []
    profile.save()

    call_command("clinic_check")

    assert "complete" in capsys.readouterr().out
    assert clinic_profile_check() == []


def test_production_deploy_check_warns_while_the_profile_is_incomplete():
    warnings = clinic_profile_check()

    assert len(warnings) == 1 and isinstance(warnings[0], CheckWarning)
    assert warnings[0].id == "pages.W001"
    assert "Missing: price of one session" in warnings[0].msg


def test_the_example_clinic_is_refused_in_production(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="Refused"):
        call_command("seed_example_clinic")
    assert ClinicProfile.objects.get().price_per_session is None


def test_seeding_leaves_a_profile_with_any_fact_alone(set_clinic_facts):
    set_clinic_facts(phone="(206) 321-4567")

    call_command("seed_example_clinic", if_empty=True)

    assert ClinicProfile.objects.get().price_per_session is None


# --- From the old settings ------------------------------------------------------------------------

FROM_SETTINGS = importlib.import_module("pages.migrations.0010_clinic_profile_from_settings")


def test_the_migration_takes_the_old_settings_but_not_their_placeholders(monkeypatch):
    ClinicProfile.objects.all().delete()
    monkeypatch.setenv("PRICE_PER_SESSION", "$650")
    monkeypatch.setenv("PRICE_PER_COURSE", "$3,600")
    monkeypatch.setenv("INFUSION_DURATION_ES", "unas 2 horas")
    monkeypatch.setenv("CLINIC_PHONE", "(206) 555-0142")
    monkeypatch.setenv("CLINIC_EMAIL", "care@example.org")

    FROM_SETTINGS.profile_from_settings(apps, None)

    profile = ClinicProfile.objects.get()
    assert profile.price_per_session == Decimal("650")
    assert profile.price_per_course == Decimal("3600")
    assert profile.session_duration_es == "unas 2 horas"
    assert profile.phone == profile.email == ""


# --- Plain words ----------------------------------------------------------------------------------


def new_section_prose(soup, anchor: str | None) -> str:
    """The prose of a section that shows the clinic's facts, without citation marks."""
    if anchor:
        parts = []
        for sibling in soup.find(id=anchor).find_next_siblings():
            if sibling.name == "h2":
                break
            parts.append(sibling.get_text(" ", strip=True))
        prose = " ".join(parts)
    else:
        prose = soup.select_one(".price-from, .price-list").get_text(" ", strip=True)
        prose += " " + (soup.find(id="example") or soup.find("h2")).find_next("p").get_text(" ")
    for mark in soup.select("sup.cite"):
        prose = prose.replace(mark.get_text(" ", strip=True), "")
    return prose


NEW_SECTIONS = [
    ("/", None),
    (COST, None),
    (AT_HOME, "who-comes"),
    (AT_HOME, "if-something-goes-wrong"),
]


@pytest.mark.parametrize(("path", "anchor"), NEW_SECTIONS)
def test_the_new_sections_read_at_grade_8_or_below(client, example_clinic, path, anchor):
    prose = new_section_prose(soup_of(client.get(path)), anchor)

    assert textstat.flesch_kincaid_grade(prose) <= 8.0, prose


@pytest.mark.parametrize(("path", "anchor"), NEW_SECTIONS)
def test_the_new_sections_in_spanish_are_fairly_easy_or_easier(
    client, example_clinic, path, anchor
):
    textstat.set_lang("es")
    try:
        prose = new_section_prose(soup_of(client.get(spanish(path))), anchor)
        assert textstat.fernandez_huerta(prose) >= 70.0, prose
    finally:
        textstat.set_lang("en")


# --- The medical director's photo -----------------------------------------------------------------


def test_the_medical_directors_photo_is_re_encoded_and_served_from_our_own_site(
    client, example_clinic, settings, tmp_path
):
    from .test_clinicians import jpeg_upload

    settings.MEDIA_ROOT = tmp_path / "media"
    profile = clinic_profile_save(
        profile=ClinicProfile.objects.get(),
        changed_fields=[],
        actor_label="tests",
        director_photo=jpeg_upload(),
    )

    photo = soup_of(client.get("/")).select_one(".care-team__person img.care-team__photo")
    assert photo["src"] == profile.director_photo_url and photo["src"].startswith("/")
    served = client.get(photo["src"])
    assert served["Content-Type"] == "image/webp"
    assert b"Camera maker" not in b"".join(served.streaming_content)


@pytest.mark.parametrize(
    ("template", "context"),
    [
        ("intake/_error_summary.html", {"problem": "rate_limited"}),
        ("intake/_error_summary.html", {"problem": "unavailable"}),
        ("400.html", {}),
        ("403_csrf.html", {}),
    ],
)
def test_without_a_phone_a_message_that_offered_a_call_still_says_what_to_do(rf, template, context):

    with_phone = render_to_string(
        template, {**context, "clinic": {"phone": "(206) 321-4567", "phone_uri": "+12063214567"}}
    )
    without = render_to_string(template, {**context, "clinic": {"phone": "", "phone_uri": ""}})

    assert 'href="tel:+12063214567"' in with_phone
    assert 'href="tel:"' not in without and "call us at" not in without
    assert "again" in BeautifulSoup(without, "html.parser").get_text()


def test_a_published_clinician_shows_their_licence_number_with_the_lookup_link(
    client, example_clinic
):
    Clinician.objects.create(
        name="Sam Rivera", credentials="RN", role="Gives infusions at home", licence_number="RN1"
    )
    bump_content_version()

    people = soup_of(client.get("/")).select(".care-team__person")

    assert [p.select_one(".care-team__name").get_text() for p in people] == [
        "Jordan Example, MD",
        "Sam Rivera, RN",
    ]
    licence = people[1].select_one(".care-team__licence a")
    assert licence.get_text() == "RN1"
    assert licence["href"] == example_clinic.director_licence_url


# --- Counties, clinicians' licences and photos ----------------------------------------------------

COUNTIES_MIGRATION = importlib.import_module("pages.migrations.0012_counties_served")


@pytest.mark.parametrize(
    ("variable", "counties"),
    [(None, "King, Pierce, Snohomish"), ("King,Snohomish", "King, Snohomish")],
)
def test_the_counties_come_from_the_old_setting_or_its_default(monkeypatch, variable, counties):
    ClinicProfile.objects.update(counties_served="")
    if variable is None:
        monkeypatch.delenv("SERVICE_AREA_COUNTIES", raising=False)
    else:
        monkeypatch.setenv("SERVICE_AREA_COUNTIES", variable)

    COUNTIES_MIGRATION.counties_from_setting(apps, None)

    assert ClinicProfile.objects.get().counties_served == counties


# Words that would be left around an empty county list.
EMPTY_AREA = re.compile(
    r"\bin\s+counties|\(\s*counties\)|\b(home|homes|casa|hogares|pain|crónico) (in|en)\s*[.,]"
    r"|serves\s*\.|pacientes en|atiende (a|en)\s*\.|\(\s*\)"
)


@pytest.mark.parametrize("path", [*EVERY_PAGE, "/screening/", "/es/screening/"])
def test_without_counties_no_page_leaves_a_gap_where_the_area_was(client, set_clinic_facts, path):
    set_clinic_facts(counties_served="")
    soup = soup_of(client.get(path))
    text = soup.get_text(" ", strip=True)
    description = soup.select_one('meta[name="description"]')["content"]

    assert not EMPTY_AREA.search(text), EMPTY_AREA.search(text)
    assert not EMPTY_AREA.search(description), description
    assert "Where we provide care" not in text and "Dónde damos atención" not in text


def test_with_counties_the_pages_name_them(client, set_clinic_facts):
    set_clinic_facts(counties_served="King, Snohomish")

    assert "in King and Snohomish counties" in page_text(client, "/")
    assert "King y Snohomish" in page_text(client, "/es/")
    assert "We visit homes in King and Snohomish counties." in page_text(client, AT_HOME)


def test_clinic_check_names_each_published_clinician_without_a_licence_number(
    example_clinic, capsys
):
    profile = ClinicProfile.objects.get()
    profile.phone, profile.email, profile.example_field_names = "(206) 321-4567", "c@avyia.test", []
    profile.save()
    Clinician.objects.create(name="Ana Ruiz", credentials="RN", role="Gives infusions")
    Clinician.objects.create(name="Hidden Person", credentials="RN", role="x", published=False)
    Clinician.objects.create(
        name="Lee Park", credentials="RN", role="Gives infusions", licence_number="RN60123456"
    )

    with pytest.raises(CommandError):
        call_command("clinic_check")
    out = capsys.readouterr().out

    assert "- Missing: Ana Ruiz's Washington licence number (Clinicians)" in out
    assert "Lee Park's" not in out and "Hidden Person" not in out


def test_photos_are_suggested_without_holding_the_site_back(example_clinic, capsys):
    profile = ClinicProfile.objects.get()
    profile.phone, profile.email, profile.example_field_names = "(206) 321-4567", "c@avyia.test", []
    profile.save()
    Clinician.objects.create(
        name="Lee Park", credentials="RN", role="Gives infusions", licence_number="RN60123456"
    )

    call_command("clinic_check")  # no error: photos are welcome, not required
    out = capsys.readouterr().out

    assert "No photo yet: the medical director" in out
    assert "No photo yet: Lee Park (Clinicians)" in out
    assert "complete" in out


# Single session, course of 6 (None: not given) -> the "from" price.
LOWEST = [
    (None, None, ""),
    (None, "3600", ""),
    ("650", None, "$650"),
    ("650", "3600", "$600"),
    ("500", "3600", "$500"),
    ("650", "3500", "$583.33"),
]


@pytest.mark.parametrize(("single", "course", "shown"), LOWEST)
def test_the_from_price_is_the_lowest_a_session_can_cost(
    client, set_clinic_facts, single, course, shown
):
    set_clinic_facts(
        price_per_session=single and Decimal(single), price_per_course=course and Decimal(course)
    )
    price = soup_of(client.get("/")).select_one(".price-from")

    if shown:
        assert f"From {shown} a session." in price.get_text(" ", strip=True)
    else:
        assert price is None


@pytest.mark.parametrize("path", [COST, spanish(COST)])
def test_a_free_consultation_says_free_never_zero_dollars(client, set_clinic_facts, path):
    set_clinic_facts(price_consultation=Decimal("0"), price_per_session=Decimal("650"))
    text = page_text(client, path)

    assert "$0" not in text
    assert (
        "The first consultation is free." if path == COST else "La primera consulta es gratis."
    ) in text


@pytest.mark.parametrize("path", [AT_HOME, spanish(AT_HOME)])
def test_without_the_plan_the_at_home_page_keeps_only_what_holds_for_everyone(
    client, example_clinic, set_clinic_facts, path
):
    set_clinic_facts(
        emergency_plan="",
        emergency_plan_es="",
        visiting_clinician="",
        visiting_clinician_es="",
        prescriber="",
        prescriber_es="",
        monitoring="",
        monitoring_es="",
        emergency_equipment="",
        emergency_equipment_es="",
    )
    soup = soup_of(client.get(path))
    section = soup.find(id="if-something-goes-wrong").find_next("p").get_text(" ", strip=True)

    assert "911" in section and "988" in section
    assert "hospital" not in section
    stays = soup.find(id="who-comes").get_text(" ", strip=True)
    assert stays in (
        "Why our clinician stays with you",
        "Por qué nuestro profesional de la salud se queda con usted",
    )


def test_opening_hours_never_break_between_the_hour_and_am_or_pm(client, example_clinic):
    for path in ["/", "/es/"]:
        footer = soup_of(client.get(path)).find("footer").get_text()
        assert not re.search(r"\d (am|pm|a\. m\.|p\. m\.)", footer), footer
        assert re.search(r"\d\u00a0(am|a\. m\.)", footer)
