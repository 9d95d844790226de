"""Scale: a scheduler worker beside up to 1,000,000 active feedback schedules in PostgreSQL.

    .venv/bin/python -m bench.scale --database-url postgresql+psycopg://... \
        [--sizes 1000 10000 100000 1000000] [--json out]

For each size, a fresh schema gets that many active feedback schedules, seeded in SQL
(INSERT ... SELECT over generate_series, no ORM): one per employee, eight employees per manager,
eight time zones, weekly (60%), every 2 weeks (20%) and monthly (20%, the nth or last weekday)
rules at 08:00-17:30 local, each next due 1 to 7 days from now (monthly up to 5 weeks), and each
with its history as the app stores it: 0-12 past occurrences (monthly 0-6), each a feedback
request (answered with its answer, or missed and its DM closed; the newest one of some still
waiting on the manager), the due work that sent it, its nudge (skipped once answered, sent when
missed, pending while open). Each employee also has a plan of three steps and a meeting held
with the manager. Three of the employees have 1 month, 1 year and 2 years of weekly
history, for the App Home.

A new worker process then starts as in production (imports, runtime, APScheduler) and runs:
idle ticks (nothing due), then ticks with exactly 10 schedules due (their requests planned and
sent to a fake Slack), then the App Home of the three employees. It reports start-up time and
statements, resident memory (after start-up, at the end, and the peak), and per tick its time
and SQL statements, which should not grow with the number of schedules; and at the largest size
the query plan (EXPLAIN) of every statement the ticks and the homes ran, flagging any
sequential scan.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bench.common import (
    ROOT,
    SECONDCHANCE,
    TEAM_ID,
    app_env,
    free_port,
    fresh_database,
    machine,
    report,
    serve,
)
from models.db import make_engine

ZONES = [
    "America/Los_Angeles",
    "America/New_York",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
]
# Weekly history of the App Home's three employees (schedules 1, 2, 3): 1 month, 1 year, 2 years.
HOME_WEEKS = (4, 52, 104)
REPORTS_PER_MANAGER = 8
DUE_PER_TICK = 10
QUESTIONS = '["Am I on the right track?", "What should I do differently?"]'
ANSWERS = (
    '[{"question": "Am I on the right track?", "answer": "Yes: the handover notes helped."},'
    ' {"question": "What should I do differently?", "answer": "Ask earlier when stuck."}]'
)

# The nth (1..4) or last (-1) ISO weekday (1 = Monday) of the month starting at month_start.
NTH_WEEKDAY = """
CREATE FUNCTION nth_weekday(month_start date, dow int, n int) RETURNS date
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN n > 0 THEN
    month_start + ((dow - extract(isodow FROM month_start)::int + 7) % 7) + (n - 1) * 7
  ELSE
    (month_start + interval '1 month' - interval '1 day')::date
    - ((extract(isodow FROM (month_start + interval '1 month' - interval '1 day'))::int
        - dow + 7) % 7)
  END
$$
"""

PEOPLE = """
INSERT INTO person (id, workspace_id, slack_user_id, tz, manager_id, welcomed_at,
                    checkin_weekly, created_at)
SELECT m, :ws, 'UM' || m, (CAST(:zones AS text[]))[1 + m % 8], NULL, :now - interval '400 days', false,
       :now - interval '400 days'
FROM generate_series(1, :managers) m
UNION ALL
SELECT :managers + j, :ws, 'UE' || j,
       CASE WHEN j % 4 = 0 THEN (CAST(:zones AS text[]))[1 + (j * 3) % 8]
            ELSE (CAST(:zones AS text[]))[1 + ((j - 1) / 8 + 1) % 8] END,
       (j - 1) / 8 + 1, :now - interval '400 days', false, :now - interval '400 days'
FROM generate_series(1, :n) j
"""

# Plan j belongs to employee j; schedule j is employee j's, in their manager's zone.
PLANS = """
INSERT INTO plan (id, workspace_id, owner_id, title, affected_user_ids, situation, status,
                  created_at)
