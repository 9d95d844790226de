"""The repair plan's rules and its reminders, straight against the database (no Slack)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DueWork, DueWorkStatus, MeetingRequest, Person, PlanStatus, Situation, Workspace
from slackapp.kernel.kinds import ACT_QUICKLY, STEP_REMINDER
from slackapp.services import plan_reminders as clock
from slackapp.services import plans
from slackapp.services.plans import (
    NotYours,
    PlanAlreadyActive,
    PlanDraft,
    StepDraft,
)
from slackapp.views.plan import progress_text

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday; 09:00 in Berlin
TODAY = date(2026, 3, 2)


def person(db: Session, user_id: str = "UEMP", tz: str = "Europe/Berlin") -> Person:
    workspace = db.scalar(select(Workspace).where(Workspace.team_id == "T1"))
    if workspace is None:
        workspace = Workspace(team_id="T1")
        db.add(workspace)
        db.flush()
    found = Person(workspace_id=workspace.id, slack_user_id=user_id, tz=tz)
    db.add(found)
    db.flush()
    return found


def draft(*steps: StepDraft, situation: Situation = Situation.NOTHING_FORMAL) -> PlanDraft:
    return PlanDraft(
        title="Botched the Acme order",
        what_happened="Sent 500 instead of 50",
        situation=situation,
        steps=list(steps) or [StepDraft("Call Acme")],
    )


def work(db: Session, kind: str, subject: int) -> list[tuple[datetime, str]]:
    rows = db.scalars(
        select(DueWork).where(DueWork.kind == kind, DueWork.subject_id == subject).order_by("id")
    )
    return [(w.due_at, w.status) for w in rows]


def test_reminders_fall_at_nine_local_across_zones_and_dst() -> None:
    assert clock.reminder_due_at(date(2026, 3, 4), "Europe/Berlin") == datetime(
        2026, 3, 4, 8, 0, tzinfo=UTC
    )
    assert clock.reminder_due_at(date(2026, 3, 4), "Asia/Kolkata") == datetime(
        2026, 3, 4, 3, 30, tzinfo=UTC
    )
    # New York moves its clocks on 8 March 2026: 09:00 is 14:00 UTC before, 13:00 after.
    assert clock.reminder_due_at(date(2026, 3, 6), "America/New_York").hour == 14
    assert clock.reminder_due_at(date(2026, 3, 9), "America/New_York").hour == 13
    assert clock.reminder_due_at(date(2026, 3, 4), "Not/AZone").hour == 9  # falls back to UTC


def test_validation_names_each_bad_field_and_keeps_text_exact() -> None:
    bad = PlanDraft(
        title="   ",
        what_happened="x" * 3001,
        affected_others="y" * 501,
        steps=[
            StepDraft(" "),
            StepDraft("z" * 501),
            StepDraft("ok", due_date=TODAY - timedelta(days=1)),
            StepDraft("today is fine", due_date=TODAY),
        ],
    )
    errors = plans.validate_plan(bad, today=TODAY)
    assert set(errors) == {
        "title",
        "what_happened",
        "affected_others",
        "step_0_description",
        "step_1_description",
        "step_2_due_date",
    }
    assert plans.validate_plan(PlanDraft(title="t" * 151), today=TODAY)["title"]
    exact = "Sorry 🙏 to <@U123> & “Ωmega” <b>"
    assert plans.validate_plan(draft(StepDraft(exact)), today=TODAY) == {}


def test_a_stored_date_in_the_past_may_stay(db: Session) -> None:
    owner = person(db)
    plan = plans.create_plan(
        session=db, owner=owner, draft=draft(StepDraft("a", due_date=TODAY)), now=NOW
    )
    edited = plans.draft_of(plan)
    later = TODAY + timedelta(days=3)
    assert plans.validate_plan(edited, today=later, plan=plan) == {}
    edited.steps.append(StepDraft("b", due_date=TODAY))
    assert set(plans.validate_plan(edited, today=later, plan=plan)) == {"step_1_due_date"}


def test_create_schedules_a_reminder_per_dated_open_step(db: Session) -> None:
    owner = person(db)
    plan = plans.create_plan(
        session=db,
        owner=owner,
        draft=draft(
            StepDraft("Apologise", due_date=date(2026, 3, 4), is_apology=True),
            StepDraft("Fix the order"),
            StepDraft("Today, but 09:00 has just passed", due_date=TODAY),
        ),
        now=NOW + timedelta(minutes=1),
    )
    first, second, third = plan.steps
    assert work(db, STEP_REMINDER, first.id) == [
        (datetime(2026, 3, 4, 8, 0, tzinfo=UTC), DueWorkStatus.PENDING)
    ]
    assert work(db, STEP_REMINDER, second.id) == []
    assert work(db, STEP_REMINDER, third.id) == []
    assert work(db, ACT_QUICKLY, plan.id) == []  # nothing formal: no rush
    assert first.is_apology and plan.created_at == NOW + timedelta(minutes=1)


def test_serious_situation_schedules_act_quickly_a_day_later(db: Session) -> None:
    owner = person(db)
    plan = plans.create_plan(
        session=db, owner=owner, draft=draft(situation=Situation.SUSPENDED), now=NOW
    )
    assert work(db, ACT_QUICKLY, plan.id) == [(NOW + timedelta(hours=24), "pending")]
    calmer = plans.draft_of(plan)
    calmer.situation = Situation.NOTHING_FORMAL
    plans.update_plan(session=db, owner=owner, plan=plan, draft=calmer, now=NOW)
    assert work(db, ACT_QUICKLY, plan.id) == [(NOW + timedelta(hours=24), "skipped")]
    calmer.situation = Situation.DEMOTED
    plans.update_plan(session=db, owner=owner, plan=plan, draft=calmer, now=NOW)
    assert work(db, ACT_QUICKLY, plan.id) == [(NOW + timedelta(hours=24), "pending")]
    assert clock.act_quickly_due(db, plan_id=plan.id) is not None
    db.add(
        MeetingRequest(
            workspace_id=owner.workspace_id, employee_id=owner.id, manager_id=owner.id, message="m"
        )
    )
    db.flush()
    assert clock.act_quickly_due(db, plan_id=plan.id) is None


def test_one_active_plan_and_replacing_archives_the_old(db: Session) -> None:
    owner = person(db)
    old = plans.create_plan(
        session=db,
        owner=owner,
        draft=draft(StepDraft("a", due_date=date(2026, 3, 5)), situation=Situation.DEMOTED),
        now=NOW,
    )
    with pytest.raises(PlanAlreadyActive):
        plans.create_plan(session=db, owner=owner, draft=draft(), now=NOW)
    new = plans.create_plan(session=db, owner=owner, draft=draft(), now=NOW, replacing=old.id)
    assert old.status == PlanStatus.ARCHIVED and old.archived_at == NOW
    assert plans.active_plan(db, owner) is new
    assert work(db, STEP_REMINDER, old.steps[0].id)[0][1] == "skipped"
    assert work(db, ACT_QUICKLY, old.id)[0][1] == "skipped"
    assert plans.archived_count(db, owner=owner) == 1


def test_editing_moves_reminders_and_removed_steps_lose_theirs(db: Session) -> None:
    owner = person(db)
    plan = plans.create_plan(
        session=db,
        owner=owner,
        draft=draft(
            StepDraft("a", due_date=date(2026, 3, 4)), StepDraft("b", due_date=date(2026, 3, 5))
        ),
        now=NOW,
    )
    a, b = plan.steps
    edit = plans.draft_of(plan)
    edit.steps[0].due_date = date(2026, 3, 6)
    del edit.steps[1]
    edit.steps.append(StepDraft("c"))
    plans.update_plan(session=db, owner=owner, plan=plan, draft=edit, now=NOW)
    assert [s.description for s in plan.steps] == ["a", "c"] and plan.steps[0].id == a.id
    assert work(db, STEP_REMINDER, a.id) == [
        (datetime(2026, 3, 4, 8, 0, tzinfo=UTC), "skipped"),
        (datetime(2026, 3, 6, 8, 0, tzinfo=UTC), "pending"),
    ]
    assert work(db, STEP_REMINDER, b.id)[0][1] == "skipped"
    # Back to the first date: the same reminder row comes back to life, nothing doubles.
    edit = plans.draft_of(plan)
    edit.steps[0].due_date = date(2026, 3, 4)
    plans.update_plan(session=db, owner=owner, plan=plan, draft=edit, now=NOW)
    assert [status for _, status in work(db, STEP_REMINDER, a.id)] == ["pending", "skipped"]


def test_ticking_done_cancels_the_reminder_and_unticking_restores_it(db: Session) -> None:
    owner = person(db)
    plan = plans.create_plan(
        session=db, owner=owner, draft=draft(StepDraft("a", due_date=date(2026, 3, 4))), now=NOW
    )
    step = plan.steps[0]
    plans.set_step_done(session=db, owner=owner, step_id=step.id, done=True, now=NOW)
    later = NOW + timedelta(minutes=5)
    plans.set_step_done(session=db, owner=owner, step_id=step.id, done=True, now=later)
    assert step.done_at == NOW  # the double click kept the first time
    assert work(db, STEP_REMINDER, step.id)[0][1] == "skipped"
    plans.set_step_done(session=db, owner=owner, step_id=step.id, done=False, now=later)
    assert step.done_at is None
    assert work(db, STEP_REMINDER, step.id)[0][1] == "pending"


def test_someone_else_cannot_touch_a_plan(db: Session) -> None:
    owner, other = person(db), person(db, "UOTHER")
    plan = plans.create_plan(session=db, owner=owner, draft=draft(), now=NOW)
    with pytest.raises(NotYours):
        plans.set_step_done(session=db, owner=other, step_id=plan.steps[0].id, done=True, now=NOW)
    with pytest.raises(NotYours):
        plans.plan_of(db, owner=other, plan_id=plan.id)
    with pytest.raises(NotYours):
        plans.update_plan(session=db, owner=other, plan=plan, draft=draft(), now=NOW)
    with pytest.raises(NotYours):
        plans.add_step(session=db, owner=other, plan=plan, row=StepDraft("x"), now=NOW)
    assert plan.steps[0].done_at is None and len(plan.steps) == 1


def test_reminder_follows_a_new_time_zone(db: Session) -> None:
    owner = person(db)
    plan = plans.create_plan(
        session=db, owner=owner, draft=draft(StepDraft("a", due_date=date(2026, 3, 4))), now=NOW
    )
    step = plan.steps[0]
    owner.tz = "America/New_York"  # moved west: 09:00 there is 14:00 UTC
    row = db.scalars(select(DueWork).where(DueWork.subject_id == step.id)).one()
    at = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)
    assert clock.step_reminder_due(db, work=row, now=at) is None
    assert work(db, STEP_REMINDER, step.id)[-1] == (
        datetime(2026, 3, 4, 14, 0, tzinfo=UTC),
        "pending",
    )
    # The home tab re-syncs too: moving east, the earlier time replaces the later one.
    owner.tz = "Asia/Kolkata"
    clock.sync_reminders(db, owner=owner, now=NOW)
    pending = [w for w in work(db, STEP_REMINDER, step.id) if w[1] == "pending"]
    # 4 March 2026 is Holi, a public holiday in India: the next working morning, 09:00 there.
    assert pending == [(datetime(2026, 3, 5, 3, 30, tzinfo=UTC), "pending")]


def test_reminder_says_nothing_for_a_done_step_or_a_day_gone_by(db: Session) -> None:
    owner = person(db)
    plan = plans.create_plan(
        session=db, owner=owner, draft=draft(StepDraft("a", due_date=date(2026, 3, 4))), now=NOW
    )
    row = db.scalars(select(DueWork).where(DueWork.kind == STEP_REMINDER)).one()
    at = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)
    assert clock.step_reminder_due(db, work=row, now=at) is not None
    assert clock.step_reminder_due(db, work=row, now=at + timedelta(days=1)) is None
    plan.steps[0].done_at = at
    assert clock.step_reminder_due(db, work=row, now=at) is None


def test_summary_and_commitments_for_other_steps(db: Session) -> None:
    owner = person(db)
    plan = plans.create_plan(
        session=db,
        owner=owner,
        draft=draft(
            StepDraft("a", due_date=TODAY), StepDraft("b"), situation=Situation.REMOVED_FROM_PROJECT
        ),
        now=NOW,
    )
    plan.steps[1].done_at = NOW
    summary = plans.plan_summary(plan, today=TODAY + timedelta(days=1))
    assert (progress_text(summary), summary.overdue, summary.serious) == ("1 of 2 done", 1, True)
    assert plans.commitments_of(plan) == [] and plans.commitments_of(None) == []
