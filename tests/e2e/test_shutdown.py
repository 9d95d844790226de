"""SIGTERM mid-burst, to `secondchance run` as an operator (or an orchestrator) sends it: the
listener still running after its ack finishes, what was claimed and not yet sent goes back to
the database at once (not after its lease), and the next process sends the rest: nothing due is
lost, nothing is sent twice."""

from __future__ import annotations

import os
import signal
import subprocess
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
from tests.e2e.test_run_command import SECONDCHANCE, _free_port, _wait_healthy

REQUESTS = 120
RATE = 20  # messages a second for the workspace: the burst takes ~6 s


def start_app(tmp_path: Path, fake: FakeSlack, database_url: str, port: int) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
    env.update(
        SLACK_BOT_TOKEN=fake.bot_token,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=fake.base_url,
        DATABASE_URL=database_url,
        HOST="127.0.0.1",
        PORT=str(port),
        SCHEDULER_TICK_SECONDS="1",
        SLACK_WORKSPACE_MESSAGES_PER_SECOND=str(RATE),
    )
    process = subprocess.Popen([SECONDCHANCE, "run"], env=env, cwd=tmp_path, stderr=subprocess.PIPE)
    _wait_healthy(f"http://127.0.0.1:{port}", process, timeout=60)
    return process


def stop(process: subprocess.Popen) -> str:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=40)
    finally:
        if process.poll() is None:
            process.kill()
    stderr = process.stderr.read().decode() if process.stderr else ""
    assert process.returncode == 0, stderr[-3000:]
    assert "Traceback" not in stderr, stderr[-3000:]
    return stderr


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
    first = start_app(tmp_path, fake_slack, database_url, port)
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
        stop(first)
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
    second = start_app(tmp_path, fake_slack, database_url, _free_port())
    try:
        slack.wait_for(
            lambda: set(posted(fake_slack)) == set(requests),
            timeout=60,
            what="the rest of the burst, sent by the next process",
        )
        time.sleep(1.5)  # a duplicate would show up now
    finally:
        stop(second)
    assert set(posted(fake_slack).values()) == {1}
