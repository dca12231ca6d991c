"""FHIR R4 exports: the public Questionnaire, and one request as a Bundle for the clinic's EHR."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from core.models import AuditEvent
from intake import questionnaire
from intake.fhir import TASK_PRIORITY, TASK_STATUS
from intake.models import ScreeningRequest
from tests.fhir_validation import assert_valid_fhir

from .support import change_url

LOINC = "http://loinc.org"
SCREENING = questionnaire.SCREENING


def fhir_url(screening_request) -> str:
    return change_url(screening_request).replace("/change/", "/fhir/")


def leaves(items: list) -> list:
    """The questions' items, under their section and instrument groups."""
    return [leaf for item in items for leaf in (leaves(item["item"]) if "item" in item else [item])]


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
    assert_valid_fhir(response.json())
    resource = Questionnaire.model_validate(response.json())
    assert resource.url == settings.SITE_URL + "/fhir/Questionnaire/screening"
    items = {item["linkId"]: item for item in leaves(response.json()["item"])}
    assert list(items) == [q.name for q in SCREENING.questions()]
    assert items["peg_pain"]["code"][0] == {
        "system": LOINC,
        "code": "75893-8",
        "display": "Pain severity in the past week - 0-10 numeric rating [Reported]",
    }
    assert items["phq2_down"]["answerOption"][3]["valueCoding"]["code"] == "LA6571-9"
    assert items["asq_now"]["enableWhen"][0]["question"] == "asq_wish_dead"
    assert items["pain_conditions"]["repeats"] is True


def test_a_follow_up_the_site_requires_when_shown_is_required_in_the_questionnaire(client):
    items = {
        i["linkId"]: i for i in leaves(client.get("/fhir/Questionnaire/screening").json()["item"])
    }
    for question in SCREENING.questions():
        assert items[question.name]["required"] is (not question.optional), question.name
    assert items["asq_now"]["required"] is True
    assert items["asq_now"]["enableBehavior"] == "any"


def test_scores_are_computable_from_the_questionnaire(client):
    groups = {g["linkId"]: g for g in client.get("/fhir/Questionnaire/screening").json()["item"]}
    panels = {
        item["linkId"]: item
        for group in groups.values()
        for item in group["item"]
        if item["type"] == "group"
    }
    assert panels["peg"]["code"][0]["code"] == "91148-7"
    assert panels["phq2"]["code"][0]["code"] == "55757-9"
    assert panels["asq"]["code"][0]["system"] == settings.SITE_URL + "/fhir/CodeSystem/asq"
    peg = {i["linkId"]: i for i in panels["peg"]["item"]}
    for name in SCREENING.instrument("peg").items:
        assert peg[name]["answerOption"] == [{"valueInteger": n} for n in range(11)]
    phq2 = {i["linkId"]: i for i in panels["phq2"]["item"]}
    for name in SCREENING.instrument("phq2").items:
        ordinals = [option["valueCoding"]["extension"] for option in phq2[name]["answerOption"]]
        assert ordinals == [
            [{"url": "http://hl7.org/fhir/StructureDefinition/ordinalValue", "valueDecimal": n}]
            for n in range(4)
        ]


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
    assert_valid_fhir(response.json())
    assert [e.resource.get_resource_type() for e in bundle.entry] == [
        "Patient",
        "QuestionnaireResponse",
        "Observation",
        "Observation",
        "Observation",
        "Flag",
        "Task",
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

    assert patient["identifier"] == [
        {
            "system": settings.SITE_URL + "/fhir/NamingSystem/screening-request",
            "value": stored.reference,
        }
    ]
    assert patient["address"][0]["state"] == "WA"

    (response,) = by_type(bundle, "QuestionnaireResponse")
    assert response["questionnaire"] == settings.SITE_URL + SCREENING.url + "|" + SCREENING.version
    assert response["language"] == "en"
    assert datetime.datetime.fromisoformat(response["authored"]) == stored.received_at
    answers = {item["linkId"]: item["answer"] for item in leaves(response["item"])}
    values = stored.answers["values"]
    for question in SCREENING.answer_questions():
        value = values.get(question.name)
        given = answers.get(question.name, [])
        if question.kind == questionnaire.Kind.AGREE:
            assert given == ([{"valueBoolean": True}] if value else [{"valueBoolean": False}])
        elif question.kind == questionnaire.Kind.SCALE:
            assert given == [{"valueInteger": value}], question.name
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
        if "valueQuantity" in o
    }
    assert Decimal(str(scores["91147-9"])) == stored.peg_score
    assert scores["55758-7"] == 5
    (patient,) = by_type(bundle, "Patient")
    patient_url = bundle["entry"][0]["fullUrl"]
    assert all(o["subject"]["reference"] == patient_url for o in by_type(bundle, "Observation"))
    response_url = bundle["entry"][1]["fullUrl"]
    assert all(
        o["derivedFrom"] == [{"reference": response_url}] for o in by_type(bundle, "Observation")
    )
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


