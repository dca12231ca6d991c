"""FHIR R4 exports: the public Questionnaire, and one request as a Bundle for the clinic's EHR."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from intake import questionnaire
from intake.models import AuditEvent, ScreeningRequest

from .support import change_url

LOINC = "http://loinc.org"
SCREENING = questionnaire.SCREENING


def fhir_url(screening_request) -> str:
    return change_url(screening_request).replace("/change/", "/fhir/")


def by_type(bundle: dict, resource_type: str) -> list[dict]:
    return [
        e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type
    ]


# --- The public Questionnaire -------------------------------------------------------------------


def test_the_questionnaire_is_public_valid_fhir_with_the_definitions_names_and_codes(client):
    response = client.get("/fhir/Questionnaire/screening")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert "Set-Cookie" not in response
    resource = Questionnaire.model_validate(response.json())
    assert resource.url.endswith("/fhir/Questionnaire/screening")
    items = {item.linkId: item for group in resource.item for item in group.item}
    assert list(items) == [q.name for q in SCREENING.questions()]
    assert items["peg_pain"].code[0].system == LOINC
    assert items["peg_pain"].code[0].code == "75893-8"
    assert items["phq2_down"].answerOption[3].valueCoding.code == "LA6571-9"
    assert items["asq_now"].enableWhen[0].question == "asq_wish_dead"
    assert items["pain_conditions"].repeats is True


# --- A request as a Bundle ----------------------------------------------------------------------


@pytest.fixture
def crisis_request(make_request) -> ScreeningRequest:
    return make_request(
        asq_thoughts="yes",
        asq_now="no",
        phq2_interest="2",
        phq2_down="3",
        current_medicines="gabapentin 300 mg",
        sms_reminders="on",
    )


def test_a_reviewer_downloads_a_valid_bundle_and_the_download_is_audited(
    reviewer_client, reviewer, crisis_request
):
    response = reviewer_client.get(fhir_url(crisis_request))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/fhir+json"
    assert "no-store" in response["Cache-Control"]
    assert crisis_request.reference in response["Content-Disposition"]
    bundle = Bundle.model_validate(response.json())
    assert bundle.type == "collection"
    assert [e.resource.get_resource_type() for e in bundle.entry] == [
        "Patient",
        "QuestionnaireResponse",
        "Observation",
        "Observation",
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert (event.reference, event.actor) == (crisis_request.reference, reviewer[0])
    assert "FHIR" in event.detail


def test_the_bundle_holds_every_stored_answer_and_the_patient(reviewer_client, crisis_request):
    bundle = reviewer_client.get(fhir_url(crisis_request)).json()
    stored = ScreeningRequest.objects.get(pk=crisis_request.pk)

    (patient,) = by_type(bundle, "Patient")
    assert patient["name"][0] == {"family": stored.last_name, "given": [stored.first_name]}
    assert patient["birthDate"] == stored.date_of_birth.isoformat()
    assert {t["value"] for t in patient["telecom"]} == {stored.phone, stored.email}
    assert patient["address"][0]["postalCode"] == stored.zip_code

    (response,) = by_type(bundle, "QuestionnaireResponse")
    assert response["questionnaire"].endswith(SCREENING.url)
    assert datetime.datetime.fromisoformat(response["authored"]) == stored.received_at
    answers = {
        item["linkId"]: item.get("answer", []) for g in response["item"] for item in g["item"]
    }
    values = stored.answers["values"]
    for question in SCREENING.answer_questions():
        value = values.get(question.name)
        given = answers[question.name]
        if question.kind == questionnaire.Kind.AGREE:
            assert given == ([{"valueBoolean": True}] if value else [{"valueBoolean": False}])
        elif question.choices:
            wanted = value if isinstance(value, list) else ([] if value in (None, "") else [value])
            codes = [
                c.code
                for a in given
                for c in question.choices
                if a["valueCoding"]["display"] == str(c.label)
            ]
            assert codes == wanted, question.name
        else:
            assert [a["valueString"] for a in given] == ([value] if value else []), question.name
    assert answers["phone"] == [{"valueString": stored.phone}]


def test_the_scores_are_observations_with_their_loinc_codes(reviewer_client, crisis_request):
    bundle = reviewer_client.get(fhir_url(crisis_request)).json()
    stored = ScreeningRequest.objects.get(pk=crisis_request.pk)

    scores = {
        o["code"]["coding"][0]["code"]: o["valueQuantity"]["value"]
        for o in by_type(bundle, "Observation")
    }
    assert Decimal(str(scores["91147-9"])) == stored.peg_score
    assert scores["55758-7"] == 5
    (patient,) = by_type(bundle, "Patient")
    patient_url = bundle["entry"][0]["fullUrl"]
    assert all(o["subject"]["reference"] == patient_url for o in by_type(bundle, "Observation"))
    assert patient["resourceType"] == "Patient"


def test_staff_without_the_ehr_permission_cannot_download(reviewer_client, crisis_request):
    Group.objects.get(name="Intake reviewer").permissions.remove(
        Permission.objects.get(codename="export_fhir_screeningrequest")
    )

    response = reviewer_client.get(fhir_url(crisis_request))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_the_download_is_get_only(reviewer_client, crisis_request):
    assert reviewer_client.post(fhir_url(crisis_request)).status_code == 405


def test_the_review_page_links_to_the_download(manager_client, crisis_request):
    page = manager_client.get(change_url(crisis_request)).content.decode()
    assert fhir_url(crisis_request) in page


def test_the_patient_carries_the_language_they_asked_in(reviewer_client, make_request):
    spanish = make_request(language="es")
    english = make_request()

    for screening_request, code, name in ((spanish, "es", "Spanish"), (english, "en", "English")):
        bundle = reviewer_client.get(fhir_url(screening_request)).json()
        Bundle.model_validate(bundle)
        (patient,) = by_type(bundle, "Patient")
        assert patient["communication"] == [
            {
                "language": {
                    "coding": [{"system": "urn:ietf:bcp:47", "code": code, "display": name}]
                },
                "preferred": True,
            }
        ]
