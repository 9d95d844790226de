"""The first hour in the sandbox: a pushed modal keeps the one under it, the data download is a
file on the page, and the clock speaks plainly."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.helpers import MANAGER, click, field, modal, no_modal, pane, tab, type_command

pytestmark = pytest.mark.browser

MESSAGE = "I got the Acme order wrong and I own it. Could we talk it through this week?"


def compose_meeting(emma: Locator) -> Locator:
    type_command(emma, "/secondchance meeting")
    compose = modal(emma, "Talk to your boss")
    field(compose, "Your manager").select_option(MANAGER)
    expect(compose.locator("[data-block-id='meeting_zone']")).to_contain_text("New York time")
    field(compose, "First choice: day").fill("2026-03-03")
    compose.get_by_label(re.compile(r"^First choice: time")).fill("10:00")
    field(compose, "Your message").fill(MESSAGE)
    return compose


def test_back_to_edit_from_the_review_keeps_the_edits(page: Page) -> None:
    emma = pane(page, "left")
    compose = compose_meeting(emma)
    click(compose, "Review")
    review = modal(emma, "Review and send")
    expect(review).to_contain_text("Tue 3 Mar, 10:00 EST")

    click(review, "Back to edit")
    compose = modal(emma, "Talk to your boss")
    expect(field(compose, "Your message")).to_have_value(MESSAGE)
    expect(field(compose, "First choice: day")).to_have_value("2026-03-03")
    expect(compose.get_by_label(re.compile(r"^First choice: time"))).to_have_value("10:00")
    expect(field(compose, "Your manager")).to_have_value(MANAGER)

    # What changes now is what the review shows next.
    compose.get_by_label(re.compile(r"^First choice: time")).fill("11:30")
    click(compose, "Review")
    expect(modal(emma, "Review and send")).to_contain_text("Tue 3 Mar, 11:30 EST")


def test_download_my_data_is_a_file_in_the_dm_that_downloads(page: Page, tmp_path: Path) -> None:
    emma = pane(page, "left")
    type_command(emma, "/secondchance plan")
    plan = modal(emma, "New repair plan")
    field(plan, "Short title").fill("Botched the Acme order")
    field(plan, "Step 1").fill("Call Acme and apologise")
    click(plan, "Save plan")
    click(modal(emma, "Plan saved"), "Done")
    no_modal(emma)

    click(tab(emma, "Home"), "Download my data")
    messages = tab(emma, "Messages")
    shared = messages.locator(".message").filter(has_text="Only you received this file")
    card = shared.locator(".file-card")
    expect(card).to_contain_text("Your Second Chance data")
    expect(card).to_contain_text(re.compile(r"JSON · \d+ (B|KB)"))
    with page.expect_download() as started:
        card.get_by_role("link", name="Download Your Second Chance data").click()
    download = started.value
    assert re.fullmatch(r"secondchance-\d{4}-\d{2}-\d{2}\.json", download.suggested_filename)
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["plans"][0]["title"] == "Botched the Acme order"
    assert [s["description"] for s in data["plans"][0]["steps"]] == ["Call Acme and apologise"]


def test_the_clock_names_the_next_message_in_plain_words(page: Page) -> None:
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

    upcoming = page.locator("[data-next]")
    expect(upcoming).to_contain_text("Next scheduled: Reminder before the meeting")
    page.get_by_role("button", name="Skip ahead to the next scheduled message").click()
    expect(upcoming).to_contain_text("Next scheduled: How did it go?")
    for internal in ("meeting reminder", "meeting followup", "_", "employee ("):
        expect(upcoming).not_to_contain_text(internal)
