"""Step 3, the employee's side: compose, the excuse check, the preview, validation, send once."""

from __future__ import annotations

from sqlalchemy import func, select

from models import MeetingRequest
from tests.conftest import COLLEAGUE, EMPLOYEE, MANAGER, RunningApp
from tests.support.meeting import (
    SECRET,
    blocks_text,
    buttons,
    choose_manager,
    compose_values,
    open_compose,
    person,
    request_row,
    review,
    seed_plan,
    send,
    top,
)


def test_send_with_preview_shows_exactly_what_the_manager_gets(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    compose = open_compose(app)
    message = next(b for b in compose["blocks"] if b.get("block_id") == "meeting_message")
    draft = message["element"]["initial_value"]
    # The draft follows the advice, from the plan and reflection, never the private notes.
    assert "Wrong prices sent to Acme" in draft
    assert "the Acme account, my colleagues and the company" in draft
    assert "take full responsibility" in draft
    # The steps and commitments are shared under the message, so the draft points to them.
    assert "Called Acme and apologised" not in draft
    assert "Double-check quotes before sending" not in draft
    assert "My repair plan, and what I'll do differently from now on, are just under" in draft
    assert "private conversation" in draft
    assert SECRET not in blocks_text(compose["blocks"])

    compose = choose_manager(app)
    assert "New York time" in blocks_text(compose["blocks"])
    time_input = next(b for b in compose["blocks"] if b["block_id"] == "meeting_time_1")
    assert time_input["element"]["timezone"] == "America/New_York"

    preview = review(app, times=[("2026-03-03", "10:00"), ("2026-03-04", "14:30")])
    text = blocks_text(preview["blocks"])
    assert "No excuses spotted" in text
    assert "Tue 3 Mar, 10:00 EST" in text and "Wed 4 Mar, 14:30 EST" in text
    assert "Tue 3 Mar, 16:00 CET" in text  # and in the employee's own zone, below
    assert SECRET not in text
    assert not app.fake.messages(MANAGER)  # nothing reaches the manager before Send

    dm = send(app)
    # The manager receives what the preview showed (the preview shows buttons as labels).
    preview_request = [b for b in preview["blocks"] if b.get("block_id", "").startswith("meeting_")]
    for block in preview_request:
        if block["block_id"] in ("meeting_message", "meeting_times", "meeting_shared_steps"):
            assert block in dm["blocks"]
    assert f"<@{EMPLOYEE}>" in dm["text"]
    # Each step and commitment reaches the manager once.
    assert blocks_text(dm["blocks"]).count("Called Acme and apologised") == 1
    assert blocks_text(dm["blocks"]).count("Double-check quotes before sending") == 1
    assert SECRET not in blocks_text(dm["blocks"]) + dm["text"]
    assert buttons(dm) == ["Accept", "Propose another time", "Decline"]
    assert not app.fake.view_stack(EMPLOYEE)  # Send closed the modal
    app.slack.wait_for(
        lambda: any("on its way" in m["text"] for m in app.fake.messages(EMPLOYEE)),
        what="the employee's confirmation",
    )
    row = request_row(app)
    assert row.status == "pending" and row.manager_ts == dm["ts"]
    assert person(app, EMPLOYEE).manager_id == person(app, MANAGER).id
    assert not app.fake.rejections


def test_the_excuse_check_points_out_blame_and_lets_the_employee_edit(
    running_app: RunningApp,
) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    blame = "I'm sorry about the quote. To be fair, it was not my fault: I was told to rush."
    checked = review(app, message=blame)
    text = blocks_text(checked["blocks"])
    assert "may read like an excuse" in text and "no excuses" in text
    assert "To be fair" in text
    assert checked["submit"]["text"] == "Send anyway"
    assert checked["close"]["text"] == "Back to edit"

    # Back to edit: the compose modal is still there, as it was.
    app.fake.view_stack(EMPLOYEE)
    with app.fake._lock:  # the close button pops the pushed view, as Slack does
        app.fake._ws.stacks[EMPLOYEE].pop()
    assert top(app, EMPLOYEE, "meeting_compose")
    owned = "I'm sorry about the quote. I rushed it, and I've fixed it."
    clean = review(app, message=owned)
    assert "No excuses spotted" in blocks_text(clean["blocks"])
    assert clean["submit"]["text"] == "Send"
    dm = send(app)
    assert owned in blocks_text(dm["blocks"])
    assert "fault" not in blocks_text(dm["blocks"])
    with app.runtime.session_factory() as session:  # one draft became one request
        assert session.scalar(select(func.count()).select_from(MeetingRequest)) == 1


def test_send_anyway_sends_the_text_exactly_as_typed(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    typed = "Everyone does it  <sometimes> & *that's* that.\nSorry."
    review(app, message=typed)
    dm = send(app)
    message = next(b for b in dm["blocks"] if b.get("block_id") == "meeting_message")
    assert message["text"] == {"type": "plain_text", "text": typed}


def test_the_manager_must_be_someone_else_a_person_and_active(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    for chosen, problem in (
        (EMPLOYEE, "That's you"),
        ("UOTHERBOT", "That's an app"),
        ("UGONE", "deactivated"),
    ):
        view = choose_manager(app, chosen)
        assert problem in blocks_text(view["blocks"])
        response = app.slack.submit(
            EMPLOYEE, compose_values(times=[("2026-03-03", "10:00")], manager=chosen)
        )
        assert response.json()["response_action"] == "errors"
        assert problem in response.json()["errors"]["meeting_manager"]
    assert not app.fake.messages(MANAGER)
    with app.runtime.session_factory() as session:
        assert session.scalar(select(func.count()).select_from(MeetingRequest)) == 0


def test_a_quick_submit_before_the_select_check_lands_is_still_checked(
    running_app: RunningApp,
) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)  # no manager remembered, none chosen via the select's action
    response = app.slack.submit(
        EMPLOYEE, compose_values(times=[("2026-03-03", "10:00")], manager="UOTHERBOT")
    )
    assert "That's an app" in response.json()["errors"]["meeting_manager"]
    response = app.slack.submit(
        EMPLOYEE, compose_values(times=[("2026-03-03", "10:00")], manager=COLLEAGUE)
    )
    assert response.json()["response_action"] == "push"
    # Times are read in the chosen manager's zone even without the modal update (Kolkata).
    assert "Tue 3 Mar, 10:00 IST" in blocks_text(top(app, EMPLOYEE, "meeting_review")["blocks"])


def test_proposed_times_must_be_in_the_future_and_complete(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    # Now is Mon 2 Mar 03:00 in New York: 02:30 has passed there, 04:00 has not.
    response = app.slack.submit(
        EMPLOYEE,
        compose_values(times=[("2026-03-02", "02:30"), ("2026-03-05", "09:00")])
        | {"meeting_date_3": "2026-03-06"},
    )
    errors = response.json()["errors"]
    assert "already passed" in errors["meeting_time_1"]
    assert "Add a time" in errors["meeting_time_3"]
    assert "meeting_time_2" not in errors
    response = app.slack.submit(EMPLOYEE, compose_values(times=[("2026-03-02", "04:00")]))
    assert response.json()["response_action"] == "push"


def test_a_double_submit_sends_one_request(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    review(app)
    view = top(app, EMPLOYEE, "meeting_review")
    from slacksim.fakeslack import payloads

    payload = payloads.view_submission(
        team_id="T0001",
        user_id=EMPLOYEE,
        user_name="emma",
        view=view,
        state={},
        trigger_id=app.fake.issue_trigger(EMPLOYEE),
    )
    first, second = app.slack.interact(payload), app.slack.interact(payload)
    assert first.status == second.status == 200
    app.slack.wait_for(lambda: app.fake.messages(MANAGER), what="the manager's DM")
    app.runtime.app._listener_runner.listener_executor.shutdown(wait=True)
    assert len(app.fake.messages(MANAGER)) == 1
    assert request_row(app).status == "pending"


def test_the_manager_is_remembered_and_prefilled(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    review(app)
    send(app)
    # Cancel from the status modal, then start again: the manager is prefilled with their zone.
    app.slack.command(EMPLOYEE, "meeting")
    status = top(app, EMPLOYEE, "meeting_status")
    assert "Waiting for" in blocks_text(status["blocks"])
    app.slack.click_in_view(EMPLOYEE, "meeting_cancel")
    # What the person sees: the modal says so (the app updates it after the row is saved;
    # opening another modal before that would leave the app's update nowhere to land).
    notice = app.slack.wait_for_view(EMPLOYEE, "meeting_notice")
    assert "You cancelled the meeting request." in blocks_text(notice["blocks"])
    assert request_row(app).status == "cancelled"
    compose = open_compose(app)
    manager_input = next(b for b in compose["blocks"] if b["block_id"] == "meeting_manager")
    assert manager_input["element"]["initial_user"] == MANAGER
    assert "New York time" in blocks_text(compose["blocks"])
    assert not app.fake.rejections


def test_the_journey_and_app_home_show_step_three(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    app.slack.open_home(EMPLOYEE)
    home = app.slack.wait_for(lambda: app.fake.home(EMPLOYEE), what="the home tab")
    assert "No meeting requested yet" in blocks_text(home["blocks"])
    open_compose(app)
    choose_manager(app)
    review(app)
    send(app)
    home = app.slack.wait_for(
        lambda: (
            "waiting for your manager" in blocks_text((app.fake.home(EMPLOYEE) or {}).get("blocks"))
            and app.fake.home(EMPLOYEE)
        ),
        what="the home tab after sending",
    )
    assert "Your meeting request" in blocks_text(home["blocks"])
    assert "Cancel request" in blocks_text(home["blocks"])
    app.slack.command(EMPLOYEE, "")
    journey = top(app, EMPLOYEE, "journey")
    assert "waiting for your manager" in blocks_text(journey["blocks"])
    # The journey's button shows where the request stands (pushed on top of the journey).
    app.slack.click_in_view(EMPLOYEE, "journey_open_meeting", value="meeting")
    status = top(app, EMPLOYEE, "meeting_status")
    assert f"<@{MANAGER}>" in blocks_text(status["blocks"])
    assert len(app.fake.view_stack(EMPLOYEE)) == 2


def test_from_the_journey_the_request_is_composed_reviewed_and_sent_in_one_stack(
    running_app: RunningApp,
) -> None:
    app = running_app
    seed_plan(app)
    app.slack.command(EMPLOYEE, "")
    top(app, EMPLOYEE, "journey")
    app.slack.click_in_view(EMPLOYEE, "journey_open_meeting", value="meeting")
    top(app, EMPLOYEE, "meeting_compose")
    choose_manager(app)
    review(app)
    assert [v["callback_id"] for v in app.fake.view_stack(EMPLOYEE)] == [
        "journey",
        "meeting_compose",
        "meeting_review",
    ]
    send(app)
    assert not app.fake.view_stack(EMPLOYEE)
    assert not app.fake.rejections
