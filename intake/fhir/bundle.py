"""A screening request as a FHIR collection Bundle for the clinic's EHR.

An element is written only when it has a value: FHIR refuses empty strings, lists and objects.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from fhir.resources.R4B.bundle import Bundle

from pages.clinic import clinic_facts

from .. import questionnaire
from ..models import ScreeningRequest
from ..questionnaire import Coding, Kind, Question, codes, scoring
from ..questionnaire.screening import ASQ_POSITIVE
from ..staff.queue import request_reasons
from .common import (
    FIRST_VERSION,
    FLAGS_SYSTEM,
    REQUEST_NAMING_SYSTEM,
    answer_value,
    canonical_url,
    coding_json,
    item_tree,
    site_url,
)

FLAG_PRIORITY = "http://hl7.org/fhir/StructureDefinition/flag-priority"
FLAG_DETAIL = "http://hl7.org/fhir/StructureDefinition/flag-detail"
INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}

Priority = ScreeningRequest.Priority
Status = ScreeningRequest.Status
# The clinic's priorities in FHIR's request priority, most pressing first, order kept.
TASK_PRIORITY = {
    Priority.ACUTE: "stat",
    Priority.URGENT: "asap",
    Priority.NEEDS_REVIEW: "urgent",
    Priority.ROUTINE: "routine",
}
# The first contact with the patient, as a Task's status.
TASK_STATUS = {
    Status.NEW: "requested",
    Status.IN_REVIEW: "in-progress",
    Status.CONTACTED: "completed",
    Status.SCHEDULED: "completed",
    Status.NOT_A_CANDIDATE: "completed",
    Status.WITHDRAWN: "cancelled",
    Status.CLOSED: "completed",
}


def _answers(question: Question, value: Any) -> list[dict[str, Any]]:
    if question.kind == Kind.AGREE:
        return [{"valueBoolean": bool(value)}]
    if value in (None, "", []):
        return []
    if question.choices:
        values = value if isinstance(value, list) else [value]
        chosen = [c for v in values for c in question.choices if str(c.code) == str(v)]
        return [answer_value(question, choice) for choice in chosen]
    if isinstance(value, date):
        return [{"valueDate": value.isoformat()}]
    text = str(value).strip()
    return [{"valueString": text}] if text else []


def _stored_answer(screening_request: ScreeningRequest, question: Question) -> Any:
    if question.column:
        return getattr(screening_request, question.column)
    return (screening_request.answers or {}).get("values", {}).get(question.name)


def answered_version(screening_request: ScreeningRequest) -> str:
    """The questionnaire version the patient answered (requests kept before versions were stored
    answered the first)."""
    return (screening_request.answers or {}).get("version", FIRST_VERSION)


def _identifier(screening_request: ScreeningRequest) -> dict[str, str]:
    return {"system": site_url(REQUEST_NAMING_SYSTEM), "value": screening_request.reference}


def _patient(screening_request: ScreeningRequest) -> dict[str, Any]:
    r = screening_request
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        # The request's reference: an EHR importing the bundle twice finds the same patient.
        "identifier": [_identifier(r)],
        # The language the patient asked in, to call and write to them in it (BCP 47).
        "communication": [
            {
                "language": {
                    "coding": [
                        {
                            "system": "urn:ietf:bcp:47",
                            "code": r.language,
                            "display": r.language_name(),
                        }
                    ]
                },
                "preferred": True,
            }
        ],
    }
    name = {
        k: v for k, v in (("family", r.last_name), ("given", [r.first_name])) if v and v != [""]
    }
    if name:
        patient["name"] = [name]
    if r.date_of_birth:
        patient["birthDate"] = r.date_of_birth.isoformat()
    preferred = {
        ScreeningRequest.ContactMethod.PHONE: "phone",
        ScreeningRequest.ContactMethod.TEXT: "phone",
        ScreeningRequest.ContactMethod.EMAIL: "email",
    }.get(r.contact_method)
    telecom = []
    for system, value, use in (("phone", r.phone, "mobile"), ("email", r.email, "home")):
        if value:
            contact = {"system": system, "value": value, "use": use}
            if system == preferred:
                contact["rank"] = 1
            telecom.append(contact)
    if telecom:
        patient["telecom"] = telecom
    if r.zip_code:
        area = clinic_facts().area_for_zip(r.zip_code)
        address = {"postalCode": r.zip_code, "district": area.county, "state": area.state}
        patient["address"] = [{**{k: v for k, v in address.items() if v}, "country": "US"}]
    return patient


def _response_group(link_id: str, text: str, coding: Coding | None) -> dict[str, Any]:
    return {"linkId": link_id, "text": text, "item": []}


def _questionnaire_response(
    screening_request: ScreeningRequest, *, patient: str, authored: str
) -> dict[str, Any]:
    definition = questionnaire.SCREENING

    def answered(question: Question) -> dict[str, Any] | None:
        answers = _answers(question, _stored_answer(screening_request, question))
        if not answers:
            return None
        return {"linkId": question.name, "text": str(question.text), "answer": answers}

    # The questions in the words the patient read them in.
    with translation.override(screening_request.language):
        items = item_tree(definition, answered, _response_group)
    return {
        "resourceType": "QuestionnaireResponse",
        "language": screening_request.language,
        "identifier": _identifier(screening_request),
        # Pinned to the version the patient answered.
        "questionnaire": f"{canonical_url(definition)}|{answered_version(screening_request)}",
        "status": "completed",
        "subject": {"reference": patient},
        "authored": authored,
        "item": items,
    }


def _observation(
    code: Coding, value: dict[str, Any], *, patient: str, response: str, authored: str
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        "code": {"coding": [coding_json(code)]},
        "subject": {"reference": patient},
        "effectiveDateTime": authored,
        "derivedFrom": [{"reference": response}],
        **value,
    }


def _score(value: Decimal | int) -> dict[str, Any]:
    return {
        "valueQuantity": {
            "value": float(value),
            "unit": "{score}",
            "system": "http://unitsofmeasure.org",
            "code": "{score}",
        }
    }


def _asq_result(*, acute: bool, positive: bool) -> dict[str, Any]:
    """The ASQ's outcome as a value and an interpretation."""
    if acute:
        result = codes.ASQ_ACUTE_POSITIVE
    elif positive:
        result = codes.ASQ_NON_ACUTE_POSITIVE
    else:
        result = codes.ASQ_NEGATIVE
    interpretation = ("POS", "Positive") if positive else ("NEG", "Negative")
    interpretations = [interpretation] + ([("AA", "Critical abnormal")] if acute else [])
    return {
        "valueCodeableConcept": {"coding": [coding_json(result)], "text": result.display},
        "interpretation": [
            {"coding": [{"system": INTERPRETATION, "code": code, "display": display}]}
            for code, display in interpretations
        ],
    }


