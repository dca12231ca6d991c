"""One health question added to the questionnaire definition, and nothing else touched: it is
asked, flagged, prioritised, shown to staff and exported everywhere."""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest

from intake import questionnaire
from intake.fhir import questionnaire_resource
from intake.models import ScreeningRequest
from intake.questionnaire import Flag, Kind, Question, screening
from tests.intake.screening_support import post_screening

from .support import QUEUE, change_url

Priority = ScreeningRequest.Priority

KIDNEY = Question(
    name="health_kidney",
    text="Do you have severe kidney disease?",
    kind=Kind.ONE,
    choices=screening.YES_NO_NOT_SURE,
    flag=Flag("kidney", "Severe kidney disease", raises=Priority.NEEDS_REVIEW),
    flag_on=frozenset({"yes", "not_sure"}),
    required_message="Tell us whether you have severe kidney disease.",
)


@pytest.fixture(autouse=True)
def _with_kidney_question(monkeypatch, settings):
    """A copy of the definition with the question added to the health conditions."""
    settings.SCREENING_MIN_FILL_SECONDS = 0
    definition = questionnaire.SCREENING
    sections = list(definition.sections)
    at = next(i for i, section in enumerate(sections) if section.slug == "health")
    conditions = sections[at].parts[0]
    sections[at] = dataclasses.replace(
        sections[at],
        parts=(
            dataclasses.replace(conditions, questions=(*conditions.questions, KIDNEY)),
            *sections[at].parts[1:],
        ),
    )
    sections = tuple(sections)
    monkeypatch.setattr(
        questionnaire, "SCREENING", dataclasses.replace(definition, sections=sections)
    )


def _fhir_answer(bundle: dict, link_id: str) -> list:
    response = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "QuestionnaireResponse"
    )
    items = [item for group in response["item"] for item in group["item"]]
    return next(item for item in items if item["linkId"] == link_id).get("answer", [])


def test_the_new_question_is_asked_and_required(client):
    post_screening(client, health_kidney=None)
    page = client.get("/screening/health/").content.decode()
    assert "Do you have severe kidney disease?" in page
    assert 'name="health_kidney"' in page

    response = post_screening(client, health_kidney=None)
    assert response.status_code == 200
    assert "Tell us whether you have severe kidney disease." in response.content.decode()
    assert not ScreeningRequest.objects.exists()


def test_the_new_question_flags_prioritises_and_reaches_staff_csv_and_fhir(client, manager_client):
    post_screening(client, health_kidney="not_sure")
    stored = ScreeningRequest.objects.get()

    assert stored.flags == ["kidney"]
    assert stored.priority == Priority.NEEDS_REVIEW

    queue = manager_client.get(QUEUE).content.decode()
    assert "Severe kidney disease" in queue
    review = manager_client.get(change_url(stored)).content.decode()
    assert "Do you have severe kidney disease?" in review
    assert "Severe kidney disease" in review

    exported = manager_client.post(
        QUEUE, {"action": "export_csv", "_selected_action": [stored.pk]}
    ).content.decode()
    (row,) = csv.DictReader(io.StringIO(exported))
    assert row["Do you have severe kidney disease?"] == "Not sure"

    bundle = manager_client.get(change_url(stored).replace("/change/", "/fhir/")).json()
    (answer,) = _fhir_answer(bundle, "health_kidney")
    assert answer["valueCoding"]["code"] == "health_kidney.not_sure"
    items = [i["linkId"] for g in questionnaire_resource()["item"] for i in g["item"]]
    assert "health_kidney" in items


def test_answered_no_the_new_question_raises_nothing(client):
    post_screening(client, health_kidney="no")
    stored = ScreeningRequest.objects.get()
    assert stored.flags == []
    assert stored.priority == Priority.ROUTINE
