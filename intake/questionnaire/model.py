"""The building blocks of a questionnaire: sections, questions, answer choices, flags and codes.

Plain frozen data. What the screening questionnaire asks is in `screening.py`; everything else
(the form, triage, the staff pages, the CSV and FHIR exports) reads it through these types.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise

from intake.models import ScreeningRequest

Priority = ScreeningRequest.Priority

Text = str | Promise  # a string, or one marked for translation (gettext_lazy)

LOINC = "http://loinc.org"
# The clinic's own code systems are named by their path on the site; an export puts SITE_URL in
# front, so the canonical URL is the address that serves the CodeSystem.
CLINIC_SYSTEMS = "/fhir/CodeSystem/"


@dataclass(frozen=True)
class Coding:
    """A code in a code system, as FHIR writes it."""

    code: str
    display: str
    system: str = LOINC

    @property
    def clinic_system(self) -> str:
        """The id of the clinic code system this code is in ("asq"); empty for any other."""
        return self.system.removeprefix(CLINIC_SYSTEMS) if self.system.startswith("/") else ""


class Kind(enum.StrEnum):
    """What sort of answer a question takes, which decides its field and how it is shown."""

    ONE = "one"  # one of a few choices, as radio buttons
    SCALE = "scale"  # 0 to 10, as a row of radio buttons
    MANY = "many"  # any of several choices, as checkboxes
    SELECT = "select"  # one of many choices, as a drop-down
    TEXT = "text"
    LONG_TEXT = "long_text"
    NAME = "name"
    BIRTH_DATE = "birth_date"
    EMAIL = "email"
    PHONE = "phone"
    ZIP = "zip"
    AGREE = "agree"  # a box to tick


@dataclass(frozen=True)
class Flag:
    """Something a clinician must see, raised by an answer or a score; its code is stored.

    `raises` is the priority the flag lifts a request to at least; a flag with none is a note.
    """

    code: str
    label: Text  # what staff read, e.g. "Heart disease or blood pressure not well controlled"
    raises: Priority | None = None
    crisis: bool = False  # shown first and marked on the staff pages
    # The reason in a few words for the staff queue, e.g. "Heart condition"; a flag raised by a
    # question with several flagging answers adds the answer ("Heart condition: not sure").
    short: Text = ""


@dataclass(frozen=True)
class Choice:
    code: str | int  # stored with the request and exported: never change a code once used
    label: Text
    coding: Coding | None = None  # the LOINC answer code, where the instrument has one
    flag: Flag | None = None  # raised when this choice is chosen (a checklist of conditions)
    exclusive: bool = False  # "None of these": cannot be chosen with another answer
    # The answer's score in its instrument (PHQ-2: 0 to 3), exported as FHIR's ordinalValue.
    ordinal: int | None = None
    # No longer offered (merged into another answer), kept so stored answers still read and export.
    retired: bool = False


@dataclass(frozen=True)
class When:
    """A condition on earlier answers: any of `questions` answered with any of `codes`."""

    questions: tuple[str, ...]
    codes: frozenset[str | int]

    def holds(self, answers: Mapping[str, Any]) -> bool:
        for name in self.questions:
            value = answers.get(name)
            values = value if isinstance(value, list | tuple | set | frozenset) else [value]
            if any(v in self.codes or str(v) in self.codes for v in values):
                return True
        return False


@dataclass(frozen=True)
class Question:
    name: str  # stable: the form field, the stored key, the FHIR linkId
    text: Text
    kind: Kind
    # The question in a few words, where every answer is listed (the check page); else its text.
    summary: Text = ""
    choices: tuple[Choice, ...] = ()
    help_text: Text = ""
    optional: bool = False
    # The error when it is left unanswered; it names the question, so a list of errors reads well.
    required_message: Text = ""
    max_length: int | None = None
    autocomplete: str = ""
    # Asked only when this holds (and then required unless optional).
    asked_when: When | None = None
    # Always asked, but an answer is needed only when this holds (e-mail when we are to e-mail).
    required_when: When | None = None
    # Beside the label of a question needed only sometimes: when it is ("needed to call you").
    required_note: Text = ""
    # What an optional question left unanswered stands for ("any time").
    default: str | int | None = None
    # The flag an answer raises, and which answer codes raise it.
    flag: Flag | None = None
    flag_on: frozenset[str | int] = frozenset()
    coding: Coding | None = None
    # Said of a flag this question raised, in the staff's reasons (e.g. "not sure").
    flag_note: Text = ""
    # Kept in the request's own encrypted column of this name rather than among the answers.
    column: str = ""

    @property
    def offered(self) -> tuple[Choice, ...]:
        """The answers the form offers: every choice but the retired ones."""
        return tuple(c for c in self.choices if not c.retired)

    @property
    def exclusive_codes(self) -> list[str]:
        """Codes of answers that rule out every other ("None of these"), as the page has them."""
        return [str(c.code) for c in self.choices if c.exclusive]

    def choice_label(self, code: Any) -> str:
        for choice in self.choices:
            if choice.code == code or str(choice.code) == str(code):
                return str(choice.label)
        return str(code)

    def raised_flags(self, value: Any) -> list[Flag]:
        """The flags this answer raises: the question's own, and those of the choices chosen."""
        if value in (None, "", []):
            return []
        values = value if isinstance(value, list | tuple) else [value]
        raised = [self.flag] if self.flag and any(v in self.flag_on for v in values) else []
        raised += [c.flag for c in self.choices if c.flag and c.code in values]
        return raised

    def flags(self) -> list[Flag]:
        """Every flag an answer to this question can raise."""
        return ([self.flag] if self.flag else []) + [c.flag for c in self.choices if c.flag]


