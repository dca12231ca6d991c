"""The hand-over page: a nurse's (or the team's) open requests, promised call-backs and notes
since a time; printable; every look audited like the queue's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from core.models import AuditEvent
from intake.models import InternalNote, ScreeningRequest
from intake.staff.review import internal_note_create, screening_request_assign
from intake.staff.safety import contact_attempt_log

from .support import ADMIN, staff_member

pytestmark = pytest.mark.django_db

Status = ScreeningRequest.Status
HANDOVER = "/staff/intake/screeningrequest/handover/"


@pytest.fixture
def other_nurse():
    user, _device = staff_member("reviewer", username="nurse-ben")
    return user


def test_my_hand_over_shows_my_open_requests_call_backs_and_notes_since_yesterday(
    reviewer_client, reviewer, other_nurse, make_request
):
    me = reviewer[0]
    mine, promised, theirs = make_request(), make_request(), make_request()
    for screening_request in (mine, promised):
        screening_request_assign(screening_request=screening_request, assignee=me, actor=me)
    screening_request_assign(screening_request=theirs, assignee=other_nurse, actor=other_nurse)
    contact_attempt_log(
        screening_request=promised,
        actor=me,
        method="phone",
        outcome="voicemail",
        next_attempt_due=timezone.now() + timedelta(hours=4),
    )
    internal_note_create(screening_request=mine, author=me, text="Prefers afternoons.")
    old = internal_note_create(screening_request=mine, author=me, text="An old note.")
    InternalNote.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))

    response = reviewer_client.get(HANDOVER)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Confidential: patient health information." in page
    assert mine.reference in page and promised.reference in page
    assert theirs.reference not in page
    callbacks = page[page.index('id="callbacks-heading"') : page.index('id="open-heading"')]
    assert promised.reference in callbacks and mine.reference not in callbacks
    assert "Prefers afternoons." in page
    assert "An old note." not in page
    viewed = set(
        AuditEvent.objects.filter(
            action=AuditEvent.Action.VIEW, detail__startswith="hand-over page"
        ).values_list("reference", flat=True)
    )
    assert viewed == {mine.reference, promised.reference}


def test_the_team_hand_over_shows_everyone_and_notes_from_a_chosen_time(
    reviewer_client, reviewer, other_nurse, make_request
):
    me = reviewer[0]
    mine, theirs = make_request(), make_request()
    screening_request_assign(screening_request=mine, assignee=me, actor=me)
    screening_request_assign(screening_request=theirs, assignee=other_nurse, actor=other_nurse)
    note = internal_note_create(screening_request=theirs, author=other_nurse, text="Old call.")
    InternalNote.objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=3))
    since = timezone.localtime(timezone.now() - timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")

    page = reviewer_client.get(HANDOVER, {"nurse": "", "since": since}).content.decode()

    assert mine.reference in page and theirs.reference in page
    assert "Old call." in page
    assert "Hand-over: the whole team" in page
    assert AuditEvent.objects.filter(detail="hand-over page (the whole team)").count() == 2


@pytest.mark.parametrize("status", list(Status))
def test_a_request_is_handed_over_exactly_while_it_is_open(
    reviewer_client, reviewer, make_request, status
):
    screening_request = make_request()
    screening_request_assign(
        screening_request=screening_request, assignee=reviewer[0], actor=reviewer[0]
    )
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(status=status)

    page = reviewer_client.get(HANDOVER).content.decode()

    listed = page[page.index('id="open-heading"') :]
    assert (screening_request.reference in listed) == (status in ScreeningRequest.OPEN_STATUSES)


@pytest.mark.parametrize("query", [{"since": "yesterday-ish"}, {"nurse": "99999"}, {"nurse": "x"}])
def test_bad_input_gets_a_clear_message_not_an_error(reviewer_client, query):
    response = reviewer_client.get(HANDOVER, query)

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_the_hand_over_is_for_signed_in_staff_only(client):
    response = client.get(HANDOVER)

    assert response.status_code == 302
    assert response["Location"].startswith("/staff/login/")


def test_the_home_page_and_the_queue_link_to_the_hand_over(reviewer_client):
    assert HANDOVER in reviewer_client.get(ADMIN).content.decode()
    assert HANDOVER in reviewer_client.get("/staff/intake/screeningrequest/").content.decode()
