"""What the sandbox's clock calls the next scheduled message, in the words of the person who
gets it: never the scheduler's own name for its kind of work."""

from __future__ import annotations

from slackapp.kernel import kinds

# One entry per kind of due work that sends a message (a test checks none is missing).
WORDS = {
    kinds.STEP_REMINDER: "Reminder of a step due today",
    kinds.ACT_QUICKLY: "A nudge to talk to your manager soon",
    kinds.MEETING_NUDGE: "Reminder to answer the meeting request",
    kinds.MEETING_EXPIRY: "The meeting request runs out",
    kinds.MEETING_EXPIRED_MANAGER: "The meeting request runs out",
    kinds.MEETING_REMINDER_EMPLOYEE: "Reminder before the meeting",
    kinds.MEETING_REMINDER_MANAGER: "Reminder before the meeting",
    kinds.MEETING_FOLLOWUP: "How did it go?",
    kinds.FEEDBACK_REQUEST: "Feedback request",
    kinds.FEEDBACK_NUDGE: "Reminder to give feedback",
    kinds.FEEDBACK_REQUEST_CLOSED: "A missed feedback request closes",
    kinds.FEEDBACK_NUDGE_CLOSED: "A missed feedback request closes",
    kinds.FEEDBACK_MANAGER_UNREACHABLE: "A note that the manager can't be reached",
    kinds.FEEDBACK_MISSED_NOTICE: "A note about missed feedback requests",
    kinds.WORKFLOW_STEP_ENDED: "The workflow learns the manager's feedback",
    kinds.WORKFLOW_STEP_DEADLINE: "The workflow's feedback request runs out",
    kinds.FEEDBACK_HELD_NOTICE: "A note that your manager is away",
    kinds.WELCOME_BACK: "Welcome back after time away",
    kinds.SCHEDULE_RESUME_NOTICE: "A note on how to resume your feedback requests",
}
SCHEDULE = WORDS[kinds.FEEDBACK_REQUEST]
SOMETHING = "A scheduled message"


def describe(kind: str | None) -> str:
    return WORDS.get(str(kind), SOMETHING)
