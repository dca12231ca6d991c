"""The contact log and the safety steps: what must be on record before a request moves on."""

from __future__ import annotations

from html import escape

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings

from core.models import AuditEvent
from intake.crypto import phone_blind_index, phone_tail_blind_index
from intake.models import ContactAttempt, ProtocolConfirmation, ScreeningRequest
from intake.staff.safety import could_not_reach_message, protocol_current, protocol_version

from .support import QUEUE, change_url, review_post

Status = ScreeningRequest.Status


@pytest.fixture
def routine(make_request):
    return make_request()


@pytest.fixture
def asq_positive(make_request):
    return make_request(asq_wish_dead="yes", asq_now="no")


def _post(client, screening_request, **fields):
    return review_post(client, screening_request, **fields)


def _errors(response) -> list[str]:
    form = response.context["adminform"].form
    return [str(e) for errors in form.errors.values() for e in errors]


def test_an_attempt_records_method_outcome_note_who_when_and_next_due(
    reviewer_client, reviewer, routine
):
    response = _post(
        reviewer_client,
        routine,
        attempt_method="phone",
        attempt_outcome="no_answer",
        attempt_note="Rang twice at 10 am.",
        next_attempt_due="2030-01-07T14:30",
    )

    assert response.status_code == 302
    attempt = ContactAttempt.objects.get()
    assert (attempt.method, attempt.outcome, attempt.made_by) == ("phone", "no_answer", reviewer[0])
    assert attempt.note == "Rang twice at 10 am."
    assert attempt.next_attempt_due.isoformat().startswith("2030-01-07T22:30")  # 14:30 Pacific
    with connection.cursor() as cursor:
        cursor.execute("SELECT note FROM intake_contactattempt")
        assert "Rang" not in cursor.fetchone()[0]  # encrypted at rest
    event = AuditEvent.objects.get(action=AuditEvent.Action.CONTACT)
    assert event.detail == "Phone call: No answer"
    page = reviewer_client.get(change_url(routine)).content.decode()
    assert "Rang twice at 10 am." in page
    assert "No answer" in reviewer_client.get(QUEUE).content.decode()


def test_a_failed_attempt_without_a_next_time_gets_one(reviewer_client, routine):
    _post(reviewer_client, routine, attempt_method="phone", attempt_outcome="voicemail")

    assert ContactAttempt.objects.get().next_attempt_due is not None


def test_contacted_needs_an_attempt_that_reached_the_patient(reviewer_client, routine):
    refused = _post(reviewer_client, routine, status=Status.CONTACTED)
    assert refused.status_code == 200
    assert any("Log a contact attempt" in e for e in _errors(refused))

    no_answer = _post(
        reviewer_client,
        routine,
        status=Status.CONTACTED,
        attempt_method="phone",
        attempt_outcome="no_answer",
    )
    assert no_answer.status_code == 200
    routine.refresh_from_db()
    assert routine.status == Status.NEW
    assert not ContactAttempt.objects.exists()  # nothing half-saved from a refused form

    accepted = _post(
        reviewer_client,
        routine,
        status=Status.CONTACTED,
        attempt_method="phone",
        attempt_outcome="reached",
    )
    assert accepted.status_code == 302
    routine.refresh_from_db()
    assert routine.status == Status.CONTACTED


def test_a_positive_asq_shows_the_protocol_and_cannot_leave_the_queue_unconfirmed(
    reviewer_client, asq_positive
):
    page = reviewer_client.get(change_url(asq_positive)).content.decode()
    protocol = protocol_current()
    assert protocol.title in page
    assert "warm hand-off" in page
    for step in protocol.step_list():
        assert escape(step, quote=False) in page

    _post(reviewer_client, asq_positive, attempt_method="phone", attempt_outcome="reached")
    for status in (Status.CONTACTED, Status.NOT_A_CANDIDATE, Status.CLOSED):
        refused = _post(reviewer_client, asq_positive, status=status)
        assert refused.status_code == 200
        assert any("confirm the protocol steps" in e for e in _errors(refused))
    half = _post(
        reviewer_client,
        asq_positive,
        status=Status.CONTACTED,
        protocol_steps=protocol.step_list()[:1],
    )
    assert half.status_code == 200
    assert not ProtocolConfirmation.objects.exists()

    done = _post(
        reviewer_client,
        asq_positive,
        status=Status.CONTACTED,
        protocol_steps=protocol.step_list(),
        new_note="Asked the acuity question: no thoughts right now. On-call clinician told.",
    )

    assert done.status_code == 302
    asq_positive.refresh_from_db()
    assert asq_positive.status == Status.CONTACTED
    confirmation = ProtocolConfirmation.objects.get()
    assert confirmation.steps == protocol.step_list()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.PROTOCOL, reference=asq_positive.reference
    ).exists()
    assert "Protocol confirmed by reviewer-one" in " ".join(
        reviewer_client.get(change_url(asq_positive)).content.decode().split()
    )


