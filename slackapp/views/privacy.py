"""The person's own data: the App Home section, and the messages about an export or deletion,
an uninstall and a deactivated account."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackapp.views.i18n import N_, _, ngettext

DATA_HEADER = "home_data_header"
EXPORT_ACTION = "data_export"
DELETE_ACTION = "data_delete"

EXPORT_TITLE = N_("Your Second Chance data")
EXPORT_COMMENT = N_(
    "Here is everything Second Chance keeps about you: your plans and steps, your reflections "
    "(private notes included), your meeting requests and your feedback history. Only you "
    "received this file."
)
# Slack allows 300 characters in a confirm dialog's text.
DELETE_CONFIRM = N_(
    "Your plans, steps, reflections, meeting requests, feedback schedule and feedback history "
    "will be deleted, and so will each copy of your data I sent you. The messages I sent your manager for you are replaced by a short note "
    "saying you withdrew them. This can't be undone."
)


def withdrawn_note(employee_user_id: str) -> str:
    """What replaces, in the manager's DM, a message the app sent them for this employee.
    Only who withdrew it: nothing of what they had written survives the update."""
    return _(
        "<@{employee}> withdrew this request and deleted what they had shared. There is nothing you need to do."
    ).format(employee=employee_user_id)


def withdrawn_blocks(employee_user_id: str) -> list[dict[str, Any]]:
    return [
        SectionBlock(
            block_id="withdrawn", text=MarkdownTextObject(text=withdrawn_note(employee_user_id))
        ).to_dict()
    ]


def data_home_blocks() -> list[Block]:
    return [
        DividerBlock(),
        HeaderBlock(block_id=DATA_HEADER, text=_("Your data")),
        SectionBlock(
            block_id="home_data",
            text=MarkdownTextObject(
                text=_(
                    "What you write here is yours. Download a copy of all of it, or delete all "
                    "of it, whenever you like."
                )
            ),
        ),
        ActionsBlock(
            block_id="home_data_actions",
            elements=[
                ButtonElement(text=_("Download my data"), action_id=EXPORT_ACTION, value="export"),
                ButtonElement(
                    text=_("Delete my data"),
                    action_id=DELETE_ACTION,
                    value="delete",
                    style="danger",
                    confirm=ConfirmObject(
                        title=_("Delete all your data?"),
                        text=_(DELETE_CONFIRM),
                        confirm=_("Delete everything"),
                        deny=_("Keep my data"),
                        style="danger",
                    ),
                ),
            ],
        ),
    ]


def deleted_text(
    plans: int,
    meeting_requests: int,
    feedback_requests: int,
    withdrawn: int = 0,
    not_replaced: int = 0,
    files_left: int = 0,
) -> str:
    said = [
        _("Your data is deleted: {plans}, {meeting_requests} and {feedback_requests}.").format(
            plans=ngettext("{count} plan", "{count} plans", plans).format(count=plans),
            meeting_requests=ngettext(
                "{count} meeting request", "{count} meeting requests", meeting_requests
            ).format(count=meeting_requests),
            feedback_requests=ngettext(
                "{count} feedback request", "{count} feedback requests", feedback_requests
            ).format(count=feedback_requests),
        )
    ]
    if withdrawn:
        said.append(
            ngettext(
                "The {count} message I had sent your manager for you now says only that you "
                "withdrew it.",
                "The {count} messages I had sent your manager for you now say only that you "
                "withdrew them.",
                withdrawn,
            ).format(count=withdrawn)
        )
    if not_replaced:
        said.append(
            ngettext(
                "{count} message I had sent your manager couldn't be changed, so your manager "
                "may still see what you sent there. I'm sorry.",
                "{count} messages I had sent your manager couldn't be changed, so your manager "
                "may still see what you sent there. I'm sorry.",
                not_replaced,
            ).format(count=not_replaced)
        )
    if files_left:
        said.append(
            ngettext(
                "{count} copy of your data I had sent you couldn't be deleted from our messages; "
                "you can delete it there yourself.",
                "{count} copies of your data I had sent you couldn't be deleted from our "
                "messages; you can delete them there yourself.",
                files_left,
            ).format(count=files_left)
        )
    said.append(_("If you want to start again, `/secondchance` is always here."))
    return " ".join(said)


def deleted_home() -> dict[str, Any]:
    """The App Home right after a deletion: nothing of theirs is left to show."""
    return View(
        type="home",
        callback_id="home",
        blocks=[
            HeaderBlock(text=_("Your second chance")),
            SectionBlock(
                block_id="home_deleted",
                text=MarkdownTextObject(
                    text=_(
                        "Everything you had in Second Chance is deleted. Whenever you want "
                        "to start again, `/secondchance` is here."
                    )
                ),
            ),
        ],
    ).to_dict()


def requests_ended_text(manager_user_id: str) -> str:
    """To an employee whose manager (as they named them) deleted their own data."""
    return _(
        "<@{manager}> no longer gets requests from Second Chance, so your meeting requests and feedback requests to them have ended, and what you exchanged with them here was removed. Your plans and reflections are just as you left them. When you're ready, you can name your manager again from the App Home."
    ).format(manager=manager_user_id)


RESUME_ACTION = "feedback_resume"


def resume_notice(
    *, manager_user_id: str, schedule_id: int, after_uninstall: bool
) -> tuple[str, list[dict[str, Any]]]:
    """To an employee whose schedule was paused because the app (or their account) was away."""
    why = (
        _("Second Chance is back in your workspace")
        if after_uninstall
        else _("Your Slack account is active again")
    )
    text = _(
        "{why}, and everything you had here is just as you left it. Your feedback requests to <@{manager}> were paused meanwhile. Press *Resume* when you'd like them to start again (times that passed while paused are skipped), or leave them paused for as long as you like."
    ).format(why=why, manager=manager_user_id)
    blocks = [
        SectionBlock(block_id="resume_notice", text=MarkdownTextObject(text=text)),
        ActionsBlock(
            block_id="resume_notice_actions",
            elements=[
                ButtonElement(
                    text=_("Resume"),
                    action_id=RESUME_ACTION,
                    value=str(schedule_id),
                    style="primary",
                )
            ],
        ),
    ]
    return _("{why}: your feedback requests are paused").format(why=why), [
        b.to_dict() for b in blocks
    ]
