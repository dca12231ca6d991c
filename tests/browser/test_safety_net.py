"""The patient's safety net in a real browser, on a phone by touch (390x844) and on a desktop
(1280x800), in English and Spanish: a "yes" to a suicide-risk question brings the call buttons into
view without pushing an unanswered question above the screen; a step sent back with a "yes" leads
with them; "yes, right now" stops on a page to call from; and a shared browser keeps nothing after
the delete control or a restart."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from intake.models import ScreeningDraft, ScreeningRequest
from intake.questionnaire import SCREENING
from tests.browser.test_screening import CLEAN_RUN, CONTINUE
from tests.conftest import SiteBrowser

pytestmark = pytest.mark.django_db(transaction=True)

ASQ = SCREENING.instrument("asq")
SIZES = {
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "has_touch": True,
        "is_mobile": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}
LANGUAGES = ["en", "es"]
CALL_988 = "main .crisis-actions a[href='tel:988']"
DELETE = {
    "en": "Delete my answers and start again",
    "es": "Borrar mis respuestas y empezar de nuevo",
}
DELETED = {
    "en": "Your answers are deleted. Nothing you told us is kept on this device.",
    "es": "Borramos sus respuestas. En este dispositivo no queda nada de lo que nos dijo.",
}
BEFORE_THE_QUESTIONS = ("where", "pain", "treatments", "health")


@pytest.fixture(autouse=True)
def _screening_settings(settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0
    settings.SCREENING_RATE_LIMIT = "off"


class Patient:
    """A person using the form: taps on a phone, clicks on a desktop."""

    def __init__(self, site: SiteBrowser, *, touch: bool, language: str) -> None:
        self.site = site
        self.page = site.page
        self.touch = touch
        self.prefix = "/es" if language == "es" else ""

    def answer(self, name: str, value: str) -> None:
        page = self.page
        option = page.locator(f'input[name="{name}"][value="{value}"]')
        label = page.locator(f'label[for="{option.get_attribute("id")}"]')
        label.tap() if self.touch else label.click()

    def type(self, name: str, text: str) -> None:
        self.page.locator(f'[name="{name}"]').fill(text)

    def send(self) -> None:
        self.press(self.page.locator(CONTINUE))

    def press(self, target) -> None:
        """Tap or click something that loads another page, and wait for it."""
        with self.page.expect_navigation(wait_until="load"):
            target.tap() if self.touch else target.click()

    def to_the_suicide_questions(self) -> str:
        self.site.visit(f"{self.prefix}/screening/", check=False)
        for slug in BEFORE_THE_QUESTIONS:
            for kind, name, value in CLEAN_RUN[slug]:
                self.type(name, value) if kind == "type" else self.answer(name, value)
            self.send()
        assert self.page.url.endswith("/screening/feelings/")
        return self.page.url

    def answer_the_mood_questions(self) -> None:
        for _kind, name, value in CLEAN_RUN["feelings"][:2]:
            self.answer(name, value)


@pytest.fixture(params=[(size, language) for size in SIZES for language in LANGUAGES])
def patient(request, browser, live_server) -> Iterator[Patient]:
    size, language = request.param
    context = browser.new_context(**SIZES[size])
    site = SiteBrowser(context.new_page(), live_server.url)
    yield Patient(site, touch=size == "phone", language=language)
    site.assert_clean()
    context.close()


def in_view(page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def unanswered_tops(page) -> dict[str, float]:
    """Where each suicide-risk question on show but not yet answered starts on the screen."""
    return page.evaluate(
        """names => Object.fromEntries(names
            .map(n => document.getElementById(`id_${n}_group`))
            .filter(g => g && !g.closest('[hidden]') && !g.querySelector('input:checked'))
            .map(g => [g.id, g.getBoundingClientRect().top]))""",
        [*ASQ.items, ASQ.acuity_item],
    )


@pytest.mark.parametrize("where_on_screen", ["start", "end"])
def test_a_yes_on_each_question_shows_the_call_button_and_never_hides_one_to_answer(
    patient, where_on_screen
):
    url = patient.to_the_suicide_questions()
    page = patient.page

    for number, item in enumerate(ASQ.items):
        page.goto(url)
        patient.answer_the_mood_questions()
        for earlier in ASQ.items[:number]:
            patient.answer(earlier, "no")
        # The question at the top of the screen, or at its very bottom (the harder case).
        page.locator(f"#id_{item}_group").evaluate(
            "(group, block) => group.scrollIntoView({block})", where_on_screen
        )
        assert not page.locator(CALL_988).first.is_visible()

        patient.answer(item, "yes")

        tops = unanswered_tops(page)
        assert tops, "the questions after it, and the right-now question, are still to answer"
        assert all(top >= 0 for top in tops.values()), (item, tops)
        assert in_view(page, CALL_988), item
        assert in_view(page, "#crisis-alert"), item  # the whole message, any phone number too
        if number == 0:
            patient.site.assert_accessible()


def test_continue_with_questions_unanswered_leads_with_the_call_button(patient):
    patient.to_the_suicide_questions()
    page = patient.page
    patient.answer_the_mood_questions()
    patient.answer(ASQ.items[0], "yes")

    patient.send()

    assert page.locator("#error-summary").is_visible()
    assert in_view(page, CALL_988)
    call = page.locator(CALL_988).first.bounding_box()["y"]
    assert call < page.locator("#error-summary").bounding_box()["y"]
    assert page.evaluate("document.activeElement.id") == "crisis-top"
    patient.site.assert_accessible()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_without_javascript_a_yes_sent_back_leads_with_the_call_button(
    browser, live_server, size, language
):
    context = browser.new_context(**SIZES[size], java_script_enabled=False)
    site = SiteBrowser(context.new_page(), live_server.url)
    patient = Patient(site, touch=size == "phone", language=language)
    patient.to_the_suicide_questions()
    page = site.page
    # No empty box, and the right-now question says when to answer it.
    boxes = page.locator("main .crisis-callout").all()
    assert all(box.inner_text().strip() for box in boxes if box.is_visible())
    assert page.locator(f"#id_{ASQ.acuity_item}_helptext").is_visible()
    patient.answer_the_mood_questions()
    patient.answer(ASQ.items[2], "yes")

    patient.send()

    assert in_view(page, CALL_988)
    call = page.locator(CALL_988).first.bounding_box()["y"]
    assert call < page.locator("#error-summary").bounding_box()["y"]
    assert not page.locator("#crisis-alert").is_visible()
    # axe needs JavaScript: the same page is checked with it in the test above.
    site.assert_clean()
    context.close()


def test_yes_right_now_stops_on_a_page_to_call_from_and_the_request_can_wait(patient):
    url = patient.to_the_suicide_questions()
    page = patient.page
    for _kind, name, value in CLEAN_RUN["feelings"]:
        patient.answer(name, value)
    patient.answer(ASQ.items[1], "yes")
    patient.answer(ASQ.acuity_item, "yes")

    patient.send()

    assert page.url.endswith("/screening/help-now/")
    assert in_view(page, CALL_988)
    assert page.locator("main a[href^='sms:988']").first.is_visible()
    for target in page.locator("main a.btn, main button").all():
        box = target.bounding_box()
        assert box["width"] >= 44 and box["height"] >= 44, target.inner_text()
    patient.site.assert_accessible()
    # Finish later: the draft is kept, and the form offers to carry on where it stopped.
    patient.press(page.locator("#finish-later"))
    assert ScreeningDraft.objects.count() == 1
    page.goto(url.replace("feelings/", ""))
    assert page.locator(".draft-welcome").is_visible()

    # Or send it as it is.
    page.goto(url)
    patient.send()
    patient.press(page.locator("#carry-on"))
    assert page.url.endswith("/screening/about-you/")
    assert "988" in page.locator("main .crisis-callout").first.inner_text()


def test_delete_leaves_nothing_and_a_restarted_browser_finds_nothing(patient, browser, live_server):
    patient.to_the_suicide_questions()
    page = patient.page
    language = "es" if patient.prefix else "en"
    check = f"{live_server.url}{patient.prefix}/screening/check/"
    start = f"{live_server.url}{patient.prefix}/screening/"

    # A browser restart keeps only the cookies with an expiry date: none leads to the answers.
    kept = [c for c in page.context.cookies() if c["expires"] > 0]
    restarted = browser.new_context()
    if kept:
        restarted.add_cookies(kept)
    other = restarted.new_page()
    other.goto(check)
    assert other.url == start
    assert not other.locator(".draft-welcome").count()
    restarted.close()
    assert kept == []

    delete = page.get_by_role("button", name=DELETE[language])
    assert delete.bounding_box()["height"] >= 44
    patient.press(delete)

    assert page.url == start
    assert DELETED[language] in page.locator("main").inner_text()
    assert not ScreeningDraft.objects.exists()
    patient.site.assert_accessible()
    page.goto(check)
    assert page.url == start
    assert not page.locator(".draft-welcome").count()
    assert ScreeningRequest.objects.count() == 0
