"""The suicide-risk step without JavaScript: after a "yes" the support comes first when the step
comes back with errors, no empty box shows, "right now?" says when to answer it, and a "yes, right
now" stops the journey on a page with the call and text buttons, the draft kept, and a way to send
the request as it is."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from bs4 import BeautifulSoup
from django.utils import translation

from intake import journey
from intake.models import ScreeningDraft, ScreeningRequest
from intake.questionnaire import SCREENING
from intake.questionnaire.screening import NO

from .screening_support import step_posts, valid_answers

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "es"]
ASQ = SCREENING.instrument("asq")
ASQ_ITEMS = list(ASQ.items)
RIGHT_NOW_HINT = {
    "en": "Answer this only if you answered yes to any question above, or chose not to answer one.",
    "es": (
        "Conteste esta pregunta solo si contestó que sí a alguna de las preguntas de arriba, o si "
        "prefirió no contestar alguna."
    ),
}
TEXT_988 = {"en": "sms:988", "es": "sms:988?body=AYUDA"}


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0
    settings.SCREENING_RATE_LIMIT = "off"


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def to_crisis_step(client, *, language: str) -> tuple[str, dict[str, Any]]:
    """Send every step before the suicide-risk questions; returns that step's URL and its
    answers from a valid request (every ASQ answer "no")."""
    crisis_step = journey.crisis_step()
    with translation.override(language):
        crisis_url = journey.step_url(crisis_step)
    posts = step_posts(valid_answers(), language=language)
    for url, fields in posts:
        if url == crisis_url:
            return url, fields
        assert client.post(url, fields).status_code == 302, url
    raise AssertionError("no suicide-risk step")


def crisis_links(section) -> dict[str, str]:
    return {a.get_text(strip=True): a["href"] for a in section.select(".crisis-actions a")}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("item", ASQ_ITEMS)
@pytest.mark.parametrize("others", ["blank", "no"])
def test_a_yes_sent_with_questions_left_blank_puts_the_support_above_the_errors(
    client, language, item, others
):
    url, fields = to_crisis_step(client, language=language)
    posted = {k: v for k, v in fields.items() if k not in ASQ_ITEMS and k != ASQ.acuity_item}
    if others == "no":
        posted.update({name: NO for name in ASQ_ITEMS})
    posted[item] = "yes"

    response = client.post(url, posted)

    page = soup(response)
    html = response.content.decode()
    assert response.status_code == 200
    top = page.select_one("main #crisis-top")
    assert top is not None
    assert page.select_one("main .crisis-callout") is top  # the first box of the page
    links = crisis_links(top)
    assert sorted(links.values()) == sorted(["tel:988", TEXT_988[language], "tel:911"])
    assert html.index('id="crisis-top"') < html.index('id="error-summary"')
    # The summary does not take the focus (and the screen) from the support above it.
    assert not page.select_one("#error-summary").has_attr("autofocus")
    # The box beside the questions is not shown a second time, nor empty.
    beside = page.select_one("#crisis-alert")
    assert beside.has_attr("hidden") and not beside.get_text(strip=True)
    assert page.select_one(f"#id_{ASQ.acuity_item}_error")


@pytest.mark.parametrize("language", LANGUAGES)
def test_without_a_yes_no_crisis_box_shows_empty_or_otherwise(client, language):
    url, fields = to_crisis_step(client, language=language)

    shown = soup(client.get(url))
    errors = soup(client.post(url, {k: "" for k in fields}))

    for page in (shown, errors):
        assert page.select_one("#crisis-top") is None
        beside = page.select_one("#crisis-alert")
        assert beside.has_attr("hidden") and not beside.get_text(strip=True)
        assert page.select_one("main .crisis-callout:not([hidden])") is None
    assert errors.select_one("#error-summary").has_attr("autofocus")


@pytest.mark.parametrize("language", LANGUAGES)
def test_right_now_says_when_to_answer_it(client, language):
    url, _fields = to_crisis_step(client, language=language)

    page = soup(client.get(url))

    group = page.select_one(f"#id_{ASQ.acuity_item}_group")
    hint = page.select_one(f"#id_{ASQ.acuity_item}_helptext")
    assert hint.get_text(strip=True) == RIGHT_NOW_HINT[language]
    assert hint["id"] in group["aria-describedby"].split()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("item", ASQ_ITEMS)
def test_a_yes_answered_and_not_right_now_carries_on_to_the_next_step(client, language, item):
    url, fields = to_crisis_step(client, language=language)

    response = client.post(url, {**fields, item: "yes", ASQ.acuity_item: NO})

    with translation.override(language):
        assert response["Location"] == journey.next_url(
            journey.crisis_step(), returning_to_check=False
        )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("item", ASQ_ITEMS)
def test_yes_right_now_stops_on_a_page_with_the_call_buttons_and_keeps_the_draft(
    client, language, item
):
    url, fields = to_crisis_step(client, language=language)

    response = client.post(url, {**fields, item: "yes", ASQ.acuity_item: "yes"})

    with translation.override(language):
        help_url = journey.help_now_url(returning_to_check=False)
        next_url = journey.next_url(journey.crisis_step(), returning_to_check=False)
    assert response["Location"] == help_url
    page = client.get(help_url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    main = soup(page).main
    assert main.select_one(".crisis-callout") is main.select_one("#crisis-top")
    assert sorted(crisis_links(main).values()) == sorted(["tel:988", TEXT_988[language], "tel:911"])
    assert main.select_one("a#carry-on")["href"] == next_url
    assert main.select_one("form.delete-answers")
    draft = ScreeningDraft.objects.get()
    assert journey.crisis_step().slug in draft.steps_done
    assert draft.answers[ASQ.acuity_item] == "yes"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_sent_as_it_is_after_the_stop_page_is_acute(client, language):
    data = valid_answers(asq_thoughts="yes", asq_now="yes")
    posts = step_posts(data, language=language)
    with translation.override(language):
        crisis_url = journey.step_url(journey.crisis_step())
    for (url, fields), (next_url, _next) in pairwise(posts):
        response = client.post(url, fields)
        if url == crisis_url:
            main = soup(client.get(response["Location"])).main
            # "Carry on and send my request" leads to the next step, then the check page.
            assert main.select_one("a#carry-on")["href"] == next_url
        else:
            assert response["Location"] == next_url  # stopped once, not on every step after

    assert client.post(*posts[-1]).status_code == 302
    assert ScreeningRequest.objects.get().priority == ScreeningRequest.Priority.ACUTE


def test_from_the_check_page_the_stop_page_leads_back_to_it(client):
    data = valid_answers()
    for url, fields in step_posts(data)[:-1]:
        client.post(url, fields)
    crisis_url = journey.step_url(journey.crisis_step())
    fields = dict(step_posts(data))[crisis_url]

    response = client.post(
        f"{crisis_url}?return={journey.RETURN_TO_CHECK}",
        {**fields, "asq_attempt": "yes", ASQ.acuity_item: "yes"},
    )

    assert response["Location"] == journey.help_now_url(returning_to_check=True)
    main = soup(client.get(response["Location"])).main
    # Back to the check page, where the suicide-risk answers are.
    assert main.select_one("a#carry-on")["href"] == journey.check_place(journey.crisis_step())


def test_the_stop_page_is_only_for_a_yes_right_now(client):
    help_url = journey.help_now_url(returning_to_check=False)
    assert client.get(help_url)["Location"] == journey.step_url(journey.steps()[0])

    url, fields = to_crisis_step(client, language="en")
    client.post(url, {**fields, "asq_wish_dead": "yes", ASQ.acuity_item: NO})
    assert client.get(help_url)["Location"] == url


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(
    ("button", "rest_of_step"),
    # Continue with questions left blank shows the step again, the support above the errors
    # (test_a_yes_sent_with_questions_left_blank_puts_the_support_above_the_errors).
    [("continue", "answered"), ("back", "answered"), ("back", "left blank")],
)
def test_yes_right_now_stops_on_the_help_page_whichever_button_was_pressed(
    client, language, button, rest_of_step
):
    url, fields = to_crisis_step(client, language=language)
    posted = {**fields, ASQ_ITEMS[0]: "yes", ASQ.acuity_item: "yes"}
    if rest_of_step == "left blank":
        posted = {k: v for k, v in posted.items() if k in (ASQ_ITEMS[0], ASQ.acuity_item)}
    if button == "back":
        posted["back"] = ""

    response = client.post(url, posted)

    with translation.override(language):
        help_url = journey.help_now_url(returning_to_check=False)
    assert response.status_code == 302
    assert response["Location"] == help_url
    page = client.get(help_url)
    assert page.status_code == 200
    assert soup(page).main.select_one("#crisis-top")
    assert ScreeningDraft.objects.get().answers[ASQ.acuity_item] == "yes"
