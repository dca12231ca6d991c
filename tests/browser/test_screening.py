"""A patient asks for a screening in a real browser, step by step: by mouse on a phone and a
desktop, by keyboard, without JavaScript, with mistakes on every step, from outside the area,
with answers that call for the crisis message, with Back and Forward, and coming back later.

The clean run prints, per step, the taps, the characters typed and the phone screens it took.
"""

from __future__ import annotations

import math
import re

import pytest
from playwright.sync_api import expect

from intake.models import ScreeningDraft, ScreeningRequest
from tests.intake.screening_support import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
# The step's own button (Back is a button too, so that it keeps what was typed).
CONTINUE = "#screening-form button[type=submit]:not([name=back])"
REFERENCE = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")
# What a patient does on each step: ("tap", name, value) or ("type", name, text).
CLEAN_RUN = {
    "where": [("type", "zip_code", "98402")],
    "pain": [("tap", "pain_duration", "over_1_year"), ("tap", "pain_conditions", "fibromyalgia")],
    "treatments": [
        ("tap", "peg_pain", "6"),
        ("tap", "peg_enjoyment", "5"),
        ("tap", "peg_activity", "7"),
        ("tap", "treatment_helped", "a_little"),
    ],
    "health": [
        ("tap", "health_conditions", "none"),
        ("tap", "sedating_medicines", "none"),
        ("tap", "surgery_planned", "no"),
    ],
    "feelings": [
        ("tap", "phq2_interest", "0"),
        ("tap", "phq2_down", "1"),
        ("tap", "asq_wish_dead", "no"),
        ("tap", "asq_better_off", "no"),
        ("tap", "asq_thoughts", "no"),
        ("tap", "asq_attempt", "no"),
    ],
    "about-you": [
        ("tap", "contact_method", "phone"),
        ("type", "first_name", "Ilse"),
        ("type", "last_name", "Brannigan"),
        ("type", "date_of_birth_month", "9"),
        ("type", "date_of_birth_day", "14"),
        ("type", "date_of_birth_year", "1968"),
        ("type", "phone", "(425) 555-0148"),
    ],
    "check": [("tap", "consent_health_data", "on"), ("tap", "consent_not_emergency", "on")],
}


@pytest.fixture(autouse=True)
def _screening_settings(settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# --- Helpers ------------------------------------------------------------------------------------


def do(page, action: tuple[str, str, str]) -> tuple[int, int]:
    """Carry out one action as a person would; returns (taps, characters typed)."""
    kind, name, value = action
    if kind == "type":
        field = page.locator(f'[name="{name}"]')
        field.click()
        page.keyboard.type(value)
        return 1, len(value)
    # A single box to check has no value of its own.
    which = f'[value="{value}"]' if value != "on" else ""
    option = page.locator(f'input[name="{name}"]{which}')
    page.locator(f'label[for="{option.get_attribute("id")}"]').click()
    return 1, 0


def phone_screens(page) -> float:
    """How many screens a patient scrolls through to reach the step's button."""
    bottom = page.locator(CONTINUE).evaluate(
        "b => b.getBoundingClientRect().bottom + window.scrollY"
    )
    return bottom / page.evaluate("window.innerHeight")


def continue_(page) -> None:
    page.locator(CONTINUE).click()
    page.wait_for_load_state("load")


def run_steps(site, steps: dict, *, until: str = "", check_each: bool = False) -> dict:
    """Fill in and send each step in order; returns per-step figures."""
    page = site.page
    figures = {}
    for slug, actions in steps.items():
        if slug == until:
            break
        screens = phone_screens(page)
        taps = typed = 0
        for action in actions:
            t, c = do(page, action)
            taps += t
            typed += c
        if check_each:
            site.assert_accessible()
        continue_(page)
        figures[slug] = {"taps": taps + 1, "typed": typed, "screens": screens}
    return figures


def print_figures(title: str, figures: dict) -> None:
    print(f"\n{title}:")
    for slug, f in figures.items():
        line = f"taps {f['taps']:>2}  typed {f['typed']:>3}  screens {f['screens']:.1f}"
        print(f"  {slug:<11} {line}")
    print(f"  total       taps {sum(f['taps'] for f in figures.values())}")


def assert_fits_a_phone(figures: dict, *, check_page_screens: float) -> None:
    """Each step within two and a half phone screens; the check page within its own limit."""
    steps = {slug: f["screens"] for slug, f in figures.items() if slug != "check"}
    assert all(screens <= 2.5 for screens in steps.values()), steps
    assert figures["check"]["screens"] <= check_page_screens, figures


def assert_confirmation(site) -> ScreeningRequest:
    page = site.page
    page.wait_for_url("**/screening/received/")
    assert page.locator("h1").inner_text() == "Thank you. We have your request."
    reference = page.locator(".reference-box__code").inner_text().strip()
    assert REFERENCE.match(reference)
    stored = ScreeningRequest.objects.get()
    assert stored.reference == reference
    assert stored.phone == "+14255550148"
    assert stored.county == "Pierce"
    assert reference not in page.url
    return stored


# --- A clean run ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_a_patient_completes_the_request_step_by_step(site, size, example_clinic, capsys):
    # The clinic's facts filled in, as a live site shows them (the header's phone among them).
    site.page.set_viewport_size(SIZES[size])
    site.visit("/screening/")

    figures = run_steps(site, CLEAN_RUN, check_each=True)

    stored = assert_confirmation(site)
    site.assert_accessible()
    assert stored.priority == ScreeningRequest.Priority.ROUTINE
    assert not ScreeningDraft.objects.exists()
    with capsys.disabled():
        width, height = SIZES[size]["width"], SIZES[size]["height"]
        print_figures(f"Clean run on a {size} ({width}x{height})", figures)
    assert sum(f["taps"] for f in figures.values()) <= 32
    if size == "phone":
        assert_fits_a_phone(figures, check_page_screens=4)
    assert site.page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]


