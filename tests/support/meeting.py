"""Shared steps of the meeting end-to-end tests: a plan to draft from, and the employee's walk
through compose -> review -> send, the way a person does it in Slack."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select

from models import Commitment, MeetingRequest, Person, Plan, Reflection, Step
from slackapp.services.people import ensure_person, ensure_workspace
from tests.conftest import EMPLOYEE, MANAGER, START, TEAM_ID, RunningApp

SECRET = "PRIVATE-NOTE-never-share"

Json = dict[str, Any]


def seed_plan(app: RunningApp, *, user_id: str = EMPLOYEE, tz: str = "Europe/Berlin") -> None:
    """A plan with one repair done and one planned, and a reflection with private notes."""
    with app.runtime.session_factory() as session:
        workspace = ensure_workspace(session, team_id=TEAM_ID)
        person = ensure_person(session, workspace=workspace, slack_user_id=user_id, tz=tz)
        plan = Plan(
            workspace_id=workspace.id,
            owner_id=person.id,
            title="Wrong prices sent to Acme",
            affected_others="the Acme account",
        )
        plan.steps = [
            Step(
                workspace_id=workspace.id,
                position=0,
                description="Called Acme and apologised",
                done_at=START,
            ),
            Step(
                workspace_id=workspace.id,
                position=1,
                description="Re-issue the corrected quote",
                due_date=date(2026, 3, 4),
            ),
        ]
        plan.reflection = Reflection(
            workspace_id=workspace.id, root_cause="Rushing", private_notes=SECRET
        )
        plan.reflection.commitments = [
            Commitment(
                workspace_id=workspace.id, position=0, text="Double-check quotes before sending"
            )
        ]
        session.add(plan)
        session.commit()


def blocks_text(blocks: list[Json] | None) -> str:
    return json.dumps(blocks or [], ensure_ascii=False)


def top(app: RunningApp, user_id: str, callback_id: str) -> Json:
    return app.slack.wait_for(
        lambda: next(
            (v for v in app.fake.view_stack(user_id)[-1:] if v["callback_id"] == callback_id),
            None,
        ),
        what=f"the {callback_id} modal",
    )


def open_compose(app: RunningApp, user_id: str = EMPLOYEE) -> Json:
    app.slack.command(user_id, "meeting")
    return top(app, user_id, "meeting_compose")


def choose_manager(app: RunningApp, manager: str = MANAGER, user_id: str = EMPLOYEE) -> Json:
    before = top(app, user_id, "meeting_compose")["hash"]
    app.slack.click_in_view(
        user_id, "meeting_manager_select", value=manager, values={"meeting_manager": manager}
    )
    return app.slack.wait_for(
        lambda: next((v for v in app.fake.view_stack(user_id)[-1:] if v["hash"] != before), None),
        what="the compose modal naming the manager's zone",
    )


def compose_values(
    *, times: list[tuple[str, str]], message: str | None = None, manager: str | None = MANAGER
) -> Json:
    values: Json = {"meeting_manager": manager}
    for i, (day, at) in enumerate(times, start=1):
        values[f"meeting_date_{i}"] = day
        values[f"meeting_time_{i}"] = at
    if message is not None:
        values["meeting_message"] = message
    return values


def review(
    app: RunningApp,
    *,
    times: list[tuple[str, str]] = (("2026-03-03", "10:00"),),  # type: ignore[assignment]
    message: str | None = None,
    user_id: str = EMPLOYEE,
) -> Json:
    """Fill in the compose modal and press Review; returns the review modal."""
    response = app.slack.submit(user_id, compose_values(times=list(times), message=message))
    assert response.status == 200
    assert response.json().get("response_action") == "push", response.body
    return top(app, user_id, "meeting_review")


def send(app: RunningApp, user_id: str = EMPLOYEE, manager: str = MANAGER) -> Json:
    """Press Send on the review modal; returns the manager's DM."""
    response = app.slack.submit(user_id)
    assert response.status == 200
    message: Json = app.slack.wait_for(
        lambda: next(
            (
                m
                for m in app.fake.messages(manager)
                if "would like a private conversation" in m["text"]
            ),
            None,
        ),
        what="the manager's DM",
    )
    # The app stores where the DM is just after Slack answers; a button pressed before that
    # (no person is that fast, a test is) would find no message to redraw.
    app.slack.wait_for(
        lambda: _stored_at(app, message["ts"]), what="the manager's DM stored with its request"
    )
    return message


def _stored_at(app: RunningApp, ts: str) -> bool:
    with app.runtime.session_factory() as session:
        return (
            session.scalar(select(MeetingRequest.id).where(MeetingRequest.manager_ts == ts))
            is not None
        )


def request_row(app: RunningApp) -> MeetingRequest:
    with app.runtime.session_factory() as session:
        rows = list(session.scalars(select(MeetingRequest).where(MeetingRequest.status != "draft")))
        assert len(rows) == 1, f"{len(rows)} requests"
        session.expunge_all()
        return rows[0]


def person(app: RunningApp, user_id: str) -> Person:
    with app.runtime.session_factory() as session:
        found = session.scalar(select(Person).where(Person.slack_user_id == user_id))
        assert found is not None
        session.expunge_all()
        return found


def sent_request(app: RunningApp, times: list[tuple[str, str]] | None = None) -> Json:
    """The whole employee path with defaults; returns the manager's DM."""
    seed_plan(app)
    open_compose(app)
    choose_manager(app)
    review(app, times=times or [("2026-03-03", "10:00")])
    return send(app)


def latest(app: RunningApp, user_id: str, contains: str) -> Json:
    return app.slack.wait_for(
        lambda: next(
            (
                m
                for m in reversed(app.fake.messages(user_id))
                if contains in blocks_text(m["blocks"]) + m["text"]
            ),
            None,
        ),
        what=f"a DM to {user_id} with {contains!r}",
    )


def refreshed(app: RunningApp, user_id: str, ts: str) -> Json:
    """The message as it stands now (after chat.update)."""
    return next(m for m in app.fake.messages(user_id) if m["ts"] == ts)


def buttons(message: Json) -> list[str]:
    return [
        element["text"]["text"]
        for block in message.get("blocks") or []
        if block.get("type") == "actions"
        for element in block["elements"]
    ]


def click(app: RunningApp, user_id: str, message: Json, action_id: str) -> None:
    """Press a button in a DM. Slack leaves out keys that have no value (the fake's copy keeps
    them as null), so they are dropped the way Slack would send the message."""
    sent = {key: value for key, value in message.items() if value is not None}
    assert app.slack.click_in_message(user_id, sent, action_id).status == 200
