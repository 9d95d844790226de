"""`secondchance sandbox`, the README's first command without Slack credentials: it prints where
to look and how to connect a real workspace, serves the page, and stops cleanly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _sandbox(cwd: Path, port: int, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SLACK_BOT_TOKEN", None)
    return subprocess.Popen(
        [sys.executable, "-m", "slackapp.cli", "sandbox", "--port", str(port), *extra],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_the_sandbox_command_prints_its_address_serves_and_stops(tmp_path: Path) -> None:
    port = _free_port()
    process = _sandbox(tmp_path, port, "--seed-demo")
    try:
        assert process.stdout is not None
        printed = ""
        deadline = time.monotonic() + 30
        while "scripts/start again" not in printed and time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            printed += line
        assert f"open http://127.0.0.1:{port} in your browser" in printed, printed
        assert "manifest.yml" in printed and "SLACK_BOT_TOKEN" in printed
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert response.status == 200
        assert (tmp_path / ".sandbox" / "sandbox.db").exists()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert "Stopping the sandbox." in out


def test_a_port_in_use_is_named_with_what_to_do(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _sandbox(tmp_path, port)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert f"port {port} is already in use" in err and f"--port {port + 1}" in err
