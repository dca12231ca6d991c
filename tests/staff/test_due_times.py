"""Due times: fixed when a request arrives, from the clinic's business hours, days and holidays.

Defaults: 08:00-17:00 Pacific, Monday to Friday, US and Washington State holidays; routine and
needs-review requests within SCREENING_RESPONSE_TIME ("one business day": 9 business hours),
urgent within SCREENING_URGENT_BUSINESS_HOURS (2), acute at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from core.business_hours import add_business_time, response_allowance
from intake.due_times import due_at_for
from intake.models import ScreeningRequest

from .support import QUEUE, verified_session

PACIFIC = ZoneInfo("America/Los_Angeles")
URGENT = {"asq_wish_dead": "yes", "asq_now": "no"}
ACUTE = {"asq_wish_dead": "yes", "asq_now": "yes"}
Priority = ScreeningRequest.Priority


def pacific(*args) -> datetime:
    return datetime(*args, tzinfo=PACIFIC)


@pytest.mark.parametrize(
    ("answers", "arrives", "due"),
    [
        # Friday afternoon: 2 hours on Friday, the other 7 on Monday; the weekend does not count.
        ({}, pacific(2026, 12, 4, 15, 0), pacific(2026, 12, 7, 15, 0)),
        # Urgent on a Friday at 16:30: half an hour on Friday, an hour and a half on Monday.
        (URGENT, pacific(2026, 12, 4, 16, 30), pacific(2026, 12, 7, 9, 30)),
        # Before Thanksgiving: Thursday and the Friday after (Washington) are holidays.
        (URGENT, pacific(2026, 11, 25, 16, 0), pacific(2026, 11, 30, 9, 0)),
        # After closing time: the whole next business day.
        ({}, pacific(2026, 12, 1, 17, 30), pacific(2026, 12, 2, 17, 0)),
        # On a Saturday: from Monday's opening.
        (
            {"health_conditions": ["heart"]},
            pacific(2026, 12, 5, 11, 0),
            pacific(2026, 12, 7, 17, 0),
        ),
        # Acute: at once, whatever the day or hour.
        (ACUTE, pacific(2026, 12, 5, 23, 15), pacific(2026, 12, 5, 23, 15)),
    ],
)
def test_a_request_is_due_by_the_time_its_priority_allows_in_business_hours(
    make_request, answers, arrives, due
):
    with time_machine.travel(arrives, tick=False):
        screening_request = make_request(**answers)

    assert screening_request.due_at == due
    screening_request.refresh_from_db()
    assert screening_request.due_at == due


def test_the_promise_to_patients_and_the_due_time_come_from_one_setting(settings):
    arrives = pacific(2026, 12, 1, 9, 0)

    settings.SCREENING_RESPONSE_TIME = "two business days"
    assert due_at_for(priority=Priority.ROUTINE, received_at=arrives) == pacific(2026, 12, 3, 9, 0)
    settings.SCREENING_RESPONSE_TIME = "4 business hours"
    assert response_allowance().total_seconds() == 4 * 3600
    settings.SCREENING_RESPONSE_TIME = "soon"
    with pytest.raises(ImproperlyConfigured, match="SCREENING_RESPONSE_TIME"):
        response_allowance()


def test_business_hours_days_and_holidays_come_from_settings(settings):
    settings.CLINIC_BUSINESS_HOURS = "09:00-12:00"
    settings.CLINIC_BUSINESS_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat"]
    settings.CLINIC_HOLIDAYS = "off"

    # Thanksgiving counts when holidays are off; Saturday is open; 3-hour days.
    assert add_business_time(pacific(2026, 11, 26, 11, 0), timedelta(hours=2)) == pacific(
        2026, 11, 27, 10, 0
    )
    assert add_business_time(pacific(2026, 12, 5, 11, 30), timedelta(hours=1)) == pacific(
        2026, 12, 7, 9, 30
    )


def test_the_queue_marks_a_request_overdue_once_its_due_time_passes(reviewer, make_request):
    with time_machine.travel(pacific(2026, 12, 4, 16, 30), tick=False):
        screening_request = make_request(**URGENT)  # due Monday 09:30
    with time_machine.travel(pacific(2026, 12, 7, 9, 29)):
        page = verified_session(Client(), *reviewer).get(QUEUE).content.decode()
        assert "due-overdue" not in page
    with time_machine.travel(pacific(2026, 12, 7, 9, 31)):
        overdue = verified_session(Client(), *reviewer).get(QUEUE + "?due=overdue")
        assert [r.reference for r in overdue.context["cl"].result_list] == [
            screening_request.reference
        ]
        assert 'class="due-badge due-overdue">Overdue' in overdue.content.decode()
