"""Several worker processes on one PostgreSQL: each feedback request reaches the manager once,
and a worker killed between sending and recording causes neither a duplicate nor a loss."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections import Counter
from datetime import date, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DueWork, FeedbackRequest, FeedbackSchedule, Person, Workspace
from slacksim.fakeslack import FakeSlack
from tests.conftest import PG_URL, START

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL pointing at PostgreSQL"),
]

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


def make_schedules(db: Session, fake: FakeSlack, count: int) -> None:
    """`count` employees, each with a weekly schedule to their own manager, due now."""
    workspace = Workspace(team_id="T0001")
    db.add(workspace)
    db.flush()
    for n in range(count):
        manager_id = f"UMGR{n:04d}"
        fake.add_user(manager_id, name=f"manager{n}", tz="America/New_York")
        employee = Person(workspace_id=workspace.id, slack_user_id=f"UEMP{n:04d}", tz="UTC")
        manager = Person(workspace_id=workspace.id, slack_user_id=manager_id, tz="UTC")
        db.add_all([employee, manager])
        db.flush()
        db.add(
            FeedbackSchedule(
                workspace_id=workspace.id,
                employee_id=employee.id,
                manager_id=manager.id,
                tz="UTC",
                first_date=date(2026, 3, 2),
                time_of_day=time(7, 30),
                repeat="weekly",
                end_kind="after_count",
                end_count=10,
                questions=["Am I on the right track?"],
                status="active",
                next_run_at=START - timedelta(minutes=30),
            )
        )
    db.commit()


def request_posts(fake: FakeSlack) -> Counter[int]:
    return Counter(
        call.args["metadata"]["event_payload"]["feedback_request_id"]
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200 and call.response.get("ok")
    )


def test_several_workers_send_each_occurrence_exactly_once(
    db: Session, database_url: str, fake_slack: FakeSlack
) -> None:
    count = 300
    make_schedules(db, fake_slack, count)
    workers = [start_worker(database_url, fake_slack, START.isoformat()) for _ in range(4)]
    for worker in workers:
        output, _ = worker.communicate(timeout=240)
        assert worker.returncode == 0, output.decode()[-2000:]
    posted = request_posts(fake_slack)
    db.expire_all()
    requests = list(db.scalars(select(FeedbackRequest)))
    assert len(requests) == count  # one occurrence per schedule and due time
    assert set(posted) == {r.id for r in requests}
    assert set(posted.values()) == {1}  # exactly one chat.postMessage per occurrence
    assert {r.status for r in requests} == {"sent"} and all(r.ts for r in requests)


def test_a_worker_killed_between_send_and_record_duplicates_and_loses_nothing(
    db: Session, database_url: str, fake_slack: FakeSlack
) -> None:
    count = 20
    make_schedules(db, fake_slack, count)
    dying = start_worker(database_url, fake_slack, START.isoformat(), die=True)
    dying.communicate(timeout=120)
    assert dying.returncode == 9
    assert sum(request_posts(fake_slack).values()) >= 1
    db.expire_all()
    # The sent one is still pending in the database, under the dead worker's lease.
    assert db.scalar(select(DueWork).where(DueWork.lease_owner.is_not(None))) is not None
    later = (START + timedelta(minutes=5)).isoformat()  # after the lease expired
    survivors = [start_worker(database_url, fake_slack, later) for _ in range(2)]
    for worker in survivors:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output.decode()[-2000:]
    posted = request_posts(fake_slack)
    db.expire_all()
    requests = list(db.scalars(select(FeedbackRequest)))
    assert len(requests) == count
    assert set(posted) == {r.id for r in requests}
    assert set(posted.values()) == {1}
    assert {r.status for r in requests} == {"sent"}
    assert fake_slack.calls_to("conversations.history")
