"""The audit trail: who looked at or did what to which screening request, and when.

Events name a request by its reference code and say what happened in words that carry no patient
data (no names, contact details, answers or note text), so the trail can be browsed and kept for
six years without becoming patient data itself.
"""

from __future__ import annotations

import getpass
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from .models import AuditEvent


def command_actor_label(command: str) -> str:
    """How a management command run from a shell appears in the trail."""
    try:
        who = getpass.getuser()
    except (KeyError, OSError):
        who = "unknown"
    return f"{who} (manage.py {command})"


def audit_record(
    *,
    action: str,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    reference: str = "",
    detail: str = "",
) -> AuditEvent:
    """Append one event. Give `actor` for a signed-in user, `actor_label` for a command."""
    return audit_record_many(
        action=action, actor=actor, actor_label=actor_label, references=[reference], detail=detail
    )[0]


def audit_record_many(
    *,
    action: str,
    references: Iterable[str],
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    detail: str = "",
) -> list[AuditEvent]:
    """Append one event per request reference, all at the same moment (an export, a purge)."""
    if actor is None and not actor_label:
        raise ValueError("An audit event needs an actor or an actor label.")
    now = timezone.now()
    username = actor.get_username() if actor is not None else actor_label
    return AuditEvent.objects.bulk_create(
        AuditEvent(
            occurred_at=now,
            actor=actor,
            actor_username=username,
            action=action,
            reference=reference,
            detail=detail,
        )
        for reference in references
    )


# A queue page names its requests in one event's detail: "listed in the work queue: ABCD-EFGH, ...".
QUEUE_VIEW_DETAIL = "listed in the work queue: "
QUEUE_VIEW_SEPARATOR = ", "


def audit_record_queue_view(*, actor: AbstractBaseUser, references: Sequence[str]) -> AuditEvent:
    """Record one look at a queue page: one event listing the references shown, never names.

    The queue's page size keeps a full page within the detail's length (a test checks it); a
    list that did not fit would be a silent gap in the trail, so it is refused instead.
    """
    detail = QUEUE_VIEW_DETAIL + QUEUE_VIEW_SEPARATOR.join(references)
    if len(detail) > AuditEvent._meta.get_field("detail").max_length:
        raise ValueError(f"{len(references)} references do not fit in one audit event.")
    return audit_record(action=AuditEvent.Action.VIEW, actor=actor, detail=detail)


def queue_view_references(event: AuditEvent) -> list[str]:
    """The references a queue-view event lists (none for any other event)."""
    if event.reference or not event.detail.startswith(QUEUE_VIEW_DETAIL):
        return []
    listed = event.detail.removeprefix(QUEUE_VIEW_DETAIL)
    return [reference for reference in listed.split(QUEUE_VIEW_SEPARATOR) if reference]
