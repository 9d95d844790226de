"""The sandbox for everyone: axe-core finds no serious or critical violation on any screen of the
journey, and the journey can be walked with the keyboard alone, focus visible all the way, going
into each modal as it opens and back where it was when it closes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from slacksim.sandbox.main import RunningSandbox
from tests.browser.accessibility import Screens
from tests.browser.helpers import (
    EMPLOYEE,
    MANAGER,
    click,
    field,
    modal,
    no_modal,
    pane,
    section_with,
    tab,
    type_command,
)

pytestmark = pytest.mark.browser

SKIP_AHEAD = "Skip ahead to the next scheduled message"


def test_every_screen_of_the_journey_passes_axe(page: Page) -> None:
    screens = Screens(page)
    emma, max_ = pane(page, "left"), pane(page, "right")
    screens.check("the empty start")

    type_command(emma, "/secondchance")
    journey = modal(emma, "Your second chance")
    screens.check("the journey modal")
    click(section_with(journey, "Fix what went wrong"), "Start")
    plan = modal(emma, "New repair plan")
    screens.check("the plan modal")
    click(plan, "Save plan")
    expect(plan.locator(".bk-invalid")).not_to_have_count(0)
    screens.check("the plan modal with a field error")
    field(plan, "Short title").fill("Botched the Acme order")
    field(plan, "Step 1").fill("Call Acme and apologise")
    click(plan, "Save plan")
    click(modal(emma, "Plan saved"), "Done")
    expect(emma.locator(".modal-title")).to_have_text("Your second chance")
    screens.check("plan saved, back on the journey")
    page.keyboard.press("Escape")
    no_modal(emma)

    expect(tab(emma, "Home")).to_contain_text("Botched the Acme order")
    screens.check("the employee's App Home")

    type_command(emma, "/secondchance reflect")
    modal(emma, "Be introspective")
    screens.check("the reflection modal")
    page.keyboard.press("Escape")
    no_modal(emma)

    type_command(emma, "/secondchance meeting")
    compose = modal(emma, "Talk to your boss")
    field(compose, "Your manager").select_option(MANAGER)
    expect(compose.locator("[data-block-id='meeting_zone']")).to_contain_text("New York time")
    screens.check("the meeting request modal")
    field(compose, "First choice: day").fill("2026-03-03")
    compose.get_by_label(re.compile(r"^First choice: time")).fill("10:00")
    field(compose, "Your message").fill("I got the Acme order wrong and I own it.")
    click(compose, "Review")
    review = modal(emma, "Review and send")
    screens.check("the meeting request's preview")
    click(review, "Send")
    no_modal(emma)

    request = (
        tab(max_, "Messages")
        .locator(".message")
        .filter(has_text="would like a private conversation")
    )
    expect(request.get_by_role("button", name="Propose another time")).to_be_visible()
    screens.check("the manager's messages, with a meeting request and its buttons")
    click(request, "Propose another time")
    modal(max_, "Propose another time")
    screens.check("the manager's propose-time modal")
    page.keyboard.press("Escape")
    no_modal(max_)
    click(request, "Accept", exact=True)
    expect(request).to_contain_text("Accepted")
    expect(tab(max_, "Home")).to_contain_text("People who asked you")
    screens.check("the manager's App Home")

    type_command(emma, "/secondchance feedback")
    schedule = modal(emma, "Ask for feedback")
    screens.check("the feedback schedule modal")
    field(schedule, "First request on").fill("2026-03-03")
    schedule.get_by_label(re.compile(r"^At")).fill("09:00")
    click(schedule, "Schedule")
    click(modal(emma, "Feedback scheduled"), "Done")
    no_modal(emma)

    page.get_by_role("button", name=SKIP_AHEAD).click()
    asked = tab(max_, "Messages").locator(".message").filter(has_text="asked for your feedback")
    expect(asked.get_by_role("button", name="Give feedback")).to_be_visible()
    screens.check("a feedback request")
    click(asked, "Give feedback")
    give = modal(max_, "Give feedback")
    screens.check("the feedback request's rating form")
    click(give, "Send feedback")
    expect(give.locator(".bk-invalid")).not_to_have_count(0)
    screens.check("the rating form with a field error")
    page.keyboard.press("Escape")
    no_modal(max_)

    # The language picker: the page drawn again in Japanese for Emma, English for Max.
    emma.locator("[data-lang-select]").select_option("ja")
    expect(pane(page, "left")).to_have_attribute("lang", "ja")
    page.wait_for_selector("body[data-ready='1']")
    expect(pane(page, "right")).to_have_attribute("lang", "en")
    screens.check("the page after the language picker, in Japanese and English")
    screens.nothing_lesser_either()


def test_the_comeback_and_expectations_screens_pass_axe(demo_page: Page) -> None:
    page = demo_page
    screens = Screens(page)
    emma, max_ = pane(page, "left"), pane(page, "right")
    emma_home, max_home = tab(emma, "Home"), tab(max_, "Home")
    expect(emma_home).to_contain_text("Every big order gets the second check")
    expect(max_home).to_contain_text("People who asked you")
    screens.check("both App Homes, with the concerns and expectations")

    emma_home.get_by_role("button", name=re.compile("^(Edit|Propose a change)$")).first.click()
    modal(emma, "Expectations")
    screens.check("the expectations modal")
    page.keyboard.press("Escape")
    no_modal(emma)

    page.get_by_role("button", name=SKIP_AHEAD).click()
    asked = tab(max_, "Messages").locator(".message").filter(has_text="asked for your feedback")
    click(asked, "Give feedback")
    give = modal(max_, "Give feedback")
    expect(give).to_contain_text("Every big order gets the second check")
    screens.check("the rating form, with each expectation to rate")
    page.keyboard.press("Escape")
    no_modal(max_)

    click(emma_home, "Close plan")
    confirm = page.get_by_role("dialog", name="Close this plan?")
    expect(confirm).to_be_visible()
    screens.check("the close-plan confirmation")
    click(confirm, "Close plan")

    messages = tab(emma, "Messages")
    canvas = messages.locator(".canvas")
    canvas.locator("summary").click()
    expect(canvas.locator(".canvas-doc")).to_be_visible()
    screens.check("the comeback summary's canvas, open")
    ready = messages.locator(".message").filter(has_text="I wrote your comeback summary")
    click(ready, "Preview and share")
    modal(emma, "Share your summary")
    screens.check("the comeback summary's share modal")
    screens.nothing_lesser_either()


# -- the keyboard alone ---------------------------------------------------------------------------


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


def tab_to(page: Page, target: Locator, *, back: bool = False, most: int = 40) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus, which must be visible each step."""
    if is_focused(target):
        return
    for _ in range(most):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        focus_is_visible(page)
        if is_focused(target):
            return
    raise AssertionError(f"{most} presses of Tab never reached {target}")