def test_the_check_page_changes_one_answer_and_comes_back(site):
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="check")
    page = site.page
    assert page.locator("h1").inner_text() == "Check your answers"

    page.get_by_role("link", name="Change your answer to: Your pain on average").click()
    page.wait_for_url("**/screening/treatments/?return=check&answer=peg_pain#q-peg_pain")
    do(page, ("tap", "peg_pain", "9"))
    page.get_by_role("button", name="Save and go back to check your answers").click()

    page.wait_for_url("**/screening/check/#answer-peg_pain")
    row = page.locator("#answer-peg_pain")
    expect(row).to_be_in_viewport()
    assert row.locator("dd").first.inner_text().strip() == "9"
    run_steps(site, {"check": CLEAN_RUN["check"]})
    assert assert_confirmation(site).answers["values"]["peg_pain"] == 9


# --- Where we visit -----------------------------------------------------------------------------


def test_a_patient_outside_the_area_learns_it_before_any_health_question(site, example_clinic):
    site.page.set_viewport_size(PHONE)
    site.visit("/screening/")
    run_steps(site, {"where": [("type", "zip_code", "99201")]})

    page = site.page
    answer = page.locator(".area-answer")
    assert answer.is_visible()
    assert "outside the area we visit" in answer.inner_text()
    assert "You can still ask" in answer.inner_text()
    assert (
        answer.get_by_role("link", name=re.compile(r"\(206\)"))
        .get_attribute("href")
        .startswith("tel:+1")
    )
    assert answer.bounding_box()["y"] < PHONE["height"]
    assert page.locator("input[name^=health_]").count() == 0
    site.assert_accessible()


# --- Mistakes -----------------------------------------------------------------------------------


