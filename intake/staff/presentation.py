"""What the staff review page shows about a request, ready for its template."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from .. import questionnaire
from ..forms import answer_shown
from ..models import ScreeningRequest
from ..questionnaire import scoring


def _shown(value: Any) -> str:
    """A stored answer in words (stored answers were saved as the patient saw them)."""
    if value in (None, ""):
        return "Not answered"
    return str(value)


def answer_sections(screening_request: ScreeningRequest) -> list[dict[str, Any]]:
    """The questions and answers grouped in the sections the patient filled in."""
    sections = (screening_request.answers or {}).get("sections", [])
    return [
        {
            "title": section.get("section", ""),
            "answers": [
                (a.get("question", ""), _shown(a.get("answer"))) for a in section["answers"]
            ],
        }
        for section in sections
    ]


def crisis_answers(screening_request: ScreeningRequest) -> list[tuple[str, str]]:
    """The suicide-risk (ASQ) questions and the patient's answers, when the screen was positive."""
    if not screening_request.asq_positive:
        return []
    definition = questionnaire.SCREENING
    values = (screening_request.answers or {}).get("values", {})
    names = scoring.asq_positive_when(definition).questions
    return [
        (str(q.text), answer_shown(q, values.get(q.name))) for q in map(definition.question, names)
    ]


def flag_labels(screening_request: ScreeningRequest) -> list[str]:
    """The request's flags in words, as the questionnaire names them."""
    return [questionnaire.SCREENING.flag_label(code) for code in screening_request.flags]


def triage_flags(screening_request: ScreeningRequest) -> list[dict[str, Any]]:
    """The request's flags in words, crisis flags first."""
    definition = questionnaire.SCREENING
    flags = [
        {"label": definition.flag_label(code), "crisis": bool(flag and flag.crisis)}
        for code in screening_request.flags
        for flag in [definition.flag(code)]
    ]
    return sorted(flags, key=lambda flag: not flag["crisis"])


def review_page_context(
    screening_request: ScreeningRequest, *, show_audit_link: bool
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "screening_request": screening_request,
        "triage_flags": triage_flags(screening_request),
        "crisis_answers": crisis_answers(screening_request),
        "answer_sections": answer_sections(screening_request),
        "notes": list(screening_request.notes.select_related("author")),
        "status_history": list(screening_request.status_changes.select_related("changed_by")),
        "priority_class": ScreeningRequest.Priority(screening_request.priority)
        .name.lower()
        .replace("_", "-"),
    }
    if show_audit_link:
        context["audit_url"] = (
            reverse("admin:intake_auditevent_changelist")
            + "?"
            + urlencode({"q": screening_request.reference})
        )
    return context
