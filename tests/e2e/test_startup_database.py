"""`secondchance run` and `migrate` with a database they cannot use: one line that names
DATABASE_URL and what is wrong, exit status 2, and nothing served."""

from __future__ import annotations

import os
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.conftest import PG_URL, SIGNING_SECRET, _pg_url_with_schema
from tests.e2e.test_run_command import SECONDCHANCE


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(tmp_path: Path, command: str, database_url: str) -> tuple[int, list[str]]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DATABASE_"))}
    env.update(
        SLACK_BOT_TOKEN="xoxb-fake",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT=str(_unused_port()),
    )
    result = subprocess.run(
        [SECONDCHANCE, command], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    return result.returncode, result.stderr.strip().splitlines()


@pytest.mark.parametrize("command", ["run", "migrate"])
def test_a_database_the_app_does_not_speak(tmp_path: Path, command: str) -> None:
    assert start(tmp_path, command, "mysql://x") == (
        2,
        [
            "secondchance: DATABASE_URL must be a SQLite or PostgreSQL address "
            "(sqlite:///path/to/file.db or postgresql+psycopg://user:password@host/db), "
            "not mysql://x"
        ],
    )
    status, lines = start(tmp_path, command, "mysql://admin:hunter2@db/app")
    assert status == 2 and "hunter2" not in lines[0] and "admin:***@db" in lines[0]


@pytest.mark.parametrize("command", ["run", "migrate"])
def test_a_sqlite_file_in_a_folder_that_does_not_exist(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "no-such-folder"
    status, lines = start(tmp_path, command, f"sqlite:///{missing}/sc.db")
    assert (status, lines) == (
        2,
        [
            f"secondchance: DATABASE_URL points at {missing}/sc.db, in a folder that does not "
            f"exist ({missing}): create the folder first, or correct the path"
        ],
    )
    assert not missing.exists()  # nothing was made up somewhere else


@pytest.mark.parametrize("command", ["run", "migrate"])
def test_postgresql_that_is_not_there(tmp_path: Path, command: str) -> None:
    port = _unused_port()
    status, lines = start(tmp_path, command, f"postgresql://sc:secret@127.0.0.1:{port}/sc")
    assert (status, lines) == (
        2,
        [
            f"secondchance: DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:{port} as "
            "sc: Connection refused (is PostgreSQL running there?)"
        ],
    )


needs_postgres = pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")


@needs_postgres
@pytest.mark.parametrize("command", ["run", "migrate"])
def test_a_postgresql_user_that_does_not_exist(tmp_path: Path, command: str) -> None:
    server = make_url(_pg_url_with_schema(PG_URL, "public"))
    wrong = server.set(username="no_such_role_sc", password=None)
    status, lines = start(tmp_path, command, wrong.render_as_string(hide_password=False))
    assert (status, lines) == (
        2,
        [
            f"secondchance: DATABASE_URL: cannot connect to PostgreSQL at {server.host}:"
            f'{server.port or 5432} as no_such_role_sc: role "no_such_role_sc" does not exist'
        ],
    )


@needs_postgres
def test_run_on_postgresql_that_was_never_migrated(tmp_path: Path) -> None:
    schema = f"t_empty_{uuid.uuid4().hex[:8]}"
    admin = create_engine(_pg_url_with_schema(PG_URL, "public"))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = _pg_url_with_schema(PG_URL, schema)
        assert start(tmp_path, "run", url) == (
            2,
            [
                "secondchance: DATABASE_URL: the database has no Second Chance tables yet: "
                "run `secondchance migrate` first"
            ],
        )
        status, lines = start(tmp_path, "migrate", url)
        assert status == 0 and lines and "Traceback" not in "\n".join(lines)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
