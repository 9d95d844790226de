"""Step 3 on the employee's App Home: their open meeting request, then the concerns to address."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, DividerBlock, HeaderBlock

from models import Concern, MeetingRequest, Person
from slackapp.views.i18n import _
from slackapp.views.meeting_home import concern_blocks, employee_request_blocks


def meeting_section_blocks(
    request: MeetingRequest | None,
    *,
    employee: Person,
    manager: Person | None,
    meeting_over: bool,
    concerns: list[Concern],
) -> list[Block]:
    blocks: list[Block] = []
    if request is not None and manager is not None:
        blocks += [
            DividerBlock(),
            HeaderBlock(block_id="meeting_request_header", text=_("Your meeting request")),
            *employee_request_blocks(
                request, employee=employee, manager=manager, meeting_over=meeting_over
            ),
        ]
    if concerns:
        blocks += [DividerBlock(), *concern_blocks(concerns)]
    return blocks
