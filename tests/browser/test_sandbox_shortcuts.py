"""The message shortcut, tried in real Chromium on the sandbox's #orders message."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import click, field, modal, pane, tab

pytestmark = pytest.mark.browser


def test_a_plan_starts_from_the_message_in_orders(page: Page) -> None:
    emma = pane(page, "left")
    messages = tab(emma, "Messages")
    said = messages.locator(".channel-message").filter(has_text="wrong parts again")
    expect(said).to_contain_text("Chandra Colleague")
    said.get_by_text("⋯ More actions").click()
    said.get_by_role("button", name="Start a repair plan").click()
    plan = modal(emma, "New repair plan")
    # The message is linked as what happened, and its author suggested as affected.
    link = plan.get_by_role("link", name="the message in Slack")
    expect(link).to_have_attribute("href", re.compile(r"/archives/CORDERS/p\d+"))
    expect(plan).to_contain_text("Chandra Colleague")
    field(plan, "Short title").fill("Wrong parts for Acme")
    field(plan, "Step 1").fill("Call Chandra and the customer today")
    click(plan, "Save plan")
    expect(modal(emma)).to_contain_text("Your plan is saved")
