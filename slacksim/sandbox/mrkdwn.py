"""Slack's mrkdwn and plain_text, as the sandbox page shows them (HTML, always escaped).

Covers what the app writes: *bold*, _italics_, ~strike~, `code`, ```blocks```, > quotes, links
(<url|text>), mentions (<@U123>), <!date^...> tokens in the reader's time zone, :emoji: and line
breaks. Slack escapes &, < and > in text as entities; they are shown as the characters.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

# The shortcodes the app uses, and a few common ones; others stay as typed, like Slack's fallback.
EMOJI = {
    # Away statuses the app recognises (slackapp/services/working_time.py), and its own palm tree.
    "palm_tree": "\U0001f334",
    "airplane": "\u2708\ufe0f",
    "airplane_departure": "\U0001f6eb",
    "beach_with_umbrella": "\U0001f3d6\ufe0f",
    "desert_island": "\U0001f3dd\ufe0f",
    "face_with_thermometer": "\U0001f912",
    "thermometer": "\U0001f321\ufe0f",
    "face_with_head_bandage": "\U0001f915",
    "sneezing_face": "\U0001f927",
    "mask": "\U0001f637",
    "baby": "\U0001f476",
    "white_check_mark": "\u2705",
    "heavy_check_mark": "\u2714\ufe0f",
    "white_circle": "\u26aa",
    "large_blue_circle": "\U0001f535",
    "red_circle": "\U0001f534",
    "large_green_circle": "\U0001f7e2",
    "large_yellow_circle": "\U0001f7e1",
    "warning": "\u26a0\ufe0f",
    "wave": "\U0001f44b",
    "calendar": "\U0001f4c5",
    "date": "\U0001f4c5",
    "spiral_calendar_pad": "\U0001f5d3\ufe0f",
    "alarm_clock": "\u23f0",
    "clock1": "\U0001f550",
    "bell": "\U0001f514",
    "memo": "\U0001f4dd",
    "pencil": "\U0001f4dd",
    "pencil2": "\u270f\ufe0f",
    "speech_balloon": "\U0001f4ac",
    "handshake": "\U0001f91d",
    "seedling": "\U0001f331",
    "cloud": "\u2601\ufe0f",
    "neutral_face": "\U0001f610",
    "large_orange_square": "\U0001f7e7",
    "large_green_square": "\U0001f7e9",
    "large_blue_square": "\U0001f7e6",
    "white_large_square": "\u2b1c",
    "star": "\u2b50",
    "sparkles": "\u2728",
    "tada": "\U0001f389",
    "thumbsup": "\U0001f44d",
    "+1": "\U0001f44d",
    "raised_hands": "\U0001f64c",
    "pray": "\U0001f64f",
    "heart": "\u2764\ufe0f",
    "mag": "\U0001f50d",
    "bulb": "\U0001f4a1",
    "lock": "\U0001f512",
    "envelope": "\u2709\ufe0f",
    "incoming_envelope": "\U0001f4e8",
    "inbox_tray": "\U0001f4e5",
    "hourglass": "\u231b",
    "hourglass_flowing_sand": "\u23f3",
    "x": "\u274c",
    "no_entry": "\u26d4",
    "arrow_right": "\u27a1\ufe0f",
    "point_right": "\U0001f449",
    "chart_with_upwards_trend": "\U0001f4c8",
    "clipboard": "\U0001f4cb",
    "dart": "\U0001f3af",
    "muscle": "\U0001f4aa",
    "thinking_face": "\U0001f914",
    "slightly_smiling_face": "\U0001f642",
    "information_source": "\u2139\ufe0f",
    "arrows_counterclockwise": "\U0001f504",
    "heavy_multiplication_x": "\u2716\ufe0f",
    "star2": "\U0001f31f",
    "outbox_tray": "\U0001f4e4",
    "no_entry_sign": "\U0001f6ab",
    "large_orange_circle": "\U0001f7e0",
    "globe_with_meridians": "\U0001f310",
    "envelope_with_arrow": "\U0001f4e9",
    "earth_africa": "\U0001f30d",
    "earth_americas": "\U0001f30e",
    "earth_asia": "\U0001f30f",
    "double_vertical_bar": "\u23f8\ufe0f",
    "black_right_pointing_double_triangle_with_vertical_bar": "\u23ed\ufe0f",
    "arrow_forward": "\u25b6\ufe0f",
    "repeat": "\U0001f501",
    "stopwatch": "\u23f1\ufe0f",
    "calendar_spiral": "\U0001f5d3\ufe0f",
    "busts_in_silhouette": "\U0001f465",
    "bust_in_silhouette": "\U0001f464",
    "question": "\u2753",
    "grey_question": "\u2754",
    "exclamation": "\u2757",
    "heavy_plus_sign": "\u2795",
    "wastebasket": "\U0001f5d1\ufe0f",
    "books": "\U0001f4da",
    "link": "\U0001f517",
    "eyes": "\U0001f440",
    "rocket": "\U0001f680",
    "trophy": "\U0001f3c6",
    "chart_with_downwards_trend": "\U0001f4c9",
    "bar_chart": "\U0001f4ca",
    "pushpin": "\U0001f4cc",
    "round_pushpin": "\U0001f4cd",
    "hammer_and_wrench": "\U0001f6e0\ufe0f",
    "wrench": "\U0001f527",
    "construction": "\U0001f6a7",
    "ok_hand": "\U0001f44c",
    "clap": "\U0001f44f",
    "smile": "\U0001f604",
    "blush": "\U0001f60a",
}

_EMOJI_RE = re.compile(r":([a-z0-9_+\-]+):")
_TOKEN_RE = re.compile(r"<([^<>\n]+)>")
_CODE_BLOCK_RE = re.compile(r"```\n?(.*?)```", re.S)
_CODE_RE = re.compile(r"`([^`\n]+)`")
# Slack's formatting markers only count at word edges: "2*3*4" stays as typed.
_BOLD_RE = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])")
_ITALIC_RE = re.compile(r"(?<![\w_])_(?=\S)([^_\n]*?\S)_(?![\w_])")
_STRIKE_RE = re.compile(r"(?<![\w~])~(?=\S)([^~\n]*?\S)~(?![\w~])")
_SAFE_URL = re.compile(r"^(https?://|mailto:|slack://)", re.I)


@dataclass
class TextContext:
    """Who reads the text, and when: mentions and dates depend on it."""

    names: dict[str, str] = field(default_factory=dict)  # user id -> display name
    tz: str = "UTC"
    now: datetime | None = None


def _ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


def _date_token(body: str, ctx: TextContext) -> str:
    """<!date^1392734382^{date_short} at {time}^optional_link|fallback> in the reader's zone."""
    head, _, fallback = body.partition("|")
    parts = head.split("^")
    try:
        moment = datetime.fromtimestamp(int(parts[1]), ZoneInfo(ctx.tz))
        template = parts[2]
    except (IndexError, ValueError, OverflowError):
        return fallback or body
    today = (ctx.now or moment).astimezone(ZoneInfo(ctx.tz)).date()
    relative = {
        today: "Today",
        today - timedelta(days=1): "Yesterday",
        today + timedelta(days=1): "Tomorrow",
    }.get(moment.date())
    date = f"{moment:%B} {_ordinal(moment.day)}, {moment.year}"
    date_short = f"{moment:%b} {moment.day}, {moment.year}"
    date_long = f"{moment:%A}, {date}"
    hour = moment.hour % 12 or 12
    ampm = "AM" if moment.hour < 12 else "PM"
    values = {
        "date_num": moment.strftime("%Y-%m-%d"),
        "date": date,
        "date_short": date_short,
        "date_long": date_long,
        "date_pretty": relative or date,
        "date_short_pretty": relative or date_short,
        "date_long_pretty": relative or date_long,
        "time": f"{hour}:{moment.minute:02d} {ampm}",
        "time_secs": f"{hour}:{moment.minute:02d}:{moment.second:02d} {ampm}",
    }
    if ctx.now is not None:
        minutes = int((ctx.now - moment).total_seconds() // 60)
        values["ago"] = (
            "just now"
            if abs(minutes) < 1
            else f"{abs(minutes)} minutes {'ago' if minutes > 0 else 'from now'}"
        )
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), m.group(0)), template)


