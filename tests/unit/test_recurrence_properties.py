"""The recurrence, by property, in every time zone this machine knows, over five years.

For each IANA zone (zoneinfo.available_timezones()), hypothesis draws a rule (weekly, every 2
weeks, monthly on the n-th or last weekday), a first date and a wall-clock time. Half the draws
are aimed at the zone's own DST changes: a first date that walks through a change, and a time
inside (or next to) the hour that does not exist or happens twice. Every send time is then
checked against an independent computation (calendar dates stepped by hand, instants found by
trying the zone's offsets around the day, no `fold`):

- on its day, at the chosen wall-clock time; on a spring-forward day a time that does not exist
  comes at the same shift as the clock (02:30 -> 03:30); on a fall-back day, once, at the first
  of the two (the one before the clocks go back);
- strictly increasing, no day skipped or repeated, and `next_after` from any send time (or just
  before it) gives the next one;
- with the manager's holidays and working week (the zone's country, or Monday to Friday): a send
  on a day off moves to the next working day at the chosen time, the following one keeps its
  usual day, and two that fall in one long break are sent once.

Deterministic (derandomize, no example database) and quick: a few examples per zone.
"""

from __future__ import annotations

import calendar as cal_module
import functools
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from models import FeedbackSchedule
from slackapp.kernel import recurrence as rec
from slackapp.services import feedback as svc
from slackapp.services.working_time import calendar_of

ZONES = sorted(available_timezones())
FIRST, LAST = date(2026, 1, 1), date(2030, 12, 31)  # five years
END = datetime.combine(LAST, time(), UTC) + timedelta(days=2)
DAY = timedelta(days=1)
REPEATS = (rec.WEEKLY, rec.EVERY_2_WEEKS, rec.MONTHLY)


def examples(tz: str) -> settings:
    """Four draws in a zone whose clock changes in the five years, two in one that keeps its
    offset (every rule there is the same fixed-offset arithmetic)."""
    return settings(
        max_examples=4 if changes(tz) else 2,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.differing_executors],
    )


# -- the zone's clock changes, found by sampling its offset ---------------------------------------


@dataclass(frozen=True)
class Change:
    """A clock change: the local date, and the wall-clock minutes (from that day's midnight)
    that do not exist (a gap) or happen twice (a fold)."""

    day: date
    start: int
    end: int


def _offset(zone: ZoneInfo, moment: datetime) -> timedelta:
    offset = moment.astimezone(zone).utcoffset()
    assert offset is not None
    return offset


