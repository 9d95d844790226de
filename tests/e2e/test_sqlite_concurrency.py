"""SQLite, the default database, with twenty people saving at once while the scheduler sends.

Twenty people in one workspace save their repair plans at the same moment, then, the next
morning, their reflections, while the scheduler ticks over and over, sending each of them the
step reminder that is due. On a file database (WAL), every save must be stored and every person
see the saved view: no "Sorry, something went wrong", no failed request, and the reminders sent
once each. (A write transaction that read first used to be refused at once under concurrent
writes, "database is locked", whatever busy_timeout said.)
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from models import Plan, Reflection, Workspace
from slackapp.views.words import SORRY
from tests.conftest import PG_URL, RunningApp
from tests.e2e.test_plan_flow import step_values, top

pytestmark = [
    pytest.mark.serial,  # twenty threads at once: the test's own pass, not beside others
    pytest.mark.skipif(bool(PG_URL), reason="SQLite's locking; PostgreSQL has its own tests"),
]

PEOPLE = [f"UPERSON{number:02d}" for number in range(1, 21)]
REMINDER_MORNING = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # Tuesday 09:00 in Berlin


def all_at_once(people: list[str], action: Callable[[str], Any]) -> dict[str, Any]:
    """Run `action` for every person on their own thread, all released together; what each
    returned, or the exception it raised."""
    start = threading.Barrier(len(people))
    results: dict[str, Any] = {}

    def run(person: str) -> None:
        start.wait()
        try:
            results[person] = action(person)
        except Exception as error:  # the assertion below names it
            results[person] = error

    threads = [threading.Thread(target=run, args=(person,)) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


class Ticker:
    """The scheduler ticking as fast as it can on its own thread, as APScheduler's job would."""

    def __init__(self, app: RunningApp) -> None:
        self.app, self.ticks, self.done = app, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ticker", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.done += self.app.tick()
            self.ticks += 1

    def __enter__(self) -> Ticker:
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=60)


def open_and_submit(app: RunningApp, person: str, command: str, modal: str, values: Any) -> Any:
    """The person opens the modal, waits for it, and submits: (status, ack body)."""
    opened = app.slack.command(person, command)
    assert opened.status == 200, opened.body
    top(app, person, modal)
    response = app.slack.submit(person, values)
    return response.status, response.body


def reminders(app: RunningApp, person: str) -> list[Any]:
    return [m for m in app.fake.messages(person) if "Today's the day" in str(m.get("blocks"))]


def sorry(app: RunningApp, person: str) -> list[Any]:
    said = app.fake.ephemerals(person) + app.fake.messages(person)
    return [m for m in said if SORRY in json.dumps(m, ensure_ascii=False)]


def saved(results: dict[str, Any], what: str) -> None:
    """Every person's save answered 200 with the saved view (response_action update)."""
    for person in PEOPLE:
        result = results[person]
        assert not isinstance(result, BaseException), (person, what, result)
        status, body = result
        assert status == 200, (person, what, body)
        assert json.loads(body).get("response_action") == "update", (person, what, body)


def test_twenty_people_save_at_once_while_the_scheduler_ticks_and_nobody_sees_an_error(
    running_app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    app = running_app
    assert app.runtime.engine.dialect.name == "sqlite" and app.runtime.engine.url.database
    for number, person in enumerate(PEOPLE, start=1):
        app.fake.add_user(person, name=f"person{number}", tz="Europe/Berlin")
    caplog.set_level(logging.WARNING)

    def save_plan(person: str) -> Any:
        values = {
            "plan_title": f"Missed the handover, {person}",
            "plan_situation": "nothing_formal",
            **step_values([(f"Call the client back, {person}", "2026-03-03", False)]),
        }
        return open_and_submit(app, person, "plan", "plan_modal", values)

    with Ticker(app):
        saved(all_at_once(PEOPLE, save_plan), "plan")

    # The next morning the reminders are due: the scheduler sends them while people reflect.
    app.clock.set(REMINDER_MORNING)

    def save_reflection(person: str) -> Any:
        values = {
            "reflect_cause": f"I rushed it, {person}",
            "reflect_factors": ["time_management"],
            "reflect_commitment_0": "Block 30 minutes each morning to plan the day",
        }
        return open_and_submit(app, person, "reflect", "reflect_modal", values)

    with Ticker(app) as ticker:
        reflections = all_at_once(PEOPLE, save_reflection)
        app.slack.wait_for(
            lambda: all(reminders(app, person) for person in PEOPLE), what="the twenty reminders"
        )
    assert ticker.ticks >= 1

    saved(reflections, "reflection")
    for person in PEOPLE:
        top(app, person, "reflect_saved")
        assert sorry(app, person) == [], person
        assert len(reminders(app, person)) == 1, person
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []

    with app.runtime.session_factory() as session:
        titles = set(session.scalars(select(Plan.title)))
        causes = set(session.scalars(select(Reflection.root_cause)))
    assert titles == {f"Missed the handover, {person}" for person in PEOPLE}
    assert causes == {f"I rushed it, {person}" for person in PEOPLE}


def test_a_write_that_read_first_waits_for_the_other_writer_instead_of_failing(
    session_factory: sessionmaker[Session],
) -> None:
    """The mechanism, step by step on a file database: one session reads (inside a savepoint,
    as ensure_person and due_work.schedule do), another writes and commits meanwhile, then the
    first writes. With a deferred transaction SQLite refuses that write at once ("database is
    locked": its snapshot is stale); with BEGIN IMMEDIATE the other writer waits its turn."""
    first = session_factory()
    with first.begin_nested():
        assert first.scalar(select(func.count()).select_from(Workspace)) == 0
        other_done = threading.Event()

        def other_writer() -> None:
            with session_factory() as other:
                other.add(Workspace(team_id="TOTHER"))
                other.commit()
            other_done.set()

        other = threading.Thread(target=other_writer)
        other.start()
        # Before the fix the other writer commits at once, under the first one's snapshot.
        waited = not other_done.wait(timeout=1.0)
        first.add(Workspace(team_id="TFIRST"))
    first.commit()
    first.close()
    other.join(timeout=40)
    assert waited, "the other writer did not wait for the first one's transaction"
    assert other_done.is_set()
    with session_factory() as session:
        assert set(session.scalars(select(Workspace.team_id))) == {"TFIRST", "TOTHER"}
