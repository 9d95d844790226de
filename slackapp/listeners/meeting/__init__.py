"""Stage 3, talk to your boss: compose, review and send (compose.py); what the employee does once
it is sent (sent.py); the manager's answers (answers.py); after the meeting (outcome.py); the
meeting in both calendars (calendar.py); the expectations both agree on (expectations.py)."""

from __future__ import annotations

from slack_bolt import App

from slackapp.listeners.meeting import answers, calendar, compose, expectations, outcome, sent


def register(app: App) -> None:
    compose.register(app)
    sent.register(app)
    answers.register(app)
    outcome.register(app)
    calendar.register(app)
    expectations.register(app)
