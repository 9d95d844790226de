"""The recurrence of feedback requests, walked over two simulated years in four zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import islice, pairwise
from zoneinfo import ZoneInfo

import pytest

from slackapp.kernel import recurrence as rec
from slackapp.kernel import working_days as wd
from slackapp.views.recurrence_words import describe

ZONES = ["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata"]
TWO_YEARS = datetime(2028, 3, 1, tzinfo=UTC)


def walk(rule: rec.Rule, until: datetime = TWO_YEARS) -> list[datetime]:
    times = []
    for moment in rec.occurrences(rule):
        if moment > until:
            return times
        times.append(moment)
    raise AssertionError("unreachable")


@pytest.mark.parametrize("tz", ZONES)
@pytest.mark.parametrize("repeat", [rec.WEEKLY, rec.EVERY_2_WEEKS])
def test_wall_clock_time_holds_across_dst_for_two_years(tz: str, repeat: str) -> None:
    rule = rec.Rule(tz, date(2026, 3, 3), time(9, 0), repeat)
    times = walk(rule)
    step = 7 if repeat == rec.WEEKLY else 14
    assert len(times) >= (730 // step) - 1
    locals_ = [t.astimezone(ZoneInfo(tz)) for t in times]
    assert all(local.time() == time(9, 0) for local in locals_)
    assert all(local.weekday() == 1 for local in locals_)  # Tuesday, like the first date
    assert all((b.date() - a.date()).days == step for a, b in pairwise(locals_))
    offsets = {t.astimezone(ZoneInfo(tz)).utcoffset() for t in times}
    # Zones with DST send at two different UTC times; Kolkata (no DST) at one.
    assert len(offsets) == (1 if tz == "Asia/Kolkata" else 2)


def test_berlin_utc_time_moves_with_dst_but_local_time_does_not() -> None:
    rule = rec.Rule("Europe/Berlin", date(2026, 3, 24), time(9, 0), rec.WEEKLY)
    before, after = list(islice(rec.occurrences(rule), 2))
    assert before == datetime(2026, 3, 24, 8, 0, tzinfo=UTC)  # CET, UTC+1
    assert after == datetime(2026, 3, 31, 7, 0, tzinfo=UTC)  # CEST, UTC+2


def test_sydney_moves_the_other_way_in_april() -> None:
    rule = rec.Rule("Australia/Sydney", date(2026, 3, 30), time(9, 0), rec.WEEKLY)
    first, second = list(islice(rec.occurrences(rule), 2))
    assert first.astimezone(UTC).hour == 22  # AEDT, UTC+11: the day before in UTC
    assert second.astimezone(UTC).hour == 23  # AEST, UTC+10 from 5 April


def test_every_two_weeks_through_a_53_week_iso_year() -> None:
    assert date(2026, 12, 31).isocalendar().week == 53
    rule = rec.Rule("America/New_York", date(2026, 12, 15), time(10, 30), rec.EVERY_2_WEEKS)
    times = walk(rule, datetime(2027, 3, 1, tzinfo=UTC))
    days = [t.astimezone(ZoneInfo("America/New_York")).date() for t in times]
    assert days[:4] == [
        date(2026, 12, 15),
        date(2026, 12, 29),
        date(2027, 1, 12),
        date(2027, 1, 26),
    ]
    # ISO week parity flips at the year end (53 -> 1), the two-week rhythm does not.
    weeks = [d.isocalendar().week for d in days]
    assert weeks[:4] == [51, 53, 2, 4]


@pytest.mark.parametrize("tz", ZONES)
def test_monthly_second_tuesday_for_two_years(tz: str) -> None:
    first = date(2026, 3, 10)  # the second Tuesday of March 2026
    assert rec.monthly_choices(first) == [2]
    rule = rec.Rule(tz, first, time(9, 0), rec.MONTHLY, monthly_week=2)
    times = walk(rule)
    assert len(times) == 24
    for moment in times:
        local = moment.astimezone(ZoneInfo(tz))
        assert local.weekday() == 1 and 8 <= local.day <= 14 and local.time() == time(9, 0)


@pytest.mark.parametrize("tz", ZONES)
def test_monthly_last_friday_for_two_years(tz: str) -> None:
    first = date(2026, 1, 30)  # the fifth and last Friday of January 2026
    assert rec.monthly_choices(first) == [rec.LAST]
    rule = rec.Rule(tz, first, time(16, 0), rec.MONTHLY, monthly_week=rec.LAST)
    times = walk(rule)
    assert len(times) == 26
    for moment in times:
        local = moment.astimezone(ZoneInfo(tz))
        assert local.weekday() == 4 and local.time() == time(16, 0)
        assert (local.date() + timedelta(days=7)).month != local.month  # the last one
    assert [t.astimezone(ZoneInfo(tz)).date() for t in times[1:3]] == [
        date(2026, 2, 27),
        date(2026, 3, 27),
    ]


def test_a_fourth_weekday_that_is_also_the_last_offers_both_last_first() -> None:
    first = date(2026, 2, 27)  # the fourth and last Friday of February
    assert rec.monthly_choices(first) == [rec.LAST, 4]
    last = rec.Rule("UTC", first, time(9, 0), rec.MONTHLY, monthly_week=rec.LAST)
    fourth = rec.Rule("UTC", first, time(9, 0), rec.MONTHLY, monthly_week=4)
    # May 2026 has five Fridays: "last" is the 29th, "fourth" the 22nd.
    after = datetime(2026, 5, 1, tzinfo=UTC)
    assert rec.next_after(last, after).date() == date(2026, 5, 29)
    assert rec.next_after(fourth, after).date() == date(2026, 5, 22)


def test_next_after_skips_ahead_and_is_strict() -> None:
    rule = rec.Rule("Europe/Berlin", date(2026, 3, 3), time(9, 0), rec.WEEKLY)
    first = rec.first_occurrence(rule)
    assert rec.next_after(rule, first) == first + timedelta(days=7)
    far = datetime(2027, 6, 1, tzinfo=UTC)
    following = rec.next_after(rule, far)
    assert following > far and following - far <= timedelta(days=7)


def test_a_time_in_the_spring_forward_gap_moves_forward() -> None:
    # 2026-03-29 02:30 does not exist in Berlin: the clocks jump from 02:00 to 03:00.
    moment = rec.local_datetime(date(2026, 3, 29), time(2, 30), "Europe/Berlin")
    assert moment.astimezone(ZoneInfo("Europe/Berlin")).time() == time(3, 30)


def test_two_working_days_in_the_managers_zone() -> None:
    ny = "America/New_York"
    week = wd.Calendar(ny)  # Monday to Friday, no country: no public holidays
    friday = datetime(2026, 3, 6, 9, 0, tzinfo=ZoneInfo(ny))
    assert week.add_working_days(friday, 2) == datetime(2026, 3, 10, 9, 0, tzinfo=ZoneInfo(ny))
    saturday = datetime(2026, 3, 7, 11, 0, tzinfo=ZoneInfo(ny))
    assert week.add_working_days(saturday, 2).astimezone(ZoneInfo(ny)).date() == date(2026, 3, 10)
    # Across New York's DST change (8 March 2026) the wall-clock time stays.
    assert week.add_working_days(friday, 2).astimezone(ZoneInfo(ny)).hour == 9


def test_describe_names_the_rule() -> None:
    assert describe(rec.Rule("UTC", date(2026, 3, 10), time(9), rec.EVERY_2_WEEKS)) == (
        "Every 2 weeks on Tuesday"
    )
    assert describe(rec.Rule("UTC", date(2026, 1, 30), time(9), rec.MONTHLY, rec.LAST)) == (
        "Monthly on the last Friday"
    )
