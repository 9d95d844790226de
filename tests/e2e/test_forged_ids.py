"""Correctly signed payloads carrying ids Slack never sends (too big for the id column, signed,
not numbers): a kind word or a field error, never a 500 nor "something went wrong"."""

from __future__ import annotations

import json

import pytest

from slackapp.ids import MAX_ID, parse_id
from slackapp.views import meeting as meeting_views
from slackapp.views.feedback import SCHEDULE_CALLBACK_ID
from slackapp.views.feedback_messages import ANSWER_CALLBACK_ID
from slackapp.views.meeting_words import NOT_YOURS as NOT_YOUR_MEETING
from slackapp.views.meeting_words import ONLY_MANAGER
from slackapp.views.plan import NOT_YOURS as NOT_YOUR_PLAN
from slackapp.views.refusal import ONLY_NAMED
from slackapp.views.words import SORRY
from slacksim.fakeslack import payloads
from tests.conftest import EMPLOYEE, MANAGER, TEAM_ID, RunningApp

HUGE = "9" * 20  # more than any 64-bit integer
TOO_BIG = str(MAX_ID + 1)  # fits SQLite's INTEGER, not PostgreSQL's


def test_ids_are_read_within_the_id_columns_bounds() -> None:
    assert parse_id("1") == parse_id(1) == 1
    assert parse_id(str(MAX_ID)) == MAX_ID
    for bad in (TOO_BIG, HUGE, "0", "-1", "+1", " 1", "1.0", "١", "", None, True, 1.0, [1], 0):
        assert parse_id(bad) is None, bad


def _submit(app: RunningApp, user: str, callback_id: str, metadata: str) -> payloads.AppResponse:
    view = {
        "id": "VFORGED01",
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "hash": "1.forged",
        "blocks": [],
    }
    payload = payloads.view_submission(
        team_id=TEAM_ID,
        user_id=user,
        user_name=user.lower(),
        view=view,
        state={},
        trigger_id=app.fake.issue_trigger(user),
    )
    return app.slack.interact(payload)


def _nobody_was_told_sorry(app: RunningApp) -> None:
    for user in (EMPLOYEE, MANAGER):
        said = [m.get("text") for m in app.fake.ephemerals(user) + app.fake.messages(user)]
        assert SORRY not in said


@pytest.mark.parametrize("raw", [HUGE, TOO_BIG])
@pytest.mark.parametrize(
    "callback_id,metadata,answer",
    [
        (meeting_views.REVIEW, '{"request": "%s"}', {"response_action": "clear"}),
        (meeting_views.OUTCOME, '{"request": %s}', {"response_action": "clear"}),
        (
            meeting_views.ACCEPT_CHOOSER,
            '{"request": "%s"}',
            {"response_action": "errors", "errors": {"meeting_choice": ONLY_MANAGER}},
        ),
        (
            meeting_views.PROPOSE_MODAL,
            '{"request": %s, "by": "manager"}',
            {"response_action": "errors", "errors": {"propose_date": ONLY_MANAGER}},
        ),
        (
            meeting_views.DECLINE_MODAL,
            '{"request": "%s"}',
            {"response_action": "errors", "errors": {"decline_reason": ONLY_MANAGER}},
        ),
        (
            ANSWER_CALLBACK_ID,
            "%s",
            {
                "response_action": "errors",
                "errors": {"rating": "I can't find that feedback request any more."},
            },
        ),
        (
            "plan_modal",
            '{"plan": %s, "steps": [null]}',
            {"response_action": "errors", "errors": {"plan_title": NOT_YOUR_PLAN}},
        ),
        (
            "reflect_modal",
            '{"plan": %s, "rows": 1}',
            {"response_action": "errors", "errors": {"reflect_cause": NOT_YOUR_PLAN}},
        ),
        (
            "plan_add_step",
            '{"plan": "%s"}',
            {"response_action": "errors", "errors": {"plan_step_0_text": NOT_YOUR_PLAN}},
        ),
    ],
)
def test_a_submission_naming_an_id_no_column_holds_gets_a_kind_answer(
    running_app: RunningApp, callback_id: str, metadata: str, answer: dict[str, object], raw: str
) -> None:
    for user in (EMPLOYEE, MANAGER):
        response = _submit(running_app, user, callback_id, metadata % raw)
        assert response.status == 200, response.body
        assert response.json() == answer
    _nobody_was_told_sorry(running_app)


