"""Engine, sessions, and migrations."""

from __future__ import annotations

import logging
import select
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).parent / "migrations"
BUSY_SECONDS = 30  # how long a SQLite write waits for the write lock


def make_engine(url: str, **kwargs: object) -> Engine:
    # SQL errors carry their parameters, which hold what people wrote; logs must not.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        # Threads share the engine (listeners run on Bolt's pool, jobs on the scheduler's).
        connect_args = {
            "check_same_thread": False,
            "timeout": BUSY_SECONDS,
            "factory": _writer_connection(threading.Lock()),
        }
        engine = create_engine(url, connect_args=connect_args, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
            if ":memory:" not in url:
                cursor.execute("PRAGMA journal_mode=WAL")
            cursor.close()
            # The driver's own BEGIN is off: _begin_writes_immediately says when one starts.
            dbapi_connection.isolation_level = None

        event.listen(engine, "before_cursor_execute", _begin_writes_immediately)
        return engine
    options: dict[str, object] = {}
    if "poolclass" not in kwargs:
        # Connections past pool_size are closed when given back, so a pool smaller than the
        # usual number in use (gunicorn's 16 threads, the listeners, the dispatcher's senders)
        # opens a new PostgreSQL connection for many requests (bench/ack_latency.py).
        options.update(pool_size=20, max_overflow=10)
    engine = create_engine(url, **{**options, **kwargs})
    check_on_checkout(engine)
    return engine


# A pooled connection unused for longer than this is pinged (a round trip) before it is used.
IDLE_PING_SECONDS = 30.0


def _server_closed(dbapi_connection: Any) -> bool:
    """Whether the server has closed the connection (or said why it will: PostgreSQL's restart
    sends "terminating connection" first), seen without a round trip: an idle connection has
    nothing to read unless the server hung up."""
    if dbapi_connection.closed or dbapi_connection.broken:
        return True
    poller = select.poll()
    poller.register(dbapi_connection.fileno(), select.POLLIN | select.POLLERR | select.POLLHUP)
    return bool(poller.poll(0))


def check_on_checkout(engine: Engine, *, idle_ping_seconds: float = IDLE_PING_SECONDS) -> None:
    """pool_pre_ping, at a fraction of its cost: a connection the server closed (a PostgreSQL
    restart) is replaced before use, seen on its socket; only one idle for idle_ping_seconds is
    pinged. pool_pre_ping's ping (with psycopg, autocommit set and unset around a SELECT 1) was
    a quarter of the app's CPU per /secondchance, twice per command (bench/ack_latency.py)."""

    @event.listens_for(engine, "connect")
    def _connected(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        idle_since = record.info.pop("idle_since", None)
        try:
            if _server_closed(dbapi_connection):
                raise DisconnectionError("the server closed this connection")
            if idle_since is None or time.monotonic() - idle_since > idle_ping_seconds:
                engine.dialect.do_ping(dbapi_connection)
        except DisconnectionError:
            raise
        except Exception as error:
            # The pool throws this connection away and checks out another (a new one if need be).
            raise DisconnectionError(str(error)) from error


# Statements that only read: outside a write they run on their own, each on the newest data.
_READS = ("SELECT", "PRAGMA", "EXPLAIN", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "END")


def _begin_writes_immediately(
    connection, cursor, statement: str, _parameters, context, _executemany: bool
) -> None:
    """SQLite: a transaction starts with BEGIN IMMEDIATE at its first write, never before.

    Under WAL, a transaction that read and then writes is refused at once ("database is
    locked") if another connection wrote in between, whatever busy_timeout says: its snapshot
    is stale, and waiting cannot mend it. BEGIN IMMEDIATE takes the write lock first (after its
    turn among this process's writers, see WriterConnection; then up to busy_timeout for another
    process) and reads the newest data. Reads before the first write run
    outside any transaction, each on the newest data, as the driver already did and as
    PostgreSQL's READ COMMITTED does; so readers never wait for writers, nor writers for
    readers. The statements that start a write: INSERT, UPDATE, DELETE, DDL, a SAVEPOINT
    (begin_nested, which the driver would otherwise start as a deferred transaction), and a
    SELECT ... FOR UPDATE (whose lock SQLite's SQL cannot say; the write lock is that lock).
    """
    raw = cursor.connection
    if raw.in_transaction:
        return
    words = statement.lstrip().split(None, 1)
    first = words[0].upper() if words else ""
    if first in _READS:
        compiled = getattr(context, "compiled", None)
        if getattr(getattr(compiled, "statement", None), "_for_update_arg", None) is None:
            return
    if isinstance(raw, WriterConnection):
        raw.begin_write(cursor)
    else:
        cursor.execute("BEGIN IMMEDIATE")


class WriterConnection(sqlite3.Connection):
    """A SQLite connection whose write transactions take turns on a lock of its engine.

    SQLite's own wait for the write lock polls, sleeping up to 100 ms between looks, and does
    not queue: with twenty writers at once one of them could lose every race for more than
    Slack's 3 seconds. Waiting on a thread lock, the next writer goes the moment the last one
    commits. (Other processes on the same file, such as a command run beside the app, still
    wait through busy_timeout.)"""

    writers: threading.Lock

    _writing = False

    def begin_write(self, cursor: sqlite3.Cursor) -> None:
        if not self.writers.acquire(timeout=BUSY_SECONDS):
            raise sqlite3.OperationalError("database is locked (waited for the other writers)")
        self._writing = True
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._done()
            raise

    def _done(self) -> None:
        if self._writing:
            self._writing = False
            self.writers.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._done()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._done()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._done()


def _writer_connection(writers: threading.Lock) -> type[WriterConnection]:
    """The connection class of one engine: its writers share one lock."""
    return type("EngineWriterConnection", (WriterConnection,), {"writers": writers})


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session for a job: committed when the block ends, rolled back on error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except Exception:
        return False


class DatabaseProblem(Exception):
    """The database cannot be used; the message is one line for the operator, naming
    DATABASE_URL and never its password."""


def error_reason(error: BaseException) -> str:
    """What the driver said, shortened to its point: "role "x" does not exist"."""
    original = getattr(error, "orig", None) or error
    line = (str(original).strip().splitlines() or [type(original).__name__])[0]
    line = line.rsplit("failed: ", 1)[-1].removeprefix("FATAL:")
    return " ".join(line.split())


def check_database(url: str, *, timeout_seconds: int = 5) -> None:
    """Connect once, before serving: raises DatabaseProblem saying what is wrong."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _check_sqlite_path(parsed.database)
        where = f"SQLite cannot open {parsed.database}"
        connect_args: dict[str, object] = {}
    else:
        where = (
            f"cannot connect to PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}"
            f" as {parsed.username or 'the default user'}"
        )
        # libpq waits for ever on a host that never answers; start-up should not.
        connect_args = {"connect_timeout": timeout_seconds}
    engine = create_engine(url, poolclass=NullPool, connect_args=connect_args)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:
        reason = error_reason(error)
        if "connection refused" in reason.lower():
            reason += " (is PostgreSQL running there?)"
        raise DatabaseProblem(f"DATABASE_URL: {where}: {reason}") from None
    finally:
        engine.dispose()


def _check_sqlite_path(database: str | None) -> None:
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    folder = Path(database).expanduser().absolute().parent
    if not folder.is_dir():
        # Created silently, a mistyped path would start an empty database elsewhere, and the
        # app would seem to have lost everything.
        raise DatabaseProblem(
            f"DATABASE_URL points at {database}, in a folder that does not exist ({folder}): "
            "create the folder first, or correct the path"
        )


def check_schema(url: str) -> None:
    """Raises DatabaseProblem unless `alembic upgrade head` has been run on this database."""
    alembic_log = logging.getLogger("alembic")
    level = alembic_log.level
    # A look, not a migration: alembic's account of setting itself up would only be noise.
    alembic_log.setLevel(logging.WARNING)
    engine = create_engine(url, poolclass=NullPool)
    try:
        from alembic.runtime.migration import MigrationContext
        from alembic.script import ScriptDirectory

        heads = set(ScriptDirectory.from_config(alembic_config(url)).get_heads())
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
        alembic_log.setLevel(level)
    if not current:
        raise DatabaseProblem(
            "DATABASE_URL: the database has no Second Chance tables yet: run "
            "`secondchance migrate` first"
        )
    if current != heads:
        raise DatabaseProblem(
            "DATABASE_URL: the database's schema is not the newest: run `secondchance migrate`"
        )


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate(url: str) -> None:
    """Bring the database to the newest schema (alembic upgrade head)."""
    from alembic import command

    command.upgrade(alembic_config(url), "head")
