"""The screening questionnaire and a request's answers as FHIR R4 resources, for an EHR.

Built from the questionnaire definition and validated by `fhir.resources` (its R4B models, which
read and write R4 JSON for these resources) before anything leaves the site. An element is written
only when it has a value: FHIR refuses empty strings, lists and objects. Every canonical URL is made
from SITE_URL, never from the host a request came in on.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.namingsystem import NamingSystem
from fhir.resources.R4B.questionnaire import Questionnaire

from . import questionnaire
from .models import ScreeningRequest
from .questionnaire import Choice, Coding, Instrument, Kind, Question, codes, scoring
from .questionnaire.model import CLINIC_SYSTEMS
from .questionnaire.model import Questionnaire as Definition
from .questionnaire.screening import ASQ_POSITIVE
from .service_area import service_area_for_zip
from .staff.queue import request_reasons

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
# The clinic's code systems for what no published code covers: answers, and triage flags.
ANSWERS_SYSTEM = CLINIC_SYSTEMS + "screening"
FLAGS_SYSTEM = CLINIC_SYSTEMS + "screening-flag"
# Requests are identified by their reference, under this naming system (served, like the others).
REQUEST_NAMING_SYSTEM = "/fhir/NamingSystem/screening-request"
FIRST_VERSION = "screening-consent-1"

ORDINAL_VALUE = "http://hl7.org/fhir/StructureDefinition/ordinalValue"
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


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def canonical_url(definition: Definition) -> str:
    return site_url(definition.url)


def clinic_code_system() -> str:
    """The clinic's code system for answers that have no LOINC code."""
    return site_url(ANSWERS_SYSTEM)


def _coding(coding: Coding) -> dict[str, str]:
    system = site_url(coding.system) if coding.clinic_system else coding.system
    return {"system": system, "code": coding.code, "display": coding.display}


def _choice_coding(question: Question, choice: Choice) -> Coding:
    """The choice's published code, else the clinic's: "<question>.<answer>"."""
    if choice.coding is not None:
        return choice.coding
    # Code systems are read in English, whatever language the page was in.
    with translation.override(settings.LANGUAGE_CODE):
        return Coding(f"{question.name}.{choice.code}", str(choice.label), ANSWERS_SYSTEM)


def _answer_value(question: Question, choice: Choice) -> dict[str, Any]:
    """A choice as an answer value: a number on a 0-10 scale, else a coding."""
    if question.kind == Kind.SCALE:
        return {"valueInteger": int(choice.code)}
    coding = _coding(_choice_coding(question, choice))
    if choice.ordinal is not None:
        coding["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": choice.ordinal}]
    return {"valueCoding": coding}


def _instrument_of(definition: Definition) -> dict[str, Instrument]:
    return {
        name: instrument
        for instrument in definition.instruments
        for name in (*instrument.items, instrument.acuity_item)
        if name
    }


def _item_tree(
    definition: Definition,
    leaf: Callable[[Question], dict[str, Any] | None],
    group: Callable[[str, str, Coding | None], dict[str, Any]],
) -> list[dict[str, Any]]:
    """A group per section and, inside, a group per instrument (with its panel code) around its
    items; `leaf` makes each question's item (None leaves it out). Empty groups are left out."""
    instrument_of = _instrument_of(definition)
    tree = []
    for section in definition.sections:
        items: list[dict[str, Any]] = []
        for question in section.questions:
            item = leaf(question)
            if item is None:
                continue
            instrument = instrument_of.get(question.name)
            if instrument is None:
                items.append(item)
                continue
            if not items or items[-1]["linkId"] != instrument.key:
                items.append(group(instrument.key, str(instrument.title), instrument.coding))
            items[-1]["item"].append(item)
        if items:
            tree.append({**group(section.slug, str(section.title), None), "item": items})
    return tree


# --- The questionnaire and the clinic's code systems --------------------------------------------


def _question_item(question: Question) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": question.name,
        "text": str(question.text),
        "type": ITEM_TYPES[question.kind],
        # FHIR applies "required" only while an item is enabled: a follow-up is required when shown.
        "required": not question.optional,
    }
    if question.coding is not None:
        item["code"] = [_coding(question.coding)]
    if question.kind == Kind.MANY:
        item["repeats"] = True
    if question.max_length:
        item["maxLength"] = question.max_length
    if question.choices:
        item["answerOption"] = [_answer_value(question, choice) for choice in question.choices]
    if question.asked_when is not None:
        trigger = question.asked_when
        conditions = []
        for name in trigger.questions:
            asked = questionnaire.SCREENING.question(name)
            for choice in asked.choices:
                if choice.code in trigger.codes:
                    value = _answer_value(asked, choice)
                    (key,) = value
                    conditions.append(
                        {
                            "question": name,
                            "operator": "=",
                            "answer" + key.removeprefix("value"): value[key],
                        }
                    )
        item["enableWhen"] = conditions
        item["enableBehavior"] = "any"
    return item


