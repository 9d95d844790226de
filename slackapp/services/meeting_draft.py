"""Stage 3: what the employee shares with the manager beside the message, and what the
message repeats of it (the first draft of the message itself: views/meeting_draft.py).

Built only from the plan's title, its steps and the reflection's commitments; the reflection's
private notes never go near it.
"""

from __future__ import annotations

from typing import Any

from models import Plan

MESSAGE_MAX = 2800  # leaves room in a 3000-character section for the rest of the DM


STEPS, COMMITMENTS = "steps", "commitments"  # what can be shared below the message


def shared_snapshot(
    plan: Plan | None, *, share_steps: bool, share_commitments: bool
) -> dict[str, Any]:
    """What the manager will see besides the message, copied field by field (no private notes)."""
    if plan is None:
        return {}
    shared: dict[str, Any] = {"plan_title": plan.title}
    if share_steps:
        shared["steps"] = [
            {
                "text": step.description,
                "done": step.done_at is not None,
                "due": step.due_date.isoformat() if step.due_date else None,
            }
            for step in plan.steps
        ]
    if share_commitments and plan.reflection is not None:
        shared["commitments"] = [c.text for c in plan.reflection.commitments]
    return shared


def repeated_in_message(message: str, shared: dict[str, Any]) -> list[str]:
    """The shared steps and commitments the message also spells out (the employee typed them
    in, or kept them from an older draft): the manager would read them twice."""
    said = " ".join(message.split()).casefold()
    items = [step.get("text") or "" for step in shared.get("steps") or []]
    items += list(shared.get("commitments") or [])
    return [
        item
        for item in items
        if len(" ".join(item.split())) >= 12 and " ".join(item.split()).casefold() in said
    ]
