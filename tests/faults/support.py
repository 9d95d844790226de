"""What the fault tests share: raw signed posts, a snapshot of every stored row, seeded data."""

from __future__ import annotations

import collections
import hashlib
import hmac
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

import models
from models import Commitment, FeedbackSchedule, Person, Plan, Reflection, Step, Workspace

Snapshot = dict[str, dict[tuple[Any, ...], tuple[Any, ...]]]


def sign_bytes(secret: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}"}


def post_raw(
    url: str, body: bytes, *, content_type: str, headers: dict[str, str], timeout: float = 30
) -> tuple[int, bytes]:
    """POST exactly these bytes; returns (status, body), never raises on an HTTP status."""
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": content_type, **headers}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


# Not stored data but where a person's UI is: which journey modal they have open and the hash
# of their App Home change each time they open one (legitimate App Home opens are among the
# fuzzed requests, and the owner opens the journey at the end of the fuzz test).
UI_STATE = {("person", "journey_view_id"), ("person", "home_hash")}


# Which modals the app opened for whom (opened_view) is UI state of the same kind.
def snapshot(
    engine: Engine, *, skip: tuple[str, ...] = ("processed_event", "opened_view")
) -> Snapshot:
    """Every row of every table (but UI state), keyed by primary key."""
    rows: Snapshot = {}
    with engine.connect() as connection:
        for table in models.Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            key_columns = [c.name for c in table.primary_key.columns]
            columns = [c for c in table.columns if (table.name, c.name) not in UI_STATE]
            rows[table.name] = {
                tuple(row._mapping[k] for k in key_columns): tuple(row)
                for row in connection.execute(select(*columns))
            }
    return rows


def changed_rows(before: Snapshot, after: Snapshot) -> list[str]:
    """Rows that were there before and are now gone or different (new rows are allowed)."""
    problems = []
    for table, rows in before.items():
        for key, values in rows.items():
            now = after.get(table, {}).get(key)
            if now is None:
                problems.append(f"{table} {key} was deleted")
            elif now != values:
                problems.append(f"{table} {key} changed: {values} -> {now}")
    return problems


def seed_plan(session: Session, *, team_id: str, owner: str, manager: str) -> Plan:
    """A plan with steps and a reflection, owned by `owner`, written straight to the database."""
    workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    assert workspace is not None, "open the app once first so the workspace exists"

    def person(user_id: str) -> Person:
        found = session.scalar(
            select(Person).where(
                Person.workspace_id == workspace.id, Person.slack_user_id == user_id
            )
        )
        if found is None:
            found = Person(workspace_id=workspace.id, slack_user_id=user_id, tz="UTC")
            session.add(found)
            session.flush()
        return found

    owner_row, manager_row = person(owner), person(manager)
    owner_row.manager_id = manager_row.id
    plan = Plan(
        workspace_id=workspace.id,
        owner_id=owner_row.id,
        title="Missed the Acme deadline",
        what_happened="I promised the export for Friday and did not deliver.",
    )
    session.add(plan)
    session.flush()
    for position, text in enumerate(["Apologise to Dana", "Ship the export", "Add a checklist"]):
        session.add(
            Step(
                workspace_id=workspace.id,
                plan_id=plan.id,
                position=position,
                description=text,
                due_date=date(2026, 3, 6),
                is_apology=position == 0,
            )
        )
    reflection = Reflection(
        workspace_id=workspace.id,
        plan_id=plan.id,
        factors=["time management"],
        root_cause="I said yes without checking my calendar.",
        private_notes="Only for me.",
    )
    session.add(reflection)
    session.flush()
    session.add(
        Commitment(
            workspace_id=workspace.id,
            reflection_id=reflection.id,
            position=0,
            text="Check my calendar before promising a date.",
        )
    )
    session.commit()
    return plan


def seed_schedules(
    session: Session,
    fake: Any,
    count: int,
    *,
    due: datetime | Sequence[datetime],
    team_id: str = "T0001",
) -> None:
    """`count` employees, each with a weekly schedule to their own manager, first due at `due`
    (the same for all, or the nth employee's at `due[n]`)."""
    dues = [due] * count if isinstance(due, datetime) else list(due)
    workspace = session.scalar(select(Workspace).where(Workspace.team_id == team_id))
    if workspace is None:
        workspace = Workspace(team_id=team_id)
        session.add(workspace)
        session.flush()
    people = []
    for n in range(count):
        manager_id = f"UMGR{n:05d}"
        fake.add_user(manager_id, name=f"manager{n}", tz="America/New_York")
        people += [
            Person(workspace_id=workspace.id, slack_user_id=f"UEMP{n:05d}", tz="UTC"),
            Person(workspace_id=workspace.id, slack_user_id=manager_id, tz="America/New_York"),
        ]
    session.add_all(people)
    session.flush()
    session.add_all(
        FeedbackSchedule(
            workspace_id=workspace.id,
            employee_id=people[2 * n].id,
            manager_id=people[2 * n + 1].id,
            tz="UTC",
            first_date=dues[n].date(),
            time_of_day=dues[n].time().replace(tzinfo=None),
            repeat="weekly",
            end_kind="after_count",
            end_count=10,
            questions=["Am I on the right track?"],
            status="active",
            next_run_at=dues[n],
        )
        for n in range(count)
    )
    session.commit()


def request_posts(fake: Any) -> collections.Counter[int]:
    """Feedback request DMs that Slack accepted, per feedback request id."""
    return collections.Counter(
        call.args["metadata"]["event_payload"]["feedback_request_id"]
        for call in fake.calls_to("chat.postMessage")
        if call.status == 200
        and call.response.get("ok")
        and "feedback_request_id" in ((call.args.get("metadata") or {}).get("event_payload") or {})
    )
