"""Trust: the person an employee names can say "I'm not their manager" (DESIGN.md, Decisions).

The button is on their requests from that employee until they have acted as the manager; it
stops that employee's meeting requests and feedback requests to them, tells the employee kindly,
is remembered (the modals refuse to name them, the scheduler sends nothing), and can be undone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    DueWork,
    FeedbackRequest,
    FeedbackSchedule,
    ManagerRefusal,
    MeetingRequest,
    Plan,
    Reflection,
    ScheduleStatus,
)
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, RunningApp
from tests.support import feedback as fb
from tests.support.meeting import (
    blocks_text,
    choose_manager,
    click,
    latest,
    open_compose,
    refreshed,
    review,
    sent_request,
    top,
)

NOT_MANAGER = "I'm not their manager"
UNDO = "I am their manager after all"
# Tuesday 3 March 2026, 09:00 in New York: the first feedback request of fb.set_up_schedule().
FIRST_SEND = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)

Json = dict[str, Any]


def all_buttons(message: Json) -> list[str]:
    return fb.buttons(message)


def not_manager_button(message: Json) -> Json:
    block = next(b for b in message["blocks"] if b.get("block_id") == "manager_check")
    return dict(block["accessory"])


def manager_dms(app: RunningApp) -> list[Json]:
    return app.fake.messages(MANAGER)


def refusals(db: Session) -> list[ManagerRefusal]:
    db.expire_all()
    return list(db.scalars(select(ManagerRefusal)))


def press_not_manager(app: RunningApp, message: Json, user: str = MANAGER) -> None:
    click(app, user, message, "manager_not_mine")


def wait_updated(app: RunningApp, ts: str, contains: str) -> Json:
    return app.slack.wait_for(
        lambda: (
            (m := refreshed(app, MANAGER, ts))
            and m["edited"]
            and contains in blocks_text(m["blocks"])
            and m
        ),
        what=f"the manager's DM to say {contains!r}",
    )


def open_home(app: RunningApp, user: str) -> None:
    app.slack.open_home(user)
    app.slack.wait_for(lambda: app.fake.home(user), what=f"{user}'s App Home")


def home_text(app: RunningApp, user: str) -> str:
    return blocks_text((app.fake.home(user) or {}).get("blocks"))


def test_the_first_meeting_request_asks_and_saying_so_stops_everything_to_them(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    open_home(app, EMPLOYEE)
    assert fb.set_up_schedule(app)["response_action"] == "update"  # weekly feedback requests to Max
    app.slack.close(EMPLOYEE)
    dm = sent_request(app)
    assert all_buttons(dm) == ["Accept", "Propose another time", "Decline", NOT_MANAGER]
    button = not_manager_button(dm)
    # A confirm dialog comes first: a slip of the thumb stops nothing.
    assert button["confirm"]["title"]["text"] == "Not their manager?"
    assert button["confirm"]["text"]["type"] == "plain_text"

    press_not_manager(app, dm)
    updated = wait_updated(app, dm["ts"], "won't send you requests through Second Chance again")
    assert updated["edited"] and all_buttons(updated) == [UNDO]
    assert "Wrong prices sent to Acme" not in blocks_text(updated["blocks"])  # her words go
    note = latest(app, EMPLOYEE, "aren't your manager")
    text = blocks_text(note["blocks"])
    assert f"<@{MANAGER}> let me know they aren't your manager" in text
    assert "your meeting request and your feedback requests" in text
    assert "Nothing you wrote is lost" in text
    assert all_buttons(note) == ["Request a meeting", "Set up feedback requests"]
    click(app, EMPLOYEE, note, "journey_open_meeting")
    compose = top(app, EMPLOYEE, "meeting_compose")
    manager_select = next(b for b in compose["blocks"] if b["block_id"] == "meeting_manager")
    assert "initial_user" not in manager_select["element"]  # Max is no longer prefilled
    app.slack.close(EMPLOYEE)
    app.slack.wait_for(
        lambda: "said they aren't your manager" in home_text(app, EMPLOYEE),
        what="the employee's App Home to say so",
    )

    db.expire_all()
    [refusal] = refusals(db)
    [meeting] = db.scalars(select(MeetingRequest).where(MeetingRequest.status != "draft"))
    assert meeting.status == "not_manager"
    assert db.scalar(select(FeedbackSchedule.status)) == ScheduleStatus.STOPPED.value
    assert db.scalar(select(func.count()).select_from(Plan)) == 1  # nothing she wrote is lost
    assert db.scalar(select(func.count()).select_from(Reflection)) == 1
    pending_to_max = db.scalars(
        select(DueWork.kind).where(DueWork.status == "pending", DueWork.kind.like("meeting_%"))
    ).all()
    assert pending_to_max == []  # the nudge and the expiry are off the clock

    # Weeks pass: the schedule's times, the nudge and the expiry all come and go.
    for days in (1, 2, 3, 8, 10, 15, 22):
        app.clock.set(FIRST_SEND + timedelta(days=days, minutes=1))
        app.tick()
    assert [m["ts"] for m in manager_dms(app)] == [dm["ts"]]
    assert db.scalar(select(func.count()).select_from(FeedbackRequest)) == 0

    # A second press (a double click, or a stale copy of the DM) changes nothing more.
    notes, updates = len(app.fake.messages(EMPLOYEE)), len(app.fake.calls_to("chat.update"))
    press_not_manager(app, dm)
    app.slack.wait_for(
        lambda: len(app.fake.calls_to("chat.update")) > updates, what="the DM, updated again"
    )
    assert len(app.fake.messages(EMPLOYEE)) == notes and len(refusals(db)) == 1
    assert refusal.workspace_id == meeting.workspace_id
    assert not app.fake.rejections


def test_the_first_feedback_request_asks_too_and_stops_the_schedule(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    fb.set_up_schedule(app, end_count="10")
    app.clock.set(FIRST_SEND)
    app.tick()
    [dm] = fb.request_dms(app)
    assert all_buttons(dm) == ["Give feedback", NOT_MANAGER]

    press_not_manager(app, dm)
    updated = wait_updated(app, dm["ts"], "won't send you requests through Second Chance again")
    assert "Give feedback" not in all_buttons(updated)
    note = latest(app, EMPLOYEE, "aren't your manager")
    assert "your feedback requests" in blocks_text(note["blocks"])
    [request] = fb.requests_of(db)
    assert (request.status, request.close_reason) == ("cancelled", "not_manager")
    assert fb.schedule_of(db).status == ScheduleStatus.STOPPED.value

    # The nudge (two working days on) and the next weeks' requests never come.
    for weeks in range(1, 5):
        app.clock.set(FIRST_SEND + timedelta(weeks=weeks))
        app.tick()
    assert [m["ts"] for m in manager_dms(app)] == [dm["ts"]]
    assert len(fb.requests_of(db)) == 1
    assert not app.fake.rejections


def test_a_request_now_asks_on_its_first_dm(running_app: RunningApp, db: Session) -> None:
    app = running_app
    fb.set_up_schedule(app)
    open_home(app, EMPLOYEE)
    app.slack.click_in_view(EMPLOYEE, "feedback_request_now", home=True)
    app.slack.wait_for(lambda: "on its way" in home_text(app, EMPLOYEE), what="the App Home")
    app.tick()
    [dm] = fb.request_dms(app)
    assert "one-off request" in blocks_text(dm["blocks"])
    assert NOT_MANAGER in all_buttons(dm)


def test_only_the_person_named_can_say_so(running_app: RunningApp, db: Session) -> None:
    app = running_app
    dm = sent_request(app)
    # Chandra replays Max's button with her own user id.
    press_not_manager(app, dm, user=COLLEAGUE)
    refusal = app.slack.wait_for(lambda: app.fake.ephemerals(COLLEAGUE), what="a refusal")[-1]
    assert "Only the person this request was sent to" in refusal["text"]
    assert refusals(db) == []
    db.expire_all()
    assert db.scalar(select(MeetingRequest.status).where(MeetingRequest.status != "draft")) == (
        "pending"
    )
    assert not refreshed(app, MANAGER, dm["ts"])["edited"]
    # A value that names no request is refused the same way.
    forged = {**dm, "blocks": [{**b} for b in dm["blocks"]]}
    check = next(b for b in forged["blocks"] if b.get("block_id") == "manager_check")
    check["accessory"] = {**check["accessory"], "value": "meeting:999999"}
    press_not_manager(app, forged)
    app.slack.wait_for(lambda: app.fake.ephemerals(MANAGER), what="Max's refusal")
    assert refusals(db) == []


def test_they_cannot_be_named_again_until_they_undo_it(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    dm = sent_request(app)
    press_not_manager(app, dm)
    done = wait_updated(app, dm["ts"], "won't send you requests")

    # The meeting modal: a warning when Max is picked, a field error on submit.
    open_compose(app)
    compose = choose_manager(app)
    assert "Max Manager has said they aren't your manager" in blocks_text(compose["blocks"])
    response = app.slack.submit(
        EMPLOYEE,
        {"meeting_manager": MANAGER, "meeting_date_1": "2026-03-03", "meeting_time_1": "10:00"},
    )
    errors = response.json()["errors"]
    assert errors["meeting_manager"] == (
        "Max Manager has said they aren't your manager. Choose the person you report to."
    )
    app.slack.close(EMPLOYEE)
    # The feedback schedule modal: the same field error.
    ack = fb.set_up_schedule(app)
    assert ack["response_action"] == "errors"
    assert "Max Manager has said they aren't your manager" in ack["errors"]["manager"]
    app.slack.close(EMPLOYEE)
    assert db.scalar(select(func.count()).select_from(FeedbackSchedule)) == 0

    # Only Max can take it back.
    click(app, COLLEAGUE, done, "manager_not_mine_undo")
    refusal = app.slack.wait_for(lambda: app.fake.ephemerals(COLLEAGUE), what="a refusal")[-1]
    assert "isn't yours to undo" in refusal["text"]
    assert len(refusals(db)) == 1

    click(app, MANAGER, done, "manager_not_mine_undo")
    wait_updated(app, dm["ts"], "Undone")
    assert refusals(db) == []
    told = latest(app, EMPLOYEE, "are your manager after all")
    assert "you can choose them again" in told["text"]
    # Nothing restarted by itself, and Max can be chosen again.
    assert len(manager_dms(app)) == 1
    assert fb.set_up_schedule(app)["response_action"] == "update"
    assert fb.schedule_of(db).status == ScheduleStatus.ACTIVE.value
    assert not app.fake.rejections


def test_a_send_after_they_said_so_goes_nowhere(running_app: RunningApp, db: Session) -> None:
    """Every send path checks, not only the modals: a review left open, a schedule row."""
    app = running_app
    fb.set_up_schedule(app)
    app.slack.close(EMPLOYEE)
    app.clock.set(FIRST_SEND)
    app.tick()
    [feedback_dm] = fb.request_dms(app)
    open_compose(app)
    choose_manager(app)
    review(app, times=[("2026-03-04", "10:00")])  # the preview is open: Max says no meanwhile
    press_not_manager(app, feedback_dm)
    wait_updated(app, feedback_dm["ts"], "won't send you requests")
    assert app.slack.submit(EMPLOYEE).status == 200  # Send
    notice = top(app, EMPLOYEE, "meeting_notice")
    assert "said they aren't your manager, so I haven't sent this" in blocks_text(notice["blocks"])

    # A schedule to Max that slipped past the modal (made here directly) sends nothing either.
    schedule = fb.schedule_of(db)
    schedule.status, schedule.next_run_at = ScheduleStatus.ACTIVE.value, FIRST_SEND + timedelta(1)
    db.commit()
    app.clock.set(FIRST_SEND + timedelta(days=1, minutes=1))
    app.tick()
    assert [m["ts"] for m in manager_dms(app)] == [feedback_dm["ts"]]
    newest = fb.requests_of(db)[-1]
    assert (newest.status, newest.close_reason) == ("cancelled", "not_manager")
    assert not app.fake.rejections


def test_once_they_act_as_the_manager_later_requests_do_not_ask(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_accept")
    app.slack.wait_for(lambda: refreshed(app, MANAGER, dm["ts"])["edited"], what="accepted")
    fb.set_up_schedule(app)
    app.clock.set(FIRST_SEND)
    app.tick()
    [feedback_dm] = fb.request_dms(app)
    assert all_buttons(feedback_dm) == ["Give feedback"]
