"""The comeback summary: its Markdown (a canvas in the employee's DM, or a Markdown file where
canvases are unavailable), the same text as Slack blocks for the preview and for the manager,
and the messages around it. The manager gets exactly the blocks the employee previewed."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    InputBlock,
    MarkdownTextObject,
    PlainTextInputElement,
    SectionBlock,
)
from slack_sdk.models.views import View

from slackapp.services.comeback import Summary
from slackapp.views.feedback_messages import EXPECTATION_LABELS
from slackapp.views.i18n import _
from slackapp.views.mrkdwn import escape
from slackapp.views.words import limit_hint, short_date

SHARE_OPEN = "comeback_share_open"
SHARE_MODAL = "comeback_share"
THANKS_MAX = 2000


def _line(text: str | None) -> str:
    """Typed words on one line, so nothing typed reads as a heading or a list."""
    return " ".join((text or "").split())


def summary_markdown(summary: Summary) -> str:
    """The canvas: headings, lists and plain lines only (the blocks below read them back)."""
    lines = ["# " + _("My comeback: {title}").format(title=_line(summary.title))]
    if summary.what_happened:
        lines += ["## " + _("What went wrong"), _line(summary.what_happened)]
    if summary.steps:
        lines.append("## " + _("The repairs"))
        lines += [f"- {'✅' if done else '⬜'} {_line(text)}" for text, done in summary.steps]
    if summary.commitments:
        lines.append("## " + _("My commitments"))
        lines += [f"- {_line(text)}" for text in summary.commitments]
    if summary.concerns:
        lines.append("## " + _("The concerns I addressed"))
        lines += [f"- {'✅' if done else '⬜'} {_line(text)}" for text, done in summary.concerns]
    if summary.expected:
        lines.append("## " + _("What we agreed, and how each ended"))
        for text, due, rating in summary.expected:
            label = EXPECTATION_LABELS.get(rating or "")
            by = " " + _("(by {date})").format(date=short_date(due)) if due else ""
            lines.append(f"- {_line(text)}{by}: " + (_(label) if label else _("no rating yet")))
    if summary.ratings:
        lines.append("## " + _("My feedback over time"))
        lines.append(" → ".join(_(EXPECTATION_LABELS.get(r, r)) for r in summary.ratings))
    return "\n".join(lines)


def _emoji(text: str) -> str:
    """The squares the canvas shows as characters, as Slack's emoji in a message."""
    return text.replace("✅", ":white_check_mark:").replace("⬜", ":white_large_square:")


def summary_blocks(markdown: str) -> list[Block]:
    """The summary as message blocks: each heading starts a section, typed words escaped."""
    sections: list[list[str]] = []
    for raw in markdown.splitlines():
        if raw.startswith("#"):
            sections.append([f"*{escape(raw.lstrip('#').strip(), one_line=True)}*"])
            continue
        if not sections:
            sections.append([])
        text = raw[2:] if raw.startswith("- ") else raw
        bullet = "• " if raw.startswith("- ") else ""
        sections[-1].append(bullet + _emoji(escape(text, limit=500, one_line=True)))
    return [
        SectionBlock(
            block_id=f"comeback_{n}", text=MarkdownTextObject(text="\n".join(lines)[:2900])
        )
        for n, lines in enumerate(sections[:20])
    ]


def ready_text(*, canvas: bool) -> str:
    where = (
        _("It is a canvas in this conversation, yours to read and edit.")
        if canvas
        else _("It is the Markdown file above, yours to keep.")
    )
    return _(":sparkles: You're back on track. I wrote your comeback summary.") + " " + where


def ready_blocks(
    plan_id: int, *, canvas: bool, manager_user_id: str | None, chart: Block | None = None
) -> list[Block]:
    """chart (trend_chart.chart_block): the picture of their ratings, for them alone; the
    summary they may share says the same in words."""
    blocks: list[Block] = [
        SectionBlock(
            block_id="comeback_ready", text=MarkdownTextObject(text=ready_text(canvas=canvas))
        ),
        *([chart] if chart is not None else []),
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=_("Private to you: nothing is shared unless you choose to.")
                )
            ]
        ),
    ]
    if manager_user_id:
        blocks.append(
            ActionsBlock(
                block_id="comeback_actions",
                elements=[
                    ButtonElement(
                        text=_("Preview and share"), action_id=SHARE_OPEN, value=str(plan_id)
                    )
                ],
            )
        )
    return blocks


def default_thanks() -> str:
    return _(
        "Thank you for your patience and your feedback over these weeks. It helped me get back "
        "on track."
    )


def share_modal(plan_id: int, *, manager_user_id: str, markdown: str) -> dict[str, Any]:
    return View(
        type="modal",
        callback_id=SHARE_MODAL,
        title=_("Share your summary"),
        submit=_("Share"),
        close=_("Cancel"),
        private_metadata=json.dumps({"plan": plan_id}),
        blocks=[
            ContextBlock(
                elements=[
                    MarkdownTextObject(
                        text=_(
                            "This is exactly what <@{manager}> will get. Nothing is shared until "
                            "you press Share; sharing ends your feedback schedule."
                        ).format(manager=manager_user_id)
                    )
                ]
            ),
            InputBlock(
                block_id="comeback_thanks",
                label=_("A last thank-you"),
                optional=True,
                hint=limit_hint(THANKS_MAX),
                element=PlainTextInputElement(
                    action_id="thanks",
                    multiline=True,
                    max_length=THANKS_MAX,
                    initial_value=default_thanks(),
                ),
            ),
            DividerBlock(),
            *summary_blocks(markdown),
        ],
    ).to_dict()


def shared_message(
    *, employee_user_id: str, thanks: str | None, summary: list[Block]
) -> tuple[str, list[dict[str, Any]]]:
    """To the manager: who shares it, their thank-you as typed, and the summary as previewed."""
    headline = _("<@{employee}> shared their comeback summary with you").format(
        employee=employee_user_id
    )
    blocks: list[Block] = [
        SectionBlock(block_id="comeback_shared", text=MarkdownTextObject(text=f"*{headline}*"))
    ]
    if thanks and thanks.strip():
        blocks.append(
            SectionBlock(
                block_id="comeback_thanks",
                text=MarkdownTextObject(text=escape(thanks.strip(), limit=2900)),
            )
        )
    blocks += [DividerBlock(), *summary]
    return headline, [b.to_dict() for b in blocks]


def shared_note(manager_user_id: str) -> str:
    return _(
        ":white_check_mark: Shared with <@{manager}>. Your feedback schedule has ended with it. "
        "Well done."
    ).format(manager=manager_user_id)
