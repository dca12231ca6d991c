"""The public definitions: the screening Questionnaire, the clinic's code systems and the naming
system of request references, each at the canonical URL that names it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import translation
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.namingsystem import NamingSystem
from fhir.resources.R4B.questionnaire import Questionnaire

from .. import questionnaire
from ..questionnaire import Coding, Kind, Question, codes
from ..questionnaire.model import CLINIC_SYSTEMS
from ..questionnaire.model import Questionnaire as Definition
from .common import (
    FLAGS_SYSTEM,
    ITEM_TYPES,
    REQUEST_NAMING_SYSTEM,
    answer_value,
    canonical_url,
    choice_coding,
    coding_json,
    item_tree,
    site_url,
)


def _question_item(question: Question) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": question.name,
        "text": str(question.text),
        "type": ITEM_TYPES[question.kind],
        # FHIR applies "required" only while an item is enabled: a follow-up is required when shown.
        "required": not question.optional,
    }
    if question.coding is not None:
        item["code"] = [coding_json(question.coding)]
    if question.kind == Kind.MANY:
        item["repeats"] = True
    if question.max_length:
        item["maxLength"] = question.max_length
    if question.choices:
        item["answerOption"] = [answer_value(question, choice) for choice in question.choices]
    if question.asked_when is not None:
        trigger = question.asked_when
        conditions = []
        for name in trigger.questions:
            asked = questionnaire.SCREENING.question(name)
            for choice in asked.choices:
                if choice.code in trigger.codes:
                    value = answer_value(asked, choice)
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
        group["code"] = [coding_json(coding)]
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
            "item": item_tree(definition, _question_item, _definition_group),
        }
    return Questionnaire.model_validate(resource).model_dump(mode="json", exclude_none=True)


def _clinic_codings(definition: Definition) -> Iterator[Coding]:
    """Every clinic code the questionnaire and its exports use, in the order they appear."""
    for question in definition.questions():
        if question.coding is not None:
            yield question.coding
        if question.kind != Kind.SCALE:
            yield from (choice_coding(question, choice) for choice in question.choices)
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