def test_the_clinic_edits_its_protocol_in_the_admin_and_the_checklist_follows(
    manager_client, reviewer_client, asq_positive
):
    protocol = protocol_current()
    url = f"/staff/intake/suicideriskprotocol/{protocol.pk}/change/"
    response = manager_client.post(
        url,
        {
            "title": "Our protocol",
            "text": "Call, ask, hand off.",
            "steps": "Asked\nHanded off",
            "unreached_text": "Call again; tell the clinician.",
            "unreached_steps": "Called again\nClinician told",
        },
    )
    assert response.status_code == 302, response.content[:500]

    page = reviewer_client.get(change_url(asq_positive)).content.decode()
    assert "Our protocol" in page
    assert 'value="Handed off"' in page
    assert 'value="Clinician told"' in page

    # Neither path may be left empty: a request must always have a way through the protocol.
    emptied = manager_client.post(
        url, {"title": "Our protocol", "text": "x", "steps": "Asked", "unreached_text": "x"}
    )
    assert emptied.status_code == 200
    assert protocol_current().unreached_steps == "Called again\nClinician told"


def test_an_edit_to_the_protocol_is_in_the_audit_trail_with_who_and_which_version(
    manager_client, manager
):
    protocol = protocol_current()
    old_version = protocol_version(protocol)
    url = f"/staff/intake/suicideriskprotocol/{protocol.pk}/change/"
    text = "Call, ask the acuity question, hand off to 988 or 911."

    response = manager_client.post(
        url,
        {
            "title": protocol.title,
            "text": text,
            "steps": "Asked",
            "unreached_text": protocol.unreached_text,
            "unreached_steps": protocol.unreached_steps,
        },
    )

    assert response.status_code == 302, response.content[:500]
    protocol.refresh_from_db()
    event = AuditEvent.objects.get(action=AuditEvent.Action.CHANGE)
    assert event.actor == manager[0]
    assert event.reference == ""
    assert event.detail == (
        "edited the suicide-risk protocol (text, steps to confirm): version "
        f"{old_version} -> {protocol_version(protocol)}, text {len(text)} characters, 1 step"
    )
    assert old_version != protocol_version(protocol)
    audit_page = manager_client.get("/staff/core/auditevent/").content.decode()
    assert protocol_version(protocol) in audit_page


def test_saving_the_protocol_unchanged_records_no_edit(manager_client):
    protocol = protocol_current()
    url = f"/staff/intake/suicideriskprotocol/{protocol.pk}/change/"

    manager_client.post(
        url,
        {
            "title": protocol.title,
            "text": protocol.text,
            "steps": protocol.steps,
            "unreached_text": protocol.unreached_text,
            "unreached_steps": protocol.unreached_steps,
        },
    )

    assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).exists()


@override_settings(SCREENING_FAILED_ATTEMPTS_BEFORE_MESSAGE=2)
def test_after_enough_failed_attempts_the_could_not_reach_message_is_offered(
    reviewer_client, routine
):
    _post(reviewer_client, routine, attempt_method="phone", attempt_outcome="no_answer")
    assert (
        "We have tried to reach you"
        not in reviewer_client.get(change_url(routine)).content.decode()
    )

    _post(reviewer_client, routine, attempt_method="phone", attempt_outcome="voicemail")
    page = reviewer_client.get(change_url(routine)).content.decode()

    assert "We have tried to reach you" in page
    assert routine.reference in page


def test_an_invalid_post_that_shows_the_answers_again_is_audited(reviewer_client, routine):
    response = _post(reviewer_client, routine, status=Status.SCHEDULED)

    assert response.status_code == 200
    assert routine.email in response.content.decode()
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, reference=routine.reference
    ).exists()


