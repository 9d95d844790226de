"""The dispatcher against the fake Slack: pace, Retry-After, a failing channel, throughput, and a
worker that dies between sending and recording."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from itertools import pairwise
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import DueWork, Workspace
from slackapp.jobs.dispatcher import Dispatcher, RateLimiter
from slackapp.jobs.handlers import HANDLERS
from slackapp.jobs.registry import Delivery, JobContext
from slackapp.kernel import due_work
from slackapp.kernel.clock import ManualClock
from slacksim.fakeslack import FakeSlack

KIND = "test_ping"


class Killed(BaseException):
    """The process died: nothing after it runs, nothing is rolled back politely."""


@pytest.fixture(autouse=True)
def ping_handler() -> Iterator[None]:
    def ping(ctx: JobContext) -> Delivery:
        return Delivery(user_id=f"U{ctx.work.subject_id:04d}", text=f"ping {ctx.work.subject_id}")

    HANDLERS[KIND] = ping
    yield
    HANDLERS.pop(KIND, None)


def add_work(db: Session, fake: FakeSlack, clock: ManualClock, subjects: list[int]) -> int:
    workspace = db.scalar(select(Workspace)) or Workspace(team_id="T0001")
    db.add(workspace)
    db.flush()
    for subject in subjects:
        if f"U{subject:04d}" not in fake.users:
            fake.add_user(f"U{subject:04d}", name=f"user{subject}", tz="UTC")
        due_work.schedule(
            db, workspace_id=workspace.id, kind=KIND, subject_id=subject, due_at=clock.now()
        )
    db.commit()
    return workspace.id


def dispatcher(
    session_factory: sessionmaker[Session],
    fake: FakeSlack,
    clock: ManualClock,
    *,
    client: WebClient | None = None,
    per_channel: float = 0.0,
    rate: float = 1000.0,
) -> Dispatcher:
    client = client or WebClient(token="xoxb-fake", base_url=fake.base_url)
    return Dispatcher(
        session_factory=session_factory,
        client_for_workspace=lambda _id: client,
        clock=clock,
        rate_limiter=RateLimiter(per_channel_seconds=per_channel, workspace_per_second=rate),
    )


def posts(fake: FakeSlack) -> list[Any]:
    return [c for c in fake.calls_to("chat.postMessage") if c.status == 200]


def test_each_piece_of_work_is_sent_once(db, session_factory, fake_slack, clock) -> None:
    add_work(db, fake_slack, clock, list(range(30)))
    d = dispatcher(session_factory, fake_slack, clock)
    assert d.tick() == 30
    assert d.tick() == 0
    assert sorted(c.args["text"] for c in posts(fake_slack)) == sorted(
        f"ping {n}" for n in range(30)
    )
    db.expire_all()
    assert {w.status for w in db.scalars(select(DueWork))} == {"done"}


def test_two_dispatchers_at_once_still_send_once(db, session_factory, fake_slack, clock) -> None:
    add_work(db, fake_slack, clock, list(range(60)))
    first = dispatcher(session_factory, fake_slack, clock)
    second = dispatcher(session_factory, fake_slack, clock)
    threads = [threading.Thread(target=d.tick) for d in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    texts = [c.args["text"] for c in posts(fake_slack)]
    assert sorted(texts) == sorted(f"ping {n}" for n in range(60))


@pytest.mark.serial  # measures the wall clock: not beside other workers
def test_about_one_message_a_second_per_channel(db, session_factory, fake_slack, clock) -> None:
    workspace_id = add_work(db, fake_slack, clock, [7])
    # Three messages to the same person (one channel), due together.
    for minutes in (1, 2):
        due_work.schedule(
            db,
            workspace_id=workspace_id,
            kind="test_ping",
            subject_id=7,
            due_at=clock.now() - timedelta(minutes=minutes),
        )
    db.commit()
    d = dispatcher(session_factory, fake_slack, clock, per_channel=0.5)
    assert d.tick() == 3
    times = [c.at for c in posts(fake_slack)]
    assert [round(b - a, 1) >= 0.5 for a, b in pairwise(times)] == [True, True]


@pytest.mark.serial  # measures the wall clock: not beside other workers
def test_retry_after_is_honoured_and_a_failing_channel_holds_up_nobody(
    db, session_factory, fake_slack, clock
) -> None:
    add_work(db, fake_slack, clock, [1, 2, 3])
    fake_slack.fail_next("chat.postMessage", status=429, retry_after=1)
    d = dispatcher(session_factory, fake_slack, clock)
    started = time.monotonic()
    assert d.tick() == 3
    calls = fake_slack.calls_to("chat.postMessage")
    assert [c.status for c in calls].count(429) == 1
    throttled = calls[0].args["channel"]
    others = [c for c in posts(fake_slack) if c.args["channel"] != throttled]
    retried = [c for c in posts(fake_slack) if c.args["channel"] == throttled]
    assert len(others) == 2 and len(retried) == 1
    # The others went at once; the throttled channel waited its Retry-After.
    assert all(c.at - calls[0].at < 0.5 for c in others)
    assert retried[0].at - calls[0].at >= 0.95
    assert time.monotonic() - started < 5


def test_a_server_error_is_retried_later_not_lost(db, session_factory, fake_slack, clock) -> None:
    add_work(db, fake_slack, clock, [1])
    fake_slack.fail_next("chat.postMessage", status=500)
    d = dispatcher(session_factory, fake_slack, clock)
    assert d.tick() == 0
    clock.advance(timedelta(seconds=6))
    assert d.tick() == 1
    assert len(posts(fake_slack)) == 1


def test_a_worker_killed_between_send_and_record_causes_no_duplicate_and_no_loss(
    db, session_factory, fake_slack, clock
) -> None:
    add_work(db, fake_slack, clock, [1, 2, 3])

    class DiesAfterSending(WebClient):
        def chat_postMessage(self, **kwargs: Any) -> Any:  # noqa: N802
            response = super().chat_postMessage(**kwargs)
            raise Killed("the process died before recording the send")
            return response  # pragma: no cover

    dying = DiesAfterSending(token="xoxb-fake", base_url=fake_slack.base_url, retry_handlers=[])
    d = dispatcher(session_factory, fake_slack, clock, client=dying)
    d.workers = 1
    with pytest.raises(Killed):
        d.tick()
    sent_before = len(posts(fake_slack))
    assert sent_before >= 1
    # Before the lease runs out nobody touches the work ...
    survivor = dispatcher(session_factory, fake_slack, clock)
    assert survivor.tick() == 0
    # ... after it, the next worker finds what was sent in the DM history and sends the rest.
    clock.advance(timedelta(minutes=3))
    assert survivor.tick() == 3
    texts = sorted(c.args["text"] for c in posts(fake_slack))
    assert texts == ["ping 1", "ping 2", "ping 3"]
    assert fake_slack.calls_to("conversations.history")
    db.expire_all()
    works = list(db.scalars(select(DueWork)))
    assert {w.status for w in works} == {"done"} and all(w.ts for w in works)


@pytest.mark.serial  # measures the wall clock: not beside other workers
def test_throughput_is_bounded_by_the_workspace_rate_not_by_latency(
    db, session_factory, fake_slack, clock
) -> None:
    count, cap = 200, 100.0
    add_work(db, fake_slack, clock, list(range(count)))
    fake_slack.latency_seconds = 0.05
    fake_slack.workspace_per_second = cap
    d = dispatcher(session_factory, fake_slack, clock, per_channel=1.0, rate=cap)
    assert d.tick() == count
    calls = fake_slack.calls_to("chat.postMessage")
    ok = posts(fake_slack)
    assert len(ok) == count and len({c.args["text"] for c in ok}) == count
    assert (len(calls) - len(ok)) <= count * 0.01  # at most 1% answered 429
    elapsed = max(c.at for c in ok) - min(c.at for c in ok)
    # ~100/s on a quiet machine (and in the benchmark); a margin for a busy CI runner. Sending
    # one at a time with 50 ms latency would be 20/s.
    assert count / elapsed >= 0.7 * cap


def test_a_chore_runs_once_may_delete_its_own_row_and_keeps_nothing_when_it_fails(
    db, session_factory, fake_slack, clock
) -> None:
    from sqlalchemy import delete

    from slackapp.jobs.handlers import CHORES

    runs: list[int] = []

    def sweep(ctx: JobContext) -> None:
        runs.append(ctx.work.subject_id)
        ctx.session.execute(delete(DueWork).where(DueWork.id == ctx.work.id))
        if ctx.work.subject_id == 2:
            raise RuntimeError("half done")

    CHORES["test_sweep"] = sweep
    try:
        workspace = Workspace(team_id="T0001")
        db.add(workspace)
        db.flush()
        for subject in (1, 2):
            due_work.schedule(
                db,
                workspace_id=workspace.id,
                kind="test_sweep",
                subject_id=subject,
                due_at=clock.now(),
            )
        db.commit()
        worker = dispatcher(session_factory, fake_slack, clock)
        worker.tick()
        worker.tick()
        db.expire_all()
        left = {w.subject_id: (w.status, w.last_error) for w in db.scalars(select(DueWork))}
        assert sorted(runs) == [1, 2]  # once each in these two ticks: the failure waits its turn
        assert left == {2: ("pending", "dispatch error")}  # its delete was rolled back
        assert fake_slack.calls == []  # a chore sends nothing
    finally:
        CHORES.pop("test_sweep", None)
