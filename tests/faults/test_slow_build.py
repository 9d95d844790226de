"""Building a message can take long (Slack's retries while the dispatcher reads the manager's
status): a worker whose lease ran out meanwhile does not post, since the worker that took the
work over may be posting it too (the soak run found one duplicate so); one with half its lease
left renews it and posts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DueWork, FeedbackRequest
from slackapp.jobs import feedback as feedback_jobs
from slackapp.kernel import due_work
from tests.conftest import START, RunningApp
from tests.faults.support import request_posts, seed_schedules

pytestmark = pytest.mark.faults


def slow_build(monkeypatch: pytest.MonkeyPatch, app: RunningApp, *, takes: timedelta,
               taken_over: bool = False) -> None:  # fmt: skip
    """Reading the manager's status takes `takes` of the app's clock (and, with `taken_over`,
    another worker claims the work meanwhile, its lease having run out)."""
    real = feedback_jobs.away_now

    def away_now(ctx: Any, person: Any) -> Any:
        app.clock.advance(takes)
        if taken_over:
            with app.runtime.session_factory() as other:
                _, ids = due_work.claim(
                    other, now=app.clock.now(), lease=timedelta(minutes=2), limit=5
                )
                assert ids == [ctx.work.id]
        monkeypatch.setattr(feedback_jobs, "away_now", real)  # once
        return real(ctx, person)

    monkeypatch.setattr(feedback_jobs, "away_now", away_now)


def test_a_lease_that_ran_out_while_building_is_not_posted_on(
    running_app: RunningApp, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = running_app
    seed_schedules(db, app.fake, 1, due=START)
    slow_build(monkeypatch, app, takes=timedelta(minutes=3), taken_over=True)
    app.tick()
    assert not request_posts(app.fake)  # the other worker has it now
    app.clock.advance(timedelta(minutes=3))  # and died: its lease runs out too
    app.tick()
    assert request_posts(app.fake) == {db.scalar(select(FeedbackRequest.id)): 1}
    db.expire_all()
    assert db.scalar(select(FeedbackRequest.status)) == "sent"


def test_half_a_lease_left_is_renewed_and_posted_once(
    running_app: RunningApp, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = running_app
    seed_schedules(db, app.fake, 1, due=START)
    slow_build(monkeypatch, app, takes=timedelta(seconds=90))
    app.tick()
    assert list(request_posts(app.fake).values()) == [1]
    db.expire_all()
    work = db.scalar(select(DueWork).where(DueWork.kind == "feedback_request"))
    assert work is not None and work.status == "done" and work.attempts == 1
