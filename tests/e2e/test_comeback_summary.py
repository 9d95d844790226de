"""The comeback summary: closing the plan writes it as a canvas in the employee's own DM (a
Markdown file where canvases are unavailable); nothing is shared by default; sharing sends the
manager exactly what the employee previewed, with their thank-you, and ends the schedule."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from slackapp.views.privacy import withdrawn_note
from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.e2e.test_plan_flow import plans_of
from tests.support.expectations import after_the_meeting, agreed
from tests.support.feedback import request_dms, schedule_of, set_up_schedule, text_of
from tests.support.meeting import latest, top

WEEKLY = "A weekly status to you on Mondays"
THANKS = "Thank you, Max. Your Monday notes kept me honest."


def _rated_once(app: RunningApp) -> None:
    set_up_schedule(app, first_date="2026-03-04", repeat="weekly")
    app.clock.set(datetime(2026, 3, 4, 14, 0, tzinfo=UTC))
    app.tick()
    [dm] = request_dms(app)
    app.slack.click_in_message(MANAGER, dm, "feedback_give")
    app.slack.wait_for_view(MANAGER, "feedback_answer")
    app.slack.submit(MANAGER, {"rating": "on_track", "expectation_rating_0": "exceeding"})
    latest(app, EMPLOYEE, "sent you feedback")


def _close_plan(app: RunningApp) -> None:
    [plan] = plans_of(app)
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(lambda: app.fake.home(EMPLOYEE), what="the home tab")
    app.slack.click_in_view(EMPLOYEE, "plan_close", home=True, value=str(plan.id))


def test_closing_the_plan_writes_a_canvas_and_sharing_sends_the_preview(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    after_the_meeting(app)
    agreed(app)
    _rated_once(app)
    before = len(app.fake.messages(MANAGER))
    _close_plan(app)

    ready = latest(app, EMPLOYEE, "I wrote your comeback summary")
    assert "a canvas in this conversation" in ready["text"]
    [canvas] = app.fake.canvases().values()
    assert canvas["channel_id"] == app.fake.dm_channel(EMPLOYEE)
    markdown = canvas["markdown"]
    assert markdown.startswith("# My comeback: Wrong prices sent to Acme")
    for words in (
        "## The repairs",
        "Called Acme and apologised",
        "Double-check quotes before sending",
        "Quotes need a second pair of eyes",
        f"- {WEEKLY} (by Mon 16 Mar): Exceeding",
        "No quote leaves without the price check",
        "## My feedback over time",
        "On track",
    ):
        assert words in markdown, words
    # Nothing is shared by default.
    assert len(app.fake.messages(MANAGER)) == before

    app.slack.click_in_message(EMPLOYEE, ready, "comeback_share_open")
    modal = top(app, EMPLOYEE, "comeback_share")
    preview = [b for b in modal["blocks"] if b.get("block_id", "").startswith("comeback_")]
    preview = [b for b in preview if b["type"] == "section"]
    assert WEEKLY in text_of(preview)
    app.slack.submit(EMPLOYEE, {"comeback_thanks": THANKS})
    shared = latest(app, MANAGER, "shared their comeback summary")
    got = [
        b
        for b in shared["blocks"]
        if b.get("block_id", "").startswith("comeback_")
        and b["block_id"] not in ("comeback_shared", "comeback_thanks")
    ]
    assert json.dumps(got, sort_keys=True) == json.dumps(preview, sort_keys=True)
    assert THANKS in text_of(shared["blocks"])
    latest(app, EMPLOYEE, "Your feedback schedule has ended with it")
    assert schedule_of(db).status == "stopped"  # no more requests
    assert plans_of(app)[0].summary_shared_at is not None

    # "Delete my data" takes the summary back: the canvas goes, the manager's copy is withdrawn.
    app.slack.click_in_view(EMPLOYEE, "data_delete", home=True)
    app.slack.wait_for(
        lambda: (
            withdrawn_note(EMPLOYEE)
            in next(m for m in app.fake.messages(MANAGER) if m["ts"] == shared["ts"])["text"]
        ),
        what="the shared summary withdrawn",
    )
    app.slack.wait_for(lambda: app.fake.canvases() == {}, what="the canvas deleted")
    assert not app.fake.rejections


def test_without_canvases_the_summary_is_a_markdown_file_in_the_dm(
    running_app: RunningApp,
) -> None:
    app = running_app
    app.fake.granted_scopes = [s for s in app.fake.granted_scopes if s != "canvases:write"]
    after_the_meeting(app)
    _close_plan(app)
    ready = latest(app, EMPLOYEE, "I wrote your comeback summary")
    assert "Markdown file" in ready["text"]
    assert app.fake.canvases() == {}
    message = app.slack.wait_for(
        lambda: next(
            (
                m
                for m in app.fake.messages(EMPLOYEE)
                if (m.get("files") or [{}])[0].get("name") == "comeback-summary.md"
            ),
            None,
        ),
        what="the summary file",
    )
    content = message["files"][0]["content"]
    assert content.startswith("# My comeback: Wrong prices sent to Acme")
    assert not [m for m in app.fake.messages(MANAGER) if "comeback" in m["text"]]
