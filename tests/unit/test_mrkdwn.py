"""slackapp/views/mrkdwn.py: typed text put into mrkdwn shows as typed and never acts as markup."""

from __future__ import annotations

import html

import pytest

from slackapp.views.help import help_text
from slackapp.views.mrkdwn import SOFT_HYPHEN, escape, quote
from slacksim.sandbox.mrkdwn import mrkdwn as draw


def test_control_characters_become_slacks_escapes() -> None:
    assert escape("<!channel> & <@U123>") == "&lt;!channel&gt; &amp; &lt;@U123&gt;"
    link = escape("<https://evil.example/login|Open Second Chance to answer>")
    assert "<" not in link and ">" not in link
    assert html.unescape(link) == "<https://evil.example/login|Open Second Chance to answer>"
    # Typed entities stay as typed: "&amp;" shows as "&amp;", not as "&".
    assert html.unescape(escape("&amp; &lt;")) == "&amp; &lt;"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("*bold*", "\u2217bold\u2217"),
        ("_it_", "\u02cdit\u02cd"),
        ("~gone~", "\u223cgone\u223c"),
        ("`code` ```block```", "\u02cbcode\u02cb \u02cb\u02cb\u02cbblock\u02cb\u02cb\u02cb"),
        ("\uff0afull\uff0a \uff3f \uff5e \uff40", "\u2217full\u2217 \u02cd \u223c \u02cb"),
    ],
)
def test_formatting_characters_become_lookalikes_that_slack_leaves_alone(
    typed: str, shown: str
) -> None:
    assert escape(typed) == shown
    assert str(draw(f"*x {escape(typed)}*")) == f"<strong>x {shown}</strong>"


def test_the_apps_own_formatting_around_typed_text_holds() -> None:
    assert str(draw(f"*Plan: {escape('a * b')}*")) == "<strong>Plan: a \u2217 b</strong>"
    assert str(draw(f"~{escape('x~y ~z')}~")) == "<del>x\u223cy \u223cz</del>"


def test_a_typed_emoji_code_still_shows_as_the_emoji() -> None:
    assert escape("Done :white_check_mark: :tada:") == "Done :white_check_mark: :tada:"
    assert escape(":_sneaky_:") == ":\u02cdsneaky\u02cd:"


def test_a_typed_quote_does_not_quote() -> None:
    for typed in ("> not a quote", "line\n> still not", "x\n  >indented", "\uff1e wide"):
        drawn = str(draw(escape(typed)))
        assert "<blockquote>" not in drawn, typed
    assert escape("> x") == SOFT_HYPHEN + "&gt; x"
    assert escape("a > b") == "a &gt; b"  # only at the start of a line


def test_quote_quotes_every_line_and_a_typed_quote_inside_stays_text() -> None:
    assert quote("one\ntwo") == ">one\n>two"
    assert quote("> three") == ">" + SOFT_HYPHEN + "&gt; three"
    assert str(draw(quote("one\r\ntwo"))) == "<blockquote>one<br>two</blockquote>"


def test_one_line_joins_the_lines() -> None:
    assert escape("first\n\n  second\r\nthird", one_line=True) == "first second third"
    assert escape("first\nsecond") == "first\nsecond"


def test_limit_caps_the_escaped_length_and_never_cuts_an_escape() -> None:
    assert escape("abcdefghij", limit=5) == "abcd…"
    assert escape("abc", limit=3) == "abc"
    for limit in range(1, 40):
        cut = escape("<&>" * 20, limit=limit)
        assert len(cut) <= limit and cut.endswith("…")
        assert ("<&>" * 20).startswith(html.unescape(cut.removesuffix("…")))
        assert "&" not in cut.replace("&lt;", "").replace("&amp;", "").replace("&gt;", "")


def test_no_text_is_an_empty_string() -> None:
    assert escape(None) == "" and escape("") == "" and quote(None) == ">"


def test_help_shows_an_unknown_word_as_typed() -> None:
    text = help_text("<!here>*x*")
    assert "<!here>" not in text
    assert "`&lt;!here&gt;\u2217x\u2217`" in text
