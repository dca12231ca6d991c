"""What the site's FHIR resources share: canonical URLs made from SITE_URL, codings, answer values
and the item tree (a group per section, a group per instrument with its panel code)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation

from ..questionnaire import Choice, Coding, Instrument, Kind, Question
from ..questionnaire.model import CLINIC_SYSTEMS
from ..questionnaire.model import Questionnaire as Definition

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


def site_url(path: str) -> str:
    return settings.SITE_URL + path


def canonical_url(definition: Definition) -> str:
    return site_url(definition.url)


def coding_json(coding: Coding) -> dict[str, str]:
    system = site_url(coding.system) if coding.clinic_system else coding.system
    return {"system": system, "code": coding.code, "display": coding.display}


def choice_coding(question: Question, choice: Choice) -> Coding:
    """The choice's published code, else the clinic's: "<question>.<answer>"."""
    if choice.coding is not None:
        return choice.coding
    # Code systems are read in English, whatever language the page was in.
    with translation.override(settings.LANGUAGE_CODE):
        return Coding(f"{question.name}.{choice.code}", str(choice.label), ANSWERS_SYSTEM)


def answer_value(question: Question, choice: Choice) -> dict[str, Any]:
    """A choice as an answer value: a number on a 0-10 scale, else a coding."""
    if question.kind == Kind.SCALE:
        return {"valueInteger": int(choice.code)}
    coding = coding_json(choice_coding(question, choice))
    if choice.ordinal is not None:
        coding["extension"] = [{"url": ORDINAL_VALUE, "valueDecimal": choice.ordinal}]
    return {"valueCoding": coding}


def instrument_of(definition: Definition) -> dict[str, Instrument]:
    return {
        name: instrument
        for instrument in definition.instruments
        for name in (*instrument.items, instrument.acuity_item)
        if name
    }


def item_tree(
    definition: Definition,
    leaf: Callable[[Question], dict[str, Any] | None],
    group: Callable[[str, str, Coding | None], dict[str, Any]],
) -> list[dict[str, Any]]:
    """A group per section and, inside, a group per instrument (with its panel code) around its
    items; `leaf` makes each question's item (None leaves it out). Empty groups are left out."""
    instruments = instrument_of(definition)
    tree = []
    for section in definition.sections:
        items: list[dict[str, Any]] = []
        for question in section.questions:
            item = leaf(question)
            if item is None:
                continue
            instrument = instruments.get(question.name)
            if instrument is None:
                items.append(item)
                continue
            if not items or items[-1]["linkId"] != instrument.key:
                items.append(group(instrument.key, str(instrument.title), instrument.coding))
            items[-1]["item"].append(item)
        if items:
            tree.append({**group(section.slug, str(section.title), None), "item": items})
    return tree
