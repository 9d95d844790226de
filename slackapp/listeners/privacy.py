"""Download or delete my data, from the App Home."""

from __future__ import annotations

import json
import logging

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from models import Person
from slackapp.listeners.glue import acked, known_person, publish_homes, save, upload_to_dm
from slackapp.services.privacy import Deleted, delete_person, export_data, remember_export
from slackapp.services.workflow_steps import StepRefusal
from slackapp.views.i18n import _, reading_as
from slackapp.views.privacy import (
    DELETE_ACTION,
    EXPORT_ACTION,
    EXPORT_COMMENT,
    EXPORT_TITLE,
    deleted_home,
    deleted_text,
    requests_ended_text,
    withdrawn_blocks,
    withdrawn_note,
)
from slackapp.views.workflow import step_error

logger = logging.getLogger(__name__)


def download_my_data(ack: Ack, context: BoltContext, client: WebClient) -> None:
    """Only ever the acting person's own data, sent only to them."""
    who = acked(ack, context, client)
    data = export_data(who.db, person=who.person)
    who.save()
    stamp = who.clock.now().strftime("%Y-%m-%d")
    file_id = upload_to_dm(
        client,
        who.user_id,
        content=json.dumps(data, ensure_ascii=False, indent=2),
        filename=f"secondchance-{stamp}.json",
        title=_(EXPORT_TITLE),
        comment=_(EXPORT_COMMENT),
    )
    remember_export(who.db, person=who.person, file_id=file_id, now=who.clock.now())
    who.save()


def delete_my_data(ack: Ack, context: BoltContext, client: WebClient) -> None:
    """After the confirm dialog: delete everything of the acting person's, then replace the
    messages the app sent their manager for them with a withdrawn note."""
    ack()
    db: Session = context["db"]
    now = context["clock"].now()
    user_id = context.user_id
    assert user_id
    # lookup(), not actor(): a second click must not meet them again just to delete nothing.
    person = known_person(context)
    deleted = (
        delete_person(db, person=person)
        if person is not None
        else Deleted(plans=0, meeting_requests=0, feedback_requests=0)
    )
    save(db)  # deleted for good before any Slack call
    for execution_id in deleted.workflow_runs:
        try:
            client.functions_completeError(
                function_execution_id=execution_id, error=step_error(StepRefusal.DELETED)
            )
        except SlackApiError:
            logger.info("a workflow step waiting on deleted data had already ended")
    replaced = not_replaced = 0
    for channel, ts in deleted.withdrawn:
        try:
            with reading_as(deleted.reads.get(channel)):  # in the manager's language
                text, blocks = withdrawn_note(user_id), withdrawn_blocks(user_id)
            client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
            replaced += 1
        except SlackApiError:
            not_replaced += 1
            logger.warning("could not replace a message in a manager's DM with the withdrawn note")
    files_left = sum(
        not _delete_file(client, file_id)
        for file_id in deleted.export_files + deleted.calendar_files
    ) + sum(not _delete_canvas(client, canvas_id) for canvas_id in deleted.canvases)
    for employee_user_id in deleted.requests_ended_for:
        with reading_as(deleted.reads.get(employee_user_id)):
            ended = requests_ended_text(user_id)
        _tell(client, employee_user_id, ended)
    others = (db.get(Person, person_id) for person_id in deleted.homes_to_refresh)
    publish_homes(db, client, [p for p in others if p is not None], now=now)
    counts = (deleted.plans, deleted.meeting_requests, deleted.feedback_requests)
    _tell(
        client,
        user_id,
        deleted_text(*counts, withdrawn=replaced, not_replaced=not_replaced, files_left=files_left),
    )
    try:
        client.views_publish(user_id=user_id, view=deleted_home())
    except SlackApiError:
        # Not the general "nothing you saved was lost" apology: the deletion itself went through.
        logger.warning("could not show the App Home after a deletion")


def _delete_canvas(client: WebClient, canvas_id: str) -> bool:
    """Whether the comeback summary's canvas is gone from Slack (now, or by them already)."""
    try:
        client.canvases_delete(canvas_id=canvas_id)
    except SlackApiError as error:
        response = error.response
        if response is not None and response.get("error") == "canvas_not_found":
            return True
        logger.warning("could not delete a canvas from Slack")
        return False
    return True


def _delete_file(client: WebClient, file_id: str) -> bool:
    """Whether the export file is gone from Slack (deleted now, or by them already)."""
    try:
        client.files_delete(file=file_id)
    except SlackApiError as error:
        response = error.response
        if response is not None and response.get("error") in ("file_not_found", "file_deleted"):
            return True
        logger.warning("could not delete an export file after a deletion")
        return False
    return True


def _tell(client: WebClient, user_id: str, text: str) -> None:
    try:
        client.chat_postMessage(channel=user_id, text=text)
    except SlackApiError:
        logger.warning("could not send a DM after a deletion")


def register(app: App) -> None:
    app.action(EXPORT_ACTION)(download_my_data)
    app.action(DELETE_ACTION)(delete_my_data)
