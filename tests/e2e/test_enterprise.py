"""An org-wide install (Enterprise Grid, is_enterprise_install): one bot token for the whole
org, kept on the org's row; requests from two workspaces of the org find it, and each
workspace keeps its own people and plans."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from models import DueWork, Installation, Person, Plan, Workspace
from slackapp.kernel.clock import ManualClock
from slackapp.kernel.kinds import WORKSPACE_PURGE
from slacksim.fakeslack import FakeSlack
from tests.conftest import COLLEAGUE, EMPLOYEE, RunningApp
from tests.e2e.test_plan_flow import make_plan
from tests.support.oauth import in_team, installed_app, people_slack, quiet

ORG = "E0ACME"
SALES, SUPPORT = "T0SALES", "T0SUPPORT"


@pytest.fixture
def org_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack(team_id=SALES)
    fake.join_enterprise(ORG)
    with people_slack(fake):
        yield fake


@pytest.fixture
def sales(
    org_slack: FakeSlack, engine: Engine, database_url: str, clock: ManualClock
) -> Iterator[RunningApp]:
    with installed_app(org_slack, engine, database_url, clock) as running:
        yield in_team(running, SALES)


def test_two_workspaces_of_one_org_find_the_org_install_and_stay_apart(
    sales: RunningApp, org_slack: FakeSlack, db: Session
) -> None:
    support = in_team(sales, SUPPORT)
    [(install, org_row)] = db.execute(
        select(Installation, Workspace).join(Workspace, Workspace.id == Installation.workspace_id)
    ).all()
    assert install.is_enterprise_install
    assert (org_row.team_id, org_row.enterprise_id) == ("", ORG)

    make_plan(sales, EMPLOYEE, title="Botched the Sales order")
    make_plan(support, COLLEAGUE, title="Missed the Support deadline")
    # Emma is in both workspaces (an org's user ids are the org's); in Support she has no plan.
    support.slack.open_home(EMPLOYEE)
    support.slack.wait_for(
        lambda: "Botched the Sales order" not in json.dumps(org_slack.home(EMPLOYEE) or {}),
        what="Emma's home in Support, without her Sales plan",
    )

    db.expire_all()
    workspaces = {w.id: (w.team_id, w.enterprise_id) for w in db.scalars(select(Workspace))}
    assert set(workspaces.values()) == {("", ORG), (SALES, ORG), (SUPPORT, ORG)}
    people = {(workspaces[p.workspace_id][0], p.slack_user_id) for p in db.scalars(select(Person))}
    assert (SALES, EMPLOYEE) in people and (SUPPORT, COLLEAGUE) in people
    assert (SALES, COLLEAGUE) not in people
    plans = {p.title: workspaces[p.workspace_id][0] for p in db.scalars(select(Plan))}
    assert plans == {"Botched the Sales order": SALES, "Missed the Support deadline": SUPPORT}
    # Every call, from either workspace, went out with the org's one token.
    assert {c.token for c in org_slack.calls if c.method != "oauth.v2.access"} == {"xoxb-fake"}


def test_the_scheduler_sends_with_the_org_token_and_an_org_uninstall_stops_every_workspace(
    sales: RunningApp, org_slack: FakeSlack, db: Session
) -> None:
    support = in_team(sales, SUPPORT)
    make_plan(support, COLLEAGUE, steps=[("Ring Pune", "2026-03-10", True)])
    quiet(sales)
    sales.clock.set(
        datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
    )  # 09:00 in Kolkata (a Tuesday, no holiday)
    sales.tick()
    assert [m for m in org_slack.messages(COLLEAGUE) if "Today's the day" in str(m["blocks"])]
    assert org_slack.calls_to("chat.postMessage")[-1].token == "xoxb-fake"

    make_plan(sales, EMPLOYEE, steps=[("Call the buyer", "2026-03-11", True)])
    sales.slack.event({"type": "app_uninstalled"})
    sales.slack.wait_for(
        lambda: db.scalar(select(Installation)) is None or db.expire_all(),
        what="the org's token to be deleted",
    )
    db.expire_all()
    assert all(w.uninstalled_at is not None for w in db.scalars(select(Workspace)))
    # Emma's reminder in Sales is off the clock too; only the purges after the window are left.
    pending = db.scalars(select(DueWork.kind).where(DueWork.status == "pending")).all()
    assert pending and set(pending) == {WORKSPACE_PURGE}
