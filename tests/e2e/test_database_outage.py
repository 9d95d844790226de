"""The database goes away while the app runs: the scheduler says so once, says once when it is
back, and in between ticks quietly; what fell due meanwhile is sent once it is back."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, event

from tests.conftest import RunningApp
from tests.e2e.test_feedback_schedule import FIRST_SEND
from tests.support.feedback import request_dms, set_up_schedule


class Outage:
    """New connections are refused, as by a database that has gone away, and pooled ones go."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.down = False
        event.listen(engine, "do_connect", self._connect)

    def _connect(self, dialect: Any, _record: Any, _args: Any, _params: Any) -> None:
        if self.down:
            raise dialect.loaded_dbapi.OperationalError("Connection refused")

    def begin(self) -> None:
        self.down = True
        self.engine.dispose()

    def end(self) -> None:
        self.down = False

    def close(self) -> None:
        event.remove(self.engine, "do_connect", self._connect)


@pytest.fixture
def outage(engine: Engine) -> Iterator[Outage]:
    cut = Outage(engine)
    yield cut
    cut.end()
    cut.close()


def lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [f"{r.levelname} {r.getMessage()}" for r in caplog.records]


def test_an_outage_is_one_line_going_and_one_line_back(
    running_app: RunningApp, outage: Outage, caplog: pytest.LogCaptureFixture
) -> None:
    app = running_app
    set_up_schedule(app)
    # Nothing of the app's own still running when the database goes.
    app.runtime.app._listener_runner.listener_executor.shutdown(wait=True)
    app.clock.set(FIRST_SEND)
    caplog.set_level(logging.INFO)
    caplog.clear()

    outage.begin()
    for _ in range(5):
        assert app.tick() == 0
    assert lines(caplog) == [
        "WARNING The database (DATABASE_URL) is not answering: Connection refused. "
        "Scheduled messages wait until it is back."
    ]
    assert not any(r.exc_info for r in caplog.records)  # no traceback per tick
    assert request_dms(app) == []

    caplog.clear()
    outage.end()
    app.slack.wait_for(lambda: app.tick() or request_dms(app), what="the request after it")
    for _ in range(3):
        app.tick()
    assert lines(caplog) == [
        "WARNING The database is answering again; scheduled messages are going out."
    ]
    assert len(request_dms(app)) == 1  # sent once it was back: not lost, not doubled
    assert not app.fake.rejections
