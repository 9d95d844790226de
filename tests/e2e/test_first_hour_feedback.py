"""Issue 12, the first hour, in step 4: the first feedback request defaults to a working
morning, a fixed manager choice takes its error away, and counts read right."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.feedback import open_schedule_modal, pick, set_up_schedule, text_of

# Friday 6 March 2026, 10:00 in New York and 16:00 in Berlin: "tomorrow" is a Saturday.
FRIDAY = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_the_first_request_defaults_to_the_next_working_morning(running_app: RunningApp) -> None:
    app = running_app
    app.clock.set(FRIDAY)
    view = open_schedule_modal(app)
    view = pick(app, "feedback_manager_pick", MANAGER)
    assert block(view, "first_date")["element"]["initial_date"] == "2026-03-09"
    assert block(view, "time")["element"]["initial_time"] == "10:00"
    repeats = [o["text"]["text"] for o in block(view, "repeat")["element"]["options"]]
    assert repeats[0] == "Weekly, on Mondays"

    # Scheduled as it came: Monday 10:00 in New York.
    response = app.slack.submit(
        EMPLOYEE, {"manager": MANAGER, "end": "after_count", "end_count": "1"}
    )
    confirmation = text_of(response.json()["view"]["blocks"])
    assert "Mon 9 Mar 2026, 10:00 New York time (EDT)" in confirmation
    assert "Weekly on Monday at 10:00 New York time" in confirmation
    assert not app.fake.rejections


def test_picking_someone_else_takes_the_manager_error_away(running_app: RunningApp) -> None:
    app = running_app
    open_schedule_modal(app)
    view = pick(app, "feedback_manager_pick", EMPLOYEE)
    # Said at once, not only after Schedule is pressed.
    assert "That's you" in text_of([block(view, "tz_note")])
    answer = app.slack.submit(EMPLOYEE, {"manager": EMPLOYEE})
    assert "manager" in answer.json()["errors"]
    assert "manager" in app.fake.field_errors(view["id"])

    view = pick(app, "feedback_manager_pick", MANAGER)
    assert "manager" not in app.fake.field_errors(view["id"])
    assert "New York time" in text_of([block(view, "tz_note")])
    assert not app.fake.rejections


def test_a_schedule_of_one_request_says_request_not_requests(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    ack = set_up_schedule(app, end="after_count", end_count="1")
    assert ack["response_action"] == "update"
    app.slack.open_home(EMPLOYEE)
    home = app.slack.wait_for(
        lambda: (h := app.fake.home(EMPLOYEE)) and "feedback_pause" in text_of(h["blocks"]) and h,
        what="the schedule on the home tab",
    )
    assert "Ends after 1 request (0 so far)." in text_of(home["blocks"])
    assert "1 requests" not in text_of(home["blocks"])
