"""Working days: a person's public holidays and working week, from the `holidays` package.

A Calendar is what the clock needs to know of one person: their zone, their country (and
region, where holidays differ: a German Land, a US state) and the weekdays they work. Every
send time the app proposes or moves goes through it:

- `shift(when)`: a time that falls on a public holiday or a day off moves to the next working
  day at the same wall-clock time (a feedback request; the rule that made it is unchanged);
- `add_working_days(start, n)`: "2 working days later", net of holidays (nudges);
- `within_hours(when)`: the time, or the next working-hours start if it is outside them
  (reminders and nudges the app starts never arrive at night or on a day off);
- `morning_after(moment)`: the first working morning at or after a moment (a held request).

The holidays data comes from the `holidays` package (python-holidays), the tz database's
zone.tab gives a zone's country, and iso3166.tab the country's name.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from importlib import resources

import holidays
from holidays.registry import COUNTRIES

from slackapp.kernel.zones import at_local_time, local

WORKDAY_START, WORKDAY_END = time(9, 0), time(18, 0)
MONDAY_TO_FRIDAY = frozenset(range(5))
# A run of days off longer than this is a calendar without working days (a bug in a choice).
LONGEST_BREAK = 60
HOLIDAY_LANGUAGE = "en_US"


# -- countries, regions and zones ----------------------------------------------------------------


def _tz_table(name: str) -> list[list[str]]:
    text = resources.files("tzdata").joinpath("zoneinfo", name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


@functools.cache
def countries() -> dict[str, str]:
    """Every country the holidays package knows, code -> English name, sorted by name."""
    names = {row[0]: row[1] for row in _tz_table("iso3166.tab")}
    # The registry's table, not list_supported_countries(), which loads every country's module.
    codes = {entry[1] for entry in COUNTRIES.values()}
    known = {code: names[code] for code in codes if code in names}
    return dict(sorted(known.items(), key=lambda item: item[1]))


@functools.cache
def regions(country: str) -> dict[str, str]:
    """The country's subdivisions whose holidays differ, code -> name (empty when none)."""
    if country not in countries():
        return {}
    cls = holidays.country_holidays(country).__class__
    names: dict[str, str] = {}
    for alias, code in getattr(cls, "subdivisions_aliases", {}).items():
        if alias != code and not alias.isupper():
            names.setdefault(code, alias)
    return {code: names.get(code, code) for code in cls.subdivisions}


@functools.cache
def _zone_countries() -> dict[str, str]:
    return {row[2]: row[0] for row in _tz_table("zone.tab")}


def country_of_zone(tz: str | None) -> str | None:
    """The country a Slack time zone belongs to (Europe/Berlin -> DE), or None when the zone
    is not one country's (UTC, Etc/GMT+1) or the holidays package does not know it."""
    code = _zone_countries().get(tz or "")
    return code if code in countries() else None


@functools.cache
def week_of_country(country: str | None) -> frozenset[int]:
    """The country's working weekdays (0 = Monday): Sunday to Thursday in Israel."""
    if country not in countries():
        return MONDAY_TO_FRIDAY
    weekend = holidays.country_holidays(country).weekend
    return frozenset(day for day in range(7) if day not in weekend)


@functools.cache
def _holidays(
    country: str, region: str | None, year: int, language: str = HOLIDAY_LANGUAGE
) -> dict[date, str]:
    kwargs: dict[str, object] = {"years": year}
    cls = holidays.country_holidays(country).__class__
    supported = getattr(cls, "supported_languages", ()) or ()
    for choice in (language, HOLIDAY_LANGUAGE):
        if choice in supported:
            kwargs["language"] = choice
            break
    if region and region in cls.subdivisions:
        kwargs["subdiv"] = region
    return dict(holidays.country_holidays(country, **kwargs).items())  # type: ignore[arg-type]


# -- one person's calendar ------------------------------------------------------------------------


@dataclass(frozen=True)
class DayOff:
    """Why a day is not a working day: a public holiday (with its name) or the weekly day off."""

    day: date
    holiday: str | None  # None: not a working weekday
    country: str | None = None  # whose holiday it is, to name it in another language
    region: str | None = None

    def holiday_in(self, language: str) -> str | None:
        """The holiday's name in `language` (a holidays package code such as "de", "pt_BR",
        "ja") where the package has it for this country, else in English."""
        if self.holiday is None or self.country is None:
            return self.holiday
        return _holidays(self.country, self.region, self.day.year, language).get(
            self.day, self.holiday
        )


