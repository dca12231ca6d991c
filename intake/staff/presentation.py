"""What the staff review page shows about a request, ready for its template."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from core.phones import phone_e164, phone_national

from .. import questionnaire
from ..forms import answer_shown
from ..models import ScreeningRequest
from ..questionnaire import scoring
from . import safety
from .queue import UNANSWERED_STATUSES, due_words, most_pressing, queue_annotate, request_reasons


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


def triage_flags(screening_request: ScreeningRequest) -> list[dict[str, Any]]:
    """The request's flags in words, crisis flags first."""
    definition = questionnaire.SCREENING
    flags = [
        {"label": definition.flag_label(code), "crisis": bool(flag and flag.crisis)}
        for code in screening_request.flags
        for flag in [definition.flag(code)]
    ]
    return sorted(flags, key=lambda flag: not flag["crisis"])


def age_on(born, today) -> int | None:
    if born is None:
        return None
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def contact_card(screening_request: ScreeningRequest) -> dict[str, Any]:
    """Who to call and how: what the top of the review page shows first."""
    r = screening_request
    return {
        "name": f"{r.first_name} {r.last_name}",
        "age": age_on(r.date_of_birth, timezone.localdate()),
        "date_of_birth": r.date_of_birth,
        "phone_href": phone_e164(r.phone),
        "phone_text": phone_national(r.phone),
        "email": r.email,
        "method": ScreeningRequest.ContactMethod(r.contact_method).label
        if r.contact_method
        else "",
        "time": ScreeningRequest.ContactTime(r.contact_time).label if r.contact_time else "",
        "language": r.language_name(),
        "language_other": r.in_other_language,
    }


def due_state(screening_request: ScreeningRequest) -> dict[str, Any]:
    """When the next contact is due (after a failed attempt, the time it set), if it is late, and
    the words the queue uses for it."""
    row = (
        queue_annotate(ScreeningRequest.objects.filter(pk=screening_request.pk))
        .values("overdue", "next_due", "patient_reached", "last_attempt_outcome")
        .first()
    ) or {
        "overdue": False,
        "next_due": None,
        "patient_reached": False,
        "last_attempt_outcome": None,
    }
    acute_waiting = screening_request.acute and screening_request.status in UNANSWERED_STATUSES
    return {
        "overdue": row["overdue"],
        "next_due": row["next_due"],
        "patient_reached": row["patient_reached"],
        "acute_waiting": acute_waiting,
        "due_words": due_words(next_due=row["next_due"], acute_waiting=acute_waiting),
        # After a failed attempt on an acute request: the protocol's next steps, in view.
        "acute_unreached": acute_waiting
        and not row["patient_reached"]
        and row["last_attempt_outcome"] is not None,
    }


def next_open_request(screening_request: ScreeningRequest) -> ScreeningRequest | None:
    """The request the queue puts first among those still awaiting an answer, other than this."""
    return most_pressing(
        ScreeningRequest.objects.exclude(pk=screening_request.pk).only("pk", "reference")
    )


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
        "contact": contact_card(screening_request),
        "reasons": request_reasons(screening_request),
        "attempts": list(screening_request.contact_attempts.select_related("made_by")),
        "appointments": list(screening_request.appointments.select_related("clinician")),
        "could_not_reach_message": safety.could_not_reach_message(screening_request),
        **due_state(screening_request),
    }
    if screening_request.asq_positive:
        context["protocol"] = safety.protocol_current()
        context["protocol_confirmations"] = list(
            screening_request.protocol_confirmations.select_related("confirmed_by")
        )
    following = next_open_request(screening_request)
    if following is not None:
        context["next_request_url"] = reverse(
            "admin:intake_screeningrequest_change", args=[following.pk]
        )
        context["next_request_reference"] = following.reference
    if show_audit_link:
        context["audit_url"] = (
            reverse("admin:core_auditevent_changelist")
            + "?"
            + urlencode({"q": screening_request.reference})
        )
    return context
