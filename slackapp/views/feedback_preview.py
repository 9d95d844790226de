"""The employee's preview of their next feedback request, in the schedule modal and on the App
Home: the manager's DM built by the same builder the scheduled send uses (request_dm), with its
buttons shown as labels, since nothing in a preview is the employee's to press."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    CheckboxesElement,
    ContextBlock,
    DividerBlock,
    MarkdownTextObject,
    Option,
    SectionBlock,
)

from slackapp.services.feedback_progress import Progress
from slackapp.views.feedback_messages import progress_lines, request_dm
from slackapp.views.i18n import N_, _, ngettext, reading_as

REFRESH_PREVIEW = "feedback_preview_refresh"
SHARE_TOGGLE = "feedback_share_toggle"
SHARE_BLOCK_PREFIX = "feedback_share_"  # + the schedule id
BUTTON_LABELS = "feedback_preview_buttons"
FILLED_IN_LATER = N_(
    "Your progress is filled in when the request goes out, so anything you do before then "
    "shows too."
)


def as_preview(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A message as its sender previews it: its buttons (a row of them, or one beside a section's
    text) become one line naming them, where the row of buttons was."""
    labels = [
        f"*{button['text']['text']}*"
        for block in blocks
        for button in (
            block.get("elements") or []
            if block.get("type") == "actions"
            else [block.get("accessory")]
        )
        if button and button.get("type") == "button"
    ]
    shown: list[dict[str, Any]] = []
    for block in blocks:
        if block.get("type") == "actions":
            note = ContextBlock(
                block_id=BUTTON_LABELS,
                elements=[
                    MarkdownTextObject(
                        text=ngettext(
                            "Button for them: {labels}", "Buttons for them: {labels}", len(labels)
                        ).format(labels="  ·  ".join(labels))
                    )
                ],
            )
            shown.append(note.to_dict())
        elif (block.get("accessory") or {}).get("type") == "button":
            shown.append({k: v for k, v in block.items() if k != "accessory"})
        else:
            shown.append(block)
    return shown


def next_request_preview(
    *,
    employee_user_id: str,
    questions: list[str],
    progress: Progress | None,
    manager_tz: str,
    ask_if_manager: bool,
    manager_reads: str | None = None,
    expectations: list[str] | None = None,
) -> list[dict[str, Any]]:
    """The next scheduled request as the manager will get it, in their language (their
    Person.reads); progress None when not shared."""
    with reading_as(manager_reads):
        _text, blocks = request_dm(
            employee_user_id=employee_user_id,
            request_id=0,  # not sent yet: its button is only a label here
            questions=questions,
            progress=progress_lines(progress, manager_tz) if progress is not None else None,
            now_request=False,
            ask_if_manager=ask_if_manager,
            expectations=expectations,
        )
        return as_preview(blocks)


def _heading(manager_user_id: str) -> str:
    return _("*What <@{manager}> will see next time*").format(manager=manager_user_id)


def modal_preview_blocks(
    manager_user_id: str | None, preview: list[dict[str, Any]] | None
) -> list[Block | dict[str, Any]]:
    """The bottom of the schedule modal: the preview, and a way to redraw it after an edit."""
    if manager_user_id is None or preview is None:
        return [
            DividerBlock(),
            ContextBlock(
                block_id="feedback_preview_intro",
                elements=[
                    MarkdownTextObject(
                        text=_("Pick your manager, and you'll see here exactly what they will get.")
                    )
                ],
            ),
        ]
    return [
        DividerBlock(),
        SectionBlock(
            block_id="feedback_preview_intro",
            text=MarkdownTextObject(text=f"{_heading(manager_user_id)}\n{_(FILLED_IN_LATER)}"),
        ),
        *preview,
        ActionsBlock(
            block_id="feedback_preview_actions",
            elements=[
                ButtonElement(
                    text=_("Update the preview"), action_id=REFRESH_PREVIEW, value="preview"
                )
            ],
        ),
    ]


def _share_option() -> Option:
    return Option(value="share", text=_("Include my progress"))


def home_preview_blocks(
    *, schedule_id: int, manager_user_id: str, share: bool, preview: list[dict[str, Any]]
) -> list[Block]:
    """On the App Home under the schedule: the next request, and the choice to share progress."""
    return [
        SectionBlock(
            block_id=f"{SHARE_BLOCK_PREFIX}{schedule_id}",
            text=MarkdownTextObject(text=_heading(manager_user_id)),
            accessory=CheckboxesElement(
                action_id=SHARE_TOGGLE,
                options=[_share_option()],
                initial_options=[_share_option()] if share else None,
            ),
        ),
        *Block.parse_all(preview),
        ContextBlock(
            block_id="feedback_preview_note",
            elements=[
                MarkdownTextObject(
                    text=_(FILLED_IN_LATER)
                    if share
                    else _("Your progress is left out: they see your questions only.")
                )
            ],
        ),
    ]
