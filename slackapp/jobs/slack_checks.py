"""What the dispatcher asks Slack before it decides: was this already sent, is this person gone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import DueWork
from slackapp.jobs.registry import Delivery

# The metadata every scheduled send carries, so a retry can find it in the DM's history.
METADATA_EVENT = "secondchance_due_work"

# Slack's answers meaning the person cannot be reached any more: deactivated, left, not found.
UNREACHABLE = {"user_not_found", "user_disabled", "cannot_dm_bot", "is_archived"}
# Answers that may mean the same, or something else (account_inactive is documented for the
# token's own account): users.info decides.
MAYBE_UNREACHABLE = {"account_inactive", "channel_not_found"}


@dataclass(frozen=True)
class Reach:
    """What a failed send says about its recipient."""

    unreachable: bool  # they can no longer get DMs: the delivery's on_unreachable applies
    # users.info says `deleted: true`: the account is deactivated, which the app may not have
    # heard from a user_change event (missed while it was down, or never subscribed).
    deactivated: bool = False


def reach(client: WebClient, code: str, user_id: str) -> Reach:
    """Whether a failed send's error code means the person can no longer get DMs, and whether
    their account is deactivated. users.info is asked only when the code points that way."""
    if code not in UNREACHABLE and code not in MAYBE_UNREACHABLE:
        return Reach(unreachable=False)
    account = _account(client, user_id)
    return Reach(
        unreachable=code in UNREACHABLE or account in ("deleted", "not_found"),
        deactivated=account == "deleted",
    )


def _account(client: WebClient, user_id: str) -> str:
    """What users.info says of the account: deleted, not_found, present, or unknown (it could
    not say)."""
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError as error:
        response = error.response
        found = response is not None and response.get("error") == "user_not_found"
        return "not_found" if found else "unknown"
    except Exception:
        return "unknown"
    return "deleted" if user.get("deleted") is True else "present"


def already_sent(client: WebClient, work: DueWork, delivery: Delivery) -> tuple[str, str] | None:
    """A worker may have sent this and died before recording it: look in the DM first."""
    channel = str(client.conversations_open(users=delivery.user_id)["channel"]["id"])
    oldest = f"{(work.due_at - timedelta(days=1)).timestamp():.6f}"
    cursor: str | None = None
    for _page in range(10):
        history = client.conversations_history(
            channel=channel, oldest=oldest, limit=200, include_all_metadata=True, cursor=cursor
        )
        messages: list[dict[str, Any]] = history.get("messages") or []
        for message in messages:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and payload.get("due_work_id") == work.id
            ):
                return channel, str(message["ts"])
        cursor = (history.get("response_metadata") or {}).get("next_cursor") or None
        if not history.get("has_more") or not cursor:
            break
    return None


def status_profile(client: WebClient, user_id: str) -> dict[str, Any] | None:
    """The person's profile from users.info (status_emoji, status_text, status_expiration), or
    None when Slack cannot say: a request is never held on a guess."""
    try:
        user = client.users_info(user=user_id)["user"]
    except Exception:
        return None
    profile = user.get("profile") if isinstance(user, dict) else None
    return profile if isinstance(profile, dict) else None
