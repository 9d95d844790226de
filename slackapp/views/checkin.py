"""The private check-in: the weekly question, its modal, the reply (the article's advice on a
hard week, kindly), and the person's own App Home section. Only ever shown to them."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from models import Checkin
from slackapp.services.checkins import HARD, NOTE_MAX
from slackapp.views.feedback import day
from slackapp.views.i18n import N_, _
from slackapp.views.mrkdwn import escape
from slackapp.views.words import limit_hint

MODAL = "checkin_modal"
OPEN = "checkin_open"
TOGGLE = "checkin_toggle"
QUESTION = N_("How are you holding up?")
MOODS = (
    ("good", ":slightly_smiling_face:", N_("A good week")),
    ("okay", ":neutral_face:", N_("Getting there")),
    ("hard", ":cloud:", N_("A hard week")),
)
MOOD_MARK = {value: mark for value, mark, _label in MOODS}
MOOD_LABEL = {value: label for value, _mark, label in MOODS}


def question_blocks() -> list[dict[str, Any]]:
    """The weekly DM: one question, one button."""
    blocks: list[Block] = [
        SectionBlock(
            block_id="checkin_question",
            text=MarkdownTextObject(
                text=":seedling: *"
                + _(QUESTION)
                + "*\n"
                + _(
                    "Earning trust back takes a while, and it can be tiring. How was this "
                    "week for you? Only you will ever see your answer."
                )
            ),
        ),
        ActionsBlock(
            block_id="checkin_actions",
            elements=[
                ButtonElement(text=_("Check in"), action_id=OPEN, value="checkin", style="primary")
            ],
        ),
    ]
    return [b.to_dict() for b in blocks]


def modal() -> dict[str, Any]:
    options = [Option(value=v, text=f"{mark} {_(label)}") for v, mark, label in MOODS]
    return View(
        type="modal",
        callback_id=MODAL,
        title=_("Check in"),
        submit=_("Save"),
        close=_("Cancel"),
        blocks=[
            ContextBlock(elements=[MarkdownTextObject(text=_(PRIVATE))]),
            InputBlock(
                block_id="checkin_mood",
                label=_(QUESTION),
                element=RadioButtonsElement(action_id="mood", options=options),
            ),
            InputBlock(
                block_id="checkin_note",
                label=_("A note for yourself"),
                optional=True,
                hint=limit_hint(NOTE_MAX),
                element=PlainTextInputElement(
                    action_id="note", multiline=True, max_length=NOTE_MAX
                ),
            ),
        ],
    ).to_dict()


PRIVATE = N_("Only you see this. Nothing of it reaches your manager, or anyone else.")
CHOOSE_MOOD = N_("Pick the one that fits this week best.")


def reply_text(mood: str) -> str:
    """Thanks; on a hard week, the article's advice, gently."""
    if mood != HARD:
        return _(":seedling: Thank you for checking in. Keep going: every week you show up counts.")
    return _(
        ":seedling: Thank you for being honest about it: some weeks are hard. A few things "
        "that help people through this stretch:\n"
        "• Keep a positive attitude where you can. It is noticed, even when nobody says so.\n"
        "• Being passed over for a while is part of earning it back. It is not the final word "
        "on you.\n"
        "• Keep asking for feedback. It is how you know you're on the right track.\n"
        "Be as kind to yourself as you would be to a colleague in your place."
    )


def home_blocks(enabled: bool, recent: list[Checkin], *, tz: str) -> list[Block]:
    """The person's own section: the switch, and their last few answers."""
    blocks: list[Block] = [
        DividerBlock(),
        HeaderBlock(block_id="checkin_header", text=_(QUESTION)),
        SectionBlock(
            block_id="checkin_switch",
            text=MarkdownTextObject(
                text=(
                    _("A private check-in comes every week, just for you.")
                    if enabled
                    else _(
                        "If you like, a private check-in can ask you each week how you are "
                        "holding up."
                    )
                )
                + " "
                + _(PRIVATE)
            ),
            accessory=ButtonElement(
                text=_("Turn off") if enabled else _("Turn on"),
                action_id=TOGGLE,
                value="off" if enabled else "on",
            ),
        ),
    ]
    for checkin in recent:
        line = "*{day}* · {mark} {label}".format(
            day=day(checkin.answered_at, tz),
            mark=MOOD_MARK.get(checkin.mood, ""),
            label=_(MOOD_LABEL.get(checkin.mood, QUESTION)),
        )
        if checkin.note:
            line += "\n" + escape(checkin.note, limit=300)
        blocks.append(SectionBlock(text=MarkdownTextObject(text=line)))
    return blocks
