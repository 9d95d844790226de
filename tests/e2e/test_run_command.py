"""`secondchance run` as an operator starts it: gunicorn, /healthz, the command, SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from slacksim.fakeslack import FakeSlack
from slacksim.fakeslack.driver import SlackDriver
from tests.conftest import EMPLOYEE, SIGNING_SECRET, TEAM_ID

# The console script that `pip install` made, as an operator would run it.
SECONDCHANCE = str(Path(sys.executable).parent / "secondchance")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(
    url: str, process: subprocess.Popen[bytes], timeout: float = 30
) -> dict[str, str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return dict(json.loads(response.read()))
        except OSError:
            pass
        time.sleep(0.1)
    raise AssertionError("the app never became healthy")


@pytest.mark.serial  # times the ack on the wall clock, and a fresh process meets the 3 s trigger
def test_run_serves_http_with_gunicorn_and_stops_cleanly(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    port = _free_port()
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-fake",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": fake_slack.base_url,
        "DATABASE_URL": f"sqlite:///{tmp_path}/run.db",
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "SCHEDULER_TICK_SECONDS": "1",
    }
    env.pop("SLACK_APP_TOKEN", None)
    process = subprocess.Popen(
        [SECONDCHANCE, "run"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        assert _wait_healthy(url, process) == {"status": "ok", "database": "ok"}
        slack = SlackDriver(fake_slack, app_url=url, signing_secret=SIGNING_SECRET, team_id=TEAM_ID)
        started = time.monotonic()
        response = slack.command(EMPLOYEE, "")
        assert response.status == 200 and time.monotonic() - started < 1.0
        slack.wait_for(lambda: fake_slack.view_stack(EMPLOYEE), what="the journey modal")
        assert "/secondchance plan" in slack.command(EMPLOYEE, "help").json()["text"]
        assert not fake_slack.rejections
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.returncode == 0, stderr
    assert "gunicorn" in stderr.lower() or "Booting worker" in stderr  # a production server ran
    assert "Traceback" not in stderr


def test_run_without_settings_names_the_missing_variable(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env["SLACK_BOT_TOKEN"] = "xoxb-1"
    result = subprocess.run(
        [SECONDCHANCE, "run"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "secondchance: SLACK_SIGNING_SECRET is not set: it is under Basic Information > App Credentials in your Slack app's settings"
    ]
