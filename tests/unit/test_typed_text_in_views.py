"""Typed text reaches every Slack surface as typed, never as markup (issue 11, "Trust").

Each builder in slackapp/views (tests/unit/view_cases.py) is rendered twice: with hostile text in
every field a person types into, and with plain words. Whatever the hostile text adds must be
words only: no <…> of its own (a live mention, <!channel>, a disguised link), no formatting
character, no quote, and, drawn as Slack draws it (the sandbox's renderer), the same bold,
italics, strikes, code and quotes as with plain words. And it still reads as typed.
"""

from __future__ import annotations

import html
import importlib
import inspect
import pkgutil
import re
from collections import Counter
from typing import Any

import pytest
from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block

import slackapp.views
from slacksim.fakeslack.validation import validate_blocks, validate_view
from slacksim.sandbox.mrkdwn import mrkdwn as draw
from tests.unit.view_cases import CASES, NOT_BUILDERS, Case

HOSTILE = (
    "<!channel> <@U123> <https://evil.example/login|Open Second Chance to answer> "
    "*all* _of_ ~this~ `is` &amp; typed\n> and quoted"
)
PLAIN = "plain words typed\nand more words"
LIVE = ("<!channel>", "<@U123>", "<https://evil.example")
FORMATTING = "*_~`\uff0a\uff3f\uff5e\uff40"
# Characters that look like the formatting characters and mean nothing to Slack.
LOOKS_LIKE = str.maketrans({"\u2217": "*", "\u02cd": "_", "\u223c": "~", "\u02cb": "`"})
DRAWN_AS = (
    "<strong>",
    "<em>",
    "<del>",
    "<code>",
    "<pre>",
    "<blockquote>",
    "<a ",
    'class="mention"',
)


def public_functions() -> set[str]:
    found = set()
    for info in pkgutil.iter_modules(slackapp.views.__path__):
        module = importlib.import_module(f"slackapp.views.{info.name}")
        for name, value in vars(module).items():
            ours = inspect.isfunction(value) and value.__module__ == module.__name__
            if ours and not name.startswith("_"):
                found.add(f"{info.name}.{name}")
    return found


def test_every_public_builder_in_views_is_covered() -> None:
    public = public_functions()
    assert public - set(CASES) - set(NOT_BUILDERS) == set(), "add these to view_cases.CASES"
    assert set(CASES) | set(NOT_BUILDERS) <= public, "view_cases names what no longer exists"
    assert not set(CASES) & set(NOT_BUILDERS)


def texts(out: Any) -> tuple[list[str], list[str]]:
    """(mrkdwn, plain) of whatever a builder returns. A bare string is a message's text or a
    section's: mrkdwn. Plain is plain_text objects and the values typed into inputs."""
    if isinstance(out, JsonObject):
        out = out.to_dict()
    if isinstance(out, str):
        return [out], []
    if isinstance(out, (list, tuple)):
        found: tuple[list[str], list[str]] = ([], [])
        for item in out:
            more = texts(item)
            found[0].extend(more[0])
            found[1].extend(more[1])
        return found
    return _in_object(out) if isinstance(out, dict) else ([], [])


def _in_object(obj: dict[str, Any]) -> tuple[list[str], list[str]]:
    if obj.get("type") == "mrkdwn" and isinstance(obj.get("text"), str):
        return [obj["text"]], []
    if obj.get("type") == "plain_text" and isinstance(obj.get("text"), str):
        return [], [obj["text"]]
    marked: list[str] = []
    # An input's value, and an image's alt text (plain text, what a screen reader says).
    plain = [obj[key] for key in ("initial_value", "alt_text") if isinstance(obj.get(key), str)]
    for value in obj.values():
        if isinstance(value, (dict, list)):
            more = texts(value)
            marked += more[0]
            plain += more[1]
    return marked, plain


def valid(out: Any, surface: str) -> None:
    """Hostile text must not push anything past Slack's limits either."""
    if isinstance(out, JsonObject) and not isinstance(out, Block):
        return  # an element or an option: slack_sdk checks it as it is made
    if isinstance(out, dict) and out.get("type") in ("modal", "home"):
        assert validate_view(out) == (None, []), validate_view(out)
    elif isinstance(out, tuple):
        valid(list(out[1]), surface)
    elif isinstance(out, list) and out and all(isinstance(b, (Block, dict)) for b in out):
        raw = [b.to_dict() if isinstance(b, Block) else b for b in out]
        if all("type" in b for b in raw) and raw[0]["type"] not in ("modal", "home"):
            assert validate_blocks(raw, surface) == [], validate_blocks(raw, surface)
        else:
            for item in out:
                valid(item, surface)


def live_markup(marked: list[str]) -> Counter[str]:
    return Counter(token for text in marked for token in re.findall(r"<[^<>]*>", text))


def quote_lines(marked: list[str]) -> int:
    return sum(1 for text in marked for line in text.split("\n") if re.match(r"\s*(>|&gt;)", line))


def drawn(marked: list[str]) -> Counter[str]:
    pages = [str(draw(text)) for text in marked]
    return Counter({tag: sum(page.count(tag) for page in pages) for tag in DRAWN_AS})


def reads_as(marked: list[str], plain: list[str]) -> str:
    """What a reader sees: the app's own quote marks gone, Slack's escapes decoded, lookalikes
    read as what they look like, invisible soft hyphens unseen, any run of space one space."""
    shown = []
    for text in marked:
        lines = [re.sub(r"^(>|&gt;) ?", "", line) for line in text.split("\n")]
        shown.append(html.unescape("\n".join(lines)).replace("\u00ad", "").translate(LOOKS_LIKE))
    return " ".join(" ".join([*shown, *plain]).split())


@pytest.mark.parametrize("name", sorted(CASES))
def test_typed_text_is_shown_as_typed_and_never_as_markup(name: str) -> None:
    case: Case = CASES[name]
    hostile, plain = case.build(HOSTILE), case.build(PLAIN)
    valid(hostile, case.surface)
    (marked, typed_plain), (plain_marked, _) = texts(hostile), texts(plain)
    assert marked or typed_plain, f"{name} shows no text at all"
    for text in marked:
        for token in LIVE:
            assert token not in text, f"{name}: {token} went out live"
    assert live_markup(marked) == live_markup(plain_marked), f"{name}: <…> from typed text"
    for char in FORMATTING:
        mine, theirs = sum(t.count(char) for t in marked), sum(t.count(char) for t in plain_marked)
        assert mine == theirs, f"{name}: a typed {char!r} reached the mrkdwn"
    assert quote_lines(marked) == quote_lines(plain_marked), f"{name}: a typed > became a quote"
    assert drawn(marked) == drawn(plain_marked), f"{name}: typed text changed the formatting"
    if case.shows_typed:
        one_line = " ".join(HOSTILE.split())
        assert one_line in reads_as(marked, typed_plain), f"{name} does not read as typed"
    else:
        assert "evil.example" not in str(hostile), f"{name} shows typed text: mark it so"
