"""App Home: SQL statements and time to render the home of a busy person.

    .venv/bin/python -m bench.app_home [--database-url postgresql+psycopg://...] [--json out]

The person has 1 plan with 20 steps (their reminders on the clock), a reflection, a feedback
schedule and its weekly history: answered feedback requests, one a week, for 1 month, 1 year
and 2 years (`--weeks 4 52 104`), each in a database of its own. Statements are counted with an SQLAlchemy `before_cursor_execute` hook, for the render
alone (every home section; target <= 10) and for the whole `app_home_opened` event as Slack
delivers it (signed HTTP request, event de-duplication, who is acting, render, views.publish).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import time
from concurrent.futures import Future
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from wsgiref.util import setup_testing_defaults

from sqlalchemy import event, select

from bench.common import SIGNING_SECRET, TEAM_ID, fresh_database, machine, report
from models import (
    Commitment,
    FeedbackAnswer,
    FeedbackRequest,
    FeedbackSchedule,
    Person,
    Plan,
    Reflection,
    Step,
    Workspace,
)
from slackapp.config import Settings
from slackapp.kernel.clock import ManualClock
from slackapp.listeners.home import render_home
from slackapp.runtime import build_runtime
from slackapp.server import make_wsgi_app
from slackapp.services.plan_reminders import sync_reminders
from slacksim.fakeslack import FakeSlack, payloads

NOW = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
EMPLOYEE, MANAGER = "UBUSYEMPLOYEE", "UBUSYMANAGER"


class Inline:
    """Runs Bolt's listeners on the calling thread, so one request is measured from end to end."""

    def submit(self, fn: Any, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as error:  # pragma: no cover - shown in the result, not hidden
            future.set_exception(error)
        return future

    def shutdown(self, wait: bool = True) -> None:
        pass


def seed(session: Any, weeks: int) -> Person:
    workspace = Workspace(team_id=TEAM_ID)
    session.add(workspace)
    session.flush()
    employee = Person(
        workspace_id=workspace.id, slack_user_id=EMPLOYEE, tz="Europe/Berlin", welcomed_at=NOW
    )
    manager = Person(workspace_id=workspace.id, slack_user_id=MANAGER, tz="America/New_York")
    session.add_all([employee, manager])
    session.flush()
    employee.manager_id = manager.id
    plan = Plan(workspace_id=workspace.id, owner_id=employee.id, title="Missed the launch date")
    session.add(plan)
    session.flush()
    for n in range(20):
        session.add(
            Step(
                workspace_id=workspace.id,
                plan_id=plan.id,
                position=n,
                description=f"Corrective step {n + 1}",
                due_date=date(2026, 9, 1) + timedelta(days=n),
                done_at=NOW - timedelta(days=1) if n % 2 else None,
            )
        )
    reflection = Reflection(workspace_id=workspace.id, plan_id=plan.id, root_cause="Rushed.")
    session.add(reflection)
    session.flush()
    for n in range(3):
        session.add(
            Commitment(
                workspace_id=workspace.id,
                reflection_id=reflection.id,
                position=n,
                text=f"Commitment {n + 1}",
            )
        )
    schedule = FeedbackSchedule(
        workspace_id=workspace.id,
        employee_id=employee.id,
        manager_id=manager.id,
        plan_id=plan.id,
        tz="America/New_York",
        first_date=(NOW - timedelta(weeks=weeks)).date(),
        time_of_day=clock_time(9, 0),
        repeat="weekly",
        end_kind="plan_closed",
        questions=["Am I on the right track?", "What should I do differently?"],
        status="active",
        next_run_at=NOW + timedelta(days=7),
    )
    session.add(schedule)
    session.flush()
    for n in range(weeks):
        due = NOW - timedelta(weeks=weeks - n)
        request = FeedbackRequest(
            workspace_id=workspace.id,
            schedule_id=schedule.id,
            employee_id=employee.id,
            manager_id=manager.id,
            due_at=due,
            questions=list(schedule.questions),
            status="answered",
            channel="DUBUSYMANAGER",
            ts=f"{due.timestamp():.6f}",
            sent_at=due,
            answered_at=due + timedelta(hours=3),
        )
        session.add(request)
        session.flush()
        session.add(
            FeedbackAnswer(
                workspace_id=workspace.id,
                feedback_request_id=request.id,
                rating=("not_yet_on_track", "on_track", "exceeding")[n % 3],
                answers=[{"question": q, "answer": f"Answer {n}"} for q in schedule.questions],
                note="Keep going.",
            )
        )
    # The steps' 09:00 reminders, as saving the plan puts them on the clock. Without them each
    # render (its session rolled back) would schedule them again, and count that.
    sync_reminders(session, owner=employee, now=NOW)
    session.commit()
    return employee


def home_opened_environ(user: str) -> dict[str, Any]:
    body = json.dumps(
        payloads.event_callback(
            team_id=TEAM_ID,
            event=payloads.app_home_opened(user_id=user, channel_id="D" + user),
            event_id=f"Ev{time.monotonic_ns()}",
        )
    ).encode()
    environ: dict[str, Any] = {}
    setup_testing_defaults(environ)
    environ.update(
        REQUEST_METHOD="POST",
        PATH_INFO="/slack/events",
        CONTENT_TYPE="application/json",
        CONTENT_LENGTH=str(len(body)),
    )
    environ["wsgi.input"] = io.BytesIO(body)
    for key, value in payloads.sign(SIGNING_SECRET, body.decode()).items():
        environ["HTTP_" + key.upper().replace("-", "_")] = value
    return environ


class _SectionCounts:
    def __init__(self) -> None:
        self.last: dict[str, int] = {}


_ORIGINALS: dict[str, Any] = {}


def _count_by_section(statements: list[str]) -> _SectionCounts:
    """Wrap the journey and every home section so each render says who ran which statements
    (the originals kept, so each run wraps them once)."""
    from slackapp.listeners import home

    if not _ORIGINALS:
        _ORIGINALS.update(
            HOME_SECTIONS=home.HOME_SECTIONS,
            WAITING_SECTIONS=home.WAITING_SECTIONS,
            journey=home.journey,  # type: ignore[attr-defined]
            load_home_data=home.load_home_data,  # type: ignore[attr-defined]
        )
    counts = _SectionCounts()

    def counted(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            before = len(statements)
            try:
                return fn(*args, **kwargs)
            finally:
                counts.last[name] = counts.last.get(name, 0) + len(statements) - before

        return wrapper

    for attribute in ("HOME_SECTIONS", "WAITING_SECTIONS"):
        setattr(
            home,
            attribute,
            tuple(
                counted(f"{getattr(f, '__module__', '?')}.{getattr(f, '__name__', '?')}", f)
                for f in _ORIGINALS[attribute]
            ),
        )
    home.journey = counted("slackapp.services.journey.journey", _ORIGINALS["journey"])  # type: ignore[attr-defined]
    home.load_home_data = counted(  # type: ignore[attr-defined]
        "slackapp.services.home_data.load_home_data", _ORIGINALS["load_home_data"]
    )
    return counts


def _grouped(statements: list[str]) -> dict[str, int]:
    """Each distinct statement (its first 100 characters) and how often it ran."""
    counts: dict[str, int] = {}
    for sql in statements:
        key = " ".join(sql.split())[:100]
        counts[key] = counts.get(key, 0) + 1
    return counts


def run(args: argparse.Namespace) -> dict[str, Any]:
    histories = {f"{weeks}_weeks": run_one(args, weeks) for weeks in args.weeks}
    counts = {h["render"]["sql_statements"] for h in histories.values()}
    return {
        "benchmark": "app_home",
        "data": "1 plan, 20 steps (10 done), 1 reflection, 1 schedule, 1 answer a week",
        "database": "postgresql" if args.database_url else "sqlite",
        "machine": machine(args.database_url),
        "render_statements_the_same_for_every_history": len(counts) == 1,
        "histories": histories,
    }


def run_one(args: argparse.Namespace, weeks: int) -> dict[str, Any]:
    fake = FakeSlack(team_id=TEAM_ID, bot_token="xoxb-bench")
    fake.add_user(EMPLOYEE, name="busy", tz="Europe/Berlin")
    fake.add_user(MANAGER, name="boss", tz="America/New_York")
    fake.start()
    try:
        with fresh_database(args.database_url) as url:
            settings = Settings(
                slack_bot_token="xoxb-bench",
                slack_signing_secret=SIGNING_SECRET,
                slack_api_url=fake.base_url,
                database_url=url,
            )
            runtime = build_runtime(settings, clock=ManualClock(NOW))
            runtime.app._listener_runner.listener_executor = Inline()  # type: ignore[assignment]
            statements: list[str] = []
            event.listen(
                runtime.engine,
                "before_cursor_execute",
                lambda _c, _cur, sql, *_rest: statements.append(sql),
            )
            with runtime.session_factory() as session:
                seed(session, weeks)
            sections = _count_by_section(statements)
            render_counts, render_times = [], []
            for _ in range(args.renders):
                with runtime.session_factory() as session:
                    person = session.scalar(select(Person).where(Person.slack_user_id == EMPLOYEE))
                    assert person is not None
                    statements.clear()
                    sections.last.clear()
                    started = time.perf_counter()
                    view = render_home(session, person, now=NOW)
                    render_times.append(time.perf_counter() - started)
                    render_counts.append(len(statements))
                    rendered_sql = list(statements)
            by_section = dict(sections.last)
            wsgi = make_wsgi_app(runtime)
            event_counts, event_times = [], []
            for _ in range(args.renders):
                statements.clear()
                started = time.perf_counter()
                b"".join(wsgi(home_opened_environ(EMPLOYEE), lambda *_a: None))
                event_times.append(time.perf_counter() - started)
                event_counts.append(len(statements))
            published = fake.home(EMPLOYEE)
            assert published is not None and not fake.rejections, fake.rejections
            runtime.engine.dispose()
    finally:
        fake.stop()
    return {
        "answered_requests": weeks,
        "render": {
            "sql_statements": max(render_counts),
            "target_statements": 10,
            "target_met": max(render_counts) <= 10,
            "ms_median": round(statistics.median(render_times) * 1000, 2),
            "ms_max": round(max(render_times) * 1000, 2),
            "blocks": len(view["blocks"]),
            "statements_by_section": by_section,
            "statements": _grouped(rendered_sql),
        },
        "app_home_opened_event": {
            "sql_statements": max(event_counts),
            "ms_median_incl_views_publish": round(statistics.median(event_times) * 1000, 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--renders", type=int, default=30)
    parser.add_argument("--weeks", type=int, nargs="+", default=[4, 52, 104])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL") or None)
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    report("app_home", run(args), args.json)


if __name__ == "__main__":
    main()
