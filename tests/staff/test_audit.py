"""The audit trail: append-only, browsable by managers only, and free of patient data."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.models import AuditEvent
from intake.models import ScreeningRequest
from intake.staff.retention import screening_requests_purge

from .support import QUEUE, change_url, review_post

AUDIT = "/staff/core/auditevent/"


@pytest.fixture
def event(reviewer):
    return AuditEvent.objects.create(
        actor=reviewer[0], actor_username="reviewer-one", action="view", reference="ABCD-EFGH"
    )


def test_a_manager_browses_the_audit_trail_and_a_reviewer_cannot(
    manager_client, reviewer_client, event
):
    page = manager_client.get(AUDIT)

    assert page.status_code == 200
    assert "ABCD-EFGH" in page.content.decode()
    assert reviewer_client.get(AUDIT).status_code == 403


def test_nobody_adds_changes_or_deletes_audit_events_through_the_admin(manager_client, event):
    assert manager_client.get(AUDIT + "add/").status_code == 403
    assert manager_client.post(AUDIT + f"{event.pk}/delete/", {"post": "yes"}).status_code == 403
    assert manager_client.post(AUDIT + f"{event.pk}/change/", {"detail": "edited"}).status_code == (
        403
    )
    event.refresh_from_db()
    assert event.detail == ""
    assert manager_client.get(AUDIT).context["action_form"] is None


def test_an_audit_event_cannot_be_changed_or_deleted_in_code(event):
    event.detail = "rewritten"
    with pytest.raises(TypeError, match="append-only"):
        event.save()
    with pytest.raises(TypeError, match="append-only"):
        event.delete()


def test_the_audit_trail_of_a_whole_request_life_holds_no_patient_data(
    manager_client, manager, make_request
):
    screening_request = make_request(current_medicines="tramadol twice daily")
    secrets = [
        screening_request.first_name,
        screening_request.last_name,
        screening_request.email,
        screening_request.phone,
        screening_request.phone.removeprefix("+1"),
        screening_request.zip_code,
        "tramadol",
        "Dilaudid",
    ]
    url = change_url(screening_request)

    manager_client.get(url)
    review_post(
        manager_client,
        screening_request,
        status="in_review",
        assigned_to=manager[0].pk,
        new_note="Dilaudid mentioned",
    )
    manager_client.post(QUEUE, {"action": "export_csv", "_selected_action": [screening_request.pk]})
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        status="closed", status_changed_at=timezone.now() - datetime.timedelta(days=800)
    )
    screening_requests_purge(actor=manager[0])

    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert actions == {"view", "change", "note", "export", "purge"}
    recorded = " ".join(
        " ".join(str(value) for value in row)
        for row in AuditEvent.objects.values_list("actor_username", "action", "reference", "detail")
    ).lower()
    for secret in secrets:
        assert secret.lower() not in recorded, secret
    assert screening_request.reference.lower() in recorded
