"""Every status move, allowed or not, against a table written out here; moves checked on the
locked row, not the caller's copy; the safety steps a move needs (a contact that reached the
patient; the suicide-risk protocol for a positive screen); assignment; and each change undone with
its audit event when either fails."""

from __future__ import annotations

import itertools

import pytest
from django.core.exceptions import ValidationError

from core.models import AuditEvent
from intake.models import ContactAttempt, InternalNote, ScreeningRequest, StatusChange
from intake.staff.review import (
    internal_note_create,
    screening_request_assign,
    screening_request_delete,
    screening_request_set_status,
    status_move_check,
    status_moves_from,
)
from intake.staff.safety import (
    contact_attempt_log,
    protocol_confirm,
    protocol_current,
    status_move_requirements_check,
)

from .support import appointment_as_the_move_needs, appointment_on_record

Status = ScreeningRequest.Status
Outcome = ContactAttempt.Outcome
NEW, REVIEW, CONTACTED, SCHEDULED = "new", "in_review", "contacted", "scheduled"
NOT_A_CANDIDATE, WITHDRAWN, CLOSED = "not_a_candidate", "withdrawn", "closed"

# The workflow, written out by hand: a change to it must change this table too.
ALLOWED = {
    NEW: [REVIEW, CONTACTED, SCHEDULED, NOT_A_CANDIDATE, WITHDRAWN, CLOSED],
    REVIEW: [CONTACTED, SCHEDULED, NOT_A_CANDIDATE, WITHDRAWN, CLOSED],
    CONTACTED: [REVIEW, SCHEDULED, NOT_A_CANDIDATE, WITHDRAWN, CLOSED],
    SCHEDULED: [CONTACTED, NOT_A_CANDIDATE, WITHDRAWN, CLOSED],
    NOT_A_CANDIDATE: [REVIEW, CLOSED],
    WITHDRAWN: [REVIEW, CLOSED],
    CLOSED: [REVIEW],
}
PAIRS = [(a, b) for a, b in itertools.permutations(ALLOWED, 2)]


def _in_status(screening_request: ScreeningRequest, status: str) -> ScreeningRequest:
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(status=status)
    return ScreeningRequest.objects.get(pk=screening_request.pk)


def test_the_table_names_every_status():
    assert set(ALLOWED) == set(Status.values)


@pytest.mark.parametrize("status", list(ALLOWED))
def test_the_moves_from_each_status_are_offered_in_the_workflows_order(status):
    assert status_moves_from(status) == ALLOWED[status]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_every_move_is_allowed_or_refused_exactly_as_the_table_says(
    make_request, reviewer, from_status, to_status
):
    actor = reviewer[0]
    screening_request = _in_status(make_request(), from_status)
    # What a move to "contacted" needs is on record, so only the workflow decides here.
    contact_attempt_log(
        screening_request=screening_request, actor=actor, method="phone", outcome=Outcome.REACHED
    )
    appointment_as_the_move_needs(screening_request, to_status, actor)
    before = screening_request.status_changed_at

    if to_status in ALLOWED[from_status]:
        change = screening_request_set_status(
            screening_request=screening_request, status=to_status, actor=actor
        )
        stored = ScreeningRequest.objects.get(pk=screening_request.pk)
        assert stored.status == to_status
        assert stored.status_changed_at == change.changed_at
        assert stored.status_changed_at > before
        assert (change.from_status, change.to_status) == (from_status, to_status)
        assert screening_request.status == to_status  # the caller's copy follows
        event = AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).get()
        assert event.reference == screening_request.reference
        assert event.detail == f"status: {Status(from_status).label} to {Status(to_status).label}"
    else:
        with pytest.raises(ValidationError) as refused:
            screening_request_set_status(
                screening_request=screening_request, status=to_status, actor=actor
            )
        assert refused.value.code == "status_move"
        assert ScreeningRequest.objects.get(pk=screening_request.pk).status == from_status
        assert not StatusChange.objects.exists()
        assert not AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).exists()


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_the_check_alone_agrees_with_the_table(from_status, to_status):
    if to_status in ALLOWED[from_status]:
        status_move_check(from_status=from_status, to_status=to_status)
    else:
        with pytest.raises(ValidationError):
            status_move_check(from_status=from_status, to_status=to_status)


def test_a_move_is_checked_against_the_stored_status_not_the_callers_stale_copy(
    make_request, reviewer
):
    stale = make_request()
    stale.status = CONTACTED  # what an old page thought
    _in_status(stale, CLOSED)  # what another reviewer did meanwhile

    with pytest.raises(ValidationError):
        screening_request_set_status(screening_request=stale, status=SCHEDULED, actor=reviewer[0])
    assert ScreeningRequest.objects.get(pk=stale.pk).status == CLOSED


