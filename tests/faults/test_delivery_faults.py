"""Feedback requests reach the manager once each, whatever happens: Slack failing one call in
five, a worker killed with SIGKILL mid-burst, three workers on one PostgreSQL with one killed."""

from __future__ import annotations

import collections
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import FeedbackRequest
from slacksim.fakeslack import FakeSlack
from tests.conftest import PG_URL, START, RunningApp
from tests.faults.support import request_posts, seed_schedules

pytestmark = pytest.mark.faults

ROOT = Path(__file__).resolve().parents[2]
SPEED = 60.0  # worker clocks: one real second is one minute, so a 2-minute lease lasts 2 s


def all_sent_once(db: Session, fake: FakeSlack, count: int) -> None:
    posted = request_posts(fake)
    db.expire_all()
    requests = list(db.scalars(select(FeedbackRequest)))
    assert len(requests) == count, "one occurrence per schedule"
    duplicates = {rid: n for rid, n in posted.items() if n > 1}
    lost = {r.id for r in requests} - set(posted)
    assert not duplicates, f"sent more than once: {duplicates}"
    assert not lost, f"never sent: {sorted(lost)[:20]}"
    assert collections.Counter(r.status for r in requests) == {"sent": count}
    assert all(r.ts for r in requests)


def test_one_slack_call_in_five_failing_loses_and_doubles_nothing(
    running_app: RunningApp, db: Session
) -> None:
    app, fake = running_app, running_app.fake
    count = 200
    seed_schedules(db, fake, count, due=START)
    fake.failure_seed = 20260302
    fake.failure_rate = 0.2  # 500, 429 with Retry-After, or a reset connection, in equal parts
    for _ in range(60):
        app.tick()
        db.expire_all()
        if len(request_posts(fake)) == count:
            break
        app.clock.advance(timedelta(minutes=10))  # failed sends are retried after a back-off
    fake.failure_rate = 0.0
    all_sent_once(db, fake, count)
    failed = collections.Counter(c.status for c in fake.calls if c.status != 200)
    assert failed[429] and failed[500] and failed[0], failed  # every kind of failure happened
    assert not [r for r in fake.rejections if r["status"] == 200], "no call was malformed"


def start_worker(database_url: str, fake: FakeSlack, anchor: float) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.faults.worker",
            database_url,
            fake.base_url,
            str(anchor),
            START.isoformat(),
            str(SPEED),
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )


def kill_when(fake: FakeSlack, process: subprocess.Popen[bytes], sent: int) -> None:
    """SIGKILL the worker once `sent` requests have reached Slack: mid-burst, no warning."""
    deadline = time.monotonic() + 60
    while sum(request_posts(fake).values()) < sent:
        assert process.poll() is None, "the worker ended before it could be killed"
        assert time.monotonic() < deadline, "the burst never got going"
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)


def finish(process: subprocess.Popen[bytes]) -> None:
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output.decode(errors="replace")[-3000:]


# The worker processes' clocks run 60 times faster (a lease lasts 2 s of wall clock), so these
# run alone: beside other tests a starved worker could outlive its lease between check and send.
@pytest.mark.serial
def test_a_worker_killed_mid_burst_then_restarted_sends_each_once(
    db: Session, database_url: str, fake_slack: FakeSlack
) -> None:
    count = 1_000
    seed_schedules(db, fake_slack, count, due=START)
    fake_slack.latency_seconds = 0.002  # a burst that takes a few seconds, not a few ms
    anchor = time.time()
    worker = start_worker(database_url, fake_slack, anchor)
    kill_when(fake_slack, worker, sent=300)
    assert worker.returncode == -signal.SIGKILL
    assert sum(request_posts(fake_slack).values()) < count  # it really died mid-burst
    finish(start_worker(database_url, fake_slack, anchor))
    all_sent_once(db, fake_slack, count)


@pytest.mark.serial
@pytest.mark.postgres
@pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL pointing at PostgreSQL")
def test_three_workers_one_killed_send_each_once(
    db: Session, database_url: str, fake_slack: FakeSlack
) -> None:
    count = 600
    seed_schedules(db, fake_slack, count, due=START)
    fake_slack.latency_seconds = 0.002
    anchor = time.time()
    workers = [start_worker(database_url, fake_slack, anchor) for _ in range(3)]
    kill_when(fake_slack, workers[0], sent=150)
    for worker in workers[1:]:
        finish(worker)
    all_sent_once(db, fake_slack, count)
