"""A pooled PostgreSQL connection the server closed is replaced before use, with no error for
whoever checks it out (models/db.py check_on_checkout, in place of pool_pre_ping)."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import Engine, create_engine, text

from models.db import check_on_checkout, make_engine
from tests.conftest import PG_URL

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only")


def backend_pid(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())


def pings(engine: Engine) -> list[int]:
    """Counts the pings: the dialect's do_ping, wrapped."""
    seen: list[int] = []
    original = engine.dialect.do_ping

    def counted(dbapi_connection: object) -> bool:
        seen.append(1)
        return bool(original(dbapi_connection))

    engine.dialect.do_ping = counted  # type: ignore[method-assign]
    return seen


def test_a_connection_the_server_closed_is_replaced_unseen(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    other = make_engine(database_url)
    try:
        first = backend_pid(engine)
        with other.begin() as connection:  # what a PostgreSQL restart does to every backend
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        time.sleep(0.2)  # the backend's goodbye reaches the pooled connection's socket
        assert backend_pid(engine) != first  # no error: a new connection was checked out
    finally:
        engine.dispose()
        other.dispose()


def test_a_busy_connection_is_not_pinged_an_idle_one_is(database_url: str) -> None:
    engine = make_engine(database_url, pool_size=1, max_overflow=0)
    try:
        seen = pings(engine)
        pid = backend_pid(engine)
        assert backend_pid(engine) == pid
        assert seen == []  # used a moment ago, nothing to read on its socket: no round trip
        idle = create_engine(database_url, pool_size=1, max_overflow=0)
        check_on_checkout(idle, idle_ping_seconds=0)  # anything idle at all is pinged
        seen_idle = pings(idle)
        backend_pid(idle)
        time.sleep(0.01)
        backend_pid(idle)
        assert seen_idle  # pinged before it was used again
        idle.dispose()
    finally:
        engine.dispose()
