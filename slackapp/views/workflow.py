"""The Workflow Builder step "Request feedback from a manager": what the workflow's owner reads
when it cannot run or ends without an answer (Slack shows it in the workflow's activity), and
the outputs a workflow can branch on."""

from __future__ import annotations

from slackapp.services.feedback import MAX_QUESTION_LENGTH, MAX_QUESTIONS
from slackapp.services.workflow_steps import ANSWER_WITHIN, StepRefusal
from slackapp.views.feedback_messages import RATING_LABELS
from slackapp.views.i18n import N_, _

_REFUSALS = {
    StepRefusal.NOT_THE_RUNNER: N_(
        "Feedback can only be requested by the person it is about: set “Employee” to the "
        "person who runs this workflow."
    ),
    StepRefusal.NO_EMPLOYEE: N_("Choose the employee who is asking for feedback."),
    StepRefusal.NO_MANAGER: N_("Choose the manager who should give the feedback."),
    StepRefusal.SAME_PERSON: N_(
        "The manager is the employee themself. Choose the person who should give the feedback."
    ),
    StepRefusal.MANAGER_IS_BOT: N_(
        "The manager chosen is an app or a bot, which can't give feedback. Choose a person."
    ),
    StepRefusal.MANAGER_DEACTIVATED: N_(
        "The manager chosen has been deactivated in Slack, so they can't give feedback. "
        "Choose someone who is still here."
    ),
    StepRefusal.MANAGER_NOT_FOUND: N_(
        "The manager chosen isn't in this workspace. Choose someone who is."
    ),
    StepRefusal.MANAGER_REFUSED: N_(
        "The manager chosen said they aren't this person's manager, so no request was sent to them."
    ),
    StepRefusal.ALREADY_WAITING: N_(
        "A feedback request from this person is already waiting on another manager. "
        "Try again once it has been answered."
    ),
    StepRefusal.UNREACHABLE: N_(
        "Slack could not deliver the feedback request to the manager (their account may have "
        "been deactivated)."
    ),
    StepRefusal.CLOSED: N_(
        "The feedback request was closed before the manager answered (a newer request "
        "replaced it, or it was withdrawn)."
    ),
    StepRefusal.DELETED: N_(
        "The feedback request was withdrawn: its data was deleted from Second Chance."
    ),
}


def step_error(refusal: StepRefusal) -> str:
    """Why the step failed, in a sentence for the workflow's owner."""
    if refusal is StepRefusal.NO_ANSWER:
        return _(
            "The manager didn't answer the feedback request within {days} days, so it was "
            "closed. The employee can ask again from Second Chance."
        ).format(days=ANSWER_WITHIN.days)
    if refusal is StepRefusal.TOO_MANY_QUESTIONS:
        return _("Ask at most {limit} questions, one per line.").format(limit=MAX_QUESTIONS)
    if refusal is StepRefusal.QUESTION_TOO_LONG:
        return _("Keep each question under {limit} characters.").format(limit=MAX_QUESTION_LENGTH)
    return _(_REFUSALS[refusal])


def step_outputs(rating: str, answers: list[dict[str, str]]) -> dict[str, str]:
    """The step's outputs: the rating (a stable value to branch on), its label, and the answers
    as the manager typed them, each under its question."""
    label = RATING_LABELS.get(rating, rating)
    lines = [
        f"{item.get('question', '')}\n{item.get('answer', '')}".strip()
        for item in answers
        if item.get("answer")
    ]
    return {"rating": rating, "rating_label": _(label), "answers": "\n\n".join(lines)}
