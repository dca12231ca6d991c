"""The nurse's safety net, walked over every case the definitions allow.

Every answer combination of the suicide-risk screen (ASQ) the questionnaire can produce x every
status pair the workflow defines x with and without the protocol on record: no request with a
positive screen reaches a status outside the open queue (or "contacted") without the protocol.
The protocol's records must agree with the contact log and the notes; acute and urgent deadlines
hold after a failed attempt; only a conversation counts as a first contact.
"""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEvent
from intake import questionnaire
from intake.demo import demo_request_create
from intake.models import ContactAttempt, InternalNote, ProtocolConfirmation, ScreeningRequest
from intake.questionnaire import SCREENING, scoring
from intake.staff import dashboard, safety
from intake.staff.queue import due_words, queue_annotate
from intake.staff.retention import requests_held_for_protocol, requests_past_retention
from intake.staff.review import (
    ALLOWED_STATUS_MOVES,
    internal_note_create,
    screening_request_set_status,
)

from .support import appointment_as_the_move_needs, appointment_on_record

Status = ScreeningRequest.Status
Priority = ScreeningRequest.Priority
Outcome = ContactAttempt.Outcome
Method = ContactAttempt.Method
Path = ProtocolConfirmation.Path
OPEN = set(ScreeningRequest.OPEN_STATUSES)
UNANSWERED = set(ScreeningRequest.UNANSWERED_STATUSES)


def asq_answer_combinations() -> list[dict[str, str]]:
    """Every way the form lets a patient answer the ASQ, from the questionnaire's definition."""
    definition = questionnaire.SCREENING
    asq = definition.instrument("asq")
    items = [definition.question(name) for name in asq.items]
    acuity = definition.question(asq.acuity_item)
    combinations = []
    for codes in itertools.product(*[[c.code for c in q.choices] for q in items]):
        answers = {q.name: str(code) for q, code in zip(items, codes, strict=True)}
        if acuity.asked_when is None or acuity.asked_when.holds(answers):
            combinations += [{**answers, acuity.name: str(c.code)} for c in acuity.choices]
        else:
            combinations.append(answers)
    return combinations


def one_of_each_kind() -> list[dict[str, str]]:
    """The first combination of each kind of screen: negative, positive, acute."""
    kinds = {}
    for answers in asq_answer_combinations():
        kind = (scoring.asq_positive(SCREENING, answers), scoring.asq_acute(SCREENING, answers))
        kinds.setdefault(kind, answers)
    return list(kinds.values())


@pytest.fixture
def every_screen(settings):
    """One request per ASQ answer combination, sent through the real form."""
    settings.SCREENING_RATE_LIMIT = "off"
    return [
        demo_request_create(number % 90 + 1, notify_staff=False, **answers)
        for number, answers in enumerate(asq_answer_combinations())
    ]


def _in_status(screening_request: ScreeningRequest, status: str) -> ScreeningRequest:
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(status=status)
    return ScreeningRequest.objects.get(pk=screening_request.pk)


def _confirm(screening_request, actor, path=Path.REACHED) -> None:
    outcome = Outcome.REACHED if path == Path.REACHED else Outcome.NO_ANSWER
    safety.contact_attempt_log(
        screening_request=screening_request, actor=actor, method=Method.PHONE, outcome=outcome
    )
    internal_note_create(screening_request=screening_request, author=actor, text="Documented.")
    safety.protocol_confirm(
        screening_request=screening_request,
        actor=actor,
        steps=safety.protocol_current().step_list(path),
        path=path,
    )


