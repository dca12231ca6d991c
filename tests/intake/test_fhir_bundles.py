"""Every request the form accepts exports as a FHIR bundle that two independent validators accept.

The requests are generated from the questionnaire definition: every contact method, each optional
question left blank or answered, both languages, every answer (so every flag), acute or not.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from intake import questionnaire
from intake.fhir import TASK_PRIORITY, TASK_STATUS, screening_request_bundle
from intake.models import ScreeningRequest
from intake.questionnaire import Kind, Question, scoring
from tests.fhir_validation import assert_valid_fhir, empty_values

from .fhir_support import answers_raising_each_flag, calm_answers, request_from_form

pytestmark = pytest.mark.django_db

LANGUAGES = ("en", "es")
# Realistic values for what patients type (the form checks them; these all pass).
TYPED = {
    Kind.TEXT: ["hollowbrook syndrome", "Dolor de espalda crónico", "“cluster” headaches"],
    Kind.LONG_TEXT: ["gabapentin 300 mg nightly", "Ninguno.\nSólo ibuprofeno a veces"],
    Kind.NAME: ["Marisol", "José", "O'Brien-Ngũgĩ", "Quenneville"],
    Kind.EMAIL: ["marisol@example.com", "jose.nunez+avyia@example.org"],
    Kind.PHONE: ["(206) 555-0187", "+1 425 555 0199"],
    # In the area, outside it (another state too), and a ZIP code the data does not know.
    Kind.ZIP: ["98101", "98402", "99201", "97201", "98299"],
}
BIRTH_DATES = st.dates(datetime.date(1925, 1, 1), datetime.date(2005, 12, 31))


def _choice_answer(question: Question, *, required: bool) -> st.SearchStrategy[Any]:
    codes = [str(c.code) for c in question.offered]
    if question.kind != Kind.MANY:
        return st.sampled_from(codes if required else ["", *codes])
    exclusive = question.exclusive_codes
    others = [c for c in codes if c not in exclusive]
    chosen = st.lists(st.sampled_from(others), min_size=1, unique=True)
    chosen = st.one_of(chosen, *(st.just([code]) for code in exclusive))
    return chosen if required else st.one_of(st.just([]), chosen)


def _answer(question: Question, *, required: bool) -> st.SearchStrategy[Any]:
    if question.choices:
        return _choice_answer(question, required=required)
    if question.kind == Kind.AGREE:
        return st.just("on") if required else st.sampled_from(["on", ""])
    if question.kind == Kind.BIRTH_DATE:
        return BIRTH_DATES.map(datetime.date.isoformat)
    typed = st.sampled_from(TYPED[question.kind])
    return typed if required else st.one_of(st.just(""), typed)


@st.composite
def screening_forms(draw) -> dict[str, Any]:
    """POST data for a whole request, question by question as the definition asks them."""
    data: dict[str, Any] = {}
    for question in questionnaire.SCREENING.questions():
        if question.asked_when is not None and not question.asked_when.holds(data):
            continue
        required = not question.optional
        if question.required_when is not None:
            # Decided by answers asked later too (the receipt box): drawn here, checked below.
            required = False
        data[question.name] = draw(_answer(question, required=required))
    # A ticked box posts "on"; the definition's conditions read it as True.
    coded = {k: True if v == "on" else v for k, v in data.items()}
    for question in questionnaire.SCREENING.questions():
        if question.required_when is not None and question.required_when.holds(coded):
            data[question.name] = draw(st.sampled_from(TYPED[question.kind]))
    return data


def by_type(bundle: dict, resource_type: str) -> list[dict]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


def leaves(items: list[dict]) -> list[dict]:
    """The answered items under the section and instrument groups."""
    return [leaf for item in items for leaf in (leaves(item["item"]) if "item" in item else [item])]


def assert_bundle_exports(stored: ScreeningRequest) -> dict:
    """The request's bundle is valid to both validators and says what the request says."""
    bundle = screening_request_bundle(stored)
    assert_valid_fhir(bundle)
    assert empty_values(bundle) == []

    (patient,) = by_type(bundle, "Patient")
    contacts = {(t["system"], t["value"]) for t in patient.get("telecom", [])}
    assert contacts == {(s, v) for s, v in (("phone", stored.phone), ("email", stored.email)) if v}

    (response,) = by_type(bundle, "QuestionnaireResponse")
    assert response["language"] == stored.language
    values = stored.answers["values"]
    given = {item["linkId"] for item in leaves(response["item"])}
    for question in questionnaire.SCREENING.answer_questions():
        answered = question.kind == Kind.AGREE or values.get(question.name) not in (None, "", [])
        assert (question.name in given) == answered, question.name

    definition = questionnaire.SCREENING
    (asq,) = [
        o for o in by_type(bundle, "Observation") if o["code"]["coding"][0]["code"] == "result"
    ]
    positive = scoring.asq_positive(definition, values)
    acute = scoring.asq_acute(definition, values)
    assert asq["interpretation"][0]["coding"][0]["code"] == ("POS" if positive else "NEG")
    flags = by_type(bundle, "Flag")
    assert len(flags) == (1 if positive else 0)
    if positive:
        codes = [c["code"] for c in flags[0]["code"]["coding"]]
        assert "asq_positive" in codes
        assert ("asq_acute" in codes) == acute
        priority = flags[0]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
        assert priority == ("PH" if acute else "PM")

    (task,) = by_type(bundle, "Task")
    assert task["priority"] == TASK_PRIORITY[stored.priority]
    assert task["status"] == TASK_STATUS[stored.status]
    due = datetime.datetime.fromisoformat(task["restriction"]["period"]["end"])
    assert due == stored.due_at
    return bundle


