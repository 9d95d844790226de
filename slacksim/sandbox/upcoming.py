"""What the sandbox's clock calls the next scheduled message, in the words of the person who
gets it: never the scheduler's own name for its kind of work."""

from __future__ import annotations

from slackapp.jobs.meeting import EXPIRED_MANAGER
from slackapp.services import feedback, meeting_clock, plan_reminders, retention

# One entry per kind of due work the app registers (a test checks none is missing).
WORDS = {
    plan_reminders.STEP_REMINDER: "Reminder of a step due today",
    plan_reminders.ACT_QUICKLY: "A nudge to talk to your manager soon",
    meeting_clock.NUDGE: "Reminder to answer the meeting request",
    meeting_clock.EXPIRY: "The meeting request runs out",
    EXPIRED_MANAGER: "The meeting request runs out",
    meeting_clock.REMIND_EMPLOYEE: "Reminder before the meeting",
    meeting_clock.REMIND_MANAGER: "Reminder before the meeting",
    meeting_clock.FOLLOWUP: "How did it go?",
    feedback.KIND_REQUEST: "Feedback request",
    feedback.KIND_NUDGE: "Reminder to give feedback",
    feedback.KIND_CLOSED: "A missed feedback request closes",
    feedback.KIND_NUDGE_CLOSED: "A missed feedback request closes",
    feedback.KIND_UNREACHABLE: "A note that the manager can't be reached",
    feedback.KIND_MISSED_NOTICE: "A note about missed feedback requests",
    retention.RESUME_NOTICE: "A note on how to resume your feedback requests",
}
SCHEDULE = WORDS[feedback.KIND_REQUEST]
SOMETHING = "A scheduled message"


def describe(kind: str | None) -> str:
    return WORDS.get(str(kind), SOMETHING)
