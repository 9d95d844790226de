"""Rotating SECONDCHANCE_ENCRYPTION_KEY: install with key A, run with "B,A", `secondchance
rotate-key`, then "B" alone; and a key that cannot read the stored tokens stops `secondchance run`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import Installation
from slackapp.config import Settings
from slackapp.kernel.clock import ManualClock
from slackapp.runtime import build_runtime
from slackapp.secrets_at_rest import startup_key_problem, unreadable_text
from slacksim.fakeslack import FakeSlack
from slacksim.fakeslack.driver import SlackDriver
from tests.conftest import (
    EMPLOYEE,
    SIGNING_SECRET,
    TEAM_ID,
)
from tests.support.oauth import install, oauth_settings
from tests.support.oauth import serving as serve

SECONDCHANCE = str(Path(sys.executable).parent / "secondchance")
A, B = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def settings_for(fake_slack: FakeSlack, database_url: str) -> Callable[[str], Settings]:
    """The multi-workspace settings, with this SECONDCHANCE_ENCRYPTION_KEY."""

    def settings(key: str) -> Settings:
        return oauth_settings(fake_slack, database_url, key)

    return settings


@contextmanager
def serving(settings: Settings, engine: Engine, clock: ManualClock) -> Iterator[str]:
    with serve(build_runtime(settings, clock=clock, engine=engine)) as url:
        yield url


def _journey_opens(url: str, fake: FakeSlack) -> None:
    """/secondchance works, which needs the workspace's stored token, decrypted."""
    opened = len(fake.calls_to("views.open"))
    slack = SlackDriver(fake, app_url=url, signing_secret=SIGNING_SECRET, team_id=TEAM_ID)
    assert slack.command(EMPLOYEE, "").status == 200
    slack.wait_for(lambda: len(fake.calls_to("views.open")) > opened, what="the journey modal")
    assert fake.calls_to("views.open")[-1].token == "xoxb-fake"


def _stored(db: Session) -> str:
    db.expire_all()
    row = db.scalar(select(Installation))
    assert row is not None
    return row.bot_token_encrypted


def _cli(
    command: str, key: str, database_url: str, fake: FakeSlack, cwd: Path
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SECONDCHANCE_"))}
    env.update(
        SLACK_CLIENT_ID="111.222",
        SLACK_CLIENT_SECRET="client-secret",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.base_url,
        SECONDCHANCE_ENCRYPTION_KEY=key,
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT="0",
    )
    return subprocess.run(
        [SECONDCHANCE, command], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_a_key_is_rotated_without_losing_the_stored_tokens(
    settings_for: Callable[[str], Settings],
    engine: Engine,
    clock: ManualClock,
    fake_slack: FakeSlack,
    db: Session,
    database_url: str,
    tmp_path: Path,
) -> None:
    with serving(settings_for(A), engine, clock) as url:
        install(url)
        _journey_opens(url, fake_slack)
    assert Fernet(A.encode()).decrypt(_stored(db).encode()) == b"xoxb-fake"
    assert startup_key_problem(settings_for(B)) == unreadable_text(1, 1)  # B alone: not yet

    # The new key first, the old one after it: everything stored still reads.
    assert startup_key_problem(settings_for(f"{B},{A}")) is None
    with serving(settings_for(f"{B},{A}"), engine, clock) as url:
        _journey_opens(url, fake_slack)
        rotated = _cli("rotate-key", f"{B},{A}", database_url, fake_slack, tmp_path)
        assert rotated.returncode == 0, rotated.stderr
        assert rotated.stdout.strip() == (
            "Re-encrypted 1 stored bot token with the first key of "
            "SECONDCHANCE_ENCRYPTION_KEY; the other keys in it can now be removed."
        )
        _journey_opens(url, fake_slack)  # the running app reads the re-encrypted token too

    stored = _stored(db)
    assert Fernet(B.encode()).decrypt(stored.encode()) == b"xoxb-fake"
    with pytest.raises(InvalidToken):
        Fernet(A.encode()).decrypt(stored.encode())
    assert startup_key_problem(settings_for(B)) is None
    with serving(settings_for(B), engine, clock) as url:
        _journey_opens(url, fake_slack)


def test_a_key_that_cannot_read_the_stored_tokens_stops_start_up_with_one_line(
    settings_for: Callable[[str], Settings],
    engine: Engine,
    clock: ManualClock,
    fake_slack: FakeSlack,
    db: Session,
    database_url: str,
    tmp_path: Path,
) -> None:
    with serving(settings_for(A), engine, clock) as url:
        install(url)
    before = _stored(db)

    started = _cli("run", B, database_url, fake_slack, tmp_path)
    assert started.returncode == 2
    assert started.stderr.splitlines() == [
        "secondchance: SECONDCHANCE_ENCRYPTION_KEY cannot decrypt 1 of the 1 stored bot tokens: "
        "put the key they were encrypted with back in the list, after the new one (the first key "
        "encrypts, every key decrypts), then run `secondchance rotate-key`"
    ]
    assert A not in started.stderr and B not in started.stderr

    # rotate-key with that key changes nothing, and says why in the same words.
    rotated = _cli("rotate-key", B, database_url, fake_slack, tmp_path)
    assert rotated.returncode == 2
    assert rotated.stderr.splitlines() == [started.stderr.strip(), "Nothing was changed."]
    assert _stored(db) == before