@dataclass(frozen=True)
class Part:
    """A run of questions in a section, under an optional sub-heading."""

    questions: tuple[Question, ...]
    heading: Text = ""
    intro: Text = ""
    # A lead-in every question of the part continues, shown once above them as the validated form
    # has it (the PHQ-2's "Over the last 2 weeks..."); each question's field is described by it.
    stem: Text = ""
    # The crisis message belongs beside these questions (the suicide-risk screen).
    crisis: bool = False


@dataclass(frozen=True)
class Section:
    slug: str  # stable: used in the page's ids
    title: Text
    intro: Text
    parts: tuple[Part, ...]

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for part in self.parts for q in part.questions)


@dataclass(frozen=True)
class Instrument:
    """A validated screening instrument: its items, as asked, and the codes of its panel."""

    key: str
    title: Text
    items: tuple[str, ...]  # question names, in the instrument's order
    # A follow-up asked after a positive screen (the ASQ's "right now?"), not part of the score.
    acuity_item: str = ""
    coding: Coding | None = None
    score_coding: Coding | None = None
    citation: str = ""


@dataclass(frozen=True)
class Questionnaire:
    """Everything the screening request asks, in order, and what the answers mean."""

    url: str  # canonical URL, for FHIR
    name: str
    title: Text
    version: str
    sections: tuple[Section, ...]
    instruments: tuple[Instrument, ...] = ()
    # Flags raised by rules outside the questions (scores, the service area).
    rule_flags: tuple[Flag, ...] = field(default=())

    def questions(self) -> Iterator[Question]:
        for section in self.sections:
            yield from section.questions

    def question(self, name: str) -> Question:
        for question in self.questions():
            if question.name == name:
                return question
        raise KeyError(name)

    def instrument(self, key: str) -> Instrument:
        for instrument in self.instruments:
            if instrument.key == key:
                return instrument
        raise KeyError(key)

    def flags(self) -> list[Flag]:
        """Every flag, once: the questions' (in the order asked), then the rules'."""
        flags: dict[str, Flag] = {}
        for question in self.questions():
            flags.update((f.code, f) for f in question.flags())
        flags.update((f.code, f) for f in self.rule_flags)
        return list(flags.values())

    def flag(self, code: str) -> Flag | None:
        return next((f for f in self.flags() if f.code == code), None)

    def flag_label(self, code: str) -> str:
        flag = self.flag(code)
        return str(flag.label) if flag else code

    def flag_reason(self, code: str, answers: Mapping[str, Any]) -> str:
        """Why a flag was raised, in a few words, from the stored coded answers."""
        flag = self.flag(code)
        if flag is None:
            return code
        words = str(flag.short or flag.label)
        for question in self.questions():
            value = answers.get(question.name)
            if code not in [f.code for f in question.raised_flags(value)]:
                continue
            # The first question that raised it says how: "yes" or "not sure", or its own note.
            if question.flag is not None and len(question.flag_on) > 1:
                words += ": " + question.choice_label(value).lower()
            elif question.flag_note:
                words += ": " + str(question.flag_note)
            break
        return words

    def answer_questions(self) -> list[Question]:
        """The questions stored among the coded answers (not in a column of their own)."""
        return [q for q in self.questions() if not q.column]
