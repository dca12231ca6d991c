"""Rules that hold on every path that can break them, not only the review form's.

An appointment ahead keeps a request in "scheduled" until it is cancelled (the form, a merge); a
merge never hands an open request's work to an ended one; a deletion waits for the suicide-risk
protocol and for the appointment to be cancelled (one request, the bulk action, the service); a
positive suicide-risk screen is booked only after a conversation with the patient, whichever path
of the protocol was taken. Each walks every status, or every combination of what decides it.
"""

from __future__ import annotations

import contextlib
import itertools

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from intake.demo import URGENT
from intake.models import Appointment, ContactAttempt, RequestLink, ScreeningRequest
from intake.staff import safety
from intake.staff.duplicates import screening_requests_link
from intake.staff.review import (
    ALLOWED_STATUS_MOVES,
    internal_note_create,
    screening_request_delete,
    screening_request_set_status,
)

from .support import QUEUE, appointment_on_record, change_url, review_post
from .test_appointments import booking, in_three_days

Status = ScreeningRequest.Status
Path = safety.Path
ENDED = [s for s in Status if s not in ScreeningRequest.OPEN_STATUSES]
OPEN = [s for s in Status if s in ScreeningRequest.OPEN_STATUSES]


def _in_status(screening_request: ScreeningRequest, status: str) -> ScreeningRequest:
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(status=status)
    return ScreeningRequest.objects.get(pk=screening_request.pk)


def _codes(raised: pytest.ExceptionInfo) -> set[str]:
    return _codes_of(raised.value)


def _codes_of(error: ValidationError) -> set[str]:
    return {e.code for e in error.error_list}


def _protocol_on_record(screening_request, actor) -> None:
    safety.contact_attempt_log(
        screening_request=screening_request,
        actor=actor,
        method=safety.Method.PHONE,
        outcome=safety.Outcome.REACHED,
    )
    internal_note_create(screening_request=screening_request, author=actor, text="Documented.")
    safety.protocol_confirm(
        screening_request=screening_request,
        actor=actor,
        steps=safety.protocol_current().step_list(Path.REACHED),
        path=Path.REACHED,
    )


# --- An appointment ahead ------------------------------------------------------------------------


# Plain strings, as a posted form gives them, not the enum's members.
MOVES = list(itertools.product(Status.values, Status.values, (False, True)))


@pytest.mark.parametrize(("from_status", "to_status", "ahead"), MOVES)
def test_an_appointment_ahead_keeps_a_request_scheduled_and_scheduled_needs_one(
    make_request, reviewer, from_status, to_status, ahead
):
    screening_request = _in_status(make_request(), from_status)
    if ahead:
        appointment_on_record(screening_request, reviewer[0])
    leaving_scheduled = from_status == Status.SCHEDULED != to_status

    try:
        safety.status_move_requirements_check(
            screening_request=screening_request, to_status=to_status
        )
        codes = set()
    except ValidationError as refused:
        codes = {error.code for error in refused.error_list}

    assert ("appointment_ahead" in codes) == (leaving_scheduled and ahead)
    assert ("no_appointment" in codes) == (to_status == Status.SCHEDULED and not ahead)
    if leaving_scheduled and ahead:
        # Cancelled in the same save, the appointment is no longer in the way.
        try:
            safety.status_move_requirements_check(
                screening_request=screening_request,
                to_status=to_status,
                appointment_cancelling=True,
            )
        except ValidationError as other:
            assert "appointment_ahead" not in {e.code for e in other.error_list}
        if to_status in ALLOWED_STATUS_MOVES[Status.SCHEDULED]:
            # The status service, which every path goes through, applies it.
            with pytest.raises(ValidationError) as refused:
                screening_request_set_status(
                    screening_request=screening_request, status=to_status, actor=reviewer[0]
                )
            assert "appointment_ahead" in _codes(refused)
            assert ScreeningRequest.objects.get(pk=screening_request.pk).status == from_status


def test_a_merge_does_not_close_a_request_with_an_appointment_ahead(make_request, manager):
    kept = make_request()
    scheduled = _in_status(make_request(), Status.SCHEDULED)
    appointment = appointment_on_record(scheduled, manager[0])

    with pytest.raises(ValidationError) as refused:
        screening_requests_link(kept=kept, other=scheduled, actor=manager[0], merge=True)

    assert "appointment_ahead" in _codes(refused)
    assert ScreeningRequest.objects.get(pk=scheduled.pk).status == Status.SCHEDULED
    assert Appointment.objects.get(pk=appointment.pk).state == Appointment.State.BOOKED
    assert not RequestLink.objects.exists()


