"""The meeting in both calendars, in the sandbox: once Max accepts, each pane shows the card with
the calendar links and the .ics as a file card that opens in place and downloads; Emma cancels
from her card, and both get the cancellation."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import click, modal, no_modal, pane, tab
from tests.browser.test_sandbox_first_hour import compose_meeting

pytestmark = pytest.mark.browser

AGREED = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York
LINK_TO_THE_TIME = re.compile(
    r"^https://calendar\.google\.com/calendar/render\?action=TEMPLATE&.*"
    r"dates=20260303T150000Z%2F20260303T153000Z"
)


def invitations(messages: Locator, title: str) -> Locator:
    return messages.locator(".file-card").filter(has_text=title)


def downloaded(page: Page, card: Locator, name: str, tmp_path: Path) -> Calendar:
    with page.expect_download() as started:
        card.get_by_role("link", name=f"Download {name}").click()
    download = started.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    return Calendar.from_ical(saved.read_bytes())


def test_the_invitation_is_a_file_card_in_both_dms(page: Page, tmp_path: Path) -> None:
    emma, max_ = pane(page, "left"), pane(page, "right")
    click(compose_meeting(emma), "Review")
    click(modal(emma, "Review and send"), "Send")
    no_modal(emma)
    request = (
        tab(max_, "Messages")
        .locator(".message")
        .filter(has_text="would like a private conversation")
    )
    click(request, "Accept", exact=True)
    expect(request).to_contain_text("Accepted")

    for who, local in ((max_, "Tue 3 Mar, 10:00 EST"), (emma, "Tue 3 Mar, 16:00 CET")):
        messages = tab(who, "Messages")
        card = messages.locator(".message").filter(has_text="for your calendar")
        expect(card).to_contain_text(local)
        google = card.get_by_role("button", name="Add to Google Calendar")
        expect(google).to_have_attribute("data-url", LINK_TO_THE_TIME)
        expect(card.get_by_role("button", name="Add to Outlook")).to_be_visible()
        file_card = invitations(messages, "Meeting invitation")
        expect(file_card).to_contain_text("iCalendar")
        calendar = downloaded(page, file_card, "Meeting invitation", tmp_path)
        assert calendar.walk("VEVENT")[0].decoded("DTSTART") == AGREED
        opened = messages.locator(".file-preview")
        opened.get_by_text("Open").click()
        expect(opened.locator(".file-content")).to_contain_text("DTSTART:20260303T150000Z")

    # Emma can't make it after all: she cancels from her card.
    messages = tab(emma, "Messages")
    click(messages.locator(".message").filter(has_text="for your calendar"), "Cancel the meeting")
    for who in (emma, max_):
        messages = tab(who, "Messages")
        cancelled = invitations(messages, "Meeting cancelled")
        expect(cancelled).to_be_visible()
        calendar = downloaded(page, cancelled, "Meeting cancelled", tmp_path)
        assert str(calendar["METHOD"]) == "CANCEL"
        # The first card gave way: no links to a meeting that is off.
        expect(messages.get_by_role("button", name="Add to Google Calendar")).to_have_count(0)
