"""Ack latency: Second Chance against a minimal Bolt app, same server, same load, same run.

    .venv/bin/python -m bench.ack_latency [--database-url postgresql+psycopg://...] [--json out]

300 `/secondchance` commands, 20 at a time, from 300 people the app has never met (so every one
is a first contact: users.info and a new person row after the ack), each opening the journey modal
through the fake Slack, which adds 50 ms to every Web API call and refuses a trigger_id older
than 3 s. The baseline is bench/minimal_bolt_app.py (ack, open a one-block modal) under the same
gunicorn settings. The two are loaded in alternating rounds so that both see the same machine.
Reports p50/p95/p99 of the ack (HTTP answer) and of the modal opening, failures, expired
triggers, and the ratios. Target: p99 ack ratio <= 1.25, no failures, no expired trigger.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    BIN,
    SECONDCHANCE,
    SIGNING_SECRET,
    TEAM_ID,
    app_env,
    cpu_seconds,
    free_port,
    fresh_database,
    machine,
    report,
    serve,
    summary_ms,
)
from slacksim.fakeslack import FakeSlack, payloads


@dataclass
class Sent:
    target: str
    user: str
    trigger_id: str
    sent_at: float
    seconds: float
    status: int


def send_command(fake: FakeSlack, target: str, url: str, user: str) -> Sent:
    trigger_id = fake.issue_trigger(user)
    body = payloads.slash_command(
        team_id=TEAM_ID,
        user_id=user,
        user_name=user.lower(),
        channel_id=fake.dm_channel(user),
        text="",
        trigger_id=trigger_id,
    )
    sent_at = time.time()
    started = time.perf_counter()
    try:
        status = payloads.post(
            url + "/slack/events",
            body,
            secret=SIGNING_SECRET,
            content_type="application/x-www-form-urlencoded",
            timeout=10,
        ).status
    except OSError:
        status = 0
    return Sent(target, user, trigger_id, sent_at, time.perf_counter() - started, status)


def run(args: argparse.Namespace) -> dict[str, Any]:
    fake = FakeSlack(team_id=TEAM_ID, bot_token="xoxb-bench", latency_seconds=args.latency)
    targets = ("secondchance", "minimal_bolt")
    people = {t: [f"U{t[0].upper()}{n:05d}" for n in range(args.commands + 40)] for t in targets}
    for users in people.values():
        for user in users:
            fake.add_user(user, name=user.lower(), tz="Europe/Berlin")
    fake.start()
    logs = Path(tempfile.mkdtemp(prefix="bench-ack-"))
    results: list[Sent] = []
    cpu = {t: 0.0 for t in targets}
    try:
        with fresh_database(args.database_url) as database_url:
            app_port, minimal_port = free_port(), free_port()
            app_cmd = [SECONDCHANCE, "run"]
            minimal_cmd = [
                str(BIN / "gunicorn"),
                "-k", "gthread", "-w", "1", "--threads", "16", "--timeout", "30",
                "-b", f"127.0.0.1:{minimal_port}",
                "bench.minimal_bolt_app:application",
            ]  # fmt: skip
            app_environment = app_env(
                fake_url=fake.base_url, database_url=database_url, port=app_port
            )
            minimal_environment = app_env(
                fake_url=fake.base_url, database_url=database_url, port=minimal_port
            )
            with (
                serve(app_cmd, app_environment, app_port, logs / "app.log") as app_server,
                serve(
                    minimal_cmd, minimal_environment, minimal_port, logs / "minimal.log"
                ) as minimal_server,
                ThreadPoolExecutor(args.concurrency) as pool,
            ):
                servers = {"secondchance": app_server, "minimal_bolt": minimal_server}
                urls = {t: server.url for t, server in servers.items()}
                # Warm-up, not measured: imports, connections, the first auth.test.
                for target in targets:
                    warm = people[target][-40:]
                    list(pool.map(lambda u, t=target: send_command(fake, t, urls[t], u), warm))
                time.sleep(1)
                per_round = args.commands // args.rounds
                for index in range(args.rounds):
                    order = targets if index % 2 == 0 else targets[::-1]
                    for target in order:
                        users = people[target][index * per_round : (index + 1) * per_round]
                        before = cpu_seconds(servers[target].pid)
                        results += pool.map(
                            lambda u, t=target: send_command(fake, t, urls[t], u), users
                        )
                        time.sleep(0.5)  # let the listeners finish before the other side's turn
                        cpu[target] += cpu_seconds(servers[target].pid) - before
                deadline = time.monotonic() + 15
                while time.monotonic() < deadline and len(_opened(fake, results)) < len(results):
                    time.sleep(0.1)
    finally:
        fake.stop()
    summary = _summarise(args, fake, results, database_url_kind(args.database_url), logs)
    for target in targets:
        summary[target]["server_cpu_ms_per_command"] = round(
            cpu[target] * 1000 / (len(results) / 2), 2
        )
    return summary


def database_url_kind(url: str | None) -> str:
    return "postgresql" if url else "sqlite"


def _opened(fake: FakeSlack, results: list[Sent]) -> dict[str, Any]:
    wanted = {r.trigger_id for r in results}
    return {
        c.args.get("trigger_id"): c
        for c in fake.calls_to("views.open")
        if c.args.get("trigger_id") in wanted
    }


def _summarise(
    args: argparse.Namespace, fake: FakeSlack, results: list[Sent], database: str, logs: Path
) -> dict[str, Any]:
    opened = _opened(fake, results)
    out: dict[str, Any] = {
        "benchmark": "ack_latency",
        "settings": {
            "commands_each": len(results) // 2,
            "concurrency": args.concurrency,
            "fake_slack_latency_ms": args.latency * 1000,
            "server": "gunicorn gthread, 1 worker, 16 threads",
            "database": database,
            "rounds": args.rounds,
        },
        "machine": machine(args.database_url),
        "logs": str(logs),
    }
    for target in ("secondchance", "minimal_bolt"):
        mine = [r for r in results if r.target == target]
        calls = [opened.get(r.trigger_id) for r in mine]
        errors = [
            c.response.get("error") for c in calls if c is not None and not c.response.get("ok")
        ]
        to_modal = [c.at - r.sent_at for r, c in zip(mine, calls, strict=True) if c is not None]
        out[target] = {
            "ack_ms": summary_ms([r.seconds for r in mine]),
            "modal_opened_ms": summary_ms(to_modal) if to_modal else None,
            "failed_requests": sum(1 for r in mine if r.status != 200),
            "modal_not_opened": sum(1 for c in calls if c is None) + len(errors),
            "expired_triggers": errors.count("expired_trigger_id"),
            "other_errors": sorted({e for e in errors if e != "expired_trigger_id"}),
        }
    app, base = out["secondchance"]["ack_ms"], out["minimal_bolt"]["ack_ms"]
    out["ratio_ack"] = {p: round(app[p] / base[p], 2) for p in ("p50", "p95", "p99")}
    if out["secondchance"]["modal_opened_ms"] and out["minimal_bolt"]["modal_opened_ms"]:
        a, b = out["secondchance"]["modal_opened_ms"], out["minimal_bolt"]["modal_opened_ms"]
        out["ratio_modal_opened"] = {p: round(a[p] / b[p], 2) for p in ("p50", "p95", "p99")}
    out["target_met"] = (
        out["ratio_ack"]["p99"] <= 1.25
        and all(out[t]["failed_requests"] == 0 for t in ("secondchance", "minimal_bolt"))
        and all(out[t]["modal_not_opened"] == 0 for t in ("secondchance", "minimal_bolt"))
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=300, help="per app")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.05, help="fake Slack, per call (s)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per app")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or None,
        help="PostgreSQL URL (a throwaway schema is made in it); SQLite when not given",
    )
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    report("ack_latency", run(args), args.json)


if __name__ == "__main__":
    main()
