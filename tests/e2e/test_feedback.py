"""Step 4 end to end: schedule -> the manager's DM on time -> Give feedback -> the employee gets it
-> history in App Home. The clock is injected; time moves by hand."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Commitment,
    Concern,
    DueWork,
    FeedbackAnswer,
    MeetingRequest,
    Person,
    Plan,
    Reflection,
    Step,
)
from slacksim.fakeslack import payloads
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, START, RunningApp
from tests.support.feedback import (
    buttons,
    open_schedule_modal,
    pick,
    request_dms,
    requests_of,
    set_up_schedule,
    text_of,
)

# Tuesday 3 March 2026, 09:00 in New York (EST, UTC-5) is 14:00 UTC and 15:00 in Berlin.
FIRST_SEND = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)


def give_feedback(app: RunningApp, message: dict, values: dict, user: str = MANAGER) -> None:
    app.slack.click_in_message(user, message, "feedback_give")
    app.slack.wait_for(
        lambda: [v for v in app.fake.view_stack(user) if v["callback_id"] == "feedback_answer"],
        what="the Give feedback modal",
    )
    assert app.slack.submit(user, values).status == 200


def test_the_modal_names_the_managers_zone_and_offers_monthly_rules(
    running_app: RunningApp,
) -> None:
    view = open_schedule_modal(running_app)
    assert "Pick your manager first" in text_of(view["blocks"])
    view = pick(running_app, "feedback_manager_pick", MANAGER)
    assert "New York time" in text_of(view["blocks"])
    note = next(b for b in view["blocks"] if b["block_id"] == "tz_note")
    assert "America/New" not in text_of([note])
    timepicker = next(b for b in view["blocks"] if b["block_id"] == "time")["element"]
    assert timepicker["timezone"] == "America/New_York"
    view = pick(running_app, "feedback_first_date_pick", "2026-03-10")
    repeat = next(b for b in view["blocks"] if b["block_id"] == "repeat")["element"]
    labels = [o["text"]["text"] for o in repeat["options"]]
    assert "Monthly, on the second Tuesday" in labels
    view = pick(running_app, "feedback_first_date_pick", "2026-03-27")  # 4th and last Friday
    repeat = next(b for b in view["blocks"] if b["block_id"] == "repeat")["element"]
    labels = [o["text"]["text"] for o in repeat["options"]]
    assert labels[2:] == ["Monthly, on the last Friday", "Monthly, on the fourth Friday"]
    questions = next(b for b in view["blocks"] if b["block_id"] == "questions")["element"]
    assert questions["initial_value"] == "Am I on the right track?\nWhat should I do differently?"
    assert not running_app.fake.rejections


def test_a_past_date_or_time_is_refused_on_the_field(running_app: RunningApp, db: Session) -> None:
    ack = set_up_schedule(running_app, first_date="2026-03-01")
    assert ack["response_action"] == "errors" and "first_date" in ack["errors"]
    # 08:00 UTC is 03:00 in New York: 02:00 today has passed there, 09:00 has not.
    running_app.slack.submit(EMPLOYEE, {"first_date": "2026-03-02", "time": "02:00"})
    answer = running_app.slack.submit(EMPLOYEE, {"first_date": "2026-03-02", "time": "02:00"})
    assert answer.json()["errors"].keys() == {"time"}
    assert "New York time" in answer.json()["errors"]["time"]
    assert requests_of(db) == []
    assert not running_app.fake.rejections


def test_schedule_dm_answer_feedback_history(running_app: RunningApp, db: Session) -> None:
    app, fake = running_app, running_app.fake
    ack = set_up_schedule(app, repeat="every_2_weeks", end="after_count", end_count="3")
    assert ack["response_action"] == "update"
    confirmation = text_of(ack["view"]["blocks"])
    # The next three send times, in both people's zones.
    for expected in (
        "Tue 3 Mar 2026, 09:00 New York time (EST)",
        "Tue 3 Mar 2026, 15:00 Berlin time (CET) for you",
        "Tue 17 Mar 2026, 09:00 New York time (EDT)",
        "Tue 17 Mar 2026, 14:00 Berlin time (CET) for you",  # New York is on DST from 8 March
        "Tue 31 Mar 2026, 09:00 New York time (EDT)",
    ):
        assert expected in confirmation

    app.clock.set(datetime(2026, 3, 3, 13, 59, tzinfo=UTC))
    app.tick()
    assert request_dms(app) == []  # not before its time
    app.clock.set(FIRST_SEND)
    app.tick()
    [dm] = request_dms(app)
    assert dm["text"] == f"<@{EMPLOYEE}> asked for your feedback"
    # The first request from Emma also lets Max say he isn't her manager.
    assert buttons(dm) == ["Give feedback", "I'm not their manager"]
    assert "Am I on the right track?" in text_of(dm["blocks"])
    assert dm["metadata"]["event_type"] == "secondchance_due_work"
    app.tick()
    assert len(request_dms(app)) == 1  # once

    give_feedback(
        app,
        dm,
        {
            "rating": "on_track",
            "answer_0": "Yes: the customer noticed.",
            "answer_1": "Write things down.",
            "discuss": ["yes"],
        },
    )
    received = app.slack.wait_for(
        lambda: [m for m in fake.messages(EMPLOYEE) if "sent you feedback" in m["text"]],
        what="the employee's feedback",
    )[-1]
    assert "On track" in text_of(received["blocks"])
    assert "Yes: the customer noticed." in text_of(received["blocks"])
    assert "discuss this in person" in text_of(received["blocks"])
    updated = app.slack.wait_for(
        lambda: (m := request_dms(app)[0]) and m["edited"] and m, what="the DM updated in place"
    )
    assert buttons(updated) == [] and "You answered" in text_of(updated["blocks"])

    # Wait for the answer itself: the home's preview of the next request (what the manager
    # will see) also speaks of the feedback history.
    home = app.slack.wait_for(
        lambda: (h := fake.home(EMPLOYEE)) and "Write things down." in text_of(h["blocks"]) and h,
        what="the answer in the history on the App Home",
    )
    assert "Your feedback history" in text_of(home["blocks"])
    assert "Every 2 weeks on Tuesday at 09:00 New York time" in text_of(home["blocks"])
    [request] = requests_of(db)
    assert request.status == "answered" and request.answer is not None
    assert request.answer.answers[1] == {
        "question": "What should I do differently?",
        "answer": "Write things down.",
    }
    assert not fake.rejections


def test_only_the_named_manager_answers_and_a_double_submit_stores_one(
    running_app: RunningApp, db: Session
) -> None:
    app, fake = running_app, running_app.fake
    set_up_schedule(app)
    app.clock.set(FIRST_SEND)
    app.tick()
    [dm] = request_dms(app)
    app.slack.click_in_message(COLLEAGUE, dm, "feedback_give")
    refusal = app.slack.wait_for(lambda: fake.ephemerals(COLLEAGUE), what="a refusal")[-1]
    assert "only they can answer" in refusal["text"]
    assert fake.view_stack(COLLEAGUE) == []

    app.slack.click_in_message(MANAGER, dm, "feedback_give")
    view = app.slack.wait_for(lambda: fake.view_stack(MANAGER), what="the modal")[-1]
    state = payloads.filled_state(view, {"rating": "exceeding"})
    submission = payloads.view_submission(
        team_id="T0001",
        user_id=MANAGER,
        user_name="max",
        view=view,
        state=state,
        trigger_id=fake.issue_trigger(MANAGER),
    )
    first = app.slack.interact(submission)
    second = app.slack.interact(submission)
    assert first.status == second.status == 200
    app.slack.wait_for(
        lambda: [m for m in fake.messages(EMPLOYEE) if "sent you feedback" in m["text"]],
        what="the feedback",
    )
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(FeedbackAnswer)) == 1
    assert len([m for m in fake.messages(EMPLOYEE) if "sent you feedback" in m["text"]]) == 1


def test_the_journey_and_status_show_step_4(running_app: RunningApp) -> None:
    app = running_app
    set_up_schedule(app)
    app.slack.command(EMPLOYEE, "")
    view = app.slack.wait_for(
        lambda: [v for v in app.fake.view_stack(EMPLOYEE) if v["callback_id"] == "journey"],
        what="the journey",
    )[-1]
    assert "Next feedback request Tue 3 Mar, 15:00; 0 answers so far." in text_of(view["blocks"])
    app.slack.click_in_view(EMPLOYEE, "journey_open_feedback", value="feedback")
    pushed = app.slack.wait_for(
        lambda: len(app.fake.view_stack(EMPLOYEE)) == 2 and app.fake.view_stack(EMPLOYEE),
        what="the feedback modal pushed",
    )[-1]
    assert (
        pushed["callback_id"] == "feedback_schedule"
        and pushed["title"]["text"] == "Change feedback"
    )


def test_the_dm_shows_progress_since_the_last_request(running_app: RunningApp, db: Session) -> None:
    app = running_app
    app.slack.open_home(EMPLOYEE)  # the app meets the employee
    employee = app.slack.wait_for(
        lambda: db.scalar(select(Person).where(Person.slack_user_id == EMPLOYEE)),
        what="the employee stored",
    )
    plan = Plan(workspace_id=employee.workspace_id, owner_id=employee.id, title="Fix the order")
    plan.steps = [
        Step(workspace_id=employee.workspace_id, description="Call the customer", done_at=START),
        Step(workspace_id=employee.workspace_id, description="Refund the order"),
    ]
    plan.reflection = Reflection(workspace_id=employee.workspace_id, private_notes="private!")
    plan.reflection.commitments = [
        Commitment(workspace_id=employee.workspace_id, text="Double-check every order")
    ]
    db.add(plan)
    db.commit()
    set_up_schedule(app, end="plan_closed", end_count=None)
    manager = db.scalar(select(Person).where(Person.slack_user_id == MANAGER))
    assert manager is not None
    meeting = MeetingRequest(
        workspace_id=employee.workspace_id,
        employee_id=employee.id,
        manager_id=manager.id,
        message="Can we talk?",
        status="accepted",
        accepted_time=START - timedelta(days=1),
    )
    meeting.concerns = [
        Concern(
            workspace_id=employee.workspace_id,
            text="Customers must hear back within a day",
            addressed_at=START,
        )
    ]
    db.add(meeting)
    db.commit()
    app.clock.set(FIRST_SEND)
    app.tick()
    [dm] = request_dms(app)
    blocks = text_of(dm["blocks"])
    for expected in (
        "Progress so far",
        "1 of 2 steps done",
        "Call the customer",
        "Customers must hear back within a day",
        "Double-check every order",
    ):
        assert expected in blocks
    assert "private!" not in blocks
    app.clock.set(FIRST_SEND + timedelta(days=7) - timedelta(hours=1))
    app.tick()
    second = request_dms(app)[-1]
    assert "Progress since the last request* (Tue 3 Mar)" in text_of(second["blocks"])
    assert "Call the customer" not in text_of(second["blocks"])  # done before the last one
    assert not app.fake.rejections


def _feedback_received(app: RunningApp) -> list[dict]:
    return [m for m in app.fake.messages(EMPLOYEE) if "sent you feedback" in m["text"]]


def _answered(app: RunningApp) -> None:
    """The manager answers while Slack fails the next chat.postMessage: the employee's DM (the
    dispatcher's sends are not retried by the client; a failed one goes back on the clock)."""
    set_up_schedule(app)
    app.clock.set(FIRST_SEND)
    app.tick()
    [dm] = request_dms(app)
    app.fake.fail_next("chat.postMessage", status=500)
    give_feedback(app, dm, {"rating": "on_track", "answer_0": "Steady work."})
    app.slack.wait_for(
        lambda: (m := request_dms(app)[0]) and m["edited"], what="the manager's DM closed"
    )


