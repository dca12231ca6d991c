"""The review page as two nurses and a long call meet it: a save from a page someone else has
changed since is refused (naming who changed what), typed work survives a session that ended,
every status the page offers on an acute request is behind the protocol, and a failed attempt on
an acute request shows what to do next."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from core.staff_sessions import LAST_SEEN_AT, SIGNED_IN_AT
from intake.models import ContactAttempt, InternalNote, ScreeningRequest, UnsavedReview
from intake.staff import safety

from .support import LOGIN, change_url, review_post, staff_member, verified_session

Status = ScreeningRequest.Status
Outcome = ContactAttempt.Outcome


def _text(response) -> str:
    return " ".join(response.content.decode().split())


def _page_fields(response) -> dict[str, str]:
    """The review page's hidden version fields, as the browser would send them back."""
    page = response.content.decode()
    return {
        name: re.search(rf'name="{name}" value="([^"]*)"', page).group(1)
        for name in ("version", "opened_at")
    }


@pytest.fixture
def second_nurse():
    user, device = staff_member("reviewer", "lucia")
    return user, verified_session(Client(), user, device)


def test_a_save_from_a_page_changed_since_is_refused_naming_the_change_and_keeping_the_typing(
    reviewer_client, second_nurse, make_request
):
    screening_request = make_request()
    url = change_url(screening_request)
    mine = _page_fields(reviewer_client.get(url))
    _, lucia_client = second_nurse
    review_post(
        lucia_client,
        screening_request,
        attempt_method="phone",
        attempt_outcome="reached",
        status=Status.CONTACTED,
    )

    # The first nurse saves from her old page: status still "new", a stale "No answer" and a note.
    refused = reviewer_client.post(
        url,
        {
            **mine,
            "status": Status.IN_REVIEW,
            "assigned_to": "",
            "attempt_method": "phone",
            "attempt_outcome": "no_answer",
            "new_note": "Rang at 9; no answer.",
        },
    )

    assert refused.status_code == 200
    text = _text(refused)
    assert "Not saved: this request changed after you opened it" in text
    assert "lucia status: New to Contacted" in text
    assert "lucia Phone call: Reached the patient" in text
    assert "Rang at 9; no answer." in text  # her typing is kept
    form = refused.context["adminform"].form
    assert form["status"].value() == Status.CONTACTED  # the current value, not her stale one
    stored = ScreeningRequest.objects.get(pk=screening_request.pk)
    assert stored.status == Status.CONTACTED
    assert list(stored.contact_attempts.values_list("outcome", flat=True)) == [Outcome.REACHED]
    assert not InternalNote.objects.exists()

    # Saving the page as it now stands applies her note without undoing the other change.
    again = reviewer_client.post(
        url,
        {
            **_page_fields(refused),
            "status": Status.CONTACTED,
            "assigned_to": "",
            "new_note": "Rang at 9; no answer.",
        },
    )
    assert again.status_code == 302
    stored.refresh_from_db()
    assert stored.status == Status.CONTACTED
    assert InternalNote.objects.get().text == "Rang at 9; no answer."


def test_a_post_without_a_version_changes_nothing(reviewer_client, make_request):
    screening_request = make_request()

    response = reviewer_client.post(
        change_url(screening_request), {"status": Status.IN_REVIEW, "assigned_to": ""}
    )

    assert response.status_code == 200
    assert ScreeningRequest.objects.get(pk=screening_request.pk).status == Status.NEW


def test_the_change_history_says_from_which_status_to_which(reviewer_client, make_request):
    screening_request = make_request()
    review_post(reviewer_client, screening_request, status=Status.IN_REVIEW)

    history = _text(
        reviewer_client.get(change_url(screening_request).replace("change/", "history/"))
    )

    assert "Changed the status: New → In review." in history


def _end_session(client: Client) -> None:
    session = client.session
    session[LAST_SEEN_AT] = int(time.time() - 16 * 60)
    session[SIGNED_IN_AT] = int(time.time() - 3600)
    session.save()


