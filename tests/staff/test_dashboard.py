"""The admin home page: counts by status and priority, and the oldest unanswered urgent request."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from intake.models import ScreeningRequest

from .support import ADMIN, change_url

URGENT = {"asq_wish_dead": "yes", "asq_now": "no"}


@pytest.fixture(autouse=True)
def clinic_clock():
    """A stopped clock at a fixed weekday morning: requests made together share a due time, so
    which is "oldest" does not depend on whether the suite runs in business hours."""
    moment = datetime.datetime(2026, 12, 9, 10, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    with time_machine.travel(moment, tick=False) as clock:
        yield clock


def _summary(client) -> str:
    page = client.get(ADMIN).content.decode()
    start = page.index('id="queue-summary-heading"')
    return " ".join(page[start : page.index("</section>", start)].split())


def _hours_ago(screening_request, hours: float) -> None:
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        received_at=timezone.now() - datetime.timedelta(hours=hours)
    )


def test_the_home_page_names_the_oldest_unanswered_urgent_request(reviewer_client, make_request):
    newer, older, answered = make_request(**URGENT), make_request(**URGENT), make_request(**URGENT)
    _hours_ago(newer, 2)
    _hours_ago(older, 9)
    _hours_ago(answered, 30)
    ScreeningRequest.objects.filter(pk=answered.pk).update(status="contacted")

    summary = _summary(reviewer_client)

    assert f'<a href="{change_url(older)}">{older.reference}</a>' in summary
    assert newer.reference not in summary
    assert answered.reference not in summary


def test_the_home_page_counts_requests_by_status_and_priority(reviewer_client, make_request):
    make_request(**URGENT)
    make_request(**URGENT)
    make_request(health_conditions=["liver"])
    closed = make_request()
    ScreeningRequest.objects.filter(pk=closed.pk).update(status="closed")

    summary = _summary(reviewer_client)

    new_row = summary[summary.index('<th scope="row">New</th>') :].split("</tr>")[0]
    # Acute, urgent, needs review, routine, all.
    assert re.findall(r"<td>\s*(?:<a [^>]*>)?(\d+)", new_row) == ["0", "2", "1", "0", "3"]
    assert "?status=closed&amp;priority__exact=3" in summary
    assert "No request is waiting" not in summary


def test_with_nothing_urgent_the_home_page_says_so(reviewer_client, make_request):
    make_request()

    make_request()
    ScreeningRequest.objects.update(status="contacted")

    assert "No request is waiting for an answer." in _summary(reviewer_client)


def test_only_a_manager_is_offered_the_purge_of_requests_past_retention(
    reviewer_client, manager_client, make_request
):
    screening_request = make_request()
    ScreeningRequest.objects.filter(pk=screening_request.pk).update(
        status="closed", status_changed_at=timezone.now() - datetime.timedelta(days=800)
    )

    assert "past the retention period" in _summary(manager_client)
    assert "past the retention period" not in _summary(reviewer_client)


def test_the_home_page_counts_acute_overdue_and_due_today_and_the_median_first_contact(
    reviewer_client, reviewer, make_request, clinic_clock
):
    from intake.staff.safety import contact_attempt_log

    acute = make_request(asq_wish_dead="yes", asq_now="yes")
    late = make_request()
    ScreeningRequest.objects.filter(pk=late.pk).update(
        due_at=timezone.now() - datetime.timedelta(hours=1)
    )
    quick, slow = make_request(), make_request()
    for screening_request, hours in [(quick, 2), (slow, 6)]:
        _hours_ago(screening_request, hours)
        contact_attempt_log(
            screening_request=screening_request,
            actor=reviewer[0],
            method="phone",
            outcome="reached",
        )
    clinic_clock.shift(datetime.timedelta(minutes=1))

    summary = _summary(reviewer_client)

    assert re.search(r"<strong>1</strong> <a [^>]*>acute: call now</a>", summary)
    # The acute request is due at once, so it is overdue too.
    assert re.search(r"<strong>2</strong> <a [^>]*>overdue</a>", summary)
    assert "<strong>4 h 00 min</strong> median time from request to first contact" in summary
    # The most pressing request is named first: the acute one, overdue since it arrived.
    pressing = re.search(
        r"Most pressing unanswered request:</strong>\s*<a [^>]*>([^<]+)</a>", summary
    )
    assert pressing and pressing.group(1) == acute.reference
    assert "Call now: overdue" in summary


def test_the_chart_is_an_svg_drawn_on_the_server_with_its_numbers_in_a_table(
    reviewer_client, make_request
):
    make_request()
    make_request()

    summary = _summary(reviewer_client)

    assert '<svg class="dashboard-chart"' in summary
    assert summary.count('<rect class="bar-received"') == 30
    assert "2 received, 0 contacted" in summary
    assert "style=" not in summary and "<script" not in summary
