"""What every listener does, in one place: who is acting, reading a payload,
saying no kindly, editing and sending DMs, and showing people their App Home after a change.

Commits happen here, before each Slack call: no connection (nor SQLite's one write lock) is held
while Slack answers, since under load sessions waiting on Slack emptied the pool and delayed every
ack (bench/ack_latency.py)."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import Block
from sqlalchemy import and_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from models import Person, Workspace
from slackapp.ids import parse_id
from slackapp.kernel.clock import Clock
from slackapp.listeners.home import publish_home
from slackapp.services import meetings
from slackapp.services.feedback import FeedbackError
from slackapp.services.people import ensure_person, ensure_workspace
from slackapp.services.plans import NotYours, PlanAlreadyActive, PlanNotActive
from slackapp.services.retention import restart_workspace
from slackapp.views.feedback_words import refusal_text
from slackapp.views.i18n import _, read_as
from slackapp.views.plan import NOT_YOURS, REPLACED
from slackapp.views.plan_messages import already_active_text
from slackapp.views.refusal import (
    NOT_SENT,
)

logger = logging.getLogger(__name__)


@dataclass
class Actor:
    """The person acting on this request, and where they are."""

    db: Session
    client: WebClient
    clock: Clock
    workspace: Workspace
    person: Person
    user_id: str

    def save(self) -> None:
        """Commit what the listener changed, before its next Slack call."""
        save(self.db)


def save(db: Session) -> None:
    """The one commit path, for listeners with no Actor (yet, or any more): called before each
    Slack call, so that no connection is held while Slack answers."""
    db.commit()


def reads_only(db: Session) -> None:
    """The session's next transaction only reads, and each of its statements is one round trip:
    no BEGIN before them nor COMMIT after (PostgreSQL's autocommit; psycopg sends BEGIN on its
    own). For what a person waits on before a modal opens, on a busy database server every round
    trip waits its turn (bench/ack_latency.py). Ends at the next save(): the connection goes back
    to the pool in its usual mode."""
    db.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def zone_and_locale(client: WebClient, user_id: str) -> tuple[str | None, str | None]:
    """The user's time zone and Slack locale ("de-DE"), or (None, None) when Slack can't say."""
    try:
        user = client.users_info(user=user_id, include_locale=True)["user"]
    except SlackApiError:
        logger.warning("users.info failed for a user; keeping the stored time zone and locale")
        return None, None
    return str(user.get("tz") or "UTC"), (str(user["locale"]) if user.get("locale") else None)


def user_profile(client: WebClient, user_id: str) -> dict[str, Any] | None:
    """users.info's profile (status_emoji, status_text, status_expiration), None if Slack can't
    say: nobody is taken for away on a guess."""
    try:
        profile = client.users_info(user=user_id)["user"].get("profile")
    except SlackApiError:
        logger.warning("users.info failed for a user; taking them for at work")
        return None
    return profile if isinstance(profile, dict) else None


def actor(
    context: BoltContext,
    client: WebClient,
    *,
    refresh_tz: bool = False,
    found: tuple[Workspace | None, Person | None] | None = None,
    meeting: Mapping[str, str] | None = None,
) -> Actor:
    """Find (or meet) the acting user. The time zone and locale are asked of Slack on first
    contact (and when `refresh_tz`); what follows is written in the language they read.

    `found` is what lookup() already returned on this request, so it is not asked twice;
    `meeting` are more of a new person's columns (the journey's view id), saved in the same
    INSERT as the person (each write after the modal competes with other people's acks)."""
    db: Session = context["db"]
    user_id = context.user_id
    assert user_id, "a listener that needs an actor got a request without a user"
    workspace, person = found if found is not None else lookup(context)
    if workspace is None:
        workspace = ensure_workspace(
            db, team_id=context.team_id or "", enterprise_id=context.enterprise_id
        )
    elif workspace.uninstalled_at is not None:
        # Slack sends nothing to an app that is not installed, so someone using it means it was
        # installed again; with one workspace's token (no OAuth) nothing else would say so.
        restart_workspace(db, workspace=workspace, now=context["clock"].now())
    tz = locale = None
    if person is None or refresh_tz:
        db.commit()  # nothing held while Slack answers users.info
        tz, locale = zone_and_locale(client, user_id)
    if person is None:
        person = _meet(db, workspace, user_id, tz, {"slack_locale": locale, **(meeting or {})})
    elif tz and person.tz != tz:
        person.tz = tz
    if locale and person.slack_locale != locale:
        person.slack_locale = locale
    read_as(person.reads)
    if db.new or db.dirty:
        db.commit()  # saved at once, for the same reason
    return Actor(
        db=db,
        client=client,
        clock=context["clock"],
        workspace=workspace,
        person=person,
        user_id=user_id,
    )


def acked(ack: Any, context: BoltContext, client: WebClient) -> Actor:
    """What every listener does first: answer Slack within its 3 seconds, then find who acts."""
    ack()
    return actor(context, client)


def acked_in_view(
    ack: Any, body: dict[str, Any], context: BoltContext, client: WebClient
) -> tuple[Actor, dict[str, Any]]:
    """acked(), for an action or submission inside a modal: who acts, and the modal they act in."""
    return acked(ack, context, client), view_of(body)


def _meet(
    db: Session,
    workspace: Workspace,
    user_id: str,
    tz: str | None,
    columns: Mapping[str, str | None],
) -> Person:
    """Save someone new at once, with what is known of them (`columns`): one INSERT, no
    savepoint (nothing else is pending here); a concurrent request that met them first makes it
    fail, and then theirs is used (the caller sets what it needs on it)."""
    person = Person(workspace_id=workspace.id, slack_user_id=user_id, tz=tz or "UTC", **columns)
    db.add(person)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        person = ensure_person(db, workspace=workspace, slack_user_id=user_id, tz=tz)
        db.commit()
    return person


def lookup(
    context: BoltContext, *, with_manager: bool = True
) -> tuple[Workspace | None, Person | None]:
    """The workspace and the acting person (None if not met yet), in one query, writing nothing.

    `with_manager=False` leaves out the person's manager (loaded when asked for): joined in, it
    is a self-join and its rows' processing, a third of the query's CPU before the journey modal
    opens (bench/ack_latency.py); everywhere else the manager is wanted soon after."""
    db: Session = context["db"]
    query = select(Workspace, Person)
    if not with_manager:
        query = query.options(lazyload(Person.manager))
    row = db.execute(
        query.outerjoin(
            Person,
            and_(
                Person.workspace_id == Workspace.id,
                Person.slack_user_id == (context.user_id or ""),
            ),
        )
        .where(
            Workspace.team_id == (context.team_id or ""),
            Workspace.enterprise_id == (context.enterprise_id or ""),
        )
        .limit(1)
    ).first()
    if row is None:
        read_as(None)
        return None, None
    person = row[1] if context.user_id else None
    # Listeners run on Bolt's thread pool, which keeps no context of its own: the reader is set
    # here, on every request that looks for who acts, so none reads the previous one's language.
    read_as(person.reads if person is not None else None)
    return row[0], person


def known_person(context: BoltContext) -> Person | None:
    """The acting person if the app has met them, without asking Slack or writing anything."""
    return lookup(context)[1]


def submitter(context: BoltContext, client: WebClient) -> Actor | None:
    """Who submitted a view, found without calling Slack (a submission must be acked fast);
    None for someone the app has not met, who has nothing to submit to."""
    workspace, person = lookup(context)
    if workspace is None or person is None or not context.user_id:
        return None
    return Actor(
        db=context["db"],
        client=client,
        clock=context["clock"],
        workspace=workspace,
        person=person,
        user_id=context.user_id,
    )


# -- reading a payload: view state entries, private_metadata JSON, ids through parse_id ---------

State = dict[str, dict[str, dict[str, Any]]]


def view_of(body: dict[str, Any]) -> dict[str, Any]:
    view = body.get("view")
    return view if isinstance(view, dict) else {}


def state_of(body: dict[str, Any]) -> State:
    return (view_of(body).get("state") or {}).get("values") or {}


def entry(state: State, block_id: str) -> dict[str, Any]:
    """The one element's state in an input block (each of ours has exactly one)."""
    block = state.get(block_id) or {}
    return next(iter(block.values()), {}) if block else {}


def private_metadata(body: dict[str, Any]) -> str:
    return str(view_of(body).get("private_metadata") or "")


def metadata(body: dict[str, Any]) -> dict[str, Any]:
    """The view's private_metadata as a JSON object; anything else reads as empty."""
    raw = private_metadata(body)
    try:
        loaded = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return loaded if isinstance(loaded, dict) else {}


def id_in(value: Any, *, prefix: str = "") -> int | None:
    """A bounded id from a button value, a block id or metadata, after an optional prefix."""
    return parse_id(str(value or "").removeprefix(prefix) if prefix else value)


def in_modal(body: dict[str, Any]) -> bool:
    return view_of(body).get("type") == "modal"


def pressed_message(body: dict[str, Any]) -> tuple[str, str] | None:
    """The (channel, ts) of the message the button was pressed in; None on an App Home or in a
    modal. What the app stored of a message it sent can come after the click: Slack shows the
    message before the app has its answer, and a person (or a test) can be that quick."""
    container = body.get("container") or {}
    if container.get("type") != "message":
        return None
    channel, ts = container.get("channel_id"), container.get("message_ts")
    return (str(channel), str(ts)) if channel and ts else None


def pressed_in(body: dict[str, Any]) -> str | None:
    """The channel the button was pressed in, if it was in a message."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get(
        "channel_id"
    )
    return channel if isinstance(channel, str) and channel else None


# -- what a service's refusal says ---------------------------------------------------------------


def words_for(error: Exception) -> str:
    """The one place a listener turns a service's refusal into words for the person."""
    if isinstance(error, PlanAlreadyActive):
        return already_active_text(error.plan.title)
    if isinstance(error, PlanNotActive):
        return _(REPLACED)
    if isinstance(error, NotYours):
        return _(NOT_YOURS)
    if isinstance(error, meetings.ManagerRefused):
        return _(NOT_SENT)
    if isinstance(error, FeedbackError):
        return refusal_text(error.refusal)
    return str(error)


# -- telling people ----------------------------------------------------------------------------


def refuse(who: Actor, text: str, body: dict[str, Any] | None = None) -> None:
    """A kind no that changes nothing, seen only by the person acting: where they pressed the
    button when that was a message, otherwise in their DM with the app. It never says whose a
    thing was."""
    who.db.rollback()
    channel = pressed_in(body or {})
    if channel:
        try:
            who.client.chat_postEphemeral(channel=channel, user=who.user_id, text=text)
            return
        except SlackApiError:
            pass  # not a channel they can see: their DM with the app will do
    try:
        who.client.chat_postMessage(channel=who.user_id, text=text)
    except SlackApiError:
        # Nobody to tell (a deleted user, a forged id); nothing changed either way.
        logger.warning("could not tell a user their action was refused")


Blocks = Sequence[Block] | Sequence[dict[str, Any]]


def dicts(blocks: Blocks | None) -> list[dict[str, Any]] | None:
    if not blocks:
        return None
    return [b if isinstance(b, dict) else b.to_dict() for b in blocks]


def dm(
    who: Actor, person: Person, *, text: str, blocks: Blocks | None = None
) -> tuple[str, str] | None:
    """A DM from the app; returns (channel, ts), or None if Slack would not take it."""
    try:
        response = who.client.chat_postMessage(
            channel=person.slack_user_id, text=text, blocks=dicts(blocks), unfurl_links=False
        )
    except SlackApiError:
        logger.warning("could not send a DM")
        return None
    return str(response["channel"]), str(response["ts"])


def upload_to_dm(
    client: WebClient,
    user_id: str,
    *,
    content: str | bytes,
    filename: str,
    title: str,
    comment: str | None = None,
) -> str:
    """Share a file into a person's DM with the app (files_upload_v2: an upload URL, the bytes,
    then completeUploadExternal into the channel); returns the file's id. Raises SlackApiError."""
    channel = client.conversations_open(users=user_id)["channel"]["id"]
    uploaded = client.files_upload_v2(
        channel=channel, content=content, filename=filename, title=title, initial_comment=comment
    )
    return str(uploaded["file"]["id"])


@dataclass(frozen=True)
class Edit:
    """A message the app sent, to be redrawn in place (no stale buttons)."""

    channel: str | None
    ts: str | None
    text: str
    blocks: Blocks


def update_dm(who: Actor, edit: Edit | None) -> None:
    if edit is None or not (edit.channel and edit.ts):
        return
    try:
        who.client.chat_update(
            channel=edit.channel, ts=edit.ts, text=edit.text, blocks=dicts(edit.blocks)
        )
    except SlackApiError:
        logger.warning("could not update a DM in place")


def refresh_homes(who: Actor, *people: Person, unseen_too: bool = False) -> None:
    """Show each person their App Home as it is after the change. Someone who has never opened
    theirs gets it only when unseen_too (a step they saved themselves): a request answered
    elsewhere does not greet them. A failure here loses nothing."""
    shown = [p for p in dict.fromkeys(people) if p.welcomed_at is not None or unseen_too]
    publish_homes(who.db, who.client, shown, now=who.clock.now())


def publish_homes(
    db: Session, client: WebClient, people: Iterable[Person], *, now: datetime
) -> None:
    """Publish each App Home, committing first and after each (its new hash, a first visit's
    welcome); a failure here loses nothing."""
    save(db)
    for person in people:
        try:
            publish_home(client, db, person, now=now)
            save(db)
        except SlackApiError:
            db.rollback()
            logger.warning("could not refresh an App Home")


def tell(
    who: Actor,
    *,
    edits: Iterable[Edit | None] = (),
    posts: Iterable[tuple[Person, str, Blocks | None]] = (),
    homes: Iterable[Person] = (),
    unseen_too: bool = False,
) -> None:
    """After a change: commit it once, redraw the DMs it touched, send the new ones, and show the
    people concerned their App Home."""
    who.db.commit()
    for edit in edits:
        update_dm(who, edit)
    for person, text, blocks in posts:
        dm(who, person, text=text, blocks=blocks)
    refresh_homes(who, *homes, unseen_too=unseen_too)
    who.db.commit()
