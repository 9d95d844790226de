"""Stage 1, fix what went wrong: the repair plan and its steps (their clock: plan_reminders).

Other stages read a plan through `active_plan` (services.plan_queries), `plan_summary` and
`commitments_of`; everything that changes a plan goes through the functions here, which check
that the person acting owns it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Person, Plan, PlanStatus, Situation, Step
from slackapp.kernel import due_work, kinds
from slackapp.services.plan_queries import active_plan
from slackapp.services.plan_reminders import (
    sync_act_quickly,
    sync_step_reminder,
)
from slackapp.services.problems import Code, Problem, Problems

TITLE_MAX = 150
WHAT_HAPPENED_MAX = 3000
AFFECTED_OTHERS_MAX = 500
STEP_MAX = 500
MAX_STEPS = 10  # enough for a real repair, and three inputs each stay well inside 100 blocks
LINK_MAX = 500
# A Slack permalink (chat.getPermalink), threads' query string included: nothing that could
# break out of a mrkdwn link.
_LINK = re.compile(r"^https://[A-Za-z0-9.-]+(/[A-Za-z0-9._~%/?=&-]*)?$")


def clean_link(value: object) -> str | None:
    """A message's permalink as the app may store and show it; anything else is None."""
    if isinstance(value, str) and len(value) <= LINK_MAX and _LINK.match(value):
        return value
    return None


class NotYours(Exception):
    """The plan or step is someone else's, or gone. Callers say so without saying whose."""


class PlanNotActive(Exception):
    """The plan was replaced by a newer one (or closed) since the modal was opened."""


class PlanAlreadyActive(Exception):
    def __init__(self, plan: Plan) -> None:
        super().__init__("an active plan exists")
        self.plan = plan


@dataclass
class StepDraft:
    description: str
    due_date: date | None = None
    is_apology: bool = False
    step_id: int | None = None  # the stored step this row edits; None for a new one
    source_link: str | None = None  # the message it was added from (a permalink)


@dataclass
class PlanDraft:
    title: str = ""
    what_happened: str | None = None
    affected_user_ids: list[str] = field(default_factory=list)
    affected_others: str | None = None
    situation: Situation = Situation.NOTHING_FORMAL
    steps: list[StepDraft] = field(default_factory=lambda: [StepDraft("")])
    source_link: str | None = None  # the message it was started from (a permalink)


@dataclass(frozen=True)
class PlanSummary:
    """Where a plan stands, for the App Home and for other steps' messages."""

    title: str
    done: int
    total: int
    overdue: int
    serious: bool


def is_overdue(step: Step, today: date) -> bool:
    return step.done_at is None and step.due_date is not None and step.due_date < today


# -- validation ---------------------------------------------------------------------------------


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def _too_long(text: str | None, limit: int) -> bool:
    return text is not None and len(text) > limit


def validate_step(
    step: StepDraft, *, index: int, today: date, stored_due: date | None = None
) -> Problems:
    problems: Problems = {}
    key = f"step_{index}"
    if _blank(step.description):
        problems[f"{key}_description"] = Problem(Code.MISSING)
    elif _too_long(step.description, STEP_MAX):
        problems[f"{key}_description"] = Problem(
            Code.TOO_LONG, limit=STEP_MAX, count=len(step.description)
        )
    # A date already stored may lie in the past by now; only a newly chosen one must not.
    if step.due_date is not None and step.due_date < today and step.due_date != stored_due:
        problems[f"{key}_due_date"] = Problem(Code.PASSED)
    return problems


def validate_added_step(step: StepDraft, *, plan: Plan, today: date) -> Problems:
    """One step added to a plan that may already hold as many as it can."""
    problems = validate_step(step, index=0, today=today)
    if len(plan.steps) >= MAX_STEPS:
        problems["step_0_description"] = Problem(Code.TOO_MANY, limit=MAX_STEPS)
    return problems