def test_what_a_nurse_typed_survives_the_session_ending_and_is_saved_only_when_she_confirms(
    make_request,
):
    user, device = staff_member("reviewer", "amara")
    client = verified_session(Client(enforce_csrf_checks=True), user, device)
    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    url = change_url(acute)
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    typed = {
        "csrfmiddlewaretoken": token,
        **_page_fields(page),
        "status": Status.IN_REVIEW,
        "assigned_to": user.pk,
        "attempt_method": "phone",
        "attempt_outcome": "reached",
        "attempt_note": "Spoke for 16 minutes.",
        "new_note": "Safety plan talked through; on-call clinician told.",
    }
    _end_session(client)

    ended = client.post(url, typed, follow=True)

    assert ended.redirect_chain[-1][0].startswith(LOGIN)
    text = _text(ended)
    assert "signed out after 15 minutes" in text
    assert f"What you typed on {acute.reference} was not saved, but it is kept" in text
    kept = UnsavedReview.objects.get()
    assert (kept.user, kept.screening_request_id) == (user, acute.pk)
    assert "csrfmiddlewaretoken" not in kept.data
    assert not acute.contact_attempts.exists() and not InternalNote.objects.exists()

    # Signed in again, the page is filled in; nothing is saved until she presses Save.
    verified_session(client, user, device)
    back = client.get(url)
    back_text = _text(back)
    assert back_text.count("What you typed on this request was not saved yet") == 1
    assert "Safety plan talked through; on-call clinician told." in back_text
    assert "Spoke for 16 minutes." in back_text
    form = back.context["adminform"].form
    assert form["status"].value() == Status.IN_REVIEW
    assert not acute.contact_attempts.exists()

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', back.content.decode())
    saved = client.post(
        url,
        {
            **typed,
            "csrfmiddlewaretoken": token.group(1),
            **_page_fields(back),
        },
    )
    assert saved.status_code == 302
    assert acute.contact_attempts.get().outcome == Outcome.REACHED
    assert InternalNote.objects.count() == 1
    assert not UnsavedReview.objects.exists()


def test_typed_work_is_kept_for_that_person_and_that_request_only(make_request, reviewer_client):
    user, device = staff_member("reviewer", "amara")
    client = verified_session(Client(), user, device)
    first, second = make_request(), make_request()
    page = client.get(change_url(first))
    _end_session(client)
    client.post(
        change_url(first),
        {**_page_fields(page), "status": "new", "assigned_to": "", "new_note": "Private."},
    )

    assert UnsavedReview.objects.count() == 1
    assert "Private." not in reviewer_client.get(change_url(first)).content.decode()
    verified_session(client, user, device)
    assert "Private." not in client.get(change_url(second)).content.decode()
    assert "Private." in client.get(change_url(first)).content.decode()


def test_a_forged_post_without_the_csrf_token_is_not_kept(make_request):
    user, device = staff_member("reviewer", "amara")
    client = Client(enforce_csrf_checks=True)
    verified_session(client, user, device)
    screening_request = make_request()
    client.get(change_url(screening_request))
    _end_session(client)

    client.post(change_url(screening_request), {"status": "closed", "new_note": "forged"})

    assert not UnsavedReview.objects.exists()


def test_every_status_the_page_offers_on_an_acute_request_needs_the_protocol(
    reviewer_client, make_request
):
    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    page = reviewer_client.get(change_url(acute))
    offered = [value for value, _ in page.context["adminform"].form.fields["status"].choices]
    assert set(offered) - set(ScreeningRequest.UNANSWERED_STATUSES)

    for status in offered:
        response = review_post(
            reviewer_client, acute, status=status, attempt_method="phone", attempt_outcome="reached"
        )
        stored = ScreeningRequest.objects.get(pk=acute.pk)
        if status in ScreeningRequest.UNANSWERED_STATUSES:
            assert stored.status == status
        else:
            assert response.status_code == 200, status
            assert "confirm the protocol steps" in _text(response)
            assert stored.status in ScreeningRequest.UNANSWERED_STATUSES


def test_the_protocol_confirmed_in_the_same_save_as_the_call_and_the_note_moves_it_on(
    reviewer_client, make_request
):
    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    steps = safety.protocol_current().step_list()

    missing = review_post(reviewer_client, acute, status=Status.CONTACTED, protocol_steps=steps)
    text = _text(missing)
    assert "log the call as “Phone call: Reached the patient”" in text
    assert "add an internal note" in text

    done = review_post(
        reviewer_client,
        acute,
        status=Status.CONTACTED,
        protocol_steps=steps,
        attempt_method="phone",
        attempt_outcome="reached",
        new_note="Asked the acuity question; warm hand-off to 988 made.",
    )
    assert done.status_code == 302
    assert ScreeningRequest.objects.get(pk=acute.pk).status == Status.CONTACTED


def test_a_failed_attempt_on_an_acute_request_shows_the_next_steps_and_keeps_it_due_now(
    reviewer_client, make_request
):
    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    before = _text(reviewer_client.get(change_url(acute)))
    assert "what to do next" not in before

    review_post(reviewer_client, acute, attempt_method="phone", attempt_outcome="no_answer")

    page = _text(reviewer_client.get(change_url(acute)))
    assert "Not reached yet, and the patient may be in danger now: what to do next" in page
    assert "Leave a safe message" in page
    assert "Call now: overdue" in page or "Call now" in page
    attempt = acute.contact_attempts.get()
    assert attempt.next_attempt_due <= attempt.made_at + __import__("datetime").timedelta(seconds=5)
