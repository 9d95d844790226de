"""Stage 3's first draft of the message to the manager, in the employee's voice.

Built only from the plan's title, who was affected, its steps and the reflection's commitments;
the reflection's private notes never go near it.

The message and the shared sections below it split the work, so the manager reads each step
and commitment once: what is shared (ticked in the modal) is left out of the draft, which says
it is below; what is not shared is written into the draft.
"""

from __future__ import annotations

from collections.abc import Collection

from models import Plan
from slackapp.services.meeting_draft import COMMITMENTS, MESSAGE_MAX, STEPS
from slackapp.views.i18n import _
from slackapp.views.words import format_list, short_date


def _bullets(items: list[str], limit: int) -> str:
    shown = items[:limit]
    lines = [f"• {item}" for item in shown]
    if len(items) > limit:
        lines.append(_("• … and {count} more").format(count=len(items) - limit))
    return "\n".join(lines)


def _below(shared: Collection[str]) -> str | None:
    if STEPS in shared and COMMITMENTS in shared:
        return _(
            "My repair plan, and what I'll do differently from now on, are just under this message."
        )
    if STEPS in shared:
        return _("My repair plan is just under this message.")
    if COMMITMENTS in shared:
        return _("What I'll do differently from now on is just under this message.")
    return None


def draft_message(plan: Plan | None, *, shared: Collection[str] = (), limit: int = 8) -> str:
    """A first draft that follows the advice: own the mistake and its impact, no excuses, the
    repairs done and planned, the commitments, and a request for a private conversation.

    `shared` names what goes below the message ("steps", "commitments"): the draft points to it
    instead of listing it again.
    """
    opening = (
        _("I'd like to talk with you privately about the mistake I made: {title}.").format(
            title=plan.title.strip()
        )
        if plan is not None and plan.title.strip()
        else _("I'd like to talk with you privately about the mistake I made.")
    )
    affected = [_("my colleagues"), _("the company")]
    if plan is not None and (plan.affected_others or "").strip():
        affected.insert(0, (plan.affected_others or "").strip())
    impact = _(
        "I know it affected {people}, and I take full responsibility for it. I'm sorry for "
        "the trouble it caused."
    ).format(people=format_list(affected))
    parts = [opening, impact]
    if plan is not None and STEPS not in shared:
        done = [step.description.strip() for step in plan.steps if step.done_at is not None]
        planned = [
            step.description.strip()
            + (
                " " + _("(by {day})").format(day=short_date(step.due_date))
                if step.due_date is not None
                else ""
            )
            for step in plan.steps
            if step.done_at is None
        ]
        if done:
            parts.append(
                _("What I've already done to put it right:") + "\n" + _bullets(done, limit)
            )
        if planned:
            parts.append(_("What I'm still doing:") + "\n" + _bullets(planned, limit))
    if plan is not None and COMMITMENTS not in shared:
        commitments = (
            [c.text.strip() for c in plan.reflection.commitments] if plan.reflection else []
        )
        if commitments:
            parts.append(
                _("What I'll do differently from now on:") + "\n" + _bullets(commitments, limit)
            )
    below = _below(shared) if plan is not None else None
    if below:
        parts.append(below)
    parts.append(
        _(
            "Could we have a private conversation at one of the times below? I'd also like to hear "
            "your concerns, so that I can address them.\n\nThank you."
        )
    )
    text = "\n\n".join(parts)
    if len(text) > MESSAGE_MAX and limit > 1:
        return draft_message(plan, shared=shared, limit=limit // 2)
    return text[:MESSAGE_MAX]
