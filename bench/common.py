"""What the benchmarks share: the machine they ran on, percentiles, a throwaway database, and the
app started the way an operator starts it (`secondchance run`, gunicorn)."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SECONDCHANCE = str(BIN / "secondchance")
SIGNING_SECRET = "bench-signing-secret"
TEAM_ID = "T0BENCH"


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(round(p / 100 * len(ordered) + 0.5))))
    return ordered[rank - 1]


def summary_ms(values: list[float]) -> dict[str, float]:
    return {f"p{p}": round(percentile(values, p) * 1000, 1) for p in (50, 95, 99)} | {
        "max": round(max(values) * 1000, 1),
        "n": len(values),
    }


def machine(database_url: str | None = None) -> dict[str, Any]:
    cpu = "unknown"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    info: dict[str, Any] = {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "os": platform.platform(terse=True),
        "slack_bolt": metadata.version("slack_bolt"),
        "gunicorn": metadata.version("gunicorn"),
        "sqlalchemy": metadata.version("sqlalchemy"),
    }
    if database_url and database_url.startswith("postgresql"):
        engine = create_engine(database_url)
        with engine.connect() as connection:
            info["postgresql"] = connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
    else:
        import sqlite3

        info["sqlite"] = sqlite3.sqlite_version
    return info


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _with_schema(url: str, schema: str) -> str:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}options=-csearch_path%3D{schema}"


@contextlib.contextmanager
def fresh_database(postgres_url: str | None) -> Iterator[str]:
    """A migrated, empty database: a new schema on PostgreSQL, else a SQLite file; then gone."""
    from models.db import migrate

    if postgres_url:
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(_with_schema(postgres_url, "public"))
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = _with_schema(postgres_url, schema)
        try:
            migrate(url)
            yield url
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{directory}/bench.db"
            migrate(url)
            yield url


def wait_healthy(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url + "/healthz", timeout=2) as response,
        ):
            if response.status == 200:
                return
        time.sleep(0.1)
    raise RuntimeError("the server never became healthy")


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its live children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(stat.parent.name) == pid or int(fields[1]) == pid:
                total += (int(fields[11]) + int(fields[12])) / ticks
    return total


@dataclass
class Server:
    url: str
    pid: int


@contextlib.contextmanager
def serve(
    command: list[str], env: dict[str, str], port: int, log: Path, *, cwd: Path = ROOT
) -> Iterator[Server]:
    """Run a server process (in `cwd`) until the block ends; its output goes to `log`."""
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command, env=env, cwd=cwd, stdout=output, stderr=subprocess.STDOUT
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, process)
            yield Server(url, process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def app_env(*, fake_url: str, database_url: str, port: int, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake_url,
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT=str(port),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def report(name: str, result: dict[str, Any], out: str | None) -> None:
    text_out = json.dumps(result, indent=2)
    print(text_out)
    if out:
        Path(out).write_text(text_out + "\n")
        print(f"{name}: written to {out}", file=sys.stderr)


def worker_pids(pid: int) -> list[int]:
    """The live child processes of a server (gunicorn's workers)."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children.append(int(stat.parent.name))
    return sorted(children)
