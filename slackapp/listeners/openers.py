"""Each stage's opener, for `/secondchance <stage>` and the journey's buttons, in journey order."""

from __future__ import annotations

from slackapp.listeners.feedback.schedule import open_feedback
from slackapp.listeners.meeting.compose import open_meeting
from slackapp.listeners.modals import Opener
from slackapp.listeners.plan import open_plan
from slackapp.listeners.reflection import open_reflect

STAGE_OPENERS: dict[str, Opener] = {
    "plan": open_plan,
    "reflect": open_reflect,
    "meeting": open_meeting,
    "feedback": open_feedback,
}
