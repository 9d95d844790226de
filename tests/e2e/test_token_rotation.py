"""Token rotation on: the bot token an OAuth install hands out expires (12 hours, by the
injected clock that the fake Slack keeps too); the app refreshes it before it does, for the
requests Slack sends and for the scheduler's sends, and keeps working for days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Installation
from slackapp.doctor import diagnose
from slackapp.kernel.clock import ManualClock
from slacksim.fakeslack import FakeSlack
from tests.conftest import EMPLOYEE, START, TEAM_ID, RunningApp
from tests.e2e.test_plan_flow import make_plan, top
from tests.support.oauth import installed_app, people_slack, quiet

TWELVE_HOURS = 12 * 3600


@pytest.fixture
def rotating_slack(clock: ManualClock) -> Iterator[FakeSlack]:
    fake = FakeSlack(team_id=TEAM_ID, clock=lambda: clock.now().timestamp())
    fake.rotate_tokens(lifetime_seconds=TWELVE_HOURS)
    with people_slack(fake):
        yield fake


@pytest.fixture
def app(
    rotating_slack: FakeSlack, engine: Engine, database_url: str, clock: ManualClock
) -> Iterator[RunningApp]:
    with installed_app(rotating_slack, engine, database_url, clock) as running:
        yield running


def refreshes(fake: FakeSlack) -> list[str]:
    """The refresh tokens the app spent, in order."""
    return [
        str(c.args.get("refresh_token"))
        for c in fake.calls_to("oauth.v2.access")
        if c.args.get("grant_type") == "refresh_token" and c.response.get("ok")
    ]


def stored(db: Session) -> Installation:
    db.expire_all()
    row = db.scalar(select(Installation))
    assert row is not None
    return row


def test_an_expiring_token_is_refreshed_and_the_app_keeps_working(
    app: RunningApp, rotating_slack: FakeSlack, db: Session
) -> None:
    fake = rotating_slack
    first = fake.bot_token
    assert first.startswith("xoxe.xoxb-")
    row = stored(db)
    # Both tokens at rest are encrypted, and the expiry is read by the app's clock.
    assert row.bot_refresh_token_encrypted and "xoxe" not in row.bot_refresh_token_encrypted
    assert "xoxe" not in row.bot_token_encrypted
    assert row.bot_token_expires_at == START + timedelta(seconds=TWELVE_HOURS)

    # A step due on Wednesday: its reminder goes at 09:00 in Berlin, two days from now.
    make_plan(app, EMPLOYEE, steps=[("Call the buyer", "2026-03-04", True)])
    assert refreshes(fake) == []  # 12 hours left: nothing to refresh yet
    assert {c.token for c in fake.calls_to("views.publish")} == {first}

    # The scheduler's send, long after the first token expired.
    quiet(app)
    app.clock.set(datetime(2026, 3, 4, 8, 0, tzinfo=UTC))
    assert fake.handle("auth.test", {}, first)[2] == {"ok": False, "error": "token_expired"}
    refused = len(fake.rejections)  # that one, ours
    app.tick()
    [reminder] = [m for m in fake.messages(EMPLOYEE) if "Today's the day" in str(m["blocks"])]
    second = fake.bot_token
    assert second != first and len(refreshes(fake)) == 1
    assert fake.calls_to("chat.postMessage")[-1].token == second
    row = stored(db)
    assert row.bot_token_expires_at == app.clock.now() + timedelta(seconds=TWELVE_HOURS)

    # A request from Slack 11 hours later, 1 hour before the second token expires: the
    # installation store refreshes it before Bolt uses it.
    quiet(app)
    app.clock.advance(timedelta(hours=11))
    app.slack.command(EMPLOYEE, "")
    top(app, EMPLOYEE, "journey")
    third = fake.bot_token
    assert third not in (first, second) and len(refreshes(fake)) == 2
    assert fake.calls_to("views.open")[-1].token == third
    assert fake.rejections[refused:] == []  # no call of the app's was refused


def test_a_refresh_token_slack_refuses_is_logged_and_the_old_token_used_while_it_lasts(
    app: RunningApp, rotating_slack: FakeSlack, db: Session, caplog: pytest.LogCaptureFixture
) -> None:
    fake = rotating_slack
    first = fake.bot_token
    fake.fail_next("oauth.v2.access", status=500)
    app.clock.advance(timedelta(hours=11))
    app.slack.command(EMPLOYEE, "")
    top(app, EMPLOYEE, "journey")
    assert fake.calls_to("views.open")[-1].token == first
    assert "could not refresh the bot token of installation" in caplog.text
    assert "xoxe" not in caplog.text
    assert refreshes(fake) == []

    # The next use tries again, and this time Slack answers.
    app.slack.command(EMPLOYEE, "")
    app.slack.wait_for(lambda: len(fake.calls_to("views.open")) == 2, what="the second journey")
    assert len(refreshes(fake)) == 1
    assert fake.calls_to("views.open")[-1].token == fake.bot_token != first


def test_the_doctor_checks_a_rotating_token_and_says_when_it_expires(
    app: RunningApp, rotating_slack: FakeSlack, database_url: str
) -> None:
    settings = app.runtime.settings
    env = {
        "SLACK_CLIENT_ID": settings.slack_client_id or "",
        "SLACK_CLIENT_SECRET": settings.slack_client_secret or "",
        "SLACK_SIGNING_SECRET": settings.slack_signing_secret or "",
        "SECONDCHANCE_ENCRYPTION_KEY": settings.encryption_key or "",
        "SLACK_API_URL": rotating_slack.base_url,
        "DATABASE_URL": database_url,
    }
    found = {f.check: f for f in diagnose(env, clock=app.clock)}
    assert found["slack T0001"].status == found["scopes T0001"].status == "OK"
    assert found["rotation T0001"].message.startswith(
        "token rotation on: the bot token expires in 12 h"
    )
    assert refreshes(rotating_slack) == []

    # A day later, with nobody using the app: the doctor refreshes it as the app would.
    app.clock.advance(timedelta(hours=24))
    found = {f.check: f for f in diagnose(env, clock=app.clock)}
    assert found["slack T0001"].status == "OK" and len(refreshes(rotating_slack)) == 1
    assert found["rotation T0001"].status == "OK"
