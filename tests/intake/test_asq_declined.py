"""Declining a suicide-risk question: allowed on each one, counted as a positive screen, and said
in its own words to the patient and to staff."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from intake import questionnaire
from intake.models import ScreeningRequest
from intake.questionnaire import scoring

from .screening_support import post_screening, walk_to_check

pytestmark = pytest.mark.django_db

ASQ = questionnaire.SCREENING.instrument("asq")
DECLINED_WORDS = "You chose not to answer some of the questions about suicide."
YES_WORDS = "Thank you for telling us."


@pytest.fixture(autouse=True)
def _quick(settings):
    settings.SCREENING_MIN_FILL_SECONDS = 0


def crisis_text(response) -> str:
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return " ".join(c.get_text(" ", strip=True) for c in soup.select("main .crisis-callout"))


@pytest.mark.parametrize("item", ASQ.items)
def test_a_patient_who_declines_any_asq_question_can_send_and_is_urgent(client, item):
    response = post_screening(client, **{item: "declined", ASQ.acuity_item: "no"})

    assert response.status_code == 302
    stored = ScreeningRequest.objects.get()
    assert stored.asq_positive
    assert not stored.acute
    assert stored.flags == ["asq_positive", "asq_declined"]
    assert stored.priority == ScreeningRequest.Priority.URGENT

    received = client.get(response["Location"])
    assert DECLINED_WORDS in crisis_text(received)
    assert YES_WORDS not in crisis_text(received)


def test_declining_asks_the_acuity_question_which_may_be_declined_too(client):
    walk_to_check(client, asq_attempt="declined", asq_now="declined")
    page = client.get("/screening/check/")

    assert DECLINED_WORDS in crisis_text(page)
    values = {ASQ.acuity_item: "declined", "asq_attempt": "declined"}
    assert scoring.asq_positive(questionnaire.SCREENING, values)
    assert not scoring.asq_acute(questionnaire.SCREENING, values)


def test_a_yes_keeps_its_own_words(client):
    walk_to_check(client, asq_thoughts="yes", asq_now="no")
    page = client.get("/screening/check/")

    assert YES_WORDS in crisis_text(page)
    assert DECLINED_WORDS not in crisis_text(page)


def test_in_spanish_the_patient_reads_the_declined_words_in_spanish(client):
    walk_to_check(client, language="es", asq_wish_dead="declined", asq_now="no")
    page = client.get("/es/screening/check/")

    assert "Usted eligió no contestar algunas de las preguntas sobre el suicidio." in crisis_text(
        page
    )