def test_a_schedule_naming_a_schedule_no_column_holds_is_refused(running_app: RunningApp) -> None:
    for raw in (int(HUGE), int(TOO_BIG)):
        response = _submit(
            running_app, EMPLOYEE, SCHEDULE_CALLBACK_ID, json.dumps({"schedule_id": raw})
        )
        assert response.status == 200, response.body
        # Read as a new schedule: the empty form's own errors, nothing about anyone's schedule.
        assert response.json()["response_action"] == "errors"
    _nobody_was_told_sorry(running_app)


def _press(app: RunningApp, user: str, action_id: str, value: str) -> payloads.AppResponse:
    channel = app.fake.dm_channel(user)
    payload = payloads.block_actions(
        team_id=TEAM_ID,
        user_id=user,
        user_name=user.lower(),
        actions=[{"type": "button", "block_id": "b", "action_id": action_id, "value": value}],
        trigger_id=app.fake.issue_trigger(user),
        container={"type": "message", "message_ts": "1.000001", "channel_id": channel},
        message={"ts": "1.000001", "text": "", "blocks": []},
        channel_id=channel,
    )
    return app.slack.interact(payload)


@pytest.mark.parametrize("raw", [HUGE, TOO_BIG])
@pytest.mark.parametrize(
    "action_id,refusal",
    [
        ("plan_close", NOT_YOUR_PLAN),
        ("plan_edit_open", NOT_YOUR_PLAN),
        ("plan_step_done_dm", NOT_YOUR_PLAN),
        ("reflect_edit_open", NOT_YOUR_PLAN),
        ("meeting_cancel", NOT_YOUR_MEETING),
        ("meeting_resend", NOT_YOUR_MEETING),
        ("meeting_outcome_open", NOT_YOUR_MEETING),
        ("meeting_accept", ONLY_MANAGER),
        ("meeting_decline", ONLY_MANAGER),
        ("feedback_give", "I can't find that feedback request any more."),
        ("feedback_pause", "That feedback schedule isn't yours, so I left it alone."),
    ],
)
def test_a_button_naming_an_id_no_column_holds_gets_a_kind_note(
    running_app: RunningApp, action_id: str, refusal: str, raw: str
) -> None:
    assert _press(running_app, EMPLOYEE, action_id, raw).status == 200
    fake = running_app.fake

    def told() -> list[str]:
        return [m.get("text") or "" for m in fake.ephemerals(EMPLOYEE) + fake.messages(EMPLOYEE)]

    running_app.slack.wait_for(lambda: refusal in told(), what="the kind refusal")
    _nobody_was_told_sorry(running_app)


@pytest.mark.parametrize("kind", ["meeting", "feedback"])
@pytest.mark.parametrize("raw", [HUGE, TOO_BIG, "0", "-1", " 1", "\u0661", ""])
def test_not_their_manager_naming_an_id_no_column_holds_gets_a_kind_note(
    running_app: RunningApp, kind: str, raw: str
) -> None:
    """ "I'm not their manager" carries "meeting:12": its id is read with the same bounds."""
    assert _press(running_app, MANAGER, "manager_not_mine", f"{kind}:{raw}").status == 200
    running_app.slack.wait_for(
        lambda: ONLY_NAMED in [m.get("text") for m in running_app.fake.ephemerals(MANAGER)],
        what="the kind refusal",
    )
    _nobody_was_told_sorry(running_app)


@pytest.mark.parametrize("step_id", [HUGE, TOO_BIG])
def test_a_step_checkbox_naming_an_id_no_column_holds_changes_nothing(
    running_app: RunningApp, step_id: str
) -> None:
    payload = payloads.block_actions(
        team_id=TEAM_ID,
        user_id=EMPLOYEE,
        user_name="emma",
        actions=[
            {
                "type": "checkboxes",
                "block_id": "b",
                "action_id": f"plan_step_toggle_{step_id}",
                "selected_options": [{"value": "done"}],
            }
        ],
        trigger_id=running_app.fake.issue_trigger(EMPLOYEE),
        container={"type": "view", "view_id": "VHOME"},
        view={"id": "VHOME", "type": "home", "blocks": []},
    )
    assert running_app.slack.interact(payload).status == 200
    running_app.slack.wait_for(
        lambda: NOT_YOUR_PLAN in [m.get("text") for m in running_app.fake.messages(EMPLOYEE)],
        what="the kind refusal",
    )
    _nobody_was_told_sorry(running_app)
