"""The work queue: the screening requests changelist, its default view, filters and search."""

from __future__ import annotations

import datetime
import re
from urllib.parse import quote, quote_plus, unquote_plus
from zoneinfo import ZoneInfo

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from core.audit import audit_record_queue_view, queue_view_references
from core.models import AuditEvent
from intake.models import ScreeningRequest
from intake.staff.admin import ScreeningRequestAdmin

from .support import QUEUE, verified_session

SEARCH = QUEUE + "search/"

Status = ScreeningRequest.Status
URGENT = {"asq_wish_dead": "yes", "asq_now": "no"}
PACIFIC = ZoneInfo("America/Los_Angeles")


@pytest.fixture(autouse=True)
def clinic_clock():
    """A stopped clock at a fixed weekday morning, so due times, "today" and the order of requests
    made together do not depend on when the suite runs (business hours or not, end of the day)."""
    with time_machine.travel(datetime.datetime(2026, 12, 9, 10, 0, tzinfo=PACIFIC), tick=False):
        yield


def _received(screening_request, *, hours_ago: float) -> None:
    moment = timezone.now() - datetime.timedelta(hours=hours_ago)
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(received_at=moment)


def _queue(client, query: str = "") -> list[str]:
    response = client.get(QUEUE + query)
    assert response.status_code == 200
    return [r.reference for r in response.context["cl"].result_list]


@pytest.fixture
def queue(make_request):
    """An old routine request, a newer and an older urgent one, one needing review, one closed."""
    old_routine = make_request()
    new_urgent = make_request(**URGENT)
    old_urgent = make_request(**URGENT)
    review = make_request(health_conditions=["heart"], zip_code="99201")
    closed = make_request()
    for screening_request, hours in [
        (old_routine, 50),
        (new_urgent, 1),
        (old_urgent, 30),
        (review, 10),
        (closed, 70),
    ]:
        _received(screening_request, hours_ago=hours)
    ScreeningRequest.objects.filter(pk=closed.pk).update(status=Status.CLOSED)
    return {
        "old_routine": old_routine.reference,
        "new_urgent": new_urgent.reference,
        "old_urgent": old_urgent.reference,
        "review": review.reference,
        "closed": closed.reference,
    }


def _due(screening_request, *, hours_from_now: float) -> None:
    moment = timezone.now() + datetime.timedelta(hours=hours_from_now)
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(due_at=moment)


def test_the_queue_shows_acute_first_then_overdue_then_by_due_time(reviewer_client, make_request):
    routine_later = make_request()
    urgent_soon = make_request(**URGENT)
    routine_overdue = make_request()
    urgent_overdue = make_request(**URGENT)
    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    for screening_request, hours in [
        (routine_later, 5),
        (urgent_soon, 1),
        (routine_overdue, -1),
        (urgent_overdue, -2),
        (acute, 0.5),
    ]:
        _due(screening_request, hours_from_now=hours)

    assert _queue(reviewer_client) == [
        acute.reference,
        urgent_overdue.reference,
        routine_overdue.reference,
        urgent_soon.reference,
        routine_later.reference,
    ]


def test_each_row_says_who_how_to_call_why_by_when_and_who_has_it(
    reviewer_client, reviewer, make_request
):
    heart = make_request(
        health_conditions=["not_sure"],
        health_not_sure=["heart"],
        contact_time="morning",
        zip_code="99201",
    )
    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    ScreeningRequest.objects.filter(pk=heart.pk).update(assigned_to=reviewer[0])
    _due(heart, hours_from_now=-3)

    response = reviewer_client.get(QUEUE)
    page = " ".join(response.content.decode().split())

    assert f"{heart.first_name} {heart.last_name}" in page
    digits = heart.phone.removeprefix("+1")
    national = f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    assert f'<a class="queue-phone" href="tel:{heart.phone}">{national}</a>' in page
    assert "Phone call, morning (8 am to noon)" in page
    assert "Heart condition: not sure" in page
    assert "Outside service area" in page
    assert "Suicide risk: thoughts right now" in page
    assert '<span class="priority-badge priority-acute">Acute: call now</span>' in page
    assert "Call now" in page and "Overdue" in page
    assert "No attempt yet" in page
    assert "reviewer-one" in page
    # One date format, in the clinic's time zone.
    local = timezone.localtime(heart.received_at)
    assert local.strftime("%a, %b ") + str(local.day) in page
    assert page.index(acute.reference) < page.index(heart.reference)