SELECT j, :ws, :managers + j, 'Missed the launch date', '[]', 'nothing_formal', 'active',
       :now - interval '400 days'
FROM generate_series(1, :n) j
"""

# Each plan's three steps, done long ago, and the meeting the employee and manager held.
STEPS = """
INSERT INTO step (workspace_id, plan_id, position, description, due_date, is_apology, done_at,
                  created_at)
SELECT :ws, j, p, 'Corrective step ' || (p + 1), CAST(:now AS date) - 390 + p * 7, p = 0,
       :now - interval '390 days' + p * interval '7 days', :now - interval '400 days'
FROM generate_series(1, :n) j, generate_series(0, 2) p
"""

MEETINGS = """
INSERT INTO meeting_request (workspace_id, employee_id, manager_id, plan_id, message,
    share_steps, share_commitments, shared, proposed_times, status, accepted_time, sent_at,
    created_at)
SELECT :ws, :managers + j, (j - 1) / 8 + 1, j, 'Could we talk about the launch?', true, true,
       '{}', '[]', 'accepted', :now - interval '380 days', :now - interval '385 days',
       :now - interval '385 days'
FROM generate_series(1, :n) j
"""

SCHEDULES = """
INSERT INTO feedback_schedule (id, workspace_id, employee_id, manager_id, plan_id, tz,
    first_date, time_of_day, repeat, end_kind, end_count, end_date, monthly_week, questions,
    share_progress, status, next_run_at, occurrence_count, created_at)
SELECT j, :ws, :managers + j, (j - 1) / 8 + 1, CASE WHEN j % 3 = 0 OR j <= 3 THEN j END, zone,
       first_date, tod, rep,
       CASE WHEN j % 3 = 0 OR j <= 3 THEN 'plan_closed' WHEN j % 3 = 1 THEN 'after_count'
            ELSE 'on_date' END,
       CASE WHEN j % 3 = 1 AND j > 3 THEN h + 5 + j % 20 END,
       CASE WHEN j % 3 = 2 AND j > 3 THEN today + 90 + j % 200 END,
       CASE WHEN rep = 'monthly' THEN nth END,
       :questions, true, 'active', (next_date + tod) AT TIME ZONE zone, h,
       (first_date - 1)::timestamp AT TIME ZONE zone
FROM (
  SELECT *,
    CASE WHEN rep = 'monthly' THEN nth_weekday((base - h * interval '1 month')::date, dow, nth)
         ELSE today + d - h * period END AS first_date,
    CASE WHEN rep = 'monthly' THEN nth_weekday(base, dow, nth) ELSE today + d END AS next_date
  FROM (
    SELECT *,
      CASE WHEN nth_weekday(m0, dow, nth) > today THEN m0
           ELSE (m0 + interval '1 month')::date END AS base
    FROM (
      SELECT j, zone, rep, today, date_trunc('month', today)::date AS m0,
        1 + j % 7 AS d, CASE rep WHEN 'every_2_weeks' THEN 14 ELSE 7 END AS period,
        time '08:00' + ((j / 7) % 20) * interval '30 minutes' AS tod,
        1 + j % 5 AS dow, CASE WHEN j % 5 = 0 THEN -1 ELSE 1 + j % 4 END AS nth,
        CASE WHEN j <= 3 THEN (CAST(:home_weeks AS int[]))[j]
             WHEN rep = 'monthly' THEN (j * 5) % 7 ELSE (j * 7) % 13 END AS h
      FROM (
        SELECT j, (CAST(:zones AS text[]))[1 + ((j - 1) / 8 + 1) % 8] AS zone,
          CASE WHEN j <= 3 OR j % 10 < 6 THEN 'weekly' WHEN j % 10 < 8 THEN 'every_2_weeks'
               ELSE 'monthly' END AS rep,
          (:now AT TIME ZONE (CAST(:zones AS text[]))[1 + ((j - 1) / 8 + 1) % 8])::date AS today
        FROM generate_series(1, :n) j
      ) a
    ) b
  ) c
) e
"""

# Every past occurrence as the app leaves it: 3 in 4 answered, the rest missed (superseded by
# the next one, its DM closed); on even schedules the newest, if under 2 days old, still waits.
REQUESTS = """
INSERT INTO feedback_request (workspace_id, schedule_id, employee_id, manager_id, due_at,
    questions, status, source, open_employee_id, channel, ts, sent_at, answered_at, closed_at,
    expectations, close_reason, created_at)