@dataclass(frozen=True)
class Shift:
    """A send time after the calendar had its say: `at`, and `off` when it was moved."""

    at: datetime
    off: DayOff | None = None

    @property
    def moved(self) -> bool:
        return self.off is not None


@dataclass(frozen=True)
class Calendar:
    tz: str
    country: str | None = None
    region: str | None = None
    week: frozenset[int] = field(default=MONDAY_TO_FRIDAY)
    start: time = WORKDAY_START
    end: time = WORKDAY_END

    def holiday(self, day: date) -> str | None:
        if self.country is None or self.country not in countries():
            return None
        return _holidays(self.country, self.region, day.year).get(day)

    def day_off(self, day: date) -> DayOff | None:
        """Why `day` is not a working day, or None when it is one."""
        name = self.holiday(day)
        if name is not None:
            return DayOff(day, name, self.country, self.region)
        if day.weekday() not in self.week:
            return DayOff(day, None)
        return None

    def is_working(self, day: date) -> bool:
        return self.day_off(day) is None

    def working_days_from(self, day: date) -> Iterator[date]:
        """Working days from `day` on (itself included if it is one)."""
        gap = 0
        while True:
            if self.is_working(day):
                gap = 0
                yield day
            else:
                gap += 1
                if gap > LONGEST_BREAK:
                    raise ValueError("a calendar with no working day")
            day += timedelta(days=1)

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        return next(self.working_days_from(day + timedelta(days=1)))

    def first_working_day(self, day: date) -> date:
        """`day` if it is a working day, else the next one."""
        return next(self.working_days_from(day))

    def day_of(self, when: datetime, at: time | None = None) -> date:
        """The day a send time at the chosen time `at` belongs to: its local date, or the day
        before when a gap just before midnight moved `at` into the next day (23:30 in Nuuk on
        its spring-forward Saturday comes at 00:30 on Sunday, and is Saturday's)."""
        day = local(when, self.tz).date()
        if at is not None and at_local_time(day - timedelta(days=1), at, self.tz) == when:
            return day - timedelta(days=1)
        return day

    def shift(self, when: datetime, at: time | None = None) -> Shift:
        """`when`, or the next working day at the same wall-clock time when its day is off.

        `at` is the time the rule chose (a schedule's time of day): on a spring-forward day a
        time that does not exist comes later by the gap (02:30 at 03:30), and a send moved from
        that day keeps the chosen 02:30 on its new day, not the clock's 03:30. Without it, the
        wall-clock time of `when` is kept."""
        day = self.day_of(when, at)
        clock = (at or local(when, self.tz).time()).replace(tzinfo=None, fold=0)
        off = self.day_off(day)
        if off is None:
            return Shift(when)
        moved = self.first_working_day(day)
        return Shift(at_local_time(moved, clock, self.tz), off)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """`days` working days after `start`, at the same wall-clock time: counted from the
        working day after start's day, so a request sent on Friday is nudged on Tuesday in
        Germany and on Tuesday in Israel too (Friday and Saturday are its weekend)."""
        local_start = local(start, self.tz)
        day = local_start.date()
        for _ in range(days):
            day = self.next_working_day(day)
        return at_local_time(day, local_start.time(), self.tz)

    def nudge_after(self, start: datetime, days: int) -> datetime:
        """A reminder `days` working days after `start`, in working hours: a start on a day off
        counts from the next working morning, and a time outside working hours waits for the
        next working morning, so a nudge never arrives at night or on a holiday."""
        if not self.is_working(local(start, self.tz).date()):
            start = self.morning(self.first_working_day(local(start, self.tz).date()))
        return self.within_hours(self.add_working_days(start, days))

    def morning(self, day: date) -> datetime:
        return at_local_time(day, self.start, self.tz)

    def within_hours(self, when: datetime) -> datetime:
        """`when` if it is in working hours on a working day, else the next working morning."""
        here = local(when, self.tz)
        day, clock = here.date(), here.time().replace(tzinfo=None)
        if self.is_working(day) and self.start <= clock < self.end:
            return when
        if self.is_working(day) and clock < self.start:
            return self.morning(day)
        return self.morning(self.next_working_day(day))

    def morning_after(self, moment: datetime) -> datetime:
        """The first working morning (working hours' start) at or after `moment`."""
        here = local(moment, self.tz)
        day = here.date()
        if self.is_working(day) and here.time().replace(tzinfo=None) <= self.start:
            return self.morning(day)
        return self.morning(self.next_working_day(day))

    def morning_after_day(self, day: date) -> datetime:
        """The first working morning after a whole day ("away until Friday": Monday 09:00)."""
        return self.morning(self.next_working_day(day))
