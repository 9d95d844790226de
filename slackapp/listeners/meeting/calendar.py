"""Stage 3, the meeting in both calendars: each version of an accepted meeting goes to both
people as an .ics file in their DM, beside a card with "Add to Google Calendar" / "Add to
Outlook" and "Propose another time" (and, for the employee, "Cancel the meeting").

A version goes when a time is accepted (the first invitation, or an update once a new time is
agreed) and when a meeting that reached the calendars ends without happening (cancelled, or a
new time declined): a cancellation. Nothing goes for a meeting whose time has passed.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import MeetingRequest, MeetingStatus, Person
from slackapp.listeners.glue import Actor, Edit, acked, dm, id_in, refuse, update_dm, upload_to_dm
from slackapp.listeners.meeting.common import both
from slackapp.listeners.modals import open_view
from slackapp.services import calendar, meetings
from slackapp.services.working_time import next_working_day
from slackapp.views import calendar as words
from slackapp.views import meeting as views
from slackapp.views.i18n import _

logger = logging.getLogger(__name__)


def _slack_name(client: WebClient, person: Person) -> str | None:
    """Their name as Slack shows it, for the calendar (which cannot show a mention)."""
    try:
        user = client.users_info(user=person.slack_user_id)["user"]
    except SlackApiError:
        logger.warning("users.info failed; the calendar names the person by their Slack id")
        return None
    profile = user.get("profile") or {}
    name = user.get("real_name") or profile.get("real_name") or profile.get("display_name")
    return str(name) if name else None


def send_calendar(who: Actor, request: MeetingRequest, *, cancelled: bool = False) -> None:
    """Both people get this version of the meeting for their calendar (see the module)."""
    now = who.clock.now()
    version = calendar.next_version(request, cancelled=cancelled, now=now)
    if version is None:
        return
    older = calendar.older_cards(who.db, request, version)
    who.save()  # the version is counted before anything goes, so no two share a SEQUENCE
    employee, manager = both(who.db, request)
    sides = {p.id: words.Side(p, _slack_name(who.client, p)) for p in (employee, manager)}
    for row in older:
        reader = employee if row.person_id == employee.id else manager
        blocks = words.retired_card_blocks(version, reader=reader)
        update_dm(who, Edit(row.card_channel, row.card_ts, words.card_text(version), blocks))
    details = words.description(
        request, version, employee=sides[employee.id], manager=sides[manager.id]
    )
    for reader, other in ((employee, manager), (manager, employee)):
        title = words.summary(other=sides[other.id])
        content = calendar.ics(
            version,
            team_id=who.workspace.team_id,
            organizer=calendar.Attendee(employee.slack_user_id, sides[employee.id].name),
            attendee=calendar.Attendee(manager.slack_user_id, sides[manager.id].name),
            reader_tz=reader.tz,
            summary=title,
            description=details,
            now=now,
        )
        # The card says what the file is; the file follows it, with no words of its own, so
        # that once it is deleted nothing of the meeting is left under it.
        blocks = words.card_blocks(
            request,
            version,
            reader=reader,
            other=other,
            title=title,
            details=details,
            by_employee=reader.id == employee.id,
        )
        card = dm(who, reader, text=words.card_text(version), blocks=blocks)
        try:
            file_id: str | None = upload_to_dm(
                who.client,
                reader.slack_user_id,
                content=content,
                filename=calendar.filename(version),
                title=words.file_title(version),
            )
        except SlackApiError:
            logger.warning("could not share a meeting's .ics file")
            file_id = None
        calendar.record(
            who.db, request, person=reader, version=version, file_id=file_id, card=card, now=now
        )
        who.save()


def press_move(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Propose another time for an accepted meeting: either of the two people, nobody else."""
    who = acked(ack, context, client)
    request_id = id_in(action.get("value"))
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    if request is None or who.person.id not in (request.employee_id, request.manager_id):
        refuse(who, _(words.NOT_YOUR_MEETING), body)
        return
    now = who.clock.now()
    if request.status != MeetingStatus.ACCEPTED or request.accepted_time is None:
        refuse(who, _(words.MEETING_CHANGED), body)
        return
    if request.accepted_time <= now:
        refuse(who, _(words.MEETING_PASSED), body)
        return
    employee, manager = both(who.db, request)
    by_manager = who.person.id == manager.id
    view = views.propose_modal(
        request,
        by="manager" if by_manager else "employee",
        tz=manager.tz,
        day=next_working_day(now, manager.tz, manager),
        intro=words.move_intro(
            request, reader=who.person, other=employee if by_manager else manager
        ),
        moving=True,
    )
    open_view(who, trigger_id=body["trigger_id"], view=view)


def link_opened(ack: Ack) -> None:
    """A calendar link button: Slack opens the link and tells the app, which has nothing to do."""
    ack()


def register(app: App) -> None:
    app.action(words.MOVE_ACTION)(press_move)
    app.action(words.GOOGLE_ACTION)(link_opened)
    app.action(words.OUTLOOK_ACTION)(link_opened)
