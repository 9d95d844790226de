"""How the app writes the small things people read everywhere: time zones, counts, limits.

One place for each, so that a zone never reads "America/New_York" on one screen and
"America/New York" on the next, and "1 step(s)" never reaches anyone.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# Zones whose last part is not a place anyone would call their time.
_PLAIN = {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu", "Etc/Universal"}


def _zone(tz: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(tz or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def zone_abbreviation(tz: str | None, at: datetime) -> str:
    """'EST', 'CET', 'IST'; zones without a letter abbreviation read 'UTC+4' or 'UTC-3:30'."""
    name = at.astimezone(_zone(tz)).tzname() or "UTC"
    if name[:1] not in "+-":
        return name
    sign, digits = name[0], name[1:]
    hours, minutes = digits[:2].lstrip("0") or "0", digits[2:4]
    return f"UTC{sign}{hours}" + (f":{minutes}" if minutes and minutes != "00" else "")


def zone_label(tz: str | None, at: datetime | None = None) -> str:
    """'New York time', or with a moment 'New York time (EST)': the way a zone is written.

    The abbreviation needs a moment because it changes with summer time; a label for a picker
    or a weekly schedule has no single moment, so it names the place only.
    """
    key = str(_zone(tz))
    if key in _PLAIN:
        return "UTC"
    place = key.rsplit("/", 1)[-1].replace("_", " ")
    label = f"{place} time"
    return f"{label} ({zone_abbreviation(key, at)})" if at is not None else label


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 step', '2 steps', '0 steps'; `many` for nouns that don't just take an s."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def limit_hint(limit: int, hint: str | None = None) -> str:
    """An input's hint that says how much it holds, so nothing is cut without warning."""
    said = f"Up to {limit:,} characters."
    return f"{hint} {said}" if hint else said


def shortened(text: str, limit: int, where: str) -> str:
    """`text` within `limit` characters; when it had to be cut, it says so and where to read it
    all (`where`, e.g. "open the plan to read it all")."""
    if len(text) <= limit:
        return text
    note = f" _(shortened — {where})_"
    return text[: max(limit - len(note) - 1, 0)].rstrip() + "…" + note
