"""The clinic's working time: its business hours, days and holidays, and the reply time promised.

The promise patients read (`SCREENING_RESPONSE_TIME`, e.g. "one business day") is the same setting
a request's due time is computed from (`intake.due_times`), so the page and the queue cannot
disagree. Everything happens in the clinic's time zone (`CLINIC_TIME_ZONE`); holidays come from the
`holidays` package (`CLINIC_HOLIDAYS`, e.g. "US-WA" for United States federal and Washington State
holidays).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import get_language, gettext, ngettext

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip
_RESPONSE_RE = re.compile(r"^\s*(\w+)\s+business\s+(day|hour)s?\s*$", re.IGNORECASE)
_HOURS_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.CLINIC_TIME_ZONE)


def business_hours() -> tuple[time, time]:
    """Opening and closing time, from `CLINIC_BUSINESS_HOURS` ("08:00-17:00")."""
    match = _HOURS_RE.match(settings.CLINIC_BUSINESS_HOURS)
    if not match:
        raise ImproperlyConfigured(
            "CLINIC_BUSINESS_HOURS must look like 08:00-17:00, "
            f"not {settings.CLINIC_BUSINESS_HOURS!r}"
        )
    h1, m1, h2, m2 = map(int, match.groups())
    opens, closes = time(h1, m1), time(h2, m2)
    if closes <= opens:
        raise ImproperlyConfigured("CLINIC_BUSINESS_HOURS must close after it opens.")
    return opens, closes


def business_weekdays() -> frozenset[int]:
    """Open weekdays (Monday is 0), from `CLINIC_BUSINESS_DAYS` ("mon,tue,wed,thu,fri")."""
    days = set()
    for name in settings.CLINIC_BUSINESS_DAYS:
        key = name.strip().lower()[:3]
        if key not in _DAY_NAMES:
            raise ImproperlyConfigured(f"CLINIC_BUSINESS_DAYS: {name!r} is not a weekday name.")
        days.add(_DAY_NAMES.index(key))
    return frozenset(days)


@lru_cache(maxsize=8)
def _holiday_calendar(spec: str, year: int) -> holidays.HolidayBase | dict:
    if spec.strip().lower() in {"", "off", "none"}:
        return {}
    country, _, subdivision = spec.partition("-")
    return holidays.country_holidays(country, subdiv=subdivision or None, years=year)


def is_holiday(day: date) -> bool:
    return day in _holiday_calendar(settings.CLINIC_HOLIDAYS, day.year)


def is_business_day(day: date) -> bool:
    return day.weekday() in business_weekdays() and not is_holiday(day)


def business_day_length() -> timedelta:
    opens, closes = business_hours()
    return datetime.combine(date.min, closes) - datetime.combine(date.min, opens)


def response_allowance(text: str | None = None) -> timedelta:
    """Business time promised by `SCREENING_RESPONSE_TIME`: "one business day", "2 business days",
    "4 business hours". A business day is the length of the clinic's business hours."""
    count, unit = _response_time(text)
    if unit == "day":
        return count * business_day_length()
    return timedelta(hours=count)


def response_time_words() -> str:
    """The promise as patients read it: the setting's own words in English, translated otherwise."""
    if get_language() == settings.LANGUAGE_CODE:
        return settings.SCREENING_RESPONSE_TIME
    count, unit = _response_time()
    if count == 1:
        # In words, as a sentence says it: "un día hábil", not "1 día hábil".
        return gettext("one business day") if unit == "day" else gettext("one business hour")
    if unit == "day":
        return ngettext("%(count)d business day", "%(count)d business days", count) % {
            "count": count
        }
    return ngettext("%(count)d business hour", "%(count)d business hours", count) % {"count": count}


def _response_time(text: str | None = None) -> tuple[int, str]:
    text = settings.SCREENING_RESPONSE_TIME if text is None else text
    match = _RESPONSE_RE.match(text)
    count_word = match.group(1).lower() if match else ""
    count = int(count_word) if count_word.isdigit() else _NUMBER_WORDS.get(count_word)
    if not match or not count:
        raise ImproperlyConfigured(
            "SCREENING_RESPONSE_TIME must say a number of business days or hours, e.g. "
            f"'one business day' or '4 business hours', not {text!r}."
        )
    return count, match.group(2).lower()


def add_business_time(start: datetime, allowance: timedelta) -> datetime:
    """`start` plus `allowance` counted only inside business hours, in the clinic's time zone.

    Time outside business hours does not count: a request at 16:00 with 2 business hours left is
    due at 09:00 on the next business day (with 08:00-17:00 hours).
    """
    zone = clinic_zone()
    opens, closes = business_hours()
    moment = start.astimezone(zone)
    remaining = allowance
    for _ in range(3660):  # ten years of days: a configuration with no business day stops here
        day = moment.date()
        day_open = datetime.combine(day, opens, tzinfo=zone)
        day_close = datetime.combine(day, closes, tzinfo=zone)
        if is_business_day(day) and moment < day_close:
            moment = max(moment, day_open)
            left_today = day_close - moment
            if remaining <= left_today:
                return moment + remaining
            remaining -= left_today
        moment = datetime.combine(day + timedelta(days=1), opens, tzinfo=zone)
    raise ImproperlyConfigured("No business day found: check CLINIC_BUSINESS_DAYS.")


def clinic_day_bounds(moment: datetime) -> tuple[datetime, datetime]:
    """The start and end of the clinic's calendar day holding `moment`."""
    zone = clinic_zone()
    day = moment.astimezone(zone).date()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, start + timedelta(days=1)