@override_settings(SCREENING_FAILED_ATTEMPTS_BEFORE_MESSAGE=2)
def test_the_could_not_reach_message_can_be_e_mailed_and_is_logged_as_an_attempt(
    reviewer_client, routine, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for outcome in ("no_answer", "wrong_number"):
        _post(
            reviewer_client,
            routine,
            attempt_method="phone",
            attempt_outcome=outcome,
            wrong_number_next="close_phone",
        )
    assert (
        'name="send_could_not_reach"' in reviewer_client.get(change_url(routine)).content.decode()
    )

    response = _post(reviewer_client, routine, send_could_not_reach="on")

    assert response.status_code == 302
    (sent,) = mail.outbox
    assert sent.to == [routine.email]
    assert "could not reach you" in sent.subject
    assert routine.reference in sent.body
    attempt = ContactAttempt.objects.order_by("-pk").first()
    assert (attempt.method, attempt.outcome) == ("email", "email_sent")
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CONTACT, detail="E-mail: E-mail sent"
    ).exists()


@pytest.mark.parametrize("clinic_phone", ["(206) 321-4567", ""])
@override_settings(SCREENING_FAILED_ATTEMPTS_BEFORE_MESSAGE=1)
def test_the_could_not_reach_message_offers_a_call_only_with_the_clinics_number(
    reviewer_client, routine, set_clinic_facts, clinic_phone
):
    set_clinic_facts(phone=clinic_phone)
    _post(reviewer_client, routine, attempt_method="phone", attempt_outcome="no_answer")

    message = could_not_reach_message(ScreeningRequest.objects.get(pk=routine.pk))

    assert routine.reference in message
    assert "reply to this message with a good time to call" in message
    assert ("Please call us at (206) 321-4567 or reply" in message) is bool(clinic_phone)
    assert "call us at  " not in message and "call us at or" not in message
    assert "988" in message


# --- A wrong number ------------------------------------------------------------------------------


def test_a_wrong_number_asks_what_next_and_logs_nothing_without_an_answer(reviewer_client, routine):
    response = _post(
        reviewer_client, routine, attempt_method="phone", attempt_outcome="wrong_number"
    )

    assert response.status_code == 200
    assert "another number or calls should stop" in " ".join(_errors(response))
    assert not ContactAttempt.objects.exists()


def test_another_number_replaces_the_wrong_one_for_calls_search_and_duplicates(
    reviewer_client, routine
):
    old_phone = routine.phone
    same = _post(
        reviewer_client,
        routine,
        attempt_method="phone",
        attempt_outcome="wrong_number",
        wrong_number_next="new_number",
        new_phone=old_phone,
    )
    assert "the number that was wrong" in " ".join(_errors(same))

    response = _post(
        reviewer_client,
        routine,
        attempt_method="phone",
        attempt_outcome="wrong_number",
        wrong_number_next="new_number",
        new_phone="(425) 555-0199",
    )

    assert response.status_code == 302
    routine.refresh_from_db()
    assert routine.phone == "+14255550199"
    assert not routine.phone_route_closed
    assert ScreeningRequest.objects.filter(phone_index=phone_blind_index("4255550199")).exists()
    assert not ScreeningRequest.objects.filter(phone_index=phone_blind_index(old_phone)).exists()
    assert ScreeningRequest.objects.filter(phone_tail_index=phone_tail_blind_index("0199")).exists()
    event = AuditEvent.objects.get(detail__startswith="wrong number")
    assert "0199" not in event.detail and "425" not in event.detail
    page = reviewer_client.get(change_url(routine)).content.decode()
    assert 'href="tel:+14255550199"' in page


def test_without_another_number_the_phone_route_closes_and_only_writing_is_logged(
    reviewer_client, routine
):
    _post(
        reviewer_client,
        routine,
        attempt_method="phone",
        attempt_outcome="wrong_number",
        wrong_number_next="close_phone",
    )

    routine.refresh_from_db()
    assert routine.phone_route_closed
    assert "Wrong number: write instead" in reviewer_client.get(QUEUE).content.decode()
    page = reviewer_client.get(change_url(routine)).content.decode()
    assert "Wrong number: write instead" in page
    assert f'href="tel:{routine.phone}"' not in page
    # Every method with every outcome: calls and texts to the wrong number are refused.
    for method in ContactAttempt.Method.values:
        for outcome in ContactAttempt.Outcome.values:
            if outcome == "wrong_number":
                continue
            before = ContactAttempt.objects.count()
            response = _post(
                reviewer_client, routine, attempt_method=method, attempt_outcome=outcome
            )
            refused = method in ("phone", "text")
            assert (response.status_code == 200) == refused, (method, outcome)
            assert ContactAttempt.objects.count() == before + (0 if refused else 1)
            if refused:
                assert "known to be wrong" in " ".join(_errors(response))