def test_each_queue_page_view_is_one_audit_event_listing_the_references_without_names(
    reviewer_client, reviewer, make_request
):
    first, second = make_request(), make_request()

    response = reviewer_client.get(QUEUE)

    shown = [r.reference for r in response.context["cl"].result_list]
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert queue_view_references(event) == shown
    assert sorted(shown) == sorted([first.reference, second.reference])
    assert event.detail == "listed in the work queue: " + ", ".join(shown)
    assert event.reference == ""
    assert event.actor == reviewer[0]
    for name in (first.first_name, first.last_name, second.first_name, second.last_name):
        assert not AuditEvent.objects.filter(detail__icontains=name).exists()


def test_every_queue_page_is_its_own_event_naming_only_the_requests_on_it(
    reviewer_client, make_request
):
    for _ in range(43):
        make_request()

    first_page = _queue(reviewer_client)
    second_page = _queue(reviewer_client, "?p=2")
    _queue(reviewer_client, "?p=2")

    events = list(AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).order_by("pk"))
    assert len(first_page) == 40 and len(second_page) == 3
    assert [queue_view_references(e) for e in events] == [first_page, second_page, second_page]


def test_a_full_queue_page_of_references_fits_in_one_audit_event(reviewer):
    page = ScreeningRequestAdmin.list_per_page
    assert ScreeningRequestAdmin.list_max_show_all <= page

    event = audit_record_queue_view(actor=reviewer[0], references=["ABCD-EFGH"] * page)

    assert queue_view_references(event) == ["ABCD-EFGH"] * page


def test_a_queue_view_that_shows_nobody_records_nothing(reviewer_client, make_request):
    make_request()

    _queue(reviewer_client, "?status=closed")

    assert not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "clock",
    [(10, 0), (16, 30), (23, 58)],
    ids=["morning", "past-midnight-utc", "last-minutes-of-the-day"],
)
def test_the_overdue_due_today_mine_and_unassigned_filters(reviewer, make_request, clock):
    now = datetime.datetime(2026, 12, 9, *clock, tzinfo=PACIFIC)
    with time_machine.travel(now, tick=False):
        client = verified_session(Client(), *reviewer)
        overdue, later_today, tomorrow, mine = (make_request() for _ in range(4))
        end_of_day = now.replace(hour=23, minute=59)
        for screening_request, due_at in [
            (overdue, now - datetime.timedelta(minutes=1)),
            (later_today, end_of_day),
            (tomorrow, end_of_day + datetime.timedelta(hours=2)),
            (mine, end_of_day + datetime.timedelta(days=3)),
        ]:
            ScreeningRequest.objects.filter(pk=screening_request.pk).update(due_at=due_at)
        ScreeningRequest.objects.filter(pk=mine.pk).update(assigned_to=reviewer[0])

        assert _queue(client, "?due=overdue") == [overdue.reference]
        assert later_today.reference in _queue(client, "?due=today")
        assert tomorrow.reference not in _queue(client, "?due=today")
        assert _queue(client, "?assigned=me") == [mine.reference]
        assert mine.reference not in _queue(client, "?assigned=nobody")
        assert len(_queue(client, "?assigned=nobody")) == 3


def test_the_status_filter_shows_one_status_or_all(reviewer_client, queue):
    assert _queue(reviewer_client, "?status=closed") == [queue["closed"]]
    assert len(_queue(reviewer_client, "?status=all")) == 5
    assert _queue(reviewer_client, "?status=open") == _queue(reviewer_client)


def test_the_priority_filter(reviewer_client, queue):
    assert _queue(reviewer_client, "?priority__exact=1") == [
        queue["old_urgent"],
        queue["new_urgent"],
    ]


def test_the_flag_filter(reviewer_client, queue):
    assert _queue(reviewer_client, "?flag=heart") == [queue["review"]]
    assert set(_queue(reviewer_client, "?flag=asq_positive")) == {
        queue["old_urgent"],
        queue["new_urgent"],
    }


