"""The shortcuts end to end: a signed message_action / shortcut payload in, the modal the fake
Slack got out, and what the plan keeps of the message."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from models import Plan, Step
from tests.conftest import COLLEAGUE, EMPLOYEE, RunningApp
from tests.e2e.test_plan_flow import block, top

Json = dict[str, Any]
CHANNEL = "CORDERS"


def _complaint(app: RunningApp, author: str = COLLEAGUE) -> Json:
    return app.fake.post_as(author, CHANNEL, "The Acme order went out with the wrong parts again.")


def _permalink(message: Json) -> str:
    return f"https://acme.slack.com/archives/{CHANNEL}/p{message['ts'].replace('.', '')}"


def test_the_message_shortcut_opens_a_new_plan_linked_to_the_message(
    running_app: RunningApp, db: Any
) -> None:
    app = running_app
    message = _complaint(app)
    assert app.slack.message_shortcut(EMPLOYEE, message, "plan_from_message").status == 200
    view = top(app, EMPLOYEE, "plan_modal", has_block="plan_source")
    link = _permalink(message)
    [asked] = app.fake.calls_to("chat.getPermalink")
    assert (asked.args["channel"], asked.args["message_ts"]) == (CHANNEL, message["ts"])
    assert link in json.dumps(block(view, "plan_source"))
    assert "What happened" in json.dumps(block(view, "plan_source"))
    # The message's author is suggested under "who was affected".
    assert block(view, "plan_people")["element"]["initial_users"] == [COLLEAGUE]

    app.slack.submit(
        EMPLOYEE,
        {
            "plan_title": "Wrong parts for Acme",
            "plan_step_0_text": "Call Chandra and say sorry",
        },
    )
    top(app, EMPLOYEE, "plan_saved")
    plan = db.scalars(select(Plan)).one()
    assert plan.source_link == link
    assert plan.affected_user_ids == [COLLEAGUE]
    # ... and the plan shows it, on the App Home.
    home = app.slack.wait_for(
        lambda: (h := app.fake.home(EMPLOYEE)) and link in json.dumps(h) and h,
        what="the home with the message's link",
    )
    assert "Started from" in json.dumps(block(home, "home_plan"))


def test_on_ones_own_message_nobody_is_suggested(running_app: RunningApp) -> None:
    app = running_app
    message = _complaint(app, author=EMPLOYEE)
    app.slack.message_shortcut(EMPLOYEE, message, "plan_from_message")
    view = top(app, EMPLOYEE, "plan_modal", has_block="plan_source")
    assert not block(view, "plan_people")["element"].get("initial_users")


def test_with_a_plan_it_offers_a_step_from_the_message(running_app: RunningApp, db: Any) -> None:
    app = running_app
    app.slack.command(EMPLOYEE, "plan")
    top(app, EMPLOYEE, "plan_modal")
    app.slack.submit(EMPLOYEE, {"plan_title": "Acme", "plan_step_0_text": "Say sorry"})
    top(app, EMPLOYEE, "plan_saved")
    app.fake.close_views(EMPLOYEE)

    message = _complaint(app)
    app.slack.message_shortcut(EMPLOYEE, message, "plan_from_message")
    view = top(app, EMPLOYEE, "plan_add_step")
    intro = json.dumps(block(view, "add_step_intro"))
    assert "Add a step from this message" in intro and _permalink(message) in intro
    app.slack.submit(EMPLOYEE, {"plan_step_0_text": "Send the right parts today"})
    step = app.slack.wait_for(
        lambda: db.scalars(select(Step).where(Step.position == 1)).first() or db.rollback(),
        what="the step from the message",
    )
    assert step.description == "Send the right parts today"
    assert step.source_link == _permalink(message)
    assert len(db.scalars(select(Plan)).all()) == 1  # added to the plan, no second plan


def test_a_message_the_app_cannot_link_still_opens_the_plan(running_app: RunningApp) -> None:
    app = running_app
    message = {"type": "message", "user": COLLEAGUE, "ts": "1700000000.000100", "text": "hm"}
    app.slack.message_shortcut(EMPLOYEE, {**message, "channel": "CSECRET"}, "plan_from_message")
    view = top(app, EMPLOYEE, "plan_modal")
    assert "plan_source" not in {b.get("block_id") for b in view["blocks"]}
    assert block(view, "plan_people")["element"]["initial_users"] == [COLLEAGUE]


def test_the_global_shortcut_opens_the_journey(running_app: RunningApp) -> None:
    app = running_app
    assert app.slack.global_shortcut(EMPLOYEE, "open_journey").status == 200
    view = top(app, EMPLOYEE, "journey")
    opened = app.fake.calls_to("views.open")[-1].args["view"]
    assert opened["callback_id"] == view["callback_id"] == "journey"
    # The same journey as /secondchance.
    app.fake.close_views(EMPLOYEE)
    app.slack.command(EMPLOYEE, "")
    again = top(app, EMPLOYEE, "journey")
    assert [b.get("block_id") for b in again["blocks"]] == [
        b.get("block_id") for b in view["blocks"]
    ]