numbers = iter(range(1, 10**6))


@hypothesis_settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=screening_forms(), language=st.sampled_from(LANGUAGES))
def test_every_request_the_form_accepts_exports_as_a_valid_bundle(settings, data, language):
    settings.SCREENING_RATE_LIMIT = "off"
    stored = request_from_form(data, language=language, number=next(numbers))
    assert_bundle_exports(ScreeningRequest.objects.get(pk=stored.pk))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("contact_method", ScreeningRequest.ContactMethod.values)
def test_each_contact_method_with_only_the_contact_it_needs_exports(
    settings, contact_method, language
):
    settings.SCREENING_RATE_LIMIT = "off"
    contact = {"email": "marisol@example.com"} if contact_method == "email" else {}
    if contact_method != "email":
        contact = {"phone": "(206) 555-0187"}
    data = {**calm_answers(), "contact_method": contact_method, **contact}
    # Thoughts of suicide right now: the request the EHR most needs to read right.
    data.update(asq_thoughts="yes", asq_now="yes")

    stored = request_from_form(data, language=language, number=next(numbers))

    bundle = assert_bundle_exports(ScreeningRequest.objects.get(pk=stored.pk))
    (flag,) = by_type(bundle, "Flag")
    assert {"asq_positive", "asq_acute"} <= {c["code"] for c in flag["code"]["coding"]}
    (task,) = by_type(bundle, "Task")
    assert task["priority"] == "stat"


@pytest.mark.parametrize(("flag", "answers"), answers_raising_each_flag())
def test_every_flag_an_answer_raises_reaches_the_bundle_s_task(settings, flag, answers):
    settings.SCREENING_RATE_LIMIT = "off"
    data = {**calm_answers(), "contact_method": "phone", "phone": "(206) 555-0187", **answers}
    stored = request_from_form(data, language="en", number=next(numbers))
    assert flag in stored.flags

    bundle = assert_bundle_exports(ScreeningRequest.objects.get(pk=stored.pk))
    (task,) = by_type(bundle, "Task")
    reason = questionnaire.SCREENING.flag_reason(flag, stored.answers["values"])
    assert reason in [note["text"] for note in task["note"]]
