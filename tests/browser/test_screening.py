"""A patient fills in the screening request in a real browser: by mouse, by keyboard, without
JavaScript, with mistakes, and with answers that call for the crisis message."""

from __future__ import annotations

import re

import pytest

from intake import questionnaire
from intake.models import ScreeningRequest

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = [375, 1280]
REFERENCE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")
TEXT = {
    "first_name": "Ilse",
    "last_name": "Brannigan",
    "date_of_birth": "1968-09-14",
    "email": "ilse.brannigan@example.net",
    "phone": "(425) 555-0148",
    "zip_code": "98402",
}
CHOICES = [
    ("pain_duration", "over_1_year"),
    ("pain_conditions", "fibromyalgia"),
    ("pain_feelings", "burning"),
    ("peg_pain", "6"),
    ("peg_enjoyment", "5"),
    ("peg_activity", "7"),
    ("treatments_tried", "physical_therapy"),
    ("treatment_helped", "a_little"),
    ("surgery_planned", "no"),
    *[(q.name, "no") for q in questionnaire.SCREENING.questions() if q.name.startswith("health_")],
    ("phq2_interest", "0"),
    ("phq2_down", "1"),
    ("asq_wish_dead", "no"),
    ("asq_better_off", "no"),
    ("asq_thoughts", "no"),
    ("asq_attempt", "no"),
]
FIRST_HEALTH_QUESTION = questionnaire.SCREENING.sections[1].questions[0].name


