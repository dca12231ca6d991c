"""Staff work on screening requests: status moves, assignment, notes and deletion.

The admin calls these functions and nothing else writes these changes, so each one is checked and
recorded in the audit trail (intake.staff.audit) in the same transaction.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction

from core.audit import audit_record
from core.models import AuditEvent

from ..models import InternalNote, ScreeningRequest, StatusChange
from .safety import deletion_refusals, status_move_requirements_check

Status = ScreeningRequest.Status

# Where a request may go next. Nothing returns to "new" (it means nobody has looked yet), and a
# request is contacted before it is scheduled. Ended requests can be reopened for review.
ALLOWED_STATUS_MOVES: dict[str, frozenset[str]] = {
    # A call that reaches the patient may end in a booking: "scheduled" straight from the
    # unanswered statuses, in one save, with the contact that it needs (intake.staff.safety).
    Status.NEW: frozenset(
        {
            Status.IN_REVIEW,
            Status.CONTACTED,
            Status.SCHEDULED,
            Status.NOT_A_CANDIDATE,
            Status.WITHDRAWN,
            Status.CLOSED,
        }
    ),
    Status.IN_REVIEW: frozenset(
        {
            Status.CONTACTED,
            Status.SCHEDULED,
            Status.NOT_A_CANDIDATE,
            Status.WITHDRAWN,
            Status.CLOSED,
        }
    ),
    Status.CONTACTED: frozenset(
        {
            Status.IN_REVIEW,
            Status.SCHEDULED,
            Status.NOT_A_CANDIDATE,
            Status.WITHDRAWN,
            Status.CLOSED,
        }
    ),
    Status.SCHEDULED: frozenset(
        {Status.CONTACTED, Status.NOT_A_CANDIDATE, Status.WITHDRAWN, Status.CLOSED}
    ),
    Status.NOT_A_CANDIDATE: frozenset({Status.IN_REVIEW, Status.CLOSED}),
    Status.WITHDRAWN: frozenset({Status.IN_REVIEW, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.IN_REVIEW}),
}


def status_moves_from(status: str) -> list[str]:
    """The statuses a request in `status` may move to, in the workflow's order."""
    allowed = ALLOWED_STATUS_MOVES[status]
    return [value for value in Status.values if value in allowed]


def status_move_check(*, from_status: str, to_status: str) -> None:
    """Raise ValidationError unless a request may move from one status to the other."""
    if to_status not in ALLOWED_STATUS_MOVES[from_status]:
        raise ValidationError(
            f"A request that is “{Status(from_status).label}” cannot move to "
            f"“{Status(to_status).label}”.",
            code="status_move",
        )


@transaction.atomic
def screening_request_set_status(
    *, screening_request: ScreeningRequest, status: str, actor: AbstractBaseUser
) -> StatusChange | None:
    """Move a request to a new status, keep the move in its history and audit it.

    Returns None when the request already has that status.
    """
    request = ScreeningRequest.objects.select_for_update().get(pk=screening_request.pk)
    if request.status == status:
        return None
    status_move_check(from_status=request.status, to_status=status)
    status_move_requirements_check(screening_request=request, to_status=status)
    change = StatusChange(
        screening_request=request, from_status=request.status, to_status=status, changed_by=actor
    )
    change.full_clean()
    request.status = status
    request.status_changed_at = change.changed_at
    request.save(update_fields=["status", "status_changed_at"])
    change.save()
    screening_request.bump_version()
    screening_request.status = request.status
    screening_request.status_changed_at = request.status_changed_at
    audit_record(
        action=AuditEvent.Action.CHANGE,
        actor=actor,
        reference=request.reference,
        detail=f"status: {Status(change.from_status).label} to {Status(status).label}",
    )
    return change


@transaction.atomic
def screening_request_assign(
    *,
    screening_request: ScreeningRequest,
    assignee: AbstractBaseUser | None,
    actor: AbstractBaseUser,
) -> None:
    """Give a request to a staff member (or to nobody) and audit it."""
    if assignee is not None and not assignee.is_staff:
        raise ValidationError("Requests can only be assigned to staff.", code="not_staff")
    if screening_request.assigned_to_id == (assignee.pk if assignee else None):
        return
    screening_request.assigned_to = assignee
    screening_request.save(update_fields=["assigned_to"])
    screening_request.bump_version()
    audit_record(
        action=AuditEvent.Action.CHANGE,
        actor=actor,
        reference=screening_request.reference,
        detail=f"assigned to {assignee.get_username()}" if assignee else "unassigned",
    )
    if assignee is not None and assignee.pk != actor.pk:
        from ..tasks import assignment_notice_deliver  # here: the task module imports services

        # Queued in this transaction: told once the assignment is stored, never for a refused one.
        assignment_notice_deliver.enqueue(
            screening_request_id=screening_request.pk,
            assignee_id=assignee.pk,
            version=screening_request.version,
        )


@transaction.atomic
def internal_note_create(
    *, screening_request: ScreeningRequest, author: AbstractBaseUser, text: str
) -> InternalNote:
    """Add a staff note (encrypted at rest, never edited afterwards); audit that one was added."""
    note = InternalNote(screening_request=screening_request, author=author, text=text.strip())
    note.full_clean()
    note.save()
    screening_request.bump_version()
    audit_record(
        action=AuditEvent.Action.NOTE,
        actor=author,
        reference=screening_request.reference,
        detail="internal note added",
    )
    return note


def screening_request_record_view(
    *, screening_request: ScreeningRequest, actor: AbstractBaseUser
) -> None:
    """Record that a staff member opened a request's answers."""
    audit_record(action=AuditEvent.Action.VIEW, actor=actor, reference=screening_request.reference)


@transaction.atomic
def screening_request_delete(
    *, screening_request: ScreeningRequest, actor: AbstractBaseUser, reason: str
) -> None:
    """Delete a request with its notes and history, e.g. when the patient asks; audit it.

    Raises ValidationError while something stands in the way (safety.deletion_refusals).
    """
    refusals = deletion_refusals(screening_request)
    if refusals:
        raise ValidationError(refusals, code="not_yet")
    audit_record(
        action=AuditEvent.Action.DELETE,
        actor=actor,
        reference=screening_request.reference,
        detail=reason,
    )
    screening_request.delete()
