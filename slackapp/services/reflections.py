"""Stage 2, be introspective: contributing factors, the real cause, and commitments.

A reflection belongs to the active plan. Its commitments are what the meeting request and the
feedback requests refer to later (`services.plans.commitments_of`); the private notes are never
shared with anyone and never leave this module's callers' own views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Commitment, Person, Plan, PlanStatus, Reflection
from slackapp.services.plans import NotYours, PlanNotActive
from slackapp.services.problems import Code, Problem, Problems

ROOT_CAUSE_MAX = 3000
COMMITMENT_MAX = 300
NOTES_MAX = 3000
MAX_COMMITMENTS = 8

# The contributing factors, in the order the modal lists them; these keys are stored (their
# labels and example commitments are in views/reflection_hints.py).
FACTORS = (
    "time_management",
    "temper",
    "attention_to_detail",
    "communication",
    "workload",
    "knowledge_gap",
    "other",
)


@dataclass
class ReflectionDraft:
    factors: list[str] = field(default_factory=list)
    root_cause: str | None = None
    commitments: list[str] = field(default_factory=lambda: [""])
    private_notes: str | None = None


def known_factors(keys: list[str]) -> list[str]:
    """Only factors the app knows, in the modal's order."""
    chosen = set(keys)
    return [key for key in FACTORS if key in chosen]


def validate_reflection(draft: ReflectionDraft) -> Problems:
    problems: Problems = {}
    cause = draft.root_cause
    if cause is None or not cause.strip():
        problems["root_cause"] = Problem(Code.MISSING)
    elif len(cause) > ROOT_CAUSE_MAX:
        problems["root_cause"] = Problem(Code.TOO_LONG, limit=ROOT_CAUSE_MAX)
    if draft.private_notes is not None and len(draft.private_notes) > NOTES_MAX:
        problems["private_notes"] = Problem(Code.TOO_LONG, limit=NOTES_MAX)
    if len(draft.commitments) > MAX_COMMITMENTS:
        problems[f"commitment_{MAX_COMMITMENTS}"] = Problem(Code.TOO_MANY, limit=MAX_COMMITMENTS)
    for i, text in enumerate(draft.commitments[:MAX_COMMITMENTS]):
        if not text.strip():
            problems[f"commitment_{i}"] = Problem(Code.MISSING)
        elif len(text) > COMMITMENT_MAX:
            problems[f"commitment_{i}"] = Problem(Code.TOO_LONG, limit=COMMITMENT_MAX)
    if not draft.commitments:
        problems["commitment_0"] = Problem(Code.NONE)
    return problems


def draft_of(reflection: Reflection | None) -> ReflectionDraft:
    if reflection is None:
        return ReflectionDraft()
    return ReflectionDraft(
        factors=known_factors(list(reflection.factors or [])),
        root_cause=reflection.root_cause,
        commitments=[c.text for c in reflection.commitments] or [""],
        private_notes=reflection.private_notes,
    )


def _reflection_for(session: Session, plan: Plan, now: datetime) -> Reflection:
    if plan.reflection is not None:
        return plan.reflection
    try:
        with session.begin_nested():
            reflection = Reflection(workspace_id=plan.workspace_id, plan=plan, created_at=now)
            session.add(reflection)
    except IntegrityError:
        # The same form submitted twice at once: the other submit made it; edit that one.
        session.expire(plan, ["reflection"])
        found = session.scalar(select(Reflection).where(Reflection.plan_id == plan.id))
        assert found is not None
        reflection = found
    return reflection


def save_reflection(
    *, session: Session, owner: Person, plan: Plan, draft: ReflectionDraft, now: datetime
) -> Reflection:
    """Create or edit the plan's reflection. Commitments keep their rows by position, so what
    other steps refer to stays put when only the wording changes."""
    if plan.owner_id != owner.id or plan.workspace_id != owner.workspace_id:
        raise NotYours
    if plan.status != PlanStatus.ACTIVE.value:
        raise PlanNotActive
    reflection = _reflection_for(session, plan, now)
    reflection.factors = known_factors(draft.factors)
    reflection.root_cause = draft.root_cause
    reflection.private_notes = draft.private_notes
    reflection.updated_at = now
    existing = list(reflection.commitments)
    for position, text in enumerate(draft.commitments):
        if position < len(existing):
            existing[position].text = text
        else:
            reflection.commitments.append(
                Commitment(
                    workspace_id=plan.workspace_id, position=position, text=text, created_at=now
                )
            )
    for extra in existing[len(draft.commitments) :]:
        reflection.commitments.remove(extra)
    session.flush()
    return reflection
