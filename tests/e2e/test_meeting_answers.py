"""Step 3, the manager's side: Accept, Propose another time, Decline; only the named manager;
both sides' messages updated in place; a double click gives one outcome."""

from __future__ import annotations

from sqlalchemy import update

from models import DueWork, MeetingRequest
from slacksim.fakeslack import payloads
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, RunningApp
from tests.support.meeting import (
    blocks_text,
    buttons,
    click,
    latest,
    refreshed,
    request_row,
    sent_request,
    top,
)


def _forged_click(app: RunningApp, user_id: str, action_id: str, value: str) -> None:
    element = {
        "type": "button",
        "action_id": action_id,
        "value": value,
        "text": {"type": "plain_text", "text": "x"},
    }
    payload = payloads.block_actions(
        team_id="T0001",
        user_id=user_id,
        user_name=user_id.lower(),
        actions=[payloads.action_entry(element, "forged")],
        trigger_id=app.fake.issue_trigger(user_id),
        container={
            "type": "message",
            "message_ts": "1.0",
            "channel_id": app.fake.dm_channel(user_id),
        },
        message={"ts": "1.0", "blocks": [], "text": ""},
        channel_id=app.fake.dm_channel(user_id),
    )
    assert app.slack.interact(payload).status == 200


def test_the_manager_accepts_and_both_get_the_time_in_their_zone(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_accept")  # one proposed time: Accept takes it
    confirmed = latest(app, EMPLOYEE, "accepted the meeting")
    assert "Tue 3 Mar, 16:00 CET" in blocks_text(confirmed["blocks"])  # Berlin
    updated = app.slack.wait_for(
        lambda: (
            "Accepted" in blocks_text(refreshed(app, MANAGER, dm["ts"])["blocks"])
            and refreshed(app, MANAGER, dm["ts"])
        ),
        what="the manager's DM updated in place",
    )
    assert "Tue 3 Mar, 10:00 EST" in blocks_text(updated["blocks"])  # New York
    assert buttons(updated) == []  # no stale buttons
    assert updated["edited"]
    row = request_row(app)
    assert row.status == "accepted"
    with app.runtime.session_factory() as session:
        kinds = {w.kind for w in session.query(DueWork).filter_by(status="pending")}
    assert kinds == {
        "meeting_reminder_employee",
        "meeting_reminder_manager",
        "meeting_followup",
    }
    assert not app.fake.rejections


def test_with_several_times_accept_opens_a_chooser(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app, times=[("2026-03-03", "10:00"), ("2026-03-05", "15:00")])
    click(app, MANAGER, dm, "meeting_accept")
    chooser = top(app, MANAGER, "meeting_accept_choose")
    assert "Thu 5 Mar, 15:00 EST" in blocks_text(chooser["blocks"])
    app.slack.submit(MANAGER, {"meeting_choice": "1"})
    confirmed = latest(app, EMPLOYEE, "accepted the meeting")
    assert "Thu 5 Mar, 21:00 CET" in blocks_text(confirmed["blocks"])


def test_the_manager_proposes_another_time_and_the_employee_accepts_it(
    running_app: RunningApp,
) -> None:
    app = running_app
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_propose")
    modal = top(app, MANAGER, "meeting_propose")
    time_input = next(b for b in modal["blocks"] if b["block_id"] == "propose_time")
    assert time_input["element"]["timezone"] == "America/New_York"
    app.slack.submit(
        MANAGER,
        {"propose_date": "2026-03-04", "propose_time": "08:30", "propose_note": "Early is best"},
    )
    counter = latest(app, EMPLOYEE, "proposed another time")
    assert "Wed 4 Mar, 14:30 CET" in blocks_text(counter["blocks"])  # 08:30 New York
    assert "Early is best" in blocks_text(counter["blocks"])
    assert buttons(counter) == ["Accept", "Propose another time"]
    manager_dm = app.slack.wait_for(
        lambda: (
            "You proposed another time" in blocks_text(refreshed(app, MANAGER, dm["ts"])["blocks"])
            and refreshed(app, MANAGER, dm["ts"])
        ),
        what="the manager's DM updated",
    )
    assert buttons(manager_dm) == []

    click(app, EMPLOYEE, counter, "meeting_counter_accept")
    app.slack.wait_for(
        lambda: "You accepted" in blocks_text(refreshed(app, EMPLOYEE, counter["ts"])["blocks"]),
        what="the employee's DM updated in place",
    )
    assert buttons(refreshed(app, EMPLOYEE, counter["ts"])) == []
    confirmed = latest(app, MANAGER, "accepted the meeting")
    assert "Wed 4 Mar, 08:30 EST" in blocks_text(confirmed["blocks"])
    app.slack.wait_for(
        lambda: "Accepted" in blocks_text(refreshed(app, MANAGER, dm["ts"])["blocks"]),
        what="the manager's original DM showing the outcome",
    )
    assert request_row(app).status == "accepted"


def test_accepting_before_the_app_has_saved_where_the_proposal_went_still_edits_it(
    running_app: RunningApp,
) -> None:
    """Slack shows the employee the manager's other time before the app has its answer (and
    saves where it went): an Accept pressed in that moment edits the message it was pressed in,
    and no second "Meeting confirmed" DM is sent to the employee."""
    app = running_app
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_propose")
    app.slack.submit(MANAGER, {"propose_date": "2026-03-04", "propose_time": "08:30"})
    counter = latest(app, EMPLOYEE, "proposed another time")
    app.slack.wait_for(lambda: request_row(app).employee_ts, what="the proposal's DM saved")
    with app.runtime.session_factory() as session:  # as it is in the moment before the save
        session.execute(update(MeetingRequest).values(employee_channel=None, employee_ts=None))
        session.commit()
    click(app, EMPLOYEE, counter, "meeting_counter_accept")
    app.slack.wait_for(
        lambda: "You accepted" in blocks_text(refreshed(app, EMPLOYEE, counter["ts"])["blocks"]),
        what="the employee's DM updated in place",
    )
    assert buttons(refreshed(app, EMPLOYEE, counter["ts"])) == []
    latest(app, MANAGER, "accepted the meeting")
    # The calendar invitation comes last, after any confirmation: by then none went to her.
    app.slack.wait_for(
        lambda: [m for m in app.fake.messages(EMPLOYEE) if m["text"] == "Add it to your calendar"],
        what="the employee's calendar invitation",
    )
    assert [m for m in app.fake.messages(EMPLOYEE) if m["text"] == "Meeting confirmed"] == []
    assert request_row(app).employee_ts == counter["ts"]


def test_the_employee_can_propose_back_and_the_manager_gets_a_new_request(
    running_app: RunningApp,
) -> None:
    app = running_app
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_propose")
    top(app, MANAGER, "meeting_propose")
    app.slack.submit(MANAGER, {"propose_date": "2026-03-04", "propose_time": "08:30"})
    counter = latest(app, EMPLOYEE, "proposed another time")
    click(app, EMPLOYEE, counter, "meeting_counter_propose")
    top(app, EMPLOYEE, "meeting_propose")
    app.slack.submit(EMPLOYEE, {"propose_date": "2026-03-04", "propose_time": "11:00"})
    again = app.slack.wait_for(
        lambda: [
            m
            for m in app.fake.messages(MANAGER)
            if "would like a private conversation" in m["text"]
        ][1:],
        what="a new request DM to the manager",
    )[-1]
    assert "Wed 4 Mar, 11:00 EST" in blocks_text(again["blocks"])
    assert buttons(again) == ["Accept", "Propose another time", "Decline"]
    app.slack.wait_for(
        lambda: buttons(refreshed(app, EMPLOYEE, counter["ts"])) == [],
        what="the employee's counter DM settled",
    )
    click(app, MANAGER, again, "meeting_accept")
    latest(app, EMPLOYEE, "accepted the meeting")
    assert request_row(app).status == "accepted"


def test_the_manager_declines_with_and_without_a_reason(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_decline")
    top(app, MANAGER, "meeting_decline")
    app.slack.submit(MANAGER)  # the reason is optional: left empty, it arrives as null
    answer = latest(app, EMPLOYEE, "declined the meeting")
    assert ">" not in blocks_text(answer["blocks"]).split("declined the meeting")[1][:5]
    updated = app.slack.wait_for(
        lambda: (
            "You declined" in blocks_text(refreshed(app, MANAGER, dm["ts"])["blocks"])
            and refreshed(app, MANAGER, dm["ts"])
        ),
        what="the manager's DM updated",
    )
    assert buttons(updated) == []
    row = request_row(app)
    assert row.status == "declined" and row.decline_reason is None


def test_a_decline_reason_reaches_the_employee(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_decline")
    top(app, MANAGER, "meeting_decline")
    app.slack.submit(MANAGER, {"decline_reason": "Let's talk at our 1:1 instead."})
    answer = latest(app, EMPLOYEE, "declined the meeting")
    assert "Let's talk at our 1:1 instead." in blocks_text(answer["blocks"])


def test_a_third_person_pressing_the_managers_buttons_is_refused(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app)
    for action_id in ("meeting_accept", "meeting_propose", "meeting_decline"):
        click(app, COLLEAGUE, dm, action_id)
    refusals = app.slack.wait_for(
        lambda: len(app.fake.ephemerals(COLLEAGUE)) == 3 and app.fake.ephemerals(COLLEAGUE),
        what="three refusals",
    )
    assert all("Only the manager" in r["text"] for r in refusals)
    click(app, EMPLOYEE, dm, "meeting_accept")  # not even the employee answers for them
    app.slack.wait_for(lambda: app.fake.ephemerals(EMPLOYEE), what="the employee's refusal")
    assert request_row(app).status == "pending"
    assert not app.fake.view_stack(COLLEAGUE)
    assert buttons(refreshed(app, MANAGER, dm["ts"])) == [
        "Accept",
        "Propose another time",
        "Decline",
    ]


def test_a_double_click_gives_one_outcome(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_accept")
    click(app, MANAGER, dm, "meeting_accept")
    latest(app, EMPLOYEE, "accepted the meeting")
    app.runtime.app._listener_runner.listener_executor.shutdown(wait=True)
    confirmations = [m for m in app.fake.messages(EMPLOYEE) if "accepted" in m["text"]]
    assert len(confirmations) == 1
    assert len(app.fake.ephemerals(MANAGER)) == 1  # the second click: "already answered"
    assert request_row(app).status == "accepted"


def test_two_decline_modals_submitted_give_one_outcome(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app)
    click(app, MANAGER, dm, "meeting_decline")
    first = top(app, MANAGER, "meeting_decline")
    app.slack.submit(MANAGER)
    latest(app, EMPLOYEE, "declined the meeting")
    # The same modal arriving again (a double submit): answered with a notice, nothing sent.
    with app.fake._lock:
        app.fake._ws.stacks[MANAGER] = [first]
    response = app.slack.submit(MANAGER)
    assert response.json()["response_action"] == "update"
    app.runtime.app._listener_runner.listener_executor.shutdown(wait=True)
    assert len([m for m in app.fake.messages(EMPLOYEE) if "declined" in m["text"]]) == 1


def test_only_the_employee_cancels_and_the_managers_dm_follows(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app)
    app.slack.open_home(EMPLOYEE)
    home = app.slack.wait_for(
        lambda: (
            "Cancel request" in blocks_text((app.fake.home(EMPLOYEE) or {}).get("blocks"))
            and app.fake.home(EMPLOYEE)
        ),
        what="the employee's home",
    )
    assert home
    request_id = str(request_row(app).id)
    for someone_else in (MANAGER, COLLEAGUE):  # a forged click from anyone else is refused
        _forged_click(app, someone_else, "meeting_cancel", request_id)
        app.slack.wait_for(lambda u=someone_else: app.fake.ephemerals(u), what="a refusal")
    assert request_row(app).status == "pending"
    app.slack.click_in_view(EMPLOYEE, "meeting_cancel", home=True)
    updated = app.slack.wait_for(
        lambda: (
            "cancelled this request" in blocks_text(refreshed(app, MANAGER, dm["ts"])["blocks"])
            and refreshed(app, MANAGER, dm["ts"])
        ),
        what="the manager's DM updated",
    )
    assert buttons(updated) == []
    assert request_row(app).status == "cancelled"
    # The manager pressing the old buttons now is told, and nothing changes.
    click(app, MANAGER, dm, "meeting_accept")
    app.slack.wait_for(
        lambda: any("cancelled" in e["text"] for e in app.fake.ephemerals(MANAGER)),
        what="the manager told it was cancelled",
    )
    assert request_row(app).status == "cancelled"


def test_the_managers_app_home_shows_what_waits_on_them(running_app: RunningApp) -> None:
    app = running_app
    dm = sent_request(app, times=[("2026-03-03", "10:00"), ("2026-03-05", "15:00")])
    app.slack.open_home(MANAGER)
    home = app.slack.wait_for(
        lambda: (
            "waiting on you" in blocks_text((app.fake.home(MANAGER) or {}).get("blocks"))
            and app.fake.home(MANAGER)
        ),
        what="the manager's home",
    )
    text = blocks_text(home["blocks"])
    assert f"<@{EMPLOYEE}> asked for a private conversation" in text
    assert "Tue 3 Mar, 10:00 EST, Thu 5 Mar, 15:00 EST" in text
    app.slack.click_in_view(MANAGER, "meeting_accept", home=True)
    top(app, MANAGER, "meeting_accept_choose")
    app.slack.submit(MANAGER, {"meeting_choice": "0"})
    latest(app, EMPLOYEE, "accepted the meeting")
    app.slack.wait_for(
        lambda: (
            "Nothing is waiting on you right now" in blocks_text(app.fake.home(MANAGER)["blocks"])
        ),
        what="the manager's home without the answered request",
    )
    assert "meeting_waiting" not in blocks_text(app.fake.home(MANAGER)["blocks"])
    app.slack.wait_for(
        lambda: buttons(refreshed(app, MANAGER, dm["ts"])) == [], what="the DM updated too"
    )
    assert not app.fake.rejections
