"""The database going away under a request (the soak run's findings): an answer the app
acknowledged is always stored, and nobody gets Bolt's 500."""

from __future__ import annotations

import functools
import socket
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from models import FeedbackAnswer, Person, ProcessedEvent
from slackapp.kernel.clock import ManualClock
from slackapp.runtime import build_runtime
from slackapp.views.i18n import _
from slackapp.views.words import NOT_SAVED_YET, SORRY
from slacksim.fakeslack import FakeSlack, payloads
from slacksim.fakeslack.driver import SlackDriver
from slacksim.fakeslack.payloads import AppResponse
from tests.conftest import EMPLOYEE, MANAGER, SIGNING_SECRET, TEAM_ID, RunningApp, app_settings
from tests.e2e import test_database_outage
from tests.e2e.test_database_outage import Outage
from tests.faults.test_repeated_deliveries import settle
from tests.support.feedback import home_with_request_now, request_dms, text_of
from tests.support.oauth import serving

pytestmark = pytest.mark.faults
outage = test_database_outage.outage  # the fixture: new connections refused, pooled ones gone


class CommitFails:
    """The database goes away at the commit that stores what a modal said, once (a restart, or
    the process killed, between storing and acknowledging was the same for the person): armed
    with the start of the statement that stores it."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.armed, self.failed = engine, "", 0
        event.listen(engine, "before_cursor_execute", self._saw)
        event.listen(engine, "commit", self._commit)

    def _saw(self, conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.armed and " ".join(statement.split()).upper().startswith(self.armed.upper()):
            conn.info["stored"] = True

    def _commit(self, conn: Any) -> None:
        if self.armed and conn.info.pop("stored", False):
            self.armed, self.failed = "", self.failed + 1
            cause = conn.dialect.loaded_dbapi.OperationalError("server closed the connection")
            raise OperationalError("COMMIT", None, cause)

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._saw)
        event.remove(self.engine, "commit", self._commit)


@pytest.fixture
def commit_fails(engine: Engine) -> Iterator[CommitFails]:
    cut = CommitFails(engine)
    yield cut
    cut.close()


def answer_modal(app: RunningApp) -> dict[str, Any]:
    home_with_request_now(app)
    app.slack.click_in_view(EMPLOYEE, "feedback_request_now", home=True)
    app.slack.wait_for(lambda: app.tick() or request_dms(app), what="the request DM")
    [dm] = request_dms(app)
    app.slack.click_in_message(MANAGER, dm, "feedback_give")
    return app.slack.wait_for_view(MANAGER, "feedback_answer")


def submit(app: RunningApp, view: dict[str, Any]) -> AppResponse:
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        element = block.get("element") or {}
        if block.get("type") == "input" and element.get("type") == "radio_buttons":
            values[block["block_id"]] = element["options"][0]["value"]
        elif block.get("type") == "input" and element.get("type") == "plain_text_input":
            values[block["block_id"]] = "Good progress, keep going."
    payload = payloads.view_submission(
        team_id=app.slack.team_id,
        user_id=MANAGER,
        user_name="max",
        view=view,
        state=payloads.filled_state(view, values),
        trigger_id=app.fake.issue_trigger(MANAGER),
    )
    return app.slack.interact(payload)


def answers(db: Session) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(FeedbackAnswer)) or 0)


def test_an_answer_is_acknowledged_only_once_it_is_stored(
    running_app: RunningApp, db: Session, commit_fails: CommitFails
) -> None:
    app = running_app
    view = answer_modal(app)
    commit_fails.armed = "INSERT INTO feedback_answer"
    refused = submit(app, view)
    assert commit_fails.failed == 1
    # Not acknowledged as sent: the modal stays open with what they wrote, and says why.
    assert refused.status == 200
    assert refused.json() == {
        "response_action": "errors",
        "errors": {"rating": _(NOT_SAVED_YET)},
    }
    assert answers(db) == 0
    # Sent again a moment later, it is stored, and only then acknowledged.
    again = submit(app, view)
    assert again.status == 200 and again.json() == {}
    assert answers(db) == 1
    settle(app)
    notes = [m for m in app.fake.messages(EMPLOYEE) if "Good progress" in text_of(m)]
    assert len(notes) == 1


def test_with_the_database_away_nobody_gets_a_500(
    running_app: RunningApp, db: Session, outage: Outage
) -> None:
    app = running_app
    view = answer_modal(app)
    [dm] = request_dms(app)
    told_before = len(app.fake.ephemerals(MANAGER))
    outage.begin()
    # A modal's submission: kept open, with the line asking to send it again.
    submitted = submit(app, view)
    assert submitted.status == 200
    assert submitted.json()["response_action"] == "errors"
    # A button: acknowledged, and the person told kindly.
    clicked = app.slack.click_in_message(MANAGER, dm, "feedback_give")
    assert clicked.status == 200
    # An event: 503, so Slack delivers it again later (its dedupe record was not written).
    opened = payloads.app_home_opened(user_id=EMPLOYEE, channel_id=app.fake.dm_channel(EMPLOYEE))
    assert app.slack.event(opened, event_id="Ev0AWAY01").status == 503
    outage.end()
    told = app.slack.wait_for(
        lambda: app.fake.ephemerals(MANAGER)[told_before:], what="the manager told kindly"
    )
    assert [e["text"] for e in told] == [_(SORRY)]
    # Slack's retry of the event, once the database is back, is handled as the first delivery.
    publishes = app.fake.home_publishes(EMPLOYEE)
    assert app.slack.event(opened, event_id="Ev0AWAY01", retry_num=1).status == 200
    app.slack.wait_for(lambda: app.fake.home_publishes(EMPLOYEE) > publishes, what="the home")
    db.expire_all()
    assert db.scalar(select(func.count()).where(ProcessedEvent.event_id == "Ev0AWAY01")) == 1
    assert submit(app, view).json() == {}
    assert answers(db) == 1


def test_away_until_is_acknowledged_only_once_it_is_stored(
    running_app: RunningApp, db: Session, commit_fails: CommitFails
) -> None:
    app = running_app
    app.slack.open_home(EMPLOYEE)
    app.slack.wait_for(lambda: app.fake.home(EMPLOYEE), what="the App Home")
    app.slack.click_in_view(EMPLOYEE, "away_open", home=True)
    app.slack.wait_for_view(EMPLOYEE, "away_until")
    commit_fails.armed = "UPDATE person SET away_until"
    refused = app.slack.submit(EMPLOYEE, {"until": "2026-03-12"})
    assert refused.json() == {"response_action": "errors", "errors": {"until": _(NOT_SAVED_YET)}}
    assert commit_fails.failed == 1
    db.expire_all()
    assert db.scalar(select(Person.away_until).where(Person.slack_user_id == EMPLOYEE)) is None
    assert app.slack.submit(EMPLOYEE, {"until": "2026-03-12"}).json() == {}
    db.expire_all()
    away = db.scalar(select(Person.away_until).where(Person.slack_user_id == EMPLOYEE))
    assert away == date(2026, 3, 12)


# The app's client retries a refused connection 3 times with backoff (about 4 s a request):
# the requests wait longer than the driver's usual 10 s, and the test runs in the serial pass.
@pytest.mark.serial
def test_with_slack_unreachable_before_the_first_ack_nobody_gets_a_500(
    fake_slack: FakeSlack,
    engine: Engine,
    database_url: str,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A process's first request makes Bolt call auth.test; with Slack's connection refused
    (the soak run met a dropped one) that raised into Bolt's 500. Now, as with the database
    away: the event gets 503 (Slack delivers it again), a click is acknowledged."""
    monkeypatch.setattr(payloads, "post", functools.partial(payloads.post, timeout=60))
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{closed.getsockname()[1]}/api/"
    settings = replace(app_settings(fake_slack, database_url), slack_api_url=nowhere)
    runtime = build_runtime(settings, clock=clock, engine=engine)
    with serving(runtime) as url:
        slack = SlackDriver(fake_slack, app_url=url, signing_secret=SIGNING_SECRET, team_id=TEAM_ID)
        opened = payloads.app_home_opened(
            user_id=EMPLOYEE, channel_id=fake_slack.dm_channel(EMPLOYEE)
        )
        assert slack.event(opened, event_id="Ev0NOSLACK").status == 503
        assert slack.command(EMPLOYEE, "").status == 200
