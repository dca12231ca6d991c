"""The screening form and confirmation pages, through the real views and database."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.views.debug import SafeExceptionReporterFilter

from intake.consent import CONSENT_VERSION
from intake.form_token import form_token_read
from intake.models import ScreeningRateWindow, ScreeningRequest
from intake.questionnaire import screening

from .screening_support import PATIENT, form_token, post_screening, valid_answers

pytestmark = pytest.mark.django_db

NO_STORE = "no-store"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


# --- The empty form ---------------------------------------------------------------------------


def test_the_form_has_four_titled_sections_with_progress(client):
    page = soup(client.get("/screening/"))

    titles = [h.get_text(strip=True) for h in page.select("h2.form-section__title")]
    assert titles == ["Your pain", "Your health", "About you", "Consent"]
    labels = [p.get_text(strip=True) for p in page.select(".form-progress__label")]
    assert labels == [f"Section {n} of 4" for n in range(1, 5)]
    assert [int(p["value"]) for p in page.select("progress")] == [1, 2, 3, 4]


def test_the_form_is_validated_by_the_server_only(client):
    form = soup(client.get("/screening/")).select_one("form#screening-form")

    assert form.has_attr("novalidate")
    assert form["method"] == "post"


def test_consent_boxes_start_unticked(client):
    page = soup(client.get("/screening/"))

    for name in ("consent_health_data", "consent_not_emergency", "sms_reminders"):
        box = page.select_one(f"input[name={name}]")
        assert box["type"] == "checkbox"
        assert not box.has_attr("checked")
    assert page.select_one("a[href='/consumer-health-data-privacy/']")


def test_radio_and_checkbox_groups_are_fieldsets_with_legends(client):
    page = soup(client.get("/screening/"))

    for name in ("pain_duration", "pain_conditions", "peg_pain", "health_heart", "asq_attempt"):
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


def test_each_rendering_carries_a_fresh_signed_token(client):
    first = soup(client.get("/screening/")).select_one("input[name=form_token]")["value"]
    second = soup(client.get("/screening/")).select_one("input[name=form_token]")["value"]

    assert first != second
    assert form_token_read(first).token_id != form_token_read(second).token_id


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
    post_screening(client, health_psychosis="yes", health_pregnancy="not_sure", phq2_interest="3")

    body = client.get("/screening/received/").content.decode().lower()
    for verdict in ("not eligible", "ineligible", "not a candidate", "rejected", "declined"):
        assert verdict not in body
    assert "a clinician reviews your answers" in body


def test_text_reminder_consent_is_stored_when_ticked(client):
    post_screening(client, sms_reminders="on")

    assert ScreeningRequest.objects.get().sms_reminders_consent is True


def test_answers_are_kept_grouped_by_section_as_the_patient_saw_them(client):
    post_screening(client, health_seizures="not_sure")

    answers = ScreeningRequest.objects.get().answers
    sections = [s["section"] for s in answers["sections"]]
    assert sections == ["Your pain", "Your health", "About you", "Consent"]
    health = {a["question"]: a["answer"] for a in answers["sections"][1]["answers"]}
    assert health["Do you have seizures?"] == "Not sure"
    assert health["Which medicines do you take now?"] == PATIENT["current_medicines"]
    assert answers["values"]["health_seizures"] == "not_sure"
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
    assert page.select_one("#crisis-alert a[href='tel:988']")


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


def test_invalid_form_keeps_every_answer(client):
    data = valid_answers(last_name="", sms_reminders="on", how_heard="friend")
    response = client.post("/screening/", data)

    page = soup(response)
    assert response.status_code == 200
    assert ScreeningRequest.objects.count() == 0
    for name in (
        "first_name",
        "email",
        "phone",
        "zip_code",
        "date_of_birth",
        "pain_condition_other",
    ):
        assert page.select_one(f"input[name={name}]")["value"] == data[name], name
    # Browsers drop the newline Django writes after <textarea>.
    medicines = page.select_one("textarea[name=current_medicines]").get_text()
    assert medicines.removeprefix("\n") == data["current_medicines"]
    for name, value in data.items():
        values = value if isinstance(value, list) else [value]
        inputs = page.select(f"input[name={name}][type=radio], input[name={name}][type=checkbox]")
        for box in inputs:
            assert box.has_attr("checked") == (box.get("value", "on") in values), name
    assert page.select_one("select[name=how_heard] option[selected]")["value"] == "friend"


def test_the_error_summary_links_to_each_field_with_an_error(client):
    response = client.post(
        "/screening/", valid_answers(last_name="", pain_duration=None, peg_pain=None)
    )

    page = soup(response)
    summary = page.select_one("#error-summary")
    assert summary.has_attr("autofocus")
    assert summary["tabindex"] == "-1"
    links = summary.select("a")
    assert [a["href"] for a in links] == ["#id_pain_duration_0", "#id_peg_pain_0", "#id_last_name"]
    for link in links:
        assert page.select_one(link["href"]), link["href"]
    assert "Please enter your last name." in summary.get_text()


def test_each_error_is_tied_to_its_field(client):
    page = soup(client.post("/screening/", valid_answers(last_name="", pain_duration=None)))

    last_name = page.select_one("#id_last_name")
    assert last_name["aria-invalid"] == "true"
    assert "id_last_name_error" in last_name["aria-describedby"].split()
    assert (
        page.select_one("#id_last_name_error")
        .get_text(strip=True)
        .endswith("Please enter your last name.")
    )
    group = page.select_one("#id_pain_duration_group")
    assert "id_pain_duration_error" in group["aria-describedby"].split()
    assert all(r["aria-invalid"] == "true" for r in page.select("input[name=pain_duration]"))
    # Fields without errors are not marked.
    assert not page.select_one("#id_first_name").has_attr("aria-invalid")


@pytest.mark.parametrize(
    ("date_of_birth", "message"),
    [
        ("2015-01-01", "You need to be 18 or older"),
        ("2999-01-01", "This date is in the future"),
        ("1850-06-01", "Please check the year of your birth"),
        ("31/31/1980", "Please enter your date of birth as month, day and year"),
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


def test_a_us_date_typed_by_hand_is_understood(client):
    assert post_screening(client, date_of_birth="04/23/1979").status_code == 302


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
    page = soup(post_screening(client, pain_condition_other="", treatment_other=" "))

    assert page.select_one("#id_pain_condition_other_error")
    assert page.select_one("#id_treatment_other_error")


def test_both_required_consents_must_be_ticked(client):
    page = soup(post_screening(client, consent_health_data=None, consent_not_emergency=None))

    assert page.select_one("#id_consent_health_data_error")
    assert page.select_one("#id_consent_not_emergency_error")
    assert ScreeningRequest.objects.count() == 0


# --- Duplicates, tokens and bots -------------------------------------------------------------


def test_the_same_token_posted_twice_creates_one_request(client):
    data = valid_answers()

    first = client.post("/screening/", data)
    second = client.post("/screening/", data)

    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/screening/received/"
    assert ScreeningRequest.objects.count() == 1
    reference = ScreeningRequest.objects.get().reference
    assert reference in client.get("/screening/received/").content.decode()


def test_the_database_refuses_a_second_request_with_the_same_token():
    from django.db import IntegrityError, transaction

    post = {"submission_token": "t" * 24}
    first = ScreeningRequest.objects.create(**_minimal_request(**post))
    with pytest.raises(IntegrityError), transaction.atomic():
        ScreeningRequest.objects.create(**_minimal_request(**post))
    assert ScreeningRequest.objects.get() == first


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
    response = post_screening(client, form_token=token)

    page = soup(response)
    assert response.status_code == 200
    assert message in page.select_one("#error-summary").get_text()
    assert page.select_one("input[name=first_name]")["value"] == PATIENT["first_name"]
    assert ScreeningRequest.objects.count() == 0
    fresh = page.select_one("input[name=form_token]")["value"]
    assert post_screening(client, form_token=fresh.replace(fresh, form_token())).status_code == 302


def test_a_token_signed_with_another_key_is_refused(client, settings):
    token = form_token()
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    assert post_screening(client, form_token=token).status_code == 200
    assert ScreeningRequest.objects.count() == 0


def test_a_form_sent_faster_than_the_minimum_fill_time_is_not_stored(client, settings):
    settings.SCREENING_MIN_FILL_SECONDS = 3

    too_fast = post_screening(client, form_token=form_token(seconds_ago=1))
    in_time = post_screening(client, form_token=form_token(seconds_ago=4))

    assert too_fast.status_code == 200
    assert "quicker than we expected" in too_fast.content.decode()
    assert in_time.status_code == 302
    assert ScreeningRequest.objects.count() == 1


def test_no_minimum_fill_time_when_set_to_zero(client, settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0

    assert post_screening(client, form_token=form_token(seconds_ago=0)).status_code == 302


def test_a_filled_honeypot_stores_nothing_and_answers_calmly(client):
    response = post_screening(client, website="http://spam.example")

    assert response.status_code == 200
    assert "could not send your request" in response.content.decode()
    assert ScreeningRequest.objects.count() == 0
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
    assert soup(limited).select_one("input[name=last_name]")["value"] == PATIENT["last_name"]
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

    window = ScreeningRateWindow.objects.get()
    assert window.count == 1
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
    assert soup(response).select_one("input[name=email]")["value"] == PATIENT["email"]
    assert NO_STORE in response["Cache-Control"]


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