def _token_html(body: str, ctx: TextContext) -> str:
    """One <...> token: a mention, a special mention, a date, or a link."""
    if body.startswith("@"):
        user_id, _, label = body[1:].partition("|")
        name = ctx.names.get(user_id) or label or user_id
        return f'<span class="mention" data-user="{escape(user_id)}">@{escape(name)}</span>'
    if body.startswith("#"):
        channel, _, label = body[1:].partition("|")
        return f'<span class="mention">#{escape(label or channel)}</span>'
    if body.startswith("!date^"):
        return str(escape(html.unescape(_date_token(body, ctx))))
    if body.startswith("!subteam^"):
        _, _, label = body.partition("|")
        return f'<span class="mention">{escape(label or "@group")}</span>'
    if body.startswith("!"):
        word = body[1:].partition("|")[0]
        return f'<span class="mention">@{escape(word)}</span>'
    url, _, label = body.partition("|")
    url = html.unescape(url)
    text = html.unescape(label) if label else url
    if not _SAFE_URL.match(url):
        return str(escape(f"<{html.unescape(body)}>"))
    return f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(text)}</a>'


def _emoji(text: str) -> str:
    return _EMOJI_RE.sub(lambda m: EMOJI.get(m.group(1), m.group(0)), text)


class _Stash:
    """Pieces already turned into HTML, kept out of the way of later rules."""

    def __init__(self) -> None:
        self.pieces: list[str] = []

    def put(self, piece: str) -> str:
        self.pieces.append(piece)
        return f"\x00{len(self.pieces) - 1}\x00"

    def restore(self, text: str) -> str:
        while "\x00" in text:
            text = re.sub(r"\x00(\d+)\x00", lambda m: self.pieces[int(m.group(1))], text)
        return text


