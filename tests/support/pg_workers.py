"""Several dispatcher processes on one PostgreSQL, for the tests that check they agree: the
worker process itself, the schedules they share, and what reached the fake Slack."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter
from datetime import date, datetime, time
from pathlib import Path

from sqlalchemy.orm import Session

from models import FeedbackSchedule, Person, Workspace
from slacksim.fakeslack import FakeSlack

ROOT = Path(__file__).resolve().parents[2]

# One worker process: the real dispatcher and job modules, its own engine, the fake Slack over
# HTTP, the clock fixed at the given time. It ticks until nothing is left that it can claim.
WORKER = textwrap.dedent(
    """
    import os, sys
    from datetime import datetime
    from slack_sdk import WebClient
    from models.db import make_engine, make_session_factory
    from slackapp.kernel.clock import ManualClock
    from slackapp.jobs.dispatcher import Dispatcher, RateLimiter

    url, base_url, now, die_after_send = sys.argv[1:5]

    class Client(WebClient):
        def chat_postMessage(self, **kwargs):
            response = super().chat_postMessage(**kwargs)
            if die_after_send == "yes":
                os._exit(9)  # killed between sending and recording
            return response

    client = Client(token="xoxb-fake", base_url=base_url, retry_handlers=[])
    dispatcher = Dispatcher(
        session_factory=make_session_factory(make_engine(url)),
        client_for_workspace=lambda _id: client,
        clock=ManualClock(datetime.fromisoformat(now)),
        rate_limiter=RateLimiter(per_channel_seconds=0, workspace_per_second=1000),
        workers=4,
        batch_size=25,
    )
    idle = 0
    while idle < 2:
        idle = idle + 1 if dispatcher.tick() == 0 else 0
    """
)


def start_worker(database_url: str, fake: FakeSlack, now: str, *, die: bool = False):
    return subprocess.Popen(
        [sys.executable, "-c", WORKER, database_url, fake.base_url, now, "yes" if die else "no"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def run_workers(database_url: str, fake: FakeSlack, now: datetime, count: int = 3) -> None:
    """`count` workers side by side at `now`, each until nothing is left it can claim."""
    workers = [start_worker(database_url, fake, now.isoformat()) for _ in range(count)]
    for worker in workers:
        output, _ = worker.communicate(timeout=240)
        assert worker.returncode == 0, output.decode()[-2000:]


def weekly_pairs(
    db: Session,
    count: int,
    *,
    zone: str,
    first_date: date,
    time_of_day: time,
    next_run_at: datetime,
) -> None:
    """`count` employees (UEMP0000...), each with a weekly schedule to their own manager
    (UMGR0000...) in `zone`, next due at `next_run_at`. Their Slack users are the caller's."""
    workspace = Workspace(team_id="T0001")
    db.add(workspace)
    db.flush()
    for n in range(count):
        employee = Person(workspace_id=workspace.id, slack_user_id=f"UEMP{n:04d}", tz="UTC")
        manager = Person(workspace_id=workspace.id, slack_user_id=f"UMGR{n:04d}", tz=zone)
        db.add_all([employee, manager])
        db.flush()
        db.add(
            FeedbackSchedule(
                workspace_id=workspace.id,
                employee_id=employee.id,
                manager_id=manager.id,
                tz=zone,
                first_date=first_date,
                time_of_day=time_of_day,
                repeat="weekly",
                end_kind="after_count",
                end_count=10,
                questions=["Am I on the right track?"],
                status="active",
                next_run_at=next_run_at,
            )
        )
    db.commit()


def request_posts(fake: FakeSlack) -> Counter[int]:
    """chat.postMessage calls of feedback requests (not notes or reminders), by request id."""
    return Counter(
        int(payload["feedback_request_id"])
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200
        and call.response.get("ok")
        and "feedback_request_id"
        in (payload := (call.args.get("metadata") or {}).get("event_payload") or {})
    )