def _definition_group(link_id: str, text: str, coding: Coding | None) -> dict[str, Any]:
    group: dict[str, Any] = {"linkId": link_id, "text": text, "type": "group", "item": []}
    if coding is not None:
        group["code"] = [_coding(coding)]
    return group


def questionnaire_resource() -> dict[str, Any]:
    """The screening questionnaire as a FHIR Questionnaire (public: no patient data)."""
    definition = questionnaire.SCREENING
    with translation.override(settings.LANGUAGE_CODE):
        resource = {
            "resourceType": "Questionnaire",
            "id": "screening",
            "language": settings.LANGUAGE_CODE,
            "url": canonical_url(definition),
            "version": definition.version,
            "name": definition.name,
            "title": str(definition.title),
            "status": "active",
            "subjectType": ["Patient"],
            "publisher": settings.CLINIC_NAME,
            "item": _item_tree(definition, _question_item, _definition_group),
        }
    return Questionnaire.model_validate(resource).model_dump(mode="json", exclude_none=True)


def _clinic_codings(definition: Definition) -> Iterator[Coding]:
    """Every clinic code the questionnaire and its exports use, in the order they appear."""
    for question in definition.questions():
        if question.coding is not None:
            yield question.coding
        if question.kind != Kind.SCALE:
            yield from (_choice_coding(question, choice) for choice in question.choices)
    for instrument in definition.instruments:
        yield from (c for c in (instrument.coding, instrument.score_coding) if c is not None)
    yield from codes.ASQ_CODES
    yield from (Coding(f.code, str(f.label), FLAGS_SYSTEM) for f in definition.flags())


def clinic_code_systems() -> dict[str, list[Coding]]:
    """The clinic's code systems by id, each with its codes (once each)."""
    systems: dict[str, dict[str, Coding]] = {}
    for coding in _clinic_codings(questionnaire.SCREENING):
        if coding.clinic_system:
            systems.setdefault(coding.clinic_system, {}).setdefault(coding.code, coding)
    return {system: list(found.values()) for system, found in systems.items()}


def code_system_resource(system_id: str) -> dict[str, Any] | None:
    """One of the clinic's code systems as a FHIR CodeSystem, at its canonical URL; None if the
    clinic has no code system of that id."""
    concepts = clinic_code_systems().get(system_id)
    if concepts is None:
        return None
    definition = questionnaire.SCREENING
    resource = {
        "resourceType": "CodeSystem",
        "id": system_id,
        "url": site_url(CLINIC_SYSTEMS + system_id),
        "version": definition.version,
        "name": "Avyia" + "".join(part.title() for part in system_id.split("-")),
        "title": f"{settings.CLINIC_NAME} screening codes: {system_id}",
        "status": "active",
        "publisher": settings.CLINIC_NAME,
        "caseSensitive": True,
        "content": "complete",
        "count": len(concepts),
        "concept": [{"code": c.code, "display": c.display} for c in concepts],
    }
    return CodeSystem.model_validate(resource).model_dump(mode="json", exclude_none=True)


def naming_system_resource() -> dict[str, Any]:
    """The naming system of request references, so the identifier's system resolves too."""
    resource = {
        "resourceType": "NamingSystem",
        "name": "AvyiaScreeningRequestReference",
        "status": "active",
        "kind": "identifier",
        "date": date(2026, 1, 1).isoformat(),
        "publisher": settings.CLINIC_NAME,
        "description": "The reference a screening request is given when the patient sends it.",
        "uniqueId": [{"type": "uri", "value": site_url(REQUEST_NAMING_SYSTEM), "preferred": True}],
    }
    return NamingSystem.model_validate(resource).model_dump(mode="json", exclude_none=True)


# --- A request as a Bundle ----------------------------------------------------------------------


def _answers(question: Question, value: Any) -> list[dict[str, Any]]:
    if question.kind == Kind.AGREE:
        return [{"valueBoolean": bool(value)}]
    if value in (None, "", []):
        return []
    if question.choices:
        values = value if isinstance(value, list) else [value]
        chosen = [c for v in values for c in question.choices if str(c.code) == str(v)]
        return [_answer_value(question, choice) for choice in chosen]
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
        area = service_area_for_zip(r.zip_code)
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
        items = _item_tree(definition, answered, _response_group)
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
        "code": {"coding": [_coding(code)]},
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
        "valueCodeableConcept": {"coding": [_coding(result)], "text": result.display},
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
                _coding(Coding(code, definition.flag_label(code), FLAGS_SYSTEM))
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