def test_a_move_the_stored_status_allows_goes_through_whatever_the_stale_copy_says(
    make_request, reviewer
):
    stale = make_request()
    stale.status = CLOSED  # closed could not be booked; the stored status can
    _in_status(stale, CONTACTED)
    contact_attempt_log(
        screening_request=stale, actor=reviewer[0], method="phone", outcome=Outcome.REACHED
    )
    appointment_on_record(stale, reviewer[0])

    change = screening_request_set_status(
        screening_request=stale, status=SCHEDULED, actor=reviewer[0]
    )
    assert change.from_status == CONTACTED
    assert ScreeningRequest.objects.get(pk=stale.pk).status == SCHEDULED


def test_a_move_to_the_status_already_stored_records_nothing(make_request, reviewer):
    stale = make_request()
    stale.status = NEW
    _in_status(stale, REVIEW)

    assert (
        screening_request_set_status(screening_request=stale, status=REVIEW, actor=reviewer[0])
        is None
    )
    assert not StatusChange.objects.exists()


# --- What a move needs on record ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "allowed"),
    [
        (Outcome.REACHED, True),
        (Outcome.EMAIL_SENT, True),
        (Outcome.TEXT_SENT, True),
        (Outcome.NO_ANSWER, False),
        (Outcome.VOICEMAIL, False),
        (Outcome.WRONG_NUMBER, False),
    ],
)
def test_contacted_needs_an_attempt_that_reached_the_patient(
    make_request, reviewer, outcome, allowed
):
    screening_request = make_request()
    contact_attempt_log(
        screening_request=screening_request, actor=reviewer[0], method="phone", outcome=outcome
    )

    if allowed:
        status_move_requirements_check(screening_request=screening_request, to_status=CONTACTED)
    else:
        with pytest.raises(ValidationError) as refused:
            status_move_requirements_check(screening_request=screening_request, to_status=CONTACTED)
        assert refused.value.error_list[0].code == "no_contact"


def test_an_outcome_logged_with_the_move_counts(make_request):
    screening_request = make_request()

    status_move_requirements_check(
        screening_request=screening_request, to_status=CONTACTED, outcome_logging=Outcome.REACHED
    )
    with pytest.raises(ValidationError):
        status_move_requirements_check(
            screening_request=screening_request,
            to_status=CONTACTED,
            outcome_logging=Outcome.NO_ANSWER,
        )


@pytest.mark.parametrize("to_status", list(ALLOWED))
def test_a_positive_screen_leaves_the_queue_only_with_the_protocol_confirmed(
    make_request, reviewer, to_status
):
    urgent = make_request(asq_wish_dead="yes", asq_now="no")
    contact_attempt_log(
        screening_request=urgent, actor=reviewer[0], method="phone", outcome=Outcome.REACHED
    )
    internal_note_create(screening_request=urgent, author=reviewer[0], text="Called; safe.")
    appointment_on_record(urgent, reviewer[0])
    # Every status but the unanswered ones (new, in review) needs the protocol.
    gated = to_status not in {NEW, REVIEW}

    if gated:
        with pytest.raises(ValidationError) as refused:
            status_move_requirements_check(screening_request=urgent, to_status=to_status)
        assert [e.code for e in refused.value.error_list] == ["protocol_unconfirmed"]
        status_move_requirements_check(
            screening_request=urgent, to_status=to_status, protocol_confirming=True
        )
    protocol_confirm(
        screening_request=urgent, actor=reviewer[0], steps=protocol_current().step_list()
    )
    status_move_requirements_check(screening_request=urgent, to_status=to_status)


def test_a_negative_screen_needs_no_protocol(make_request):
    routine = make_request()

    for to_status in (NOT_A_CANDIDATE, CLOSED, WITHDRAWN):
        status_move_requirements_check(screening_request=routine, to_status=to_status)


def test_both_missing_steps_are_named_at_once(make_request):
    urgent = make_request(asq_wish_dead="yes", asq_now="no")

    with pytest.raises(ValidationError) as refused:
        status_move_requirements_check(screening_request=urgent, to_status=CONTACTED)
    assert [e.code for e in refused.value.error_list] == ["no_contact", "protocol_unconfirmed"]