def test_mistakes_show_on_the_step_where_they_were_made(site):
    site.page.set_viewport_size(PHONE)
    site.visit("/screening/")
    page = site.page

    run_steps(site, {"where": [("type", "zip_code", "9840")]})
    assert page.title().startswith("Error: ")
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert summary.locator("a").all_inner_texts() == [
        "Please enter a 5-digit ZIP code, for example 98101."
    ]
    site.assert_accessible()
    page.locator("#id_zip_code").fill("98402")
    continue_(page)

    continue_(page)  # the pain step, left blank
    assert page.locator("#error-summary a").all_inner_texts() == [
        "Choose how long you have had this pain.",
        "Choose at least one cause of your pain. If you do not know, choose “I am not sure”.",
    ]
    # An error link brings its question and the error into view, not just the input.
    page.locator("#error-summary a").nth(1).click()
    assert page.evaluate("document.activeElement.name") == "pain_conditions"
    legend = page.locator("#id_pain_conditions_group legend").bounding_box()
    error = page.locator("#id_pain_conditions_error").bounding_box()
    assert legend["y"] >= -1  # at the top edge, give or take a sub-pixel
    assert error["y"] + error["height"] <= PHONE["height"]
    site.assert_accessible()
    run_steps(site, {"pain": CLEAN_RUN["pain"]})

    continue_(page)  # the 0 to 10 scales and the treatments, left blank
    messages = page.locator("#error-summary a").all_inner_texts()
    assert len(messages) == 4 and len(set(messages)) == 4  # each names its own question
    assert page.locator("#id_treatment_helped_error").is_visible()
    run_steps(site, {"treatments": CLEAN_RUN["treatments"]})

    continue_(page)  # no health condition chosen, not even "None of these"
    assert page.locator("#id_health_conditions_error").is_visible()
    assert page.locator("#id_surgery_planned_error").is_visible()
    health = [("tap", "health_conditions", "heart"), *CLEAN_RUN["health"][1:]]
    run_steps(site, {"health": health})

    continue_(page)  # feelings left blank: six questions, six messages
    assert len(page.locator("#error-summary a").all_inner_texts()) == 6
    site.assert_accessible()
    run_steps(site, {"feelings": CLEAN_RUN["feelings"]})

    about = [a for a in CLEAN_RUN["about-you"] if a[1] != "last_name"]
    about = [(k, n, "425 555 01" if n == "phone" else v) for k, n, v in about]
    run_steps(site, {"about-you": about})
    assert page.locator("#id_phone").input_value() == "425 555 01"  # as typed
    assert page.locator("#error-summary a").all_inner_texts() == [
        "Please enter your last name.",
        "Please enter a US phone number, for example (206) 555-0123.",
    ]
    page.locator("#id_last_name").fill("Brannigan")
    page.locator("#id_phone").fill("(425) 555-0148")
    continue_(page)

    continue_(page)  # the check page, consents not checked
    assert page.locator("#id_consent_health_data_error").is_visible()
    site.assert_accessible()
    run_steps(site, {"check": CLEAN_RUN["check"]})
    stored = assert_confirmation(site)
    assert stored.flags == ["heart"]


# --- Crisis -------------------------------------------------------------------------------------


def _to_health(site) -> None:
    site.page.set_viewport_size(PHONE)
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="feelings")


def test_an_asq_yes_shows_the_crisis_panel_where_the_patient_is_looking(site):
    _to_health(site)
    page = site.page
    crisis = page.locator("#crisis-alert")
    right_now = page.locator("#id_asq_now_group")
    assert not crisis.is_visible()
    assert not right_now.is_visible()

    do(page, ("tap", "asq_better_off", "yes"))

    assert crisis.is_visible()
    assert crisis.get_attribute("role") == "alert"
    expect(crisis).to_be_in_viewport()
    hrefs = {
        name: crisis.get_by_role("link", name=name, exact=True).get_attribute("href")
        for name in ("Call 988", "Text 988", "Call 911")
    }
    assert hrefs == {"Call 988": "tel:988", "Text 988": "sms:988", "Call 911": "tel:911"}
    assert right_now.is_visible()
    site.assert_accessible()

    do(page, ("tap", "asq_better_off", "no"))  # no after all
    assert not crisis.is_visible()
    assert not right_now.is_visible()


