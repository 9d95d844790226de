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

from slackapp.views.words import plural

DATA_HEADER = "home_data_header"
EXPORT_ACTION = "data_export"
DELETE_ACTION = "data_delete"

EXPORT_TITLE = "Your Second Chance data"
EXPORT_COMMENT = (
    "Here is everything Second Chance keeps about you: your plans and steps, your reflections "
    "(private notes included), your meeting requests and your feedback history. Only you "
    "received this file."
)
# Slack allows 300 characters in a confirm dialog's text.
DELETE_CONFIRM = (
    "Your plans, steps, reflections, meeting requests, feedback schedule and feedback history "
    "will be deleted, and so will each copy of your data I sent you. The messages I sent your manager for you are replaced by a short note "
    "saying you withdrew them. This can't be undone."
)


def withdrawn_note(employee_user_id: str) -> str:
    """What replaces, in the manager's DM, a message the app sent them for this employee.
    Only who withdrew it: nothing of what they had written survives the update."""
    return (
        f"<@{employee_user_id}> withdrew this request and deleted what they had shared. "
        "There is nothing you need to do."
    )


def withdrawn_blocks(employee_user_id: str) -> list[dict[str, Any]]:
    return [
        SectionBlock(
            block_id="withdrawn", text=MarkdownTextObject(text=withdrawn_note(employee_user_id))
        ).to_dict()
    ]


def data_home_blocks() -> list[Block]:
    return [
        DividerBlock(),
        HeaderBlock(block_id=DATA_HEADER, text="Your data"),
        SectionBlock(
            block_id="home_data",
            text=MarkdownTextObject(
                text="What you write here is yours. Download a copy of all of it, or delete all "
                "of it, whenever you like."
            ),
        ),
        ActionsBlock(
            block_id="home_data_actions",
            elements=[
                ButtonElement(text="Download my data", action_id=EXPORT_ACTION, value="export"),
                ButtonElement(
                    text="Delete my data",
                    action_id=DELETE_ACTION,
                    value="delete",
                    style="danger",
                    confirm=ConfirmObject(
                        title="Delete all your data?",
                        text=DELETE_CONFIRM,
                        confirm="Delete everything",
                        deny="Keep my data",
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
    replaced = (
        f" The {plural(withdrawn, 'message')} I had sent your manager for you now "
        f"{'says' if withdrawn == 1 else 'say'} only that you withdrew "
        f"{'it' if withdrawn == 1 else 'them'}."
        if withdrawn
        else ""
    )
    if not_replaced:
        replaced += (
            f" {plural(not_replaced, 'message')} I had sent your manager couldn't be changed, "
            "so your manager may still see what you sent there. I'm sorry."
        )
    if files_left:
        replaced += (
            f" {plural(files_left, 'copy', 'copies')} of your data I had sent you couldn't be "
            "deleted from our messages; you can delete "
            f"{'it' if files_left == 1 else 'them'} there yourself."
        )
    return (
        "Your data is deleted: "
        f"{plural(plans, 'plan')}, {plural(meeting_requests, 'meeting request')} and "
        f"{plural(feedback_requests, 'feedback request')}."
        f"{replaced} If you want to start again, `/secondchance` is always here."
    )


def deleted_home() -> dict[str, Any]:
    """The App Home right after a deletion: nothing of theirs is left to show."""
    return View(
        type="home",
        callback_id="home",
        blocks=[
            HeaderBlock(text="Your second chance"),
            SectionBlock(
                block_id="home_deleted",
                text=MarkdownTextObject(
                    text="Everything you had in Second Chance is deleted. Whenever you want "
                    "to start again, `/secondchance` is here."
                ),
            ),
        ],
    ).to_dict()


def requests_ended_text(manager_user_id: str) -> str:
    """To an employee whose manager (as they named them) deleted their own data."""
    return (
        f"<@{manager_user_id}> no longer gets requests from Second Chance, so your meeting "
        "requests and feedback requests to them have ended, and what you exchanged with them "
        "here was removed. Your plans and reflections are just as you left them. When you're "
        "ready, you can name your manager again from the App Home."
    )


RESUME_ACTION = "feedback_resume"


def resume_notice(
    *, manager_user_id: str, schedule_id: int, after_uninstall: bool
) -> tuple[str, list[dict[str, Any]]]:
    """To an employee whose schedule was paused because the app (or their account) was away."""
    why = (
        "Second Chance is back in your workspace"
        if after_uninstall
        else "Your Slack account is active again"
    )
    text = (
        f"{why}, and everything you had here is just as you left it. Your feedback requests "
        f"to <@{manager_user_id}> were paused meanwhile. Press *Resume* when you'd like them "
        "to start again (times that passed while paused are skipped), or leave them paused "
        "for as long as you like."
    )
    blocks = [
        SectionBlock(block_id="resume_notice", text=MarkdownTextObject(text=text)),
        ActionsBlock(
            block_id="resume_notice_actions",
            elements=[
                ButtonElement(
                    text="Resume",
                    action_id=RESUME_ACTION,
                    value=str(schedule_id),
                    style="primary",
                )
            ],
        ),
    ]
    return f"{why}: your feedback requests are paused", [b.to_dict() for b in blocks]
