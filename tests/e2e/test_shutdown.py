"""SIGTERM mid-burst, to `secondchance run` as an operator (or an orchestrator) sends it: the
listener still running after its ack finishes, what was claimed and not yet sent goes back to
the database at once (not after its lease), and the next process sends the rest: nothing due is
lost, nothing is sent twice."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.dispatch import seed
from models import DueWork, FeedbackRequest
from slacksim.fakeslack import FakeSlack
from slacksim.fakeslack.driver import SlackDriver
from tests.conftest import EMPLOYEE, SIGNING_SECRET, TEAM_ID
from tests.e2e.test_run_command import _free_port
from tests.support.app_process import start_app, stop_app

REQUESTS = 120
# 20 messages a second for the workspace: the burst takes ~6 s.
PACE = {"SLACK_WORKSPACE_MESSAGES_PER_SECOND": "20"}


def posted(fake: FakeSlack) -> Counter[int]:
    return Counter(
        call.args["metadata"]["event_payload"]["feedback_request_id"]
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200
        and "feedback_request_id" in ((call.args.get("metadata") or {}).get("event_payload") or {})
    )


def test_sigterm_mid_burst_finishes_the_listener_gives_back_the_rest_and_loses_nothing(
    tmp_path: Path, fake_slack: FakeSlack, database_url: str, db: Session
) -> None:
    # The real process runs on the real clock: the burst falls due now.
    seed(database_url, fake_slack, requests=REQUESTS, managers=REQUESTS, due=datetime.now(UTC))
    port = _free_port()
    first = start_app(tmp_path, fake_slack, database_url, port, **PACE)
    slack = SlackDriver(
        fake_slack,
        app_url=f"http://127.0.0.1:{port}",
        signing_secret=SIGNING_SECRET,
        team_id=TEAM_ID,
    )
    try:
        slack.wait_for(lambda: sum(posted(fake_slack).values()) >= 20, timeout=60, what="a burst")
        # Slack slows down; a person opens the App Home: acked at once, its listener (users.info,
        # then views.publish) still at work when the SIGTERM comes.
        fake_slack.latency_seconds = 0.3
        assert slack.open_home(EMPLOYEE).status == 200
    finally:
        signalled, stopped_at = time.time(), time.monotonic()
        stop_app(first)
    assert time.monotonic() - stopped_at < 25
    # The listener finished: the home was published after the signal, before the process ended.
    published = fake_slack.calls_to("views.publish")
    assert len(published) == 1 and published[0].status == 200 and published[0].at > signalled
    assert fake_slack.home(EMPLOYEE)
    sent_by_first = posted(fake_slack)
    assert 20 <= sum(sent_by_first.values()) < REQUESTS, "the burst ended before the SIGTERM"

    db.expire_all()
    requests = {r.id: r for r in db.scalars(select(FeedbackRequest))}
    assert len(requests) == REQUESTS
    # Everything sent was recorded as sent; everything else is free to claim at once.
    assert {rid for rid, r in requests.items() if r.status == "sent"} == set(sent_by_first)
    pending = list(db.scalars(select(DueWork).where(DueWork.status == "pending")))
    assert pending and all(w.lease_owner is None and w.lease_until is None for w in pending)

    fake_slack.latency_seconds = 0.0
    second = start_app(tmp_path, fake_slack, database_url, _free_port(), **PACE)
    try:
        slack.wait_for(
            lambda: set(posted(fake_slack)) == set(requests),
            timeout=60,
            what="the rest of the burst, sent by the next process",
        )
        time.sleep(1.5)  # a duplicate would show up now
    finally:
        stop_app(second)
    assert set(posted(fake_slack).values()) == {1}
