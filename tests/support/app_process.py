"""`secondchance run` as an operator starts it, in its own process, against the fake Slack."""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

from slacksim.fakeslack import FakeSlack
from tests.conftest import SIGNING_SECRET
from tests.e2e.test_run_command import SECONDCHANCE, _wait_healthy


def start_app(
    cwd: Path, fake: FakeSlack, database_url: str, port: int, **extra: str
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.base_url,
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT=str(port),
        SCHEDULER_TICK_SECONDS="1",
        **extra,
    )
    process = subprocess.Popen([SECONDCHANCE, "run"], env=env, cwd=cwd, stderr=subprocess.PIPE)
    _wait_healthy(f"http://127.0.0.1:{port}", process, timeout=60)
    return process


def stop_app(process: subprocess.Popen[bytes]) -> str:
    """SIGTERM, as an orchestrator stops it; it must end cleanly. Returns what it logged."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    return stderr
