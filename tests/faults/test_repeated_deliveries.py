"""One effect each: the same event delivered three times (Slack's retries, X-Slack-Retry-Num), and
the same button pressed twice at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import FeedbackAnswer, FeedbackRequest, ProcessedEvent
from slacksim.fakeslack import payloads
from slacksim.fakeslack.payloads import AppResponse
from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.support.feedback import home_with_request_now, request_dms, text_of

pytestmark = pytest.mark.faults


def together(*sends: Callable[[], AppResponse]) -> list[AppResponse]:
    """Run the sends at the same moment, each on its own thread, as two clicks racing would."""
    start = threading.Barrier(len(sends))
    results: list[AppResponse | None] = [None] * len(sends)

    def run(index: int, send: Callable[[], AppResponse]) -> None:
        start.wait()
        results[index] = send()

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(sends)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert all(r is not None for r in results)
    return [r for r in results if r is not None]


def settle(app: RunningApp) -> None:
    """Wait for every listener still working after its ack."""
    app.runtime.app._listener_runner.listener_executor.shutdown(wait=True)


def home_opened(app: RunningApp, *, retry_num: int | None, event_id: str) -> AppResponse:
    event = payloads.app_home_opened(user_id=EMPLOYEE, channel_id=app.fake.dm_channel(EMPLOYEE))
    return app.slack.event(event, retry_num=retry_num, event_id=event_id)


def test_an_event_delivered_three_times_has_one_effect(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    # Slack's way: the first delivery, then two retries marked with X-Slack-Retry-Num.
    answers = [home_opened(app, retry_num=n, event_id="Ev0REPEAT01") for n in (None, 1, 2)]
    # And the nastier case: three deliveries of another event arriving at the same moment.
    answers += together(*[lambda: home_opened(app, retry_num=1, event_id="Ev0REPEAT02")] * 3)
    assert [a.status for a in answers] == [200] * 6  # every delivery acked, so Slack stops
    settle(app)
    assert app.fake.home_publishes() == 2
    assert db.scalar(select(func.count()).select_from(ProcessedEvent)) == 2
    # A new event is handled as before.
    assert not app.fake.rejections


def _press(app: RunningApp, user: str, action_id: str) -> Callable[[], AppResponse]:
    """A click on the App Home, built now (with its own trigger id) and sent later."""
    home = app.fake.home(user)
    assert home is not None
    block_id, element = app.slack._locate(home["blocks"], action_id, None)
    payload = payloads.block_actions(
        team_id=app.slack.team_id,
        user_id=user,
        user_name=user.lower(),
        actions=[payloads.action_entry(element, block_id)],
        trigger_id=app.fake.issue_trigger(user),
        container={"type": "view", "view_id": home["id"]},
        view=home,
        state=payloads.initial_state(home),
    )
    return lambda: app.slack.interact(payload)


def _submit(app: RunningApp, user: str, values: dict[str, Any]) -> Callable[[], AppResponse]:
    view = app.slack.top_view(user)
    payload = payloads.view_submission(
        team_id=app.slack.team_id,
        user_id=user,
        user_name=user.lower(),
        view=view,
        state=payloads.filled_state(view, values),
        trigger_id=app.fake.issue_trigger(user),
    )
    return lambda: app.slack.interact(payload)


def test_request_feedback_now_pressed_twice_at_once_asks_once(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    home_with_request_now(app)
    answers = together(*[_press(app, EMPLOYEE, "feedback_request_now")] * 2)
    assert [a.status for a in answers] == [200, 200]
    settle(app)
    app.tick()
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(FeedbackRequest)) == 1
    assert len(request_dms(app)) == 1
    assert not app.fake.rejections


def test_feedback_submitted_twice_at_once_is_stored_once(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    home_with_request_now(app)
    app.slack.click_in_view(EMPLOYEE, "feedback_request_now", home=True)
    app.slack.wait_for(lambda: app.tick() or request_dms(app), what="the request DM")
    [dm] = request_dms(app)
    app.slack.click_in_message(MANAGER, dm, "feedback_give")
    view = app.slack.wait_for(
        lambda: [v for v in app.fake.view_stack(MANAGER) if v["callback_id"] == "feedback_answer"],
        what="the Give feedback modal",
    )[-1]
    inputs = [b for b in view["blocks"] if b.get("type") == "input"]
    values: dict[str, Any] = {}
    for block in inputs:
        element = block["element"]
        if element["type"] == "radio_buttons":
            values[block["block_id"]] = element["options"][0]["value"]
        elif element["type"] == "plain_text_input":
            values[block["block_id"]] = "Good progress, keep going."
    answers = together(*[_submit(app, MANAGER, values)] * 2)
    assert [a.status for a in answers] == [200, 200]
    settle(app)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(FeedbackAnswer)) == 1
    thanks = [m for m in app.fake.messages(EMPLOYEE) if "Good progress" in text_of(m)]
    assert len(thanks) == 1  # the employee hears about it once
    assert not app.fake.rejections