def test_yes_right_now_says_stop_and_call_and_the_request_is_acute(site, mailoutbox):
    _to_health(site)
    page = site.page
    for action in CLEAN_RUN["feelings"]:
        do(page, action)
    do(page, ("tap", "asq_thoughts", "yes"))
    do(page, ("tap", "asq_now", "yes"))

    crisis = page.locator("#crisis-alert")
    assert "Please stop here and call for help now" in crisis.inner_text()
    assert "this form can wait" in crisis.inner_text()
    site.assert_accessible()
    continue_(page)

    # The journey stops on a page to call from; every page after it leads with the same message.
    page.wait_for_url("**/screening/help-now/")
    page.locator("#carry-on").click()
    page.wait_for_url("**/screening/about-you/")
    top = page.locator("main .crisis-callout").first
    assert "call for help now" in top.inner_text()
    assert top.bounding_box()["y"] < PHONE["height"]
    run_steps(site, {k: CLEAN_RUN[k] for k in ("about-you", "check")})

    stored = assert_confirmation(site)
    assert stored.priority == ScreeningRequest.Priority.ACUTE
    lead = page.locator("main .crisis-callout").first
    assert "call for help now" in lead.inner_text()
    assert "We contact you within" not in page.locator("main").inner_text()
    run_queued_tasks()
    assert mailoutbox[0].subject.startswith("ACUTE, CALL NOW")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_crisis_message_comes_when_the_step_is_sent(site):
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="feelings")
    page = site.page
    feelings = [a for a in CLEAN_RUN["feelings"] if a[1] != "asq_attempt"]
    run_steps(site, {"feelings": [*feelings, ("tap", "asq_attempt", "yes")]})

    # The follow-up question is required after a yes, and the panel already leads the page.
    assert page.locator("#id_asq_now_error").is_visible()
    assert "Please reach out for support now" in page.locator("#crisis-top").inner_text()
    run_steps(site, {"feelings": [("tap", "asq_now", "no")]})

    assert page.locator("main .crisis-callout").first.is_visible()
    run_steps(site, {k: CLEAN_RUN[k] for k in ("about-you", "check")})
    assert assert_confirmation(site).priority == ScreeningRequest.Priority.URGENT


# --- Back, Forward and coming back -------------------------------------------------------------


def test_none_of_these_and_a_condition_rule_each_other_out(site):
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="health")
    page = site.page
    none = page.locator('input[name="health_conditions"][value="none"]')
    heart = page.locator('input[name="health_conditions"][value="heart"]')

    do(page, ("tap", "health_conditions", "heart"))
    do(page, ("tap", "health_conditions", "none"))
    assert none.is_checked() and not heart.is_checked()
    do(page, ("tap", "health_conditions", "heart"))
    assert heart.is_checked() and not none.is_checked()


def test_back_and_forward_move_between_steps_with_every_answer_kept(site):
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="treatments")
    page = site.page

    page.go_back()
    assert page.url.endswith("/screening/pain/")
    assert page.locator('input[name="pain_conditions"][value="fibromyalgia"]').is_checked()
    page.go_back()
    assert page.locator("#id_zip_code").input_value() == "98402"
    page.go_forward()
    page.go_forward()
    assert page.url.endswith("/screening/treatments/")
    page.get_by_role("button", name="Back").click()
    page.wait_for_url("**/screening/pain/")
    assert page.locator('input[name="pain_duration"][value="over_1_year"]').is_checked()


def test_back_on_a_step_keeps_what_was_typed_on_it(site):
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="about-you")
    page = site.page
    do(page, ("type", "first_name", "Ilse"))
    do(page, ("type", "date_of_birth_year", "1968"))

    page.get_by_role("button", name="Back").click()
    page.wait_for_url("**/screening/feelings/")
    continue_(page)

    assert page.url.endswith("/screening/about-you/")
    assert page.locator("#id_first_name").input_value() == "Ilse"
    assert page.locator("#id_date_of_birth_year").input_value() == "1968"
    assert not page.locator("#error-summary").count()  # kept, not yet checked


def test_a_patient_who_leaves_and_returns_carries_on_where_they_left_off(site, context):
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="health")
    site.page.goto(site.base_url + "/")

    later = context.new_page()  # the same browser, another visit
    later.goto(site.base_url + "/screening/")
    welcome = later.locator(".draft-welcome")
    assert welcome.is_visible()
    with later.expect_navigation(url="**/screening/health/", wait_until="load"):
        welcome.get_by_role("link").click()
    later.go_back(wait_until="load")
    assert later.locator("#id_zip_code").input_value() == "98402"


@pytest.mark.browser_context_args(java_script_enabled=False)
@pytest.mark.parametrize("size", SIZES)
def test_without_javascript_a_patient_completes_the_request(site, size):
    site.page.set_viewport_size(SIZES[size])
    site.visit("/screening/", check=False)

    run_steps(site, CLEAN_RUN)

    assert_confirmation(site)
    assert site.page.locator("[data-print]").is_hidden()  # the print button needs JavaScript


