"""Due work of step 1: the 09:00 reminder of a dated step, and the "act quickly" nudge.

Scheduled by services.plans (on save, tick, edit, archive); these handlers decide at send time
whether there is still something to say.
"""

from __future__ import annotations

from slackapp.jobs.registry import Delivery, JobContext
from slackapp.services.plan_reminders import act_quickly_due, step_reminder_due
from slackapp.views.i18n import read_as
from slackapp.views.plan_messages import act_quickly_message, step_reminder_message


def remind_of_step(job: JobContext) -> Delivery | None:
    """Nothing when the step is done (or gone, or its day is over) by the time it falls due."""
    due = step_reminder_due(job.session, work=job.work, now=job.now)
    if due is None:
        return None
    read_as(due.owner.reads)
    text, blocks = step_reminder_message(due.step, due.plan)
    return Delivery(
        user_id=due.owner.slack_user_id,
        text=text,
        blocks=blocks,
        extra_metadata={"step_id": due.step.id},
    )


def nudge_to_act_quickly(job: JobContext) -> Delivery | None:
    """One gentle DM, only if the situation is still serious and no meeting was requested."""
    due = act_quickly_due(job.session, plan_id=job.work.subject_id, now=job.now)
    if due is None:
        return None
    plan, owner = due
    read_as(owner.reads)
    text, blocks = act_quickly_message(plan)
    return Delivery(
        user_id=owner.slack_user_id, text=text, blocks=blocks, extra_metadata={"plan_id": plan.id}
    )
