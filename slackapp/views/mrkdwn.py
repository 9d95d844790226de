"""What people typed, put into mrkdwn so that it shows exactly as typed and never acts as markup.

Every piece of user text that goes into a mrkdwn field (sections, fields, context, the App Home,
DMs, a message's notification text) goes through escape() or quote() here.

Slack reads &, < and > as control characters: <!channel>, <@U123> and <https://…|a label> typed
by an employee would become a live mention or a disguised link in their manager's DM, sent by the
app. Slack's own escapes (&amp;, &lt;, &gt;) stop that. For the formatting characters *, _, ~ and
` Slack has no escape at all, so they are swapped for characters that look the same and mean
nothing to Slack; otherwise a typed * closes the app's own *bold* around it early. A typed line
that starts with > would still become a quote (Slack treats &gt; there like >), so an invisible
soft hyphen goes in front of it.
"""

from __future__ import annotations

import re

# Each formatting character (and its full-width form, which Slack also formats) and a lookalike.
LOOKALIKES = {
    "*": "\u2217",  # ∗ asterisk operator
    "\uff0a": "\u2217",
    "_": "\u02cd",  # ˍ modifier letter low macron
    "\uff3f": "\u02cd",
    "~": "\u223c",  # ∼ tilde operator
    "\uff5e": "\u223c",
    "`": "\u02cb",  # ˋ modifier letter grave accent
    "\uff40": "\u02cb",
}
SOFT_HYPHEN = "\u00ad"

_TABLE = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", **LOOKALIKES})
# :white_check_mark: keeps its underscores, so a typed emoji code still shows as the emoji; an
# underscore between two letters is not a formatting mark to Slack.
_SHORTCODE = re.compile(r"(:[a-z0-9+\-]+(?:_[a-z0-9+\-]+)+:)")
_QUOTE_START = re.compile(r"^(?=[ \t]*(?:&gt;|\uff1e))", re.MULTILINE)
_LINE_BREAKS = re.compile(r"[ \t]*(?:\r\n|\r|\n)+[ \t]*")


def escape(text: str | None, *, limit: int | None = None, one_line: bool = False) -> str:
    """Typed text for a mrkdwn field: shown as typed, with no mention, link or formatting.

    limit caps the length of what comes back: the typed text is cut (with "…") before it is
    escaped, so an escape is never cut in half and &, < and > growing into entities cannot push
    a block past Slack's limits. one_line joins the lines with spaces, for text inside the app's
    own *bold* or _italics_ or in a list item, where a line break would split the formatting.
    """
    typed = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    if one_line:
        typed = _LINE_BREAKS.sub(" ", typed)
    escaped = _escape(typed)
    if limit is None or len(escaped) <= limit:
        return escaped
    # The longest start of the typed text whose escaped form, with "…", still fits.
    short, long = 0, min(len(typed), limit)
    while short < long:
        middle = (short + long + 1) // 2
        if len(_escape(typed[:middle])) < limit:
            short = middle
        else:
            long = middle - 1
    return _escape(typed[:short]) + "…"


def _escape(typed: str) -> str:
    pieces = _SHORTCODE.split(typed)
    escaped = "".join(piece if i % 2 else piece.translate(_TABLE) for i, piece in enumerate(pieces))
    return _QUOTE_START.sub(SOFT_HYPHEN, escaped)


def quote(text: str | None, *, limit: int | None = None) -> str:
    """Typed text as a block quote, every line of it (a bare > quotes only the first line)."""
    return "\n".join(f">{line}" for line in escape(text, limit=limit).split("\n"))