def test_a_patient_completes_the_request_by_keyboard_alone(site):
    site.page.set_viewport_size(DESKTOP)
    site.visit("/screening/", check=False)
    page = site.page
    page.locator("#id_zip_code").focus()
    page.keyboard.type("98402")
    page.keyboard.press("Enter")
    page.wait_for_url("**/screening/pain/")
    for slug in ("pain", "treatments", "health", "feelings", "about-you", "check"):
        for kind, name, value in CLEAN_RUN[slug]:
            page.locator(f'[name="{name}"]').first.focus()
            if kind == "type":
                page.keyboard.type(value)
                continue
            if page.evaluate("document.activeElement.type") == "checkbox":
                which = f'[value="{value}"]' if value != "on" else ""
                page.locator(f'[name="{name}"]{which}').focus()
                page.keyboard.press("Space")
                continue
            for _ in range(12):  # a radio group is one Tab stop; arrows move and select
                if page.evaluate("document.activeElement.value") == value:
                    page.keyboard.press("Space")
                    break
                page.keyboard.press("ArrowDown")
        page.locator(CONTINUE).focus()
        page.keyboard.press("Enter")
        page.wait_for_load_state("load")
    assert_confirmation(site)


# --- Focus and targets --------------------------------------------------------------------------


CONTRAST = """
(el) => {
  const rgb = (s) => s.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const style = getComputedStyle(el);
  let bg = null, node = el.parentElement;
  while (node) {
    const b = getComputedStyle(node).backgroundColor;
    if (!b.startsWith("rgba(0, 0, 0, 0)") && b !== "transparent") { bg = b; break; }
    node = node.parentElement;
  }
  const a = lum(rgb(style.outlineColor)), b = lum(rgb(bg || "rgb(255,255,255)"));
  return {
    width: parseFloat(style.outlineWidth),
    style: style.outlineStyle,
    ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
  };
}
"""


def test_every_kind_of_control_shows_a_strong_focus_indicator(site):
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="about-you")
    page = site.page
    controls = {
        "radio": 'input[name="contact_method"]',
        "checkbox": 'input[name="email_receipt"]',
        "text input": "#id_first_name",
        "select": "#id_how_heard",
        "button": CONTINUE,
        "Back, a button drawn as a link": "#screening-form button[name=back]",
    }
    for kind, selector in controls.items():
        element = page.locator(selector).first
        element.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")  # reached by keyboard, as focus-visible needs
        found = element.evaluate(CONTRAST)
        print(
            f"focus on {kind}: {found['width']}px {found['style']}, contrast {found['ratio']:.1f}:1"
        )
        assert found["style"] == "solid", kind
        assert found["width"] >= 3, kind
        assert found["ratio"] >= 3, kind


@pytest.mark.parametrize("size", SIZES)
def test_every_tap_target_is_at_least_44_by_44(site, size):
    site.page.set_viewport_size(SIZES[size])
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="treatments")
    page = site.page
    for slug in ("treatments", "health", "feelings", "about-you", "check"):
        targets = page.locator(
            "#screening-form .form-check-label, #screening-form button, #screening-form a.btn"
        )
        small = [
            (targets.nth(i).inner_text()[:30], box)
            for i in range(targets.count())
            if (box := targets.nth(i).bounding_box())
            and (math.floor(box["width"]) < 44 or math.floor(box["height"]) < 44)
        ]
        assert small == [], (slug, small)
        if slug == "treatments" and size == "phone":
            tops = {
                round(page.locator(f"label[for=id_peg_pain_{n}]").bounding_box()["y"])
                for n in range(11)
            }
            assert len(tops) == 2  # two rows of numbers
            scale = page.locator("#id_peg_pain_group").bounding_box()
            assert scale["height"] <= PHONE["height"] / 2
        if slug == "treatments" and size == "desktop":
            tops = {
                round(page.locator(f"label[for=id_peg_pain_{n}]").bounding_box()["y"])
                for n in range(11)
            }
            assert len(tops) == 1  # one row
        run_steps(site, {slug: CLEAN_RUN[slug]}) if slug != "check" else None


def test_the_confirmation_prints_cleanly(site):
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN)
    assert_confirmation(site)
    page = site.page
    assert page.get_by_role("button", name="Print this page").is_visible()

    page.emulate_media(media="print")

    assert page.locator(".reference-box__code").is_visible()
    assert page.get_by_role("button", name="Print this page").is_hidden()
    assert page.locator(".site-header nav").is_hidden()


# --- In Spanish ---------------------------------------------------------------------------------

