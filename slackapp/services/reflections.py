"""Step 2, be introspective: contributing factors, the real cause, and commitments.

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

ROOT_CAUSE_MAX = 3000
COMMITMENT_MAX = 300
NOTES_MAX = 3000
MAX_COMMITMENTS = 8

# In the order the modal lists them; the keys are stored.
FACTORS: dict[str, str] = {
    "time_management": "Time management",
    "temper": "Temper / reacting under stress",
    "attention_to_detail": "Attention to detail",
    "communication": "Communication",
    "workload": "Workload and priorities",
    "knowledge_gap": "A gap in knowledge or training",
    "other": "Other",
}

# Example commitments: concrete actions, not promises ("I'll be more careful").
HINTS: dict[str, list[str]] = {
    "time_management": [
        "Block 30 minutes each morning to plan the day",
        "Put every deadline in my calendar with a reminder two days before",
        "Say no to new work until today's top priority is done",
    ],
    "temper": [
        "Take a ten-minute walk before answering anything that makes me angry",
        "Wait until the next morning before sending a reply written in anger",
        "Ask one question before reacting when I disagree in a meeting",
    ],
    "attention_to_detail": [
        "Check every order against a checklist before sending it",
        "Ask a colleague to review anything that goes to a customer",
        "Read important emails aloud once before sending them",
    ],
    "communication": [
        "Tell my manager by noon the same day when a task is at risk",
        "Confirm in writing what was agreed after every customer call",
        "Send my manager a three-line status update every Friday",
    ],
    "workload": [
        "Review my task list and priorities with my manager every Monday",
        "Flag it the same day when I have more work than time",
        "Finish one task before starting the next",
    ],
    "knowledge_gap": [
        "Complete the training on the process by the end of the month",
        "Book an hour with an expert on the team to walk me through it",
        "Write down each new procedure I learn and keep it at hand",
    ],
    "other": [
        "Name one action: what, when, and how I'll know I did it",
        "Pick one habit to start this week, and one to stop",
    ],
}


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


def hints_for(factors: list[str]) -> list[tuple[str, list[str]]]:
    return [(FACTORS[key], HINTS[key]) for key in known_factors(factors)]


def validate_reflection(draft: ReflectionDraft) -> dict[str, str]:
    errors: dict[str, str] = {}
    cause = draft.root_cause
    if cause is None or not cause.strip():
        errors["root_cause"] = (
            "In a sentence or two, name what really caused it. Only you will see it."
        )
    elif len(cause) > ROOT_CAUSE_MAX:
        errors["root_cause"] = f"Please keep this under {ROOT_CAUSE_MAX} characters."
    if draft.private_notes is not None and len(draft.private_notes) > NOTES_MAX:
        errors["private_notes"] = f"Please keep your notes under {NOTES_MAX} characters."
    if len(draft.commitments) > MAX_COMMITMENTS:
        errors[f"commitment_{MAX_COMMITMENTS}"] = f"At most {MAX_COMMITMENTS} commitments."
    for i, text in enumerate(draft.commitments[:MAX_COMMITMENTS]):
        if not text.strip():
            errors[f"commitment_{i}"] = "Write one concrete action here, or remove this line."
        elif len(text) > COMMITMENT_MAX:
            errors[f"commitment_{i}"] = (
                f"Please keep a commitment under {COMMITMENT_MAX} characters; "
                "split it into two if you need to."
            )
    if not draft.commitments:
        errors["commitment_0"] = "Add at least one thing you will do differently."
    return errors


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