def test_the_protocol_is_confirmed_only_with_every_step(make_request, reviewer):
    urgent = make_request(asq_wish_dead="yes", asq_now="no")
    steps = protocol_current().step_list()
    contact_attempt_log(
        screening_request=urgent, actor=reviewer[0], method="phone", outcome=Outcome.REACHED
    )
    internal_note_create(screening_request=urgent, author=reviewer[0], text="Called; safe.")

    with pytest.raises(ValidationError):
        protocol_confirm(screening_request=urgent, actor=reviewer[0], steps=steps[:-1])
    with pytest.raises(ValidationError):
        protocol_confirm(screening_request=make_request(), actor=reviewer[0], steps=steps)
    confirmation = protocol_confirm(screening_request=urgent, actor=reviewer[0], steps=steps)
    assert confirmation.steps == steps
    event = AuditEvent.objects.filter(action=AuditEvent.Action.PROTOCOL).get()
    assert event.detail == f"{len(steps)} steps confirmed (spoke with the patient)"


# --- All or nothing: each change and its audit event are one transaction -------------------------


class AuditDown(Exception):
    pass


@pytest.fixture
def audit_down(monkeypatch):
    """The audit trail refuses to record: the change it would record must not happen either."""

    def refuse(**kwargs):
        raise AuditDown

    monkeypatch.setattr("intake.staff.review.audit_record", refuse)


def test_a_status_move_is_undone_when_it_cannot_be_audited(make_request, reviewer, audit_down):
    screening_request = make_request()

    with pytest.raises(AuditDown):
        screening_request_set_status(
            screening_request=screening_request, status=REVIEW, actor=reviewer[0]
        )
    assert ScreeningRequest.objects.get(pk=screening_request.pk).status == NEW
    assert not StatusChange.objects.exists()


def test_an_assignment_is_undone_when_it_cannot_be_audited(make_request, reviewer, audit_down):
    screening_request = make_request()

    with pytest.raises(AuditDown):
        screening_request_assign(
            screening_request=screening_request, assignee=reviewer[0], actor=reviewer[0]
        )
    assert ScreeningRequest.objects.get(pk=screening_request.pk).assigned_to is None


def test_a_note_is_undone_when_it_cannot_be_audited(make_request, reviewer, audit_down):
    screening_request = make_request()

    with pytest.raises(AuditDown):
        internal_note_create(screening_request=screening_request, author=reviewer[0], text="Hi")
    assert not InternalNote.objects.exists()


def test_a_deletion_is_undone_when_it_cannot_be_audited(make_request, reviewer, monkeypatch):
    screening_request = make_request()

    def refuse(*args, **kwargs):
        raise AuditDown

    # The event is written first; a deletion that then fails must leave no event behind.
    monkeypatch.setattr(ScreeningRequest, "delete", refuse)
    with pytest.raises(AuditDown):
        screening_request_delete(screening_request=screening_request, actor=reviewer[0], reason="x")
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DELETE).exists()


# --- Assignment -----------------------------------------------------------------------------------


def test_a_request_is_assigned_and_unassigned_and_each_is_audited(make_request, reviewer):
    user = reviewer[0]
    screening_request = make_request()

    screening_request_assign(screening_request=screening_request, assignee=user, actor=user)
    screening_request_assign(screening_request=screening_request, assignee=None, actor=user)

    details = list(
        AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE)
        .order_by("pk")
        .values_list("detail", flat=True)
    )
    assert details == [f"assigned to {user.get_username()}", "unassigned"]
    assert ScreeningRequest.objects.get(pk=screening_request.pk).assigned_to is None


def test_assigning_to_the_same_person_again_records_nothing(make_request, reviewer):
    # A large id, so that an identity comparison of ids could not pass by accident.
    user = type(reviewer[0]).objects.create(id=100_000, username="big-id", is_staff=True)
    screening_request = make_request()
    screening_request_assign(screening_request=screening_request, assignee=user, actor=user)
    screening_request = ScreeningRequest.objects.get(pk=screening_request.pk)

    screening_request_assign(screening_request=screening_request, assignee=user, actor=user)

    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHANGE).count() == 1


def test_only_staff_can_be_given_a_request(make_request, reviewer):
    patient_account = type(reviewer[0]).objects.create(username="not-staff", is_staff=False)
    screening_request = make_request()

    with pytest.raises(ValidationError) as refused:
        screening_request_assign(
            screening_request=screening_request, assignee=patient_account, actor=reviewer[0]
        )
    assert refused.value.code == "not_staff"
    assert ScreeningRequest.objects.get(pk=screening_request.pk).assigned_to is None
