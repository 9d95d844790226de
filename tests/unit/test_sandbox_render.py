"""The sandbox's Block Kit renderer and mrkdwn: every element the app sends is drawn, anything
else is refused where it would have been, and text is always escaped."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from slacksim.sandbox.mrkdwn import EMOJI, TextContext, label_text, mrkdwn
from slacksim.sandbox.render import RenderContext, render_blocks, unknown_types

ROOT = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def ctx(**extra: object) -> RenderContext:
    return RenderContext(
        prefix="t",
        surface="modal",
        tz="Europe/Berlin",
        now=NOW,
        people=[("UEMMA", "Emma Employee"), ("UMAX", "Max Manager")],
        **extra,  # type: ignore[arg-type]
    )


def text(kind: str, value: str) -> dict[str, object]:
    return {"type": kind, "text": value}


def test_mrkdwn_formats_like_slack_and_escapes_everything_else() -> None:
    names = TextContext(names={"UMAX": "Max Manager"}, tz="Europe/Berlin", now=NOW)
    html = str(
        mrkdwn(
            "*bold* _it_ ~gone~ `code` <https://example.com|a link> <@UMAX>\n"
            "&lt;script&gt; & 2*3*4 :white_check_mark: :not_an_emoji:",
            names,
        )
    )
    assert "<strong>bold</strong>" in html and "<em>it</em>" in html and "<del>gone</del>" in html
    assert "<code>code</code>" in html
    assert (
        '<a href="https://example.com" target="_blank" rel="noopener noreferrer">a link</a>' in html
    )
    assert "@Max Manager" in html
    assert "<br>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html
    assert "2*3*4" in html  # markers inside words stay as typed
    assert "\u2705" in html and ":not_an_emoji:" in html


def test_mrkdwn_refuses_script_links_and_raw_html() -> None:
    html = str(mrkdwn('<javascript:alert(1)|click> <b>bold</b> "quoted"'))
    assert "href" not in html
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_quotes_code_blocks_and_dates_in_the_readers_zone() -> None:
    moment = int(datetime(2026, 3, 3, 15, 0, tzinfo=UTC).timestamp())
    berlin = TextContext(tz="Europe/Berlin", now=NOW)
    html = str(
        mrkdwn(
            f"&gt; quoted\n```a *b*```\n<!date^{moment}^{{date_short_pretty}} {{time}}|x>", berlin
        )
    )
    assert "<blockquote>quoted</blockquote>" in html
    assert "<pre>a *b*</pre>" in html
    assert "Tomorrow 4:00 PM" in html
    new_york = TextContext(tz="America/New_York", now=NOW)
    assert "Mar 3, 2026 10:00 AM" in str(
        mrkdwn(f"<!date^{moment}^{{date_short}} {{time}}|x>", new_york)
    )


def test_labels_lose_their_markup() -> None:
    assert label_text(text("mrkdwn", "*Step* <@U1|emma> :wave:\nmore")) == "Step emma \U0001f44b"


def test_every_emoji_the_app_writes_is_known() -> None:
    used: set[str] = set()
    for path in (ROOT / "slackapp").rglob("*.py"):
        if {"sandbox", "fakeslack"} & set(path.parts):
            continue
        used |= set(re.findall(r":([a-z0-9_+]+):", path.read_text()))
    missing = sorted(used - set(EMOJI) - {"emoji"})
    assert not missing, f"add these to slacksim/sandbox/mrkdwn.py EMOJI: {missing}"


ALL_ELEMENTS = [
    {"type": "header", "text": text("plain_text", "A header")},
    {"type": "divider"},
    {"type": "context", "elements": [text("mrkdwn", "_small print_"), text("plain_text", "plain")]},
    {
        "type": "section",
        "block_id": "s",
        "text": text("mrkdwn", "*Section*"),
        "fields": [text("mrkdwn", "*One*"), text("plain_text", "Two")],
        "accessory": {
            "type": "overflow",
            "action_id": "more",
            "options": [{"text": text("plain_text", "Edit"), "value": "edit"}],
        },
    },
    {
        "type": "actions",
        "block_id": "a",
        "elements": [
            {
                "type": "button",
                "action_id": "go",
                "text": text("plain_text", "Go"),
                "style": "primary",
            },
            {
                "type": "button",
                "action_id": "stop",
                "text": text("plain_text", "Stop"),
                "style": "danger",
                "confirm": {
                    "title": text("plain_text", "Sure?"),
                    "text": text("mrkdwn", "It *stops*."),
                    "confirm": text("plain_text", "Stop it"),
                    "deny": text("plain_text", "Keep going"),
                    "style": "danger",
                },
            },
            {
                "type": "static_select",
                "action_id": "pick",
                "placeholder": text("plain_text", "Pick one"),
                "options": [{"text": text("plain_text", "Weekly"), "value": "weekly"}],
            },
        ],
    },
    {
        "type": "input",
        "block_id": "title",
        "label": text("plain_text", "Title"),
        "element": {"type": "plain_text_input", "action_id": "v", "initial_value": "<b>x</b>"},
    },
    {
        "type": "input",
        "block_id": "story",
        "optional": True,
        "label": text("plain_text", "Story"),
        "hint": text("plain_text", "Take your time"),
        "element": {
            "type": "plain_text_input",
            "action_id": "v",
            "multiline": True,
            "max_length": 300,
        },
    },
    {
        "type": "input",
        "block_id": "day",
        "label": text("plain_text", "Day"),
        "element": {"type": "datepicker", "action_id": "v", "initial_date": "2026-03-03"},
    },
    {
        "type": "input",
        "block_id": "at",
        "label": text("plain_text", "At"),
        "element": {
            "type": "timepicker",
            "action_id": "v",
            "initial_time": "10:00",
            "timezone": "America/New_York",
        },
    },
    {
        "type": "input",
        "block_id": "when",
        "label": text("plain_text", "When"),
        "element": {
            "type": "datetimepicker",
            "action_id": "v",
            "initial_date_time": int(datetime(2026, 3, 3, 9, 0, tzinfo=UTC).timestamp()),
        },
    },
    {
        "type": "input",
        "block_id": "who",
        "dispatch_action": True,
        "label": text("plain_text", "Manager"),
        "element": {"type": "users_select", "action_id": "v", "initial_user": "UMAX"},
    },
    {
        "type": "input",
        "block_id": "many",
        "label": text("plain_text", "People"),
        "element": {"type": "multi_users_select", "action_id": "v"},
    },
    {
        "type": "input",
        "block_id": "boxes",
        "label": text("plain_text", "Boxes"),
        "element": {
            "type": "checkboxes",
            "action_id": "v",
            "options": [
                {
                    "text": text("mrkdwn", "*Done*"),
                    "value": "done",
                    "description": text("plain_text", "ticked"),
                }
            ],
            "initial_options": [{"text": text("mrkdwn", "*Done*"), "value": "done"}],
        },
    },
    {
        "type": "input",
        "block_id": "radio",
        "label": text("plain_text", "Rating"),
        "element": {
            "type": "radio_buttons",
            "action_id": "v",
            "options": [{"text": text("plain_text", "On track"), "value": "on_track"}],
        },
    },
    {
        "type": "input",
        "block_id": "count",
        "label": text("plain_text", "Count"),
        "element": {
            "type": "number_input",
            "action_id": "v",
            "is_decimal_allowed": False,
            "min_value": "1",
        },
    },
]


def test_every_element_the_issue_names_is_drawn_and_none_refused() -> None:
    assert unknown_types(ALL_ELEMENTS) == []
    html = str(render_blocks(ALL_ELEMENTS, ctx(errors={"title": "Give it a title."})))
    assert "data-unknown" not in html
    assert '<h3 class="bk-header">A header</h3>' in html
    assert 'class="bk-button bk-primary"' in html and 'class="bk-button bk-danger"' in html
    assert "<strong>stops</strong>" in html and 'data-confirm-label="Stop it"' in html
    assert 'role="menu"' in html and 'data-option="edit"' in html
    assert 'value="&lt;b&gt;x&lt;/b&gt;"' in html  # typed text stays text
    assert "<textarea" in html and 'maxlength="300"' in html and "(optional)" in html
    assert 'type="date"' in html and 'value="2026-03-03"' in html
    assert 'type="time"' in html and "New York time (EST)" in html
    assert 'type="datetime-local"' in html and 'value="2026-03-03T10:00"' in html  # Berlin
    assert '<option value="UMAX" selected>Max Manager</option>' in html
    assert "multiple" in html
    assert 'type="checkbox"' in html and "checked" in html and "ticked" in html
    assert 'type="radio"' in html and 'type="number"' in html
    # The field error from response_action: errors, tied to its field.
    assert "Give it a title." in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="t-5-element-error"' in html
    # Labels point at their fields.
    assert '<label class="bk-label" id="t-5-element-label" for="t-5-element">Title</label>' in html


def test_unknown_blocks_and_elements_are_refused_in_plain_sight() -> None:
    blocks = [
        {"type": "rich_text", "elements": []},
        {"type": "actions", "elements": [{"type": "conversations_select", "action_id": "c"}]},
        {
            "type": "section",
            "text": text("plain_text", "x"),
            "accessory": {"type": "workflow_button"},
        },
        {"type": "input", "label": text("plain_text", "File"), "element": {"type": "file_input"}},
        {"type": "context", "elements": [{"type": "video"}]},
    ]
    assert unknown_types(blocks) == [
        "block:rich_text",
        "element:conversations_select",
        "element:workflow_button",
        "element:file_input",
        "element:video",
    ]
    html = str(render_blocks(blocks, ctx()))
    for kind in ("rich_text", "conversations_select", "workflow_button", "file_input", "video"):
        assert 'data-unknown="' in html and f':{kind}"' in html
    assert html.count('role="note"') == 5
