"""Correctly signed payloads that name someone else's modal or message: the app redraws only a
view it opened for the person acting (views.update), and edits only a message it sent for that
record, at the place it stored (chat.update). Nothing the payload names alone is touched."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from models import MeetingRequest, Step
from slackapp.services.people import find_person
from slackapp.services.plans import active_plan
from slackapp.views.feedback import ScheduleModal
from slackapp.views.plan_state import PlanModalMeta
from slackapp.views.reflection import ReflectionModalMeta
from slacksim.fakeslack import payloads
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, TEAM_ID, RunningApp
from tests.e2e.test_plan_flow import make_plan, top
from tests.e2e.test_plan_reminders import at, reminders, tick_at
from tests.support.meeting import click, latest, refreshed, request_row, sent_request
from tests.support.meeting import top as top_modal

Json = dict[str, Any]
LEFT_ALONE = "left alone a view that was not opened for the person acting"


def _updates_of(app: RunningApp, view_id: str) -> list[Json]:
    return [c.args for c in app.fake.calls_to("views.update") if c.args.get("view_id") == view_id]


def _forge_in_view(app: RunningApp, user: str, view: Json, action: Json, metadata: str) -> None:
    """`user` clicks in a modal that is someone else's, carrying their own private_metadata."""
    forged = {**view, "private_metadata": metadata}
    payload = payloads.block_actions(
        team_id=TEAM_ID,
        user_id=user,
        user_name=user.lower(),
        actions=[{"block_id": "b", "action_ts": "1.0", **action}],
        trigger_id=app.fake.issue_trigger(user),
        container={"type": "view", "view_id": view["id"]},
        view=forged,
        state={},
    )
    assert app.slack.interact(payload).status == 200


def _colleague_ids(app: RunningApp) -> tuple[int, int]:
    with app.runtime.session_factory() as session:
        colleague = find_person(session, workspace_id=1, slack_user_id=COLLEAGUE)
        assert colleague is not None
        plan = active_plan(session, colleague)
        assert plan is not None
        return plan.id, plan.steps[0].id


def _actions(plan_id: int, step_id: int) -> list[tuple[Json, str]]:
    plan_meta = PlanModalMeta(plan_id=plan_id, step_ids=[step_id]).to_json()
    reflect_meta = ReflectionModalMeta(plan_id, rows=1).to_json()
    return [
        ({"type": "button", "action_id": "plan_add_row"}, plan_meta),
        ({"type": "button", "action_id": "plan_remove_row"}, plan_meta),
        ({"type": "button", "action_id": "plan_start_new", "value": str(plan_id)}, plan_meta),
        ({"type": "button", "action_id": "reflect_add_row"}, reflect_meta),
        (
            {"type": "checkboxes", "action_id": "reflect_factors_changed", "selected_options": []},
            reflect_meta,
        ),
        ({"type": "button", "action_id": "plan_next_reflect"}, "{}"),
        ({"type": "button", "action_id": "reflect_go_plan"}, "{}"),
        ({"type": "users_select", "action_id": "meeting_manager_select", "selected_user": MANAGER}, "{}"),
        (
            {"type": "users_select", "action_id": "feedback_manager_pick", "selected_user": MANAGER},
            ScheduleModal().metadata(),
        ),
        (
            {"type": "datepicker", "action_id": "feedback_first_date_pick", "selected_date": "2026-03-10"},
            ScheduleModal().metadata(),
        ),
    ]  # fmt: skip


ACTION_IDS = [a["action_id"] for a, _ in _actions(1, 1)]


@pytest.mark.parametrize("index", range(len(ACTION_IDS)), ids=ACTION_IDS)
def test_a_click_naming_someone_elses_modal_never_redraws_it(
    running_app: RunningApp, caplog: pytest.LogCaptureFixture, index: int
) -> None:
    app = running_app
    make_plan(app, COLLEAGUE, title="Missed the Pune deadline")
    app.slack.command(EMPLOYEE, "plan")
    victim = top(app, EMPLOYEE, "plan_modal")
    action, metadata = _actions(*_colleague_ids(app))[index]

    with caplog.at_level(logging.INFO, logger="slackapp.listeners.modals"):
        _forge_in_view(app, COLLEAGUE, victim, action, metadata)
        app.slack.wait_for(lambda: LEFT_ALONE in caplog.text, what="the forged view left alone")
    assert _updates_of(app, victim["id"]) == []
    assert app.fake.view_stack(EMPLOYEE) == [victim]
    assert "Pune" not in json.dumps(app.fake.view_stack(EMPLOYEE))


