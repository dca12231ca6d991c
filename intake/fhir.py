"""The screening questionnaire and a request's answers as FHIR R4 resources, for an EHR.

Built from the questionnaire definition and validated by `fhir.resources` (its R4B models, which
read and write R4 JSON for these resources) before anything leaves the site.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire

from . import questionnaire
from .models import ScreeningRequest
from .questionnaire import Choice, Coding, Kind, Question, scoring
from .questionnaire.model import Questionnaire as Definition

FHIR_JSON = "application/fhir+json"
ITEM_TYPES = {
    Kind.ONE: "choice",
    Kind.SCALE: "choice",
    Kind.MANY: "choice",
    Kind.SELECT: "choice",
    Kind.TEXT: "string",
    Kind.LONG_TEXT: "text",
    Kind.NAME: "string",
    Kind.BIRTH_DATE: "date",
    Kind.EMAIL: "string",
    Kind.PHONE: "string",
    Kind.ZIP: "string",
    Kind.AGREE: "boolean",
}


def canonical_url(definition: Definition) -> str:
    return settings.SITE_URL + definition.url


def clinic_code_system() -> str:
    """The clinic's own code system, for questions and answers that have no LOINC code."""
    return settings.SITE_URL + "/fhir/CodeSystem/screening"


def _coding(coding: Coding) -> dict[str, str]:
    return {"system": coding.system, "code": coding.code, "display": coding.display}


def _answer_coding(question: Question, choice: Choice) -> dict[str, str]:
    if choice.coding is not None:
        return _coding(choice.coding)
    return {
        "system": clinic_code_system(),
        "code": f"{question.name}.{choice.code}",
        "display": str(choice.label),
    }


def _item(question: Question) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": question.name,
        "text": str(question.text),
        "type": ITEM_TYPES[question.kind],
        "required": not question.optional and question.asked_when is None,
    }
    if question.coding is not None:
        item["code"] = [_coding(question.coding)]
    if question.kind == Kind.MANY:
        item["repeats"] = True
    if question.max_length:
        item["maxLength"] = question.max_length
    if question.choices:
        item["answerOption"] = [
            {"valueCoding": _answer_coding(question, choice)} for choice in question.choices
        ]
    if question.asked_when is not None:
        trigger = question.asked_when
        item["enableWhen"] = [
            {
                "question": name,
                "operator": "=",
                "answerCoding": _answer_coding(definition_question, choice),
            }
            for name in trigger.questions
            for definition_question in [questionnaire.SCREENING.question(name)]
            for choice in definition_question.choices
            if choice.code in trigger.codes
        ]
        item["enableBehavior"] = "any"
    return item


def questionnaire_resource() -> dict[str, Any]:
    """The screening questionnaire as a FHIR Questionnaire (public: no patient data)."""
    definition = questionnaire.SCREENING
    resource = {
        "resourceType": "Questionnaire",
        "id": "screening",
        "url": canonical_url(definition),
        "version": definition.version,
        "name": definition.name,
        "title": str(definition.title),
        "status": "active",
        "subjectType": ["Patient"],
        "publisher": settings.CLINIC_NAME,
        "item": [
            {
                "linkId": section.slug,
                "text": str(section.title),
                "type": "group",
                "item": [_item(q) for q in section.questions],
            }
            for section in definition.sections
        ],
    }
    return Questionnaire.model_validate(resource).model_dump(mode="json", exclude_none=True)


# --- A request as a Bundle ----------------------------------------------------------------------


def _answers(question: Question, value: Any) -> list[dict[str, Any]]:
    if value in (None, "", []):
        return []
    if question.kind == Kind.AGREE:
        return [{"valueBoolean": bool(value)}]
    if question.choices:
        values = value if isinstance(value, list) else [value]
        chosen = [c for v in values for c in question.choices if str(c.code) == str(v)]
        return [{"valueCoding": _answer_coding(question, choice)} for choice in chosen]
    if isinstance(value, date):
        return [{"valueDate": value.isoformat()}]
    return [{"valueString": str(value)}]


def _answer_value(screening_request: ScreeningRequest, question: Question) -> Any:
    if question.column:
        return getattr(screening_request, question.column)
    return (screening_request.answers or {}).get("values", {}).get(question.name)


def _patient(screening_request: ScreeningRequest) -> dict[str, Any]:
    telecom = [{"system": "phone", "value": screening_request.phone, "use": "mobile"}]
    if screening_request.email:
        telecom.append({"system": "email", "value": screening_request.email})
    return {
        "resourceType": "Patient",
        "name": [{"family": screening_request.last_name, "given": [screening_request.first_name]}],
        "birthDate": screening_request.date_of_birth.isoformat(),
        "telecom": telecom,
        "address": [{"postalCode": screening_request.zip_code, "country": "US"}],
        # The language the patient asked in, to call and write to them in it (BCP 47).
        "communication": [
            {
                "language": {
                    "coding": [
                        {
                            "system": "urn:ietf:bcp:47",
                            "code": screening_request.language,
                            "display": screening_request.language_name(),
                        }
                    ]
                },
                "preferred": True,
            }
        ],
    }


def _score(coding: Coding, value: Decimal | int, patient: str, authored: str) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                        "code": "survey",
                    }
                ]
            }
        ],
        "code": {"coding": [_coding(coding)]},
        "subject": {"reference": patient},
        "effectiveDateTime": authored,
        "valueQuantity": {
            "value": float(value),
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        },
    }


def screening_request_bundle(screening_request: ScreeningRequest) -> dict[str, Any]:
    """A request as a FHIR collection Bundle: the Patient, the QuestionnaireResponse (every
    answer), and Observations for the PEG score and the PHQ-2 total."""
    definition = questionnaire.SCREENING
    patient_id = f"urn:uuid:{uuid.uuid4()}"
    authored = screening_request.received_at.isoformat()
    response = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {
            "system": clinic_code_system() + "/reference",
            "value": screening_request.reference,
        },
        "questionnaire": canonical_url(definition),
        "status": "completed",
        "subject": {"reference": patient_id},
        "authored": authored,
        "item": [
            {
                "linkId": section.slug,
                "text": str(section.title),
                "item": [
                    {"linkId": q.name, "text": str(q.text), "answer": answers}
                    if answers
                    else {"linkId": q.name, "text": str(q.text)}
                    for q in section.questions
                    for answers in [_answers(q, _answer_value(screening_request, q))]
                ],
            }
            for section in definition.sections
        ],
    }
    values = (screening_request.answers or {}).get("values", {})
    resources = [_patient(screening_request), response]
    peg, phq2 = definition.instrument("peg"), definition.instrument("phq2")
    peg_score = scoring.peg_score(definition, values)
    if peg_score is not None and peg.score_coding:
        resources.append(_score(peg.score_coding, peg_score, patient_id, authored))
    if phq2.score_coding and all(values.get(name) is not None for name in phq2.items):
        total = scoring.phq2_total(definition, values)
        resources.append(_score(phq2.score_coding, total, patient_id, authored))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": authored,
        "entry": [
            {"fullUrl": patient_id if i == 0 else f"urn:uuid:{uuid.uuid4()}", "resource": r}
            for i, r in enumerate(resources)
        ],
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)
