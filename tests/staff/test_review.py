"""The review page: answers as the patient saw them, triage first, status moves, notes, history."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from django.db import connection

from core.models import AuditEvent
from intake.models import InternalNote, ScreeningRequest, StatusChange
from intake.staff.safety import protocol_current

from .support import change_url, review_post

Status = ScreeningRequest.Status


@pytest.fixture
def urgent(make_request):
    return make_request(
        asq_wish_dead="yes",
        asq_now="yes",
        health_conditions=["not_sure"],
        health_not_sure=["seizures"],
    )


def _post(client, screening_request, **fields):
    return review_post(client, screening_request, **fields)


def test_the_page_shows_every_answer_in_the_sections_the_patient_filled_in(reviewer_client, urgent):
    page = reviewer_client.get(change_url(urgent)).content.decode()

    sections = ["Where we visit", "Your pain", "Your health", "About you"]
    positions = [page.index(f">{title}</h2>") for title in sections]
    assert positions == sorted(positions)
    assert "Which of these are you not sure about?" in page
    assert urgent.email in page
    assert urgent.last_name in page


def test_the_contact_card_reasons_crisis_answers_and_actions_come_before_the_answers(
    reviewer_client, urgent
):
    page = reviewer_client.get(change_url(urgent)).content.decode()
    top = page[: page.index(">Your pain</h2>")]

    assert f"{urgent.first_name} {urgent.last_name}" in top
    assert f'href="tel:{urgent.phone}"' in top
    assert "Suicide risk screen positive: call today" in top
    assert "In Spanish: call 988 and press 2, or text AYUDA to 988." in top
    assert "Suicide risk: thoughts right now" in top
    assert "Seizures: not sure" in top
    assert "Log a contact attempt" in top
    assert 'name="status"' in top
    assert 'name="new_note"' in top


def test_opening_a_request_is_recorded_without_patient_data(reviewer_client, reviewer, urgent):
    reviewer_client.get(change_url(urgent))

    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.reference == urgent.reference
    assert event.actor == reviewer[0]
    assert event.actor_username == "reviewer-one"
    assert event.detail == ""


def test_a_status_can_move_only_as_the_workflow_allows(reviewer_client, urgent):
    refused = _post(reviewer_client, urgent, status=Status.SCHEDULED)

    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["status"]
    urgent.refresh_from_db()
    assert urgent.status == Status.NEW
    assert not StatusChange.objects.exists()


def test_the_status_menu_offers_only_the_allowed_moves(reviewer_client, urgent):
    form = reviewer_client.get(change_url(urgent)).context["adminform"].form
    offered = [value for value, _label in form.fields["status"].choices]

    assert offered == [
        "new",
        "in_review",
        "contacted",
        "scheduled",
        "not_a_candidate",
        "withdrawn",
        "closed",
    ]


def test_a_status_change_is_kept_in_the_history_and_audited(reviewer_client, reviewer, urgent):
    response = _post(
        reviewer_client,
        urgent,
        status=Status.CONTACTED,
        attempt_method="phone",
        attempt_outcome="reached",
        protocol_steps=protocol_current().step_list(),
        new_note="Asked the acuity question by phone; on-call clinician told.",
    )

    assert response.status_code == 302
    urgent.refresh_from_db()
    assert urgent.status == Status.CONTACTED
    change = StatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        Status.NEW,
        Status.CONTACTED,
        reviewer[0],
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE)
    assert event.detail == "status: New to Contacted"
    assert AuditEvent.objects.get(action=AuditEvent.Action.CONTACT).detail == (
        "Phone call: Reached the patient"
    )
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PROTOCOL).count() == 1
    page = " ".join(reviewer_client.get(change_url(urgent)).content.decode().split())
    assert "Contacted, from new, by reviewer-one" in page


def test_assigning_a_request_is_audited(reviewer_client, manager, urgent):
    _post(reviewer_client, urgent, assigned_to=manager[0].pk)

    urgent.refresh_from_db()
    assert urgent.assigned_to == manager[0]
    assert AuditEvent.objects.get(action=AuditEvent.Action.CHANGE).detail == (
        "assigned to manager-one"
    )


def test_a_note_keeps_its_author_and_time_is_encrypted_and_its_text_is_not_audited(
    reviewer_client, reviewer, urgent
):
    _post(reviewer_client, urgent, new_note="Called twice; voicemail full. Try the evening.")

    note = InternalNote.objects.get()
    assert note.author == reviewer[0]
    assert note.text == "Called twice; voicemail full. Try the evening."
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM intake_internalnote")
        (stored,) = cursor.fetchone()
    assert "voicemail" not in stored
    event = AuditEvent.objects.get(action=AuditEvent.Action.NOTE)
    assert event.detail == "internal note added"
    page = reviewer_client.get(change_url(urgent)).content.decode()
    assert "Called twice; voicemail full. Try the evening." in page


def test_notes_cannot_be_edited_or_deleted_through_the_admin(
    reviewer_client, manager_client, reviewer, urgent
):
    _post(reviewer_client, urgent, new_note="First impressions.")
    note = InternalNote.objects.get()

    assert manager_client.get(f"/staff/intake/internalnote/{note.pk}/change/").status_code == 404
    # Posting the review form again only ever adds a note.
    _post(manager_client, urgent, new_note="A second opinion.")
    assert [n.text for n in InternalNote.objects.order_by("pk")] == [
        "First impressions.",
        "A second opinion.",
    ]


def test_djangos_change_history_names_the_request_by_reference(reviewer_client, urgent):
    _post(reviewer_client, urgent, status=Status.IN_REVIEW)

    entry = LogEntry.objects.get()
    assert entry.object_repr == urgent.reference
    assert urgent.last_name not in entry.change_message


def test_a_manager_sees_a_link_to_the_requests_audit_trail_and_a_reviewer_does_not(
    reviewer_client, manager_client, urgent
):
    link = "Who has opened or changed this request"

    assert link in manager_client.get(change_url(urgent)).content.decode()
    assert link not in reviewer_client.get(change_url(urgent)).content.decode()


def test_nobody_adds_a_request_through_the_admin(manager_client):
    assert manager_client.get("/staff/intake/screeningrequest/add/").status_code == 403


def test_the_next_open_request_link_leads_to_the_queues_first_other_request(
    reviewer_client, make_request, urgent
):
    routine = make_request()
    urgent_too = make_request(asq_wish_dead="yes", asq_now="no")

    page = reviewer_client.get(change_url(routine)).content.decode()

    # The acute request comes first in the queue, so it is next from any other request.
    assert f'<a href="{change_url(urgent)}">Next open request ({urgent.reference})</a>' in page
    page = reviewer_client.get(change_url(urgent)).content.decode()
    assert f"Next open request ({urgent_too.reference})" in page


def test_the_contact_card_says_which_language_to_call_in(reviewer_client, make_request):
    spanish = make_request(language="es")
    english = make_request()

    spanish_card = reviewer_client.get(change_url(spanish)).content.decode()
    english_card = reviewer_client.get(change_url(english)).content.decode()

    assert "Spanish: call and write in Spanish" in spanish_card
    assert "<dt>Language</dt>" in english_card
    assert "call and write in" not in english_card
