"""What the manager expects, agreed by both: the ask to the other one, "That's what we agreed",
and a change either of them proposes later."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from models import MeetingRequest, Person
from slackapp.listeners.glue import (
    Actor,
    Edit,
    State,
    acked,
    actor,
    dm,
    entry,
    id_in,
    in_modal,
    metadata,
    pressed_message,
    refuse,
    state_of,
    tell,
)
from slackapp.listeners.modals import open_view
from slackapp.services import expectations as svc
from slackapp.services import meetings
from slackapp.views import expectations as views
from slackapp.views.i18n import _, reading_as
from slackapp.views.meeting_words import NOT_YOURS

logger = logging.getLogger(__name__)


def rows_of(state: State) -> list[svc.Proposed]:
    rows: list[tuple[str | None, date | None]] = []
    for i in range(svc.ROWS):
        text = entry(state, views.text_block(i)).get("value")
        picked = entry(state, views.by_block(i)).get("selected_date")
        try:
            due = date.fromisoformat(picked) if isinstance(picked, str) else None
        except ValueError:
            due = None
        rows.append((text if isinstance(text, str) else None, due))
    return svc.from_rows(rows)


def _person(who: Actor, person_id: int) -> Person:
    person = who.db.get(Person, person_id)
    assert person is not None
    return person


def replaced(who: Actor, ask: svc.WaitingAsk | None) -> Edit | None:
    """An ask a newer version replaced, redrawn without its button, in its reader's language."""
    if ask is None:
        return None
    with reading_as(_person(who, ask.reader_id).reads):
        return Edit(ask.channel, ask.ts, views.replaced_text(), views.replaced_blocks())


def ask_other(
    who: Actor, request: MeetingRequest, *, first: bool, replacing: Edit | None = None
) -> None:
    """DM the other one the version to agree to, in their language; the DM is remembered so
    that agreeing redraws it, and an ask it replaces loses its button. Committed first: nothing
    is held while Slack answers."""
    other = _person(who, svc.other_party_id(request, who.person))
    with reading_as(other.reads):
        text = views.ask_text(who.user_id, first=first)
        blocks = views.ask_blocks(request, proposer_user_id=who.user_id, first=first)
    who.save()
    sent = dm(who, other, text=text, blocks=blocks)
    svc.remember_ask(request, channel=sent[0] if sent else None, ts=sent[1] if sent else None)
    tell(who, edits=[replacing], homes=[who.person, other])


def agree(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = acked(ack, context, client)
    request_part, _dot, version_part = str(action.get("value") or "").partition(".")
    request_id, version = id_in(request_part), id_in(version_part)
    if request_id is None or (version_part and version is None):
        return
    try:
        request = svc.agree(
            session=who.db,
            request_id=request_id,
            by=who.person,
            now=who.clock.now(),
            version=version,
        )
    except meetings.NotAllowed:
        refuse(who, _(NOT_YOURS), body)
        return
    except svc.Outdated:
        refuse(who, views.replaced_text(), body)
        return
    if request is None:
        return  # agreed already, or nothing waits on this person: the home says where it stands
    proposer_id = request.expectations_proposed_by
    # The message pressed, else the one remembered (the button may be on the App Home): a
    # click can come before the ask's (channel, ts) is saved.
    channel, ts = pressed_message(body) or (
        request.expectations_ask_channel,
        request.expectations_ask_ts,
    )
    edit = Edit(
        channel,
        ts,
        views.answered_text(),
        views.answered_blocks(request),
    )
    posts = []
    if proposer_id is not None:
        proposer = _person(who, proposer_id)
        with reading_as(proposer.reads):
            posts.append((proposer, views.agreed_text(who.user_id), None))
    others = [_person(who, svc.other_party_id(request, who.person))]
    tell(who, edits=[edit], posts=posts, homes=[who.person, *others])


def open_edit(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    who = actor(context, client)
    request_id = id_in(action.get("value"))
    request = meetings.get_request(who.db, request_id) if request_id is not None else None
    if request is None or svc.party_of(request, who.person) is None:
        refuse(who, _(NOT_YOURS), body)
        return
    other = _person(who, svc.other_party_id(request, who.person))
    view = views.edit_modal(request, other_user_id=other.slack_user_id)
    open_view(who, trigger_id=body["trigger_id"], view=view, push=in_modal(body))


def submit_edit(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack(response_action="clear")
    who = actor(context, client)
    request_id = id_in(metadata(body).get("request"))
    if request_id is None:
        return
    before = meetings.get_request(who.db, request_id)
    waiting = svc.waiting_ask(before) if before is not None else None
    try:
        request = svc.propose(
            session=who.db,
            request_id=request_id,
            by=who.person,
            items=rows_of(state_of(body)),
            now=who.clock.now(),
        )
    except meetings.NotAllowed:
        refuse(who, _(NOT_YOURS))
        return
    replacing = replaced(who, waiting)
    if not request.expectations:
        others = [_person(who, svc.other_party_id(request, who.person))]
        tell(who, edits=[replacing], homes=[who.person, *others])
        return
    ask_other(who, request, first=False, replacing=replacing)


def register(app: App) -> None:
    app.action(views.AGREE)(agree)
    app.action(views.EDIT)(open_edit)
    app.view(views.EDIT_MODAL)(submit_edit)