def test_the_service_area_filter(reviewer_client, queue):
    assert _queue(reviewer_client, "?in_service_area__exact=0") == [queue["review"]]
    assert queue["review"] not in _queue(reviewer_client, "?in_service_area__exact=1")


def test_the_assigned_filter_finds_mine_and_nobodys(reviewer_client, reviewer, queue):
    user, _device = reviewer
    ScreeningRequest.objects.filter(reference=queue["old_routine"]).update(assigned_to=user)

    assert _queue(reviewer_client, "?assigned=me") == [queue["old_routine"]]
    assert queue["old_routine"] not in _queue(reviewer_client, "?assigned=nobody")
    assert len(_queue(reviewer_client, "?assigned=nobody")) == 3


def test_the_received_date_filter_and_hierarchy(reviewer_client, queue):
    now = timezone.localtime()
    since = (now - datetime.timedelta(hours=20)).isoformat()
    recent = _queue(reviewer_client, f"?received_at__gte={since.replace('+', '%2B')}")
    # The day the newest request arrived (not "today": just after midnight that is yesterday).
    day = timezone.localtime(
        ScreeningRequest.objects.get(reference=queue["new_urgent"]).received_at
    )
    today = _queue(
        reviewer_client,
        f"?received_at__year={day.year}&received_at__month={day.month}&received_at__day={day.day}",
    )

    assert recent == [queue["new_urgent"], queue["review"]]
    assert queue["new_urgent"] in today
    assert queue["old_routine"] not in today


def _search(client, term: str, **filters: str):
    """Search through the queue's search form, which posts; return the queue page it leads to."""
    redirect = client.post(SEARCH, {"q": term, **filters})
    assert redirect.status_code == 302
    response = client.get(redirect["Location"])
    assert response.status_code == 200
    return redirect, response


def _found(response) -> list[str]:
    return [r.reference for r in response.context["cl"].result_list]


def _assert_nowhere(values: list[str], redirect, response) -> None:
    """None of the values, raw or URL-encoded, is in the redirect or in any URL or field value.

    The queue rows themselves show names and phone numbers (and tel: links to call them); what
    must never hold them is an address of this site, which browsers and proxies keep.
    """
    page = response.content.decode()
    links = [
        link
        for link in re.findall(r'(?:href|action|value)="([^"]*)"', page)
        if not link.startswith("tel:")
    ]
    assert links
    for value in values:
        for spelling in {value, value.lower(), quote(value, safe=""), quote_plus(value)}:
            assert spelling not in redirect["Location"]
            assert not [link for link in links if spelling in unquote_plus(link)]


def test_search_finds_a_request_by_its_reference_however_it_is_typed(reviewer_client, queue):
    reference = queue["review"]

    assert _queue(reviewer_client, f"?q={reference}") == [reference]
    assert _queue(reviewer_client, f"?q={reference.replace('-', '').lower()}") == [reference]


def test_the_search_form_takes_a_reference_to_the_queue_showing_it(reviewer_client, queue):
    reference = queue["review"]

    redirect, response = _search(reviewer_client, reference.replace("-", " ").lower())

    assert redirect["Location"] == f"{QUEUE}?q={reference}"
    assert _found(response) == [reference]
    assert f'value="{reference}"' in response.content.decode()


def test_search_finds_a_request_by_its_exact_email_and_no_url_holds_it(reviewer_client, queue):
    stored = ScreeningRequest.objects.get(reference=queue["review"])

    redirect, response = _search(reviewer_client, stored.email.upper())

    assert _found(response) == [queue["review"]]
    assert redirect["Location"].startswith(f"{QUEUE}?q=idx%3A")
    _assert_nowhere([stored.email, stored.email.upper()], redirect, response)
    page = response.content.decode()
    search_box = re.search(r'<input[^>]*id="searchbar"[^>]*>', page).group(0)
    assert 'value=""' in search_box
    assert "exactly the e-mail address or phone number you searched" in page