# Words that give an English sentence away: none may show in a Spanish page's <main>, outside what
# is marked lang="en".
ENGLISH_MARKERS = re.compile(
    r"\b(the|your|you|and|please|continue|back|answer|choose|step|of)\b", re.IGNORECASE
)
SPANISH_TEXT = """
(main) => {
  let text = main.innerText;
  main.querySelectorAll('[lang="en"]').forEach((el) => {
    text = text.split(el.innerText).join(" ");
  });
  return text;
}
"""


def assert_spanish(page) -> None:
    assert page.locator("html").get_attribute("lang") == "es"
    assert "/es/" in page.url
    text = page.locator("main").evaluate(SPANISH_TEXT)
    assert not ENGLISH_MARKERS.findall(text), (page.url, ENGLISH_MARKERS.findall(text), text)


def test_a_patient_completes_the_whole_request_in_spanish_with_mistakes_and_a_crisis_yes(
    site, mailoutbox
):
    site.page.set_viewport_size(PHONE)
    site.visit("/es/screening/")
    page = site.page
    assert_spanish(page)
    assert page.locator("h1").inner_text() == "Pida una evaluación"

    run_steps(site, {"where": [("type", "zip_code", "9840")]})  # a ZIP code one digit short
    assert page.title().startswith("Error: ")
    assert page.locator("#error-summary h2").inner_text() == "Hay un problema"
    assert page.locator("#error-summary a").all_inner_texts() == [
        "Escriba un código postal (ZIP) de 5 dígitos, por ejemplo 98101."
    ]
    assert_spanish(page)
    site.assert_accessible()
    page.locator("#id_zip_code").fill("98402")
    continue_(page)

    page.wait_for_url("**/es/screening/pain/")
    assert "Buenas noticias" in page.locator(".area-answer").inner_text()
    continue_(page)  # the pain step, left blank
    assert page.locator("#error-summary a").all_inner_texts() == [
        "Elija desde hace cuánto tiempo tiene este dolor.",
        "Elija al menos una causa de su dolor. Si no la sabe, elija “No estoy seguro(a)”.",
    ]
    assert_spanish(page)
    site.assert_accessible()
    for slug in ("pain", "treatments", "health"):
        assert_spanish(page)
        run_steps(site, {slug: CLEAN_RUN[slug]})

    page.wait_for_url("**/es/screening/feelings/")
    assert_spanish(page)
    for action in CLEAN_RUN["feelings"]:
        do(page, action)
    do(page, ("tap", "asq_better_off", "yes"))
    crisis = page.locator("#crisis-alert")
    expect(crisis).to_be_in_viewport()
    words = crisis.inner_text()
    assert "Por favor, busque apoyo ahora" in words
    assert "988 y marque 2" in words and "AYUDA" in words
    assert crisis.get_by_role("link", name="Enviar AYUDA al 988").get_attribute("href") == (
        "sms:988?body=AYUDA"
    )
    assert crisis.get_by_role("link", name="Llamar al 988").get_attribute("href") == "tel:988"
    assert_spanish(page)
    site.assert_accessible()
    do(page, ("tap", "asq_now", "no"))
    continue_(page)

    page.wait_for_url("**/es/screening/about-you/")
    assert "busque apoyo ahora" in page.locator("main .crisis-callout").first.inner_text()
    about = [a for a in CLEAN_RUN["about-you"] if a[1] != "last_name"]  # last name left out
    run_steps(site, {"about-you": about})
    assert page.locator("#error-summary a").all_inner_texts() == ["Escriba sus apellidos."]
    assert_spanish(page)
    page.locator("#id_last_name").fill("Brannigan")
    continue_(page)

    page.wait_for_url("**/es/screening/check/")
    assert page.locator("h1").inner_text() == "Revise sus respuestas"
    assert_spanish(page)
    continue_(page)  # the consents not checked
    assert "Marque esta casilla para que podamos leer sus respuestas." in (
        page.locator("#error-summary").inner_text()
    )
    assert_spanish(page)
    site.assert_accessible()
    run_steps(site, {"check": CLEAN_RUN["check"]})

    page.wait_for_url("**/es/screening/received/")
    assert page.locator("h1").inner_text() == "Gracias. Recibimos su solicitud."
    assert "988 y marque 2" in page.locator("main .crisis-callout").first.inner_text()
    assert_spanish(page)
    site.assert_accessible()
    stored = ScreeningRequest.objects.get()
    assert stored.language == "es"
    assert stored.priority == ScreeningRequest.Priority.URGENT
    assert stored.reference == page.locator(".reference-box__code").inner_text().strip()


