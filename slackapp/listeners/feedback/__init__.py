"""Stage 4, prepare to perform: the schedule modal (schedule.py), the App Home's controls and
"Request feedback now" (controls.py), and the manager's answers (answers.py)."""

from __future__ import annotations

from slack_bolt import App

from slackapp.listeners.feedback import answers, controls, schedule


def register(app: App) -> None:
    schedule.register(app)
    controls.register(app)
    answers.register(app)
