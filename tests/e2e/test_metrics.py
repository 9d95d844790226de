"""GET /metrics (METRICS_ENABLED=true): Prometheus text, scraped while the app works; the counters
move, and no label or value holds a user id, the team or anything typed."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from slacksim.fakeslack import FakeSlack
from slacksim.fakeslack.driver import SlackDriver
from tests.conftest import EMPLOYEE, MANAGER, SIGNING_SECRET, TEAM_ID, RunningApp
from tests.e2e.test_run_command import _free_port
from tests.support.app_process import start_app, stop_app
from tests.support.feedback import request_dms, set_up_schedule

# Tuesday 3 March 2026, 09:00 in New York: the schedule's first request falls due.
FIRST_SEND = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape_text(url: str) -> str:
    with urllib.request.urlopen(url + "/metrics", timeout=10) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        return str(response.read().decode())


def samples(text: str) -> Samples:
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(found: Samples, name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def with_metrics(app: RunningApp) -> None:
    app.runtime.settings = dataclasses.replace(app.runtime.settings, metrics_enabled=True)


def test_metrics_are_served_only_when_enabled(running_app: RunningApp) -> None:
    try:
        urllib.request.urlopen(running_app.url + "/metrics", timeout=10)
        raise AssertionError("/metrics answered with metrics off")
    except urllib.error.HTTPError as error:
        assert error.code == 404
    with_metrics(running_app)
    assert "secondchance_due_work_backlog" in scrape_text(running_app.url)


def test_the_counters_move_during_a_run_and_name_no_one(running_app: RunningApp) -> None:
    app = running_app
    with_metrics(app)
    before = samples(scrape_text(app.url))

    set_up_schedule(app)  # a command, actions, a view submission, with their Slack calls
    app.clock.set(FIRST_SEND + timedelta(seconds=30))
    # Slack fails the feedback request's first try (500): it waits in the database, due.
    app.fake.fail_next("chat.postMessage", status=500)
    app.tick()
    assert request_dms(app) == []
    while_due = samples(scrape_text(app.url))
    assert value(while_due, "secondchance_due_work_backlog") == 1
    assert value(while_due, "secondchance_due_work_oldest_age_seconds") == 30
    # The second try is told to wait a second (429), then goes out.
    app.fake.fail_next("chat.postMessage", status=429, retry_after=1)
    app.clock.advance(timedelta(seconds=10))
    app.tick()
    assert len(request_dms(app)) == 1
    text = scrape_text(app.url)
    after = samples(text)

    assert moved(before, after, "secondchance_requests_total", kind="command", outcome="ok") >= 1
    assert moved(before, after, "secondchance_requests_total", kind="action", outcome="ok") >= 2
    assert (
        moved(before, after, "secondchance_requests_total", kind="view_submission", outcome="ok")
        == 1
    )
    assert moved(before, after, "secondchance_ack_seconds_count", kind="command") >= 1
    assert moved(before, after, "secondchance_ack_seconds_bucket", kind="command", le="3.0") >= 1
    views_open = {"method": "views.open", "outcome": "ok"}
    assert moved(before, after, "secondchance_slack_api_calls_total", **views_open) >= 1
    posted = {"method": "chat.postMessage"}
    assert (
        moved(before, after, "secondchance_slack_api_calls_total", **posted, outcome="ratelimited")
        == 1
    )
    assert moved(before, after, "secondchance_slack_api_calls_total", **posted, outcome="ok") >= 1
    assert (
        moved(before, after, "secondchance_slack_api_calls_total", **posted, outcome="server_error")
        == 1
    )
    request = {"kind": "feedback_request"}
    assert moved(before, after, "secondchance_due_work_total", **request, outcome="claimed") == 2
    assert moved(before, after, "secondchance_due_work_total", **request, outcome="retried") == 1
    assert moved(before, after, "secondchance_due_work_total", **request, outcome="sent") == 1
    assert moved(before, after, "secondchance_due_work_lag_seconds_count", **request) == 1
    assert moved(before, after, "secondchance_scheduler_tick_seconds_count") >= 1
    assert value(after, "secondchance_due_work_backlog") == 0
    assert value(after, "secondchance_due_work_oldest_age_seconds") == 0

    labels = {v for (_, pairs) in after for _, v in pairs}
    names = ("Emma Employee", "Max Manager", "Acme", "Am I on the right track")
    for who in (EMPLOYEE, MANAGER, TEAM_ID, *names):
        assert who not in text, who
        assert not any(who in label for label in labels), who


# An earlier run's counts, left in the folder: they must not be added to this run's.
STALE_COUNTS = """
import prometheus_client
prometheus_client.Counter("secondchance_requests", "", ["kind", "outcome"]).labels(
    kind="command", outcome="ok"
).inc(1000)
"""


def test_under_gunicorn_every_scrape_adds_up_all_the_workers(
    tmp_path: Path, fake_slack: FakeSlack, database_url: str
) -> None:
    folder = tmp_path / "metrics"
    folder.mkdir()
    subprocess.run(
        [sys.executable, "-c", STALE_COUNTS],
        env={**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)},
        check=True,
    )
    assert list(folder.glob("counter_*.db"))
    port = _free_port()
    process = start_app(
        tmp_path,
        fake_slack,
        database_url,
        port,
        METRICS_ENABLED="true",
        WEB_CONCURRENCY="2",
        PROMETHEUS_MULTIPROC_DIR=str(folder),
    )
    url = f"http://127.0.0.1:{port}"
    try:
        slack = SlackDriver(fake_slack, app_url=url, signing_secret=SIGNING_SECRET, team_id=TEAM_ID)
        for _ in range(6):
            assert slack.command(EMPLOYEE, "help").status == 200
        # Both workers have counted (their own files), and their schedulers have ticked.
        slack.wait_for(
            lambda: len({p.stem.rsplit("_", 1)[1] for p in folder.glob("histogram_*.db")}) >= 2,
            timeout=20,
            what="both workers' counts",
        )
        ticks = "secondchance_scheduler_tick_seconds_count"
        slack.wait_for(
            lambda: value(samples(scrape_text(url)), ticks) >= 4, timeout=20, what="ticks"
        )
        for _ in range(4):  # whichever worker answers, the sums are the same
            found = samples(scrape_text(url))
            assert value(found, "secondchance_requests_total", kind="command", outcome="ok") == 6
            assert value(found, "secondchance_ack_seconds_count", kind="command") == 6
    finally:
        stop_app(process)