def test_no_positive_screen_leaves_the_open_queue_without_the_protocol(every_screen, reviewer):
    assert {(r.asq_positive, r.acute) for r in every_screen} == {
        (False, False),
        (True, False),
        (True, True),
    }
    actor = reviewer[0]
    pairs = [(a, b) for a, moves in ALLOWED_STATUS_MOVES.items() for b in moves]
    assert {b for _, b in pairs} - OPEN, "the workflow has ways out of the open queue"
    for screening_request in every_screen:
        # What "contacted" needs is on record, so only the protocol decides here.
        safety.contact_attempt_log(
            screening_request=screening_request, actor=actor, method="phone", outcome="reached"
        )
        appointment_on_record(screening_request, actor)  # and what "scheduled" needs
        for to_status in Status.values:
            gated = screening_request.asq_positive and to_status not in UNANSWERED
            try:
                safety.status_move_requirements_check(
                    screening_request=screening_request, to_status=to_status
                )
                refused = False
            except ValidationError as exc:
                assert [e.code for e in exc.error_list] == ["protocol_unconfirmed"]
                refused = True
            assert refused == gated, (screening_request.flags, to_status)

    # Through the service, every move the workflow allows, for each kind of screen.
    kinds = {(r.asq_positive, r.acute): r for r in every_screen}
    assert len(kinds) == 3  # negative, positive, acute
    for screening_request in kinds.values():
        for from_status, to_status in pairs:
            current = _in_status(screening_request, from_status)
            appointment_as_the_move_needs(current, to_status, actor)
            if current.asq_positive and to_status not in UNANSWERED:
                with pytest.raises(ValidationError):
                    screening_request_set_status(
                        screening_request=current, status=to_status, actor=actor
                    )
                assert ScreeningRequest.objects.get(pk=current.pk).status == from_status
            else:
                screening_request_set_status(
                    screening_request=current, status=to_status, actor=actor
                )
                assert ScreeningRequest.objects.get(pk=current.pk).status == to_status


@pytest.mark.parametrize("path", list(Path))
def test_with_either_path_of_the_protocol_on_record_every_move_but_booking_is_open(
    make_request, reviewer, path
):
    actor = reviewer[0]
    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    _confirm(acute, actor, path)
    # "Contacted" still needs a contact that reached the patient, a text sent included.
    safety.contact_attempt_log(
        screening_request=acute, actor=actor, method=Method.TEXT, outcome=Outcome.TEXT_SENT
    )
    for from_status, moves in ALLOWED_STATUS_MOVES.items():
        for to_status in moves:
            current = _in_status(acute, from_status)
            appointment_as_the_move_needs(current, to_status, actor)
            if to_status == Status.SCHEDULED and path != Path.REACHED:
                # Booking waits for a conversation (tests/staff/test_rules_across_paths.py).
                with pytest.raises(ValidationError, match="only after speaking"):
                    screening_request_set_status(
                        screening_request=current, status=to_status, actor=actor
                    )
                continue
            screening_request_set_status(screening_request=current, status=to_status, actor=actor)
            assert ScreeningRequest.objects.get(pk=acute.pk).status == to_status


def test_the_rule_covers_every_status_outside_the_open_set(make_request):
    urgent = make_request(asq_wish_dead="yes", asq_now="no")
    for status in Status.values:
        needed = safety.protocol_needed(screening_request=urgent, to_status=status)
        if status not in OPEN:
            assert needed, status
        assert needed == (status not in UNANSWERED)


# --- Records that agree -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "outcome"), list(itertools.product(Method.values, Outcome.values))
)
def test_the_spoke_with_the_patient_path_needs_a_phone_call_that_reached_them_and_a_note(
    make_request, reviewer, method, outcome
):
    actor = reviewer[0]
    urgent = make_request(asq_wish_dead="yes", asq_now="no")
    steps = safety.protocol_current().step_list(Path.REACHED)
    safety.contact_attempt_log(
        screening_request=urgent, actor=actor, method=method, outcome=outcome
    )
    call = method == Method.PHONE and outcome == Outcome.REACHED

    with pytest.raises(ValidationError) as refused:
        safety.protocol_confirm(screening_request=urgent, actor=actor, steps=steps)
    codes = [e.code for e in refused.value.error_list]
    assert ("protocol_no_call" in codes) == (not call)
    assert "protocol_no_note" in codes

    internal_note_create(screening_request=urgent, author=actor, text="Asked; safe.")
    if call:
        safety.protocol_confirm(screening_request=urgent, actor=actor, steps=steps)
        assert safety.protocol_confirmed(urgent)
    else:
        with pytest.raises(ValidationError):
            safety.protocol_confirm(screening_request=urgent, actor=actor, steps=steps)


