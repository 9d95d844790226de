"""The comeback summary on the page: closing the plan puts a canvas in Emma's DM, which opens
(by keyboard) as a readable document; Preview and share sends it to Max."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from slacksim.sandbox.main import RunningSandbox
from tests.browser.helpers import click, modal, no_modal, pane, tab

pytestmark = pytest.mark.browser

TITLE = "My comeback: The Henderson order shipped with the wrong parts"
THANKS = "Thank you, Max, for the Monday notes & the patience."
# All a canvas's Markdown can become on the page; anything else would be HTML let through.
RENDERED = "h3, h4, h5, h6, p, br, ul, ol, li, strong, em, code"


def test_closing_the_plan_shows_the_summary_canvas_and_sharing_sends_it(
    demo_page: Page,
) -> None:
    page = demo_page
    emma, max_ = pane(page, "left"), pane(page, "right")
    home = tab(emma, "Home")
    click(home, "Close plan")
    click(page.get_by_role("dialog", name="Close this plan?"), "Close plan")

    messages = tab(emma, "Messages")
    canvas = messages.locator(".canvas")
    expect(canvas).to_have_count(1)
    expect(canvas.locator(".canvas-card")).to_contain_text("My comeback")
    doc = canvas.locator(".canvas-doc")
    expect(doc).to_be_hidden()
    canvas.locator("summary").press("Enter")  # a card opens with the keyboard
    expect(doc).to_be_visible()
    expect(doc.get_by_role("heading", name=TITLE, level=3)).to_be_visible()
    for section in ("What went wrong", "The repairs", "My commitments", "What we agreed"):
        expect(doc.get_by_role("heading", name=section, level=4)).to_be_visible()
    expect(
        doc.get_by_role("listitem").filter(has_text="Call Henderson and apologise")
    ).to_contain_text("✅")
    expect(
        doc.get_by_role("listitem").filter(has_text="Approve orders only in the morning")
    ).to_be_visible()
    expect(doc).to_contain_text("The customer lost two days on site.")
    expect(doc.locator(f":not({RENDERED})")).to_have_count(0)

    # Nothing is shared until Emma chooses to.
    max_messages = tab(max_, "Messages")
    expect(max_messages.locator(".message").filter(has_text="comeback summary")).to_have_count(0)

    ready = messages.locator(".message").filter(has_text="I wrote your comeback summary")
    expect(ready).to_contain_text("a canvas in this conversation")
    click(ready, "Preview and share")
    share = modal(emma, "Share your summary")
    expect(share).to_contain_text("Ship the right fittings, express, at our cost")
    share.get_by_label("A last thank-you").fill(THANKS)
    click(share, "Share")
    no_modal(emma)
    expect(
        messages.locator(".message").filter(has_text="Your feedback schedule has ended")
    ).to_have_count(1)
    # The canvas stayed open while the messages around it changed.
    expect(doc).to_be_visible()

    shared = max_messages.locator(".message").filter(has_text="shared their comeback summary")
    expect(shared).to_have_count(1)
    expect(shared).to_contain_text(THANKS)
    expect(shared).to_contain_text("The repairs")
    expect(shared).to_contain_text("Ship the right fittings, express, at our cost")
    # The canvas is Emma's: Max's DM has none.
    expect(max_messages.locator(".canvas")).to_have_count(0)


def test_without_canvases_the_summary_is_a_markdown_file_that_opens_in_place(
    demo_page: Page, demo_sandbox: RunningSandbox
) -> None:
    fake = demo_sandbox.sandbox.fake
    fake.granted_scopes = [s for s in fake.granted_scopes if s != "canvases:write"]
    page = demo_page
    emma = pane(page, "left")
    click(tab(emma, "Home"), "Close plan")
    click(page.get_by_role("dialog", name="Close this plan?"), "Close plan")

    messages = tab(emma, "Messages")
    ready = messages.locator(".message").filter(has_text="I wrote your comeback summary")
    expect(ready).to_contain_text("the Markdown file above")
    expect(messages.locator(".canvas")).to_have_count(0)
    card = messages.locator(".message").filter(has=page.locator(".file-card"))
    expect(card.locator(".file-title")).to_have_text("My comeback")
    card.locator(".file-preview summary").press("Enter")
    expect(card.locator(".file-content")).to_contain_text("## The repairs")
    expect(card.locator(".file-content")).to_contain_text(TITLE)
    # Slack refused the canvas, as it would without the scope; the app fell back, as asked.
    assert [(r["method"], r["error"]) for r in fake.rejections] == [
        ("canvases.create", "missing_scope")
    ]
    fake.rejections.clear()


def test_emmas_home_shows_the_trend_chart_the_app_uploaded(
    demo_page: Page, demo_sandbox: RunningSandbox
) -> None:
    """Two rated answers in the demo: the chart under "At a glance", served from the fake's
    file, with its words as the image's alt text and caption."""
    home = tab(pane(demo_page, "left"), "Home")
    figure = home.locator(".bk-image").filter(has_text="Your ratings over time")
    expect(figure).to_have_count(1)
    image = figure.locator("img")
    expect(image).to_have_attribute("alt", re.compile(r"^A chart of your ratings, oldest first"))
    expect(image).to_have_attribute("src", re.compile(r"^/sandbox/images/F[A-Z0-9]+$"))
    # The home is drawn again as the page polls: expect() finds the image anew each time.
    expect(image).to_have_js_property("complete", True)
    expect(image).to_have_js_property("naturalWidth", 480)
    # Max's home shows none of it.
    max_home = tab(pane(demo_page, "right"), "Home")
    expect(max_home.locator("img[src^='/sandbox/images/']")).to_have_count(0)
