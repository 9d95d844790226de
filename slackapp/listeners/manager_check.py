"""The manager check, shared by the meeting and feedback stages: users.info on the person picked,
and whether they already said they aren't this employee's manager."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from slackapp.listeners.glue import Actor
from slackapp.services import refusals
from slackapp.services.people import ensure_person, find_person
from slackapp.views.i18n import _
from slackapp.views.refusal import (
    MANAGER_DEACTIVATED,
    MANAGER_IS_YOU,
    MANAGER_NOT_A_PERSON,
    MANAGER_NOT_FOUND,
    SOMEONE,
    field_error,
)


@dataclass(frozen=True)
class ManagerCheck:
    user_id: str
    tz: str | None
    problem: str | None

    def as_metadata(self) -> dict[str, Any]:
        return {"user": self.user_id, "tz": self.tz, "problem": self.problem}

    @classmethod
    def from_metadata(cls, data: Any) -> ManagerCheck | None:
        if not isinstance(data, dict) or not data.get("user"):
            return None
        return cls(str(data["user"]), data.get("tz"), data.get("problem"))


def check_manager(who: Actor, user_id: str) -> ManagerCheck:
    """users.info: the manager must be someone else, a person, still active, and not someone who
    said they aren't this employee's manager. A person who passes is met (saved) at once."""
    if user_id == who.user_id:
        return ManagerCheck(user_id, None, _(MANAGER_IS_YOU))
    try:
        user = who.client.users_info(user=user_id, include_locale=True)["user"]
    except SlackApiError:
        return ManagerCheck(user_id, None, _(MANAGER_NOT_FOUND))
    if user.get("deleted"):
        return ManagerCheck(user_id, None, _(MANAGER_DEACTIVATED))
    if user.get("is_bot") or user.get("is_app_user") or user_id == "USLACKBOT":
        return ManagerCheck(user_id, None, _(MANAGER_NOT_A_PERSON))
    tz = str(user.get("tz") or "UTC")
    manager = ensure_person(who.db, workspace=who.workspace, slack_user_id=user_id, tz=tz)
    if user.get("locale"):
        manager.slack_locale = str(user["locale"])
    who.save()  # met (with their language) before the modal moves on: a submit may follow
    return ManagerCheck(user_id, tz, refusal_problem(who, user_id))


def refusal_problem(who: Actor, user_id: str) -> str | None:
    """The field error when the employee picks someone who said they aren't their manager."""
    named = find_person(who.db, workspace_id=who.workspace.id, slack_user_id=user_id)
    if named is None or not refusals.has_refused(
        who.db, employee_id=who.person.id, person_id=named.id
    ):
        return None
    return field_error(_name(who.client, user_id))


def _name(client: WebClient, user_id: str) -> str:
    """Modal field errors are plain text, where a mention would not show a name."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError:
        return _(SOMEONE)
    profile = user.get("profile") or {}
    return str(user.get("real_name") or profile.get("display_name") or _(SOMEONE))