@pytest.mark.parametrize("outcome", Outcome.values)
def test_the_could_not_reach_path_needs_an_attempt_that_did_not_reach_them(
    make_request, reviewer, outcome
):
    actor = reviewer[0]
    urgent = make_request(asq_wish_dead="yes", asq_now="no")
    internal_note_create(screening_request=urgent, author=actor, text="Tried twice.")
    safety.contact_attempt_log(
        screening_request=urgent, actor=actor, method="phone", outcome=outcome
    )
    steps = safety.protocol_current().step_list(Path.UNREACHED)

    if outcome in ContactAttempt.TWO_WAY_OUTCOMES:
        with pytest.raises(ValidationError):
            safety.protocol_confirm(
                screening_request=urgent, actor=actor, steps=steps, path=Path.UNREACHED
            )
    else:
        confirmation = safety.protocol_confirm(
            screening_request=urgent, actor=actor, steps=steps, path=Path.UNREACHED
        )
        assert confirmation.path == Path.UNREACHED


# --- Deadlines that hold ------------------------------------------------------------------------


def _due(screening_request, now=None):
    return queue_annotate(ScreeningRequest.objects.filter(pk=screening_request.pk), now=now).get()


@pytest.mark.parametrize("outcome", (*ContactAttempt.FAILED_OUTCOMES, Outcome.TEXT_SENT))
@pytest.mark.parametrize("priority", list(Priority))
def test_an_attempt_that_did_not_reach_the_patient_never_pushes_an_acute_or_urgent_deadline_back(
    make_request, reviewer, priority, outcome
):
    screening_request = make_request()
    received = timezone.now() - datetime.timedelta(hours=2)
    due_at = received + datetime.timedelta(minutes=30)
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        priority=priority, received_at=received, due_at=due_at
    )
    later = timezone.now() + datetime.timedelta(days=3)
    safety.contact_attempt_log(
        screening_request=screening_request,
        actor=reviewer[0],
        method="phone",
        outcome=outcome,
        next_attempt_due=later,
    )

    row = _due(screening_request)
    if priority in (Priority.ACUTE, Priority.URGENT):
        assert row.next_due == due_at
        assert row.overdue
    else:
        assert row.next_due == later
        assert not row.overdue


@pytest.mark.parametrize("priority", list(Priority))
def test_a_failed_attempt_may_bring_a_deadline_forward(make_request, reviewer, priority):
    screening_request = make_request()
    due_at = timezone.now() + datetime.timedelta(hours=5)
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        priority=priority, due_at=due_at
    )
    sooner = timezone.now() + datetime.timedelta(hours=1)
    safety.contact_attempt_log(
        screening_request=screening_request,
        actor=reviewer[0],
        method="phone",
        outcome=Outcome.NO_ANSWER,
        next_attempt_due=sooner,
    )

    assert _due(screening_request).next_due == sooner


def test_after_a_conversation_the_next_try_sets_the_pace_again(make_request, reviewer):
    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    later = timezone.now() + datetime.timedelta(days=1)
    for outcome in (Outcome.NO_ANSWER, Outcome.REACHED):
        safety.contact_attempt_log(
            screening_request=acute,
            actor=reviewer[0],
            method="phone",
            outcome=outcome,
            next_attempt_due=later,
        )

    assert _due(acute).next_due == later


@pytest.mark.parametrize("priority", list(Priority))
def test_the_default_retry_time_is_never_later_than_the_usual_allowance(make_request, priority):
    screening_request = make_request()
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(priority=priority)
    screening_request.refresh_from_db()
    now = timezone.now()

    retry = safety.next_attempt_due_default(screening_request=screening_request, now=now)

    if priority == Priority.ACUTE:
        assert retry == now
    else:
        assert now < retry


def test_one_wording_for_deadlines():
    now = timezone.now()
    past = now - datetime.timedelta(minutes=12)
    assert due_words(next_due=past, acute_waiting=True, now=now) == "Call now: overdue 12 min"
    assert due_words(next_due=now, acute_waiting=True, now=now) == "Call now"
    late = now - datetime.timedelta(hours=3, minutes=5)
    assert due_words(next_due=late, acute_waiting=False, now=now) == "Overdue 3 h 05 min"
    assert due_words(next_due=now + datetime.timedelta(hours=1), acute_waiting=False) == ""


@pytest.mark.parametrize("outcome", Outcome.values)
def test_only_a_conversation_counts_as_first_contact_in_the_figures(
    make_request, reviewer, outcome
):
    screening_request = make_request()
    safety.contact_attempt_log(
        screening_request=screening_request, actor=reviewer[0], method="phone", outcome=outcome
    )
    counted = outcome in ContactAttempt.TWO_WAY_OUTCOMES

    assert (dashboard.median_first_contact() is not None) == counted
    assert (sum(day.contacted for day in dashboard.daily_counts()) == 1) == counted


