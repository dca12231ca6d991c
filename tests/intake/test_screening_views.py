"""The screening form and confirmation pages, through the real views and database."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test import Client, override_settings
from django.views.debug import SafeExceptionReporterFilter

from intake import journey, questionnaire
from intake.consent import CONSENT_VERSION
from intake.form_fields import BirthDateWidget
from intake.form_token import form_token_read
from intake.models import ScreeningDraft, ScreeningRateWindow, ScreeningRequest
from intake.questionnaire import screening

from .screening_support import (
    PATIENT,
    form_token,
    post_screening,
    step_posts,
    valid_answers,
    walk_to_check,
)

pytestmark = pytest.mark.django_db

NO_STORE = "no-store"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


# --- The empty form ---------------------------------------------------------------------------


def test_each_step_is_its_own_page_with_its_title_and_progress(client):
    first = soup(client.get("/screening/"))
    assert first.h1.get_text(strip=True) == "Request a screening"
    count = len(journey.steps()) + 1
    assert first.select_one(".form-progress__label").get_text(strip=True) == f"Step 1 of {count}"
    walk_to_check(client)
    for number, section in enumerate(journey.steps()[1:], start=2):
        page = soup(client.get(journey.step_url(section)))
        assert page.h1.get_text(strip=True) == str(section.title)
        label = page.select_one(".form-progress__label").get_text(strip=True)
        assert label == f"Step {number} of {count}"
    check = soup(client.get("/screening/check/"))
    assert check.h1.get_text(strip=True) == "Check your answers"


def test_the_first_step_asks_only_the_zip_code(client):
    page = soup(client.get("/screening/"))

    names = {i["name"] for i in page.select("form#screening-form input, select, textarea")}
    assert names == {"csrfmiddlewaretoken", "website", "zip_code"}


def test_a_later_step_before_the_earlier_ones_goes_back_to_the_first_not_done(client):
    response = client.get("/screening/health/")

    assert response.status_code == 302
    assert response["Location"] == "/screening/"
    assert client.get("/screening/check/")["Location"] == "/screening/"
    assert client.get("/screening/no-such-step/").status_code == 404


def test_the_form_is_validated_by_the_server_only(client):
    form = soup(client.get("/screening/")).select_one("form#screening-form")

    assert form.has_attr("novalidate")
    assert form["method"] == "post"


def test_consent_boxes_start_unticked_on_the_check_page(client):
    walk_to_check(client)
    page = soup(client.get("/screening/check/"))

    for name in ("consent_health_data", "consent_not_emergency", "sms_reminders"):
        box = page.select_one(f"input[name={name}]")
        assert box["type"] == "checkbox"
        assert not box.has_attr("checked")
    assert page.select_one("a[href='/consumer-health-data-privacy/']")


def test_radio_and_checkbox_groups_are_fieldsets_with_legends(client):
    walk_to_check(client)
    for url, names in [
        ("/screening/pain/", ("pain_duration", "pain_conditions")),
        ("/screening/treatments/", ("peg_pain",)),
        ("/screening/health/", ("health_conditions",)),
        ("/screening/feelings/", ("phq2_down", "asq_attempt")),
    ]:
        page = soup(client.get(url))
        for name in names:
            first = page.select_one(f"input[name={name}]")
            fieldset = first.find_parent("fieldset")
            assert fieldset is not None, name
            assert fieldset.legend.get_text(strip=True), name


def test_every_input_has_a_label(client):
    page = soup(client.get("/screening/"))

    for field in page.select("form#screening-form input, form#screening-form select, textarea"):
        if field.get("type") == "hidden":
            continue
        assert page.select_one(f"label[for={field['id']}]"), field["id"]


def test_the_honeypot_is_hidden_by_the_stylesheet_not_inline(client):
    page = soup(client.get("/screening/"))

    trap = page.select_one("input[name=website]")
    wrapper = trap.find_parent(class_="form-trap")
    assert wrapper["aria-hidden"] == "true"
    assert trap["tabindex"] == "-1"
    assert trap["autocomplete"] == "off"
    assert not page.select("[style]")


def test_each_draft_carries_its_own_signed_token_never_shown_in_a_page(client):
    other = Client()
    walk_to_check(client)
    walk_to_check(other)

    first, second = (d.form_token for d in ScreeningDraft.objects.order_by("pk"))
    assert form_token_read(first).token_id != form_token_read(second).token_id
    assert first not in client.get("/screening/check/").content.decode()


def test_scripts_load_from_our_own_files_only(client):
    page = soup(client.get("/screening/"))

    scripts = page.select("script")
    assert scripts
    for script in scripts:
        assert script.get("src", "").startswith("/static/js/screening."), script
        assert not script.string


def test_the_form_page_is_never_stored(client):
    assert NO_STORE in client.get("/screening/")["Cache-Control"]
    assert NO_STORE in post_screening(client, last_name="")["Cache-Control"]


# --- A valid request --------------------------------------------------------------------------


def test_a_valid_request_is_stored_and_redirects_to_the_confirmation(client):
    response = post_screening(client)

    assert response.status_code == 302
    assert response["Location"] == "/screening/received/"
    stored = ScreeningRequest.objects.get()
    assert stored.status == ScreeningRequest.Status.NEW
    assert stored.priority == ScreeningRequest.Priority.ROUTINE
    assert str(stored.peg_score) == "6.0"
    assert stored.in_service_area is True
    assert stored.consent_version == CONSENT_VERSION
    assert stored.consented_at is not None
    assert stored.sms_reminders_consent is False
    assert stored.notice_sent_at is None  # sent only after the commit


def test_the_confirmation_shows_the_reference_and_what_happens_next(client, settings):
    settings.SCREENING_RESPONSE_TIME = "two business days"
    post_screening(client)
    reference = ScreeningRequest.objects.get().reference

    response = client.get("/screening/received/")

    body = response.content.decode()
    assert response.status_code == 200
    assert reference in body
    assert "What happens next" in body
    assert "within two business days" in body
    assert "clinician reviews your answers" in body
    assert NO_STORE in response["Cache-Control"]


def test_refreshing_the_confirmation_is_harmless(client):
    post_screening(client)
    reference = ScreeningRequest.objects.get().reference

    first = client.get("/screening/received/")
    second = client.get("/screening/received/")

    assert reference in first.content.decode()
    assert reference in second.content.decode()
    assert ScreeningRequest.objects.count() == 1


def test_the_reference_is_never_in_a_url(client):
    response = post_screening(client)
    reference = ScreeningRequest.objects.get().reference
    confirmation = client.get("/screening/received/")

    assert reference not in response["Location"]
    assert reference not in confirmation.wsgi_request.get_full_path()
    for link in soup(confirmation).select("[href], [src], [action]"):
        url = link.get("href") or link.get("src") or link.get("action")
        assert reference not in url
        assert reference.replace("-", "") not in url


def test_the_confirmation_is_not_left_for_the_next_person_on_a_shared_computer(client):
    post_screening(client, asq_thoughts="yes", asq_now="no")
    reference = ScreeningRequest.objects.get().reference
    assert client.session.get_expire_at_browser_close()

    session = client.session
    session["screening_sent_at"] -= 61 * 60
    session.save()
    later = client.get("/screening/received/").content.decode()

    assert reference not in later
    assert "988" not in later.split("<main", 1)[1].split("</main>", 1)[0]


def test_the_confirmation_without_a_request_says_so_kindly(client):
    response = client.get("/screening/received/")

    page = soup(response)
    assert response.status_code == 200
    assert page.h1.get_text(strip=True) == "We could not find a recent request"
    assert page.select_one("main a[href='/screening/']")


def test_patients_never_see_a_verdict(client):
    post_screening(
        client,
        health_conditions=["psychosis", "not_sure"],
        health_not_sure=["pregnancy"],
        phq2_interest="3",
    )

    body = client.get("/screening/received/").content.decode().lower()
    for verdict in ("not eligible", "ineligible", "not a candidate", "rejected", "declined"):
        assert verdict not in body
    assert "a clinician reviews your answers" in body


def test_text_reminder_consent_is_stored_when_ticked(client):
    post_screening(client, sms_reminders="on")

    assert ScreeningRequest.objects.get().sms_reminders_consent is True


def test_answers_are_kept_grouped_by_section_as_the_patient_saw_them(client):
    post_screening(client, health_conditions=["not_sure"], health_not_sure=["seizures"])

    answers = ScreeningRequest.objects.get().answers
    sections = [s["section"] for s in answers["sections"]]
    assert sections == [str(s.title) for s in questionnaire.SCREENING.sections]
    health = next(s for s in answers["sections"] if s["section"] == "Your health")
    shown = {a["question"]: a["answer"] for a in health["answers"]}
    assert shown["Which of these are you not sure about?"] == "Seizures"
    assert shown["Which medicines do you take now?"] == PATIENT["current_medicines"]
    assert answers["values"]["health_not_sure"] == ["seizures"]
    assert "email" not in answers["values"]


# --- Crisis and service area ------------------------------------------------------------------


def test_an_asq_yes_puts_the_crisis_message_on_the_confirmation(client):
    post_screening(client, asq_thoughts="yes", asq_now="no")

    stored = ScreeningRequest.objects.get()
    page = soup(client.get("/screening/received/"))
    crisis = page.select_one("main .crisis-callout")
    assert stored.priority == ScreeningRequest.Priority.URGENT
    assert crisis is not None
    assert crisis.select_one("a[href='tel:988']")
    assert crisis.select_one("a[href='tel:911']")
    assert "not watch" in crisis.get_text() or "Nobody watches" in crisis.get_text()


def test_an_acute_confirmation_leads_with_988_and_911_and_promises_no_reply_time(client):
    post_screening(client, asq_wish_dead="yes", asq_now="yes")

    assert ScreeningRequest.objects.get().priority == ScreeningRequest.Priority.ACUTE
    html = client.get("/screening/received/").content.decode()
    page = BeautifulSoup(html, "html.parser")
    crisis = page.select_one("main .crisis-callout")
    assert "call for help now" in crisis.get_text()
    hrefs = {a["href"] for a in crisis.select("a.btn")}
    assert hrefs == {"tel:988", "sms:988", "tel:911"}
    assert html.index("call for help now") < html.index("Your reference")
    assert "We contact you within" not in html
    assert "this form can wait" not in crisis.get_text()


def test_no_crisis_message_on_the_confirmation_when_every_asq_answer_is_no(client):
    post_screening(client)

    assert soup(client.get("/screening/received/")).select_one("main .crisis-callout") is None


def test_an_asq_yes_needs_the_right_now_question_answered(client):
    response = post_screening(client, asq_attempt="yes")

    page = soup(response)
    assert ScreeningRequest.objects.count() == 0
    assert page.select_one("#id_asq_now_error")
    # Shown at once on the re-rendered page, with or without JavaScript.
    assert page.select_one("#crisis-top a[href='tel:988']")


def test_an_out_of_area_request_is_accepted_flagged_and_explained_kindly(client):
    post_screening(client, zip_code="99201")

    stored = ScreeningRequest.objects.get()
    body = soup(client.get("/screening/received/")).get_text(" ", strip=True)
    assert stored.in_service_area is False
    assert screening.OUT_OF_AREA.code in stored.flags
    assert "may be outside the area we visit" in body
    assert "King, Pierce, Snohomish counties" in body


def test_an_in_area_request_is_told_it_is_likely_in_area(client):
    post_screening(client)

    body = soup(client.get("/screening/received/")).get_text(" ", strip=True)
    assert "likely in the area we visit" in body


def test_an_unknown_zip_code_is_accepted_and_left_to_staff(client):
    post_screening(client, zip_code="00000")

    stored = ScreeningRequest.objects.get()
    body = soup(client.get("/screening/received/")).get_text(" ", strip=True)
    assert stored.in_service_area is None
    assert screening.AREA_UNKNOWN.code in stored.flags
    assert "could not match your ZIP code" in body


# --- Mistakes --------------------------------------------------------------------------------


def test_a_step_with_a_mistake_keeps_every_answer_exactly_as_typed(client):
    data = walk_to_check(client)
    about = dict(
        dict(step_posts({**data, "last_name": "", "how_heard": "friend"}))["/screening/about-you/"]
    )
    about["phone"] = "206.555.0187 "
    response = client.post("/screening/about-you/", about)

    page = soup(response)
    assert response.status_code == 200
    for name in (
        "first_name",
        "email",
        "phone",
        *(f"date_of_birth_{p}" for p in BirthDateWidget.parts),
    ):
        assert page.select_one(f"input[name={name}]")["value"] == about[name], name
    assert page.select_one("select[name=how_heard] option[selected]")["value"] == "friend"
    assert page.select_one("input[name=contact_method][checked]")["value"] == "phone"

    pain = dict(step_posts(data))["/screening/pain/"]
    page = soup(client.post("/screening/pain/", {**pain, "pain_duration": ""}))
    other = page.select_one("input[name=pain_condition_other]")["value"]
    assert other == data["pain_condition_other"]
    for box in page.select("input[name=pain_conditions]"):
        assert box.has_attr("checked") == (box["value"] in data["pain_conditions"])


def test_a_step_already_sent_shows_its_answers_when_the_patient_goes_back(client):
    data = walk_to_check(client)

    page = soup(client.get("/screening/about-you/"))

    assert page.select_one("input[name=last_name]")["value"] == data["last_name"]
    assert page.select_one("input[name=phone]")["value"] == data["phone"]
    medicines = soup(client.get("/screening/health/")).select_one("textarea").get_text()
    assert medicines.strip() == data["current_medicines"]


def test_the_error_summary_is_an_alert_and_links_to_each_field_with_an_error(client):
    data = walk_to_check(client)
    about = {
        **dict(step_posts(data))["/screening/about-you/"],
        "last_name": "",
        "contact_method": "",
    }
    response = client.post("/screening/about-you/", about)

    page = soup(response)
    assert page.title.get_text().startswith("Error: ")
    summary = page.select_one("#error-summary")
    assert summary["role"] == "alert"
    assert summary.has_attr("autofocus")
    assert summary["tabindex"] == "-1"
    links = summary.select("a")
    assert [a["href"] for a in links] == ["#id_contact_method_0", "#id_last_name"]
    for link in links:
        assert page.select_one(link["href"]), link["href"]
    assert "Please enter your last name." in summary.get_text()


def test_each_scale_error_names_its_question(client):
    walk_to_check(client)
    response = client.post("/screening/treatments/", {"peg_enjoyment": "5"})

    messages = [a.get_text(strip=True) for a in soup(response).select("#error-summary a")]
    assert messages == [
        "Choose a number from 0 to 10 for your pain on average in the past week.",
        "Choose a number from 0 to 10 for how much pain interfered with your general activity.",
        "Tell us whether any treatment helped.",
    ]


def test_each_error_is_tied_to_its_field(client):
    data = walk_to_check(client)
    about = {
        **dict(step_posts(data))["/screening/about-you/"],
        "last_name": "",
        "contact_method": "",
    }
    page = soup(client.post("/screening/about-you/", about))

    last_name = page.select_one("#id_last_name")
    assert last_name["aria-invalid"] == "true"
    assert "id_last_name_error" in last_name["aria-describedby"].split()
    assert (
        page.select_one("#id_last_name_error")
        .get_text(strip=True)
        .endswith("Please enter your last name.")
    )
    group = page.select_one("#id_contact_method_group")
    assert "id_contact_method_error" in group["aria-describedby"].split()
    assert all(r["aria-invalid"] == "true" for r in page.select("input[name=contact_method]"))
    # Fields without errors are not marked.
    assert not page.select_one("#id_first_name").has_attr("aria-invalid")


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (form_token(seconds_ago=4 * 24 * 3600), "open for a long time"),
        ("forged:token:value", "could not check that this form came from our website"),
        ("", "could not check that this form came from our website"),
    ],
    ids=["expired", "forged", "missing"],
)
def test_an_expired_or_forged_token_asks_calmly_to_send_again(client, token, message):
    data = walk_to_check(client)
    ScreeningDraft.objects.update(form_token=token)
    response = client.post("/screening/check/", step_posts(data)[-1][1])

    page = soup(response)
    assert response.status_code == 200
    assert message in page.select_one("#error-summary").get_text()
    assert PATIENT["first_name"] in page.select_one("main").get_text()
    assert ScreeningRequest.objects.count() == 0


def test_someone_who_chose_e_mail_need_not_give_a_phone_number(client):
    assert post_screening(client, contact_method="email", phone="").status_code == 302

    stored = ScreeningRequest.objects.get()
    assert (stored.phone, stored.phone_index) == ("", "")
    assert stored.email == PATIENT["email"]


def test_none_of_these_cannot_be_chosen_with_a_condition(client):
    response = post_screening(client, health_conditions=["none", "heart"])

    error = soup(response).select_one("#id_health_conditions_error").get_text()
    assert "None of these" in error


@pytest.mark.parametrize(
    ("date_of_birth", "message"),
    [
        ("2015-01-01", "You need to be 18 or older"),
        ("2999-01-01", "This date is in the future"),
        ("1850-06-01", "Please check the year of your birth"),
        ("31/31/1980", "Your date of birth must be a real date"),
    ],
)
def test_date_of_birth_must_be_sensible_and_eighteen_or_older(client, date_of_birth, message):
    page = soup(post_screening(client, date_of_birth=date_of_birth))

    assert message in page.select_one("#id_date_of_birth_error").get_text()
    assert ScreeningRequest.objects.count() == 0


def test_someone_who_turned_eighteen_today_may_ask(client):
    from django.utils import timezone

    today = timezone.localdate()
    born = (
        today.replace(year=today.year - 18)
        if not (today.month == 2 and today.day == 29)
        else (today.replace(year=today.year - 18, day=28))
    )
    assert post_screening(client, date_of_birth=born.isoformat()).status_code == 302


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("04/23/1979", datetime.date(1979, 4, 23)),
        # Day and month could both be months: the US order, month first, decides.
        ("04/03/1979", datetime.date(1979, 4, 3)),
        ("4-3-1979", datetime.date(1979, 4, 3)),
    ],
)
def test_a_us_date_typed_by_hand_is_stored_as_that_day(client, typed, stored):
    response = post_screening(client, date_of_birth=typed)

    assert response.status_code == 302
    assert ScreeningRequest.objects.get().date_of_birth == stored


def test_a_two_digit_year_is_asked_for_again_in_full(client):
    # 1979 or 2079: nobody guesses a birth year.
    page = soup(post_screening(client, date_of_birth="04/03/79"))

    assert "with 4 numbers" in page.select_one("#id_date_of_birth_error").get_text()
    assert not ScreeningRequest.objects.exists()


@pytest.mark.parametrize("phone", ["+44 20 7183 8750", "604 555 0123", "12345", "(206) 555-01"])
def test_only_valid_us_phone_numbers_are_accepted(client, phone):
    page = soup(post_screening(client, phone=phone))

    assert "Please enter a US phone number" in page.select_one("#id_phone_error").get_text()


def test_the_phone_number_is_stored_in_e164(client):
    post_screening(client, phone="206.555.0187")

    assert ScreeningRequest.objects.get().phone == "+12065550187"


@pytest.mark.parametrize("zip_code", ["9810", "981033", "ABCDE", "98103-12"])
def test_a_zip_code_must_have_five_digits(client, zip_code):
    page = soup(post_screening(client, zip_code=zip_code))

    assert "5-digit ZIP code" in page.select_one("#id_zip_code_error").get_text()


def test_other_condition_and_treatment_need_words_when_ticked(client):
    page = soup(post_screening(client, pain_condition_other=""))
    assert page.select_one("#id_pain_condition_other_error")

    walk_to_check(client)
    treatments = {"treatments_tried": ["other"], "treatment_other": " ", "treatment_helped": "no"}
    page = soup(client.post("/screening/treatments/", {**treatments, "surgery_planned": "no"}))
    assert page.select_one("#id_treatment_other_error")


def test_both_required_consents_must_be_ticked(client):
    page = soup(post_screening(client, consent_health_data=None, consent_not_emergency=None))

    assert page.select_one("#id_consent_health_data_error")
    assert page.select_one("#id_consent_not_emergency_error")
    assert ScreeningRequest.objects.count() == 0


# --- Duplicates, tokens and bots -------------------------------------------------------------


def test_the_check_page_sent_twice_creates_one_request(client):
    data = walk_to_check(client)
    consents = step_posts(data)[-1][1]

    first = client.post("/screening/check/", consents)
    second = client.post("/screening/check/", consents)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == "/screening/received/"
    assert ScreeningRequest.objects.count() == 1
    reference = ScreeningRequest.objects.get().reference
    assert reference in client.get("/screening/received/").content.decode()


def test_two_tabs_sending_the_same_draft_store_one_request(client):
    data = walk_to_check(client)
    token = ScreeningDraft.objects.get().form_token
    consents = step_posts(data)[-1][1]
    assert client.post("/screening/check/", consents).status_code == 302
    # The same draft again, as a second tab would have it.
    walk_to_check(client)
    ScreeningDraft.objects.update(form_token=token)

    assert client.post("/screening/check/", consents).status_code == 302
    assert ScreeningRequest.objects.count() == 1


def test_the_database_refuses_a_second_request_with_the_same_token():
    from django.db import IntegrityError, transaction

    post = {"submission_token": "t" * 24}
    first = ScreeningRequest.objects.create(**_minimal_request(**post))
    with pytest.raises(IntegrityError), transaction.atomic():
        ScreeningRequest.objects.create(**_minimal_request(**post))
    assert ScreeningRequest.objects.get() == first


def test_a_token_signed_with_another_key_is_refused(client, settings):
    data = walk_to_check(client)
    with override_settings(SECRET_KEY="another-secret-key-" + "x" * 40):
        ScreeningDraft.objects.update(form_token=form_token())

    assert client.post("/screening/check/", step_posts(data)[-1][1]).status_code == 200
    assert ScreeningRequest.objects.count() == 0


def test_a_form_sent_faster_than_the_minimum_fill_time_is_not_stored(client, settings):
    settings.SCREENING_MIN_FILL_SECONDS = 3

    too_fast = post_screening(client, seconds_taken=1)
    assert too_fast.status_code == 200
    assert "quicker than we expected" in too_fast.content.decode()
    in_time = post_screening(client, seconds_taken=4)
    assert in_time.status_code == 302
    assert ScreeningRequest.objects.count() == 1


def test_no_minimum_fill_time_when_set_to_zero(client, settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0

    # A stopped clock: the request is sent the very instant its form was served.
    with time_machine.travel(datetime.datetime.now(datetime.UTC), tick=False):
        response = post_screening(client, seconds_taken=0)

    assert response.status_code == 302
    assert response["Location"] == "/screening/received/"
    assert ScreeningRequest.objects.count() == 1


def test_a_filled_honeypot_keeps_nothing_and_answers_calmly(client):
    response = client.post("/screening/", {"zip_code": "98103", "website": "http://spam.example"})

    assert response.status_code == 200
    assert "We could not send this step" in response.content.decode()
    assert ScreeningDraft.objects.count() == 0
    # The trap comes back empty, so a person who filled it by accident can simply resend.
    assert soup(response).select_one("input[name=website]")["value"] == ""


# --- Rate limit -------------------------------------------------------------------------------


def test_the_rate_limit_answers_429_with_the_answers_kept(client, settings):
    settings.SCREENING_RATE_LIMIT = "2/hour"

    statuses = [post_screening(client).status_code for _ in range(2)]
    limited = post_screening(client)

    assert statuses == [302, 302]
    assert limited.status_code == 429
    assert int(limited["Retry-After"]) > 0
    assert "cannot take another request" in limited.content.decode()
    assert PATIENT["last_name"] in soup(limited).select_one("main").get_text()
    assert NO_STORE in limited["Cache-Control"]
    assert ScreeningRequest.objects.count() == 2


def test_the_rate_limit_is_per_client_address(client, settings):
    settings.SCREENING_RATE_LIMIT = "1/hour"

    assert post_screening(client, remote_addr="203.0.113.7").status_code == 302
    assert post_screening(client, remote_addr="203.0.113.7").status_code == 429
    assert post_screening(client, remote_addr="203.0.113.8").status_code == 302


def test_the_rate_limit_can_be_turned_off(client, settings):
    settings.SCREENING_RATE_LIMIT = "off"

    assert {post_screening(client).status_code for _ in range(7)} == {302}
    assert ScreeningRequest.objects.count() == 7


def test_rejected_and_duplicate_posts_do_not_use_up_the_limit(client, settings):
    settings.SCREENING_RATE_LIMIT = "2/hour"
    data = valid_answers()

    client.post("/screening/", data)
    client.post("/screening/", data)  # the same request again
    post_screening(client, last_name="")  # invalid

    assert post_screening(client).status_code == 302


def test_client_addresses_are_kept_only_as_keyed_hashes(client, settings):
    settings.SCREENING_RATE_LIMIT = "5/hour"
    post_screening(client, remote_addr="198.51.100.23")

    # One count of requests sent, one of drafts begun.
    windows = ScreeningRateWindow.objects.all()
    assert [window.count for window in windows] == [1, 1]
    for window in windows:
        assert "198.51.100.23" not in window.address_hash
        assert re.fullmatch(r"[0-9a-f]{64}", window.address_hash)


# --- Failures and data hygiene -----------------------------------------------------------------


def test_a_failing_database_gives_a_calm_503_with_the_answers_kept(client):
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE intake_screeningrequest RENAME TO intake_screeningrequest_gone")

    response = post_screening(client)

    body = response.content.decode()
    assert response.status_code == 503
    assert "We could not save your request just now" in body
    assert "Traceback" not in body
    assert PATIENT["email"] in soup(response).select_one("main").get_text()
    assert NO_STORE in response["Cache-Control"]


_REFUSE_DRAFT_DELETE = {
    "sqlite": [
        "CREATE TRIGGER refuse_draft_delete BEFORE DELETE ON intake_screeningdraft "
        "BEGIN SELECT RAISE(ABORT, 'disk full'); END"
    ],
    "postgresql": [
        "CREATE FUNCTION refuse_draft_delete() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RAISE EXCEPTION 'disk full'; END $$",
        "CREATE TRIGGER refuse_draft_delete BEFORE DELETE ON intake_screeningdraft "
        "FOR EACH ROW EXECUTE FUNCTION refuse_draft_delete()",
    ],
}
_ALLOW_DRAFT_DELETE = {
    "sqlite": ["DROP TRIGGER refuse_draft_delete"],
    "postgresql": ["DROP TRIGGER refuse_draft_delete ON intake_screeningdraft"],
}


def test_a_request_is_never_stored_behind_an_error_page(client):
    # The request is stored and the draft removed in one transaction: when removing the draft
    # fails, nothing is stored, the patient is told to try again, and trying again sends it once.
    with connection.cursor() as cursor:
        for statement in _REFUSE_DRAFT_DELETE[connection.vendor]:
            cursor.execute(statement)

    refused = post_screening(client)

    assert refused.status_code == 503
    assert "We could not save your request just now" in refused.content.decode()
    assert ScreeningRequest.objects.count() == 0
    assert ScreeningDraft.objects.count() == 1
    with connection.cursor() as cursor:
        for statement in _ALLOW_DRAFT_DELETE[connection.vendor]:
            cursor.execute(statement)
    check_url, consents = step_posts(valid_answers())[-1]
    sent = client.post(check_url, consents)
    assert sent.status_code == 302
    assert ScreeningRequest.objects.count() == 1
    assert not ScreeningDraft.objects.exists()


def test_error_reports_never_show_what_was_posted(client):
    response = post_screening(client, last_name="")

    filtered = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert filtered
    assert set(filtered.values()) == {SafeExceptionReporterFilter.cleansed_substitute}
    assert PATIENT["first_name"] not in str(filtered)


def test_nothing_personal_is_logged(client, caplog):
    caplog.set_level("DEBUG")

    post_screening(client, asq_thoughts="yes", asq_now="yes")
    client.get("/screening/received/")

    logged = caplog.text
    assert ScreeningRequest.objects.get().reference in logged
    for secret in (PATIENT["first_name"], PATIENT["last_name"], PATIENT["email"], "0187", "98103"):
        assert secret not in logged


def _minimal_request(**overrides):
    from django.utils import timezone

    values = {
        "first_name": "A",
        "last_name": "B",
        "date_of_birth": "1980-01-01",
        "email": "a@example.org",
        "phone": "+12065550100",
        "zip_code": "98101",
        "contact_method": "phone",
        "contact_time": "any",
        "consent_version": CONSENT_VERSION,
        "consented_at": timezone.now(),
        "submission_token": "token-1234567890abcdef",
    }
    values.update(overrides)
    return values


# --- What is stored is what a reader sees ------------------------------------------------------


ARABIC_INDIC = "\u0669\u0668\u0661\u0660\u0661"  # 98101 in Arabic-Indic digits
FULL_WIDTH = "\uff19\uff18\uff11\uff10\uff11"  # 98101 in full-width digits


@pytest.mark.parametrize("zip_code", [ARABIC_INDIC, FULL_WIDTH, "98101\n98102", "98101x"])
def test_a_zip_code_in_other_digits_or_with_extra_text_is_refused(client, zip_code):
    response = client.post("/screening/", {"zip_code": zip_code})

    assert "5-digit ZIP code" in soup(response).select_one("#id_zip_code_error").get_text()
    assert not ScreeningDraft.objects.exists()


@pytest.mark.parametrize(
    ("last_name", "message"),
    [
        ("\u200b\u200b", "Please fill this in."),
        ("\u0301\u0301", "Please fill this in."),
        ("Quen\u202eellivenn", "hidden text-direction characters"),
        ("\ufeffQuenneville", "byte-order mark"),
        ("Quenne\x07ville", "hidden control characters"),
    ],
)
def test_a_name_that_hides_characters_is_refused_with_a_clear_message(client, last_name, message):
    response = post_screening(client, last_name=last_name)

    assert message in soup(response).select_one("#id_last_name_error").get_text()
    assert ScreeningRequest.objects.count() == 0


def test_names_are_stored_normalised_and_trimmed(client):
    post_screening(client, first_name="  Mare\u0301  ", last_name="Quenneville\u3000")

    stored = ScreeningRequest.objects.get()
    assert (stored.first_name, stored.last_name) == ("Maré", "Quenneville")


def test_a_choice_posted_many_times_is_stored_once(client):
    post_screening(client, pain_feelings=["burning"] * 150 + ["shooting"] * 150)

    values = ScreeningRequest.objects.get().answers["values"]
    assert values["pain_feelings"] == ["burning", "shooting"]


def test_a_choice_posted_900_times_is_refused_before_it_is_read(client):
    pain = {"pain_duration": "over_1_year", "pain_conditions": ["crps"] * 900}
    walk_to_check(client)

    assert client.post("/screening/pain/", pain).status_code == 400


def test_the_crisis_message_names_the_clinic_phone_only_with_its_opening_hours(
    client, set_clinic_facts
):
    set_clinic_facts(phone="(206) 555-0142")
    post_screening(client, asq_wish_dead="yes", asq_now="no")
    page = soup(client.get("/screening/received/")).select_one("main .crisis-callout")
    assert "You can also call us" not in page.get_text()

    set_clinic_facts(opening_hours="Monday to Friday, 8 am to 6 pm")
    page = soup(client.get("/screening/received/")).select_one("main .crisis-callout")
    assert "(Monday to Friday, 8\u00a0am to 6\u00a0pm)" in page.get_text()
    assert page.select_one("a[href^='tel:+1']")


def test_back_keeps_what_was_typed_without_checking_it_and_without_counting_the_step(client):
    post_screening(client, date_of_birth=None)  # stops on the about-you step
    response = client.post(
        "/screening/about-you/", {"first_name": "Ilse", "date_of_birth_year": "1968", "back": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/screening/feelings/"
    page = soup(client.get("/screening/about-you/"))
    assert page.select_one("#id_first_name")["value"] == "Ilse"
    assert page.select_one("#id_date_of_birth_year")["value"] == "1968"
    assert page.select_one("#error-summary") is None
    assert client.get("/screening/check/")["Location"] == "/screening/about-you/"
