"""Scale: a scheduler worker with 1,000 and with 100,000 active feedback_schedules in PostgreSQL.

    .venv/bin/python -m bench.scale --database-url postgresql+psycopg://... [--json out]

For each size, a fresh schema gets that many active feedback_schedules (one per employee, ten employees
per manager), none due for a day. A new worker process then starts as in production (imports,
runtime, APScheduler) and runs idle ticks. Reports the start-up time (process start to the
first tick done), resident memory, and the cost of a tick when nothing is due (time and SQL
statements): it should not grow with the number of feedback_schedules.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.common import ROOT, TEAM_ID, fresh_database, machine, report
from bench.dispatch import seed


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def child(url: str, ticks: int) -> None:
    """The worker: prints one JSON line with its measurements."""
    started = time.perf_counter()
    from sqlalchemy import event

    from slackapp.config import Settings
    from slackapp.jobs.runner import start_scheduler
    from slackapp.runtime import build_runtime

    settings = Settings(
        slack_bot_token="xoxb-bench",
        slack_signing_secret="bench",
        slack_api_url="http://127.0.0.1:9/api/",  # nothing is due: Slack is never called
        database_url=url,
    )
    runtime = build_runtime(settings)
    scheduler = start_scheduler(runtime.dispatcher, tick_seconds=3600)
    statements: list[str] = []
    event.listen(
        runtime.engine, "before_cursor_execute", lambda _c, _k, sql, *_r: statements.append(sql)
    )
    first = time.perf_counter()
    runtime.dispatcher.tick()
    ready = time.perf_counter()
    times, counts = [], []
    for _ in range(ticks):
        statements.clear()
        tick_started = time.perf_counter()
        runtime.dispatcher.tick()
        times.append(time.perf_counter() - tick_started)
        counts.append(len(statements))
    scheduler.shutdown(wait=False)
    print(
        json.dumps(
            {
                "in_process_startup_ms": round((first - started) * 1000, 1),
                "first_tick_ms": round((ready - first) * 1000, 1),
                "idle_tick_ms_median": round(statistics.median(times) * 1000, 2),
                "idle_tick_ms_max": round(max(times) * 1000, 2),
                "idle_tick_sql_statements": max(counts),
                "rss_mb": rss_mb(),
            }
        )
    )


def measure(url: str, feedback_schedules: int, ticks: int) -> dict[str, Any]:
    from slacksim.fakeslack import FakeSlack

    fake = FakeSlack(team_id=TEAM_ID)  # only to hold the managers seed() adds; never started
    due = datetime.now(UTC) + timedelta(days=1)
    seeded = time.perf_counter()
    seed(url, fake, requests=feedback_schedules, managers=max(1, feedback_schedules // 10), due=due)
    seed_seconds = time.perf_counter() - seeded
    spawned = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "bench.scale", "--child", url, "--ticks", str(ticks)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    measured["startup_ms_process_to_first_tick_done"] = round(
        (time.perf_counter() - spawned) * 1000
        - measured["idle_tick_ms_median"] * ticks,  # minus the measured ticks after it
        1,
    )
    return {
        "feedback_schedules": feedback_schedules,
        "seed_seconds": round(seed_seconds, 1),
        **measured,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = []
    for feedback_schedules in args.sizes:
        with fresh_database(args.database_url) as url:
            sizes.append(measure(url, feedback_schedules, args.ticks))
    small, large = sizes[0], sizes[-1]
    return {
        "benchmark": "scale",
        "database": "postgresql" if args.database_url else "sqlite",
        "machine": machine(args.database_url),
        "sizes": sizes,
        "idle_tick_ratio_large_over_small": round(
            large["idle_tick_ms_median"] / max(0.001, small["idle_tick_ms_median"]), 2
        ),
        "rss_ratio_large_over_small": round(large["rss_mb"] / max(0.1, small["rss_mb"]), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--ticks", type=int, default=20)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL"),
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.ticks)
        return
    if not args.database_url:
        parser.error("needs PostgreSQL: --database-url or BENCH_DATABASE_URL")
    report("scale", run(args), args.json)


if __name__ == "__main__":
    main()
