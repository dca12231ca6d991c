"""Every URL the site's FHIR names under its own address resolves to a valid definition: the
clinic's code systems (with every code used), the naming system of request references, and the
questionnaire a response is pinned to."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from intake import questionnaire
from intake.fhir import clinic_code_systems, questionnaire_resource, screening_request_bundle
from intake.models import ScreeningRequest
from intake.questionnaire import Kind
from tests.fhir_validation import assert_valid_fhir

from .fhir_support import answers_raising_each_flag, calm_answers, request_from_form

pytestmark = pytest.mark.django_db


def systems_used(value: Any) -> list[tuple[str, str | None]]:
    """Every (system, code) a resource names: codings, identifiers, anything with a system."""
    found = []
    if isinstance(value, dict):
        if isinstance(value.get("system"), str):
            found.append((value["system"], value.get("code")))
        for inner in value.values():
            found += systems_used(inner)
    elif isinstance(value, list):
        for inner in value:
            found += systems_used(inner)
    return found


def _resolve(client, settings, url: str) -> dict:
    assert url.startswith(settings.SITE_URL + "/"), url
    response = client.get(urlsplit(url).path)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/fhir+json"
    resource = response.json()
    assert_valid_fhir(resource)
    return resource


def _assert_every_site_system_resolves(client, settings, resource: dict) -> int:
    checked = 0
    for system, code in sorted(set(systems_used(resource)), key=str):
        if not system.startswith(settings.SITE_URL):
            continue
        served = _resolve(client, settings, system)
        if served["resourceType"] == "CodeSystem":
            assert served["url"] == system
            assert code in {c["code"] for c in served["concept"]}, (system, code)
        else:
            assert served["resourceType"] == "NamingSystem"
            assert served["uniqueId"][0]["value"] == system
        checked += 1
    return checked


@pytest.fixture(autouse=True)
def _public_site(settings):
    settings.SITE_URL = "https://avyia.example.org"
    settings.SCREENING_RATE_LIMIT = "off"


def test_every_clinic_code_the_questionnaire_names_resolves(client, settings):
    assert _assert_every_site_system_resolves(client, settings, questionnaire_resource()) > 0


def test_every_clinic_code_and_identifier_a_bundle_names_resolves(client, settings):
    # Requests raising every flag, declining the suicide questions, and answering "yes, now".
    cases = [answers for _, answers in answers_raising_each_flag()]
    cases += [
        {"asq_attempt": "declined", "asq_now": "declined"},
        {"asq_wish_dead": "yes", "asq_now": "yes"},
    ]
    checked = 0
    for number, answers in enumerate(cases, start=1):
        data = {**calm_answers(), "contact_method": "phone", "phone": "(206) 555-0187", **answers}
        stored = request_from_form(data, language="es", number=number)
        bundle = screening_request_bundle(ScreeningRequest.objects.get(pk=stored.pk))
        checked += _assert_every_site_system_resolves(client, settings, bundle)
        (response,) = [e["resource"] for e in bundle["entry"] if "questionnaire" in e["resource"]]
        url, version = response["questionnaire"].split("|")
        served = _resolve(client, settings, url)
        assert served["version"] == version
    assert checked > len(cases)


def test_each_code_system_holds_every_answer_flag_and_asq_code(client, settings):
    systems = clinic_code_systems()
    assert set(systems) == {"screening", "asq", "screening-flag"}
    served = {
        system: {
            c["code"]
            for c in _resolve(client, settings, f"{settings.SITE_URL}/fhir/CodeSystem/{system}")[
                "concept"
            ]
        }
        for system in systems
    }
    definition = questionnaire.SCREENING
    assert served["screening-flag"] == {flag.code for flag in definition.flags()}
    assert {
        "panel",
        "result",
        "negative",
        "non-acute-positive",
        "acute-positive",
        "declined",
    } <= served["asq"]
    for question in definition.questions():
        for choice in question.choices:
            if choice.coding is None and question.kind != Kind.SCALE:
                assert f"{question.name}.{choice.code}" in served["screening"]


def test_a_code_system_the_clinic_does_not_have_is_not_found(client):
    assert client.get("/fhir/CodeSystem/nothing-here").status_code == 404
    assert client.post("/fhir/CodeSystem/asq").status_code == 405


def test_canonical_urls_come_from_site_url_not_the_host_asked(client, settings):
    settings.ALLOWED_HOSTS = ["*"]
    resource = client.get("/fhir/CodeSystem/asq", HTTP_HOST="evil.example.com").json()
    assert resource["url"] == "https://avyia.example.org/fhir/CodeSystem/asq"
    questionnaire_json = client.get("/fhir/Questionnaire/screening", HTTP_HOST="evil.example.com")
    assert "evil.example.com" not in questionnaire_json.content.decode()
