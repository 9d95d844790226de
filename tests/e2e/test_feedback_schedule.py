"""Step 4 over time: pause, resume, change, stop; request now; the nudge; missed requests; late
sends after a restart; a manager who has left. The clock is injected; time moves by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session

from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, RunningApp
from tests.support.feedback import (
    buttons,
    pick,
    request_dms,
    requests_of,
    schedule_of,
    set_up_schedule,
    text_of,
)

FIRST_SEND = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)  # Tue 09:00 in New York (EST)
SECOND_SEND = datetime(2026, 3, 10, 13, 0, tzinfo=UTC)  # Tue 09:00 in New York (EDT)


def click_home(app: RunningApp, action_id: str, expect: str, user: str = EMPLOYEE) -> dict:
    """Open the App Home, click, and wait until the home shows `expect`."""
    app.slack.open_home(user)
    app.slack.wait_for(
        lambda: (h := app.fake.home(user)) and action_id in text_of(h["blocks"]),
        what=f"{action_id} on the home tab",
    )
    app.slack.click_in_view(user, action_id, home=True)
    return app.slack.wait_for(
        lambda: (h := app.fake.home(user)) and expect in text_of(h["blocks"]) and h,
        what=f"{expect!r} on the home tab",
    )


def employee_notes(app: RunningApp, words: str) -> list[dict]:
    return [m for m in app.fake.messages(EMPLOYEE) if words in m["text"]]


def test_pause_resume_change_stop(running_app: RunningApp, db: Session) -> None:
    app = running_app
    set_up_schedule(app)
    home = click_home(app, "feedback_pause", "Paused.")
    assert "feedback_resume" in text_of(home["blocks"])
    app.clock.set(FIRST_SEND + timedelta(minutes=1))
    app.tick()
    assert request_dms(app) == []  # nothing while paused
    assert schedule_of(db).status == "paused"

    # The passed time is skipped, not sent late: next is Tuesday 10 March.
    click_home(app, "feedback_resume", "Next request: Tue 10 Mar 2026, 09:00 New York time (EDT)")
    app.clock.set(SECOND_SEND)
    app.tick()
    assert len(request_dms(app)) == 1

    # Change: the modal opens prefilled with the next send; move it to Thursdays at 10:00.
    app.slack.click_in_view(EMPLOYEE, "feedback_change", home=True)
    view = app.slack.wait_for(
        lambda: [
            v for v in app.fake.view_stack(EMPLOYEE) if v["callback_id"] == "feedback_schedule"
        ],
        what="the change modal",
    )[-1]
    assert view["title"]["text"] == "Change feedback"
    initial = next(b for b in view["blocks"] if b["block_id"] == "first_date")["element"]
    assert initial["initial_date"] == "2026-03-17"
    ack = app.slack.submit(EMPLOYEE, {"first_date": "2026-03-19", "time": "10:00"}).json()
    assert ack["response_action"] == "update"
    schedule = schedule_of(db)
    assert schedule.next_run_at == datetime(2026, 3, 19, 14, 0, tzinfo=UTC)
    assert schedule.occurrence_count == 1

    click_home(app, "feedback_stop", "No feedback requests are scheduled.")
    assert schedule_of(db).status == "stopped"
    app.clock.set(datetime(2026, 3, 19, 14, 1, tzinfo=UTC))
    app.tick()
    assert len(request_dms(app)) == 1
    assert not app.fake.rejections


def test_request_now_once_and_then_a_link_to_the_waiting_one(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    set_up_schedule(app)
    click_home(app, "feedback_request_now", "on its way")
    app.tick()
    [dm] = request_dms(app)
    assert "one-off request" in text_of(dm["blocks"])
    app.slack.click_in_view(EMPLOYEE, "feedback_request_now", home=True)
    note = app.slack.wait_for(
        lambda: employee_notes(app, "already has a feedback request"), what="note"
    )
    assert "/archives/" in note[-1]["text"]  # a permalink to the waiting DM
    app.tick()
    assert len(request_dms(app)) == 1  # nothing stacked
    assert [r.source for r in requests_of(db)] == ["now"]


def test_one_nudge_after_two_working_days(running_app: RunningApp, db: Session) -> None:
    app = running_app
    set_up_schedule(app)
    app.clock.set(FIRST_SEND)
    app.tick()
    # Sent Tuesday 09:00 in New York: the nudge is Thursday 09:00 there, not before.
    app.clock.set(datetime(2026, 3, 5, 13, 59, tzinfo=UTC))
    app.tick()
    nudges = lambda: [m for m in app.fake.messages(MANAGER) if "gentle reminder" in m["text"]]  # noqa: E731
    assert nudges() == []
    app.clock.set(datetime(2026, 3, 5, 14, 0, tzinfo=UTC))
    app.tick()
    app.tick()
    [nudge] = nudges()
    assert buttons(nudge) == ["Give feedback"]
    assert requests_of(db)[0].nudged_at is not None


def test_the_next_request_marks_the_open_one_missed_in_place(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    set_up_schedule(app)
    app.clock.set(FIRST_SEND)
    app.tick()
    app.clock.set(datetime(2026, 3, 5, 14, 0, tzinfo=UTC))  # the reminder goes out
    app.tick()
    [reminder_ts] = [m["ts"] for m in app.fake.messages(MANAGER) if "gentle reminder" in m["text"]]
    app.clock.set(SECOND_SEND)
    app.tick()
    first, second = request_dms(app)
    assert buttons(first) == [] and "Closed without an answer" in text_of(first["blocks"])
    assert first["edited"]
    # Max hasn't answered one yet, so he can still say he isn't her manager.
    assert buttons(second) == ["Give feedback", "I'm not their manager"]
    # The reminder sent in between is closed as well.
    [reminder] = [m for m in app.fake.messages(MANAGER) if m["ts"] == reminder_ts]
    assert buttons(reminder) == [] and reminder["edited"]
    assert [r.status for r in requests_of(db)] == ["missed", "sent"]
    app.slack.open_home(EMPLOYEE)
    home = app.slack.wait_for(
        lambda: (h := app.fake.home(EMPLOYEE)) and "Missed" in text_of(h["blocks"]) and h,
        what="the missed one in the history",
    )
    assert "Waiting for your manager's answer" in text_of(home["blocks"])


def test_after_a_restart_under_12_hours_late_is_sent_once(running_app: RunningApp) -> None:
    app = running_app
    set_up_schedule(app)
    app.clock.set(FIRST_SEND + timedelta(hours=11))
    app.tick()
    app.tick()
    assert len(request_dms(app)) == 1
    assert employee_notes(app, "offline") == []


def test_after_a_restart_over_12_hours_late_is_missed_and_the_employee_told(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    set_up_schedule(app)
    app.clock.set(FIRST_SEND + timedelta(hours=13))
    app.tick()
    app.tick()
    assert request_dms(app) == []
    [note] = employee_notes(app, "offline")
    assert "due Tue 3 Mar couldn't go out on time" in note["text"]
    assert "Tue 10 Mar 2026, 09:00 New York time (EDT)" in note["text"]
    assert [r.status for r in requests_of(db)] == ["missed"]
    # Down for three weeks: every occurrence missed, one note, then back on schedule.
    app.clock.set(datetime(2026, 3, 31, 12, 0, tzinfo=UTC))
    app.tick()
    notes = employee_notes(app, "offline")
    assert len(notes) == 2 and "3 feedback requests" in notes[-1]["text"]
    assert request_dms(app) == []
    app.clock.set(datetime(2026, 3, 31, 13, 0, tzinfo=UTC))
    app.tick()
    assert len(request_dms(app)) == 1


def test_a_manager_who_has_left_pauses_the_schedule_and_the_employee_is_told(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    set_up_schedule(app)
    app.fake.set_user(MANAGER, deleted=True)
    app.clock.set(FIRST_SEND)
    app.tick()
    app.tick()
    assert request_dms(app) == []
    [note] = employee_notes(app, "couldn't deliver your feedback request")
    assert "paused" in note["text"]
    assert schedule_of(db).status == "paused"
    assert schedule_of(db).paused_reason == "manager_unreachable"
    app.slack.open_home(EMPLOYEE)
    home = app.slack.wait_for(
        lambda: (h := app.fake.home(EMPLOYEE)) and "Paused." in text_of(h["blocks"]) and h,
        what="the paused schedule",
    )
    assert "I couldn't reach" in text_of(home["blocks"])
    # Change: pick the new manager; saving starts the requests again.
    app.slack.click_in_view(EMPLOYEE, "feedback_change", home=True)
    app.slack.wait_for(
        lambda: [
            v for v in app.fake.view_stack(EMPLOYEE) if v["callback_id"] == "feedback_schedule"
        ],
        what="the change modal",
    )
    pick(app, "feedback_manager_pick", COLLEAGUE)
    ack = app.slack.submit(EMPLOYEE, {"manager": COLLEAGUE, "first_date": "2026-03-10"}).json()
    assert ack["response_action"] == "update"
    assert "Kolkata time" in text_of(ack["view"]["blocks"])
    schedule = schedule_of(db)
    assert schedule.status == "active" and schedule.tz == "Asia/Kolkata"


def test_a_deactivated_manager_cannot_be_picked(running_app: RunningApp) -> None:
    ack = set_up_schedule(running_app, manager="UGONE")
    assert ack["response_action"] == "errors"
    assert "deactivated" in ack["errors"]["manager"]
