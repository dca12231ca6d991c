"""Requests that ended long ago are purged with their notes; the audit trail keeps six years."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from intake.models import InternalNote, ScreeningRequest, StatusChange
from intake.staff.retention import months_before
from intake.staff.review import internal_note_create, screening_request_set_status
from intake.staff.safety import contact_attempt_log

Status = ScreeningRequest.Status


def _ended(screening_request, *, status: str = Status.CLOSED, days_ago: int) -> None:
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        status=status, status_changed_at=timezone.now() - datetime.timedelta(days=days_ago)
    )


def test_the_purge_deletes_requests_that_ended_before_the_retention_period_with_their_notes(
    make_request, reviewer
):
    user = reviewer[0]
    closed_long_ago = make_request()
    contact_attempt_log(
        screening_request=closed_long_ago, actor=user, method="phone", outcome="reached"
    )
    screening_request_set_status(screening_request=closed_long_ago, status="contacted", actor=user)
    internal_note_create(screening_request=closed_long_ago, author=user, text="Moved away.")
    withdrawn_long_ago, closed_lately, open_long_ago = (
        make_request(),
        make_request(),
        make_request(),
    )
    _ended(closed_long_ago, days_ago=24 * 31)
    _ended(withdrawn_long_ago, status=Status.WITHDRAWN, days_ago=25 * 31)
    _ended(closed_lately, days_ago=23 * 30)
    ScreeningRequest.objects.filter(pk=open_long_ago.pk).update(
        status_changed_at=timezone.now() - datetime.timedelta(days=900)
    )

    call_command("purge_screening_requests", stdout=None)

    remaining = set(ScreeningRequest.objects.values_list("reference", flat=True))
    assert remaining == {closed_lately.reference, open_long_ago.reference}
    assert not InternalNote.objects.exists()
    assert not StatusChange.objects.exists()
    purged = AuditEvent.objects.filter(action=AuditEvent.Action.PURGE)
    assert {e.reference for e in purged} == {
        closed_long_ago.reference,
        withdrawn_long_ago.reference,
    }
    assert all("manage.py purge_screening_requests" in e.actor_username for e in purged)
    assert {e.detail for e in purged} == {"ended more than 24 months ago"}


def test_the_retention_period_is_a_setting(settings, make_request):
    settings.SCREENING_RETENTION_MONTHS = 6
    screening_request = make_request()
    _ended(screening_request, days_ago=200)

    call_command("purge_screening_requests", stdout=None)

    assert not ScreeningRequest.objects.exists()


def test_a_dry_run_deletes_nothing(make_request, capsys):
    screening_request = make_request()
    _ended(screening_request, days_ago=800)

    call_command("purge_screening_requests", "--dry-run")

    assert ScreeningRequest.objects.exists()
    assert "1 request(s) ended more than 24 months ago" in capsys.readouterr().out


def test_audit_events_are_kept_six_years_then_purged():
    now = timezone.now()
    five_years = AuditEvent.objects.create(actor_username="a", action="view", reference="AAAA-AAAA")
    seven_years = AuditEvent.objects.create(
        actor_username="a", action="view", reference="BBBB-BBBB"
    )
    AuditEvent.objects.filter(pk=five_years.pk).update(occurred_at=months_before(now, 5 * 12))
    AuditEvent.objects.filter(pk=seven_years.pk).update(occurred_at=months_before(now, 7 * 12))

    call_command("purge_screening_requests", stdout=None)

    assert list(AuditEvent.objects.values_list("reference", flat=True)) == ["AAAA-AAAA"]


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        ("2026-03-31T10:00:00+00:00", 1, "2026-02-28T10:00:00+00:00"),
        ("2028-03-31T10:00:00+00:00", 1, "2028-02-29T10:00:00+00:00"),
        ("2026-01-15T10:00:00+00:00", 24, "2024-01-15T10:00:00+00:00"),
        ("2026-01-15T10:00:00+00:00", 13, "2024-12-15T10:00:00+00:00"),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    parse = datetime.datetime.fromisoformat
    assert months_before(parse(moment), months) == parse(expected)
