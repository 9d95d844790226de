"""The comeback summary: written into the employee's DM when they close their plan (a canvas,
or a Markdown file where canvases are unavailable), previewed, and shared with the manager only
when the employee says so, with a last thank-you."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from models import Plan
from slackapp.listeners.glue import (
    Actor,
    acked,
    dm,
    entry,
    id_in,
    metadata,
    refuse,
    state_of,
    submitter,
    tell,
    upload_to_dm,
)
from slackapp.listeners.home_chart import refresh_chart
from slackapp.listeners.modals import open_view
from slackapp.services import comeback
from slackapp.views import comeback as views
from slackapp.views.i18n import _, read_as, reading_as
from slackapp.views.plan import NOT_YOURS

logger = logging.getLogger(__name__)


def write_summary(who: Actor, plan: Plan) -> None:
    """After "I'm back on track": the summary, in the employee's own DM only."""
    markdown = views.summary_markdown(comeback.summary_of(who.db, who.person, plan))
    title = _("My comeback")
    who.save()
    canvas_id = file_id = None
    try:
        channel = who.client.conversations_open(users=who.user_id)["channel"]["id"]
        created = who.client.canvases_create(
            title=title,
            channel_id=channel,
            document_content={"type": "markdown", "markdown": markdown},
        )
        canvas_id = str(created["canvas_id"])
    except SlackApiError:
        logger.info("no canvas for the comeback summary; sending a Markdown file instead")
        try:
            file_id = upload_to_dm(
                who.client,
                who.user_id,
                content=markdown,
                filename="comeback-summary.md",
                title=title,
            )
        except SlackApiError:
            logger.warning("could not send the comeback summary")
            return
    comeback.remember(plan, markdown=markdown, canvas_id=canvas_id, file_id=file_id)
    manager = comeback.summary_manager(who.db, who.person)
    who.save()
    chart = refresh_chart(who.client, who.db, who.person, now=who.clock.now())
    for shown in [chart, None] if chart is not None else [None]:
        # A chart Slack refuses (still being processed) costs the picture, not the message.
        sent = dm(
            who,
            who.person,
            text=views.ready_text(canvas=canvas_id is not None),
            blocks=views.ready_blocks(
                plan.id,
                canvas=canvas_id is not None,
                manager_user_id=manager.slack_user_id if manager else None,
                chart=shown,
            ),
        )
        if sent is not None:
            return


def _own_plan(who: Actor, value: Any) -> Plan | None:
    plan_id = id_in(value)
    plan = who.db.get(Plan, plan_id) if plan_id is not None else None
    return plan if plan is not None and plan.owner_id == who.person.id else None


def open_share(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    who = acked(ack, context, client)
    plan = _own_plan(who, action.get("value"))
    manager = comeback.summary_manager(who.db, who.person)
    if plan is None or plan.summary_markdown is None or manager is None:
        refuse(who, _(NOT_YOURS), body)
        return
    view = views.share_modal(
        plan.id, manager_user_id=manager.slack_user_id, markdown=plan.summary_markdown
    )
    open_view(who, trigger_id=body["trigger_id"], view=view)


def submit_share(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    who = submitter(context, client)
    if who is None:
        ack()
        return
    plan = _own_plan(who, metadata(body).get("plan"))
    manager = comeback.summary_manager(who.db, who.person)
    if plan is None or manager is None or plan.summary_markdown is None:
        ack()
        return
    markdown = plan.summary_markdown
    if not comeback.share(session=who.db, owner=who.person, plan=plan, now=who.clock.now()):
        ack()
        return  # shared already (a double submit)
    who.save()
    ack()  # once it is stored: a modal that closes has kept what it said
    thanks = entry(state_of(body), "comeback_thanks").get("value")
    # The summary's blocks as the employee previewed them, in their language.
    summary = views.summary_blocks(markdown)
    with reading_as(manager.reads):
        text, blocks = views.shared_message(
            employee_user_id=who.user_id,
            thanks=thanks if isinstance(thanks, str) else None,
            summary=summary,
        )
    read_as(who.person.reads)
    who.save()
    sent = dm(who, manager, text=text, blocks=blocks)
    if sent is not None:
        comeback.remember_shared(plan, channel=sent[0], ts=sent[1])
    tell(
        who,
        posts=[(who.person, views.shared_note(manager.slack_user_id), None)],
        homes=[who.person, manager],
    )


def register(app: App) -> None:
    app.action(views.SHARE_OPEN)(open_share)
    app.view(views.SHARE_MODAL)(submit_share)