def test_a_positive_suicide_risk_screen_reaches_the_ehr_as_an_observation_and_a_flag(
    reviewer_client, crisis_request
):
    bundle = reviewer_client.get(fhir_url(crisis_request)).json()
    asq_system = settings.SITE_URL + "/fhir/CodeSystem/asq"

    (asq,) = [
        o for o in by_type(bundle, "Observation") if o["code"]["coding"][0]["system"] == asq_system
    ]
    assert asq["valueCodeableConcept"]["coding"][0]["code"] == "non-acute-positive"
    assert asq["interpretation"][0]["coding"][0]["code"] == "POS"
    (flag,) = by_type(bundle, "Flag")
    assert flag["status"] == "active"
    assert flag["category"][0]["coding"][0]["code"] == "safety"
    assert [c["code"] for c in flag["code"]["coding"]] == ["asq_positive"]
    assert flag["subject"]["reference"] == bundle["entry"][0]["fullUrl"]
    (task,) = by_type(bundle, "Task")
    assert task["priority"] == "asap"
    stored = ScreeningRequest.objects.get(pk=crisis_request.pk)
    assert datetime.datetime.fromisoformat(task["restriction"]["period"]["end"]) == stored.due_at


def test_the_bundle_is_stamped_when_it_is_exported_not_when_the_request_came(
    reviewer_client, crisis_request
):
    ScreeningRequest.objects.filter(pk=crisis_request.pk).update(
        received_at=datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    )
    before = datetime.datetime.now(datetime.UTC)

    bundle = reviewer_client.get(fhir_url(crisis_request)).json()

    assert datetime.datetime.fromisoformat(bundle["timestamp"]) >= before
    (response,) = by_type(bundle, "QuestionnaireResponse")
    assert response["authored"].startswith("2026-01-05T09:00")


def test_a_request_kept_before_versions_were_stored_pins_the_first_version(
    reviewer_client, crisis_request
):
    stored = ScreeningRequest.objects.get(pk=crisis_request.pk)
    assert stored.answers["version"] == SCREENING.version
    del stored.answers["version"]
    stored.save(update_fields=["answers"])

    bundle = reviewer_client.get(fhir_url(crisis_request)).json()

    (response,) = by_type(bundle, "QuestionnaireResponse")
    assert response["questionnaire"].endswith("|screening-consent-1")


def test_an_e_mail_only_acute_request_downloads_as_a_valid_bundle_with_its_risk(
    reviewer_client, make_request
):
    acute = make_request(
        contact_method="email", phone="", asq_wish_dead="yes", asq_now="yes", how_heard=""
    )
    assert acute.phone == ""

    response = reviewer_client.get(fhir_url(acute))

    assert response.status_code == 200
    bundle = response.json()
    assert_valid_fhir(bundle)
    (patient,) = by_type(bundle, "Patient")
    assert patient["telecom"] == [
        {"system": "email", "value": acute.email, "use": "home", "rank": 1}
    ]
    (flag,) = by_type(bundle, "Flag")
    assert [c["code"] for c in flag["code"]["coding"]] == ["asq_positive", "asq_acute"]
    assert flag["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "PH"
    asq = [o for o in by_type(bundle, "Observation") if "valueCodeableConcept" in o]
    assert asq[0]["valueCodeableConcept"]["coding"][0]["code"] == "acute-positive"
    assert {"POS", "AA"} == {i["coding"][0]["code"] for i in asq[0]["interpretation"]}
    (task,) = by_type(bundle, "Task")
    assert (task["priority"], task["status"]) == ("stat", "requested")


@pytest.mark.parametrize("status", ScreeningRequest.Status.values)
@pytest.mark.parametrize("priority", ScreeningRequest.Priority.values)
def test_every_status_and_priority_exports(reviewer_client, make_request, status, priority):
    screening_request = make_request()
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        status=status, priority=priority, due_at=None
    )

    bundle = reviewer_client.get(fhir_url(screening_request)).json()

    assert_valid_fhir(bundle)
    (task,) = by_type(bundle, "Task")
    assert task["priority"] == TASK_PRIORITY[priority]
    assert task["status"] == TASK_STATUS[status]
    assert "restriction" not in task
