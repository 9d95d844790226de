"""Issue 12, the first hour, in step 3: the meeting request says each thing once, its first
proposed time is a working morning, and an error under a field goes once it is fixed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.meeting import (
    blocks_text,
    choose_manager,
    click,
    compose_values,
    open_compose,
    review,
    seed_plan,
    send,
    top,
)

# Friday 6 March 2026, 10:00 in New York and 16:00 in Berlin: "tomorrow" is a Saturday.
FRIDAY = datetime(2026, 3, 6, 15, 0, tzinfo=UTC)

DONE_STEP, PLANNED_STEP = "Called Acme and apologised", "Re-issue the corrected quote"
COMMITMENT = "Double-check quotes before sending"


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def message_of(view: dict[str, Any]) -> str:
    return str(block(view, "meeting_message")["element"].get("initial_value") or "")


def test_the_message_and_the_shared_plan_say_each_step_once(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    compose = choose_manager(app)
    draft = message_of(compose)
    for item in (DONE_STEP, PLANNED_STEP, COMMITMENT):
        assert item not in draft
    assert "just under this message" in draft
    assert "doesn't list it twice" in blocks_text(compose["blocks"])

    preview = review(app)
    shown = blocks_text(preview["blocks"])
    for item in (DONE_STEP, PLANNED_STEP, COMMITMENT):
        assert shown.count(item) == 1, item
    assert "meeting_repeated" not in shown
    dm = send(app)
    for item in (DONE_STEP, PLANNED_STEP, COMMITMENT):
        assert blocks_text(dm["blocks"]).count(item) == 1, item
    assert not app.fake.rejections


def test_sharing_less_writes_it_into_the_draft_instead(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    compose = choose_manager(app)
    before = compose["hash"]
    app.slack.click_in_view(
        EMPLOYEE,
        "meeting_share_changed",
        value=["commitments"],
        values={"meeting_share": ["commitments"], "meeting_manager": MANAGER},
    )
    compose = app.slack.wait_for(
        lambda: (v := app.fake.view_stack(EMPLOYEE)[-1])["hash"] != before and v,
        what="the compose modal with a new draft",
    )
    draft = message_of(compose)
    assert DONE_STEP in draft and f"{PLANNED_STEP} (by Wed 4 Mar)" in draft
    assert COMMITMENT not in draft
    assert "What I'll do differently from now on is just under this message." in draft
    # A new draft needs a new input, or Slack would keep showing the old text.
    assert block(compose, "meeting_message")["element"]["action_id"] != "message_0"

    preview = review(app)
    shown = blocks_text(preview["blocks"])
    assert "meeting_shared_steps" not in shown
    for item in (DONE_STEP, PLANNED_STEP, COMMITMENT):
        assert shown.count(item) == 1, item
    assert not app.fake.rejections


def test_words_the_employee_typed_are_never_redrafted(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    own = "I got the Acme prices wrong and I'm putting it right."
    updates = len([c for c in app.fake.calls if c.method == "views.update"])
    app.slack.click_in_view(
        EMPLOYEE,
        "meeting_share_changed",
        value=["commitments"],
        values={
            "meeting_share": ["commitments"],
            "meeting_manager": MANAGER,
            "meeting_message": own,
        },
    )
    # Every listener has finished once the pool is shut down: no redraw came, so the modal
    # keeps the employee's words (the next submit reads them).
    app.runtime.app._listener_runner.listener_executor.shutdown(wait=True)
    assert len([c for c in app.fake.calls if c.method == "views.update"]) == updates
    compose = top(app, EMPLOYEE, "meeting_compose")
    assert block(compose, "meeting_message")["element"]["action_id"] == "message_0"


def test_the_review_points_out_a_message_that_repeats_what_is_shared(
    running_app: RunningApp,
) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    typed = f"I'm sorry about the quote. From now on: {COMMITMENT.lower()}."
    preview = review(app, message=typed)
    note = block(preview, "meeting_repeated")
    assert COMMITMENT in blocks_text([note]) and "read it twice" in blocks_text([note])


def test_the_first_proposed_time_is_the_next_working_morning(running_app: RunningApp) -> None:
    app = running_app
    app.clock.set(FRIDAY)
    seed_plan(app)
    compose = open_compose(app)
    assert block(compose, "meeting_date_1")["element"]["initial_date"] == "2026-03-09"
    assert block(compose, "meeting_time_1")["element"]["initial_time"] == "10:00"
    assert "initial_date" not in block(compose, "meeting_date_2")["element"]
    labels = [b["label"]["text"] for b in compose["blocks"] if b["type"] == "input"]
    assert "Second choice: day" in labels and not any("optional" in label for label in labels)

    choose_manager(app)
    # Submitted as it came: Monday 10:00 in New York (summer time from 8 March).
    response = app.slack.submit(EMPLOYEE, {"meeting_manager": MANAGER})
    assert response.json().get("response_action") == "push", response.body
    preview = top(app, EMPLOYEE, "meeting_review")
    assert "Mon 9 Mar, 10:00 EDT" in blocks_text(preview["blocks"])
    dm = send(app)

    # Max proposes another time: the picker starts on his next working morning too.
    click(app, MANAGER, dm, "meeting_propose")
    propose = top(app, MANAGER, "meeting_propose")
    assert block(propose, "propose_date")["element"]["initial_date"] == "2026-03-09"
    assert block(propose, "propose_time")["element"]["initial_time"] == "10:00"
    assert not app.fake.rejections


def test_choosing_someone_else_takes_the_thats_you_error_away(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    open_compose(app)
    compose = choose_manager(app, manager=EMPLOYEE)
    assert "That's you" in blocks_text([block(compose, "meeting_zone")])
    response = app.slack.submit(
        EMPLOYEE, compose_values(times=[("2026-03-03", "10:00")], manager=EMPLOYEE)
    )
    assert "That's you" in response.json()["errors"]["meeting_manager"]
    assert "meeting_manager" in app.fake.field_errors(compose["id"])

    compose = choose_manager(app, manager=MANAGER)
    assert app.fake.field_errors(compose["id"]) == {}
    assert "New York time" in blocks_text([block(compose, "meeting_zone")])
    assert not app.fake.rejections
