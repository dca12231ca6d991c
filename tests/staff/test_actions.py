"""Queue actions and what each role may do: assign, export, delete, purge."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.utils import timezone

from core.models import AuditEvent
from intake.models import InternalNote, ScreeningRequest, StatusChange
from intake.staff.review import internal_note_create

from .support import QUEUE, change_url

Status = ScreeningRequest.Status


def _act(client, action: str, *requests, **extra):
    return client.post(
        QUEUE + "?status=all",
        {"action": action, "_selected_action": [r.pk for r in requests], **extra},
    )


def _offered_actions(client) -> list[str]:
    form = client.get(QUEUE).context["action_form"]
    return [value for value, _label in form.fields["action"].choices if value]


def test_a_reviewer_may_assign_but_not_export_or_delete(reviewer_client):
    assert _offered_actions(reviewer_client) == ["assign_to_me"]


def test_a_manager_may_also_export_and_delete(manager_client):
    assert _offered_actions(manager_client) == ["assign_to_me", "export_csv", "delete_selected"]


def test_assign_to_me(reviewer_client, reviewer, make_request):
    first, second = make_request(), make_request()

    response = _act(reviewer_client, "assign_to_me", first, second)

    assert set(ScreeningRequest.objects.values_list("assigned_to", flat=True)) == {reviewer[0].pk}
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).count() == 2
    assert [str(m) for m in response.wsgi_request._messages] == ["2 requests assigned to you."]


def test_there_is_no_bulk_mark_contacted_a_contact_needs_its_logged_outcome(
    reviewer_client, make_request
):
    fresh = make_request()

    _act(reviewer_client, "mark_contacted", fresh)

    fresh.refresh_from_db()
    assert fresh.status == Status.NEW
    assert not StatusChange.objects.exists()


# --- Export ---------------------------------------------------------------------------------------


def test_a_manager_exports_the_selected_requests_as_csv_and_each_export_is_audited(
    manager_client, manager, make_request
):
    first = make_request(language="es")
    second, _not_selected = make_request(), make_request()

    response = _act(manager_client, "export_csv", first, second)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="screening-requests-')
    assert "no-store" in response["Cache-Control"]
    # With a byte-order mark, so Excel reads it as UTF-8.
    assert response.content.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {row["Reference"] for row in rows} == {first.reference, second.reference}
    assert {row["E-mail address"] for row in rows} == {first.email, second.email}
    languages = {row["Reference"]: row["Language"] for row in rows}
    assert languages == {first.reference: "Spanish", second.reference: "English"}
    events = AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT)
    assert {e.reference for e in events} == {first.reference, second.reference}
    assert {e.actor for e in events} == {manager[0]}


def test_a_reviewer_cannot_export_even_by_posting_the_action(reviewer_client, make_request):
    screening_request = make_request()

    response = _act(reviewer_client, "export_csv", screening_request)

    assert not response.get("Content-Type", "").startswith("text/csv")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORT).exists()


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(manager_client, make_request):
    screening_request = make_request(first_name="=HYPERLINK(1)", last_name="@SUM(A1)")

    response = _act(manager_client, "export_csv", screening_request)

    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["First name"] == "'=HYPERLINK(1)"
    assert row["Last name"] == "'@SUM(A1)"
    # Written as people dial it: "+1..." would be a formula, and a quote would be typed out.
    assert re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", row["Mobile phone number"])
    assert "+1" + re.sub(r"\D", "", row["Mobile phone number"]) == screening_request.phone


# --- Deletion -------------------------------------------------------------------------------------


def test_a_reviewer_cannot_delete_a_request(reviewer_client, make_request):
    screening_request = make_request()

    response = reviewer_client.post(change_url(screening_request) + "../delete/", {"post": "yes"})

    assert response.status_code == 403
    assert ScreeningRequest.objects.filter(pk=screening_request.pk).exists()


def test_a_manager_deletes_a_request_with_its_notes_and_history_and_it_is_logged_by_reference(
    manager_client, manager, make_request
):
    screening_request = make_request()
    internal_note_create(
        screening_request=screening_request, author=manager[0], text="Asked us to."
    )
    delete_url = change_url(screening_request).replace("/change/", "/delete/")

    confirm = manager_client.get(delete_url)
    response = manager_client.post(delete_url, {"post": "yes"})

    assert "only when the patient has asked" in confirm.content.decode()
    assert response.status_code == 302
    assert not ScreeningRequest.objects.exists()
    assert not InternalNote.objects.exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.DELETE)
    assert (event.reference, event.actor, event.detail) == (
        screening_request.reference,
        manager[0],
        "deleted from the admin",
    )
    assert LogEntry.objects.get(action_flag=3).object_repr == screening_request.reference


def test_a_manager_can_delete_several_from_the_queue(manager_client, make_request):
    first, second = make_request(), make_request()

    _act(manager_client, "delete_selected", first, second, post="yes")

    assert not ScreeningRequest.objects.exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).count() == 2


# --- Purge past retention -------------------------------------------------------------------------


@pytest.fixture
def expired(make_request):
    screening_request = make_request()
    long_ago = timezone.now() - datetime.timedelta(days=31 * 25)
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        status=Status.CLOSED, status_changed_at=long_ago
    )
    return screening_request


def test_a_reviewer_cannot_purge(reviewer_client, expired):
    assert reviewer_client.get(QUEUE + "purge/").status_code == 403
    assert reviewer_client.post(QUEUE + "purge/").status_code == 403
    assert ScreeningRequest.objects.exists()


def test_a_manager_reviews_and_purges_requests_past_retention(manager_client, manager, expired):
    kept = ScreeningRequest.objects.exclude(pk=expired.pk)

    confirm = manager_client.get(QUEUE + "purge/")
    response = manager_client.post(QUEUE + "purge/")

    assert expired.reference in confirm.content.decode()
    assert response.status_code == 302
    assert not ScreeningRequest.objects.filter(pk=expired.pk).exists()
    assert list(kept) == list(ScreeningRequest.objects.all())
    assert not StatusChange.objects.filter(screening_request=expired.pk).exists()
    event = AuditEvent.objects.get(action=AuditEvent.Action.PURGE)
    assert (event.reference, event.actor) == (expired.reference, manager[0])


def test_the_csv_says_what_the_queue_says_with_iso_dates(manager_client, make_request):
    screening_request = make_request(
        health_conditions=["not_sure"],
        health_not_sure=["pregnancy"],
        sedating_medicines=["opioid", "benzodiazepine"],
        date_of_birth="1979-04-23",
    )

    response = _act(manager_client, "export_csv", screening_request)

    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    queue = manager_client.get(QUEUE).content.decode()
    for reason in ("Pregnancy: not sure", "Opioid pain medicine", "Benzodiazepine"):
        assert reason in row["Flags"]
        assert reason in queue
    assert "Pregnant or breastfeeding" not in row["Flags"]
    assert row["Date of birth"] == "1979-04-23"
    received = datetime.datetime.fromisoformat(row["Received"])
    assert received.utcoffset() is not None
    assert abs(received - screening_request.received_at) < datetime.timedelta(minutes=1)