def focus_is_visible(page: Page) -> None:
    seen = page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return "nothing has the focus";
          const style = getComputedStyle(el);
          const width = parseFloat(style.outlineWidth);
          if (style.outlineStyle === "none" || width < 2) {
            return "no visible focus outline on " + el.outerHTML.slice(0, 120);
          }
          return "";
        }"""
    )
    assert not seen, seen


def focus_inside(page: Page, where: Locator) -> None:
    expect(where.locator(":focus")).to_have_count(1)
    focus_is_visible(page)


def press(page: Page, key: str) -> None:
    page.keyboard.press(key)


def test_the_journey_by_keyboard_alone(page: Page) -> None:
    emma, max_ = pane(page, "left"), pane(page, "right")
    composer = emma.locator("[data-composer] input")
    tab_to(page, composer)
    page.keyboard.type("/secondchance")
    press(page, "Enter")

    journey = modal(emma, "Your second chance")
    focus_inside(page, journey)
    tab_to(page, section_with(journey, "Fix what went wrong").get_by_role("button", name="Start"))
    press(page, "Enter")
    plan = modal(emma, "New repair plan")
    focus_inside(page, plan)
    expect(field(plan, "Short title")).to_be_focused()
    page.keyboard.type("Botched the Acme order")
    tab_to(page, field(plan, "Step 1"))
    page.keyboard.type("Call Acme and apologise")
    apology = plan.get_by_label("This step is an apology to someone")
    tab_to(page, apology)
    press(page, "Space")
    expect(apology).to_be_checked()
    tab_to(page, plan.get_by_role("button", name="Save plan"))
    press(page, "Enter")
    saved = modal(emma, "Plan saved")
    focus_inside(page, saved)
    press(page, "Escape")  # back to the journey under it
    journey = modal(emma, "Your second chance")
    focus_inside(page, journey)
    press(page, "Escape")
    no_modal(emma)
    expect(composer).to_be_focused()  # back where it was when the modal opened
    focus_is_visible(page)

    # The tabs: the selected one is in the Tab order, the arrow keys move between them.
    messages_tab = emma.get_by_role("tab", name="Messages")
    tab_to(page, messages_tab, back=True)
    press(page, "ArrowLeft")
    home_tab = emma.get_by_role("tab", name="Home")
    expect(home_tab).to_be_focused()
    expect(home_tab).to_have_attribute("aria-selected", "true")
    expect(emma.locator('[data-part="home"]')).to_contain_text("Botched the Acme order")
    press(page, "ArrowRight")
    expect(messages_tab).to_have_attribute("aria-selected", "true")
    expect(emma.locator('[data-part="messages"]')).to_be_visible()

    # A meeting request, asked by keyboard.
    tab_to(page, composer)
    page.keyboard.type("/secondchance meeting")
    press(page, "Enter")
    compose = modal(emma, "Talk to your boss")
    focus_inside(page, compose)
    manager = field(compose, "Your manager")
    tab_to(page, manager)
    page.keyboard.type("Max")  # a list's type-ahead: one change, to the first name that fits
    expect(manager).to_have_value(MANAGER)
    expect(compose.locator("[data-block-id='meeting_zone']")).to_contain_text("New York time")
    # The app redrew the modal with a block more above the times: the focus stayed on the list.
    expect(manager).to_be_focused()
    day = field(compose, "First choice: day")
    tab_to(page, day)
    page.keyboard.type("03032026")  # month, day, year: the date field's own parts
    expect(day).to_have_value("2026-03-03")
    at = compose.get_by_label(re.compile(r"^First choice: time"))
    tab_to(page, at)
    page.keyboard.type("1000AM")
    expect(at).to_have_value("10:00")
    tab_to(page, field(compose, "Your message"))
    page.keyboard.type("I got the Acme order wrong and I own it.")
    tab_to(page, compose.get_by_role("button", name="Review"))
    press(page, "Enter")
    review = modal(emma, "Review and send")
    focus_inside(page, review)
    tab_to(page, review.get_by_role("button", name="Send"))
    press(page, "Enter")
    no_modal(emma)
    expect(composer).to_be_focused()

    # Max answers it, by keyboard too: on to his pane, his Messages tab, the request's buttons.
    max_home_tab = max_.get_by_role("tab", name="Home")
    tab_to(page, max_home_tab)
    press(page, "ArrowRight")
    request = max_.locator(".message").filter(has_text="would like a private conversation")
    propose = request.get_by_role("button", name="Propose another time")
    tab_to(page, propose)
    press(page, "Enter")
    proposing = modal(max_, "Propose another time")
    focus_inside(page, proposing)
    press(page, "Escape")
    no_modal(max_)
    expect(propose).to_be_focused()  # back on the button that opened it
    tab_to(page, request.get_by_role("button", name="Accept", exact=True), back=True)
    press(page, "Enter")
    expect(request).to_contain_text("Accepted")
    emma_messages = emma.locator('[data-part="messages"]')  # still the tab shown
    accepted = emma_messages.locator(".message").filter(has_text="accepted the meeting")
    expect(accepted).to_contain_text("Tue 3 Mar, 16:00 CET")


def test_a_menu_and_a_confirm_dialog_by_keyboard(page: Page, sandbox: RunningSandbox) -> None:
    fake = sandbox.sandbox.fake
    options = [
        {"text": {"type": "plain_text", "text": name}, "value": name.lower()}
        for name in ("Edit", "Move", "Remove")
    ]
    confirm = {
        "title": {"type": "plain_text", "text": "Stop it?"},
        "text": {"type": "mrkdwn", "text": "Really *stop*?"},
        "confirm": {"type": "plain_text", "text": "Stop"},
        "deny": {"type": "plain_text", "text": "Keep going"},
    }
    more = {"type": "overflow", "action_id": "more", "options": options}
    stop = {"type": "button", "action_id": "stop", "text": {"type": "plain_text", "text": "Stop"}}
    blocks = [
        {"type": "section", "text": {"type": "mrkdwn", "text": "A menu"}, "accessory": more},
        {"type": "actions", "elements": [{**stop, "confirm": confirm}]},
    ]
    fake.handle(
        "chat.postMessage", {"channel": EMPLOYEE, "text": "Menus", "blocks": blocks}, fake.bot_token
    )
    emma = pane(page, "left")
    screens = Screens(page)
    tab_to(page, emma.get_by_role("tab", name="Home"))
    press(page, "ArrowRight")
    toggle = emma.get_by_role("button", name="More actions")
    tab_to(page, toggle)
    press(page, "Enter")
    items = {
        o["value"]: emma.get_by_role("menuitem", name=o["text"]["text"], exact=True)
        for o in options
    }
    expect(items["edit"]).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    screens.check("an open menu")
    for key, then in (("ArrowDown", "move"), ("End", "remove"), ("ArrowDown", "edit")):
        press(page, key)
        expect(items[then]).to_be_focused()
        focus_is_visible(page)
    for key, then in (("ArrowUp", "remove"), ("Home", "edit")):
        press(page, key)
        expect(items[then]).to_be_focused()
    press(page, "Escape")
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    button = emma.get_by_role("button", name="Stop")
    tab_to(page, button)
    press(page, "Enter")
    dialog = page.get_by_role("dialog", name="Stop it?")
    expect(dialog.get_by_role("button", name="Stop")).to_be_focused()
    screens.check("a confirm dialog")
    press(page, "Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    screens.nothing_lesser_either()
