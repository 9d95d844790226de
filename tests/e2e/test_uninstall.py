"""Uninstalling (or revoking the bot token) stops every schedule at once and drops the token; the
workspace's data goes after the retention window, unless the app is installed again before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from models import DueWork, FeedbackSchedule, Installation, Plan, Step, Workspace
from slackapp.kernel.clock import ManualClock
from slacksim.fakeslack import FakeSlack, payloads
from tests.conftest import (
    EMPLOYEE,
    MANAGER,
    START,
    RunningApp,
)
from tests.e2e.test_feedback import FIRST_SEND
from tests.e2e.test_plan_flow import home_text
from tests.support.erasure import row_counts
from tests.support.feedback import request_dms, set_up_schedule
from tests.support.meeting import click, seed_plan
from tests.support.oauth import install, oauth_app

RETENTION = timedelta(days=30)


@pytest.fixture
def oauth_running(
    fake_slack: FakeSlack, engine: Engine, database_url: str, clock: ManualClock
) -> Iterator[RunningApp]:
    """The app for many workspaces (tokens from OAuth installs), installed once in Acme."""
    with oauth_app(fake_slack, engine, database_url, clock) as app:
        install(app.url)
        yield app


def _installation(db: Session) -> Installation | None:
    db.expire_all()
    return db.scalar(select(Installation))


def _schedule(db: Session) -> FeedbackSchedule:
    db.expire_all()
    schedule = db.scalar(select(FeedbackSchedule))
    assert schedule is not None
    return schedule


def _pending(db: Session) -> list[tuple[str, datetime]]:
    db.expire_all()
    return [
        (w.kind, w.due_at) for w in db.scalars(select(DueWork).where(DueWork.status == "pending"))
    ]


def _under_way(app: RunningApp, db: Session, *, step_due: date | None = None) -> None:
    """Emma has a plan whose open step has a reminder coming, and weekly feedback requests."""
    seed_plan(app)
    if step_due is not None:
        db.execute(update(Step).where(Step.position == 1).values(due_date=step_due))
        db.commit()
    app.slack.open_home(EMPLOYEE)
    home_text(app, EMPLOYEE, "Delete my data")
    published = app.fake.home_publishes(EMPLOYEE)
    assert set_up_schedule(app)["response_action"] == "update"
    app.slack.wait_for(
        lambda: app.fake.home_publishes(EMPLOYEE) > published, what="the App Home with the schedule"
    )
    assert _schedule(db).status == "active"
    assert any(kind == "step_reminder" for kind, _ in _pending(db))


def _uninstall(app: RunningApp, db: Session, event: dict) -> None:
    app.fake.uninstall_app()
    assert app.slack.event(event).status == 200
    app.slack.wait_for(lambda: _installation(db) is None, what="the token to be deleted")


def _ticks(app: RunningApp, *moments: datetime) -> None:
    for moment in moments:
        app.clock.set(moment)
        app.tick()


def test_uninstall_stops_everything_at_once_and_purges_after_the_window(
    oauth_running: RunningApp, db: Session
) -> None:
    app = oauth_running
    _under_way(app, db)
    _uninstall(app, db, payloads.app_uninstalled())

    schedule = _schedule(db)
    assert (schedule.status, schedule.paused_reason) == ("paused", "uninstalled")
    assert _pending(db) == [("workspace_purge", START + RETENTION)]

    calls = len(app.fake.calls)
    _ticks(app, FIRST_SEND, FIRST_SEND + timedelta(days=7), START + RETENTION - timedelta(hours=1))
    assert len(app.fake.calls) == calls  # not one call to Slack: nothing is sent
    assert db.scalar(select(Plan.title)) == "Wrong prices sent to Acme"  # kept meanwhile

    _ticks(app, START + RETENTION)
    assert {table: n for table, n in row_counts(db).items() if n} == {}
    assert len(app.fake.calls) == calls
    assert not app.fake.rejections


def test_a_reinstall_within_the_window_keeps_everything_and_says_how_to_resume(
    oauth_running: RunningApp, db: Session
) -> None:
    app = oauth_running
    _under_way(app, db, step_due=date(2026, 3, 30))
    _uninstall(app, db, payloads.app_uninstalled())
    _ticks(app, FIRST_SEND)
    assert request_dms(app) == []

    back = datetime(2026, 3, 12, 15, 0, tzinfo=UTC)
    app.clock.set(back)
    install(app.url)
    assert _installation(db) is not None
    db.expire_all()
    assert db.scalar(select(Workspace.uninstalled_at)) is None
    app.tick()
    [notice] = [m for m in app.fake.messages(EMPLOYEE) if "back in your workspace" in m["text"]]
    shown = notice["blocks"][0]["text"]["text"]
    assert "just as you left it" in shown and f"<@{MANAGER}>" in shown
    assert "Press *Resume*" in shown

    # 09:00 in Berlin on the step's day: the reminder set aside at the uninstall comes back.
    _ticks(app, datetime(2026, 3, 30, 7, 5, tzinfo=UTC))
    assert any(
        "Re-issue the corrected quote" in str(m["blocks"]) for m in app.fake.messages(EMPLOYEE)
    )

    _ticks(app, START + RETENTION + timedelta(days=1))  # the purge would have run by now
    assert db.scalar(select(Plan.title)) == "Wrong prices sent to Acme"
    assert _schedule(db).status == "paused"
    assert request_dms(app) == []  # still paused until she says so

    click(app, EMPLOYEE, notice, "feedback_resume")
    app.slack.wait_for(lambda: _schedule(db).status == "active", what="the schedule to resume")
    next_send = _schedule(db).next_run_at
    assert next_send == datetime(2026, 4, 7, 13, 0, tzinfo=UTC)  # Tuesday 09:00 in New York
    _ticks(app, next_send)
    assert len(request_dms(app)) == 1
    assert not app.fake.rejections


def test_revoking_the_bot_token_is_an_uninstall(oauth_running: RunningApp, db: Session) -> None:
    app = oauth_running
    _under_way(app, db)
    _uninstall(app, db, payloads.tokens_revoked(bot=["UBOTSC"]))
    assert _schedule(db).paused_reason == "uninstalled"
    assert _pending(db) == [("workspace_purge", START + RETENTION)]
    calls = len(app.fake.calls)
    _ticks(app, FIRST_SEND)
    assert len(app.fake.calls) == calls


def test_revoking_only_user_tokens_drops_nothing(oauth_running: RunningApp, db: Session) -> None:
    app = oauth_running
    _under_way(app, db)
    pending = _pending(db)
    published = app.fake.home_publishes(EMPLOYEE)
    assert app.slack.event(payloads.tokens_revoked(oauth=[EMPLOYEE, MANAGER])).status == 200
    app.slack.open_home(EMPLOYEE)  # a later event, answered with the stored token
    app.slack.wait_for(lambda: app.fake.home_publishes(EMPLOYEE) > published, what="the App Home")
    assert _installation(db) is not None
    assert _schedule(db).status == "active"
    assert _pending(db) == pending and not [k for k, _ in pending if k == "workspace_purge"]
    _ticks(app, FIRST_SEND)
    assert len(request_dms(app)) == 1  # the schedule carries on
    assert not app.fake.rejections


def test_with_one_workspace_token_someone_using_the_app_again_is_the_reinstall(
    running_app: RunningApp, db: Session
) -> None:
    """No OAuth install tells a one-token app it is back; Slack sends nothing to an app that is
    not installed, so the next person using it says so, and the purge is called off."""
    app = running_app
    _under_way(app, db)
    app.fake.uninstall_app()
    assert app.slack.event(payloads.app_uninstalled()).status == 200
    app.slack.wait_for(
        lambda: _pending(db) == [("workspace_purge", START + RETENTION)], what="the purge"
    )

    app.clock.set(START + timedelta(days=3))
    app.fake.install_app()
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(
        lambda: [kind for kind, _ in _pending(db)] == ["schedule_resume_notice"],
        what="the purge called off",
    )
    db.expire_all()
    assert db.scalar(select(Workspace.uninstalled_at)) is None
    app.tick()
    assert [m for m in app.fake.messages(EMPLOYEE) if "back in your workspace" in m["text"]]
    _ticks(app, START + RETENTION + timedelta(hours=1))
    assert db.scalar(select(Plan.title)) == "Wrong prices sent to Acme"
    assert not app.fake.rejections
