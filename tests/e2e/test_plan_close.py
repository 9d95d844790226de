"""Closing a plan: kept in history, the journey shows step 1 done, and a schedule that ends
"when the plan is closed" sends nothing more."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from tests.conftest import COLLEAGUE, EMPLOYEE, RunningApp
from tests.e2e.test_plan_flow import block, click_home, home_text, make_plan, plans_of
from tests.support.feedback import request_dms, schedule_of, set_up_schedule


def test_closing_the_plan_ends_the_schedule_that_ends_with_it(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    plan = make_plan(app, title="Missed the launch date")
    set_up_schedule(app, first_date="2026-03-03", at="09:00", end="plan_closed", end_count=None)
    assert schedule_of(db).end_kind == "plan_closed"

    home = app.fake.home(EMPLOYEE)
    close = next(
        e for e in block(home, "home_plan_actions")["elements"] if e["action_id"] == "plan_close"
    )
    assert close["confirm"]["confirm"]["text"] == "Close plan"  # asks first

    # Someone else pressing it changes nothing.
    app.slack.open_home(COLLEAGUE)
    app.slack.wait_for(lambda: app.fake.home(COLLEAGUE))
    app.slack.interact(_forged_home_click(app, COLLEAGUE, home, close))
    refusal = app.slack.wait_for(lambda: app.fake.messages(COLLEAGUE), what="the refusal")[-1]
    assert refusal["text"] == "That isn't part of your plan, so nothing was changed."
    assert [p.status for p in plans_of(app)] == ["active"]

    page = click_home(app, EMPLOYEE, "plan_close", value=str(plan.id))
    assert "Missed the launch date: plan closed." in page  # journey: step 1 done
    assert [p.status for p in plans_of(app)] == ["closed"]

    # The first request would go out Tue 3 Mar 09:00 in New York; the plan is closed by then.
    app.clock.set(datetime(2026, 3, 3, 15, 0, tzinfo=UTC))
    app.tick()
    assert request_dms(app) == []
    assert schedule_of(db).status == "ended"
    assert "Missed the launch date" in home_text(app, EMPLOYEE, "plan closed")


def _forged_home_click(
    app: RunningApp, user: str, home: dict[str, Any], button: dict[str, Any]
) -> dict[str, Any]:
    from slacksim.fakeslack import payloads

    return payloads.block_actions(
        team_id="T0001",
        user_id=user,
        user_name=user.lower(),
        actions=[payloads.action_entry(button, "home_plan_actions")],
        trigger_id=app.fake.issue_trigger(user),
        container={"type": "view", "view_id": home["id"]},
        view=home,
    )
