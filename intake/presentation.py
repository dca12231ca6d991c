"""What the staff review page shows about a request, ready for its template."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from .forms import ASQ_NOW, ASQ_QUESTIONS, ScreeningRequestForm
from .models import Flag, ScreeningRequest

# Shown first and marked, because they may need a same-day call.
CRISIS_FLAGS = (Flag.ASQ_ACUTE, Flag.ASQ_POSITIVE)


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "Not answered"
    return {"yes": "Yes", "no": "No", "not_sure": "Not sure"}.get(str(value), str(value))


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
    values = (screening_request.answers or {}).get("values", {})
    questions = [*ASQ_QUESTIONS, (ASQ_NOW, str(ScreeningRequestForm.base_fields[ASQ_NOW].label))]
    return [(question, _shown(values.get(code))) for code, question in questions]


def review_page_context(
    screening_request: ScreeningRequest, *, show_audit_link: bool
) -> dict[str, Any]:
    flags = [Flag(code) for code in screening_request.flags if code in Flag.values]
    flags.sort(key=lambda flag: flag not in CRISIS_FLAGS)
    context: dict[str, Any] = {
        "screening_request": screening_request,
        "triage_flags": [{"label": flag.label, "crisis": flag in CRISIS_FLAGS} for flag in flags],
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
