"""The test harness acts on what the person would see: a submit or a click waits for the view
the app is still sending (views.open after its ack), never acts on the modal before it.

This is how tests/e2e/test_home_race.py failed on PostgreSQL: "Plan saved" was still on top when
the harness filled in the plan modal that had not landed yet (KeyError: no block 'plan_title').
"""

from __future__ import annotations

from sqlalchemy import select

from models import Plan
from tests.conftest import EMPLOYEE, RunningApp
from tests.e2e.test_plan_flow import make_plan


def _slow_slack(app: RunningApp) -> None:
    # Every Web API call now lands later than the harness's next step, as on a busy machine.
    app.fake.latency_seconds = 0.3


def test_a_submit_waits_for_the_modal_that_holds_its_fields(running_app: RunningApp) -> None:
    app = running_app
    make_plan(app, title="First title")
    assert app.slack.top_view(EMPLOYEE)["callback_id"] == "plan_saved"
    _slow_slack(app)
    app.slack.command(EMPLOYEE, "plan")
    response = app.slack.submit(EMPLOYEE, {"plan_title": "Second title"})
    assert response.json()["response_action"] == "update"
    with app.runtime.session_factory() as session:
        assert session.scalars(select(Plan.title)).all() == ["Second title"]


def test_a_click_waits_for_the_button_to_be_shown(running_app: RunningApp) -> None:
    app = running_app
    make_plan(app)
    _slow_slack(app)
    app.slack.command(EMPLOYEE, "plan")
    app.slack.click_in_view(EMPLOYEE, "plan_add_row")
    app.slack.wait_for_view(EMPLOYEE, "plan_modal", has_block="plan_step_1_text")
