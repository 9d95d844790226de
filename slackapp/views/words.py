"""How the app writes the small things people read everywhere: time zones, counts, limits.

One place for each, so that a zone never reads "America/New_York" on one screen and
"America/New York" on the next, and "1 step(s)" never reaches anyone. In English they keep the
app's own short forms ("Wed 2 Dec, 10:00 EST"); every other language gets Babel's (CLDR) forms
for the reader's locale ("Mi., 2. Dez.", "12月2日(水)").
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

from babel.dates import (
    format_date,
    format_skeleton,
    format_time,
    get_timezone_location,
    get_timezone_name,
)
from babel.lists import format_list as babel_format_list
from babel.numbers import format_decimal

from slackapp.kernel.zones import zone
from slackapp.views.i18n import N_, _, babel_locale
from slackapp.views.mrkdwn import escape, quote

# Zones whose last part is not a place anyone would call their time.
_PLAIN = {"UTC", "Etc/UTC", "Etc/GMT", "GMT", "Universal", "Zulu", "Etc/Universal"}


def zone_abbreviation(tz: str | None, at: datetime) -> str:
    """'EST', 'CET', 'IST' ('MEZ' in German, where the locale has its own); zones without a
    letter abbreviation read 'UTC+4' or 'UTC-3:30'."""
    local = at.astimezone(zone(tz))
    if not _english():
        own = get_timezone_name(local, "short", locale=babel_locale())
        if own.isalpha():
            return own
    name = local.tzname() or "UTC"
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
    key = str(zone(tz))
    if key in _PLAIN:
        return "UTC"
    place = key.rsplit("/", 1)[-1].replace("_", " ")
    if not _english():
        place = get_timezone_location(key, locale=babel_locale(), return_city=True) or place
    label = _("{place} time").format(place=place)
    return f"{label} ({zone_abbreviation(key, at)})" if at is not None else label


def _english() -> bool:
    return babel_locale().language == "en"


def _day(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d


def short_date(d: date | datetime) -> str:
    """'Wed 2 Dec' ('Mi., 2. Dez.', '12月2日(水)'): a day without its year."""
    if _english():
        return f"{d:%a} {d.day} {d:%b}"
    return format_skeleton("MMMEd", _day(d), locale=babel_locale())


def long_date(d: date | datetime) -> str:
    """'Wed 2 Dec 2026': a day with its year."""
    if _english():
        return f"{d:%a} {d.day} {d:%b %Y}"
    return format_skeleton("yMMMEd", _day(d), locale=babel_locale())


def weekday_name(d: date | datetime) -> str:
    """'Wednesday' ('Mittwoch', '水曜日')."""
    if _english():
        return f"{d:%A}"
    return format_date(_day(d), "EEEE", locale=babel_locale())


def clock_time(t: datetime | time) -> str:
    """'10:00': a time of day on the 24-hour clock, as the reader's locale writes it."""
    if _english():
        return f"{t:%H:%M}"
    return format_time(t, "HH:mm", locale=babel_locale())


def moment_in_zone(moment: datetime, tz: str | None) -> str:
    """'Tue 3 Mar, 10:00 EST': a moment as it reads in one time zone."""
    local = moment.astimezone(zone(tz))
    return _("{day}, {time} {zone}").format(
        day=short_date(local), time=clock_time(local), zone=zone_abbreviation(tz, moment)
    )


def format_list(items: list[str]) -> str:
    """'a, b and c' ('a, b und c', 'a、b、c'): items joined the way a sentence lists them."""
    if len(items) < 2:
        return "".join(items)
    if not _english():
        return babel_format_list(items, locale=babel_locale())
    return f"{', '.join(items[:-1])} and {items[-1]}"


class Number(int):
    """A count a sentence formats with `{n:,}`: grouped as the reader's locale groups digits
    ("1,200", "1.200", "1 200")."""

    def __format__(self, spec: str) -> str:
        if spec == ",":
            return format_decimal(int(self), locale=babel_locale())
        return super().__format__(spec)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """'1 step', '2 steps', '0 steps'; `many` for nouns that don't just take an s."""
    return f"{count} {noun if count == 1 else (many or noun + 's')}"


def limit_hint(limit: int, hint: str | None = None) -> str:
    """An input's hint that says how much it holds, so nothing is cut without warning."""
    said = _("Up to {limit:,} characters.").format(limit=Number(limit))
    return f"{hint} {said}" if hint else said


def _note(where: str) -> str:
    return " " + _("_(shortened — {where})_").format(where=where)


# An escape (mrkdwn.escape) cut in half would show as "&am" and lose the character it stood for.
_HALF_ESCAPE = re.compile(r"&[a-z]{0,3}$")


def shortened(text: str, limit: int, where: str) -> str:
    """mrkdwn the caller built, within `limit` characters; when it had to be cut, it says so and
    where to read it all (`where`, e.g. "open the plan to read it all"). The cut never splits
    one of Slack's escapes (&amp;, &lt;, &gt;)."""
    if len(text) <= limit:
        return text
    note = _note(where)
    kept = _HALF_ESCAPE.sub("", text[: max(limit - len(note) - 1, 0)])
    return kept.rstrip() + "…" + note


def shortened_typed(
    typed: str | None,
    limit: int,
    where: str,
    *,
    one_line: bool = False,
    wrap: str = "",
    quoted: bool = False,
) -> str:
    """What someone typed, escaped (mrkdwn.escape), within `limit` characters; when it had to be
    cut, it says so and where to read it all, after the app's own marks: `wrap` goes either side
    of the typed text ("~" strikes it through), `quoted` makes it a block quote (its ">" marks
    not counted, as with mrkdwn.quote's limit)."""
    if len(escape(typed, one_line=one_line)) + 2 * len(wrap) <= limit:
        whole = quote(typed) if quoted else escape(typed, one_line=one_line)
        return f"{wrap}{whole}{wrap}"
    note = _note(where)
    room = max(limit - len(note) - 2 * len(wrap), 1)
    cut = quote(typed, limit=room) if quoted else escape(typed, limit=room, one_line=one_line)
    return f"{wrap}{cut}{wrap}{note}"


SORRY = N_(
    "Sorry, something went wrong on our side and that didn't work. Nothing you saved before "
    "was lost. Please try again in a moment."
)

# A modal submitted while the database was away: it stays open with what they wrote.
NOT_SAVED_YET = N_(
    "That didn't save just now, but what you wrote is still here. Please send it again in a moment."
)
