"""Shared steps of the feedback end-to-end tests: set up a schedule the way a person does."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import FeedbackRequest, FeedbackSchedule
from slackapp.views.feedback import PICK_FIRST_DATE, PICK_MANAGER
from tests.conftest import EMPLOYEE, MANAGER, RunningApp


def text_of(blocks: Any) -> str:
    return json.dumps(blocks or [])


def open_schedule_modal(app: RunningApp, user: str = EMPLOYEE) -> dict[str, Any]:
    app.slack.command(user, "feedback")
    return app.slack.wait_for(
        lambda: [
            v for v in app.fake.view_stack(user) if v.get("callback_id") == "feedback_schedule"
        ],
        what="the feedback modal",
    )[-1]


def pick(app: RunningApp, action_id: str, value: str, user: str = EMPLOYEE) -> dict[str, Any]:
    before = app.slack.top_view(user)["hash"]
    app.slack.click_in_view(user, action_id, value=value)
    return app.slack.wait_for(
        lambda: (v := app.fake.view_stack(user)[-1]) and v["hash"] != before and v,
        what=f"the modal to update after {action_id}",
    )


def set_up_schedule(
    app: RunningApp,
    *,
    first_date: str = "2026-03-03",
    at: str = "09:00",
    repeat: str = "weekly",
    end: str = "after_count",
    end_count: str | None = "6",
    manager: str = MANAGER,
    questions: str | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Open the modal, pick the manager and the date, fill in the rest, submit; returns the ack."""
    open_schedule_modal(app)
    pick(app, PICK_MANAGER, manager)
    pick(app, PICK_FIRST_DATE, first_date)
    values: dict[str, Any] = {
        "time": at,
        "repeat": repeat,
        "end": end,
        "end_count": end_count,
        "first_date": first_date,
        "manager": manager,
    }
    if questions is not None:
        values["questions"] = questions
    values.update(extra or {})
    response = app.slack.submit(EMPLOYEE, values)
    assert response.status == 200
    return response.json()


def home_with_request_now(app: RunningApp) -> None:
    """A schedule set up, and the employee's App Home showing Request feedback now."""
    set_up_schedule(app)
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(
        lambda: (h := app.fake.home(EMPLOYEE)) and "feedback_request_now" in text_of(h["blocks"]),
        what="Request feedback now on the home tab",
    )


def schedule_of(db: Session) -> FeedbackSchedule:
    db.expire_all()
    schedule = db.scalar(select(FeedbackSchedule).order_by(FeedbackSchedule.id.desc()).limit(1))
    assert schedule is not None
    return schedule


def requests_of(db: Session) -> list[FeedbackRequest]:
    db.expire_all()
    return list(db.scalars(select(FeedbackRequest).order_by(FeedbackRequest.id)))


def request_dms(app: RunningApp, user: str = MANAGER) -> list[dict[str, Any]]:
    """The feedback request DMs (not the reminders), by the metadata they carry."""
    return [
        m
        for m in app.fake.messages(user)
        if "feedback_request_id" in ((m.get("metadata") or {}).get("event_payload") or {})
    ]


def buttons(message: dict[str, Any]) -> list[str]:
    found = []
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("type") == "button":
                found.append(element["text"]["text"])
        if (block.get("accessory") or {}).get("type") == "button":
            found.append(block["accessory"]["text"]["text"])
    return found
