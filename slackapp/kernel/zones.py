"""Time zones: the one place the app turns a zone's name into a zone.

Two lookups, because names come from two places. A name the app checked on the way in (a
schedule's zone, a zone picked in a modal) is looked up `exact`ly: an unknown one there is a bug
and should say so. A name Slack gave us and we stored (a person's zone) may be empty or one this
machine's tz database lacks; `zone` reads it as UTC rather than failing a whole screen or send.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def exact(tz: str) -> ZoneInfo:
    """The zone of this name; raises (ZoneInfoNotFoundError, ValueError) if there is none."""
    return ZoneInfo(tz)


def zone(tz: str | None) -> ZoneInfo:
    """The zone of a stored name, UTC when it is empty or unknown."""
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def is_known(tz: str) -> bool:
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local(moment: datetime, tz: str | None) -> datetime:
    """The moment on the clock of a stored zone (UTC when the name is unknown)."""
    return moment.astimezone(zone(tz))


def at_local_time(day: date, at: time, tz: str | None) -> datetime:
    """The moment (UTC) a wall-clock time comes on a day in a stored zone; a time that does not
    exist that day (spring forward) moves on by the gap, an ambiguous one is the first (fold=0)."""
    return datetime.combine(day, at.replace(tzinfo=None), tzinfo=zone(tz)).astimezone(UTC)
