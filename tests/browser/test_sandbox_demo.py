"""--seed-demo: every screen has something to show; and the README's screenshot."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import click, modal, pane, tab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# Every run makes the screenshot under test-results/; UPDATE_SCREENSHOTS=1 refreshes the README's.
SCREENSHOT = (
    ROOT / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") else "test-results") / "sandbox.png"
)


def test_the_demo_fills_every_screen_and_makes_the_screenshot(demo_page: Page) -> None:
    page = demo_page
    emma, max_ = pane(page, "left"), pane(page, "right")
    home = tab(emma, "Home")
    expect(home).to_contain_text("The Henderson order shipped with the wrong parts")
    expect(home).to_contain_text("1 of 3")
    expect(home).to_contain_text("The morning approvals are working")  # feedback history

    # The next feedback request is on the clock; skipping ahead delivers it to Max.
    page.get_by_role("button", name="Skip ahead to the next scheduled message").click()
    messages = tab(max_, "Messages")
    request = messages.locator(".message").filter(has_text="asked for your feedback")
    click(request, "Give feedback")
    modal(max_, "Give feedback")
    expect(page.locator("[data-unknown]")).to_have_count(0)
    page.mouse.move(0, 0)
    SCREENSHOT.parent.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=False)
