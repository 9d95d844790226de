"""Whether the person a job is about to message is away (said in the app, or their Slack status
read now), and the Hold that puts the same work back on the clock for their return."""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Person
from slackapp.jobs.registry import Hold, JobContext
from slackapp.jobs.slack_checks import status_profile
from slackapp.kernel import due_work
from slackapp.services.working_time import Away, away


def away_now(ctx: JobContext, person: Person) -> Away | None:
    profile = status_profile(ctx.slack(), person.slack_user_id) if ctx.slack else None
    return away(person, ctx.now, profile)


def hold_while_away(ctx: JobContext, person: Person) -> Hold | None:
    """A reminder the app starts (a nudge) waits for the person's first working morning back,
    rather than reaching them on leave; None when they are at work."""
    gone = away_now(ctx, person)
    if gone is None:
        return None
    work = ctx.work
    workspace_id, kind, subject_id = work.workspace_id, work.kind, work.subject_id
    again_at = max(gone.recheck_at, ctx.now)

    def later(session: Session) -> None:
        due_work.schedule_again(
            session, workspace_id=workspace_id, kind=kind, subject_id=subject_id, due_at=again_at
        )

    return Hold(on_held=later)
