"""Dispatch: 10,000 feedback requests due in the same minute, against Slack's posting limits.

    .venv/bin/python -m bench.dispatch [--database-url postgresql+psycopg://...]
        [--processes 1 2 4] [--json out]

The app runs as an operator runs it (`secondchance run`: gunicorn with WEB_CONCURRENCY
processes, each with its scheduler ticking every second, SLACK_WORKSPACE_MESSAGES_PER_SECOND set
to the cap: the workspace's rate, which on PostgreSQL the processes keep together). The fake Slack
enforces 1 message/s per channel and the workspace cap (100/s by default, to keep the run short)
and answers 429 with Retry-After past them. 10,000 employees (2,000 managers with 5 reports each,
so channels are shared) have a schedule due at the same minute. Reports, for each number of
processes in turn, the combined rate over the cap (target >= 0.95), 429s received (<= 1% of
calls), lost (0), duplicates (0) and the lag from due time to delivery (p50/p99).
"""

from __future__ import annotations

import argparse
import collections
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from bench.common import (
    SECONDCHANCE,
    TEAM_ID,
    app_env,
    cpu_seconds,
    free_port,
    fresh_database,
    machine,
    percentile,
    report,
    serve,
)
from models import FeedbackRequest, FeedbackSchedule, Person, Workspace
from models.db import make_engine
from slacksim.fakeslack import FakeSlack


def seed(url: str, fake: FakeSlack, *, requests: int, managers: int, due: datetime) -> None:
    engine = make_engine(url)
    with engine.begin() as connection:
        workspace_id = connection.execute(
            insert(Workspace).values(team_id=TEAM_ID, enterprise_id="").returning(Workspace.id)
        ).scalar_one()
        manager_ids = [f"UMGR{n:05d}" for n in range(managers)]
        for user in manager_ids:
            fake.add_user(user, name=user.lower(), tz="America/New_York")
        rows = [
            {"workspace_id": workspace_id, "slack_user_id": u, "tz": "America/New_York"}
            for u in manager_ids
        ] + [
            {"workspace_id": workspace_id, "slack_user_id": f"UEMP{n:05d}", "tz": "UTC"}
            for n in range(requests)
        ]
        connection.execute(insert(Person), rows)
        ids = dict(connection.execute(select(Person.slack_user_id, Person.id)).all())
        connection.execute(
            insert(FeedbackSchedule),
            [
                {
                    "workspace_id": workspace_id,
                    "employee_id": ids[f"UEMP{n:05d}"],
                    "manager_id": ids[manager_ids[n % managers]],
                    "tz": "UTC",
                    "first_date": due.date(),
                    "time_of_day": due.time().replace(tzinfo=None),
                    "repeat": "weekly",
                    "end_kind": "after_count",
                    "end_count": 10,
                    "questions": ["Am I on the right track?"],
                    "status": "active",
                    "next_run_at": due,
                }
                for n in range(requests)
            ],
        )
    engine.dispose()


def run(args: argparse.Namespace, processes: int) -> dict[str, Any]:
    fake = FakeSlack(team_id=TEAM_ID, bot_token="xoxb-bench")
    fake.per_channel_per_second = 1.0
    fake.workspace_per_second = args.cap
    fake.start()
    logs = Path(tempfile.mkdtemp(prefix="bench-dispatch-"))
    try:
        with fresh_database(args.database_url) as url:
            # Due in the same minute, a little after the app has started.
            due = (datetime.now(UTC) + timedelta(seconds=args.start_in)).replace(microsecond=0)
            seed(url, fake, requests=args.requests, managers=args.managers, due=due)
            port = free_port()
            env = app_env(
                fake_url=fake.base_url,
                database_url=url,
                port=port,
                SCHEDULER_TICK_SECONDS="1",
                # The workspace's rate: the processes share it through PostgreSQL.
                SLACK_WORKSPACE_MESSAGES_PER_SECOND=str(args.cap),
                WEB_CONCURRENCY=str(processes),
            )
            with serve([SECONDCHANCE, "run"], env, port, logs / "app.log") as server:
                app_cpu = cpu_seconds(server.pid)
                bench_cpu = time.process_time()
                deadline = time.time() + args.timeout
                while time.time() < deadline:
                    if len(_posts(fake)) >= args.requests:
                        break
                    time.sleep(1)
                time.sleep(3)  # anything still in flight, and any duplicate, shows up now
                cpu = {
                    "app_server_cpu_seconds": round(cpu_seconds(server.pid) - app_cpu, 1),
                    "bench_and_fake_slack_cpu_seconds": round(time.process_time() - bench_cpu, 1),
                }
            engine = make_engine(url)
            with engine.connect() as connection:
                made = {
                    rid: due_at
                    for rid, due_at in connection.execute(
                        select(FeedbackRequest.id, FeedbackRequest.due_at)
                    )
                }
            engine.dispose()
    finally:
        fake.stop()
    return {**_summarise(args, processes, fake, made, logs), **cpu}


