"""Stage 3's review modal: the excuse check, what repeats, and the manager's DM exactly as sent."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import DividerBlock

from models import MeetingRequest, Person
from slackapp.services.excuses import Excuse, sentence_around
from slackapp.services.meetings import proposed_times
from slackapp.views.excuse_words import language_name, reason_text
from slackapp.views.i18n import _, reading_as
from slackapp.views.meeting import REVIEW, _context, _modal, _section
from slackapp.views.meeting_messages import (
    ACCEPT,
    DECLINE,
    PROPOSE,
    manager_request_blocks,
    when,
)
from slackapp.views.mrkdwn import escape
from slackapp.views.words import zone_label


def _preview_blocks(
    request: MeetingRequest, *, employee: Person, manager: Person
) -> list[dict[str, Any]]:
    """The manager's DM exactly, in their language, with its buttons shown as labels (nothing to
    press here)."""
    with reading_as(manager.reads):
        return _manager_preview(request, employee=employee, manager=manager)


def _manager_preview(
    request: MeetingRequest, *, employee: Person, manager: Person
) -> list[dict[str, Any]]:
    shown = [
        block.to_dict()
        for block in manager_request_blocks(
            request, employee=employee, manager=manager, with_actions=False
        )
    ]
    buttons = _context(
        _("Buttons for them: *{accept}*  ·  *{propose}*  ·  *{decline}*").format(
            accept=_(ACCEPT), propose=_(PROPOSE), decline=_(DECLINE)
        )
    )
    return [*shown[:-1], buttons.to_dict(), shown[-1]]


def review_modal(
    request: MeetingRequest,
    *,
    employee: Person,
    manager: Person,
    excuses: list[Excuse],
    repeated: list[str] | None = None,
    checked_in: str = "en",
) -> dict[str, Any]:
    """`repeated`: shared steps and commitments the message spells out as well; `checked_in`:
    the language whose excuse phrases were looked for (services.excuses.checked_language)."""
    blocks: list[dict[str, Any]] = []
    if excuses:
        quoted = "\n".join(
            f"• “{escape(sentence_around(request.message, excuse), one_line=True)}”  "
            f"_({reason_text(excuse.reason)})_"
            for excuse in excuses[:10]
        )
        blocks.append(
            _section(
                _(
                    ":warning: *This may read like an excuse.* The advice is: no excuses. Own what "
                    "happened, its impact, and what you're doing about it."
                )
                + "\n"
                + quoted,
                "meeting_excuses",
            ).to_dict()
        )
        blocks.append(
            _context(
                _("Press *Back to edit* to reword it, or send it as it is."), "meeting_excuses_hint"
            ).to_dict()
        )
    else:
        blocks.append(
            _section(
                _(
                    ":white_check_mark: No excuses spotted. Here is exactly what your manager will "
                    "receive."
                ),
                "meeting_no_excuses",
            ).to_dict()
        )
    blocks.append(
        _context(
            _("I looked for excuses written in {language}.").format(
                language=language_name(checked_in)
            ),
            "meeting_excuses_language",
        ).to_dict()
    )
    if repeated:
        # At most 5 of at most 200 characters each: the section holds 3000.
        items = "\n".join(f"• “{escape(item, limit=200, one_line=True)}”" for item in repeated[:5])
        blocks.append(
            _section(
                _(
                    ":repeat: *Your message also lists what is shared under it*, so your manager would read it twice:\n{items}\nPress *Back to edit* to take it out of the message, or to stop sharing it."
                ).format(items=items),
                "meeting_repeated",
            ).to_dict()
        )
    blocks.append(DividerBlock().to_dict())
    blocks += _preview_blocks(request, employee=employee, manager=manager)
    yours = ", ".join(when(moment, employee.tz) for moment in proposed_times(request))
    blocks.append(
        _context(
            _("In your time zone ({zone}): {times}.").format(
                zone=zone_label(employee.tz), times=yours
            ),
            "meeting_your_times",
        ).to_dict()
    )
    return _modal(
        callback_id=REVIEW,
        title=_("Review and send"),
        submit=_("Send anyway") if excuses else _("Send"),
        close=_("Back to edit"),
        private_metadata=json.dumps({"request": request.id}),
        blocks=blocks,
    )
