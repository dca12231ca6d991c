"""The status workflow, checked in the service whatever calls it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from intake.models import ScreeningRequest
from intake.staff.review import ALLOWED_STATUS_MOVES, screening_request_set_status
from intake.staff.safety import contact_attempt_log

from .support import appointment_as_the_move_needs

Status = ScreeningRequest.Status


def test_every_status_has_its_moves_and_none_goes_back_to_new():
    assert set(ALLOWED_STATUS_MOVES) == set(Status.values)
    assert all(Status.NEW not in moves for moves in ALLOWED_STATUS_MOVES.values())


@pytest.mark.parametrize(
    ("start", "target"),
    [
        (Status.NOT_A_CANDIDATE, Status.SCHEDULED),  # reopened for review first
        (Status.CLOSED, Status.CONTACTED),  # reopened for review first
        (Status.WITHDRAWN, Status.SCHEDULED),
        (Status.CONTACTED, Status.NEW),
    ],
)
def test_the_service_refuses_a_move_the_workflow_does_not_allow(
    make_request, reviewer, start, target
):
    screening_request = make_request()
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(status=start)
    screening_request.refresh_from_db()

    with pytest.raises(ValidationError, match="cannot move"):
        screening_request_set_status(
            screening_request=screening_request, status=target, actor=reviewer[0]
        )

    screening_request.refresh_from_db()
    assert screening_request.status == start
    assert not AuditEvent.objects.exists()


def test_a_request_goes_from_new_to_scheduled_through_contacted(make_request, reviewer):
    screening_request = make_request()
    contact_attempt_log(
        screening_request=screening_request, actor=reviewer[0], method="phone", outcome="reached"
    )
    for status in (Status.IN_REVIEW, Status.CONTACTED, Status.SCHEDULED, Status.CLOSED):
        # Booked for "scheduled", cancelled before the request leaves it.
        appointment_as_the_move_needs(screening_request, status, reviewer[0])
        screening_request_set_status(
            screening_request=screening_request, status=status, actor=reviewer[0]
        )

    history = [(c.from_status, c.to_status) for c in screening_request.status_changes.all()]
    assert history == [
        ("new", "in_review"),
        ("in_review", "contacted"),
        ("contacted", "scheduled"),
        ("scheduled", "closed"),
    ]


def test_setting_the_same_status_records_nothing(make_request, reviewer):
    screening_request = make_request()

    assert (
        screening_request_set_status(
            screening_request=screening_request, status=Status.NEW, actor=reviewer[0]
        )
        is None
    )
    assert not AuditEvent.objects.exists()
