"""A person's working time: their calendar (holidays, working week), and whether they are away.

"Away" is either said in the app ("I'm away until <date>", the last day away) or read from the
person's Slack status at send time (an emoji or words that mean leave, with status_expiration
telling when it ends). The status is read by the caller (users.info) and handed in as plain data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from models import Person
from slackapp.kernel import working_days as wd
from slackapp.kernel.zones import local

# Status emoji that mean "not at work" (Slack's own names, with the colons).
AWAY_EMOJI = frozenset(
    {
        ":palm_tree:",
        ":airplane:",
        ":airplane_departure:",
        ":beach_with_umbrella:",
        ":desert_island:",
        ":face_with_thermometer:",
        ":thermometer:",
        ":face_with_head_bandage:",
        ":sneezing_face:",
        ":mask:",
        ":baby:",
    }
)
AWAY_WORDS = re.compile(
    r"\b(vacation|vacationing|holiday|holidays|out of (the )?office|ooo|pto|on leave|"
    r"annual leave|parental leave|sick|sick leave|off sick)\b",
    re.IGNORECASE,
)


def calendar_of(person: Person | None, tz: str | None = None) -> wd.Calendar:
    """The person's calendar; their country defaults to their Slack zone's."""
    zone_name = tz or (person.tz if person is not None else None) or "UTC"
    if person is None:
        country = wd.country_of_zone(zone_name)
        return wd.Calendar(zone_name, country, week=wd.week_of_country(country))
    country = person.holiday_country or wd.country_of_zone(person.tz)
    week = (
        frozenset(int(day) for day in person.working_week)
        if person.working_week
        else wd.week_of_country(country)
    )
    return wd.Calendar(zone_name, country, person.holiday_region if country else None, week)


@dataclass(frozen=True)
class CalendarChoice:
    country: str | None  # None: their zone's (or none)
    region: str | None
    week: frozenset[int] | None  # None: their country's


def choose_calendar(*, person: Person, choice: CalendarChoice) -> bool:
    """Store the person's country, region and working week; False when the choice is not one
    the calendar knows (a forged value), and nothing changes."""
    if choice.country is not None and choice.country not in wd.countries():
        return False
    country = choice.country or wd.country_of_zone(person.tz)
    if choice.region is not None and choice.region not in wd.regions(country or ""):
        return False
    if choice.week is not None and (not choice.week or not choice.week <= set(range(7))):
        return False
    person.holiday_country = choice.country
    person.holiday_region = choice.region
    week = choice.week
    person.working_week = (
        "".join(str(day) for day in sorted(week))
        if week is not None and week != wd.week_of_country(country)
        else None
    )
    return True


# -- away -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Away:
    """A person is away; `back` is their first working morning back, None when unknown (a Slack
    status with no end: looked at again each working morning)."""

    back: datetime | None
    recheck_at: datetime  # when a request held for them is looked at again


def status_says_away(profile: dict[str, Any] | None, now: datetime) -> tuple[bool, datetime | None]:
    """(away?, when the status ends) from users.info's profile: status_emoji, status_text, and
    status_expiration (a Unix time, 0 when the status does not expire)."""
    if not profile:
        return False, None
    emoji = str(profile.get("status_emoji") or "")
    text = str(profile.get("status_text") or "")
    if emoji not in AWAY_EMOJI and not AWAY_WORDS.search(text):
        return False, None
    try:
        expiration = int(profile.get("status_expiration") or 0)
        ends = datetime.fromtimestamp(expiration, UTC) if expiration > 0 else None
    except (TypeError, ValueError, OverflowError, OSError):
        ends = None  # an end we cannot read: looked at again each working morning
    if ends is None:
        return True, None
    return (ends > now), ends


def said_away(person: Person, now: datetime) -> bool:
    return person.away_until is not None and local(now, person.tz).date() <= person.away_until


def away(person: Person, now: datetime, profile: dict[str, Any] | None = None) -> Away | None:
    """Whether the person is away now, said in the app or by their Slack status."""
    cal = calendar_of(person)
    backs: list[datetime] = []
    unknown = False
    if said_away(person, now):
        assert person.away_until is not None
        backs.append(cal.morning_after_day(person.away_until))
    by_status, ends = status_says_away(profile, now)
    if by_status:
        if ends is None:
            unknown = True
        else:
            backs.append(cal.morning_after(ends))
    if not backs and not unknown:
        return None
    if unknown:
        recheck = cal.morning_after_day(local(now, person.tz).date())
        # A known return later than tomorrow's look still holds until then.
        later = max(backs) if backs else None
        if later is not None and later > recheck:
            return Away(back=later, recheck_at=later)
        return Away(back=None, recheck_at=recheck)
    back = max(backs)
    return Away(back=back, recheck_at=back)


def next_working_day(now: datetime, tz: str, person: Person | None = None) -> date:
    """The day a new schedule or meeting request proposes: the first working day after today in
    `tz`, skipping the weekend and public holidays of the person (or of the zone's country)."""
    return calendar_of(person, tz=tz).next_working_day(local(now, tz).date())
