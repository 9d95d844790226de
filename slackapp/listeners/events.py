"""Events: the App Home, uninstalls, and accounts deactivated in Slack."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from slackapp.listeners.glue import actor, lookup
from slackapp.listeners.home import publish_home as show_home
from slackapp.services.plan_reminders import sync_reminders
from slackapp.services.retention import account_changed
from slackapp.services.workspaces import uninstall


def publish_home(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if event.get("tab") not in (None, "home"):
        return
    who = actor(context, client, refresh_tz=True)
    now = who.clock.now()
    # Opening the home tab is where a changed time zone arrives (actor asked Slack), so the
    # step reminders move to 09:00 in the new zone here (one read when nothing changed).
    sync_reminders(who.db, owner=who.person, now=now)
    who.save()
    show_home(client, who.db, who.person, now=now)
    who.save()


def app_uninstalled(context: BoltContext) -> None:
    uninstall(
        context["db"],
        team_id=context.team_id or "",
        enterprise_id=context.enterprise_id,
        now=context["clock"].now(),
        retention=context["retention"],
        org_wide=bool(context.is_enterprise_install),
    )
    context["db"].commit()


def tokens_revoked(event: dict[str, Any], context: BoltContext) -> None:
    """The bot token revoked is an uninstall in all but name; user tokens alone (the app keeps
    none) change nothing."""
    tokens = event.get("tokens")
    if isinstance(tokens, dict) and tokens.get("bot"):
        app_uninstalled(context)


def user_changed(event: dict[str, Any], context: BoltContext) -> None:
    """Slack tells the app when an account is deactivated (`deleted: true`), or comes back."""
    user = event.get("user")
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        return
    workspace, _ = lookup(context)
    if workspace is None:
        return
    account_changed(
        context["db"],
        workspace=workspace,
        slack_user_id=user["id"],
        deactivated=user.get("deleted") is True,
        now=context["clock"].now(),
        retention=context["retention"],
    )
    context["db"].commit()


def register(app: App) -> None:
    app.event("app_home_opened")(publish_home)
    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)
    app.event("user_change")(user_changed)
