"""Screening requests out of the site: as CSV for the clinic's own records (one row a request, one
column a question, in the questionnaire's order and words), and one request as FHIR for an EHR.
Every export is audited."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record_many
from core.models import AuditEvent
from core.phones import phone_national

from .. import questionnaire
from ..fhir import screening_request_bundle
from ..forms import answer_shown
from ..models import ScreeningRequest
from ..questionnaire import Kind, Question
from .queue import request_reasons

# Excel reads a CSV file as UTF-8 only when it starts with a byte-order mark.
BYTE_ORDER_MARK = "\ufeff"
# A spreadsheet treats a cell starting with one of these as a formula (OWASP, "CSV Injection").
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

REQUEST_COLUMNS: list[tuple[str, str]] = [
    ("reference", "Reference"),
    ("received_at", "Received"),
    ("priority", "Priority"),
    ("status", "Status"),
    ("flags", "Flags"),
    ("peg_score", "PEG score"),
    ("in_service_area", "Likely in service area"),
    ("county", "County"),
    ("language", "Language"),
    ("assigned_to", "Assigned to"),
]


def csv_safe(value: object) -> str:
    """The cell's text, with a leading quote if a spreadsheet would otherwise run it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def _request_cell(screening_request: ScreeningRequest, field: str) -> object:
    if field == "received_at":
        # ISO 8601, with the clinic's offset, like every date in the file.
        return timezone.localtime(screening_request.received_at).isoformat(timespec="minutes")
    if field == "flags":
        # In the queue's words ("Pregnancy: not sure"), most pressing first.
        return "; ".join(reason.words for reason in request_reasons(screening_request))
    if field == "in_service_area":
        return {True: "yes", False: "no", None: "unknown"}[screening_request.in_service_area]
    if field == "assigned_to":
        return screening_request.assigned_to.get_username() if screening_request.assigned_to else ""
    if field == "language":
        return screening_request.language_name()
    if field in {"priority", "status"}:
        return getattr(screening_request, f"get_{field}_display")()
    return getattr(screening_request, field)


def _answer_cell(screening_request: ScreeningRequest, question: Question) -> str:
    if question.column:
        value: Any = getattr(screening_request, question.column)
        if question.kind == Kind.PHONE and value:
            return phone_national(value)
    else:
        value = (screening_request.answers or {}).get("values", {}).get(question.name)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return answer_shown(question, value)


@transaction.atomic
def screening_requests_export_csv(
    *, screening_requests: Iterable[ScreeningRequest], actor: AbstractBaseUser
) -> str:
    """The requests as CSV text for a spreadsheet (byte-order mark, ISO 8601 dates), every cell
    neutralised; one audit event per exported request."""
    questions = list(questionnaire.SCREENING.questions())
    buffer = io.StringIO()
    buffer.write(BYTE_ORDER_MARK)
    writer = csv.writer(buffer)
    writer.writerow([label for _, label in REQUEST_COLUMNS] + [str(q.text) for q in questions])
    references = []
    for screening_request in screening_requests:
        references.append(screening_request.reference)
        row = [_request_cell(screening_request, field) for field, _ in REQUEST_COLUMNS]
        row += [_answer_cell(screening_request, q) for q in questions]
        writer.writerow([csv_safe(cell) for cell in row])
    audit_record_many(
        action=AuditEvent.Action.EXPORT,
        actor=actor,
        references=references,
        detail=f"CSV export of {len(references)} request(s)",
    )
    return buffer.getvalue()


@transaction.atomic
def screening_request_export_fhir(
    *, screening_request: ScreeningRequest, actor: AbstractBaseUser
) -> dict[str, Any]:
    """The request as a validated FHIR Bundle for the clinic's EHR; the download is audited."""
    bundle = screening_request_bundle(screening_request)
    audit_record_many(
        action=AuditEvent.Action.EXPORT,
        actor=actor,
        references=[screening_request.reference],
        detail="FHIR export for the EHR",
    )
    return bundle
