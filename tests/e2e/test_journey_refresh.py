"""A step saved in a modal pushed over the journey: Back shows the journey's new progress."""

from __future__ import annotations

import json

from sqlalchemy import select

from models import Person
from slacksim.fakeslack import payloads
from tests.conftest import COLLEAGUE, EMPLOYEE, TEAM_ID, RunningApp
from tests.e2e.test_plan_flow import fill_plan, top


def _journey_text(app: RunningApp) -> str:
    return json.dumps(app.fake.view_stack(EMPLOYEE)[0]["blocks"])


def _remembered_journey(app: RunningApp) -> str | None:
    with app.runtime.session_factory() as session:
        person = session.scalar(select(Person).where(Person.slack_user_id == EMPLOYEE))
        return person.journey_view_id if person else None


def test_the_journey_under_a_saved_plan_shows_it_in_progress(running_app: RunningApp) -> None:
    app = running_app
    app.slack.command(EMPLOYEE, "")
    journey_id = top(app, EMPLOYEE, "journey")["id"]
    assert "No repair plan yet." in _journey_text(app)
    # The app remembers the journey's id just after opening it (a person is slower than this).
    app.slack.wait_for(
        lambda: _remembered_journey(app) == journey_id, what="the journey's id stored"
    )
    app.slack.click_in_view(EMPLOYEE, "journey_open_plan", value="plan")
    top(app, EMPLOYEE, "plan_modal")
    values = fill_plan(
        app, EMPLOYEE, [("Call the customer", None, True)], {"plan_title": "Late delivery"}
    )
    assert app.slack.submit(EMPLOYEE, values).json()["response_action"] == "update"
    top(app, EMPLOYEE, "plan_saved")
    app.slack.wait_for(
        lambda: "Late delivery: 0 of 1 step done." in _journey_text(app),
        what="the journey redrawn",
    )
    stack = app.fake.view_stack(EMPLOYEE)
    assert [v["callback_id"] for v in stack] == ["journey", "plan_saved"]
    assert not app.fake.rejections


def test_someone_elses_journey_is_never_touched(running_app: RunningApp) -> None:
    """The root view id in a submission is checked against the journey this person opened."""
    app = running_app
    app.slack.command(COLLEAGUE, "")
    theirs = top(app, COLLEAGUE, "journey")["id"]
    app.slack.command(EMPLOYEE, "plan")
    top(app, EMPLOYEE, "plan_modal")
    values = fill_plan(
        app, EMPLOYEE, [("Call the customer", None, False)], {"plan_title": "Late delivery"}
    )
    view = {**top(app, EMPLOYEE, "plan_modal"), "root_view_id": theirs}  # a forged root
    payload = payloads.view_submission(
        team_id=TEAM_ID,
        user_id=EMPLOYEE,
        user_name="emma",
        view=view,
        state=payloads.filled_state(view, values),
        trigger_id=app.fake.issue_trigger(EMPLOYEE),
    )
    assert app.slack.interact(payload).json()["response_action"] == "update"
    app.slack.wait_for(lambda: app.fake.home(EMPLOYEE), what="the plan saved")
    assert not [c for c in app.fake.calls_to("views.update") if c.args.get("view_id") == theirs]
    assert "No repair plan yet." in json.dumps(app.fake.view_stack(COLLEAGUE)[0]["blocks"])
