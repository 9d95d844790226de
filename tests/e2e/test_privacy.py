"""An employee downloads all their data, then deletes it; other people's data is untouched."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import MeetingRequest, Person, Plan, Reflection, Step
from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.e2e.meeting_support import SECRET, seed_plan, sent_request
from tests.e2e.test_plan_flow import click_home, home_text


def _count(db: Session, model: type) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_download_my_data_sends_everything_to_my_own_dm_only(running_app: RunningApp) -> None:
    app = running_app
    seed_plan(app)
    app.slack.open_home(EMPLOYEE)
    home = home_text(app, EMPLOYEE, "Your data")
    assert "Download my data" in home and "Delete my data" in home

    app.slack.click_in_view(EMPLOYEE, "data_export", home=True)
    message = app.slack.wait_for(
        lambda: next((m for m in app.fake.messages(EMPLOYEE) if m.get("files")), None),
        what="the export file",
    )
    assert "everything Second Chance keeps about you" in message["text"]
    data = json.loads(message["files"][0]["content"])
    plan = data["plans"][0]
    assert plan["title"] == "Wrong prices sent to Acme"
    assert [s["description"] for s in plan["steps"]] == [
        "Called Acme and apologised",
        "Re-issue the corrected quote",
    ]
    assert plan["reflection"]["private_notes"] == SECRET  # it is their own
    assert plan["reflection"]["commitments"] == ["Double-check quotes before sending"]
    assert app.fake.messages(MANAGER) == []  # nobody else gets anything
    assert not app.fake.rejections


def test_delete_my_data_removes_it_and_withdraws_open_requests(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    manager_dm = sent_request(app)
    assert any(
        e.get("text", {}).get("text") == "Accept"
        for b in manager_dm["blocks"]
        for e in b.get("elements", [])
    )
    # The manager has a plan of their own: it must survive the employee's deletion.
    seed_plan(app, user_id=MANAGER, tz="America/New_York")
    assert _count(db, Plan) == 2

    app.slack.open_home(EMPLOYEE)
    home = json.loads(home_text(app, EMPLOYEE, "Delete my data"))
    button = next(
        e
        for b in home["blocks"]
        if b.get("block_id") == "home_data_actions"
        for e in b["elements"]
        if e["action_id"] == "data_delete"
    )
    assert (
        button["style"] == "danger" and button["confirm"]["confirm"]["text"] == "Delete everything"
    )

    page = click_home(app, EMPLOYEE, "data_delete")
    assert "Your repair plan" not in page
    told = app.slack.wait_for(
        lambda: next(
            (m for m in app.fake.messages(EMPLOYEE) if "Your data is deleted" in m["text"]), None
        )
    )
    assert "1 plan, 1 meeting request and 0 feedback requests" in told["text"]
    db.expire_all()
    employee = db.scalar(select(Person).where(Person.slack_user_id == EMPLOYEE))
    assert employee is not None and employee.manager_id is None
    assert (
        db.scalar(select(func.count()).select_from(Plan).where(Plan.owner_id == employee.id)) == 0
    )
    assert _count(db, MeetingRequest) == 0
    assert (
        _count(db, Plan) == 1 and _count(db, Reflection) == 1 and _count(db, Step) == 2
    )  # the manager's

    # The manager's DM no longer offers buttons for a request that is gone.
    updated = next(m for m in app.fake.messages(MANAGER) if m["ts"] == manager_dm["ts"])
    assert updated["text"] == "This request was withdrawn. There is nothing you need to do."
    assert not updated["blocks"]
    assert not app.fake.rejections