def test_search_finds_a_request_by_its_phone_number_in_any_spelling_and_no_url_holds_it(
    reviewer_client, queue
):
    stored = ScreeningRequest.objects.get(reference=queue["review"])
    digits = stored.phone.removeprefix("+1")
    spellings = [f"({digits[:3]}) {digits[3:6]}-{digits[6:]}", digits, stored.phone]

    for spelling in spellings:
        redirect, response = _search(reviewer_client, spelling)

        assert _found(response) == [queue["review"]]
        _assert_nowhere([*spellings, stored.email], redirect, response)


@pytest.mark.parametrize("partial", ["demo.patient04", "example.org", "patient04@example"])
def test_search_never_matches_part_of_an_email(reviewer_client, queue, partial):
    redirect, response = _search(reviewer_client, partial)

    page = response.content.decode()
    if partial == "demo.patient04":  # neither an address, a number nor a name: nothing searched
        assert "Nothing was searched" in page
        assert " found (" not in page  # the queue below is not a result
    else:
        assert _found(response) == []
    assert quote(partial, safe="") not in redirect["Location"]
    assert partial not in redirect["Location"]


@pytest.mark.parametrize("partial", ["0104", "555-0104", "5550104", "(206) 555-01 04"])
def test_the_last_four_digits_or_more_of_a_phone_find_its_requests_and_say_how(
    reviewer_client, queue, partial
):
    redirect, response = _search(reviewer_client, partial)

    stored = ScreeningRequest.objects.get(reference=queue["review"])
    assert stored.phone.endswith("0104")
    found = _found(response)
    if "206" in partial:  # a whole number is searched exactly
        assert found == [queue["review"]]
    else:
        assert queue["review"] in found
        assert all(ScreeningRequest.objects.get(reference=r).phone.endswith("0104") for r in found)
        assert "ends in the last 4 digits you searched" in response.content.decode()
    assert redirect["Location"].startswith(f"{QUEUE}?q=")
    assert "0104" not in redirect["Location"]


@pytest.mark.parametrize("short", ["104", "04", "5"])
def test_fewer_than_four_digits_search_nothing_and_say_so(reviewer_client, queue, short):
    redirect, response = _search(reviewer_client, short)

    assert "q=" not in redirect["Location"]
    page = response.content.decode()
    assert "Nothing was searched" in page
    assert " found (" not in page


def test_an_email_typed_into_the_address_bar_finds_nothing(reviewer_client, queue):
    stored = ScreeningRequest.objects.get(reference=queue["review"])

    assert _queue(reviewer_client, f"?q={quote(stored.email)}&status=all") == []
    assert _queue(reviewer_client, f"?q={stored.phone.removeprefix('+1')}&status=all") == []


def test_a_search_keeps_the_queues_other_filters_and_starts_on_page_one(reviewer_client, queue):
    stored = ScreeningRequest.objects.get(reference=queue["review"])

    redirect, response = _search(reviewer_client, stored.email, flag="asq_positive", p="2")
    assert "flag=asq_positive" in redirect["Location"]
    assert "p=2" not in redirect["Location"]
    assert _found(response) == []

    _redirect, response = _search(reviewer_client, stored.email, flag="heart")
    assert _found(response) == [queue["review"]]


def test_the_search_form_posts_with_a_csrf_token_and_the_search_url_takes_only_posts(
    reviewer_client, queue
):
    page = reviewer_client.get(QUEUE).content.decode()
    form = page[page.index('<form id="changelist-search"') :]
    form = form[: form.index("</form>")]

    assert 'method="post"' in form
    assert f'action="{SEARCH}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert reviewer_client.get(SEARCH, {"q": "someone@example.org"}).status_code == 405


def test_search_finds_closed_requests_too_unless_a_status_is_chosen(reviewer_client, queue):
    reference = queue["closed"]

    assert _queue(reviewer_client, f"?q={reference}") == [reference]
    assert _queue(reviewer_client, f"?q={reference}&status=open") == []


