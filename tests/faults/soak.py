"""A long chaos run, outside the normal test run:

    python -m tests.faults.soak --minutes 20 [--seed N] [--employees N] [--speed X]
                                [--database-url URL [--restart-postgres]]

Three whole app processes (tests/faults/app_worker.py: the HTTP endpoint and the scheduler) on
one PostgreSQL, many employees whose feedback schedules fall due all the time (the processes'
clocks run SPEED times the wall clock), managers answering through signed requests, and, at
random moments: a process SIGKILLed and started again, PostgreSQL restarted, one Slack call in
five failing (500, 429 with Retry-After, a dropped connection), a few sends whose answer is lost
after Slack took them, events and interactions delivered twice. Then the faults stop, the work
still due drains, and an invariant checker says whether every occurrence due in the run reached
its manager exactly once (or was marked missed, the employee told), whether every answer the app
acknowledged is stored and reached its employee exactly once, and whether the app ever
answered 500. Exit 0 only if all hold.

Without --database-url it starts its own throwaway PostgreSQL (initdb in a temp dir, run as the
postgres OS user, on a free port), restarts that one, and removes it at the end; the system
cluster is never touched.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import glob
import heapq
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.client import HTTPException
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from models import (
    DueWork,
    DueWorkStatus,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackSchedule,
    Person,
)
from models.db import make_engine, make_session_factory, migrate
from slackapp.kernel.kinds import FEEDBACK_ANSWER_NOTICE
from slacksim.fakeslack import FakeSlack, payloads
from slacksim.fakeslack.driver import SlackDriver
from slacksim.fakeslack.payloads import AppResponse
from tests.faults.app_worker import SIGNING_SECRET
from tests.faults.support import seed_schedules

ROOT = Path(__file__).resolve().parents[2]
TEAM_ID = "T0001"
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # a Monday morning
Json = dict[str, Any]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- PostgreSQL ------------------------------------------------------------------------------
class ThrowawayPostgres:
    """A PostgreSQL server of the soak's own: initdb in a temp dir as the postgres OS user, trust
    auth, a free port; restarted at will, removed at the end."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise SystemExit("no initdb under /usr/lib/postgresql/*/bin")
        self.bin = Path(found[-1]).parent
        self.dir = Path(tempfile.mkdtemp(prefix="soak-pg-"))
        self.data = self.dir / "data"
        self.port = free_port()
        shutil.chown(self.dir, "postgres", "postgres")

    def _as_postgres(self, *args: str, timeout: float = 120) -> None:
        command = ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else list(args)
        # The server keeps the output it inherits open: never a pipe, or run() waits for ever.
        subprocess.run(
            command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            timeout=timeout,
        )  # fmt: skip

    def start(self) -> str:
        self._as_postgres(
            str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres", "-N"
        )
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c max_connections=300"
            " -c fsync=off -c full_page_writes=off"
        )
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"),
            "-o", options, "-w", "start",
        )  # fmt: skip
        admin = create_engine(
            f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres",
            isolation_level="AUTOCOMMIT",
        )
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE soak"))
        admin.dispose()
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/soak"

    def restart(self, mode: str) -> None:
        self._as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.dir / "log"),
            "-m", mode, "-w", "restart",
        )  # fmt: skip

    def remove(self) -> None:
        with contextlib.suppress(Exception):
            self._as_postgres(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"
            )
        shutil.rmtree(self.dir, ignore_errors=True)


def restart_system_cluster(mode: str) -> None:
    """--database-url with --restart-postgres: the newest local cluster, as the fault suite's
    own restart test does (only where nothing else uses that server)."""
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "-m", mode, version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def with_schema(url: str, schema: str) -> str:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"


# -- the fake Slack, with answers lost after the effect -------------------------------------
class SoakSlack(FakeSlack):
    """The fake Slack, plus: now and then a chat.postMessage the dispatcher sent (it carries the
    app's metadata) lands, and then its answer is lost (the connection drops after Slack took it).
    The dispatcher must find it in the DM's history before it sends again."""

    def __init__(self, *, lost_rate: float, seed: int) -> None:
        super().__init__(team_id=TEAM_ID)
        self.lost_rate = 0.0
        self.planned_lost_rate = lost_rate
        self.lost_answers = 0
        self._lost_rng = random.Random(seed + 1)

    def handle(
        self, method: str, args: Json, token: str | None
    ) -> tuple[int, list[tuple[str, str]], Json]:
        status, headers, body = super().handle(method, args, token)
        with self._lock:
            if (
                method == "chat.postMessage"
                and status == 200
                and body.get("ok")
                and args.get("metadata")
                and self.lost_rate
                and self._lost_rng.random() < self.lost_rate
            ):
                self.lost_answers += 1
                return 0, [], body  # the post stays; the app sees a reset connection
        return status, headers, body

    def new_calls(self, since: int) -> tuple[int, list[Any]]:
        with self._lock:
            return len(self.calls), self.calls[since:]


# -- the app's processes ---------------------------------------------------------------------
@dataclass
class Worker:
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class Workers:
    def __init__(self, count: int, *, database_url: str, api_url: str, anchor: float,
                 speed: float, log_dir: Path) -> None:  # fmt: skip
        self.args = [database_url, api_url, str(anchor), START.isoformat(), str(speed)]
        self.workers = [Worker(free_port(), log_dir / f"worker{n}.log") for n in range(count)]
        self.lock = threading.Lock()
        self.kills = 0
        self.starts = 0

    def start(self, worker: Worker) -> None:
        database_url, api_url, anchor, start, speed = self.args
        with worker.log.open("ab") as log:
            worker.process = subprocess.Popen(
                [sys.executable, "-m", "tests.faults.app_worker", database_url, api_url,
                 str(worker.port), anchor, start, speed],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        self.starts += 1

    def start_all(self) -> None:
        for worker in self.workers:
            self.start(worker)
        for worker in self.workers:
            wait_until(functools.partial(healthy, worker.url), 60, f"{worker.url} to start")

    def kill(self, rng: random.Random) -> None:
        with self.lock:
            worker = rng.choice(self.workers)
            assert worker.process is not None
            os.kill(worker.process.pid, signal.SIGKILL)
            worker.process.wait(timeout=30)
            self.kills += 1
            worker.process = None
        time.sleep(rng.uniform(0.5, 3.0))
        with self.lock:
            self.start(worker)

    def alive_urls(self) -> list[str]:
        with self.lock:
            return [w.url for w in self.workers if w.process is not None]

    def stop_all(self) -> None:
        for worker in self.workers:
            if worker.process is not None:
                worker.process.send_signal(signal.SIGTERM)
        for worker in self.workers:
            if worker.process is not None:
                try:
                    worker.process.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    worker.process.kill()
                    worker.process.wait()


def healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except (OSError, urllib.error.URLError):
        return False


def wait_until(check: Callable[[], Any], seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for {what}")


# -- Slack's side: deliveries to whichever process is up -------------------------------------
@dataclass
class Tally:
    statuses: collections.Counter[str] = field(default_factory=collections.Counter)
    server_errors: list[str] = field(default_factory=list)
    unanswered: int = 0  # connection refused or dropped: the process was being killed
    slow_acks: int = 0  # answered after Slack's 3 s
    duplicates: collections.Counter[str] = field(default_factory=collections.Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Delivery:
    """Signed requests to a random live process, again to another when one is not answered, as
    Slack retries an event (and a person clicks again)."""

    def __init__(self, fake: SoakSlack, workers: Workers, rng: random.Random) -> None:
        self.fake, self.workers, self.rng = fake, workers, rng
        self.tally = Tally()
        self.rng_lock = threading.Lock()

    def driver(self) -> SlackDriver:
        urls = self.workers.alive_urls() or [self.workers.workers[0].url]
        with self.rng_lock:
            url = self.rng.choice(urls)
        return SlackDriver(self.fake, app_url=url, signing_secret=SIGNING_SECRET, team_id=TEAM_ID)

    def chance(self, p: float) -> bool:
        with self.rng_lock:
            return self.rng.random() < p

    def send(self, kind: str, call: Callable[[SlackDriver], AppResponse], *,
             attempts: int = 6) -> AppResponse | None:  # fmt: skip
        for _ in range(attempts):
            started = time.monotonic()
            try:
                response = call(self.driver())
            except (OSError, HTTPException):
                with self.tally.lock:
                    self.tally.unanswered += 1
                time.sleep(0.5)
                continue
            with self.tally.lock:
                self.tally.statuses[f"{kind} {response.status}"] += 1
                deferred = kind == "event" and response.status == 503
                if time.monotonic() - started > 3.0:
                    self.tally.slow_acks += 1
                if response.status >= 500 and not deferred:
                    self.tally.server_errors.append(
                        f"{kind}: {response.status} {response.body[:200]}"
                    )
            if response.status == 200:
                return response
            # A 503 to an event: the database is away, Slack delivers it again a little later.
            time.sleep(3.0 if deferred else 0.5)
        return None


# -- managers answering ----------------------------------------------------------------------
class Managers:
    """Watch the request DMs land; answer most of them, through the Give feedback button and the
    modal, a little later; some clicks and submissions delivered twice."""

    def __init__(self, fake: SoakSlack, delivery: Delivery, rng: random.Random,
                 answer_rate: float) -> None:  # fmt: skip
        self.fake, self.delivery, self.rng, self.answer_rate = fake, delivery, rng, answer_rate
        self.seen: set[int] = set()
        self.acked: set[int] = set()  # request ids whose answer the app acknowledged
        self.tried: set[int] = set()
        self.gave_up: set[int] = set()  # the modal never opened
        self.pool = ThreadPoolExecutor(6, thread_name_prefix="manager")
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self._since = 0

    def run(self) -> None:
        queue: list[tuple[float, int, str]] = []
        while not self.stop.is_set():
            self._since, calls = self.fake.new_calls(self._since)
            for call in calls:
                payload = (call.args.get("metadata") or {}).get("event_payload") or {}
                rid = payload.get("feedback_request_id")
                if call.method != "chat.postMessage" or call.status != 200 or rid is None:
                    continue
                if rid in self.seen or not call.response.get("ok"):
                    continue
                self.seen.add(rid)
                if self.rng.random() < self.answer_rate:
                    when = time.monotonic() + self.rng.uniform(0.5, 20)
                    heapq.heappush(queue, (when, rid, str(call.args["channel"])))
            while queue and queue[0][0] <= time.monotonic():
                _, rid, manager = heapq.heappop(queue)
                self.pool.submit(self.answer, rid, manager)
            time.sleep(0.2)
        self.pool.shutdown(wait=True)

    def _message(self, manager: str, rid: int) -> Json | None:
        for message in self.fake.messages(manager):
            payload = (message.get("metadata") or {}).get("event_payload") or {}
            if payload.get("feedback_request_id") == rid:
                return message
        return None

    def _modal(self, manager: str, rid: int) -> Json | None:
        for view in reversed(self.fake.view_stack(manager)):
            if view.get("callback_id") == "feedback_answer" and str(rid) in str(
                view.get("private_metadata")
            ):
                return view
        return None

    def answer(self, rid: int, manager: str) -> None:
        try:
            self._answer(rid, manager)
        except Exception as error:  # a bug of the soak itself: say so, do not hide it
            print(f"soak: answering {rid} failed: {error!r}", file=sys.stderr)

    def _answer(self, rid: int, manager: str) -> None:
        with self.lock:
            self.tried.add(rid)
        message = self._message(manager, rid)
        if message is None:
            return
        view = None
        for _ in range(5):
            twice = self.delivery.chance(0.2)

            def click(driver: SlackDriver) -> AppResponse:
                return driver.click_in_message(manager, message, "feedback_give")

            self.delivery.send("block_actions", click)
            if twice:
                self.delivery.tally.duplicates["block_actions"] += 1
                self.delivery.send("block_actions", click)
            try:
                view = wait_until(lambda: self._modal(manager, rid), 8, "the answer modal")
                break
            except TimeoutError:
                continue
        if view is None:
            with self.lock:
                self.gave_up.add(rid)
            return
        values: Json = {}
        for block in view["blocks"]:
            element = block.get("element") or {}
            if block.get("type") != "input":
                continue
            if element.get("type") == "radio_buttons":
                values[block["block_id"]] = element["options"][0]["value"]
            elif element.get("type") == "plain_text_input":
                values[block["block_id"]] = f"Soak answer to request {rid}."
        body = payloads.view_submission(
            team_id=TEAM_ID,
            user_id=manager,
            user_name=manager.lower(),
            view=view,
            state=payloads.filled_state(view, values),
            trigger_id=self.fake.issue_trigger(manager),
        )
        twice = self.delivery.chance(0.25)  # delivered again after its answer, maybe elsewhere
        for _ in range(8):
            response = self.delivery.send("view_submission", lambda d: d.interact(body))
            ack = response.json() if response is not None else {"no": "answer"}
            if not ack:  # an empty ack: the modal closes, the manager takes it as sent
                with self.lock:
                    self.acked.add(rid)
                with contextlib.suppress(ValueError):
                    self.fake.apply_response_action(manager, view["id"], None)
                if twice:
                    self.delivery.tally.duplicates["view_submission"] += 1
                    self.delivery.send("view_submission", lambda d: d.interact(body))
                return
            if response is not None and "didn't save" not in json.dumps(ack):
                return  # refused: answered already (a delivery whose ack was lost was taken)
            time.sleep(2)  # "didn't save just now": they press Send again a moment later


# -- events delivered twice ------------------------------------------------------------------
def home_events(delivery: Delivery, people: list[str], stop: threading.Event,
                rng: random.Random) -> None:  # fmt: skip
    n = 0
    while not stop.wait(0.5):
        n += 1
        user = rng.choice(people)
        event_id = f"EvSOAK{n:07d}"
        event = payloads.app_home_opened(user_id=user, channel_id=delivery.fake.dm_channel(user))

        def first(d: SlackDriver, e: Json = event, i: str = event_id) -> AppResponse:
            return d.event(e, event_id=i)

        def retry(d: SlackDriver, e: Json = event, i: str = event_id) -> AppResponse:
            return d.event(e, event_id=i, retry_num=1)  # Slack's retry: X-Slack-Retry-Num

        delivery.send("event", first)
        if rng.random() < 0.3:
            delivery.tally.duplicates["event"] += 1
            delivery.send("event", retry)


# -- chaos -----------------------------------------------------------------------------------
def every(stop: threading.Event, rng: random.Random, mean: float, least: float,
          action: Callable[[], None]) -> None:  # fmt: skip
    while not stop.wait(max(least, rng.expovariate(1 / mean))):
        action()


# -- the checker -----------------------------------------------------------------------------
def check(
    session: Session, fake: SoakSlack, managers: Managers, due_by: datetime
) -> tuple[list[str], Json]:
    problems: list[str] = []
    ok_posts = [
        c
        for c in fake.calls
        if c.method == "chat.postMessage" and c.status == 200 and c.response.get("ok")
    ]
    by_work = collections.Counter(
        ((c.args.get("metadata") or {}).get("event_payload") or {}).get("due_work_id")
        for c in ok_posts
    )
    by_work.pop(None, None)
    by_request = collections.Counter(
        ((c.args.get("metadata") or {}).get("event_payload") or {}).get("feedback_request_id")
        for c in ok_posts
    )
    by_request.pop(None, None)
    doubled = {k: n for k, n in by_work.items() if n > 1}
    if doubled:
        problems.append(f"due work sent more than once: {sorted(doubled.items())[:20]}")
    doubled_requests = {k: n for k, n in by_request.items() if n > 1}
    if doubled_requests:
        problems.append(f"requests sent more than once: {sorted(doubled_requests.items())[:20]}")

    schedules = list(session.scalars(select(FeedbackSchedule)))
    requests = {r.schedule_id: r for r in session.scalars(select(FeedbackRequest))}
    expected = [s for s in schedules if _first_due(s) <= due_by]
    never_made = [s.id for s in expected if s.id not in requests]
    if never_made:
        problems.append(f"occurrences due and never made: {never_made[:20]}")
    slack_ids = {pid: sid for pid, sid in session.execute(select(Person.id, Person.slack_user_id))}
    posted_to = collections.defaultdict(set)  # due work id -> where it landed
    for c in ok_posts:
        work_id = ((c.args.get("metadata") or {}).get("event_payload") or {}).get("due_work_id")
        if work_id is not None:
            posted_to[work_id].add(str(c.args.get("channel")))
    works = list(session.scalars(select(DueWork)))
    sent = missed = told = 0
    for request in requests.values():
        posts = by_request.get(request.id, 0)
        if request.status in ("sent", "answered"):
            sent += 1
            if posts != 1:
                problems.append(f"request {request.id} is {request.status}, posted {posts} times")
        elif request.status == "missed":
            missed += 1
            employee = slack_ids[request.employee_id]
            if posts:
                problems.append(f"request {request.id} missed but posted to its manager")
            if any(
                w.subject_id == request.id and employee in posted_to.get(w.id, ()) for w in works
            ):
                told += 1
            else:
                problems.append(f"request {request.id} missed, its employee never told")
        else:
            problems.append(f"request {request.id} left {request.status} (due {request.due_at})")
    failed = [(w.id, w.kind, w.last_error) for w in works if w.status == DueWorkStatus.FAILED.value]
    if failed:
        problems.append(f"due work given up: {failed[:20]}")
    pending = [
        (w.id, w.kind)
        for w in works
        if w.status == DueWorkStatus.PENDING.value and w.due_at <= due_by
    ]
    if pending:
        problems.append(f"due work still pending after the drain: {pending[:20]}")

    stored = set(session.scalars(select(FeedbackAnswer.feedback_request_id)))
    lost = managers.acked - stored
    if lost:
        problems.append(f"answers acknowledged and not stored: {sorted(lost)}")
    # Each stored answer's note to the employee is due work of its own: posted exactly once
    # (a second post of any due work is caught above), to that request's employee.
    notices = {w.subject_id: w for w in works if w.kind == FEEDBACK_ANSWER_NOTICE}
    employees = {r.id: r.employee_id for r in requests.values()}
    untold = sorted(
        request_id
        for request_id in stored
        if request_id not in notices
        or posted_to.get(notices[request_id].id) != {slack_ids[employees[request_id]]}
    )
    if untold:
        problems.append(f"answers whose employee was not told (request ids): {untold[:20]}")
    notes = {w.id: by_work[w.id] for w in notices.values() if by_work[w.id]}
    d = managers.delivery.tally
    if d.server_errors:
        problems.append(f"the app answered 500: {d.server_errors[:10]}")
    summary = {
        "occurrences_due": len(expected),
        "occurrences_made": len(requests),
        "sent": sent,
        "missed": missed,
        "missed_employee_told": told,
        "request_posts_accepted_by_slack": sum(by_request.values()),
        "answers_tried": len(managers.tried),
        "answers_acknowledged": len(managers.acked),
        "answers_stored": len(stored),
        "answer_modal_never_opened": len(managers.gave_up),
        "answer_notes_to_employees": sum(notes.values()),
        "answers_whose_employee_was_not_told": len(untold),
        "http_statuses": dict(sorted(d.statuses.items())),
        "http_500": len(d.server_errors),
        "deliveries_unanswered_process_down": d.unanswered,
        "acks_slower_than_3s": d.slow_acks,
        "delivered_twice": dict(d.duplicates),
        "due_work_given_up": len(failed),
        "slack_calls": len(fake.calls),
        "slack_calls_failed": dict(
            collections.Counter(
                "reset" if c.status == 0 else str(c.status) for c in fake.calls if c.status != 200
            )
        ),
        "slack_answers_lost_after_effect": fake.lost_answers,
        "slack_rejections": dict(collections.Counter(r["error"] for r in fake.rejections)),
    }
    return problems, summary


def _first_due(schedule: FeedbackSchedule) -> datetime:
    return datetime.combine(schedule.first_date, schedule.time_of_day, tzinfo=UTC)


def log_errors(log_dir: Path) -> collections.Counter[str]:
    """The distinct ERROR lines the processes logged (their first line, without the time)."""
    found: collections.Counter[str] = collections.Counter()
    for path in sorted(log_dir.glob("worker*.log")):
        for line in path.read_text(errors="replace").splitlines():
            if " ERROR " in line:
                found[line.split(" ERROR ", 1)[1][:160]] += 1
    return found


# -- the run ---------------------------------------------------------------------------------
def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.faults.soak", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument("--minutes", type=float, default=20.0, help="how long the chaos lasts")
    parser.add_argument("--seed", type=int, default=20260302)
    parser.add_argument("--employees", type=int, default=1500)
    parser.add_argument("--speed", type=float, default=20.0,
                        help="the app's clock runs this many times the wall clock")  # fmt: skip
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--failure-rate", type=float, default=0.2)
    parser.add_argument("--lost-rate", type=float, default=0.02,
                        help="share of the app's sends whose answer is lost after Slack took it")  # fmt: skip
    parser.add_argument("--answer-rate", type=float, default=0.6)
    parser.add_argument("--kill-every", type=float, default=45.0, help="mean seconds between kills")
    parser.add_argument("--restart-every", type=float, default=80.0,
                        help="mean seconds between PostgreSQL restarts")  # fmt: skip
    parser.add_argument("--database-url", help="an existing PostgreSQL (its own schema is made)")
    parser.add_argument("--restart-postgres", action="store_true",
                        help="with --database-url: restart that server (pg_ctlcluster)")  # fmt: skip
    parser.add_argument("--keep-logs", action="store_true")
    return parser.parse_args(argv)


@contextlib.contextmanager
def database(args: argparse.Namespace) -> Iterator[tuple[str, Callable[[str], None] | None]]:
    if args.database_url:
        schema = f"soak_{uuid.uuid4().hex[:10]}"
        admin = create_engine(with_schema(args.database_url, "public"), pool_pre_ping=True)
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            yield (
                with_schema(args.database_url, schema),
                (restart_system_cluster if args.restart_postgres else None),
            )
        finally:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
    else:
        server = ThrowawayPostgres()
        try:
            yield server.start(), server.restart
        finally:
            server.remove()


def main(argv: list[str]) -> int:
    args = parse(argv)
    rng = random.Random(args.seed)
    log_dir = Path(tempfile.mkdtemp(prefix="soak-logs-"))
    began = time.monotonic()
    load_before = os.getloadavg()
    with database(args) as (url, restart):
        migrate(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        fake = SoakSlack(lost_rate=args.lost_rate, seed=args.seed)
        fake.start()
        span = timedelta(seconds=args.minutes * 60 * args.speed)
        # Each schedule first falls due at a five-minute mark of the run's first 85% (the way
        # people pick 09:00 or 09:30): a clump of requests every 5 minutes of the app's time.
        slots = max(1, int(span.total_seconds() * 0.85 // 300))
        dues = [
            START + timedelta(minutes=5 * (1 + rng.randrange(slots))) for _ in range(args.employees)
        ]
        with factory() as session:
            seed_schedules(session, fake, args.employees, due=dues, team_id=TEAM_ID)
        people = []
        for n in range(args.employees):
            fake.add_user(f"UEMP{n:05d}", name=f"employee{n}", tz="UTC")
            people += [f"UEMP{n:05d}", f"UMGR{n:05d}"]
        anchor = time.time() + 1.0
        workers = Workers(args.workers, database_url=url, api_url=fake.base_url,
                          anchor=anchor, speed=args.speed, log_dir=log_dir)  # fmt: skip
        workers.start_all()
        fake.failure_seed = args.seed
        fake.failure_rate = args.failure_rate
        fake.lost_rate = args.lost_rate
        delivery = Delivery(fake, workers, random.Random(args.seed + 2))
        managers = Managers(fake, delivery, random.Random(args.seed + 3), args.answer_rate)
        stop = threading.Event()
        pg_restarts = collections.Counter[str]()

        def restart_pg() -> None:
            assert restart is not None
            mode = rng.choice(("fast", "immediate"))
            restart(mode)
            pg_restarts[mode] += 1

        threads = [
            threading.Thread(target=managers.run, name="managers"),
            threading.Thread(target=home_events, args=(delivery, people, stop, random.Random(args.seed + 4))),
            threading.Thread(target=every, args=(stop, random.Random(args.seed + 5), args.kill_every, 5.0,
                                                 lambda: workers.kill(rng))),
        ]  # fmt: skip
        if restart is not None:
            threads.append(threading.Thread(target=every, args=(stop, random.Random(args.seed + 6),
                                                                 args.restart_every, 10.0, restart_pg)))  # fmt: skip
        for thread in threads:
            thread.start()
        print(f"soak: {args.workers} processes, {args.employees} schedules, clock x{args.speed}, "
              f"chaos for {args.minutes} min (logs in {log_dir})", flush=True)  # fmt: skip
        deadline = time.monotonic() + args.minutes * 60
        while time.monotonic() < deadline:
            time.sleep(min(10.0, max(0.0, deadline - time.monotonic())))
            print(f"soak: {time.monotonic() - began:.0f}s, kills {workers.kills}, "
                  f"pg restarts {sum(pg_restarts.values())}, requests seen {len(managers.seen)}, "
                  f"answers acked {len(managers.acked)}", flush=True)  # fmt: skip
        # The chaos ends; what is due drains on healthy processes and a healthy Slack.
        stop.set()
        for thread in threads[1:]:
            thread.join()
        fake.failure_rate = fake.lost_rate = 0.0
        with workers.lock:
            for worker in workers.workers:
                if worker.process is None:
                    workers.start(worker)
        chaos_ended = time.monotonic()
        due_by = START + span * 0.86
        wait_until(lambda: datetime.now(UTC) > datetime.fromtimestamp(anchor, UTC), 5, "start")

        def drained() -> bool:
            with factory() as session:
                open_work = session.scalar(
                    select(func.count())
                    .select_from(DueWork)
                    .where(DueWork.status == DueWorkStatus.PENDING.value, DueWork.due_at <= due_by)
                )
                undone = session.scalar(
                    select(func.count())
                    .select_from(FeedbackRequest)
                    .where(FeedbackRequest.status == "due")
                )
                made = session.scalar(select(func.count()).select_from(FeedbackRequest)) or 0
            return not open_work and not undone and made >= sum(1 for d in dues if d <= due_by)

        with contextlib.suppress(TimeoutError):
            wait_until(drained, 300, "the due work to drain")
        drain_seconds = time.monotonic() - chaos_ended
        time.sleep(25)  # answers under way finish (a manager waits up to 20 s)
        managers.stop.set()
        threads[0].join()
        workers.stop_all()
        with factory() as session:
            problems, summary = check(session, fake, managers, due_by)
        errors = log_errors(log_dir)
        engine.dispose()
        fake.stop()
    summary = {
        "minutes": args.minutes,
        "seed": args.seed,
        "employees": args.employees,
        "speed": args.speed,
        "processes": args.workers,
        "worker_kills": workers.kills,
        "postgres_restarts": dict(pg_restarts),
        **summary,
        "drain_seconds": round(drain_seconds, 1),
        "logged_errors": dict(errors.most_common(15)),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "wall_seconds": round(time.monotonic() - began, 1),
    }
    print(json.dumps(summary, indent=2))
    for problem in problems:
        print(f"INVARIANT BROKEN: {problem}")
    print("soak: all invariants hold" if not problems else f"soak: {len(problems)} problem(s)")
    if args.keep_logs or problems:
        print(f"soak: logs kept in {log_dir}")
    else:
        shutil.rmtree(log_dir, ignore_errors=True)
    return 0 if not problems else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
