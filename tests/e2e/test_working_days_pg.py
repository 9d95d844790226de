"""Several worker processes on one PostgreSQL agree on every held and moved feedback request:
each is sent exactly once, at the manager's first working morning back or on the working day
after a public holiday."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import FeedbackRequest, FeedbackSchedule
from slacksim.fakeslack import FakeSlack
from tests.conftest import PG_URL
from tests.support.pg_workers import request_posts, run_workers, weekly_pairs

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL pointing at PostgreSQL"),
]

# Friday 27 March 2026, 10:00 in Berlin: the weekly send. The next Friday is Good Friday, and
# the Monday after it Easter Monday: that one goes out on Tuesday 7 April, 10:00 (CEST).
FRIDAY = datetime(2026, 3, 27, 9, 0, tzinfo=UTC)
BACK_MONDAY = datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # Monday 09:00 in Berlin (CEST)
GOOD_FRIDAY = datetime(2026, 4, 3, 8, 0, tzinfo=UTC)
MOVED_TUESDAY = datetime(2026, 4, 7, 8, 0, tzinfo=UTC)
AWAY_UNTIL = int(datetime(2026, 3, 29, 18, 0, tzinfo=UTC).timestamp())  # Sunday evening


def make_schedules(db: Session, fake: FakeSlack, count: int) -> None:
    """`count` employees, each with a weekly Friday schedule to their own manager in Berlin; the
    even-numbered managers are on :palm_tree: until Sunday."""
    for n in range(count):
        manager_id = f"UMGR{n:04d}"
        fake.add_user(manager_id, name=f"manager{n}", tz="Europe/Berlin")
        if n % 2 == 0:
            fake.set_user(manager_id, status_emoji=":palm_tree:", status_expiration=AWAY_UNTIL)
        fake.add_user(f"UEMP{n:04d}", name=f"employee{n}", tz="Europe/Berlin")
    weekly_pairs(
        db,
        count,
        zone="Europe/Berlin",
        first_date=date(2026, 3, 27),
        time_of_day=time(10, 0),
        next_run_at=FRIDAY,
    )


def asked(fake: FakeSlack) -> Counter[str]:
    """Feedback requests posted, by manager."""
    return Counter(
        str(call.args["channel"])
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200
        and "feedback_request_id" in ((call.args.get("metadata") or {}).get("event_payload") or {})
    )


def posts_to(fake: FakeSlack, prefix: str, words: str) -> Counter[str]:
    return Counter(
        str(call.args["channel"])
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200
        and str(call.args.get("channel", "")).startswith(prefix)
        and words in str(call.args.get("text", ""))
    )


def test_several_workers_hold_and_move_each_request_exactly_once(
    db: Session, database_url: str, fake_slack: FakeSlack
) -> None:
    count = 40
    make_schedules(db, fake_slack, count)
    away = {f"UMGR{n:04d}" for n in range(0, count, 2)}

    run_workers(database_url, fake_slack, FRIDAY)
    assert set(asked(fake_slack)) == {f"UMGR{n:04d}" for n in range(count)} - away
    told = posts_to(fake_slack, "UEMP", "is away until Mon 30 Mar")
    assert set(told) == {f"UEMP{n:04d}" for n in range(0, count, 2)}
    assert set(told.values()) == {1}  # each employee told once
    db.expire_all()
    schedules = list(db.scalars(select(FeedbackSchedule)))
    # Every worker agreed on the move past Good Friday and Easter Monday.
    assert {s.next_run_at for s in schedules} == {MOVED_TUESDAY}
    assert {s.moved_from for s in schedules} == {GOOD_FRIDAY}

    run_workers(database_url, fake_slack, BACK_MONDAY)
    assert set(asked(fake_slack)) == {f"UMGR{n:04d}" for n in range(count)}
    run_workers(database_url, fake_slack, GOOD_FRIDAY)
    run_workers(database_url, fake_slack, MOVED_TUESDAY)

    posted = request_posts(fake_slack)
    db.expire_all()
    requests = list(db.scalars(select(FeedbackRequest)))
    assert len(requests) == 2 * count  # the Friday one and the moved one, per schedule
    assert set(posted) == {r.id for r in requests}
    assert set(posted.values()) == {1}  # exactly one chat.postMessage per request
    assert {r.due_at for r in requests} == {FRIDAY, MOVED_TUESDAY}
    held = [r for r in requests if r.held_until is not None]
    assert len(held) == count // 2 and {r.sent_at for r in held} == {BACK_MONDAY}
    assert Counter(asked(fake_slack).values()) == {2: count}
