"""Requests from one person: found through the blind indexes, linked or merged by a manager.

Two requests are likely from one person when they share the date of birth and the phone number,
the e-mail address or the surname; all of it is compared as keyed hashes, never in the clear.
A clinic manager can confirm it (a link), or merge them: the other request is closed and the work
carries on under the kept one, each naming the other. Nothing of this ever reaches the patient.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet

from core.audit import audit_record_many
from core.models import AuditEvent

from ..models import RequestLink, ScreeningRequest
from . import review

Status = ScreeningRequest.Status
Kind = RequestLink.Kind

# Each way two requests match, in staff words, with the index it compares beside the birth date.
MATCH_WAYS = (
    ("phone_index", "same date of birth and phone"),
    ("email_index", "same date of birth and e-mail"),
    ("name_birth_index", "same date of birth and surname"),
)


def _same_person(value: Callable[[str], Any]) -> Q:
    """Requests matching one request's indexes; `value(name)` gives that request's index (a
    stored value, or an OuterRef inside a query)."""
    same_birth = Q(birth_index=value("birth_index")) & ~Q(birth_index="")
    either = Q()
    for name, _words in MATCH_WAYS:
        either |= Q(**{name: value(name)}) & ~Q(**{name: ""})
    return same_birth & either


def related_annotate(queryset: QuerySet) -> QuerySet:
    """For the queue: whether each request has an earlier one from the same person, or a link
    (only those rows then look their related requests up)."""
    matched = ScreeningRequest.objects.filter(
        _same_person(OuterRef), received_at__lt=OuterRef("received_at")
    )
    linked = RequestLink.objects.filter(Q(kept=OuterRef("pk")) | Q(other=OuterRef("pk")))
    return queryset.annotate(earlier_match=Exists(matched), linked=Exists(linked))


@dataclass(frozen=True)
class RelatedRequest:
    pk: int
    reference: str
    received_at: datetime
    status: str
    earlier: bool
    suicide_risk: bool
    why: str
    link: str  # "", or what a manager recorded: "same person", "merged into this", ...


def related_requests(screening_request: ScreeningRequest) -> list[RelatedRequest]:
    """The person's other requests, oldest first: matched by the indexes or linked by a manager."""
    matches: QuerySet = ScreeningRequest.objects.filter(
        _same_person(lambda name: getattr(screening_request, name))
    ).exclude(pk=screening_request.pk)
    links = {
        (link.other_id if link.kept_id == screening_request.pk else link.kept_id): link
        for link in RequestLink.objects.filter(
            Q(kept=screening_request) | Q(other=screening_request)
        )
    }
    rows = ScreeningRequest.objects.filter(Q(pk__in=matches.values("pk")) | Q(pk__in=links))
    related = []
    for row in rows.only(
        "pk",
        "reference",
        "received_at",
        "status",
        "asq_positive",
        "birth_index",
        *[n for n, _ in MATCH_WAYS],
    ).order_by("received_at"):
        why = [
            words
            for name, words in MATCH_WAYS
            if row.birth_index
            and row.birth_index == screening_request.birth_index
            and getattr(row, name)
            and getattr(row, name) == getattr(screening_request, name)
        ]
        related.append(
            RelatedRequest(
                pk=row.pk,
                reference=row.reference,
                received_at=row.received_at,
                status=Status(row.status).label,
                earlier=row.received_at < screening_request.received_at,
                suicide_risk=row.asq_positive,
                why="; ".join(why) or "linked by a manager",
                link=_link_words(links.get(row.pk), screening_request),
            )
        )
    return related


def _link_words(link: RequestLink | None, screening_request: ScreeningRequest) -> str:
    if link is None:
        return ""
    if link.kind == Kind.SAME_PERSON:
        return "confirmed: same person"
    if link.kept_id == screening_request.pk:
        return "merged into this request"
    return "this request was merged into it"


@transaction.atomic
def screening_requests_link(
    *, kept: ScreeningRequest, other: ScreeningRequest, actor: AbstractBaseUser, merge: bool
) -> RequestLink:
    """Record that two requests are one person's; with `merge`, close `other` too (through the
    status service, so a positive screen still needs its protocol on record). Audited on both."""
    if kept.pk == other.pk:
        raise ValidationError("A request cannot be linked to itself.", code="same_request")
    existing = RequestLink.objects.filter(
        Q(kept=kept, other=other) | Q(kept=other, other=kept)
    ).first()
    if existing is not None and existing.kind == Kind.MERGED:
        raise ValidationError("These two requests are merged already.", code="merged")
    open_statuses = ScreeningRequest.OPEN_STATUSES
    if merge and other.status in open_statuses and kept.status not in open_statuses:
        # The work carries on under the kept request: an ended one would take an open request
        # out of the queue with nobody to call the patient.
        raise ValidationError(
            f"{kept.reference} has ended and {other.reference} is still open: merge "
            f"{kept.reference} into {other.reference} instead.",
            code="kept_ended",
        )
    if merge and other.status != Status.CLOSED:
        review.screening_request_set_status(
            screening_request=other, status=Status.CLOSED, actor=actor
        )
    if existing is not None:
        existing.delete()  # a confirmed link becomes a merge: one record per pair
    link = RequestLink.objects.create(
        kept=kept, other=other, kind=Kind.MERGED if merge else Kind.SAME_PERSON, made_by=actor
    )
    detail = (
        f"merged {other.reference} into {kept.reference}"
        if merge
        else f"linked {kept.reference} and {other.reference}: same person"
    )
    audit_record_many(
        action=AuditEvent.Action.LINK,
        actor=actor,
        references=[kept.reference, other.reference],
        detail=detail,
    )
    return link
