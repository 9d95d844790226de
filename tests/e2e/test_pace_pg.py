"""Several processes on one PostgreSQL keep one workspace's rate together: each at the full
SLACK_WORKSPACE_MESSAGES_PER_SECOND, and together no faster than it (the fake Slack answers 429
past it), and each channel's ~1/s is kept across processes too."""

from __future__ import annotations

import bisect
import subprocess
import sys
import textwrap
import threading
import time

import pytest
from sqlalchemy.orm import Session

from models.db import make_engine
from slackapp.jobs.rate_limit import SharedRateLimiter
from slacksim.fakeslack import FakeSlack
from tests.conftest import PG_URL, START
from tests.e2e.test_workers_pg import make_schedules
from tests.support.pg_workers import ROOT, request_posts

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL pointing at PostgreSQL"),
]

RATE = 20.0

# One worker process sending at the workspace's full rate, its pace kept in PostgreSQL; it
# ticks until nothing due is left pending, then says how many it sent.
PACED_WORKER = textwrap.dedent(
    """
    import sys
    import time
    from datetime import datetime
    from slack_sdk import WebClient
    from sqlalchemy import func, select
    from models import DueWork
    from models.db import make_engine, make_session_factory
    from slackapp.kernel.clock import ManualClock
    from slackapp.jobs.dispatcher import Dispatcher, SharedRateLimiter

    url, base_url, now, rate = sys.argv[1:5]
    engine = make_engine(url)
    dispatcher = Dispatcher(
        session_factory=make_session_factory(engine),
        client_for_workspace=lambda _id: WebClient(
            token="xoxb-fake", base_url=base_url, retry_handlers=[]
        ),
        clock=ManualClock(datetime.fromisoformat(now)),
        rate_limiter=SharedRateLimiter(engine, workspace_per_second=float(rate)),
        workers=4,
        batch_size=10,
    )
    factory = make_session_factory(engine)
    clock_now = datetime.fromisoformat(now)
    sent, deadline = 0, time.monotonic() + 120
    # Until nothing due is left pending anywhere: a tick that sent nothing only waited its turn.
    while time.monotonic() < deadline:
        sent += dispatcher.tick()
        with factory() as session:
            left = session.scalar(
                select(func.count())
                .select_from(DueWork)
                .where(DueWork.status == "pending", DueWork.due_at <= clock_now)
            )
        if not left:
            break
        time.sleep(0.02)
    print(sent)
    """
)


@pytest.mark.serial  # three processes against the wall clock: not beside other workers
def test_three_processes_at_the_full_rate_keep_it_together(
    db: Session, database_url: str, fake_slack: FakeSlack
) -> None:
    count = 90
    make_schedules(db, fake_slack, count)
    fake_slack.workspace_per_second = RATE
    args = [database_url, fake_slack.base_url, START.isoformat(), str(RATE)]
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", PACED_WORKER, *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    sent = []
    for worker in workers:
        output, errors = worker.communicate(timeout=240)
        assert worker.returncode == 0, errors.decode()[-2000:]
        sent.append(int(output.decode().split()[-1]))
    # Each sent once between them (how they split it is the claims' business: one may take it
    # all); that two processes never share a slot is test_slots_taken_at_once_... below.
    assert sum(sent) == count, sent
    posted = request_posts(fake_slack)
    assert len(posted) == count and set(posted.values()) == {1}
    posts = fake_slack.calls_to("chat.postMessage")
    assert not [c for c in posts if c.status == 429]
    times = sorted(c.at for c in posts if c.status == 200)
    # The fake allows a burst of RATE at first; past it, no faster than RATE together.
    assert (count - 1 - RATE) / (times[-1] - times[0]) <= RATE


def test_a_busy_channel_is_busy_for_every_process(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        one, other = (SharedRateLimiter(e, per_channel_seconds=1.0) for e in engines)
        assert one.take_channel("UMANAGER", workspace_id=1) == 0.0
        wait = other.take_channel("UMANAGER", workspace_id=1)
        assert 0.5 < wait <= 1.0
        assert other.take_channel("UMANAGER", workspace_id=2) == 0.0  # another workspace's
        other.back_off("UOTHER", 5.0, workspace_id=1)  # a 429 with Retry-After: 5
        assert 4.0 < one.take_channel("UOTHER", workspace_id=1) <= 5.0
    finally:
        for engine in engines:
            engine.dispose()


def test_slots_taken_at_once_by_two_processes_never_overlap(database_url: str) -> None:
    engines = [make_engine(database_url) for _ in range(2)]
    rate = 50.0
    booked: list[float] = []
    lock = threading.Lock()

    def book(limiter: SharedRateLimiter) -> None:
        for _ in range(48):
            slot = limiter.workspace_slot(7)
            with lock:
                booked.append(slot)

    try:
        limiters = [SharedRateLimiter(e, workspace_per_second=rate) for e in engines]
        threads = [threading.Thread(target=book, args=(limiter,)) for limiter in limiters * 2]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        for engine in engines:
            engine.dispose()
    booked.sort()
    assert len(booked) == 4 * 4 * 12
    # One slot per 1/rate seconds, whoever took it: in any second, no more than the rate (give
    # or take the few milliseconds each process takes to read the database's clock).
    in_a_second = max(bisect.bisect_left(booked, b + 1.0) - i for i, b in enumerate(booked))
    assert in_a_second <= rate + 2
    assert booked[-1] - started >= (len(booked) - 1) / rate - 0.1