def _is_crisis(code: str) -> bool:
    flag = questionnaire.SCREENING.flag(code)
    return bool(flag and flag.crisis)


def _suicide_risk_flag(
    flag_codes: list[str], *, acute: bool, patient: str, observation: str, authored: str
) -> dict[str, Any]:
    definition = questionnaire.SCREENING
    return {
        "resourceType": "Flag",
        "status": "active",
        "category": [
            {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/flag-category",
                        "code": "safety",
                        "display": "Safety",
                    }
                ]
            }
        ],
        "code": {
            "coding": [
                coding_json(Coding(code, definition.flag_label(code), FLAGS_SYSTEM))
                for code in flag_codes
            ],
            "text": "; ".join(definition.flag_label(code) for code in flag_codes),
        },
        "subject": {"reference": patient},
        "period": {"start": authored},
        "extension": [
            {
                "url": FLAG_PRIORITY,
                "valueCodeableConcept": {
                    "coding": [
                        {
                            "system": "http://hl7.org/fhir/flag-priority-code",
                            "code": "PH" if acute else "PM",
                            "display": "High priority" if acute else "Medium priority",
                        }
                    ]
                },
            },
            {"url": FLAG_DETAIL, "valueReference": {"reference": observation}},
        ],
    }


def _review_task(
    screening_request: ScreeningRequest, reasons: list[str], *, patient: str, response: str
) -> dict[str, Any]:
    """The clinic's work on the request: its priority, when the first contact is due, and why."""
    r = screening_request
    task: dict[str, Any] = {
        "resourceType": "Task",
        "identifier": [_identifier(r)],
        "status": TASK_STATUS[Status(r.status)],
        "intent": "order",
        "priority": TASK_PRIORITY[Priority(r.priority)],
        "code": {"text": "Review the screening request and contact the patient"},
        "description": f"Priority: {r.get_priority_display()}",
        "focus": {"reference": response},
        "for": {"reference": patient},
        "authoredOn": r.received_at.isoformat(),
    }
    if r.due_at is not None:
        task["restriction"] = {"period": {"end": r.due_at.isoformat()}}
    if reasons:
        task["note"] = [{"text": reason} for reason in reasons]
    return task


def screening_request_bundle(screening_request: ScreeningRequest) -> dict[str, Any]:
    """A request as a FHIR collection Bundle: the Patient, the QuestionnaireResponse (every
    answer given), Observations for the PEG score, the PHQ-2 total and the ASQ result, a Flag for
    a positive suicide-risk screen, and a Task with the request's priority and due time."""
    definition = questionnaire.SCREENING
    values = (screening_request.answers or {}).get("values", {})
    authored = screening_request.received_at.isoformat()
    patient, response = f"urn:uuid:{uuid.uuid4()}", f"urn:uuid:{uuid.uuid4()}"
    entries = [
        (patient, _patient(screening_request)),
        (response, _questionnaire_response(screening_request, patient=patient, authored=authored)),
    ]
    observed = {"patient": patient, "response": response, "authored": authored}

    def add(resource: dict[str, Any]) -> str:
        url = f"urn:uuid:{uuid.uuid4()}"
        entries.append((url, resource))
        return url

    peg, phq2, asq = (definition.instrument(key) for key in ("peg", "phq2", "asq"))
    peg_score = scoring.peg_score(definition, values)
    if peg_score is not None and peg.score_coding:
        add(_observation(peg.score_coding, _score(peg_score), **observed))
    if phq2.score_coding and all(values.get(name) is not None for name in phq2.items):
        total = scoring.phq2_total(definition, values)
        add(_observation(phq2.score_coding, _score(total), **observed))
    if any(values.get(name) for name in asq.items):
        positive = scoring.asq_positive(definition, values)
        acute = scoring.asq_acute(definition, values)
        result = _asq_result(acute=acute, positive=positive)
        asq_result = add(_observation(codes.ASQ_RESULT, result, **observed))
        if positive:
            crisis = [code for code in screening_request.flags if _is_crisis(code)]
            flag = _suicide_risk_flag(
                crisis or [ASQ_POSITIVE.code],
                acute=acute,
                patient=patient,
                observation=asq_result,
                authored=authored,
            )
            add(flag)
    # In the queue's words, most pressing first.
    reasons = [reason.words for reason in request_reasons(screening_request)]
    add(_review_task(screening_request, reasons, patient=patient, response=response))
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        # When this copy was made; the answers carry when they were given.
        "timestamp": timezone.now().isoformat(),
        "entry": [{"fullUrl": url, "resource": resource} for url, resource in entries],
    }
    return Bundle.model_validate(bundle).model_dump(mode="json", exclude_none=True)
