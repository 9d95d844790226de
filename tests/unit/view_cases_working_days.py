"""Working days and leave for tests/unit/view_cases.py: none of these builders takes typed text
(holiday names come from the holidays package, dates from the clock)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from slackapp.kernel import working_days as wd
from slackapp.views import working_time as wt
from tests.unit.view_samples import HOME, MODAL, TODAY, Case

CHRISTMAS = wd.Shift(
    datetime(2026, 12, 28, 9, 0, tzinfo=UTC), wd.DayOff(date(2026, 12, 25), "Christmas Day")
)

WORKING_DAYS_CASES: dict[str, Case] = {
    "working_time.working_days_blocks": Case(
        lambda t: wt.working_days_blocks(
            country="Germany",
            region="Bayern",
            week=frozenset(range(5)),
            hours=(time(9, 0), time(18, 0)),
            away_until=TODAY,
            asks_country=True,
        ),
        HOME,
        False,
    ),
    "working_time.calendar_modal": Case(
        lambda t: wt.calendar_modal(
            countries=wd.countries(),
            country="DE",
            zone_country="Germany",
            regions=wd.regions("DE"),
            region="BY",
            week=frozenset(range(5)),
        ),
        MODAL,
        False,
    ),
    "working_time.away_modal": Case(lambda t: wt.away_modal(today=TODAY), MODAL, False),
    "working_time.send_times": Case(
        lambda t: wt.send_times(
            [CHRISTMAS],
            manager_tz="Europe/Berlin",
            employee_tz="America/New_York",
            country="Germany",
            manager_user_id="UBOSS",
        ),
        shows_typed=False,
    ),
    "working_time.held_text": Case(
        lambda t: wt.held_text(manager_user_id="UBOSS", back="Mon 5 Jan"), shows_typed=False
    ),
    "working_time.held_note": Case(
        lambda t: wt.held_note(manager_user_id="UBOSS", back=None), shows_typed=False
    ),
    "working_time.welcome_back_text": Case(lambda t: wt.welcome_back_text(), shows_typed=False),
    "working_time.away_paused_note": Case(
        lambda t: wt.away_paused_note(TODAY, CHRISTMAS.at, "Europe/Berlin"), shows_typed=False
    ),
}

WORKING_DAYS_NOT_BUILDERS: dict[str, str] = {
    "working_time.week_words": "the app's own weekday names",
    "working_time.day_off_words": "a holiday's name from the holidays package and a date",
    "working_time.moved_words": "a holiday's name from the holidays package and dates",
    "working_time.country_names": "country names from Babel, no typed text",
}
