"""Recurrence rules for feedback schedules, in the manager's wall-clock time.

Our own small rule on zoneinfo rather than APScheduler triggers: the rules are few (weekly,
every 2 weeks, monthly on the n-th or last weekday), must be pure functions that tests can walk
over two years, and the database (not a trigger object) holds the schedule.

- Dates are stepped as calendar dates, then joined with the time in the zone: 09:00 stays 09:00
  across DST, and "every 2 weeks" is "first date + 14k days", never an ISO week parity (2026 has
  53 ISO weeks, so parity would flip at the year end).
- A time that does not exist on a spring-forward day (02:30 in Berlin) moves forward by the gap
  (03:30; a gap just before midnight can carry it into the next day: 23:30 in Nuuk at 00:30); an
  ambiguous time on a fall-back day is sent once, the first of the two (fold=0). A send moved off
  a day off keeps the chosen time, not the moved one (Calendar.shift's `at`).
  tests/unit/test_recurrence_properties.py holds this in every zone over five years.
- Monthly: the weekday of the first date and its week of the month ("second Tuesday"). A first
  date in the fifth week can only mean "last" (most months have no fifth Tuesday); a first date in
  the fourth week that is also the month's last such weekday may mean either, so the modal offers
  both and "last" is the default (see monthly_choices()).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from slackapp.kernel.zones import exact

WEEKLY = "weekly"
EVERY_2_WEEKS = "every_2_weeks"
MONTHLY = "monthly"
LAST = -1  # monthly_week for "the last <weekday> of the month"


@dataclass(frozen=True)
class Rule:
    tz: str
    first_date: date
    time_of_day: time
    repeat: str  # weekly | every_2_weeks | monthly
    monthly_week: int | None = None  # 1..4, or LAST; monthly only

    @property
    def zone(self) -> ZoneInfo:
        return exact(self.tz)


def week_of_month(day: date) -> int:
    return (day.day - 1) // 7 + 1


def is_last_weekday_of_month(day: date) -> bool:
    return day.day + 7 > calendar.monthrange(day.year, day.month)[1]


def monthly_choices(first_date: date) -> list[int]:
    """The monthly rules a first date can mean, the default first."""
    week = week_of_month(first_date)
    if week >= 5:
        return [LAST]
    if is_last_weekday_of_month(first_date):
        return [LAST, week]
    return [week]


def default_monthly_week(first_date: date) -> int:
    return monthly_choices(first_date)[0]


def nth_weekday(year: int, month: int, weekday: int, week: int) -> date:
    """The `week`-th (or LAST) `weekday` of a month."""
    if week == LAST:
        last_day = calendar.monthrange(year, month)[1]
        day = date(year, month, last_day)
        return day - timedelta(days=(day.weekday() - weekday) % 7)
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


def local_datetime(day: date, at: time, tz: str) -> datetime:
    """The instant (UTC) of a wall-clock time in a zone, with the DST rules documented above."""
    zone = exact(tz)
    naive = datetime.combine(day, at.replace(tzinfo=None))
    utc = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    # A gap time (spring forward) round-trips to a different wall time: that is the moved time.
    return utc


def _dates_from(rule: Rule, index: int) -> Iterator[date]:
    """Occurrence dates from the `index`-th on (0 is the first date)."""
    if rule.repeat in (WEEKLY, EVERY_2_WEEKS):
        step = 7 if rule.repeat == WEEKLY else 14
        while True:
            yield rule.first_date + timedelta(days=step * index)
            index += 1
    elif rule.repeat == MONTHLY:
        week = rule.monthly_week or default_monthly_week(rule.first_date)
        weekday = rule.first_date.weekday()
        while True:
            months = rule.first_date.month - 1 + index
            year, month = rule.first_date.year + months // 12, months % 12 + 1
            yield nth_weekday(year, month, weekday, week) if index else rule.first_date
            index += 1
    else:
        raise ValueError(f"unknown repeat: {rule.repeat}")


def _start_index(rule: Rule, after_local: date) -> int:
    """An occurrence index at or before the first one after `after_local` (a cheap skip ahead)."""
    days = (after_local - rule.first_date).days - 1
    if days <= 0:
        return 0
    if rule.repeat == WEEKLY:
        return days // 7
    if rule.repeat == EVERY_2_WEEKS:
        return days // 14
    months = (after_local.year - rule.first_date.year) * 12 + after_local.month - 1
    return max(0, months - rule.first_date.month)


def occurrences(rule: Rule, *, after: datetime | None = None) -> Iterator[datetime]:
    """The rule's send times (UTC), strictly after `after` when given, in order, forever."""
    index = 0
    if after is not None:
        index = _start_index(rule, after.astimezone(rule.zone).date())
    for day in _dates_from(rule, index):
        when = local_datetime(day, rule.time_of_day, rule.tz)
        if after is None or when > after:
            yield when


def next_after(rule: Rule, after: datetime) -> datetime:
    return next(occurrences(rule, after=after))


def first_occurrence(rule: Rule) -> datetime:
    return local_datetime(rule.first_date, rule.time_of_day, rule.tz)


# What a new feedback schedule or meeting request proposes until the person picks: a working
# morning, not 09:00 sharp when the day's first meetings start.
DEFAULT_TIME = time(10, 0)
