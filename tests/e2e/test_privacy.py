"""An employee downloads all their data (deleting it: test_delete_everywhere.py)."""

from __future__ import annotations

import json

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import EMPLOYEE, MANAGER, RunningApp
from tests.e2e.test_plan_flow import home_text
from tests.support.meeting import SECRET, seed_plan


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