@functools.cache
def changes(tz: str) -> tuple[Change, ...]:
    zone = ZoneInfo(tz)
    found: list[Change] = []
    moment = datetime.combine(FIRST - 2 * DAY, time(), UTC)
    before = _offset(zone, moment)
    while moment < END:
        following = moment + DAY
        after = _offset(zone, following)
        if after != before:
            low, high = moment, following  # the change is in (low, high]
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if _offset(zone, middle) == before:
                    low = middle
                else:
                    high = middle
            wall_before = (high + before).replace(tzinfo=None)  # the wall clock at the change
            wall_after = (high + after).replace(tzinfo=None)
            first, second = sorted((wall_before, wall_after))
            midnight = datetime.combine(first.date(), time())
            found.append(
                Change(
                    first.date(),
                    int((first - midnight).total_seconds() // 60),
                    int((second - midnight).total_seconds() // 60),
                )
            )
        moment, before = following, after
    return tuple(change for change in found if FIRST <= change.day <= LAST)


# -- what the send times should be, computed the simple way --------------------------------------


def expected_instant(day: date, at: time, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """(the instant, its wall clock) of `at` on `day`, by trying the offsets the zone has
    around that day: of the times that exist, the first; in a gap, the time moved on by the gap."""
    naive = datetime.combine(day, at)
    as_utc = naive.replace(tzinfo=UTC)
    earlier = _offset(zone, as_utc - timedelta(hours=30))
    later = _offset(zone, as_utc + timedelta(hours=30))
    real = [
        as_utc - offset
        for offset in sorted({earlier, later}, reverse=True)
        if (as_utc - offset).astimezone(zone).replace(tzinfo=None) == naive
    ]
    if real:
        return real[0], naive
    return as_utc - earlier, naive + (later - earlier)


def expected_dates(rule: rec.Rule) -> list[date]:
    """The rule's dates up to LAST, stepped by hand."""
    if rule.repeat != rec.MONTHLY:
        step = 7 if rule.repeat == rec.WEEKLY else 14
        count = (LAST - rule.first_date).days // step + 1
        return [rule.first_date + timedelta(days=step * index) for index in range(count)]
    assert rule.monthly_week is not None
    weekday, days = rule.first_date.weekday(), [rule.first_date]
    year, month = rule.first_date.year, rule.first_date.month
    while True:
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
        if date(year, month, 1) > LAST:
            return days
        length = cal_module.monthrange(year, month)[1]
        candidates = [
            date(year, month, number)
            for number in range(1, length + 1)
            if date(year, month, number).weekday() == weekday
        ]
        pick = (
            candidates[-1] if rule.monthly_week == rec.LAST else candidates[rule.monthly_week - 1]
        )
        if pick <= LAST:
            days.append(pick)


# -- the draws -----------------------------------------------------------------------------------


def _minute(minutes: int) -> time:
    minutes %= 24 * 60
    return time(minutes // 60, minutes % 60)


@st.composite
def rules(draw: st.DrawFn, tz: str) -> rec.Rule:
    repeat = draw(st.sampled_from(REPEATS))
    known = changes(tz)
    if known and draw(st.booleans()):
        change = draw(st.sampled_from(known))
        at = _minute(draw(st.integers(change.start - 30, change.end + 30)))
        step = {rec.WEEKLY: 7, rec.EVERY_2_WEEKS: 14}.get(repeat, 0)
        back = draw(st.integers(0, (change.day - FIRST).days // step)) if step else 0
        first = change.day - timedelta(days=step * back)
    else:
        first = draw(st.dates(FIRST, date(2026, 12, 31)))
        at = _minute(draw(st.integers(0, 24 * 60 - 1)))
    week = draw(st.sampled_from(rec.monthly_choices(first))) if repeat == rec.MONTHLY else None
    return rec.Rule(tz, first, at, repeat, week)


def _sends(rule: rec.Rule, count: int) -> list[datetime]:
    """The rule's first `count` send times, and the one after (which must be after LAST)."""
    return [when for _, when in zip(range(count + 1), rec.occurrences(rule), strict=False)]


# -- the properties ------------------------------------------------------------------------------


@pytest.mark.parametrize("tz", ZONES)
def test_every_send_is_the_chosen_wall_clock_time_on_the_rules_day(tz: str) -> None:
    zone = ZoneInfo(tz)

    @examples(tz)
    @given(rule=rules(tz))
    def check(rule: rec.Rule) -> None:
        dates = expected_dates(rule)
        after = _sends(rule, len(dates))
        assert after[-1].astimezone(zone).date() > LAST, "a day skipped"
        sends = after[:-1]
        for day, when in zip(dates, sends, strict=True):
            instant, wall = expected_instant(day, rule.time_of_day, zone)
            here = when.astimezone(zone)
            assert (here.replace(tzinfo=None), here.fold) == (wall, 0), (day, rule)
            assert when == instant
        assert all(a < b for a, b in zip(sends, sends[1:], strict=False))
        # Picking up from a stored send time (every 10th, and each one on a clock change day):
        # the next one, never the same one again, never one skipped.
        near = {change.day for change in changes(tz)}
        for index, (day, previous) in enumerate(zip(dates, sends, strict=True)):
            if index % 10 == 0 or day in near:
                assert rec.next_after(rule, previous) == after[index + 1]
                assert rec.next_after(rule, previous - timedelta(seconds=1)) == previous

    check()


def _schedule(rule: rec.Rule) -> FeedbackSchedule:
    return FeedbackSchedule(
        tz=rule.tz,
        first_date=rule.first_date,
        time_of_day=rule.time_of_day,
        repeat=rule.repeat,
        monthly_week=rule.monthly_week,
        end_kind="never",
        occurrence_count=0,
    )


@pytest.mark.parametrize("tz", ZONES)
def test_a_send_on_a_day_off_moves_to_the_next_working_day_and_the_next_keeps_its_day(
    tz: str,
) -> None:
    zone = ZoneInfo(tz)
    cal = calendar_of(None, tz=tz)

    @examples(tz)
    @given(rule=rules(tz))
    def check(rule: rec.Rule) -> None:
        # The send days, by hand: each rule date, or the first working day from it; two dates in
        # one break are one send.
        days: list[tuple[date, date]] = []
        for day in expected_dates(rule):
            moved = cal.first_working_day(day)
            if not days or moved != days[-1][1]:
                days.append((day, moved))
        schedule = _schedule(rule)
        svc.place(schedule, rec.first_occurrence(rule), cal)
        sends = svc.upcoming_sends(schedule, cal, count=len(days) + 1)
        assert sends[-1].at.astimezone(zone).date() > LAST, "a send skipped"
        sends = sends[:-1]
        for (day, moved), send in zip(days, sends, strict=False):
            instant, wall = expected_instant(moved, rule.time_of_day, zone)
            here = send.at.astimezone(zone)
            assert (here.replace(tzinfo=None), here.fold) == (wall, 0), (day, moved, rule)
            assert send.at == instant
            assert send.moved == (moved != day)
            if send.off is not None:
                assert send.off.day == day
        assert all(a.at < b.at for a, b in zip(sends, sends[1:], strict=False))

    check()


def test_every_zone_with_a_clock_change_is_tried_on_it() -> None:
    """The aimed draws need changes to aim at: the DST zones have theirs found."""
    berlin = changes("Europe/Berlin")
    assert Change(date(2026, 3, 29), 120, 180) in berlin  # 02:00-03:00 does not exist
    assert Change(date(2026, 10, 25), 120, 180) in berlin  # 02:00-03:00 happens twice
    assert len(berlin) == 10
    assert changes("Asia/Kolkata") == ()
    lord_howe = changes("Australia/Lord_Howe")
    assert lord_howe and all(change.end - change.start == 30 for change in lord_howe)


@pytest.mark.parametrize(
    ("day", "sends"),
    [
        # Spring forward: 02:30 does not exist, it comes at 03:30 (CEST), then 02:30 again.
        (
            date(2026, 3, 29),
            [datetime(2026, 3, 29, 1, 30, tzinfo=UTC), datetime(2026, 4, 5, 0, 30, tzinfo=UTC)],
        ),
        # Fall back: 02:30 happens twice, it comes once, at the first (still CEST).
        (
            date(2026, 10, 25),
            [datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 11, 1, 1, 30, tzinfo=UTC)],
        ),
    ],
)
def test_the_documented_dst_cases_in_berlin(day: date, sends: list[datetime]) -> None:
    rule = rec.Rule("Europe/Berlin", day, time(2, 30), rec.WEEKLY)
    assert [when for _, when in zip(range(2), rec.occurrences(rule), strict=False)] == sends