# --- The purge ----------------------------------------------------------------------------------


def test_the_purge_keeps_a_positive_screen_without_the_protocol_and_says_why(
    make_request, reviewer
):
    old = timezone.now() - datetime.timedelta(days=800)
    every_screen = []
    # Every status outside the open queue x each kind of screen.
    for status in sorted(set(Status.values) - OPEN):
        for answers in one_of_each_kind():
            screening_request = make_request(**answers)
            ScreeningRequest.objects.filter(pk=screening_request.pk).update(
                status=status, status_changed_at=old
            )
            every_screen.append(screening_request)
    unprotected = {r.reference for r in every_screen if r.asq_positive}
    assert unprotected

    assert {r.reference for r in requests_held_for_protocol()} == unprotected
    assert not unprotected & {r.reference for r in requests_past_retention()}
    with_protocol = next(r for r in every_screen if r.asq_positive)
    ProtocolConfirmation.objects.create(
        screening_request=with_protocol, confirmed_by=reviewer[0], steps=["x"]
    )

    out = __import__("io").StringIO()
    call_command("purge_screening_requests", stdout=out)

    kept = set(ScreeningRequest.objects.values_list("reference", flat=True))
    assert kept == unprotected - {with_protocol.reference}
    assert f"Kept {len(kept)} request(s) past retention" in out.getvalue()
    for reference in kept:
        assert reference in out.getvalue()
    assert not AuditEvent.objects.filter(
        action=AuditEvent.Action.PURGE, reference__in=kept
    ).exists()
    assert InternalNote.objects.count() == 0


# The plain stored values, as a form or a caller would pass them, not only the enum's members.
@pytest.mark.parametrize("path", Path.values)
def test_what_is_logged_and_written_in_the_same_save_counts_for_each_path(make_request, path):
    urgent = make_request(asq_wish_dead="yes", asq_now="no")
    for method, outcome, note in itertools.product(
        ["", *Method.values], ["", *Outcome.values], [False, True]
    ):
        if path == Path.REACHED:
            records_agree = method == Method.PHONE and outcome == Outcome.REACHED
        else:
            records_agree = outcome not in ("", *ContactAttempt.TWO_WAY_OUTCOMES)
        try:
            safety.protocol_records_check(
                screening_request=urgent,
                path=path,
                method_logging=method,
                outcome_logging=outcome,
                note_writing=note,
            )
            codes = []
        except ValidationError as exc:
            codes = [e.code for e in exc.error_list]
        assert ("protocol_no_note" in codes) == (not note), (method, outcome, note)
        assert (set(codes) - {"protocol_no_note"} == set()) == records_agree, (method, outcome)


def test_the_protocol_is_not_confirmed_with_a_step_it_does_not_have(make_request, reviewer):
    urgent = make_request(asq_wish_dead="yes", asq_now="no")
    safety.contact_attempt_log(
        screening_request=urgent, actor=reviewer[0], method="phone", outcome="reached"
    )
    internal_note_create(screening_request=urgent, author=reviewer[0], text="Called.")
    steps = safety.protocol_current().step_list()

    for wrong in ([*steps, "A step nobody wrote"], [*steps[:-1], "A step nobody wrote"]):
        with pytest.raises(ValidationError):
            safety.protocol_confirm(screening_request=urgent, actor=reviewer[0], steps=wrong)
    assert not safety.protocol_confirmed(urgent)


def test_a_confirmation_is_undone_when_it_cannot_be_audited(make_request, reviewer, monkeypatch):
    urgent = make_request(asq_wish_dead="yes", asq_now="no")
    safety.contact_attempt_log(
        screening_request=urgent, actor=reviewer[0], method="phone", outcome="reached"
    )
    internal_note_create(screening_request=urgent, author=reviewer[0], text="Called.")

    def refuse(**kwargs):
        raise RuntimeError("the audit trail is down")

    monkeypatch.setattr("intake.staff.safety.audit_record", refuse)
    with pytest.raises(RuntimeError):
        safety.protocol_confirm(
            screening_request=urgent,
            actor=reviewer[0],
            steps=safety.protocol_current().step_list(),
        )
    assert not safety.protocol_confirmed(urgent)
