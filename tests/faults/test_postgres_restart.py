"""PostgreSQL restarted mid-run: the app recovers by itself, and nothing due is lost.

Restarting the server breaks every other client of it, so this runs only when asked:
SC_FAULT_PG_RESTART=1 with TEST_DATABASE_URL pointing at a local cluster that
`pg_ctlcluster` controls (CI sets both).
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import FeedbackRequest
from tests.conftest import EMPLOYEE, PG_URL, RunningApp
from tests.support.feedback import home_with_request_now, request_dms

pytestmark = [
    pytest.mark.faults,
    pytest.mark.postgres,
    pytest.mark.serial,  # no other test may use PostgreSQL meanwhile
    pytest.mark.skipif(
        not PG_URL or os.environ.get("SC_FAULT_PG_RESTART") != "1",
        reason="restarts PostgreSQL: set SC_FAULT_PG_RESTART=1 and TEST_DATABASE_URL",
    ),
]


def restart_postgres() -> None:
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir())
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )


def healthz(url: str) -> int:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=5) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return 0


def test_the_app_recovers_from_a_postgres_restart_and_loses_nothing(
    running_app: RunningApp, db: Session
) -> None:
    app = running_app
    home_with_request_now(app)
    app.slack.click_in_view(EMPLOYEE, "feedback_request_now", home=True)
    app.slack.wait_for(
        lambda: db.scalar(select(FeedbackRequest.id)) is not None, what="the request to be saved"
    )
    db.rollback()  # the test's own session holds no transaction across the restart

    # Traffic keeps coming while the database goes away and comes back.
    stop = threading.Event()
    statuses: list[int] = []

    def traffic() -> None:
        while not stop.is_set():
            statuses.append(app.slack.command(EMPLOYEE, "help").status)
            app.tick()  # the scheduler keeps ticking too; a failed tick must not raise
            time.sleep(0.05)

    worker = threading.Thread(target=traffic, daemon=True)
    worker.start()
    restart_postgres()
    deadline = time.monotonic() + 30
    while healthz(app.url) != 200:
        assert time.monotonic() < deadline, "the app did not recover by itself"
        time.sleep(0.2)
    recovered_in = 30 - (deadline - time.monotonic())
    stop.set()
    worker.join(timeout=30)
    assert statuses and all(s < 500 for s in statuses), statuses

    # The app works as before, without a restart of its own: a command, the home, the schedule.
    app.fake.close_views(EMPLOYEE)
    assert app.slack.command(EMPLOYEE, "").status == 200
    app.slack.wait_for(lambda: app.fake.view_stack(EMPLOYEE), what="the journey after the restart")
    # A send that failed during the outage is retried once its lease (2 minutes) or back-off
    # has passed: time moves on, as it would.
    app.clock.advance(timedelta(minutes=3))
    app.slack.wait_for(lambda: app.tick() or request_dms(app), what="the request sent after it")
    app.tick()
    assert len(request_dms(app)) == 1  # sent once: not lost, not doubled
    db.rollback()
    assert db.scalar(select(FeedbackRequest.status)) == "sent"
    print(json.dumps({"recovered_in_seconds": round(recovered_in, 2), "requests": len(statuses)}))