# --- Merging: the work carries on under an open request ------------------------------------------


@pytest.mark.parametrize(("kept_status", "other_status"), list(itertools.product(Status, Status)))
def test_a_merge_never_hands_an_open_request_to_an_ended_one(
    make_request, manager, kept_status, other_status
):
    kept = _in_status(make_request(), kept_status)
    other = _in_status(make_request(), other_status)
    hands_open_work_to_an_ended_request = kept_status in ENDED and other_status in OPEN

    try:
        screening_requests_link(kept=kept, other=other, actor=manager[0], merge=True)
    except ValidationError as refused:
        codes = {error.code for error in refused.error_list}
        assert ("kept_ended" in codes) == hands_open_work_to_an_ended_request
        if hands_open_work_to_an_ended_request:
            assert ScreeningRequest.objects.get(pk=other.pk).status == other_status
            assert not RequestLink.objects.exists()
    else:
        assert not hands_open_work_to_an_ended_request
        assert RequestLink.objects.get().kind == RequestLink.Kind.MERGED


def test_an_ended_request_merged_into_an_open_one_is_allowed_and_the_message_says_which_way(
    make_request, manager
):
    ended = _in_status(make_request(), Status.CLOSED)
    open_request = make_request()

    with pytest.raises(ValidationError) as refused:
        screening_requests_link(kept=ended, other=open_request, actor=manager[0], merge=True)
    assert refused.value.messages == [
        f"{ended.reference} has ended and {open_request.reference} is still open: merge "
        f"{ended.reference} into {open_request.reference} instead."
    ]
    screening_requests_link(kept=open_request, other=ended, actor=manager[0], merge=True)
    assert RequestLink.objects.get().kept == open_request


# --- Deletion ------------------------------------------------------------------------------------

CASES = list(itertools.product((False, True), (False, True), (False, True)))


def _request_for(make_request, actor, *, positive: bool, protocol: bool, appointment: bool):
    screening_request = make_request(**URGENT) if positive else make_request()
    assert screening_request.asq_positive == positive
    if protocol and positive:
        _protocol_on_record(screening_request, actor)
    if appointment:
        screening_request = _in_status(screening_request, Status.SCHEDULED)
        appointment_on_record(screening_request, actor)
    return screening_request


def _may_go(*, positive: bool, protocol: bool, appointment: bool) -> bool:
    return not (positive and not protocol) and not appointment


@pytest.mark.parametrize(("positive", "protocol", "appointment"), CASES)
def test_a_deletion_waits_for_the_protocol_and_a_cancelled_appointment(
    make_request, manager, positive, protocol, appointment
):
    screening_request = _request_for(
        make_request, manager[0], positive=positive, protocol=protocol, appointment=appointment
    )
    may_go = _may_go(positive=positive, protocol=protocol, appointment=appointment)

    assert (safety.deletion_refusals(screening_request) == []) == may_go
    if may_go:
        screening_request_delete(screening_request=screening_request, actor=manager[0], reason="x")
        assert not ScreeningRequest.objects.filter(pk=screening_request.pk).exists()
    else:
        with pytest.raises(ValidationError):
            screening_request_delete(
                screening_request=screening_request, actor=manager[0], reason="x"
            )
        assert ScreeningRequest.objects.filter(pk=screening_request.pk).exists()
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()


@pytest.mark.parametrize(("positive", "protocol", "appointment"), CASES)
def test_the_admin_shows_what_stands_in_the_way_and_deletes_nothing(
    make_request, manager, manager_client, positive, protocol, appointment
):
    screening_request = _request_for(
        make_request, manager[0], positive=positive, protocol=protocol, appointment=appointment
    )
    if _may_go(positive=positive, protocol=protocol, appointment=appointment):
        return_value = manager_client.post(
            change_url(screening_request).replace("/change/", "/delete/"), {"post": "yes"}
        )
        assert return_value.status_code == 302
        assert not ScreeningRequest.objects.filter(pk=screening_request.pk).exists()
        return

    single = manager_client.post(
        change_url(screening_request).replace("/change/", "/delete/"), {"post": "yes"}
    )
    bulk = manager_client.post(
        QUEUE,
        {"action": "delete_selected", "_selected_action": [screening_request.pk], "post": "yes"},
    )
    for page in (single, bulk):
        assert page.status_code == 200
        text = page.content.decode()
        assert "cannot be deleted yet" in text
        for refusal in safety.deletion_refusals(screening_request):
            assert refusal in text
        assert "Yes, delete" not in text
    assert ScreeningRequest.objects.filter(pk=screening_request.pk).exists()


