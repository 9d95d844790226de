"""Shared fixtures: a migrated database (SQLite, or PostgreSQL when TEST_DATABASE_URL is set),
an injectable clock, the fake Slack, and the app served over real HTTP."""

from __future__ import annotations

import os
import shutil
import socketserver
import threading
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session, sessionmaker

import models
from models.db import make_engine, make_session_factory, migrate
from slackapp.config import Settings
from slackapp.kernel.clock import ManualClock
from slackapp.runtime import Runtime, build_runtime
from slackapp.server import make_wsgi_app
from slacksim.fakeslack import FakeSlack
from slacksim.fakeslack.driver import SlackDriver

SIGNING_SECRET = "test-signing-secret"
TEAM_ID = "T0001"
EMPLOYEE = "UEMPLOYEE"  # Europe/Berlin
MANAGER = "UMANAGER"  # America/New_York
COLLEAGUE = "UCOLLEAGUE"  # Asia/Kolkata
# A Monday morning in spring, before any DST change in the zones the tests use.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
TEST_TRIGGER_TTL = 30.0

PG_URL = os.environ.get("TEST_DATABASE_URL", "").strip()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`-n N`): tests marked `serial` are left out, for the serial pass that
    scripts/check runs after the parallel one (one restarts PostgreSQL under every other worker;
    others measure the wall clock). The browser tests share one worker, so one Chromium, when
    run with `--dist loadgroup`."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.xdist_group("browser"))
    if not hasattr(config, "workerinput"):
        return
    serial = [item for item in items if item.get_closest_marker("serial")]
    if serial:
        config.hook.pytest_deselected(items=serial)
        items[:] = [item for item in items if not item.get_closest_marker("serial")]


def _pg_url_with_schema(url: str, schema: str) -> str:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated once with `alembic upgrade head`; each test gets a clean copy."""
    if PG_URL:
        schema = f"t_{uuid.uuid4().hex[:10]}"
        # pre-ping: the fault suite restarts PostgreSQL under this session-long engine.
        admin = create_engine(_pg_url_with_schema(PG_URL, "public"), pool_pre_ping=True)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = _pg_url_with_schema(PG_URL, schema)
        migrate(url)
        yield url
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("db") / "template.db"
        migrate(f"sqlite:///{path}")
        yield str(path)


@pytest.fixture
def database_url(_template: str, tmp_path: Path) -> str:
    if PG_URL:
        engine = create_engine(_template)
        tables = ", ".join(f'"{t.name}"' for t in models.Base.metadata.sorted_tables)
        with engine.begin() as connection:
            # A session an earlier test left open would block TRUNCATE for ever: fail instead.
            connection.execute(text("SET LOCAL lock_timeout = '20s'"))
            connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        engine.dispose()
        return _template
    path = tmp_path / "test.db"
    shutil.copy(_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def db(session_factory: sessionmaker[Session]) -> Iterator[Session]:
    with session_factory() as session:
        yield session


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    # Slack's trigger lives 3 s; on a test machine running many workers at once, a listener can
    # take longer than that for reasons of the machine, not the app, so tests give it 30 s.
    # The fake's own tests keep 3 s, and the latency benchmark (bench/) measures against it.
    fake = FakeSlack(team_id=TEAM_ID, trigger_ttl=TEST_TRIGGER_TTL)
    fake.add_user(EMPLOYEE, name="emma", real_name="Emma Employee", tz="Europe/Berlin")
    fake.add_user(MANAGER, name="max", real_name="Max Manager", tz="America/New_York")
    fake.add_user(COLLEAGUE, name="chandra", real_name="Chandra Colleague", tz="Asia/Kolkata")
    fake.add_user("UOTHERBOT", name="otherbot", real_name="Some Bot", is_bot=True)
    fake.add_user("UGONE", name="gone", real_name="Gone Person", deleted=True)
    fake.start()
    yield fake
    fake.stop()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


class _ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # wsgiref queues 5 connections and resets the rest; gunicorn, the app's server, queues
    # far more, so a test sending many requests at once must not meet resets the app never has.
    request_queue_size = 64

    def serve_forever(self, poll_interval: float = 0.01) -> None:
        # shutdown() waits for the loop to look at its flag: every poll_interval (0.5 s by
        # default, which was a quarter of the suite's time spent in teardowns).
        super().serve_forever(poll_interval)


@dataclass
class RunningApp:
    url: str
    runtime: Runtime
    slack: SlackDriver
    fake: FakeSlack
    clock: ManualClock

    def tick(self) -> int:
        """Run the scheduler once, as APScheduler would at its next interval."""
        return self.runtime.dispatcher.tick()


def app_settings(fake: FakeSlack, database_url: str) -> Settings:
    return Settings(
        slack_bot_token="xoxb-fake",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.base_url,
        database_url=database_url,
        workspace_messages_per_second=1000,
    )


@pytest.fixture
def running_app(
    fake_slack: FakeSlack, engine: Engine, database_url: str, clock: ManualClock
) -> Iterator[RunningApp]:
    """The real app, its WSGI application on a free port, talking to the fake Slack."""
    runtime = build_runtime(app_settings(fake_slack, database_url), clock=clock, engine=engine)
    runtime.dispatcher.rate_limiter.per_channel_seconds = 0.0
    server = make_server(
        "127.0.0.1",
        0,
        make_wsgi_app(runtime),
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    slack = SlackDriver(fake_slack, app_url=url, signing_secret=SIGNING_SECRET, team_id=TEAM_ID)
    yield RunningApp(url=url, runtime=runtime, slack=slack, fake=fake_slack, clock=clock)
    server.shutdown()
    server.server_close()
    # Let listeners still running after their ack finish before the database goes away.
    runtime.app._listener_runner.listener_executor.shutdown(wait=True)
