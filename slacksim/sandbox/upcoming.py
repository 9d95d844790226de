"""What the sandbox's clock calls the next scheduled message, in the words of the person who
gets it: never the scheduler's own name for its kind of work."""

from __future__ import annotations

from slackapp.kernel import kinds
from slackapp.views.i18n import N_, _

# One entry per kind of due work that sends a message (a test checks none is missing).
WORDS = {
    kinds.STEP_REMINDER: N_("Reminder of a step due today"),
    kinds.ACT_QUICKLY: N_("A nudge to talk to your manager soon"),
    kinds.MEETING_NUDGE: N_("Reminder to answer the meeting request"),
    kinds.MEETING_EXPIRY: N_("The meeting request runs out"),
    kinds.MEETING_EXPIRED_MANAGER: N_("The meeting request runs out"),
    kinds.MEETING_REMINDER_EMPLOYEE: N_("Reminder before the meeting"),
    kinds.MEETING_REMINDER_MANAGER: N_("Reminder before the meeting"),
    kinds.MEETING_FOLLOWUP: N_("How did it go?"),
    kinds.FEEDBACK_REQUEST: N_("Feedback request"),
    kinds.FEEDBACK_NUDGE: N_("Reminder to give feedback"),
    kinds.FEEDBACK_REQUEST_CLOSED: N_("A missed feedback request closes"),
    kinds.FEEDBACK_NUDGE_CLOSED: N_("A missed feedback request closes"),
    kinds.FEEDBACK_MANAGER_UNREACHABLE: N_("A note that the manager can't be reached"),
    kinds.FEEDBACK_MISSED_NOTICE: N_("A note about missed feedback requests"),
    kinds.WORKFLOW_STEP_ENDED: N_("The workflow learns the manager's feedback"),
    kinds.WORKFLOW_STEP_DEADLINE: N_("The workflow's feedback request runs out"),
    kinds.FEEDBACK_HELD_NOTICE: N_("A note that your manager is away"),
    kinds.FEEDBACK_ANSWER_NOTICE: N_("Your manager's feedback, in your DM"),
    kinds.CHECKIN: N_("How are you holding up?"),
    kinds.WELCOME_BACK: N_("Welcome back after time away"),
    kinds.SCHEDULE_RESUME_NOTICE: N_("A note on how to resume your feedback requests"),
}
SCHEDULE = WORDS[kinds.FEEDBACK_REQUEST]
SOMETHING = N_("A scheduled message")


def describe(kind: str | None) -> str:
    """In the reader's language (views.i18n.reading_as)."""
    return _(WORDS.get(str(kind), SOMETHING))