def validate_plan(draft: PlanDraft, *, today: date, plan: Plan | None = None) -> Problems:
    """Field -> problem for everything wrong with the draft; empty when it can be saved."""
    problems: Problems = {}
    if _blank(draft.title):
        problems["title"] = Problem(Code.MISSING)
    elif _too_long(draft.title, TITLE_MAX):
        problems["title"] = Problem(Code.TOO_LONG, limit=TITLE_MAX)
    if _too_long(draft.what_happened, WHAT_HAPPENED_MAX):
        problems["what_happened"] = Problem(Code.TOO_LONG, limit=WHAT_HAPPENED_MAX)
    if _too_long(draft.affected_others, AFFECTED_OTHERS_MAX):
        problems["affected_others"] = Problem(Code.TOO_LONG, limit=AFFECTED_OTHERS_MAX)
    if len(draft.steps) > MAX_STEPS:
        problems[f"step_{MAX_STEPS}_description"] = Problem(Code.TOO_MANY, limit=MAX_STEPS)
    stored = {s.id: s.due_date for s in plan.steps} if plan is not None else {}
    for i, step in enumerate(draft.steps[:MAX_STEPS]):
        problems |= validate_step(
            step, index=i, today=today, stored_due=stored.get(step.step_id or -1)
        )
    if not draft.steps:
        problems["step_0_description"] = Problem(Code.NONE)
    return problems


# -- reading ------------------------------------------------------------------------------------


def plan_of(session: Session, *, owner: Person, plan_id: int) -> Plan:
    plan = session.get(Plan, plan_id)
    if plan is None or plan.owner_id != owner.id or plan.workspace_id != owner.workspace_id:
        raise NotYours
    return plan


def step_of(session: Session, *, owner: Person, step_id: int) -> Step:
    step = session.get(Step, step_id)
    if step is None:
        raise NotYours
    plan_of(session, owner=owner, plan_id=step.plan_id)
    return step


def plan_summary(plan: Plan, *, today: date) -> PlanSummary:
    return PlanSummary(
        title=plan.title,
        done=sum(1 for s in plan.steps if s.done_at is not None),
        total=len(plan.steps),
        overdue=sum(1 for s in plan.steps if is_overdue(s, today)),
        serious=Situation(plan.situation).serious,
    )


def commitments_of(plan: Plan | None) -> list[str]:
    """The reflection's commitments, in order: what meeting and feedback requests refer to."""
    if plan is None or plan.reflection is None:
        return []
    return [c.text for c in plan.reflection.commitments]


def archived_count(session: Session, *, owner: Person) -> int:
    return len(
        session.scalars(
            select(Plan.id).where(
                Plan.owner_id == owner.id, Plan.status == PlanStatus.ARCHIVED.value
            )
        ).all()
    )


def draft_of(plan: Plan) -> PlanDraft:
    return PlanDraft(
        title=plan.title,
        what_happened=plan.what_happened,
        affected_user_ids=list(plan.affected_user_ids or []),
        affected_others=plan.affected_others,
        situation=Situation(plan.situation),
        steps=[
            StepDraft(
                s.description, s.due_date, s.is_apology, step_id=s.id, source_link=s.source_link
            )
            for s in plan.steps
        ],
        source_link=plan.source_link,
    )


# -- changing -----------------------------------------------------------------------------------


def _lock_owner(session: Session, owner: Person) -> None:
    """Serialise plan changes per person, so two submits cannot both find no active plan."""
    session.execute(select(Person.id).where(Person.id == owner.id).with_for_update())


def _fill(plan: Plan, draft: PlanDraft) -> None:
    plan.title = draft.title
    plan.what_happened = draft.what_happened
    plan.affected_user_ids = list(draft.affected_user_ids)
    plan.affected_others = draft.affected_others
    plan.situation = draft.situation.value
    if draft.source_link is not None:
        plan.source_link = clean_link(draft.source_link)


def create_plan(
    *,
    session: Session,
    owner: Person,
    draft: PlanDraft,
    now: datetime,
    replacing: int | None = None,
) -> Plan:
    """A new active plan. An active plan is only archived when the person confirmed replacing
    that very plan (`replacing`); otherwise PlanAlreadyActive, and nothing changes."""
    _lock_owner(session, owner)
    current = active_plan(session, owner)
    if current is not None:
        if current.id != replacing:
            raise PlanAlreadyActive(current)
        archive_plan(session=session, owner=owner, plan=current, now=now)
    plan = Plan(workspace_id=owner.workspace_id, owner_id=owner.id, created_at=now)
    _fill(plan, draft)
    for position, row in enumerate(draft.steps):
        plan.steps.append(_new_step(plan, row, position, now))
    session.add(plan)
    session.flush()
    for step in plan.steps:
        sync_step_reminder(session, step=step, owner=owner, now=now)
    sync_act_quickly(session, plan=plan, now=now)
    return plan