@pytest.fixture(autouse=True)
def _screening_settings(settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- Helpers ------------------------------------------------------------------------------------


def visible_section(page) -> int:
    for number, section in enumerate(questionnaire.SCREENING.sections, start=1):
        if page.locator(f"#section-{section.slug}").is_visible():
            return number
    raise AssertionError("no section is visible")


def fill_by_mouse(page, *, stepping: bool, extra: tuple[tuple[str, str], ...] = ()) -> None:
    """Click every answer (and type the text ones), moving on with the Next buttons."""
    answers = dict(CHOICES)
    for name, value in extra:
        answers.pop(name, None)
        answers[name] = value  # answered after the rest of its section
    for name, value in answers.items():
        if stepping and name == FIRST_HEALTH_QUESTION:
            page.locator("#section-pain .form-section__nav .btn-primary").click()
        page.locator(f'label[for="{_option_id(page, name, value)}"]').click()
    if stepping:
        page.locator("#section-health .form-section__nav .btn-primary").click()
    for name, text in TEXT.items():
        page.locator(f"#id_{name}").click()
        page.locator(f"#id_{name}").fill(text)
    page.locator('label[for="id_contact_method_0"]').click()  # phone call
    page.locator('label[for="id_contact_time_0"]').click()  # any time
    if stepping:
        page.locator("#section-about-you .form-section__nav .btn-primary").click()
    page.locator('label[for="id_consent_health_data"]').click()
    page.locator('label[for="id_consent_not_emergency"]').click()


def _option_id(page, name: str, value: str) -> str:
    return page.locator(f'input[name="{name}"][value="{value}"]').get_attribute("id")


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element matches `selector`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def choose_by_keyboard(page, name: str, value: str) -> None:
    tab_to(page, f'input[name="{name}"]')
    kind = page.evaluate("document.activeElement.type")
    if kind == "checkbox":
        while page.evaluate("document.activeElement.value") != value:
            page.keyboard.press("Tab")
        page.keyboard.press("Space")
        return
    # A radio group is one Tab stop; the arrow keys move through it and select.
    if page.evaluate("document.activeElement.value") == value:
        page.keyboard.press("Space")
        return
    for _ in range(12):
        page.keyboard.press("ArrowRight")
        if page.evaluate("document.activeElement.value") == value:
            return
    raise AssertionError(f"could not choose {value} for {name}")


def fill_by_keyboard(page) -> None:
    next_button = ".form-section:not([hidden]) .form-section__nav .btn-primary"
    for name, value in CHOICES:
        if name == FIRST_HEALTH_QUESTION:
            tab_to(page, next_button)
            page.keyboard.press("Enter")
            assert visible_section(page) == 2
        choose_by_keyboard(page, name, value)
    tab_to(page, next_button)
    page.keyboard.press("Enter")
    assert visible_section(page) == 3
    for name, text in TEXT.items():
        tab_to(page, f"#id_{name}")
        if name == "date_of_birth":
            year, month, day = text.split("-")
            page.keyboard.type(month + day + year)
        else:
            page.keyboard.type(text)
    choose_by_keyboard(page, "contact_method", "text")
    choose_by_keyboard(page, "contact_time", "evening")
    tab_to(page, next_button)
    page.keyboard.press("Enter")
    assert visible_section(page) == 4
    tab_to(page, "#id_consent_health_data")
    page.keyboard.press("Space")
    tab_to(page, "#id_consent_not_emergency")
    page.keyboard.press("Space")
    tab_to(page, 'button[type="submit"]')
    page.keyboard.press("Enter")


def assert_confirmation(site, *, check_accessibility: bool = True) -> str:
    page = site.page
    page.wait_for_url("**/screening/received/")
    assert page.locator("h1").inner_text() == "Thank you. We have your request."
    reference = page.locator(".reference-box__code").inner_text().strip()
    assert REFERENCE.match(reference)
    stored = ScreeningRequest.objects.get()
    assert stored.reference == reference
    assert stored.first_name == TEXT["first_name"]
    assert stored.phone == "+14255550148"
    assert stored.county == "Pierce"
    if check_accessibility:
        site.assert_accessible()
    return reference


# --- Tests --------------------------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
def test_the_empty_form_is_accessible(site, width):
    site.page.set_viewport_size({"width": width, "height": 900})
    site.visit("/screening/")

    # With JavaScript the form shows one section at a time.
    assert visible_section(site.page) == 1
    assert not site.page.locator("#section-health").is_visible()
    assert site.page.locator("#section-pain .form-progress__label").inner_text() == "Section 1 of 4"
    scroll_width = site.page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width


@pytest.mark.parametrize("width", WIDTHS)
def test_a_patient_completes_the_form_by_mouse(site, width):
    site.page.set_viewport_size({"width": width, "height": 900})
    site.visit("/screening/")

    fill_by_mouse(site.page, stepping=True)
    site.page.get_by_role("button", name="Send my request").click()

    reference = assert_confirmation(site)
    assert ScreeningRequest.objects.get().priority == ScreeningRequest.Priority.ROUTINE
    assert reference not in site.page.url
    site.page.reload()  # a refresh is harmless
    assert site.page.locator(".reference-box__code").inner_text().strip() == reference
    assert ScreeningRequest.objects.count() == 1


def test_the_confirmation_prints_cleanly(site):
    site.visit("/screening/", check=False)
    fill_by_mouse(site.page, stepping=True)
    site.page.get_by_role("button", name="Send my request").click()
    assert_confirmation(site, check_accessibility=False)
    page = site.page
    assert page.get_by_role("button", name="Print this page").is_visible()

    page.emulate_media(media="print")

    assert page.locator(".reference-box__code").is_visible()
    assert page.get_by_role("button", name="Print this page").is_hidden()
    assert page.locator(".site-header nav").is_hidden()


@pytest.mark.parametrize("width", WIDTHS)
def test_a_patient_completes_the_form_by_keyboard_alone(site, width):
    site.page.set_viewport_size({"width": width, "height": 900})
    site.visit("/screening/")

    fill_by_keyboard(site.page)

    assert_confirmation(site)
    stored = ScreeningRequest.objects.get()
    assert stored.contact_method == "text"
    assert stored.contact_time == "evening"
    assert stored.answers["values"]["peg_activity"] == 7


def test_moving_between_sections_keeps_every_answer(site):
    site.visit("/screening/", check=False)
    page = site.page
    page.locator('label[for="id_pain_duration_3"]').click()
    page.locator("#section-pain .form-section__nav .btn-primary").click()
    page.locator("#id_current_medicines").fill("naproxen")
    page.locator("#section-health .form-section__nav .btn-outline-primary").click()

    assert visible_section(page) == 1
    assert page.locator("#id_pain_duration_3").is_checked()
    assert page.evaluate("document.activeElement.id") == "section-pain-title"
    page.locator("#section-pain .form-section__nav .btn-primary").click()
    assert page.locator("#id_current_medicines").input_value() == "naproxen"


def test_mistakes_bring_a_focused_summary_and_keep_every_answer(site):
    site.visit("/screening/", check=False)
    page = site.page
    fill_by_mouse(page, stepping=True)
    page.locator('label[for="id_consent_not_emergency"]').click()  # untick it again
    page.locator("#section-consent").get_by_role("button", name="Back").click()
    page.locator("#id_last_name").fill("")
    page.locator("#id_zip_code").fill("9840")
    page.locator("#section-about-you .form-section__nav .btn-primary").click()
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state("load")

    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.locator("a").all_inner_texts() == [
        "Please enter your last name.",
        "Please enter a 5-digit ZIP code, for example 98101.",
        "Please check this box to show you have read that this form is not for emergencies.",
    ]
    site.assert_accessible()
    # Every answer is still there, in every section (all shown once there are errors).
    assert page.locator("#id_first_name").input_value() == TEXT["first_name"]
    assert page.locator("#id_zip_code").input_value() == "9840"
    assert page.locator("#id_date_of_birth").input_value() == TEXT["date_of_birth"]
    for name, value in CHOICES:
        assert page.locator(f'input[name="{name}"][value="{value}"]').is_checked(), name
    assert page.locator("#id_consent_health_data").is_checked()
    assert ScreeningRequest.objects.count() == 0

    summary.get_by_role("link", name="Please enter your last name.").click()
    assert page.evaluate("document.activeElement.id") == "id_last_name"
    page.locator("#id_last_name").fill(TEXT["last_name"])
    page.locator("#id_zip_code").fill(TEXT["zip_code"])
    page.locator('label[for="id_consent_not_emergency"]').click()
    page.get_by_role("button", name="Send my request").click()

    assert_confirmation(site)


def test_an_asq_yes_shows_the_crisis_message_at_once(site):
    site.visit("/screening/", check=False)
    page = site.page
    page.locator("#section-pain .form-section__nav .btn-primary").click()
    crisis = page.locator("#crisis-alert")
    right_now = page.locator("#id_asq_now_group")
    assert not crisis.is_visible()
    assert not right_now.is_visible()

    page.locator('label[for="id_asq_better_off_0"]').click()  # yes

    assert crisis.is_visible()
    assert crisis.get_attribute("role") == "alert"
    assert crisis.get_by_role("link", name="Call 988").is_visible()
    assert crisis.get_by_role("link", name="Call 911").is_visible()
    assert right_now.is_visible()
    site.assert_accessible()

    page.locator('label[for="id_asq_better_off_1"]').click()  # no after all
    assert not crisis.is_visible()
    assert not right_now.is_visible()

    # "Yes, right now" keeps the question and the message in view until it is changed.
    page.locator('label[for="id_asq_attempt_0"]').click()
    page.locator('label[for="id_asq_now_0"]').click()
    page.locator('label[for="id_asq_attempt_1"]').click()
    assert right_now.is_visible()
    assert crisis.is_visible()
    page.locator('label[for="id_asq_now_1"]').click()
    assert not right_now.is_visible()
    assert not crisis.is_visible()


def test_a_crisis_answer_reaches_the_confirmation_and_is_urgent(site):
    site.visit("/screening/", check=False)
    page = site.page
    fill_by_mouse(page, stepping=True, extra=(("asq_thoughts", "yes"), ("asq_now", "no")))
    page.get_by_role("button", name="Send my request").click()

    assert_confirmation(site)
    crisis = page.locator("main .crisis-callout")
    assert crisis.is_visible()
    assert crisis.get_by_role("link", name="Call 988").is_visible()
    stored = ScreeningRequest.objects.get()
    assert stored.priority == ScreeningRequest.Priority.URGENT
    assert stored.answers["values"]["asq_now"] == "no"


@pytest.mark.browser_context_args(java_script_enabled=False)
@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_a_patient_completes_the_form(site, width):
    site.page.set_viewport_size({"width": width, "height": 900})
    site.visit("/screening/", check=False)
    page = site.page
    assert page.locator("#section-consent").is_visible()  # every section shown at once
    assert page.locator("#id_asq_now_group").is_visible()

    fill_by_mouse(page, stepping=False)
    page.locator("#id_email").fill("ilse.brannigan@")
    page.get_by_role("button", name="Send my request").click()
    page.wait_for_load_state("load")

    # The summary takes focus through `autofocus` alone.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("#id_first_name").input_value() == TEXT["first_name"]
    page.locator("#error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "id_email"
    page.locator("#id_email").fill(TEXT["email"])
    page.get_by_role("button", name="Send my request").click()

    # axe itself needs JavaScript; the same pages are checked with it in the tests above.
    assert_confirmation(site, check_accessibility=False)
    assert page.locator("[data-print]").is_hidden()  # the print button needs JavaScript
