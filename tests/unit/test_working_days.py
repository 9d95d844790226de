"""Working days with the real `holidays` data: Germany (Bayern), the US (California), India,
the United Arab Emirates and Israel, over 2026 and 2027."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from slackapp.kernel import recurrence as rec
from slackapp.kernel import working_days as wd
from slackapp.services.working_time import status_says_away

CALENDARS = {
    "DE-BY": wd.Calendar("Europe/Berlin", "DE", "BY", wd.week_of_country("DE")),
    "US-CA": wd.Calendar("America/Los_Angeles", "US", "CA", wd.week_of_country("US")),
    "IN": wd.Calendar("Asia/Kolkata", "IN", None, wd.week_of_country("IN")),
    "AE": wd.Calendar("Asia/Dubai", "AE", None, wd.week_of_country("AE")),
    "IL": wd.Calendar("Asia/Jerusalem", "IL", None, wd.week_of_country("IL")),
}


def test_countries_come_from_the_zone_and_weeks_from_the_country() -> None:
    assert wd.country_of_zone("Europe/Berlin") == "DE"
    assert wd.country_of_zone("America/Los_Angeles") == "US"
    assert wd.country_of_zone("Asia/Jerusalem") == "IL"
    assert wd.country_of_zone("UTC") is None  # no one country's: the App Home asks
    assert wd.week_of_country("IL") == frozenset({6, 0, 1, 2, 3})  # Sunday to Thursday
    assert wd.week_of_country("AE") == frozenset(range(5))
    assert wd.regions("DE")["BY"] == "Bayern" and wd.regions("US")["CA"] == "California"
    assert wd.countries()["DE"] == "Germany"


@pytest.mark.parametrize(
    ("where", "day", "name"),
    [
        ("DE-BY", date(2026, 12, 25), "Christmas Day"),
        ("DE-BY", date(2026, 1, 6), "Epiphany"),  # a Bavarian holiday, not a national one
        ("US-CA", date(2026, 11, 26), "Thanksgiving Day"),
        ("US-CA", date(2027, 3, 31), "Cesar Chavez Day"),  # California's own
        ("IN", date(2026, 1, 26), "Republic Day"),
        ("IL", date(2026, 9, 21), "Yom Kippur"),
    ],
)
def test_real_holidays_by_country_and_region(where: str, day: date, name: str) -> None:
    off = CALENDARS[where].day_off(day)
    assert off is not None and off.holiday == name


def test_a_region_has_its_own_holidays() -> None:
    berlin = wd.Calendar("Europe/Berlin", "DE", "BE")
    assert berlin.holiday(date(2026, 1, 6)) is None  # no Epiphany in Berlin
    assert CALENDARS["DE-BY"].holiday(date(2026, 1, 6)) == "Epiphany"


@pytest.mark.parametrize("where", sorted(CALENDARS))
@pytest.mark.parametrize("repeat", [rec.WEEKLY, rec.EVERY_2_WEEKS, rec.MONTHLY])
def test_every_send_time_is_a_working_day_at_the_chosen_time_or_moved_to_the_next(
    where: str, repeat: str
) -> None:
    cal = CALENDARS[where]
    rule = rec.Rule(cal.tz, date(2026, 1, 2), time(10, 0), repeat)
    moved = 0
    previous: datetime | None = None
    for nominal in rec.occurrences(rule):
        if nominal.year > 2027:
            break
        shift = cal.shift(nominal)
        here = shift.at.astimezone(rec.exact(cal.tz))
        assert cal.is_working(here.date())
        assert here.time() == time(10, 0)
        if shift.moved:
            moved += 1
            assert shift.off is not None
            assert shift.off.day == nominal.astimezone(rec.exact(cal.tz)).date()
            # The next working day, not any later one.
            day = shift.off.day + timedelta(days=1)
            while day < here.date():
                assert not cal.is_working(day)
                day += timedelta(days=1)
        else:
            assert shift.at == nominal
        assert previous is None or shift.at > previous  # never two at once
        previous = shift.at
    if repeat == rec.WEEKLY:
        assert moved > 0  # two years of Fridays meet holidays or weekends somewhere


def test_friday_is_a_day_off_in_israel_and_a_working_day_in_the_emirates() -> None:
    friday = datetime(2026, 3, 6, 8, 0, tzinfo=UTC)
    il = CALENDARS["IL"].shift(friday)
    assert il.moved and il.off is not None and il.off.holiday is None
    assert il.at.astimezone(rec.exact("Asia/Jerusalem")).date() == date(2026, 3, 8)  # Sunday
    assert not CALENDARS["AE"].shift(friday).moved


def test_christmas_moves_to_the_next_working_day_in_bavaria() -> None:
    christmas = datetime(2026, 12, 25, 9, 0, tzinfo=UTC)  # 10:00 Berlin, a Friday
    shift = CALENDARS["DE-BY"].shift(christmas)
    assert shift.off is not None and shift.off.holiday == "Christmas Day"
    assert shift.at == datetime(2026, 12, 28, 9, 0, tzinfo=UTC)  # Monday, same local time


def test_working_days_are_counted_net_of_holidays() -> None:
    cal = CALENDARS["DE-BY"]
    # Wednesday 23 Dec + 2 working days: Thursday 24, then Monday 28 (25, 26 are holidays).
    start = datetime(2026, 12, 23, 10, 0, tzinfo=UTC)
    assert cal.add_working_days(start, 2) == datetime(2026, 12, 28, 10, 0, tzinfo=UTC)
    us = CALENDARS["US-CA"]
    # Wednesday before Thanksgiving -> Monday, Tuesday: Thursday 26 Nov is off, and in
    # California the day after Thanksgiving too.
    sent = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)  # 10:00 Los Angeles
    assert us.add_working_days(sent, 2).astimezone(rec.exact(us.tz)).date() == date(2026, 12, 1)


def test_reminders_keep_to_working_hours_and_days() -> None:
    cal = CALENDARS["IN"]
    evening = datetime(2026, 1, 23, 14, 0, tzinfo=UTC)  # Friday 19:30 in Kolkata
    # Saturday and Sunday off, then Monday 26 Jan is Republic Day: Tuesday 09:00.
    assert cal.within_hours(evening) == datetime(2026, 1, 27, 3, 30, tzinfo=UTC)
    at_work = datetime(2026, 1, 22, 6, 0, tzinfo=UTC)  # Thursday 11:30
    assert cal.within_hours(at_work) == at_work
    uae = CALENDARS["AE"]
    assert uae.morning_after_day(date(2026, 3, 6)).astimezone(rec.exact(uae.tz)).date() == date(
        2026, 3, 9
    )


def test_a_slack_status_says_away_until_it_expires() -> None:
    now = datetime(2026, 3, 3, 12, 0, tzinfo=UTC)
    friday = int(datetime(2026, 3, 6, 23, 0, tzinfo=UTC).timestamp())
    assert status_says_away({"status_emoji": ":palm_tree:", "status_expiration": friday}, now) == (
        True,
        datetime(2026, 3, 6, 23, 0, tzinfo=UTC),
    )
    assert status_says_away({"status_text": "OOO until Monday"}, now) == (True, None)
    assert status_says_away({"status_text": "On leave", "status_expiration": 0}, now)[0]
    assert status_says_away({"status_emoji": ":face_with_thermometer:"}, now)[0]
    assert not status_says_away({"status_emoji": ":coffee:", "status_text": "In a meeting"}, now)[0]
    expired = int((now - timedelta(hours=1)).timestamp())
    assert not status_says_away({"status_emoji": ":airplane:", "status_expiration": expired}, now)[
        0
    ]
    assert not status_says_away(None, now)[0]


def test_a_holiday_is_named_in_the_readers_language_where_the_package_has_it() -> None:
    from slackapp.views.i18n import reading_as
    from slackapp.views.working_time import day_off_words

    christmas = wd.DayOff(date(2026, 12, 25), "Christmas Day", "DE", "BY")
    said = {}
    for language in ("en", "de", "ja"):
        with reading_as(language):
            said[language] = day_off_words(christmas, "25.12.", country="Deutschland", who="")
    assert "Christmas Day" in said["en"]
    assert "Erster Weihnachtstag" in said["de"]  # German holiday names exist for Germany
    assert "Christmas Day" in said["ja"]  # none in Japanese for Germany: English, not German
