"""Ack and modal latency: Second Chance against a minimal Bolt app, same load, same run.

    .venv/bin/python -m bench.ack_latency [--database-url postgresql+psycopg://...] [--json out]
        [--commands 200] [--rounds 4] [--concurrency 20 | --rate 40]
        [--baseline-workers 2 --baseline-threads 8]
        [--compare-with /path/to/another/checkout ...]

`/secondchance` commands, 20 at a time, from people the app has never met (so every one is a
first contact: users.info and a new person row after the ack), each opening the journey modal
through the fake Slack, which adds 50 ms to every Web API call and refuses a trigger_id older
than 3 s. With `--rate`, the commands come at that pace instead, whatever the answers (an
open loop: people do not wait for someone else's ack to type theirs). The app is started as a
newcomer starts it: `secondchance run` on its own defaults (no WEB_CONCURRENCY or other server
setting passed). The baseline is bench/minimal_bolt_app.py
(ack, open a one-block modal) under gunicorn as plain Bolt is usually deployed (gthread,
`--baseline-workers` processes x `--baseline-threads` threads: 2 x 8 by default). Each
`--compare-with` checkout is run as a third (fourth...) side, `secondchance run` from that code,
so a change is measured before/after in one run. All sides are loaded in alternating rounds so
that they see the same machine. Reports p50/p95/p99 of the ack (HTTP answer) and of the modal
opening (the request to the `views.open` call reaching Slack: what the person waits for),
failures, expired triggers, CPU per command, and the ratios to plain Bolt. Target: p99 of the
modal opening <= 1.10 x plain Bolt's, no failures, no expired trigger.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.common import (
    BIN,
    ROOT,
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
    worker_pids,
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


BASELINE = "minimal_bolt"
APP = "secondchance"
# Server settings a newcomer does not pass: the app runs on its own defaults.
SERVER_SETTINGS = ("WEB_CONCURRENCY",)


def _sides(args: argparse.Namespace) -> list[str]:
    return [APP, BASELINE] + [f"{APP}@{n}" for n in range(1, len(args.compare_with) + 1)]


def _app_command(checkout: Path) -> tuple[list[str], str]:
    """`secondchance run` from a checkout (its code first on the path), and that path."""
    if checkout == ROOT:
        return [SECONDCHANCE, "run"], str(ROOT)
    return [sys.executable, "-c", "from slackapp.cli import main; main()", "run"], str(checkout)


def run(args: argparse.Namespace) -> dict[str, Any]:
    fake = FakeSlack(team_id=TEAM_ID, bot_token="xoxb-bench", latency_seconds=args.latency)
    targets = _sides(args)
    people = {
        t: [f"U{n_side}X{n:05d}" for n in range(args.commands + 40)]
        for n_side, t in enumerate(targets)
    }
    for users in people.values():
        for user in users:
            fake.add_user(user, name=user.lower(), tz="Europe/Berlin")
    fake.start()
    logs = Path(tempfile.mkdtemp(prefix="bench-ack-"))
    results: list[Sent] = []
    cpu = {t: 0.0 for t in targets}
    sending = {t: 0.0 for t in targets}  # from a round's first command to its last ack
    checkouts = {APP: ROOT} | {
        f"{APP}@{n}": Path(c).resolve() for n, c in enumerate(args.compare_with, start=1)
    }
    try:
        with fresh_database(args.database_url) as database_url, contextlib.ExitStack() as stack:
            servers = {}
            for target in targets:
                port = free_port()
                env = app_env(fake_url=fake.base_url, database_url=database_url, port=port)
                cwd = ROOT
                if target == BASELINE:
                    command = [
                        str(BIN / "gunicorn"),
                        "-k", "gthread",
                        "-w", str(args.baseline_workers),
                        "--threads", str(args.baseline_threads),
                        "--timeout", "30",
                        "-b", f"127.0.0.1:{port}",
                        "bench.minimal_bolt_app:application",
                    ]  # fmt: skip
                else:
                    for name in SERVER_SETTINGS:
                        env.pop(name, None)
                    command, path = _app_command(checkouts[target])
                    env["PYTHONPATH"] = path
                    cwd = Path(path)
                log = logs / f"{target.replace('@', '-')}.log"
                servers[target] = stack.enter_context(serve(command, env, port, log, cwd=cwd))
            # Open loop: enough senders that none waits for another's answer.
            senders = args.concurrency if args.rate is None else OPEN_LOOP_SENDERS
            pool = stack.enter_context(ThreadPoolExecutor(senders))
            urls = {t: server.url for t, server in servers.items()}
            # Warm-up, not measured: imports, connections, the first auth.test.
            for target in targets:
                warm = people[target][-40:]
                list(pool.map(lambda u, t=target: send_command(fake, t, urls[t], u), warm))
            time.sleep(1)
            profilers = [
                stack.enter_context(profiled(server.pid, Path(args.profile) / f"{target}.txt"))
                for target, server in servers.items()
                if args.profile
            ]
            per_round = args.commands // args.rounds
            # This process is the load and the fake Slack, and its heap grows with every call
            # the fake records: a full collection here, mid-round, stalled the senders and the
            # fake's answers for tens of ms, and whichever side was being measured paid for it.
            # Collected between turns instead, when nothing is measured.
            gc.disable()
            for index in range(args.rounds):
                order = targets if index % 2 == 0 else targets[::-1]
                for target in order:
                    users = people[target][index * per_round : (index + 1) * per_round]
                    before = cpu_seconds(servers[target].pid)
                    started = time.perf_counter()
                    results += _load(pool, args.rate, fake, target, urls[target], users)
                    sending[target] += time.perf_counter() - started
                    time.sleep(0.5)  # let the listeners finish before the other side's turn
                    cpu[target] += cpu_seconds(servers[target].pid) - before
                    gc.collect()
            gc.enable()
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and len(_opened(fake, results)) < len(results):
                time.sleep(0.1)
            processes = {t: len(worker_pids(s.pid)) for t, s in servers.items()}
            for profiler in profilers:
                profiler.stop()
    finally:
        fake.stop()
    summary = _summarise(args, fake, results, database_url_kind(args.database_url), logs)
    for target in targets:
        mine = sum(1 for r in results if r.target == target)
        summary[target]["server_cpu_ms_per_command"] = round(cpu[target] * 1000 / mine, 2)
        # What the side was sent: in a closed loop, the faster it acks the more it is sent.
        summary[target]["commands_per_second"] = round(mine / sending[target], 1)
        summary[target]["worker_processes"] = processes[target]
    for target, checkout in checkouts.items():
        summary[target]["code"] = str(checkout)
    return summary


OPEN_LOOP_SENDERS = 256


def _load(
    pool: ThreadPoolExecutor,
    rate: float | None,
    fake: FakeSlack,
    target: str,
    url: str,
    users: list[str],
) -> list[Sent]:
    """One round's commands. Closed loop (rate None): the pool's senders each send the next
    command when the last one is answered, so a side that acks faster is sent more at once.
    Open loop: one command every 1/rate s whatever the answers, as people type them."""
    if rate is None:
        return list(pool.map(lambda u: send_command(fake, target, url, u), users))
    start = time.perf_counter()
    futures = []
    for n, user in enumerate(users):
        wait = start + n / rate - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
        futures.append(pool.submit(send_command, fake, target, url, user))
    return [f.result() for f in futures]


class Profiler:
    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.wait(timeout=30)


@contextlib.contextmanager
def profiled(pid: int, out: Path) -> Iterator[Profiler]:
    """py-spy sampling a server and its workers (only the threads holding the GIL: CPU spent
    in Python) while the block runs, into collapsed stacks; bench/profile_summary.py reads them."""
    out.parent.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [str(BIN / "py-spy"), "record", "-p", str(pid), "--subprocesses", "--gil",
         "--nonblocking", "--rate", "250", "--format", "raw", "-o", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    profiler = Profiler(process)
    try:
        yield profiler
    finally:
        profiler.stop()


def database_url_kind(url: str | None) -> str:
    return "postgresql" if url else "sqlite"


def _opened(fake: FakeSlack, results: list[Sent]) -> dict[str, Any]:
    wanted = {r.trigger_id for r in results}
    return {
        c.args.get("trigger_id"): c
        for c in fake.calls_to("views.open")
        if c.args.get("trigger_id") in wanted
    }


def _ratios(a: dict[str, float], b: dict[str, float]) -> dict[str, float]:
    return {p: round(a[p] / b[p], 2) for p in ("p50", "p95", "p99")}


def _summarise(
    args: argparse.Namespace, fake: FakeSlack, results: list[Sent], database: str, logs: Path
) -> dict[str, Any]:
    opened = _opened(fake, results)
    targets = _sides(args)
    out: dict[str, Any] = {
        "benchmark": "ack_latency",
        "settings": {
            "commands_each": len(results) // len(targets),
            "arrivals": (
                f"closed loop, {args.concurrency} at a time"
                if args.rate is None
                else f"open loop, {args.rate:g} commands/s"
            ),
            "fake_slack_latency_ms": args.latency * 1000,
            "app_server": "secondchance run, its own defaults",
            "baseline_server": (
                f"gunicorn gthread, {args.baseline_workers} workers x "
                f"{args.baseline_threads} threads"
            ),
            "database": database,
            "rounds": args.rounds,
        },
        "machine": machine(args.database_url),
        "logs": str(logs),
    }
    for target in targets:
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
    base = out[BASELINE]
    for target in targets:
        if target == BASELINE:
            continue
        mine = out[target]
        mine["ratio_ack"] = _ratios(mine["ack_ms"], base["ack_ms"])
        if mine["modal_opened_ms"] and base["modal_opened_ms"]:
            mine["ratio_modal_opened"] = _ratios(mine["modal_opened_ms"], base["modal_opened_ms"])
    app = out[APP]
    out["ratio_ack"] = app["ratio_ack"]
    out["ratio_modal_opened"] = app.get("ratio_modal_opened")
    out["target_met"] = (
        out["ratio_modal_opened"] is not None
        and out["ratio_modal_opened"]["p99"] <= 1.10
        and all(out[t]["failed_requests"] == 0 for t in targets)
        and all(out[t]["modal_not_opened"] == 0 for t in targets)
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commands", type=int, default=200, help="per side")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument(
        "--rate",
        type=float,
        default=None,
        help="open loop: commands per second, sent whatever the answers (instead of "
        "--concurrency at a time)",
    )
    parser.add_argument("--latency", type=float, default=0.05, help="fake Slack, per call (s)")
    parser.add_argument("--rounds", type=int, default=4, help="alternating rounds per side")
    parser.add_argument("--baseline-workers", type=int, default=2, help="plain Bolt's gunicorn -w")
    parser.add_argument("--baseline-threads", type=int, default=8, help="its --threads")
    parser.add_argument(
        "--compare-with",
        nargs="*",
        default=[],
        metavar="CHECKOUT",
        help="another checkout of the app (e.g. a git worktree of the code before a change), "
        "run side by side as secondchance@1, @2...",
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or None,
        help="PostgreSQL URL (a throwaway schema is made in it); SQLite when not given",
    )
    parser.add_argument(
        "--profile",
        metavar="DIR",
        help="sample each side with py-spy during the measured rounds, into DIR/<side>.txt",
    )
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    report("ack_latency", run(args), args.json)


if __name__ == "__main__":
    main()
