"""Thin Bolt glue: each kind registers plain functions that tests can call directly."""

from __future__ import annotations

from slack_bolt import App

from slackapp.listeners import (
    actions,
    commands,
    events,
    feedback,
    manager_refusal,
    meeting,
    plan,
    privacy,
    reflection,
)


def register_listeners(app: App) -> None:
    commands.register(app)
    actions.register(app)
    events.register(app)
    plan.register(app)
    reflection.register(app)
    meeting.register(app)
    feedback.register(app)
    manager_refusal.register(app)
    privacy.register(app)
