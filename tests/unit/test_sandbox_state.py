"""From what the page reports to Slack's state.values and actions entries."""

from __future__ import annotations

from datetime import UTC, datetime

from slacksim.sandbox.state import action_entry, build_state

OPTION = {"text": {"type": "plain_text", "text": "Weekly"}, "value": "weekly"}
BLOCKS = [
    {
        "type": "input",
        "block_id": "title",
        "label": {"type": "plain_text", "text": "Title"},
        "element": {"type": "plain_text_input", "action_id": "v", "initial_value": "Draft"},
    },
    {
        "type": "input",
        "block_id": "when",
        "label": {"type": "plain_text", "text": "When"},
        "element": {"type": "datetimepicker", "action_id": "v"},
    },
    {
        "type": "input",
        "block_id": "at",
        "label": {"type": "plain_text", "text": "At"},
        "element": {"type": "timepicker", "action_id": "v", "timezone": "America/New_York"},
    },
    {
        "type": "actions",
        "elements": [
            {"type": "static_select", "action_id": "how", "options": [OPTION]},
            {"type": "checkboxes", "action_id": "done", "options": [OPTION]},
        ],
    },
]


def test_state_keeps_initial_values_and_reads_the_persons_wall_clock() -> None:
    state = build_state(
        BLOCKS,
        [
            {"b": 1, "e": "element", "value": "2026-03-03T10:00"},
            {"b": 2, "e": "element", "value": "09:30"},
            {"b": 3, "e": 0, "value": "weekly"},
            {"b": 3, "e": 1, "value": ["weekly"]},
            {"b": 3, "e": 5, "value": "ignored"},  # no such element
            {"b": 0, "e": "accessory", "value": "ignored"},
        ],
        "Europe/Berlin",
    )
    assert state["title"]["v"] == {"type": "plain_text_input", "value": "Draft"}
    ten_in_berlin = int(datetime(2026, 3, 3, 9, 0, tzinfo=UTC).timestamp())
    assert state["when"]["v"] == {"type": "datetimepicker", "selected_date_time": ten_in_berlin}
    assert state["at"]["v"] == {
        "type": "timepicker",
        "selected_time": "09:30",
        "timezone": "America/New_York",
    }
    # Message blocks without ids get stable made-up ones, as Slack gives them.
    assert state["sandbox_b3"]["how"]["selected_option"] == OPTION
    assert state["sandbox_b3"]["done"]["selected_options"] == [OPTION]


def test_an_empty_field_is_reported_as_null() -> None:
    state = build_state(BLOCKS, [{"b": 0, "e": "element", "value": None}], "UTC")
    assert state["title"]["v"]["value"] is None


def test_actions_entries_carry_what_was_chosen() -> None:
    block, select = BLOCKS[3], BLOCKS[3]["elements"][0]
    entry = action_entry(block, select, 3, 0, "weekly", "UTC")
    assert entry["selected_option"] == OPTION and entry["block_id"] == "sandbox_b3"
    button = {"type": "button", "text": {"type": "plain_text", "text": "Go"}, "value": "7"}
    entry = action_entry({"block_id": "row"}, button, 0, 0, "anything", "UTC")
    assert entry["value"] == "7" and entry["action_id"] == "sandbox_a0_0"


def test_every_kind_of_scheduled_message_has_plain_words() -> None:
    from slackapp.jobs.handlers import HANDLERS
    from slacksim.sandbox import upcoming

    assert set(HANDLERS) <= set(upcoming.WORDS)
    assert not [kind for kind in HANDLERS if "_" in upcoming.describe(kind)]
    assert upcoming.describe("meeting_reminder_employee") == "Reminder before the meeting"
    assert upcoming.describe("meeting_followup") == "How did it go?"
    assert upcoming.describe("something_new") == "A scheduled message"


def test_every_kind_of_due_work_has_exactly_one_job() -> None:
    from slackapp.jobs.handlers import CHORES, HANDLERS
    from slackapp.kernel import kinds

    assert len(set(kinds.ALL)) == len(kinds.ALL)
    assert not set(HANDLERS) & set(CHORES)
    assert set(HANDLERS) | set(CHORES) == set(kinds.ALL)