def _posts(fake: FakeSlack) -> list[Any]:
    return [
        call
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200
        and call.response.get("ok")
        and "feedback_request_id" in ((call.args.get("metadata") or {}).get("event_payload") or {})
    ]


def _summarise(
    args: argparse.Namespace,
    processes: int,
    fake: FakeSlack,
    made: dict[int, datetime],
    logs: Path,
) -> dict[str, Any]:
    posts = _posts(fake)
    per_request = collections.Counter(
        c.args["metadata"]["event_payload"]["feedback_request_id"] for c in posts
    )
    first_post = {}
    for call in posts:
        rid = call.args["metadata"]["event_payload"]["feedback_request_id"]
        first_post.setdefault(rid, call.at)
    post_calls = fake.calls_to("chat.postMessage")
    limited = sum(1 for c in post_calls if c.status == 429)
    all_calls = len(fake.calls)
    times = sorted(c.at for c in posts)
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    rate = (len(times) - 1) / span if span else 0.0
    lags = [first_post[rid] - due.timestamp() for rid, due in made.items() if rid in first_post]
    return {
        "benchmark": "dispatch",
        "settings": {
            "requests": args.requests,
            "managers": args.managers,
            "fake_per_channel_per_second": 1,
            "fake_workspace_per_second": args.cap,
            "app_processes": processes,
            "app_workspace_messages_per_second": args.cap,
            "scheduler_tick_seconds": 1,
            "database": "postgresql" if args.database_url else "sqlite",
        },
        "machine": machine(args.database_url),
        "logs": str(logs),
        "requests_made": len(made),
        "delivered": len(per_request),
        "lost": len(set(made) - set(per_request)),
        "duplicates": sum(n - 1 for n in per_request.values() if n > 1),
        "achieved_per_second": round(rate, 1),
        "rate_over_cap": round(rate / args.cap, 3),
        "calls": all_calls,
        "post_calls": len(post_calls),
        "answered_429": limited,
        "share_429": round(limited / max(1, all_calls), 4),
        "lag_seconds": {
            "first": round(min(lags), 1) if lags else None,
            "p50": round(percentile(lags, 50), 1) if lags else None,
            "p99": round(percentile(lags, 99), 1) if lags else None,
            "max": round(max(lags), 1) if lags else None,
        },
        "ideal_last_lag_seconds": round(args.requests / args.cap, 1),
        "target_met": bool(
            made
            and rate / args.cap >= 0.95
            and limited <= 0.01 * all_calls
            and not set(made) - set(per_request)
            and all(n == 1 for n in per_request.values())
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--managers", type=int, default=2_000)
    parser.add_argument("--cap", type=float, default=100.0, help="workspace messages per second")
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1],
        help="gunicorn worker processes; several numbers run one after the other",
    )
    parser.add_argument("--start-in", type=float, default=15.0, help="seconds until due")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or None)
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    results = [run(args, processes) for processes in args.processes]
    report("dispatch", results[0] if len(results) == 1 else {"runs": results}, args.json)


if __name__ == "__main__":
    main()