def _wrap(tag: str) -> Callable[[re.Match[str]], str]:
    return lambda match: f"<{tag}>{match.group(1)}</{tag}>"


def _inline(text: str, ctx: TextContext, stash: _Stash) -> str:
    text = _CODE_RE.sub(
        lambda m: stash.put(f"<code>{escape(html.unescape(m.group(1)))}</code>"), text
    )
    text = _TOKEN_RE.sub(lambda m: stash.put(_token_html(m.group(1), ctx)), text)
    text = str(escape(html.unescape(text)))
    text = _emoji(text)
    for pattern, tag in ((_BOLD_RE, "strong"), (_ITALIC_RE, "em"), (_STRIKE_RE, "del")):
        text = pattern.sub(_wrap(tag), text)
    return text


def mrkdwn(text: str | None, ctx: TextContext | None = None) -> Markup:
    """mrkdwn to safe HTML."""
    ctx = ctx or TextContext()
    stash = _Stash()
    source = _CODE_BLOCK_RE.sub(
        lambda m: stash.put(f"<pre>{escape(html.unescape(m.group(1)))}</pre>"), text or ""
    )
    out: list[str] = []
    quote: list[str] = []

    def flush_quote() -> None:
        if quote:
            out.append("<blockquote>" + "<br>".join(quote) + "</blockquote>")
            quote.clear()

    for line in source.split("\n"):
        quoted = re.match(r"^(?:&gt;|>)\s?(.*)$", line)
        if quoted:
            quote.append(_inline(quoted.group(1), ctx, stash))
            continue
        flush_quote()
        out.append(_inline(line, ctx, stash))
    flush_quote()
    joined = ""
    for i, piece in enumerate(out):
        is_quote = piece.startswith("<blockquote>")
        previous_quote = i > 0 and out[i - 1].startswith("<blockquote>")
        if i and not is_quote and not previous_quote:
            joined += "<br>"
        joined += piece
    return Markup(stash.restore(joined))


def plain_text(text: str | None, *, emoji: bool = True) -> Markup:
    """plain_text: escaped, line breaks kept, :emoji: shown when the object allows it."""
    escaped = str(escape(text or ""))
    if emoji:
        escaped = _emoji(escaped)
    return Markup(escaped.replace("\n", "<br>"))


def text_object(obj: object, ctx: TextContext | None = None) -> Markup:
    """A Block Kit text object (plain_text or mrkdwn) as HTML; a bare string as plain text."""
    if isinstance(obj, str):
        return plain_text(obj)
    if not isinstance(obj, dict):
        return Markup("")
    if obj.get("type") == "mrkdwn":
        return mrkdwn(str(obj.get("text") or ""), ctx)
    return plain_text(str(obj.get("text") or ""), emoji=obj.get("emoji", True) is not False)


def raw_text(obj: object) -> str:
    """The words of a text object, for labels and attributes (no markup)."""
    if isinstance(obj, dict):
        return str(obj.get("text") or "")
    return str(obj or "")


def label_text(obj: object, limit: int = 80) -> str:
    """A text object's first line without markup, for aria-label."""
    text = raw_text(obj).split("\n", 1)[0]
    text = _TOKEN_RE.sub(lambda m: m.group(1).rpartition("|")[2].lstrip("@#!"), text)
    text = _emoji(text)
    text = re.sub(r"(?<!\w)[*_~`]+|[*_~`]+(?!\w)", "", html.unescape(text))
    return text.strip()[:limit]
