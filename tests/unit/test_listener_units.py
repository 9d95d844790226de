"""Listeners are plain functions: called here with a stub ack and client, as Bolt's starter
template tests them, with no HTTP and no Bolt app; and the App Home renders from a session and a
person alone."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import BoltContext
from sqlalchemy.orm import Session

from models import Person, Workspace
from slackapp.kernel.clock import ManualClock
from slackapp.listeners import commands, plan
from slackapp.listeners.home import render_home
from slackapp.views.plan import NOT_YOURS

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)


class StubAck:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, **kwargs: Any) -> None:
        self.calls.append(kwargs)


class StubClient:
    """Records each Web API call; answers the few the listeners read from."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def __getattr__(self, method: str) -> Any:
        def call(**kwargs: Any) -> dict[str, Any]:
            self.calls.append((method, kwargs))
            if method == "users_info":
                return {"user": {"id": kwargs["user"], "tz": "Europe/Berlin"}}
            return {"ok": True, "view": {"id": "V1", "hash": "h1"}, "channel": "D1", "ts": "1.0"}

        return call

    def named(self, method: str) -> list[dict[str, Any]]:
        return [kwargs for name, kwargs in self.calls if name == method]


def _context(db: Session, user_id: str = "UEMP") -> BoltContext:
    return BoltContext(
        db=db, clock=ManualClock(NOW), user_id=user_id, team_id="T0UNIT", enterprise_id=None
    )


def test_a_step_that_is_not_yours_is_refused_kindly_in_a_dm(db: Session) -> None:
    ack, client = StubAck(), StubClient()
    plan.toggle_step(
        ack=ack,  # type: ignore[arg-type]
        body={"container": {"type": "view"}},
        action={"action_id": "plan_step_toggle_999999", "selected_options": []},
        context=_context(db),
        client=client,  # type: ignore[arg-type]
    )
    assert ack.calls == [{}]
    assert client.named("chat_postMessage") == [{"channel": "UEMP", "text": NOT_YOURS}]
    assert not client.named("views_publish")


def test_status_answers_in_the_channel_and_meets_the_person(db: Session) -> None:
    ack, client, said = StubAck(), StubClient(), []
    commands.handle_secondchance(
        ack=ack,  # type: ignore[arg-type]
        command={"text": "status", "trigger_id": "t1"},
        context=_context(db),
        client=client,  # type: ignore[arg-type]
        respond=lambda **kwargs: said.append(kwargs),  # type: ignore[arg-type]
    )
    assert ack.calls == [{}]
    assert said and said[0]["response_type"] == "ephemeral"
    # Met once, their zone and language asked.
    assert client.named("users_info") == [{"user": "UEMP", "include_locale": True}]
    assert db.query(Person).filter_by(slack_user_id="UEMP").one().tz == "Europe/Berlin"


def test_a_home_renders_without_a_bolt_app(db: Session) -> None:
    workspace = Workspace(team_id="T0UNIT")
    db.add(workspace)
    db.flush()
    person = Person(workspace_id=workspace.id, slack_user_id="UEMP", tz="Europe/Berlin")
    db.add(person)
    db.flush()
    view = render_home(db, person, now=NOW)
    assert view["type"] == "home"
    assert person.welcomed_at == NOW  # the first visit's welcome is shown once
    assert "Download my data" in str(view["blocks"])  # the last section, below every stage