def _notice(db: Session) -> DueWork:
    db.expire_all()
    return db.scalars(select(DueWork).where(DueWork.kind == "feedback_answer_notice")).one()


def test_the_answer_reaches_the_employee_after_slack_failed_it(
    running_app: RunningApp, db: Session
) -> None:
    """The employee's DM is due work stored with the answer: when Slack fails it (as when the
    process is killed after the manager's ack), a tick sends it, once."""
    app = running_app
    _answered(app)
    assert _feedback_received(app) == []
    assert _notice(db).status == "pending"
    app.clock.advance(timedelta(minutes=5))
    app.tick()
    [received] = _feedback_received(app)
    assert "Steady work." in text_of(received["blocks"])
    assert received["metadata"]["event_type"] == "secondchance_due_work"
    assert _notice(db).status == "done"
    app.clock.advance(timedelta(minutes=5))
    app.tick()
    assert len(_feedback_received(app)) == 1


def test_a_notice_posted_but_not_recorded_is_not_sent_again(
    running_app: RunningApp, db: Session
) -> None:
    """The process went after Slack took the employee's DM but before it was recorded: the
    tick that takes the work over finds it in the DM's history and does not post it again."""
    app = running_app
    _answered(app)
    work = _notice(db)
    # As the dead process left it: its post landed, its lease ran out, the row still pending.
    status, _headers, body = app.fake.handle(
        "chat.postMessage",
        {
            "channel": EMPLOYEE,
            "text": f"<@{MANAGER}> sent you feedback",
            "metadata": {
                "event_type": "secondchance_due_work",
                "event_payload": {"due_work_id": work.id},
            },
        },
        "xoxb-fake",
    )
    assert status == 200 and body["ok"]
    app.clock.advance(timedelta(minutes=5))
    app.tick()
    assert len(_feedback_received(app)) == 1
    assert _notice(db).status == "done"
