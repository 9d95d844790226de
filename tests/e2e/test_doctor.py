"""`secondchance doctor` as an operator runs it: against the fake Slack over real HTTP, on the
test database, and on databases that are not there or not migrated."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from slack_sdk.oauth.installation_store import Installation as SlackInstallation
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker

from models import DueWork
from slackapp.doctor import diagnose
from slackapp.installations import DatabaseInstallationStore, TokenCipher
from slackapp.kernel.clock import SystemClock
from slackapp.kernel.kinds import STEP_REMINDER
from slackapp.scopes import BOT_SCOPES
from slackapp.services.people import ensure_workspace
from slacksim.fakeslack import FakeSlack
from tests.conftest import PG_URL, SIGNING_SECRET, _pg_url_with_schema
from tests.e2e.test_run_command import SECONDCHANCE


def doctor(
    tmp_path: Path, database_url: str, fake: FakeSlack, *args: str, **extra: str
) -> tuple[int, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "DATABASE_", "SECONDCHANCE_"))
    }
    env.update(
        SLACK_BOT_TOKEN="xoxb-fake",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.base_url,
        DATABASE_URL=database_url,
        **extra,
    )
    result = subprocess.run(
        [SECONDCHANCE, "doctor", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.returncode, result.stdout


def lines_of(output: str, status: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(status)]


def test_doctor_passes_against_the_fake_slack(
    tmp_path: Path, database_url: str, fake_slack: FakeSlack
) -> None:
    status, out = doctor(tmp_path, database_url, fake_slack)
    assert status == 0, out
    assert not lines_of(out, "FAIL") and not lines_of(out, "WARN"), out
    checks = [line.split(":")[0].split(maxsplit=1)[1] for line in lines_of(out, "OK")]
    assert checks == [
        "settings",
        "database",
        "migrations",
        "slack SLACK_BOT_TOKEN",
        "scopes SLACK_BOT_TOKEN",
        "scheduler",
        "clock",
    ]
    assert "auth.test: the bot UBOTSC of Acme (T0001)" in out
    assert out.rstrip().endswith("All is well.")
    assert fake_slack.calls_to("auth.test")[-1].token == "xoxb-fake"

    status, out = doctor(tmp_path, database_url, fake_slack, "--json")
    answer = json.loads(out)
    assert status == 0 and answer["ok"] is True
    assert {c["check"]: c["status"] for c in answer["checks"]}["scopes SLACK_BOT_TOKEN"] == "OK"


def test_a_missing_scope_fails_and_is_named(
    tmp_path: Path, database_url: str, fake_slack: FakeSlack
) -> None:
    fake_slack.granted_scopes = [s for s in BOT_SCOPES if s not in ("files:write", "im:history")]
    status, out = doctor(tmp_path, database_url, fake_slack)
    assert status == 1
    [failed] = lines_of(out, "FAIL")
    assert failed.startswith(
        "FAIL  scopes SLACK_BOT_TOKEN: the token lacks im:history, files:write (manifest.yml asks"
    )
    assert "reinstall the app" in out.split(failed, 1)[1].splitlines()[1]

    status, out = doctor(tmp_path, database_url, fake_slack, "--json")
    answer = json.loads(out)
    assert status == 1 and answer["ok"] is False
    [scopes] = [c for c in answer["checks"] if c["status"] == "FAIL"]
    assert scopes["check"] == "scopes SLACK_BOT_TOKEN" and "files:write" in scopes["message"]


def test_a_revoked_token_fails(tmp_path: Path, database_url: str, fake_slack: FakeSlack) -> None:
    fake_slack.uninstall_app()
    status, out = doctor(tmp_path, database_url, fake_slack)
    assert status == 1
    assert lines_of(out, "FAIL") == ["FAIL  slack SLACK_BOT_TOKEN: auth.test says token_revoked"]


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_an_unreachable_database_fails_with_one_clear_line(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    port = _unused_port()
    status, out = doctor(tmp_path, f"postgresql://sc:secret@127.0.0.1:{port}/sc", fake_slack)
    assert status == 1
    assert lines_of(out, "FAIL") == [
        f"FAIL  database: DATABASE_URL: cannot connect to PostgreSQL at 127.0.0.1:{port} as sc: "
        "Connection refused (is PostgreSQL running there?)"
    ]
    assert "secret" not in out
    # Slack is still checked: the token does not need the database.
    assert "OK    scopes SLACK_BOT_TOKEN" in out


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[str]:
    """A database nobody has migrated: what an upgrade that skipped `migrate` looks like."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path}/empty.db"
        return
    schema = f"t_{uuid.uuid4().hex[:10]}"
    admin = create_engine(_pg_url_with_schema(PG_URL, "public"))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    yield _pg_url_with_schema(PG_URL, schema)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def test_a_migration_behind_fails(
    tmp_path: Path, empty_database: str, fake_slack: FakeSlack
) -> None:
    status, out = doctor(tmp_path, empty_database, fake_slack)
    assert status == 1
    assert lines_of(out, "FAIL") == [
        "FAIL  migrations: the database is 1 migration behind the code (not applied: 0001 "
        "first version of the whole domain)"
    ]
    assert "run `secondchance migrate`" in out
    assert "scheduler" not in out  # it needs the tables


def test_a_backlog_of_due_work_is_reported(
    tmp_path: Path, database_url: str, fake_slack: FakeSlack, db: Session
) -> None:
    now = SystemClock().now()
    workspace = ensure_workspace(db, team_id="T0001")
    db.add_all(
        DueWork(
            workspace_id=workspace.id,
            kind=STEP_REMINDER,
            subject_id=i,
            due_at=now - timedelta(hours=2, minutes=-i),
        )
        for i in range(2)
    )
    db.commit()
    status, out = doctor(tmp_path, database_url, fake_slack)
    assert status == 1
    [failed] = lines_of(out, "FAIL")
    assert failed.startswith("FAIL  scheduler: 2 due items waiting; the oldest was due 2 h ago")
    assert "is `secondchance run` running?" in out


def test_each_installed_token_is_checked(
    fake_slack: FakeSlack, database_url: str, session_factory: sessionmaker[Session]
) -> None:
    """Many workspaces: every stored bot token, decrypted with the key, goes to auth.test."""
    key = Fernet.generate_key().decode()
    store = DatabaseInstallationStore(session_factory, TokenCipher(key), SystemClock())
    store.save(
        SlackInstallation(
            app_id="ASECONDCH",
            team_id="T0001",
            team_name="Acme",
            bot_token="xoxb-fake",
            bot_id="BBOTSC",
            bot_user_id="UBOTSC",
            bot_scopes="commands",
            user_id="UINSTALLER",
        )
    )
    env = {
        "SLACK_CLIENT_ID": "111.222",
        "SLACK_CLIENT_SECRET": "client-secret",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SECONDCHANCE_ENCRYPTION_KEY": key,
        "SLACK_API_URL": fake_slack.base_url,
        "DATABASE_URL": database_url,
    }
    found = {f.check: f for f in diagnose(env)}
    assert found["slack T0001"].status == "OK"
    assert found["scopes T0001"].status == "OK"

    other = Fernet.generate_key().decode()
    found = {f.check: f for f in diagnose({**env, "SECONDCHANCE_ENCRYPTION_KEY": other})}
    assert found["slack T0001"].status == "FAIL"
    assert "cannot decrypt" in found["slack T0001"].message