# --- A refused save ----------------------------------------------------------------------------


@pytest.mark.parametrize("to_status", [s for s in Status.values if s != Status.SCHEDULED])
def test_a_refused_save_shows_the_request_as_stored_not_as_typed(
    make_request, reviewer, reviewer_client, to_status
):
    # Scheduled with an appointment ahead: every other status is refused (by the workflow or by
    # the appointment), so the page comes back with the nurse's choice in the form only.
    scheduled = _in_status(make_request(), Status.SCHEDULED)
    appointment_on_record(scheduled, reviewer[0])

    page = review_post(reviewer_client, scheduled, status=to_status, assigned_to=reviewer[0].pk)

    assert page.status_code == 200
    card = BeautifulSoup(page.content, "html.parser").select_one(".review-contact")
    status_shown = (
        card.find("dt", string="Status").find_next_sibling("dd").get_text(" ", strip=True)
    )
    assert status_shown == Status.SCHEDULED.label
    assert ScreeningRequest.objects.get(pk=scheduled.pk).status == Status.SCHEDULED


# --- A conversation before a positive screen is booked -------------------------------------------

Outcome = ContactAttempt.Outcome
# Each kind of screen the triage gives: negative, positive, positive and acute.
SCREENS = {
    "negative": {},
    "positive": {"asq_wish_dead": "yes", "asq_now": "no"},
    "acute": {"asq_wish_dead": "yes", "asq_now": "yes"},
}
# Nothing on record, or one attempt of each outcome (by the way it is made).
ON_RECORD = [None, *Outcome.values]
METHOD_FOR = {Outcome.EMAIL_SENT: safety.Method.EMAIL, Outcome.TEXT_SENT: safety.Method.TEXT}


def _attempt_on_record(screening_request, actor, outcome: str) -> None:
    safety.contact_attempt_log(
        screening_request=screening_request,
        actor=actor,
        method=METHOD_FOR.get(outcome, safety.Method.PHONE),
        outcome=outcome,
    )


def _refusal_codes(screening_request, **move) -> set[str]:
    """The codes of what the status service refuses for a move (none when it allows it)."""
    try:
        safety.status_move_requirements_check(screening_request=screening_request, **move)
    except ValidationError as refused:
        return _codes_of(refused)
    return set()


@pytest.mark.parametrize(("screen", "on_record"), list(itertools.product(SCREENS, ON_RECORD)))
def test_a_positive_screen_is_booked_only_after_speaking_with_the_patient(
    make_request, reviewer, screen, on_record
):
    screening_request = make_request(**SCREENS[screen])
    if on_record:
        _attempt_on_record(screening_request, reviewer[0], on_record)
    # Every outcome a save can log beside the move, and none.
    for logging in ["", *Outcome.values]:
        for to_status in Status.values:
            codes = _refusal_codes(
                screening_request,
                to_status=to_status,
                outcome_logging=logging,
                appointment_booking=True,
                protocol_confirming=True,
            )
            spoken = {on_record, logging} & set(ContactAttempt.TWO_WAY_OUTCOMES)
            expected = (
                to_status == Status.SCHEDULED and screening_request.asq_positive and not spoken
            )
            assert ("no_conversation" in codes) == expected, (to_status, logging, codes)


@pytest.mark.parametrize("path", list(Path))
def test_after_either_protocol_path_and_a_text_the_review_page_books_only_after_a_call(
    make_request, reviewer, reviewer_client, path
):
    actor = reviewer[0]
    acute = make_request(**SCREENS["acute"])
    outcome = Outcome.REACHED if path == Path.REACHED else Outcome.NO_ANSWER
    safety.contact_attempt_log(
        screening_request=acute, actor=actor, method=safety.Method.PHONE, outcome=outcome
    )
    internal_note_create(screening_request=acute, author=actor, text="Documented.")
    safety.protocol_confirm(
        screening_request=acute,
        actor=actor,
        steps=safety.protocol_current().step_list(path),
        path=path,
    )
    safety.contact_attempt_log(
        screening_request=acute, actor=actor, method=safety.Method.TEXT, outcome=Outcome.TEXT_SENT
    )
    screening_request_set_status(screening_request=acute, status=Status.CONTACTED, actor=actor)

    response = review_post(
        reviewer_client, acute, status=Status.SCHEDULED, **booking(in_three_days())
    )
    acute.refresh_from_db()
    if path == Path.REACHED:
        assert response.status_code == 302
        assert acute.status == Status.SCHEDULED
        return
    assert response.status_code == 200
    assert "book only after speaking with the patient" in response.content.decode()
    assert acute.status == Status.CONTACTED
    assert not acute.appointments.exists()
    # The call that reached the patient, logged in the same save, opens it.
    response = review_post(
        reviewer_client,
        acute,
        status=Status.SCHEDULED,
        attempt_method=safety.Method.PHONE,
        attempt_outcome=Outcome.REACHED,
        **booking(in_three_days()),
    )
    assert response.status_code == 302
    acute.refresh_from_db()
    assert acute.status == Status.SCHEDULED


