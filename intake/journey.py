"""The screening request as a patient moves through it: one page per section of the
questionnaire, then a page to check every answer (with the last section, consent) and send.

Steps are the questionnaire's sections, in order, so a section added there is a step here.
"""

from __future__ import annotations

from typing import Any

from django.http import QueryDict
from django.urls import reverse

from pages.clinic import clinic_facts
from pages.service_area import ServiceArea

from . import questionnaire
from .form_fields import BirthDateWidget
from .forms import answer_shown
from .models import ScreeningDraft
from .questionnaire import Kind, Section

RETURN_TO_CHECK = "check"
# With RETURN_TO_CHECK, the question whose answer was being changed: the check page opens there.
CHANGED_ANSWER = "answer"


def steps() -> tuple[Section, ...]:
    """The pages before the check page; the last section is asked on the check page itself."""
    return questionnaire.SCREENING.sections[:-1]


def final_section() -> Section:
    return questionnaire.SCREENING.sections[-1]


def crisis_step() -> Section:
    """The step that asks the suicide-risk questions."""
    return next(s for s in steps() if any(part.crisis for part in s.parts))


def step_for(slug: str | None) -> Section | None:
    if slug is None:
        return steps()[0]
    return next((s for s in steps()[1:] if s.slug == slug), None)


def step_url(section: Section) -> str:
    if section == steps()[0]:
        return reverse("intake:screening")
    return reverse("intake:step", args=[section.slug])


def check_url() -> str:
    return reverse("intake:check")


def help_now_url(*, returning_to_check: bool) -> str:
    url = reverse("intake:help_now")
    return f"{url}?return={RETURN_TO_CHECK}" if returning_to_check else url


def step_number(section: Section) -> int:
    return steps().index(section) + 1


def first_step_not_done(
    draft: ScreeningDraft | None, *, before: Section | None = None
) -> Section | None:
    """The first step (before `before`, or of them all) that has not been sent yet."""
    done = set(draft.steps_done) if draft else set()
    for section in steps():
        if section == before:
            return None
        if section.slug not in done:
            return section
    return None


def check_place(section: Section, answer: str = "") -> str:
    """The check page, opened at one answer of `section` (any other name: at the step's group)."""
    if answer in {q.name for q in section.questions}:
        return f"{check_url()}#{answer_anchor(answer)}"
    return f"{check_url()}#{step_anchor(section)}"


def answer_anchor(name: str) -> str:
    return f"answer-{name}"


def step_anchor(section: Section) -> str:
    return f"check-{section.slug}"


def question_anchor(name: str) -> str:
    """The id of a question's block on its step: what a Change link lands on."""
    return f"q-{name}"


def change_url(section: Section, answer: str = "") -> str:
    """A step opened from the check page (at one question, when `answer` names one)."""
    url = f"{step_url(section)}?return={RETURN_TO_CHECK}"
    return f"{url}&{CHANGED_ANSWER}={answer}#{question_anchor(answer)}" if answer else url


def next_url(section: Section, *, returning_to_check: bool, answer: str = "") -> str:
    if returning_to_check:
        return check_place(section, answer)
    later = steps()[step_number(section) :]
    return step_url(later[0]) if later else check_url()


def previous_url(section: Section, *, returning_to_check: bool = False, answer: str = "") -> str:
    if returning_to_check:
        return check_place(section, answer)
    number = step_number(section)
    return step_url(steps()[number - 2]) if number > 1 else reverse("pages:home")


def posted_answers(data: QueryDict, section: Section) -> dict[str, Any]:
    """One step's answers exactly as the patient typed or chose them."""
    return {q.name: _posted(data, q) for q in section.questions}


def _posted(data: QueryDict, question) -> Any:
    if question.kind == Kind.MANY:
        return data.getlist(question.name)
    if question.kind == Kind.BIRTH_DATE:
        return BirthDateWidget().value_from_datadict(data, {}, question.name)
    return data.get(question.name, "")


def anything_typed(answers: dict[str, Any]) -> bool:
    """Whether any answer of a step was given (a date's boxes count one by one)."""
    values = [
        v for value in answers.values() for v in (value if isinstance(value, list) else [value])
    ]
    return any(v not in (None, "") for v in values)


def answers_summary(answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Every answer so far, grouped by step, each with a link back to its question."""
    summary = []
    for section in steps():
        rows = []
        for q in section.questions:
            value = answers.get(q.name)
            if q.asked_when is not None and value in (None, "", []):
                continue
            rows.append(
                {
                    "name": q.name,
                    "anchor": answer_anchor(q.name),
                    "question": q.summary or q.text,
                    "answer": answer_shown(q, value),
                    "change_url": change_url(section, q.name),
                }
            )
        summary.append(
            {
                "section": section,
                "anchor": step_anchor(section),
                "change_url": change_url(section),
                "answers": rows,
            }
        )
    return summary


def area_for(answers: dict[str, Any]) -> ServiceArea | None:
    """Where the patient's ZIP code is, once they have given one."""
    zip_code = answers.get("zip_code")
    return clinic_facts().area_for_zip(zip_code) if zip_code else None