def test_search_finds_a_patient_by_exact_last_name_and_birth_date_and_says_so(
    reviewer_client, make_request
):
    rivera = make_request(last_name="De la Rivera", date_of_birth="1980-03-27")
    make_request(last_name="De la Rivera", date_of_birth="1980-03-28")
    make_request(last_name="Rivera", date_of_birth="1980-03-27")

    for term in ["de la rivera 03/27/1980", "DE LA RIVERA 1980-03-27", "Dela-Rivera 3/27/1980"]:
        redirect, response = _search(reviewer_client, term)

        assert _found(response) == [rivera.reference]
        assert redirect["Location"].startswith(f"{QUEUE}?q=name%3A")
        _assert_nowhere(["Rivera", "rivera", "1980"], redirect, response)
        page = response.content.decode()
        assert "exactly the last name and date of birth you searched" in page
        assert "e-mail address or phone number you searched" not in page


def test_a_surname_alone_finds_it_by_sound_with_a_did_you_mean_and_a_count_that_agrees(
    reviewer_client, make_request
):
    patient = make_request(last_name="Patient")
    rivera = make_request(last_name="Rivera")
    make_request(last_name="Smith")

    for typed, expected in [
        ("Patiant", [patient.reference]),
        ("patient", [patient.reference]),
        ("Pattient", [patient.reference]),
        ("Riviera", [rivera.reference]),
        ("RIVERA", [rivera.reference]),
    ]:
        redirect, response = _search(reviewer_client, typed)

        assert _found(response) == expected, typed
        assert redirect["Location"].startswith(f"{QUEUE}?q=sound%3A")
        _assert_nowhere([typed, typed.lower(), "Patient", "Rivera"], redirect, response)
        page = response.content.decode()
        assert "Did you mean one of these?" in page
        assert f"{len(expected)} found" in page
        assert "Nothing was searched" not in page


def test_a_surname_that_sounds_like_nobody_says_so_and_counts_none(reviewer_client, make_request):
    make_request(last_name="Rivera")

    _redirect, response = _search(reviewer_client, "Zyx")

    page = response.content.decode()
    assert _found(response) == []
    assert "0 found" in page
    assert "No surname sounds like the one you searched" in page


def test_an_address_bar_sound_search_with_a_bad_digest_finds_nothing(reviewer_client, queue):
    assert _queue(reviewer_client, "?q=sound:nothex&status=all") == []
    assert _queue(reviewer_client, "?q=tail:" + "0" * 63 + "&status=all") == []


def test_a_full_queue_page_decrypts_its_forty_rows_in_a_few_queries(
    reviewer_client, make_request, django_assert_max_num_queries
):
    for _ in range(40):
        make_request(health_conditions=["not_sure"], health_not_sure=["heart"])

    # Session, user, device, counts, the rows with their last attempts, the audit events...
    with django_assert_max_num_queries(20):
        response = reviewer_client.get(QUEUE)

    assert len(response.context["cl"].result_list) == 40
    assert response.content.decode().count("Heart condition: not sure") == 40


def test_a_column_heading_still_sorts_the_queue(reviewer_client, make_request):
    first, second = make_request(), make_request()
    _due(first, hours_from_now=5)
    _due(second, hours_from_now=1)

    response = reviewer_client.get(QUEUE + "?o=-4")

    assert [r.reference for r in response.context["cl"].result_list] == [
        first.reference,
        second.reference,
    ]


def test_a_request_made_in_spanish_says_so_in_its_row(reviewer_client, make_request):
    spanish = make_request(language="es")
    english = make_request()

    rows = {
        row.select_one(".queue-ref").get_text(strip=True): row
        for row in BeautifulSoup(reviewer_client.get(QUEUE).content, "html.parser").select(
            "#result_list tbody tr"
        )
    }

    assert rows[spanish.reference].select_one(".queue-language").get_text() == "Spanish"
    assert rows[english.reference].select_one(".queue-language") is None


def test_a_compound_or_accented_surname_is_found_by_either_word_however_it_is_typed(
    reviewer_client, make_request
):
    gomez = make_request(last_name="Gómez-Patient")
    make_request(last_name="Smith")

    for typed in ["Gomez", "Gómez", "Gomes", "Patient", "gomez patient", "GÓMEZ-PATIENT"]:
        redirect, response = _search(reviewer_client, typed)

        assert _found(response) == [gomez.reference], typed
        _assert_nowhere([typed, "Gómez", "Gomez"], redirect, response)
