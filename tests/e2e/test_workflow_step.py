"""The Workflow Builder step "Request feedback from a manager" end to end: a function_executed
event in, the feedback request DM and functions.completeSuccess / completeError out."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select

from models import FeedbackRequest, WorkflowStep
from models.feedback import FeedbackRequestStatus, RequestSource
from slackapp.views.feedback_messages import RATING_LABELS
from slacksim.fakeslack import payloads
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, RunningApp
from tests.e2e.test_feedback import give_feedback
from tests.e2e.test_plan_flow import make_plan
from tests.support.feedback import buttons, request_dms, text_of

STEP = "request_feedback_from_manager"
MANIFEST = yaml.safe_load((Path(__file__).resolve().parents[2] / "manifest.yml").read_text())


@pytest.fixture
def app(running_app: RunningApp) -> RunningApp:
    running_app.fake.declare_functions(MANIFEST["functions"])
    return running_app


def _inputs(
    *, runner: str = EMPLOYEE, employee: str = EMPLOYEE, manager: str = MANAGER, **more: Any
) -> dict[str, Any]:
    return {
        "interactivity": {
            "interactor": {"id": runner, "secret": "c2VjcmV0"},
            "interactivity_pointer": "1234567890123.4567890123456.78a90bc12d3e4f567g89h0i1j23k4l56",
        },
        "employee": employee,
        "manager": manager,
        **more,
    }


def _ended(app: RunningApp, execution_id: str) -> Any:
    return app.slack.wait_for(
        lambda: (run := app.fake.function_run(execution_id)).state != "running" and run,
        what="the step to end",
    )


def test_the_step_completes_with_the_managers_rating(app: RunningApp, db: Any) -> None:
    execution_id, response = app.slack.run_function(
        STEP, _inputs(questions="Was the Acme call enough?\nWhat next?")
    )
    assert response.status == 200
    request = app.slack.wait_for(
        lambda: db.scalars(select(FeedbackRequest)).first() or db.rollback(),
        what="the request",
    )
    assert request.source == RequestSource.WORKFLOW.value
    app.tick()
    [dm] = request_dms(app)
    assert dm["text"] == f"<@{EMPLOYEE}> asked for your feedback"
    assert "Was the Acme call enough?" in text_of(dm["blocks"])
    assert "Give feedback" in buttons(dm)
    assert app.fake.function_run(execution_id).state == "running"  # waits for the answer

    give_feedback(
        app,
        dm,
        {"rating": "exceeding", "answer_0": "More than enough.", "answer_1": "Keep going."},
    )
    app.slack.wait_for(lambda: _ticked_until_done(app, execution_id), what="the report")
    run = app.fake.function_run(execution_id)
    assert run.state == "completed"
    assert run.outputs is not None
    assert run.outputs["rating"] == "exceeding"
    assert run.outputs["rating_label"] == RATING_LABELS["exceeding"]
    assert "Was the Acme call enough?\nMore than enough." in run.outputs["answers"]
    [call] = app.fake.calls_to("functions.completeSuccess")
    assert call.token == "xoxb-fake"  # the run's own token is long gone by then
    db.rollback()
    step = db.scalars(select(WorkflowStep)).one()
    assert step.outcome == "completed"
    # The deadline finds it done: nothing more is said to Slack.
    app.clock.advance(timedelta(days=8))
    app.tick()
    assert not app.fake.calls_to("functions.completeError")


def _done(app: RunningApp, execution_id: str) -> bool:
    return app.fake.function_run(execution_id).state != "running"


@pytest.mark.parametrize(
    ("inputs", "words"),
    [
        (_inputs(runner=COLLEAGUE), "person who runs this workflow"),
        (_inputs(manager=EMPLOYEE), "the employee themself"),
        (_inputs(manager="UOTHERBOT"), "an app or a bot"),
        (_inputs(manager="UGONE"), "deactivated"),
        (_inputs(questions="\n".join(f"Q{i}?" for i in range(6))), "at most 5 questions"),
    ],
    ids=["not-the-runner", "manager-is-employee", "manager-is-bot", "deactivated", "questions"],
)
def test_the_step_fails_with_a_clear_message(
    app: RunningApp, db: Any, inputs: dict[str, Any], words: str
) -> None:
    execution_id, response = app.slack.run_function(STEP, inputs)
    assert response.status == 200
    run = _ended(app, execution_id)
    assert run.state == "failed"
    assert run.error is not None and words in run.error
    # Failed at once, with the run's own token (Bolt's fail()), and nothing was sent.
    [call] = app.fake.calls_to("functions.completeError")
    assert call.token != "xoxb-fake" and call.token.startswith("xwfp-")
    assert not db.scalars(select(FeedbackRequest)).all()
    app.tick()
    assert not request_dms(app)


def test_no_answer_within_7_days_fails_the_step(app: RunningApp, db: Any) -> None:
    execution_id, _ = app.slack.run_function(STEP, _inputs())
    app.slack.wait_for(
        lambda: db.scalars(select(WorkflowStep)).first() or db.rollback(), what="the step"
    )
    app.tick()
    [dm] = request_dms(app)
    app.clock.advance(timedelta(days=6, hours=23))
    app.tick()
    assert app.fake.function_run(execution_id).state == "running"
    app.clock.advance(timedelta(hours=2))
    app.tick()
    run = app.fake.function_run(execution_id)
    assert run.state == "failed"
    assert run.error is not None and "within 7 days" in run.error
    db.rollback()
    request = db.scalars(select(FeedbackRequest)).one()
    assert request.status == FeedbackRequestStatus.MISSED.value
    # The manager's DM loses its button.
    app.tick()
    updated = app.slack.wait_for(
        lambda: (m := request_dms(app)[0]) and m["edited"] and m, what="the DM closed"
    )
    assert "Give feedback" not in buttons(updated)


def test_a_manager_slack_cannot_reach_fails_the_step(app: RunningApp, db: Any) -> None:
    execution_id, _ = app.slack.run_function(STEP, _inputs(manager=COLLEAGUE))
    app.slack.wait_for(
        lambda: db.scalars(select(WorkflowStep)).first() or db.rollback(), what="the step"
    )
    # Deactivated after the step started: the request cannot be delivered.
    app.fake.set_user(COLLEAGUE, deleted=True)
    app.slack.wait_for(lambda: _ticked_until_done(app, execution_id), what="the report")
    run = app.fake.function_run(execution_id)
    assert run.state == "failed" and run.error is not None
    assert "could not deliver" in run.error


def _ticked_until_done(app: RunningApp, execution_id: str) -> bool:
    app.tick()
    return _done(app, execution_id)


def _started(app: RunningApp, db: Any, inputs: dict[str, Any]) -> str:
    execution_id, response = app.slack.run_function(STEP, inputs)
    assert response.status == 200
    app.slack.wait_for(
        lambda: (
            db.scalars(
                select(WorkflowStep).where(WorkflowStep.function_execution_id == execution_id)
            ).first()
            or db.rollback()
        ),
        what="the step to start",
    )
    return execution_id


def test_i_am_not_their_manager_fails_the_step_and_the_next_run_at_once(
    app: RunningApp, db: Any
) -> None:
    execution_id = _started(app, db, _inputs())
    app.tick()
    [dm] = request_dms(app)
    app.slack.click_in_message(MANAGER, dm, "manager_not_mine")
    app.slack.wait_for(lambda: _ticked_until_done(app, execution_id), what="the report")
    run = app.fake.function_run(execution_id)
    assert run.state == "failed" and run.error is not None
    assert "aren't this person's manager" in run.error
    # A later run naming them again fails at once; nothing reaches them.
    again, _ = app.slack.run_function(STEP, _inputs())
    run = _ended(app, again)
    assert run.error is not None and "aren't this person's manager" in run.error
    app.tick()
    assert len(request_dms(app)) == 1


def test_a_request_waiting_on_another_manager_is_not_stacked(app: RunningApp, db: Any) -> None:
    first = _started(app, db, _inputs())
    second, _ = app.slack.run_function(STEP, _inputs(manager=COLLEAGUE))
    run = _ended(app, second)
    assert run.error is not None and "already waiting on another manager" in run.error
    assert app.fake.function_run(first).state == "running"
    db.rollback()
    assert len(db.scalars(select(FeedbackRequest)).all()) == 1


def test_the_same_run_delivered_twice_sends_one_request(app: RunningApp, db: Any) -> None:
    event = app.fake.start_function(STEP, _inputs())
    assert app.slack.event(event, event_id="Ev0000SAME").status == 200
    assert app.slack.event(event, event_id="Ev0000SAME", retry_num=1).status == 200
    app.slack.wait_for(
        lambda: db.scalars(select(WorkflowStep)).first() or db.rollback(), what="the step"
    )
    app.tick()
    assert len(request_dms(app)) == 1
    db.rollback()
    assert len(db.scalars(select(WorkflowStep)).all()) == 1


def test_the_employee_gets_the_answer_as_usual(app: RunningApp, db: Any) -> None:
    make_plan(app)
    execution_id = _started(app, db, _inputs())
    app.tick()
    [dm] = request_dms(app)
    # Without a feedback schedule the employee made no choice to share their progress: the
    # plan stays private.
    assert "feedback_progress" not in {b.get("block_id") for b in dm["blocks"]}
    give_feedback(app, dm, {"rating": "not_yet_on_track", "answer_0": "Not yet.", "answer_1": ""})
    received = app.slack.wait_for(
        lambda: [m for m in app.fake.messages(EMPLOYEE) if "sent you feedback" in m["text"]],
        what="the employee's feedback",
    )[-1]
    assert "Not yet." in text_of(received["blocks"])
    app.slack.wait_for(lambda: _ticked_until_done(app, execution_id), what="the report")
    outputs = app.fake.function_run(execution_id).outputs
    assert outputs is not None and outputs["rating"] == "not_yet_on_track"
    assert outputs["answers"] == "Am I on the right track?\nNot yet."


def test_deleting_ones_data_ends_a_waiting_step(app: RunningApp, db: Any) -> None:
    execution_id = _started(app, db, _inputs())
    app.tick()
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(lambda: app.fake.home(EMPLOYEE), what="the App Home")
    app.slack.click_in_view(EMPLOYEE, "data_delete", home=True)
    run = _ended(app, execution_id)
    assert run.state == "failed" and run.error is not None and "deleted" in run.error
    db.rollback()
    assert not db.scalars(select(WorkflowStep)).all()
    # Nothing is left on the clock to report it again.
    app.clock.advance(timedelta(days=8))
    app.tick()
    assert len(app.fake.calls_to("functions.completeError")) == 1


def _deactivated(app: RunningApp, user_id: str) -> None:
    app.fake.set_user(user_id, deleted=True)
    assert app.slack.event(payloads.user_change(app.fake.user_api(user_id))).status == 200


def test_a_manager_deactivated_while_the_step_waits_fails_it_at_once(
    app: RunningApp, db: Any
) -> None:
    execution_id = _started(app, db, _inputs())
    app.tick()
    assert len(request_dms(app)) == 1  # sent, waiting on Max
    _deactivated(app, MANAGER)
    app.slack.wait_for(lambda: _ticked_until_done(app, execution_id), what="the report")
    run = app.fake.function_run(execution_id)
    assert run.state == "failed" and run.error is not None and "could not deliver" in run.error
    db.rollback()
    [request] = db.scalars(select(FeedbackRequest)).all()
    assert request.status == FeedbackRequestStatus.CANCELLED.value
    # Emma is told, in her DM, that the request cannot reach him.
    app.slack.wait_for(
        lambda: [m for m in app.fake.messages(EMPLOYEE) if f"<@{MANAGER}>" in m["text"]],
        what="the employee told",
    )


def test_an_employee_deactivated_while_the_step_waits_still_gets_it_ended(
    app: RunningApp, db: Any
) -> None:
    """The run is the workflow's: when Emma's account goes, the manager's answer (or the 7
    days) still ends it, and Slack is told once."""
    execution_id = _started(app, db, _inputs())
    app.tick()
    [dm] = request_dms(app)
    _deactivated(app, EMPLOYEE)
    app.clock.advance(timedelta(days=7, hours=1))
    app.tick()
    run = app.slack.wait_for(
        lambda: _done(app, execution_id) and app.fake.function_run(execution_id), what="the report"
    )
    assert run.state == "failed" and run.error is not None and "within 7 days" in run.error
    app.clock.advance(timedelta(days=8))
    app.tick()
    assert len(app.fake.calls_to("functions.completeError")) == 1
