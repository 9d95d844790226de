"""Events: the App Home, and uninstalls."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from slackapp.listeners.context import actor
from slackapp.listeners.home import publish_home as show_home
from slackapp.services.workspaces import uninstall


def publish_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if event.get("tab") not in (None, "home"):
        return
    who = actor(context, client, refresh_tz=True)
    show_home(client, who.db, who.person, now=who.clock.now())
    who.db.commit()


def app_uninstalled(context: BoltContext) -> None:
    uninstall(
        context["db"],
        team_id=context.team_id or "",
        enterprise_id=context.enterprise_id,
        now=context["clock"].now(),
    )
    context["db"].commit()


def register(app: App) -> None:
    app.event("app_home_opened")(publish_home)
    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(app_uninstalled)
