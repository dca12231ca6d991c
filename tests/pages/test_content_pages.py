"""Content pages: each renders, ends with the next step, cites its figures, says what it must."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from .content_helpers import (
    CONTENT_PATHS,
    MEDICAL_PAGES,
    main_text,
    of_type,
    soup_of,
    structured_data,
)

pytestmark = pytest.mark.django_db

ALL_PATHS = list(CONTENT_PATHS.values())


@pytest.mark.parametrize("path", ALL_PATHS)
def test_page_renders_with_one_h1_and_ends_with_the_screening_request(client, path):
    response = client.get(path)

    assert response.status_code == 200
    main = soup_of(response).find("main")
    assert len(soup_of(response).find_all("h1")) == 1
    last_link = main.find_all("a")[-1]
    assert last_link["href"] == reverse("intake:screening")
    assert last_link.get_text(strip=True) == "Request a screening"


@pytest.mark.parametrize("path", ALL_PATHS)
def test_page_touches_no_session_and_sets_no_cookie(client, path):
    response = client.get(path)

    assert not response.cookies
    assert "cookie" not in response.get("Vary", "").lower()
    assert 'name="csrfmiddlewaretoken"' not in response.content.decode()


@pytest.mark.parametrize("path", ALL_PATHS)
def test_every_citation_on_the_page_has_a_listed_source_and_back(client, path):
    soup = soup_of(client.get(path))

    cited = {a["href"].removeprefix("#") for a in soup.select("main sup.cite a")}
    listed = {li["id"] for li in soup.select("main .sources__list li")}
    assert cited == listed
    for li in soup.select("main .sources__list li"):
        assert "being updated" not in li.get_text(), li.get_text()
        back = li.select_one("a.sources__back")["href"].removeprefix("#")
        assert soup.find(id=back) is not None


@pytest.mark.parametrize("path", ALL_PATHS)
def test_every_percentage_and_population_figure_carries_a_citation(client, path):
    soup = soup_of(client.get(path))
    main = soup.find("main")

    for block in main.find_all(["p", "li", "td"]):
        if block.find_parent(class_="sources"):
            continue
        text = block.get_text(" ", strip=True)
        if re.search(r"\d%|\d million", text):
            assert block.select("sup.cite"), f"uncited figure on {path}: {text}"


def test_the_evidence_table_is_cited_just_before_it(client):
    soup = soup_of(client.get("/ketamine-for-chronic-pain/"))

    table = soup.select_one("table.evidence-table")
    introduction = table.find_previous("p")
    assert introduction.select("sup.cite")
    assert "Cohen SP" in soup.select_one(".sources").get_text()


# --- Review dates and structured data -------------------------------------------------------------


LAST_CHECKED = {
    "home": "2026-11-30",
    "chronic_pain": "2026-11-30",
    "ketamine": "2026-11-30",
    "at_home": "2026-11-30",
    "faq": "2026-11-25",
}


@pytest.mark.parametrize("name", MEDICAL_PAGES)
def test_without_a_named_reviewer_a_medical_page_says_last_updated_and_claims_no_review(
    client, name, settings
):
    settings.MEDICAL_REVIEWER = ""
    response = client.get(CONTENT_PATHS[name])

    review = soup_of(response).select_one("main .page-review")
    assert "Last updated:" in review.get_text()
    assert "reviewed" not in review.get_text().lower()
    assert review.find("time")["datetime"] == LAST_CHECKED[name]
    page_data = of_type(response, "FAQPage" if name == "faq" else "MedicalWebPage")
    assert page_data["dateModified"] == LAST_CHECKED[name]
    assert "lastReviewed" not in page_data
    assert "reviewedBy" not in page_data


def test_a_reviewer_set_by_the_clinic_is_named_with_credentials_and_date(client, settings):
    settings.MEDICAL_REVIEWER = "Dr. Example Reviewer"
    settings.MEDICAL_REVIEWER_CREDENTIALS = "MD"

    response = client.get("/ketamine-for-chronic-pain/")

    review = " ".join(soup_of(response).select_one("main .page-review").get_text().split())
    assert review == "Last reviewed by Dr. Example Reviewer, MD on November 30, 2026."
    page = of_type(response, "MedicalWebPage")
    assert page["lastReviewed"] == "2026-11-30"
    assert page["reviewedBy"] == {
        "@type": "Person",
        "name": "Dr. Example Reviewer",
        "honorificSuffix": "MD",
    }


def test_faq_answers_say_reviewed_only_when_a_reviewer_is_named(client, settings):
    settings.MEDICAL_REVIEWER = ""
    dates = soup_of(client.get("/faq/")).select("main .faq__reviewed")
    assert dates and all("Answer last updated" in p.get_text() for p in dates)

    settings.MEDICAL_REVIEWER = "Dr. Example Reviewer"
    from django.core.cache import cache

    cache.clear()
    dates = soup_of(client.get("/faq/")).select("main .faq__reviewed")
    assert all("Answer last reviewed" in p.get_text() for p in dates)


@pytest.mark.parametrize("name", ["privacy", "health_data_privacy", "terms"])
def test_policy_page_shows_when_it_was_last_updated(client, name):
    response = client.get(CONTENT_PATHS[name])

    assert "Last updated:" in soup_of(response).select_one("main .page-review").get_text()
    assert not any(item["@type"] == "MedicalWebPage" for item in structured_data(response))


@pytest.mark.parametrize("name", ["home", "chronic_pain", "ketamine", "at_home"])
def test_medical_page_describes_itself_as_a_medical_web_page(client, name):
    path = CONTENT_PATHS[name]
    page = of_type(client.get(path), "MedicalWebPage")

    assert page["@context"] == "https://schema.org"
    assert page["url"] == settings.SITE_URL + path
    assert page["name"]
    assert page["publisher"]["name"] == settings.CLINIC_NAME


def test_home_page_describes_the_clinic_without_inventing_a_fact(client):
    clinic = of_type(client.get("/"), "MedicalClinic")

    assert clinic["@context"] == "https://schema.org"
    assert clinic["name"] == settings.CLINIC_NAME
    areas = [area["name"] for area in clinic["areaServed"]]
    assert areas == [f"{c} County, Washington" for c in ("King", "Pierce", "Snohomish")]
    # A new database has an empty clinic profile: nothing is made up to fill the gaps.
    for absent in ["telephone", "email", "address", "openingHours", "priceRange", "member"]:
        assert absent not in clinic, absent


def test_clinic_area_and_contact_follow_the_profile(client, set_clinic_facts):
    set_clinic_facts(counties_served="King", phone="(206) 555-0199")

    clinic = of_type(client.get("/"), "MedicalClinic")

    assert [area["name"] for area in clinic["areaServed"]] == ["King County, Washington"]
    assert clinic["telephone"] == "(206) 555-0199"


# --- What the pages say ---------------------------------------------------------------------------


def test_home_page_links_prominently_to_the_health_data_policy(client):
    soup = soup_of(client.get("/"))

    callout = soup.select_one("main .privacy-callout")
    link = callout.find("a", href=reverse("pages:health_data_privacy"))
    assert link.get_text(strip=True) == "Consumer Health Data Privacy Policy"
    # Before the key facts: near the top of the page, not only in the footer.
    assert callout.find_next("h2", string="Key facts") is not None


def test_home_page_gives_key_facts_who_may_benefit_and_a_call_to_action(client):
    soup = soup_of(client.get("/"))
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]

    assert "Key facts" in headings and "Who may benefit" in headings
    first_button = soup.select_one("main a.btn")
    assert first_button["href"] == reverse("intake:screening")


def test_prevalence_figures_are_the_corrected_ones(client):
    text = main_text(client.get("/chronic-pain/"))

    assert "20.5%" in text and "50.2 million" in text
    assert "20.4%" in text and "50.0 million" in text
    assert "20.9%" in text and "51.6 million" in text
    assert "65 and over" in text
    assert "40%" not in text  # the unsourced "40% of adults over 60"
    assert "7.5%" not in text  # the mis-attributed share of years lived with disability
    assert "low back pain causes more years lived with disability" in text


def test_comorbidity_is_stated_without_the_unsourced_percentages(client):
    text = main_text(client.get("/chronic-pain/"))

    assert "depression often go together" in text
    assert "trouble sleeping" in text
    assert "50%" not in text and "80%" not in text


def test_suicidal_thoughts_are_named_with_the_crisis_lines_beside_them(client):
    soup = soup_of(client.get("/chronic-pain/"))

    item = soup.find("li", string="Thoughts of suicide")
    callout = item.find_next(class_="crisis-callout")
    assert callout.find_previous("ul") is item.parent
    hrefs = {a["href"] for a in callout.find_all("a")}
    assert {"tel:988", "tel:911"} <= hrefs


def test_chronic_pain_page_covers_causes_descriptors_and_symptoms(client):
    text = main_text(client.get("/chronic-pain/"))

    for words in [
        "Pain without inflammation",
        "Pain from inflammation",
        "Nerve pain",
        "Sciatica",
        "Gout",
        "Burning",
        "Throbbing",
        "Shooting",
        "Joint pain",
        "Mood swings",
        "Guilt",
    ]:
        assert words in text, words


def test_ketamine_page_leads_with_the_nmda_mechanism(client):
    soup = soup_of(client.get("/ketamine-for-chronic-pain/"))
    section = soup.find("h2", string="How ketamine works").find_next("p").get_text()

    assert "NMDA receptor" in section
    text = main_text(client.get("/ketamine-for-chronic-pain/"))
    assert "sodium" not in text and "GABA" not in text


def test_ketamine_page_rates_the_evidence_by_condition_honestly(client):
    soup = soup_of(client.get("/ketamine-for-chronic-pain/"))
    rows = {
        row.th.get_text(" ", strip=True): row.td.get_text(" ", strip=True)
        for row in soup.select("table.evidence-table tbody tr")
    }

    assert rows["Complex regional pain syndrome (CRPS)"].startswith("Moderate")
    assert "12 weeks" in rows["Complex regional pain syndrome (CRPS)"]
    assert rows["Pain after a spinal cord injury"].startswith("Weak")
    others = next(value for key, value in rows.items() if key.startswith("Fibromyalgia"))
    assert others.startswith("Weak or none")


def test_ketamine_page_says_plainly_that_use_for_pain_is_off_label(client):
    text = main_text(client.get("/ketamine-for-chronic-pain/"))

    assert "off-label" in text
    assert "It has not approved ketamine for chronic pain." in text


def test_ketamine_page_lists_the_risks(client):
    text = main_text(client.get("/ketamine-for-chronic-pain/")).lower()

    for risk in ["nausea", "blood pressure", "liver", "bladder", "addiction"]:
        assert risk in text, risk


def test_good_faith_estimate_notice_is_on_the_cost_page(client):
    text = main_text(client.get("/cost/"))

    assert "You have the right to receive a Good Faith Estimate" in text
    assert "$400" in text
    assert "45 CFR 149.610" in text  # the rule, in the page's sources
    assert "45 CFR 149.620" in text  # the dispute process


@pytest.mark.parametrize("name", ["at_home", "terms"])
def test_good_faith_estimate_rights_stay_linked(client, name):
    soup = soup_of(client.get(CONTENT_PATHS[name]))

    link = soup.select_one('main a[href="/cost/#good-faith-estimate"]')
    assert link is not None
    assert "Good Faith Estimate" in link.get_text()
    assert soup_of(client.get("/cost/")).find(id="good-faith-estimate") is not None


def test_at_home_page_describes_the_course_boosters_and_monitoring(client):
    text = main_text(client.get("/at-home-ketamine-therapy/"))

    assert "A standard course is 6 sessions." in text
    assert "booster" in text
    assert "blood pressure, heart rate and oxygen level" in text
    assert "We will tell you what your care costs before you book." in text
    assert "$" not in text  # no prices


def test_pages_invent_no_address_or_price(client):
    for path in ALL_PATHS:
        text = main_text(client.get(path))
        assert not re.search(r"\$\d", text.replace("$400", "")), path
        assert not re.search(r"\b\d{3,5} [A-Z][a-z]+ (St|Ave|Street|Avenue|Way)\b", text), path


def test_health_data_policy_covers_what_the_my_health_my_data_act_asks(
    client, settings, example_clinic
):
    settings.SCREENING_RETENTION_MONTHS = 18
    soup = soup_of(client.get("/consumer-health-data-privacy/"))
    text = soup.find("main").get_text(" ", strip=True)
    headings = [h.get_text(strip=True) for h in soup.select("main h2")]

    for heading in [
        "The health data we collect",
        "Why we collect it",
        "Where it comes from",
        "Who we share it with",
        "Your consent",
        "Your rights",
        "How to use your rights",
        "If we say no: how to appeal",
    ]:
        assert heading in headings, heading
    assert "We never sell your health data." in text
    assert "separate consent" in text
    assert "45 days" in text
    assert example_clinic.email in text and example_clinic.phone in text
    assert "18 months" in text
    assert "Attorney General" in text
    assert "RCW" in soup.select_one(".sources").get_text()


def test_privacy_notice_covers_trackers_cookies_retention_and_security(client, settings):
    settings.SCREENING_RETENTION_MONTHS = 30
    text = main_text(client.get("/privacy/"))

    assert "no analytics" in text
    assert "Our information pages set no cookies." in text
    assert "30 months" in text
    assert "encrypted" in text


def test_terms_carry_the_medical_disclaimer_and_emergency_numbers(client):
    soup = soup_of(client.get("/terms/"))
    text = soup.find("main").get_text(" ", strip=True)

    assert "It is not medical advice" in text
    assert "Do not use them in an emergency." in text
    hrefs = {a["href"] for a in soup.select("main a")}
    assert {"tel:911", "tel:988"} <= hrefs