SELECT workspace_id, schedule_id, employee_id, manager_id, due_at, questions,
       CASE WHEN waiting THEN 'sent' WHEN answered THEN 'answered' ELSE 'missed' END, 'schedule',
       CASE WHEN waiting THEN employee_id END, 'D' || manager_id,
       to_char(extract(epoch FROM due_at), 'FM9999999999') || '.' || lpad((k % 1000000)::text, 6, '0'),
       due_at + interval '2 seconds',
       CASE WHEN answered AND NOT waiting THEN due_at + (3 + schedule_id % 20) * interval '1 hour' END,
       CASE WHEN waiting THEN NULL
            WHEN answered THEN due_at + (3 + schedule_id % 20) * interval '1 hour'
            ELSE due_at + interval '7 days' END,
       '[]', CASE WHEN NOT answered AND NOT waiting THEN 'superseded' END, due_at
FROM (
  SELECT s.workspace_id, s.id AS schedule_id, s.employee_id, s.manager_id, s.questions, k, due_at,
         (s.id * 31 + k) % 4 <> 0 AS answered,
         (k = s.occurrence_count - 1 AND s.id % 2 = 0 AND due_at > :now - interval '2 days')
           AS waiting
  FROM feedback_schedule s
  CROSS JOIN LATERAL (
    SELECT k, CASE WHEN s.repeat = 'monthly' THEN
        (nth_weekday((date_trunc('month', s.first_date) + k * interval '1 month')::date,
                     extract(isodow FROM s.first_date)::int, s.monthly_week)
         + s.time_of_day) AT TIME ZONE s.tz
      ELSE ((s.first_date + k * CASE s.repeat WHEN 'every_2_weeks' THEN 14 ELSE 7 END)
            + s.time_of_day) AT TIME ZONE s.tz END AS due_at
    FROM generate_series(0, s.occurrence_count - 1) k
  ) o
) r
"""

ANSWERS_SQL = """
INSERT INTO feedback_answer (workspace_id, feedback_request_id, rating, answers,
    discuss_in_person, expectation_ratings, note, created_at)
SELECT workspace_id, id, (ARRAY['not_yet_on_track', 'on_track', 'exceeding'])[1 + id % 3],
       :answers, id % 7 = 0, '[]', CASE WHEN id % 2 = 0 THEN 'Keep going.' END, answered_at
FROM feedback_request WHERE status = 'answered'
"""

# The due work of each request: its send, its nudge, and a missed request's DM closed.
DUE_WORK = """
INSERT INTO due_work (workspace_id, kind, subject_id, due_at, status, attempts,
    first_claimed_at, channel, ts, finished_at, created_at)
SELECT workspace_id, 'feedback_request', id, due_at, 'done', 1, due_at, channel, ts, sent_at,
       due_at
FROM feedback_request
UNION ALL
SELECT workspace_id, 'feedback_nudge', id,
       due_at + CASE WHEN status = 'sent' THEN interval '3 days' ELSE interval '2 days' END,
       CASE status WHEN 'sent' THEN 'pending' WHEN 'answered' THEN 'skipped' ELSE 'done' END,
       CASE WHEN status = 'missed' THEN 1 ELSE 0 END, NULL,
       CASE WHEN status = 'missed' THEN channel END,
       CASE WHEN status = 'missed' THEN ts END,
       CASE status WHEN 'sent' THEN NULL WHEN 'answered' THEN answered_at
            ELSE due_at + interval '2 days' END,
       due_at
FROM feedback_request
UNION ALL
SELECT workspace_id, 'feedback_request_closed', id, closed_at, 'done', 1, closed_at, channel, ts,
       closed_at, closed_at
