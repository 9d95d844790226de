"""What the manager expects, agreed by both: the rows to write them in, the DM that asks the
other one to agree, and the list on the App Home and in the journey."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from models import Expectation, MeetingRequest
from slackapp.services.expectations import ROWS
from slackapp.views.i18n import _
from slackapp.views.mrkdwn import escape
from slackapp.views.words import limit_hint, short_date

EDIT_MODAL = "expectations_edit_modal"
AGREE = "expectations_agree"
EDIT = "expectations_edit"
TEXT_MAX = 300


def text_block(i: int) -> str:
    return f"expectation_{i}"


def by_block(i: int) -> str:
    return f"expectation_by_{i}"


def input_blocks(existing: list[Expectation]) -> list[Block]:
    """ROWS pairs of rows: an expectation, then its optional date."""
    blocks: list[Block] = []
    for i in range(ROWS):
        item = existing[i] if i < len(existing) else None
        blocks += [
            InputBlock(
                block_id=text_block(i),
                label=_("Expectation {number}").format(number=i + 1),
                optional=True,
                hint=limit_hint(TEXT_MAX),
                element=PlainTextInputElement(
                    action_id="text",
                    max_length=TEXT_MAX,
                    initial_value=item.text if item else None,
                    placeholder=_("e.g. A weekly status to you on Mondays") if i == 0 else None,
                ),
            ),
            InputBlock(
                block_id=by_block(i),
                label=_("By"),
                optional=True,
                element=DatePickerElement(
                    action_id="by",
                    initial_date=item.due_on.isoformat() if item and item.due_on else None,
                ),
            ),
        ]
    return blocks


def outcome_intro(manager_user_id: str) -> str:
    return _(
        "*What does <@{manager}> expect of you now?* A few concrete things, each with a date "
        "if you agreed one. They are asked to confirm that this is what you agreed."
    ).format(manager=manager_user_id)


def edit_modal(request: MeetingRequest, *, other_user_id: str) -> dict[str, Any]:
    """Either of the two proposes a change; the other one is asked to agree to it."""
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(
                text=_(
                    "Write down what you agreed. <@{other}> is asked to confirm it; until then "
                    "it shows as your understanding."
                ).format(other=other_user_id)
            )
        ),
        *input_blocks(list(request.expectations)),
    ]
    return View(
        type="modal",
        callback_id=EDIT_MODAL,
        title=_("Expectations"),
        submit=_("Send"),
        close=_("Cancel"),
        private_metadata=json.dumps({"request": request.id}),
        blocks=blocks,
    ).to_dict()


def _by(due: date | None) -> str:
    return "" if due is None else " " + _("_by {date}_").format(date=short_date(due))


def item_lines(expectations: list[Expectation]) -> str:
    return "\n".join(f"• {escape(e.text)}{_by(e.due_on)}" for e in expectations)


def agree_value(request: MeetingRequest) -> str:
    """The agree button's value: the meeting request, and the version the button shows."""
    return f"{request.id}.{request.expectations_version or 0}"


def _buttons(request: MeetingRequest, *, can_agree: bool) -> ActionsBlock:
    value = str(request.id)
    elements = []
    if can_agree:
        elements.append(
            ButtonElement(
                text=_("That's what we agreed"),
                action_id=AGREE,
                value=agree_value(request),
                style="primary",
            )
        )
    elements.append(
        ButtonElement(
            text=_("Edit") if can_agree else _("Propose a change"), action_id=EDIT, value=value
        )
    )
    return ActionsBlock(block_id=f"expectations_actions_{request.id}", elements=elements)


def ask_text(proposer_user_id: str, *, first: bool) -> str:
    if first:
        return _("<@{who}> wrote down what you expect of them after your meeting.").format(
            who=proposer_user_id
        )
    return _("<@{who}> proposes a change to the expectations you agreed.").format(
        who=proposer_user_id
    )


def ask_blocks(request: MeetingRequest, *, proposer_user_id: str, first: bool) -> list[Block]:
    """The DM to the other one: the version to agree to, in one click, or to edit."""
    return [
        SectionBlock(
            block_id="expectations_ask",
            text=MarkdownTextObject(
                text=":handshake: "
                + ask_text(proposer_user_id, first=first)
                + "\n"
                + item_lines(list(request.expectations))
            ),
        ),
        _buttons(request, can_agree=True),
    ]


def replaced_text() -> str:
    return _("These expectations were changed since: the newest version is on your App Home.")


def replaced_blocks() -> list[Block]:
    """An ask whose version was replaced by a newer one: no button left to agree to it."""
    return [
        SectionBlock(
            block_id="expectations_ask",
            text=MarkdownTextObject(text=":arrows_counterclockwise: " + replaced_text()),
        )
    ]


def answered_text() -> str:
    return _(":white_check_mark: You agreed to these expectations.")


def answered_blocks(request: MeetingRequest) -> list[Block]:
    """The ask, once agreed: what stands now, and a way to propose a change later."""
    return [
        SectionBlock(
            block_id="expectations_ask",
            text=MarkdownTextObject(
                text=answered_text() + "\n" + item_lines(list(request.expectations))
            ),
        ),
        _buttons(request, can_agree=False),
    ]


def agreed_text(other_user_id: str) -> str:
    return _(":handshake: <@{other}> agreed: this is what you both expect now.").format(
        other=other_user_id
    )


def _status(request: MeetingRequest, *, viewer_id: int, other_user_id: str) -> str:
    if request.expectations_agreed_at is not None:
        return _(":white_check_mark: Agreed with <@{other}>.").format(other=other_user_id)
    if request.expectations_proposed_by == viewer_id:
        return _(
            ":hourglass_flowing_sand: Your understanding, until <@{other}> confirms it."
        ).format(other=other_user_id)
    return _(":speech_balloon: <@{other}> proposed this version; it waits on you.").format(
        other=other_user_id
    )


def status_blocks(
    request: MeetingRequest, *, viewer_id: int, other_user_id: str, buttons: bool = True
) -> list[Block]:
    """The expectations as one person sees them: the list, whether both agreed, what to do."""
    if not request.expectations:
        return []
    blocks: list[Block] = [
        SectionBlock(
            block_id="expectations_list",
            text=MarkdownTextObject(text=item_lines(list(request.expectations))),
        ),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=_status(request, viewer_id=viewer_id, other_user_id=other_user_id)
                )
            ]
        ),
    ]
    if buttons:
        waiting_on_viewer = (
            request.expectations_agreed_at is None and request.expectations_proposed_by != viewer_id
        )
        blocks.append(_buttons(request, can_agree=waiting_on_viewer))
    return blocks


def home_blocks(request: MeetingRequest, *, viewer_id: int, manager_user_id: str) -> list[Block]:
    """Under step 4 on the employee's App Home."""
    if not request.expectations:
        return []
    return [
        DividerBlock(),
        HeaderBlock(block_id="expectations_header", text=_("What your manager expects")),
        *status_blocks(request, viewer_id=viewer_id, other_user_id=manager_user_id),
    ]


def journey_blocks(request: MeetingRequest, *, viewer_id: int, manager_user_id: str) -> list[Block]:
    """In the journey modal: the list and whether both agreed, without buttons."""
    if not request.expectations:
        return []
    return [
        DividerBlock(),
        SectionBlock(
            block_id="journey_expectations",
            text=MarkdownTextObject(text=_("*What your manager expects*")),
        ),
        *status_blocks(request, viewer_id=viewer_id, other_user_id=manager_user_id, buttons=False),
    ]