LINKS = ["none", "same person", "merged"]


@pytest.mark.parametrize(
    ("kept_screen", "other_screen", "link"),
    list(itertools.product(["negative", "positive"], ["negative", "positive"], LINKS)),
)
def test_a_risk_on_a_linked_or_merged_request_still_needs_a_conversation_before_booking(
    make_request, manager, manager_client, kept_screen, other_screen, link
):
    actor = manager[0]
    other = make_request(**SCREENS[other_screen])
    kept = make_request(**SCREENS[kept_screen])
    if other.asq_positive and link == "merged":
        _protocol_on_record(other, actor)  # closing it needs the protocol
    if link != "none":
        screening_requests_link(kept=kept, other=other, actor=actor, merge=link == "merged")
    kept = _in_status(kept, Status.CONTACTED)

    codes = _refusal_codes(kept, to_status=Status.SCHEDULED, appointment_booking=True)
    risk = kept.asq_positive or (link != "none" and other.asq_positive)
    assert ("no_conversation" in codes) == risk
    assert safety.suicide_risk_on_record(kept) == risk
    # And from the other side of the link.
    other_risk = other.asq_positive or (link != "none" and kept.asq_positive)
    assert safety.suicide_risk_on_record(other) == other_risk

    # The review page names the other request's risk beside its link.
    page = BeautifulSoup(manager_client.get(change_url(kept)).content, "html.parser")
    related = page.select_one(".review-related")
    if link != "none":
        assert related is not None
    if related is not None:
        named = "positive suicide-risk screen" in related.get_text(" ", strip=True)
        assert named == other.asq_positive


@pytest.mark.parametrize("on_record", ON_RECORD)
def test_contacted_and_scheduled_need_a_contact_that_reached_the_patient(
    make_request, reviewer, on_record
):
    screening_request = make_request()
    if on_record:
        _attempt_on_record(screening_request, reviewer[0], on_record)
    for logging in ["", *Outcome.values]:
        for to_status in Status.values:
            codes = _refusal_codes(
                screening_request,
                to_status=to_status,
                outcome_logging=logging,
                appointment_booking=True,
            )
            reached = {on_record, logging} & safety.CONTACT_MADE_OUTCOMES
            expected = to_status in (Status.CONTACTED, Status.SCHEDULED) and not reached
            assert ("no_contact" in codes) == expected, (to_status, logging, codes)


@pytest.mark.parametrize("from_status", [Status.NEW, Status.IN_REVIEW])
def test_a_call_that_reaches_the_patient_books_from_the_queue_in_one_save(
    make_request, reviewer_client, from_status
):
    screening_request = _in_status(make_request(), from_status)

    refused = review_post(
        reviewer_client, screening_request, status=Status.SCHEDULED, **booking(in_three_days())
    )
    assert refused.status_code == 200
    assert "before marking the request scheduled" in refused.content.decode()

    response = review_post(
        reviewer_client,
        screening_request,
        status=Status.SCHEDULED,
        attempt_method=safety.Method.PHONE,
        attempt_outcome=Outcome.REACHED,
        **booking(in_three_days()),
    )
    assert response.status_code == 302
    screening_request.refresh_from_db()
    assert screening_request.status == Status.SCHEDULED
    assert screening_request.appointments.get().state == Appointment.State.BOOKED


def test_the_appointment_is_looked_up_only_for_a_move_into_or_out_of_scheduled(
    make_request, monkeypatch
):
    looked_up = []

    def upcoming(screening_request):
        looked_up.append(screening_request.status)

    monkeypatch.setattr(safety, "appointment_upcoming", upcoming)
    screening_request = make_request()
    for from_status, to_status in itertools.product(Status.values, Status.values):
        looked_up.clear()
        current = _in_status(screening_request, from_status)
        with contextlib.suppress(ValidationError):  # only whether it looked matters here
            safety.status_move_requirements_check(screening_request=current, to_status=to_status)
        into_or_out = Status.SCHEDULED in (to_status, from_status) and from_status != to_status
        into_or_out = into_or_out or to_status == Status.SCHEDULED
        assert bool(looked_up) == into_or_out, (from_status, to_status)
