"""Step 3, talk to your boss: what the employee and the manager listeners share, and register().

meeting_employee.py holds the employee's side (compose, review, send, cancel,
counter-proposals); meeting_manager.py the manager's (Accept, Propose another time, Decline);
meeting_outcome.py what comes after the meeting ("How did it go?", concerns).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock
from sqlalchemy.orm import Session

from models import MeetingRequest, Person
from slackapp.ids import parse_id
from slackapp.kernel.zones import zone
from slackapp.listeners.home import HOME_SECTIONS, WAITING_SECTIONS, publish_home
from slackapp.services import meetings, refusals
from slackapp.services.home_data import HomeData
from slackapp.views.meeting_home import concern_blocks, employee_request_blocks, manager_home_blocks
from slackapp.views.meeting_messages import (
    dicts,
    manager_outcome,
    manager_request_blocks,
    manager_request_text,
)

logger = logging.getLogger(__name__)

State = dict[str, dict[str, dict[str, Any]]]


# -- reading what Slack sent -----------------------------------------------------------------


def state_of(body: dict[str, Any]) -> State:
    return ((body.get("view") or {}).get("state") or {}).get("values") or {}


def entry(state: State, block_id: str) -> dict[str, Any]:
    """The one element's state in an input block (each of ours has exactly one)."""
    block = state.get(block_id) or {}
    return next(iter(block.values()), {}) if block else {}


def metadata(body: dict[str, Any]) -> dict[str, Any]:
    raw = (body.get("view") or {}).get("private_metadata") or ""
    try:
        loaded = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def request_id_of(value: Any) -> int | None:
    return parse_id(value)


def read_moment(
    state: State, date_block: str, time_block: str, *, tz: str, now: datetime
) -> tuple[datetime | None, dict[str, str]]:
    """A day and a time read in `tz` (the manager's zone). Errors name the block to fix."""
    day = entry(state, date_block).get("selected_date")
    at = entry(state, time_block)
    clock_time = at.get("selected_time")
    if not day and not clock_time:
        return None, {}
    if not clock_time:
        return None, {time_block: "Add a time for this day."}
    if not day:
        return None, {date_block: "Add a day for this time."}
    # The picker says which zone it was read in; it is the one the modal named.
    picker_zone = zone(at.get("timezone") or tz)
    moment = datetime.combine(
        date.fromisoformat(day), time.fromisoformat(clock_time), tzinfo=picker_zone
    ).astimezone(UTC)
    if moment <= now:
        return None, {time_block: "That time has already passed. Choose one in the future."}
    return moment, {}


# -- checking who the manager is -------------------------------------------------------------


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


def check_manager(client: WebClient, user_id: str, *, employee_user_id: str) -> ManagerCheck:
    """users.info: the manager must be someone else, a person, and still active."""
    if user_id == employee_user_id:
        return ManagerCheck(user_id, None, "That's you. Choose the person you report to.")
    try:
        user = client.users_info(user=user_id)["user"]
    except SlackApiError:
        return ManagerCheck(user_id, None, "I couldn't find that person. Please choose again.")
    if user.get("deleted"):
        return ManagerCheck(
            user_id, None, "That account is deactivated. Choose your current manager."
        )
    if user.get("is_bot") or user.get("is_app_user") or user_id == "USLACKBOT":
        return ManagerCheck(
            user_id, None, "That's an app, not a person. Choose the person you report to."
        )
    return ManagerCheck(user_id, str(user.get("tz") or "UTC"), None)


# -- telling people --------------------------------------------------------------------------


def refuse(client: WebClient, body: dict[str, Any], user_id: str, text: str) -> None:
    """A kind no, seen only by the person who pressed the button."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    if channel:
        try:
            client.chat_postEphemeral(channel=channel, user=user_id, text=text)
            return
        except SlackApiError:
            pass  # not a channel they can see: their DM with the app will do
    client.chat_postMessage(channel=user_id, text=text)


def dm(client: WebClient, person: Person, *, text: str, blocks: list[Block] | None = None):
    """A DM from the app; returns (channel, ts), or None if Slack would not take it."""
    try:
        response = client.chat_postMessage(
            channel=person.slack_user_id,
            text=text,
            blocks=dicts(blocks) if blocks else None,
            unfurl_links=False,
        )
    except SlackApiError:
        logger.warning("could not DM a person about their meeting request")
        return None
    return str(response["channel"]), str(response["ts"])


def update_manager_dm(client: WebClient, session: Session, request: MeetingRequest) -> None:
    """The manager's DM, in place: the request and, once settled, its outcome (no buttons)."""
    if not (request.manager_channel and request.manager_ts):
        return
    employee = meetings.request_employee(session, request)
    manager = meetings.request_manager(session, request)
    outcome = manager_outcome(request, employee=employee, manager=manager) or None
    ask = outcome is None and refusals.asks_if_manager(
        session, employee_id=employee.id, manager_id=manager.id
    )
    blocks = manager_request_blocks(
        request, employee=employee, manager=manager, outcome=outcome, ask_if_manager=ask
    )
    try:
        client.chat_update(
            channel=request.manager_channel,
            ts=request.manager_ts,
            text=manager_request_text(employee),
            blocks=dicts(blocks),
        )
    except SlackApiError:
        logger.warning("could not update the manager's meeting request DM")


def update_employee_dm(
    client: WebClient, request: MeetingRequest, blocks: list[Block], text: str
) -> None:
    if not (request.employee_channel and request.employee_ts):
        return
    try:
        client.chat_update(
            channel=request.employee_channel,
            ts=request.employee_ts,
            text=text,
            blocks=dicts(blocks),
        )
    except SlackApiError:
        logger.warning("could not update the employee's meeting DM")


def refresh_home(client: WebClient, session: Session, person: Person, now: datetime) -> None:
    """Show the change on their App Home, if they have one open (never the first welcome)."""
    if person.welcomed_at is None:
        return
    try:
        publish_home(client, session, person, now=now)
        session.commit()  # keeps the home's new hash
    except SlackApiError:
        logger.warning("could not refresh an App Home")


def refresh_both(client: WebClient, session: Session, request: MeetingRequest, now: datetime):
    refresh_home(client, session, meetings.request_employee(session, request), now)
    refresh_home(client, session, meetings.request_manager(session, request), now)


# -- App Home --------------------------------------------------------------------------------


def meeting_home_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    blocks: list[Block] = []
    request = meetings.still_open(data.latest_meeting)
    if request is not None:
        manager = meetings.request_manager(session, request)
        over = request.accepted_time is not None and request.accepted_time <= now
        blocks += [
            DividerBlock(),
            HeaderBlock(block_id="meeting_request_header", text="Your meeting request"),
            *employee_request_blocks(request, employee=person, manager=manager, meeting_over=over),
        ]
    if data.concerns:
        blocks += [DividerBlock(), *concern_blocks(data.concerns)]
    return blocks


def meeting_waiting_section(
    session: Session, person: Person, now: datetime, data: HomeData
) -> list[Block]:
    """For a manager: the meeting requests waiting on their answer."""
    return manager_home_blocks(data.meetings_waiting, manager=person)


def register(app: App) -> None:
    from slackapp.listeners import meeting_employee, meeting_manager, meeting_outcome

    meeting_employee.register(app)
    meeting_manager.register(app)
    meeting_outcome.register(app)
    if meeting_home_section not in HOME_SECTIONS:
        HOME_SECTIONS.append(meeting_home_section)
    if meeting_waiting_section not in WAITING_SECTIONS:
        WAITING_SECTIONS.append(meeting_waiting_section)