def test_the_owner_still_redraws_their_own_modal(running_app: RunningApp) -> None:
    app = running_app
    app.slack.command(EMPLOYEE, "plan")
    view = top(app, EMPLOYEE, "plan_modal")
    app.slack.click_in_view(EMPLOYEE, "plan_add_row", values={"plan_title": "Acme"})
    top(app, EMPLOYEE, "plan_modal", has_block="plan_step_1_text")
    assert len(_updates_of(app, view["id"])) == 1


def test_cancelling_from_a_modal_that_is_someone_elses_leaves_it_alone(
    running_app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    app = running_app
    sent_request(app)  # EMPLOYEE's own request to MANAGER
    request_id = request_row(app).id
    app.slack.command(COLLEAGUE, "plan")
    victim = top(app, COLLEAGUE, "plan_modal")

    with caplog.at_level(logging.INFO, logger="slackapp.listeners.modals"):
        _forge_in_view(
            app,
            EMPLOYEE,
            victim,
            {"type": "button", "action_id": "meeting_cancel", "value": str(request_id)},
            victim["private_metadata"],
        )
        app.slack.wait_for(lambda: LEFT_ALONE in caplog.text, what="the forged view left alone")
    assert request_row(app).status == "cancelled"  # their own request: that part is theirs to do
    assert _updates_of(app, victim["id"]) == []
    assert app.fake.view_stack(COLLEAGUE) == [victim]


def _press_in_message(app: RunningApp, user: str, action: Json, channel: str, ts: str) -> None:
    payload = payloads.block_actions(
        team_id=TEAM_ID,
        user_id=user,
        user_name=user.lower(),
        actions=[{"block_id": "b", "action_ts": "1.0", **action}],
        trigger_id=app.fake.issue_trigger(user),
        container={"type": "message", "message_ts": ts, "channel_id": channel},
        message={"ts": ts, "text": "", "blocks": []},
        channel_id=channel,
    )
    assert app.slack.interact(payload).status == 200


def _step_done(app: RunningApp, step_id: int) -> bool:
    with app.runtime.session_factory() as session:
        return session.scalar(select(Step.done_at).where(Step.id == step_id)) is not None


def test_mark_as_done_edits_only_the_reminder_sent_for_that_step(running_app: RunningApp) -> None:
    app = running_app
    mine = make_plan(
        app,
        EMPLOYEE,
        steps=[("Call the buyer", "2026-03-05", True), ("Write to the buyer", "2026-03-06", True)],
    )
    # Thursday 5 March: a working day in both zones (4 March 2026 is Holi, a holiday in India).
    make_plan(app, COLLEAGUE, title="Missed Pune", steps=[("Ring Pune", "2026-03-05", False)])
    tick_at(app, at(8, 0, day=5))  # 09:00 in Berlin, 13:30 in Kolkata: both reminders are out
    (theirs,) = reminders(app, COLLEAGUE)
    (own,) = reminders(app, EMPLOYEE)
    first, second = (step.id for step in mine.steps)

    # Someone else's reminder, named with one of my own steps.
    _press_in_message(
        app,
        EMPLOYEE,
        {"type": "button", "action_id": "plan_step_done_dm", "value": str(first)},
        app.fake.dm_channel(COLLEAGUE),
        theirs["ts"],
    )
    # My own reminder, named with the other step (its reminder is tomorrow's).
    _press_in_message(
        app,
        EMPLOYEE,
        {"type": "button", "action_id": "plan_step_done_dm", "value": str(second)},
        app.fake.dm_channel(EMPLOYEE),
        own["ts"],
    )
    app.slack.wait_for(lambda: _step_done(app, first) and _step_done(app, second))
    published = app.fake.home_publishes(EMPLOYEE)
    app.slack.open_home(EMPLOYEE)  # after both clicks' work, which ends with a publish
    app.slack.wait_for(lambda: app.fake.home_publishes(EMPLOYEE) > published)
    assert app.fake.calls_to("chat.update") == []
    assert refreshed(app, COLLEAGUE, theirs["ts"]) == theirs
    assert refreshed(app, EMPLOYEE, own["ts"]) == own

    # The real click on the real reminder still says so in place, where it was stored.
    app.slack.click_in_message(EMPLOYEE, own, "plan_step_done_dm")
    app.slack.wait_for(lambda: app.fake.calls_to("chat.update"), what="the reminder updated")
    (update,) = app.fake.calls_to("chat.update")
    assert (update.args["channel"], update.args["ts"]) == (own["channel"], own["ts"])


def test_how_did_it_go_edits_only_the_follow_up_sent_for_that_meeting(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.slack.open_home(EMPLOYEE)  # the home tab is open: it follows the outcome once saved
    app.slack.wait_for(lambda: app.fake.home(EMPLOYEE), what="the home tab")
    manager_dm = sent_request(app)
    click(app, MANAGER, manager_dm, "meeting_accept")
    latest(app, EMPLOYEE, "accepted the meeting")
    app.clock.set(datetime(2026, 3, 3, 16, 0, tzinfo=UTC))
    app.tick()
    followup = latest(app, EMPLOYEE, "How did it go")
    click(app, EMPLOYEE, followup, "meeting_outcome_open")
    modal = top_modal(app, EMPLOYEE, "meeting_outcome")
    manager_before = refreshed(app, MANAGER, manager_dm["ts"])
    updates_before = len(app.fake.calls_to("chat.update"))

    # The outcome modal's metadata, pointed at the manager's DM instead of the follow-up.
    meta = json.loads(modal["private_metadata"])
    forged = {
        **modal,
        "private_metadata": json.dumps(
            {**meta, "channel": manager_dm["channel"], "ts": manager_dm["ts"]}
        ),
    }
    payload = payloads.view_submission(
        team_id=TEAM_ID,
        user_id=EMPLOYEE,
        user_name="emma",
        view=forged,
        state=payloads.filled_state(modal, {"outcome_concerns": "Tell me sooner"}),
        trigger_id=app.fake.issue_trigger(EMPLOYEE),
    )
    assert app.slack.interact(payload).json() == {"response_action": "clear"}
    app.slack.wait_for(
        lambda: "Concerns to address" in json.dumps(app.fake.home(EMPLOYEE) or {}),
        what="the concerns on the App Home",
    )
    assert len(app.fake.calls_to("chat.update")) == updates_before
    assert refreshed(app, MANAGER, manager_dm["ts"]) == manager_before
    with app.runtime.session_factory() as session:
        request = session.scalar(select(MeetingRequest))
        assert request is not None and request.outcome_recorded_at is not None


def test_not_their_manager_edits_only_the_request_dms_sent_to_them(
    running_app: RunningApp,
) -> None:
    app = running_app
    manager_dm = sent_request(app)
    request_id = request_row(app).id
    # A message of the app's that is not a request to Max: the employee's own "sent" DM.
    elsewhere = app.slack.wait_for(lambda: app.fake.messages(EMPLOYEE), what="Emma's DM")[-1]

    _press_in_message(
        app,
        MANAGER,
        {"type": "button", "action_id": "manager_not_mine", "value": f"meeting:{request_id}"},
        elsewhere["channel"] or app.fake.dm_channel(EMPLOYEE),
        elsewhere["ts"],
    )
    # The refusal is Max's to make; the DM updated is the one stored for the request, closed.
    closed = app.slack.wait_for(
        lambda: (m := refreshed(app, MANAGER, manager_dm["ts"]))["edited"] and m,
        what="the request DM closed",
    )
    assert "Closed: you said you aren't" in json.dumps(closed["blocks"])
    assert refreshed(app, EMPLOYEE, elsewhere["ts"]) == elsewhere
    updated = {(c.args["channel"], c.args["ts"]) for c in app.fake.calls_to("chat.update")}
    assert elsewhere["ts"] not in {ts for _, ts in updated}
