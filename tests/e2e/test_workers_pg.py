"""Several worker processes on one PostgreSQL: each feedback request reaches the manager once,
and a worker killed between sending and recording causes neither a duplicate nor a loss."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DueWork, FeedbackRequest
from slacksim.fakeslack import FakeSlack
from tests.conftest import PG_URL, START
from tests.support.pg_workers import request_posts, run_workers, start_worker, weekly_pairs

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL pointing at PostgreSQL"),
]


def make_schedules(db: Session, fake: FakeSlack, count: int) -> None:
    """`count` employees, each with a weekly schedule to their own manager, due now."""
    for n in range(count):
        fake.add_user(f"UMGR{n:04d}", name=f"manager{n}", tz="America/New_York")
    weekly_pairs(
        db,
        count,
        zone="UTC",
        first_date=date(2026, 3, 2),
        time_of_day=time(7, 30),
        next_run_at=START - timedelta(minutes=30),
    )


def test_several_workers_send_each_occurrence_exactly_once(
    db: Session, database_url: str, fake_slack: FakeSlack
) -> None:
    count = 300
    make_schedules(db, fake_slack, count)
    run_workers(database_url, fake_slack, START, count=4)
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
