"""What the pages say about safety and cost, and what they must not say: one test per fact.

Citations claim only what their source says; who should not have ketamine, what a session is
like, when treatment stops and what it costs are all one click from the home page.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from .content_helpers import CONTENT_PATHS, MEDICAL_PAGES, main_text, soup_of

pytestmark = pytest.mark.django_db


def source_number(soup, author: str) -> str | None:
    for li in soup.select("main .sources__list li"):
        if li.get_text().strip().startswith(author):
            return li["id"].removeprefix("source-")
    return None


def blocks_citing(soup, author: str) -> list[str]:
    """The text of every paragraph or list item that cites the source by `author`."""
    number = source_number(soup, author)
    assert number, f"{author} is not cited"
    return [
        block.get_text(" ", strip=True)
        for block in soup.select("main p, main li")
        if block.select(f'sup.cite a[href="#source-{number}"]')
    ]


def blocks_saying(names, *words: str) -> list[str]:
    """The text of every paragraph or list item on these pages that holds any of `words`."""
    return [
        text
        for soup in names
        for block in soup.select("main p, main li")
        if any(word in (text := block.get_text(" ", strip=True)) for word in words)
    ]


def section_text(soup, heading_id: str) -> str:
    """The text from the heading with `heading_id` up to the next heading of the same level."""
    heading = soup.find(id=heading_id)
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == heading.name:
            break
        parts.append(sibling.get_text(" ", strip=True))
    return " ".join(parts)


# --- Corrections ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["home", "at_home", "ketamine"])
def test_the_guideline_is_never_cited_beside_care_at_home(client, name):
    citing = blocks_citing(soup_of(client.get(CONTENT_PATHS[name])), "Cohen SP")

    assert citing, f"no paragraph on {name} cites the guideline"
    for text in citing:
        assert "home" not in text.lower(), text


@pytest.mark.parametrize("name", ["home", "at_home"])
def test_home_care_is_stated_as_the_clinics_own_way_of_working(client, name):
    assert "our own way of working" in main_text(client.get(CONTENT_PATHS[name]))


def test_relief_figures_from_studies_never_sit_beside_the_clinics_course(client):
    pages = [soup_of(client.get(CONTENT_PATHS[name])) for name in MEDICAL_PAGES]
    figures = blocks_saying(pages, "12 weeks", "3 months")

    # The pages do give the studies' figures and the clinic's course, so the rule is tested.
    assert len(figures) >= 3, figures
    assert blocks_saying(pages, "6 sessions")
    for text in figures:
        assert "6 sessions" not in text, text


@pytest.mark.parametrize("name", ["home", "at_home", "ketamine"])
def test_the_6_session_course_is_called_the_clinics_own_plan(client, name):
    text = main_text(client.get(CONTENT_PATHS[name]))

    assert "6 sessions" in text
    assert re.search(r"(This plan is our own|is our own plan|This is our own plan)", text)


def test_home_page_does_not_say_ketamine_helps_mainly_nerve_pain(client):
    text = main_text(client.get("/")).lower()

    assert "mainly nerve pain" not in text
    assert "nerve pain included, it is weak or missing" in text


def test_surgery_is_never_a_reason_for_home_infusions(client):
    pages = [soup_of(client.get(CONTENT_PATHS[name])) for name in ("home", "ketamine", "at_home")]
    # Every mention of surgery but the one that says what an anesthetic is for.
    about_surgery = [
        text for text in blocks_saying(pages, "surgery") if "sleep for surgery" not in text
    ]

    assert about_surgery, "the ketamine page says who gives ketamine around surgery"
    for text in about_surgery:
        assert "hospital" in text and "not a reason for infusions at home" in text, text


def test_faq_on_who_gives_ketamine_names_no_unsupported_specialties(client):
    soup = soup_of(client.get("/faq/"))
    item = next(d for d in soup.select("main details") if "Who should give" in d.summary.get_text())
    text = item.get_text(" ", strip=True)

    assert "psychiatry" not in text and "emergency medicine" not in text
    assert "our own way of working" in text
    assert "did not study care at home" in text


def test_faq_on_the_first_course_separates_study_results_from_the_clinics_plan(client):
    soup = soup_of(client.get("/faq/"))
    item = next(d for d in soup.select("main details") if "first course" in d.summary.get_text())

    assert "This is our own plan." in item.get_text(" ", strip=True)
    assert "we stop it" in item.get_text(" ", strip=True)


def test_pain_is_described_with_the_modern_three_mechanisms_cited_to_kosek(client):
    soup = soup_of(client.get("/chronic-pain/"))
    terms = [dt.get_text(strip=True) for dt in soup.select("main .pain-kinds dt")]

    assert terms == ["Nociceptive pain", "Neuropathic pain", "Nociplastic pain"]
    assert any("three kinds of pain" in text for text in blocks_citing(soup, "Kosek E"))
    assert "not a medical classification" in main_text(client.get("/chronic-pain/"))


def test_chronic_pain_page_drops_the_uncited_claims(client):
    text = main_text(client.get("/chronic-pain/"))

    assert "within a few weeks or months" not in text
    assert "Stress or a new activity can set off a flare" not in text
    assert "Many people with chronic pain also have trouble sleeping" not in text
    assert "feeling judged" not in text


def test_goordeen_is_never_cited_for_insurance(client):
    citing = [
        text
        for path in CONTENT_PATHS.values()
        if source_number(soup := soup_of(client.get(path)), "Goordeen A") is not None
        for text in blocks_citing(soup, "Goordeen A")
    ]

    # Cited on several pages (the cost page among them), never for what insurance pays.
    assert len(citing) >= 3, citing
    for text in citing:
        assert "insurance" not in text.lower() and "pay" not in text.lower(), text


# --- Safety -------------------------------------------------------------------------------------


def test_who_should_not_have_ketamine_uses_the_guidelines_strength_of_words(client):
    soup = soup_of(client.get("/ketamine-for-chronic-pain/"))
    items = [li.get_text(" ", strip=True) for li in soup.select("main .who-should-not li")]

    expected = {
        "Should not be used": ["heart disease", "high blood pressure"],
        "Should be avoided": ["pregnancy", "active psychosis", "severe liver disease"],
        "Needs great care": ["pressure in the brain", "in the eye"],
        "Should not be given again and again": ["active drug or alcohol problem"],
    }
    for strength, conditions in expected.items():
        item = next(text for text in items if text.startswith(strength))
        for condition in conditions:
            assert condition in item, (strength, condition)
    intro = soup.find(id="who-should-not").find_next("p")
    assert intro.select("sup.cite")


def test_known_allergy_is_cited_to_the_drug_label(client):
    soup = soup_of(client.get("/ketamine-for-chronic-pain/"))

    assert any("allergic reaction" in text for text in blocks_citing(soup, "Par Health USA"))


def test_who_should_not_have_ketamine_is_one_click_from_home(client):
    soup = soup_of(client.get("/"))

    assert soup.select_one('main a[href="/ketamine-for-chronic-pain/#who-should-not"]')


def test_ketamine_is_named_a_schedule_iii_controlled_substance(client):
    soup = soup_of(client.get("/ketamine-for-chronic-pain/"))

    assert any("Schedule III" in text for text in blocks_citing(soup, "U.S. Drug Enforcement"))
    assert "21 CFR 1308.13" in soup.select_one(".sources").get_text()


def test_drug_interactions_come_from_the_label(client):
    soup = soup_of(client.get("/ketamine-for-chronic-pain/"))
    text = main_text(client.get("/ketamine-for-chronic-pain/"))

    assert blocks_citing(soup, "Par Health USA")
    for medicine in ["Benzodiazepines", "opioid", "Theophylline"]:
        assert medicine in text, medicine
    assert "Tell your clinician about every medicine you take" in text


def test_slowed_breathing_is_named_as_a_rare_serious_effect(client):
    soup = soup_of(client.get("/ketamine-for-chronic-pain/"))

    assert any("too fast" in text for text in blocks_citing(soup, "Par Health USA"))
    assert "slow your breathing" in main_text(client.get("/ketamine-for-chronic-pain/"))


# --- A session, step by step ---------------------------------------------------------------------


def test_a_session_is_described_before_during_and_after(client):
    soup = soup_of(client.get("/at-home-ketamine-therapy/"))
    section = section_text(soup, "session")
    headings = [h.get_text(strip=True) for h in soup.select("main h3")]

    assert headings[:4] == ["Before", "During", "After", "Between sessions"]
    assert "until a full day has passed" in section
    assert "blood pressure, heart rate and oxygen level" in section


def test_the_clinics_own_rule_on_company_at_home_shows_only_when_set(client, set_clinic_facts):
    set_clinic_facts(companion_rule="An adult stays at home with you until the next morning.")
    section = section_text(soup_of(client.get("/at-home-ketamine-therapy/")), "session")

    assert "An adult stays at home with you until the next morning." in section


def test_without_the_clinics_session_facts_no_placeholder_and_no_figure_shows(client):
    soup = soup_of(client.get("/at-home-ketamine-therapy/"))
    section = section_text(soup, "session")

    assert "Your clinician tells you" not in section
    assert "A session takes" not in section
    assert not re.search(r"\d+ (hours?|minutes)", section)


def test_session_details_come_from_the_clinic_profile(client, set_clinic_facts):
    set_clinic_facts(
        session_duration="about 2 hours",
        fasting_rule="Eat nothing for 6 hours before your session.",
        driving_rule="Do not drive until the next day.",
    )
    section = section_text(soup_of(client.get("/at-home-ketamine-therapy/")), "session")

    assert "A session takes about 2 hours." in section
    assert "Eat nothing for 6 hours before your session." in section
    assert "Do not drive until the next day." in section


def test_progress_checks_between_sessions_are_cited(client):
    soup = soup_of(client.get("/at-home-ketamine-therapy/"))
    between = soup.find("h3", string="Between sessions").find_next("p")

    text = between.get_text(" ", strip=True)
    assert "three questions about your pain" in text
    assert "bladder" in text
    assert "liver blood tests" in text
    assert len(between.select("sup.cite")) >= 3


def test_when_treatment_stops_cites_the_guideline_without_invented_numbers(client):
    soup = soup_of(client.get("/at-home-ketamine-therapy/"))
    section = section_text(soup, "when-it-stops")

    assert "If ketamine is not helping you, we stop it." in section
    assert "more than a pain score" in section
    assert not re.search(r"\d+ ?%", section)
    assert soup.find(id="when-it-stops").find_next("p").select("sup.cite")


# --- Cost ---------------------------------------------------------------------------------------


def test_cost_page_without_prices_promises_a_written_estimate_and_shows_no_figure(client):
    text = main_text(client.get("/cost/"))

    assert "We give you a written Good Faith Estimate before you book." in text
    assert not re.search(r"\$\d", text.replace("$400", ""))


def test_cost_page_shows_the_clinics_prices_when_set(client, set_clinic_facts):
    set_clinic_facts(price_per_session=Decimal("650"), price_per_course=Decimal("3600"))
    soup = soup_of(client.get("/cost/"))
    prices = [li.get_text(" ", strip=True) for li in soup.select("main .price-list li")]

    assert prices == [
        "One session at home: $650 ( Good Faith Estimate ).",
        "A course of 6 sessions: $3,600 ( Good Faith Estimate ).",
    ]


def test_cost_page_covers_insurance_hsa_fsa_and_superbills(client):
    soup = soup_of(client.get("/cost/"))
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]

    for heading in [
        "Our prices",
        "Will my insurance pay?",
        "Paying with an HSA or FSA",
        "Superbills",
        "Your right to a Good Faith Estimate",
    ]:
        assert heading in headings, heading


def test_cost_page_is_in_the_navigation_and_the_sitemap(client):
    nav = soup_of(client.get("/")).select_one("header nav")

    assert nav.find("a", href="/cost/").get_text(strip=True) == "Cost"
    assert "/cost/</loc>" in client.get("/sitemap.xml").content.decode()


@pytest.mark.parametrize("name", ["home", "at_home", "ketamine"])
def test_cost_is_one_click_away(client, name):
    assert soup_of(client.get(CONTENT_PATHS[name])).select_one('main a[href="/cost/"]')


# --- Trust --------------------------------------------------------------------------------------


def test_header_carries_our_logo_and_the_clinics_phone_as_a_tel_link(
    client, settings, set_clinic_facts
):
    set_clinic_facts(phone="(206) 555-0199")
    header = soup_of(client.get("/")).find("header")

    logo = header.select_one(".site-brand img")
    assert "/static/img/logo." in logo["src"] and logo["src"].endswith(".svg")
    assert logo["alt"] == settings.CLINIC_NAME
    phone = header.select_one("a.site-phone")
    assert phone["href"] == "tel:+12065550199"
    assert "(206) 555-0199" in phone.get_text()


def test_favicon_is_drawn_from_the_logo(client):
    link = soup_of(client.get("/")).select_one('link[rel="icon"]')

    assert link["href"].startswith("/static/img/icon.") and link["href"].endswith(".svg")


@pytest.mark.parametrize("name", ["home", "at_home"])
def test_illustrations_are_our_own_decorative_svgs(client, name):
    images = soup_of(client.get(CONTENT_PATHS[name])).select("main img.hero__art")

    assert images
    for image in images:
        assert image["alt"] == ""
        assert image["src"].startswith("/static/img/art/") and image["src"].endswith(".svg")


def test_screening_link_still_ends_every_page(client):
    # The header's links come before <main>; the page still ends with the screening request.
    main = soup_of(client.get("/cost/")).find("main")
    assert main.find_all("a")[-1]["href"] == reverse("intake:screening")
