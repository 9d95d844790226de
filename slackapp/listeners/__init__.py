"""Thin Bolt glue, one module (or package) per stage: each registers plain functions that tests
can call directly. The App Home's sections are in home_sections.py, each stage's opener in
openers.py, and what every listener does in glue.py."""

from __future__ import annotations

from slack_bolt import App

from slackapp.listeners import (
    actions,
    checkin,
    comeback,
    commands,
    events,
    feedback,
    language,
    meeting,
    plan,
    privacy,
    reflection,
    refusal,
    shortcuts,
    workflow,
    working_time,
)


def register_listeners(app: App) -> None:
    commands.register(app)
    actions.register(app)
    events.register(app)
    plan.register(app)
    reflection.register(app)
    meeting.register(app)
    feedback.register(app)
    refusal.register(app)
    privacy.register(app)
    shortcuts.register(app)
    workflow.register(app)
    working_time.register(app)
    language.register(app)
    checkin.register(app)
    comeback.register(app)