def _new_step(plan: Plan, row: StepDraft, position: int, now: datetime) -> Step:
    return Step(
        workspace_id=plan.workspace_id,
        position=position,
        description=row.description,
        due_date=row.due_date,
        is_apology=row.is_apology,
        source_link=clean_link(row.source_link),
        created_at=now,
    )


def update_plan(
    *, session: Session, owner: Person, plan: Plan, draft: PlanDraft, now: datetime
) -> Plan:
    """Save an edit: rows with a step id change that step (done stays done), rows without one
    are new steps, and steps no longer listed are removed with their reminders."""
    if plan.owner_id != owner.id:
        raise NotYours
    if plan.status != PlanStatus.ACTIVE.value:
        raise PlanNotActive
    _fill(plan, draft)
    existing = {s.id: s for s in plan.steps}
    kept: list[Step] = []
    for position, row in enumerate(draft.steps):
        step = existing.pop(row.step_id, None) if row.step_id is not None else None
        if step is None:
            step = _new_step(plan, row, position, now)
        step.position = position
        step.description = row.description
        step.due_date = row.due_date
        step.is_apology = row.is_apology
        if row.source_link is not None:
            step.source_link = clean_link(row.source_link)
        kept.append(step)
    for gone in existing.values():
        due_work.cancel(session, kind=kinds.STEP_REMINDER, subject_id=gone.id, now=now)
    plan.steps = kept
    session.flush()
    for step in plan.steps:
        sync_step_reminder(session, step=step, owner=owner, now=now)
    sync_act_quickly(session, plan=plan, now=now)
    return plan


def add_step(*, session: Session, owner: Person, plan: Plan, row: StepDraft, now: datetime) -> Step:
    if plan.owner_id != owner.id:
        raise NotYours
    if plan.status != PlanStatus.ACTIVE.value:
        raise PlanNotActive
    step = _new_step(plan, row, len(plan.steps), now)
    plan.steps.append(step)
    session.flush()
    sync_step_reminder(session, step=step, owner=owner, now=now)
    return step


def set_step_done(
    *, session: Session, owner: Person, step_id: int, done: bool, now: datetime
) -> Step:
    """Tick or untick a step. Conditional updates, so a double click has one outcome."""
    step = step_of(session, owner=owner, step_id=step_id)
    if step.plan.status != PlanStatus.ACTIVE.value:
        raise PlanNotActive
    if done:
        condition, value = Step.done_at.is_(None), now
    else:
        condition, value = Step.done_at.is_not(None), None
    session.execute(
        update(Step).where(Step.id == step.id, condition).values(done_at=value),
        execution_options={"synchronize_session": False},
    )
    session.refresh(step)
    sync_step_reminder(session, step=step, owner=owner, now=now)
    return step


def archive_plan(*, session: Session, owner: Person, plan: Plan, now: datetime) -> None:
    """Replaced by a new plan: kept in history; its reminders stop."""
    _end_plan(
        session,
        owner,
        plan,
        values={"status": PlanStatus.ARCHIVED.value, "archived_at": now},
        now=now,
    )


def close_plan(*, session: Session, owner: Person, plan: Plan, now: datetime) -> None:
    """The employee is done with the plan: kept in history, reminders stop, and feedback_schedules that
    end "when the plan is closed" send nothing more."""
    _end_plan(
        session, owner, plan, values={"status": PlanStatus.CLOSED.value, "closed_at": now}, now=now
    )


def _end_plan(
    session: Session, owner: Person, plan: Plan, *, values: dict[str, object], now: datetime
) -> None:
    if plan.owner_id != owner.id:
        raise NotYours
    session.execute(
        update(Plan)
        .where(Plan.id == plan.id, Plan.status == PlanStatus.ACTIVE.value)
        .values(**values),
        execution_options={"synchronize_session": False},
    )
    session.refresh(plan)
    for step in plan.steps:
        due_work.cancel(session, kind=kinds.STEP_REMINDER, subject_id=step.id, now=now)
    due_work.cancel(session, kind=kinds.ACT_QUICKLY, subject_id=plan.id, now=now)