def test_a_patient_who_switches_to_spanish_mid_way_keeps_every_answer(site):
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="treatments")
    page = site.page

    page.locator('a[hreflang="es"]').first.click()
    page.wait_for_url("**/es/screening/treatments/")
    assert_spanish(page)
    page.get_by_role("button", name="Volver").click()
    page.wait_for_url("**/es/screening/pain/")
    assert page.locator('input[name="pain_conditions"][value="fibromyalgia"]').is_checked()
    assert_spanish(page)


# --- The check page -----------------------------------------------------------------------------


def test_every_change_link_lands_on_its_question_and_comes_back_to_its_answer(site):
    site.page.set_viewport_size(PHONE)
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="check")
    page = site.page
    links = page.locator("main a", has_text="Change")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    per_answer = [h for h in hrefs if "#q-" in h]
    assert len(per_answer) == page.locator(".check-answers__row").count()
    assert len(hrefs) - len(per_answer) == page.locator(".check-section").count()  # one a step

    for href in hrefs:
        page.goto(site.base_url + href)
        if "#q-" not in href:
            expect(page.locator("h1")).to_be_in_viewport()
            continue
        name = href.split("#q-")[1]
        question = page.locator(f"#q-{name}")
        # The question itself, its wording on screen: not the top of the step, not just the input.
        expect(question).to_be_in_viewport()
        assert -1 <= question.bounding_box()["y"] < PHONE["height"] / 2, href
        page.get_by_role("button", name="Save and go back to check your answers").click()
        page.wait_for_url(f"**/screening/check/#answer-{name}")
        expect(page.locator(f"#answer-{name}")).to_be_in_viewport()
    site.assert_accessible()


def test_the_consents_are_at_most_ten_tabs_from_the_top_of_the_check_page(site):
    site.page.set_viewport_size(PHONE)
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="check")
    page = site.page
    page.reload()
    tabs = 0
    while page.evaluate("document.activeElement.name") != "consent_health_data" and tabs < 60:
        page.keyboard.press("Tab")
        tabs += 1
        if page.evaluate("document.activeElement.getAttribute('href')") == "#send":
            page.keyboard.press("Enter")  # the link that goes straight to the consents
    print(f"\nTabs from the top of the check page to the first consent: {tabs}")
    assert tabs <= 10


def test_in_spanish_each_step_fits_a_phone_and_the_check_page_four_and_a_half_screens(
    site, example_clinic, capsys
):
    site.page.set_viewport_size(PHONE)
    site.visit("/es/screening/", check=False)
    figures = run_steps(site, CLEAN_RUN)
    with capsys.disabled():
        print_figures("Clean run in Spanish on a phone (390x844)", figures)
    assert_fits_a_phone(figures, check_page_screens=4.5)


def test_the_date_of_birth_is_three_boxes_and_an_age_over_120_is_refused(site):
    site.page.set_viewport_size(PHONE)
    site.visit("/screening/", check=False)
    run_steps(site, CLEAN_RUN, until="about-you")
    page = site.page
    boxes = page.locator("#id_date_of_birth_group input")
    assert [boxes.nth(i).get_attribute("autocomplete") for i in range(boxes.count())] == [
        "bday-month",
        "bday-day",
        "bday-year",
    ]
    old = [(k, n, "1899" if n == "date_of_birth_year" else v) for k, n, v in CLEAN_RUN["about-you"]]
    run_steps(site, {"about-you": old})
    assert page.locator("#error-summary a").all_inner_texts() == [
        "Please check the year of your birth: it would make you older than 120."
    ]
    assert page.locator("#id_date_of_birth_year").input_value() == "1899"  # as typed
    site.assert_accessible()
    page.locator("#error-summary a").click()
    assert page.evaluate("document.activeElement.id") == "id_date_of_birth_month"
    page.locator("#id_date_of_birth_year").fill("1968")
    continue_(page)
    row = page.locator("#answer-date_of_birth")
    assert row.locator("dd").first.inner_text().strip() == "September 14, 1968"