FROM feedback_request WHERE status = 'missed'
"""


def seed(url: str, n: int, now: datetime) -> dict[str, Any]:
    """The schedules and their history, in SQL; returns the row counts and seeding times."""
    managers = -(-n // REPORTS_PER_MANAGER)
    engine = make_engine(url)
    timings: dict[str, float] = {}
    with engine.begin() as connection:
        ws = connection.execute(
            text("INSERT INTO workspace (team_id, enterprise_id) VALUES (:t, '') RETURNING id"),
            {"t": TEAM_ID},
        ).scalar_one()
        connection.execute(text(NTH_WEEKDAY))
        connection.execute(text("SET LOCAL jit = off"))  # compiling costs more than it saves here
        params = {
            "ws": ws,
            "n": n,
            "managers": managers,
            "now": now,
            "zones": ZONES,
            "home_weeks": list(HOME_WEEKS),
            "questions": QUESTIONS,
            "answers": ANSWERS,
        }
        for name, sql in (
            ("people", PEOPLE),
            ("plans", PLANS),
            ("steps", STEPS),
            ("meetings", MEETINGS),
            ("schedules", SCHEDULES),
            ("requests", REQUESTS),
            ("answers", ANSWERS_SQL),
            ("due_work", DUE_WORK),
        ):
            started = time.perf_counter()
            connection.execute(text(sql), params)
            timings[name] = round(time.perf_counter() - started, 1)
        for table in ("person", "plan", "feedback_schedule"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
    started = time.perf_counter()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))  # as autovacuum would have by now
    timings["analyze"] = round(time.perf_counter() - started, 1)
    with engine.connect() as connection:
        rows = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in (
                "person",
                "feedback_schedule",
                "feedback_request",
                "feedback_answer",
                "due_work",
                "step",
                "meeting_request",
            )
        }
        rows["pending_due_work"] = connection.execute(
            text("SELECT count(*) FROM due_work WHERE status = 'pending'")
        ).scalar_one()
        rows["requests_waiting_on_manager"] = connection.execute(
            text("SELECT count(*) FROM feedback_request WHERE status = 'sent'")
        ).scalar_one()
        rows["by_repeat"] = dict(
            connection.execute(
                text("SELECT repeat, count(*) FROM feedback_schedule GROUP BY repeat")
            ).all()
        )
        rows["next_run_in_days_min_max"] = [
            round(float(v) / 86400, 2)
            for v in connection.execute(
                text(
                    "SELECT extract(epoch FROM min(next_run_at) - :now),"
                    " extract(epoch FROM max(next_run_at) - :now) FROM feedback_schedule"
                ),
                {"now": now},
            ).one()
        ]
        rows["database_mb"] = round(
            connection.execute(
                text(
                    "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c"
                    " JOIN pg_namespace s ON s.oid = c.relnamespace"
                    " WHERE s.nspname = current_schema() AND c.relkind = 'r'"
                )
            ).scalar_one()
            / 2**20
        )
    engine.dispose()
    return {"rows": rows, "seed_seconds_by_step": timings}


def due_schedules(url: str, n: int, rounds: int) -> list[tuple[list[int], list[str]]]:
    """For each round, 10 schedules spread over the table, all alike (weekly, ending on a date,
    nothing open: odd ids), and their managers' Slack ids (the fake Slack must know them)."""
    engine = make_engine(url)
    picked: list[tuple[list[int], list[str]]] = []
    # Weekly, odd (nothing open), ending on a date: the same work each.
    alike = [j for j in range(11, n + 1) if j % 2 == 1 and j % 10 < 6 and j % 3 == 2]
    candidates = alike[:: max(1, len(alike) // (rounds * DUE_PER_TICK))]
    with engine.connect() as connection:
        for r in range(rounds):
            ids = candidates[r * DUE_PER_TICK : (r + 1) * DUE_PER_TICK]
            managers = connection.execute(
                text(
                    "SELECT p.slack_user_id FROM feedback_schedule s JOIN person p"
                    " ON p.id = s.manager_id WHERE s.id = ANY(:ids)"
                ),
                {"ids": ids},
            ).scalars()
            picked.append((ids, list(managers)))
    engine.dispose()
    return picked


def _claim_polls(statements: list[tuple[str, Any]]) -> int:
    """The send loop's looks for claimable work: on PostgreSQL it looks every 0.2 s while the
    planner runs beside it (Dispatcher._drain), so how many is timing, not size."""
    return sum(
        " ".join(sql.split()).startswith("SELECT due_work.id FROM due_work WHERE due_work.status")
        for sql, _parameters in statements
    )


def _kinds(statements: list[tuple[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sql, _parameters in statements:
        key = " ".join(sql.split())[:90]
        counts[key] = counts.get(key, 0) + 1
    return counts


def memory() -> dict[str, float]:
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = round(int(value.split()[0]) / 1024, 1)
    return found


def _explain(engine: Any, captured: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    """EXPLAIN (no ANALYZE: nothing runs) of each distinct statement, with its parameters."""
    plans, seen = [], set()
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(
            "SELECT c.relname, c.reltuples FROM pg_class c JOIN pg_namespace n"
            " ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind = 'r'"
        )
        rows = {name: max(0, int(tuples)) for name, tuples in cursor.fetchall()}
        for sql, parameters in captured:
            head = sql.lstrip().split(None, 1)[0].upper()
            if head not in ("SELECT", "INSERT", "UPDATE", "DELETE", "WITH") or sql in seen:
                continue
            seen.add(sql)
            if isinstance(parameters, list) and parameters:  # executemany: the first row's
                parameters = parameters[0]
            cursor.execute("EXPLAIN " + sql, parameters)
            plan = [row[0] for row in cursor.fetchall()]
            scanned = [
                line.split("Seq Scan on ", 1)[1].split()[0] for line in plan if "Seq Scan" in line
            ]
            plans.append(
                {
                    "statement": " ".join(sql.split())[:160],
                    # A table the seed leaves empty is scanned whatever its indexes: not judged.
                    "seq_scans": [f"{t} ({rows.get(t, 0)} rows)" for t in scanned if rows.get(t)],
                    "seq_scans_of_empty_tables": [t for t in scanned if not rows.get(t)],
                    "plan": plan,
                }
            )
        raw.rollback()
    finally:
        raw.close()
    return plans


def child(url: str, ticks: int, fake_url: str, due: list[list[int]], explain: bool) -> None:
    """The worker: prints one JSON line with its measurements."""
    started = time.perf_counter()
    from sqlalchemy import event, select

    from slackapp.config import Settings
    from slackapp.jobs.runner import start_scheduler
    from slackapp.runtime import build_runtime

    settings = Settings(
        slack_bot_token="xoxb-bench",
        slack_signing_secret="bench",
        slack_api_url=fake_url,
        database_url=url,
        # Not the default 2/s: the due tick's time is then the database's work, not the pacing.
        workspace_messages_per_second=1000.0,
    )
    statements: list[tuple[str, Any]] = []
    runtime = build_runtime(settings)
    event.listen(
        runtime.engine,
        "before_cursor_execute",
        lambda _c, _k, sql, parameters, *_r: statements.append((sql, parameters)),
    )
    scheduler = start_scheduler(runtime.dispatcher, tick_seconds=3600)
    runtime.dispatcher.tick()
    ready = time.perf_counter()
    startup_statements = len(statements)
    after_startup = memory()
    captured: list[tuple[str, Any]] = []

    idle_times, idle_counts, idle_polls = [], [], []
    for _ in range(ticks):
        statements.clear()
        tick_started = time.perf_counter()
        runtime.dispatcher.tick()
        idle_times.append(time.perf_counter() - tick_started)
        idle_counts.append(len(statements))
        idle_polls.append(_claim_polls(statements))
    captured += statements

    due_times, due_counts, due_finished, due_polls = [], [], [], []
    due_kinds: list[dict[str, int]] = []
    for ids in due:
        with runtime.engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE feedback_schedule SET next_run_at = now() - interval '20 seconds'"
                    " WHERE id = ANY(:ids)"
                ),
                {"ids": ids},
            )
        statements.clear()
        tick_started = time.perf_counter()
        finished = runtime.dispatcher.tick()
        due_times.append(time.perf_counter() - tick_started)
        due_counts.append(len(statements))
        due_polls.append(_claim_polls(statements))
        due_kinds.append(_kinds(statements))
        due_finished.append(finished)
        captured += statements

    from models import Person, Workspace
    from slackapp.listeners.home import render_home

    with runtime.session_factory() as session:
        workspace_id = session.scalars(select(Workspace.id)).one()

    home: dict[str, Any] = {}
    for j, weeks in enumerate(HOME_WEEKS, start=1):
        counts, times = [], []
        for _ in range(5):
            with runtime.session_factory() as session:
                person = session.scalar(
                    select(Person).where(
                        Person.workspace_id == workspace_id, Person.slack_user_id == f"UE{j}"
                    )
                )
                assert person is not None
                statements.clear()
                render_started = time.perf_counter()
                view = render_home(session, person, now=runtime.clock.now())
                times.append(time.perf_counter() - render_started)
                counts.append(len(statements))
                captured += statements
        home[f"{weeks}_weeks"] = {
            "sql_statements": max(counts),
            "ms_median": round(statistics.median(times) * 1000, 1),
            "ms_max": round(max(times) * 1000, 1),
            "blocks": len(view["blocks"]),
        }
    at_end = memory()
    scheduler.shutdown(wait=False)
    plans = _explain(runtime.engine, captured) if explain else []
    print(
        json.dumps(
            {
                "in_process_startup_to_first_tick_done_ms": round((ready - started) * 1000, 1),
                "startup_sql_statements_incl_first_tick": startup_statements,
                "rss_mb_after_startup": after_startup["VmRSS"],
                "rss_mb_at_end": at_end["VmRSS"],
                "rss_mb_peak": at_end["VmHWM"],
                "idle_tick": {
                    "ms_median": round(statistics.median(idle_times) * 1000, 2),
                    "ms_max": round(max(idle_times) * 1000, 2),
                    "sql_statements": sorted(set(idle_counts)),
                    "of_which_claim_polls": sorted(set(idle_polls)),
                },
                "tick_with_10_due": {
                    "ms_median": round(statistics.median(due_times) * 1000, 1),
                    "ms_max": round(max(due_times) * 1000, 1),
                    "sql_statements": sorted(set(due_counts)),
                    "of_which_claim_polls": sorted(set(due_polls)),
                    "sql_statements_without_claim_polls": sorted(
                        {c - p for c, p in zip(due_counts, due_polls, strict=True)}
                    ),
                    "statements_whose_count_varied": {
                        key: [kinds.get(key, 0) for kinds in due_kinds]
                        for key in sorted({k for kinds in due_kinds for k in kinds})
                        if len({kinds.get(key, 0) for kinds in due_kinds}) > 1
                    },
                    "finished_per_tick": sorted(set(due_finished)),
                },
                "app_home": home,
                "plans": plans,
            }
        )
    )


def _status_mb(pid: int) -> dict[str, float]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = round(int(value.split()[0]) / 1024, 1)
    return found


def served_worker(url: str, fake_url: str, seconds: float) -> dict[str, Any]:
    """`secondchance run` as an operator starts it (gunicorn, 1 worker, its scheduler ticking
    every second): the worker process's memory once it answers, and after `seconds` of ticks."""
    import tempfile

    port = free_port()
    env = app_env(fake_url=fake_url, database_url=url, port=port, SCHEDULER_TICK_SECONDS="1")
    log = Path(tempfile.mkdtemp(prefix="bench-scale-")) / "app.log"
    started = time.perf_counter()
    with serve([SECONDCHANCE, "run"], env, port, log) as server:
        healthy = time.perf_counter() - started
        workers = [
            int(p.parent.name)
            for p in Path("/proc").glob("[0-9]*/stat")
            if p.read_text().rsplit(")", 1)[1].split()[1] == str(server.pid)
        ]
        assert len(workers) == 1, workers
        at_start = _status_mb(workers[0])
        time.sleep(seconds)
        later = _status_mb(workers[0])
    return {
        "process_start_to_healthy_ms": round(healthy * 1000),
        "worker_rss_mb_when_healthy": at_start["VmRSS"],
        f"worker_rss_mb_after_{seconds:g}_s_of_ticks": later["VmRSS"],
        "worker_rss_mb_peak": later["VmHWM"],
    }


def measure(url: str, n: int, ticks: int, rounds: int, explain: bool) -> dict[str, Any]:
    from slacksim.fakeslack import FakeSlack

    seeded = time.perf_counter()
    now = datetime.now(UTC)
    seeding = seed(url, n, now)
    seed_seconds = time.perf_counter() - seeded
    due = due_schedules(url, n, rounds)
    fake = FakeSlack(team_id=TEAM_ID, bot_token="xoxb-bench")
    for _ids, managers in due:
        for user in managers:
            fake.add_user(user, name=user.lower(), tz="America/New_York")
    fake.start()
    try:
        spawned = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.scale",
                "--child",
                url,
                "--ticks",
                str(ticks),
                "--fake-url",
                fake.base_url,
                "--due",
                json.dumps([ids for ids, _managers in due]),
                *(["--explain"] if explain else []),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        wall = time.perf_counter() - spawned
        served = served_worker(url, fake.base_url, 10)
        if result.returncode != 0:
            raise RuntimeError(result.stderr[-3000:])
        measured = json.loads(result.stdout.strip().splitlines()[-1])
        sent = [
            call
            for call in fake.calls_to("chat.postMessage")
            if call.status == 200
            and "feedback_request_id"
            in ((call.args.get("metadata") or {}).get("event_payload") or {})
        ]
    finally:
        fake.stop()
    measured["tick_with_10_due"]["requests_sent_to_slack"] = len(sent)
    measured["child_process_wall_seconds"] = round(wall, 1)
    measured["secondchance_run"] = served
    if measured["plans"]:
        measured["seq_scans"] = {
            p["statement"]: p["seq_scans"] for p in measured["plans"] if p["seq_scans"]
        }
    return {
        "feedback_schedules": n,
        "seed_seconds": round(seed_seconds, 1),
        **seeding,
        **measured,
    }


def run(args: argparse.Namespace) -> dict[str, Any]:
    sizes = []
    for n in args.sizes:
        with fresh_database(args.database_url) as url:
            sizes.append(measure(url, n, args.ticks, args.due_rounds, n == max(args.sizes)))
        print(f"scale: {n} done", file=sys.stderr)
    small, large = sizes[0], sizes[-1]
    return {
        "benchmark": "scale",
        "database": "postgresql",
        "machine": machine(args.database_url),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "sizes": sizes,
        "idle_tick_ratio_large_over_small": round(
            large["idle_tick"]["ms_median"] / max(0.001, small["idle_tick"]["ms_median"]), 2
        ),
        "due_tick_ratio_large_over_small": round(
            large["tick_with_10_due"]["ms_median"]
            / max(0.001, small["tick_with_10_due"]["ms_median"]),
            2,
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--ticks", type=int, default=20)
    parser.add_argument("--due-rounds", type=int, default=5)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("TEST_DATABASE_URL"),
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--fake-url", help=argparse.SUPPRESS)
    parser.add_argument("--due", help=argparse.SUPPRESS)
    parser.add_argument("--explain", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.ticks, args.fake_url, json.loads(args.due), args.explain)
        return
    if not args.database_url or not args.database_url.startswith("postgresql"):
        parser.error("needs PostgreSQL: --database-url or BENCH_DATABASE_URL")
    report("scale", run(args), args.json)


if __name__ == "__main__":
    main()
