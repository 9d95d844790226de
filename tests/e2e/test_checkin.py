"""The private check-in: off by default; once turned on, a weekly "How are you holding up?" to
the employee alone; a hard week gets the article's advice, kindly. Nothing of it reaches anyone
else: every call the app made to Slack is searched for it, and the manager's own export too."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Checkin, DueWork
from slackapp.kernel import kinds
from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.expectations import after_the_meeting, home_text
from tests.support.meeting import latest, top

NOTE = "I cried in the car park on Tuesday"


def _for_employee_only(app: RunningApp, words: list[str]) -> None:
    """Every Slack call carrying any of `words` went to the employee's own DM, home or modal."""
    employee_dm = app.fake.dm_channel(EMPLOYEE)
    for call in app.fake.calls:
        carried = json.dumps(call.args, ensure_ascii=False)
        if not any(word in carried for word in words):
            continue
        if call.method == "views.open":  # a modal: whose click it answers
            to = app.fake.trigger_owner(call.args["trigger_id"])
        elif call.method == "views.publish":
            to = call.args["user_id"]
        else:
            assert call.method == "chat.postMessage", call.method
            to = call.args["channel"]
        assert to in (EMPLOYEE, employee_dm), (call.method, to)
    for user in (MANAGER,):
        seen = json.dumps(
            [app.fake.messages(user), app.fake.home(user), app.fake.view_stack(user)],
            ensure_ascii=False,
        )
        assert not any(word in seen for word in words)


def test_a_private_weekly_check_in_reaches_the_employee_only(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    app.slack.open_home(EMPLOYEE)
    after_the_meeting(app)  # a manager in the picture, with DMs of their own
    text = home_text(app, EMPLOYEE, "How are you holding up?")
    assert "Turn on" in text  # off by default
    app.clock.advance(timedelta(days=8))
    app.tick()
    assert not [m for m in app.fake.messages(EMPLOYEE) if "holding up" in m["text"]]

    app.slack.click_in_view(EMPLOYEE, "checkin_toggle", home=True, value="on")
    home_text(app, EMPLOYEE, "Turn off")
    app.clock.advance(timedelta(days=6))
    app.tick()
    assert not [m for m in app.fake.messages(EMPLOYEE) if "holding up" in m["text"]]
    app.clock.advance(timedelta(days=1, minutes=1))
    app.tick()
    question = latest(app, EMPLOYEE, "How are you holding up?")
    app.slack.click_in_message(EMPLOYEE, question, "checkin_open")
    top(app, EMPLOYEE, "checkin_modal")
    response = app.slack.submit(EMPLOYEE, {"checkin_note": NOTE})
    assert response.json()["response_action"] == "errors"  # a mood, please
    app.slack.submit(EMPLOYEE, {"checkin_mood": "hard", "checkin_note": NOTE})
    reply = latest(app, EMPLOYEE, "Being passed over for a while is part of earning it back")
    assert (
        "Keep a positive attitude" in reply["text"] and "Keep asking for feedback" in reply["text"]
    )
    assert NOTE in home_text(app, EMPLOYEE, NOTE)
    [stored] = list(db.scalars(select(Checkin)))
    assert (stored.mood, stored.note) == ("hard", NOTE)

    # The next one a week after the last.
    app.clock.advance(timedelta(days=7))
    app.tick()
    assert len([m for m in app.fake.messages(EMPLOYEE) if "holding up" in m["text"]]) == 2

    # The manager downloads their own data: nothing of the check-in is in it.
    app.slack.open_home(MANAGER)
    app.slack.click_in_view(MANAGER, "data_export", home=True)
    export = app.slack.wait_for(
        lambda: next((m for m in app.fake.messages(MANAGER) if m.get("files")), None),
        what="the manager's export",
    )
    content = export["files"][0]["content"]
    assert NOTE not in content and '"checkins": []' in content
    _for_employee_only(app, [NOTE, "Being passed over", "A hard week"])

    # Turned off, no more questions.
    app.slack.click_in_view(EMPLOYEE, "checkin_toggle", home=True, value="off")
    home_text(app, EMPLOYEE, "Turn on")
    app.clock.advance(timedelta(days=8))
    app.tick()
    assert len([m for m in app.fake.messages(EMPLOYEE) if "holding up" in m["text"]]) == 2
    assert not app.fake.rejections


def _checkins_due(db: Session) -> list[datetime]:
    db.expire_all()
    return [
        work.due_at
        for work in db.scalars(
            select(DueWork).where(DueWork.kind == kinds.CHECKIN, DueWork.status == "pending")
        )
    ]


def _questions(app: RunningApp) -> int:
    return len([m for m in app.fake.messages(EMPLOYEE) if "holding up" in m["text"]])


def test_the_check_in_keeps_to_working_days_and_skips_a_week_away(
    running_app: RunningApp, db: Session
) -> None:
    """Emma (Berlin) turns it on on Friday 18 December, late in the evening: it comes on
    Fridays at 10:00, her working morning. Christmas Day and New Year's Day are Fridays and
    public holidays in Germany: those weeks it comes on the Monday after, and the week after
    on its Friday again. A week she is away is skipped, not saved up for her return."""
    app = running_app
    app.slack.open_home(EMPLOYEE)
    after_the_meeting(app)
    app.clock.set(datetime(2026, 12, 18, 21, 30, tzinfo=UTC))  # 22:30 in Berlin
    home_text(app, EMPLOYEE, "How are you holding up?")
    app.slack.click_in_view(EMPLOYEE, "checkin_toggle", home=True, value="on")
    home_text(app, EMPLOYEE, "Turn off")
    christmas_moved = datetime(2026, 12, 28, 9, 0, tzinfo=UTC)  # Mon 10:00 in Berlin
    assert _checkins_due(db) == [christmas_moved]
    before = _questions(app)
    app.clock.set(datetime(2026, 12, 25, 9, 0, tzinfo=UTC))
    app.tick()
    assert _questions(app) == before  # nothing on Christmas Day
    app.clock.set(christmas_moved)
    app.tick()
    assert _questions(app) == before + 1
    new_year_moved = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
    assert _checkins_due(db) == [new_year_moved]
    app.clock.set(new_year_moved)
    app.tick()
    assert _questions(app) == before + 2
    assert _checkins_due(db) == [datetime(2027, 1, 8, 9, 0, tzinfo=UTC)]  # its Friday again

    # Away through Sunday 10 January: Friday 8 January's goes unasked; the 15th's comes.
    app.slack.click_in_view(EMPLOYEE, "away_open", home=True)
    app.slack.wait_for_view(EMPLOYEE, "away_until")
    assert app.slack.submit(EMPLOYEE, {"until": "2027-01-10"}).status == 200
    app.clock.set(datetime(2027, 1, 8, 9, 0, tzinfo=UTC))
    app.tick()
    app.clock.set(datetime(2027, 1, 11, 9, 0, tzinfo=UTC))
    app.tick()
    assert _questions(app) == before + 2
    assert _checkins_due(db) == [datetime(2027, 1, 15, 9, 0, tzinfo=UTC)]
    app.clock.set(datetime(2027, 1, 15, 9, 0, tzinfo=UTC))
    app.tick()
    assert _questions(app) == before + 3
    assert not app.fake.rejections
