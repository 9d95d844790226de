"""The person's own data: the App Home section, and the messages about an export or deletion."""

from __future__ import annotations

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

DATA_HEADER = "home_data_header"
EXPORT_ACTION = "data_export"
DELETE_ACTION = "data_delete"

EXPORT_COMMENT = (
    "Here is everything Second Chance keeps about you: your plans and steps, your reflections "
    "(private notes included), your meeting requests and your feedback history. Only you "
    "received this file."
)
WITHDRAWN = "This request was withdrawn. There is nothing you need to do."


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
                        text="Your plans, reflections, meeting requests and all your feedback "
                        "will be deleted for good. Requests your manager has not answered yet "
                        "are withdrawn. This can't be undone.",
                        confirm="Delete everything",
                        deny="Keep my data",
                        style="danger",
                    ),
                ),
            ],
        ),
    ]


def deleted_text(plans: int, meeting_requests: int, feedback_requests: int) -> str:
    return (
        "Your data is deleted: "
        f"{plans} plan{'s' if plans != 1 else ''}, "
        f"{meeting_requests} meeting request{'s' if meeting_requests != 1 else ''} and "
        f"{feedback_requests} feedback request{'s' if feedback_requests != 1 else ''}. "
        "If you want to start again, `/secondchance` is always here."
    )
