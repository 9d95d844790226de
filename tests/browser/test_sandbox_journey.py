"""The journey, walked in real Chromium the way a person walks it in the sandbox page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from slacksim.fakeslack.driver import SlackDriver
from slacksim.sandbox.main import RunningSandbox
from tests.browser.helpers import (
    COLLEAGUE,
    MANAGER,
    click,
    field,
    modal,
    no_modal,
    pane,
    section_with,
    show,
    tab,
    type_command,
)

pytestmark = pytest.mark.browser


def test_the_journey_modal_opens_and_the_keyboard_stays_inside_it(page: Page) -> None:
    emma = pane(page, "left")
    type_command(emma, "/secondchance")
    journey = modal(emma, "Your second chance")
    for title in (
        "Fix what went wrong",
        "Be introspective",
        "Talk to your boss",
        "Prepare to perform",
    ):
        expect(journey).to_contain_text(title)
    # Focus moved into the modal, and Tab cycles inside it.
    expect(journey.locator(":focus")).to_have_count(1)
    for _ in range(8):
        page.keyboard.press("Tab")
        expect(journey.locator(":focus")).to_have_count(1)
    page.keyboard.press("Escape")
    no_modal(emma)
    expect(emma.locator("[data-composer] input")).to_be_focused()


def test_help_is_an_answer_only_its_author_sees(page: Page) -> None:
    emma, max_ = pane(page, "left"), pane(page, "right")
    type_command(emma, "/secondchance help")
    messages = emma.locator('[data-part="messages"]')
    expect(messages.locator(".message.ephemeral")).to_contain_text("/secondchance reflect")
    expect(messages.locator(".only-you")).to_have_text("Only visible to you")
    tab(max_, "Messages")
    expect(max_.locator(".message")).to_have_count(0)


def test_a_plan_with_two_steps_a_field_error_and_a_step_ticked_on_the_home_tab(page: Page) -> None:
    emma = pane(page, "left")
    type_command(emma, "/secondchance")
    journey = modal(emma, "Your second chance")
    section_with(journey, "Fix what went wrong").get_by_role("button", name="Start").click()
    plan = modal(emma, "New repair plan")
    expect(emma.locator(".modal-depth")).to_have_text("2/2")  # pushed on top of the journey

    # Slack itself refuses an empty required field; the app refuses a title of spaces.
    click(plan, "Save plan")
    expect(plan.locator(".bk-input[data-block-id='plan_title'] .bk-error")).to_have_text(
        "Please complete this required field."
    )
    field(plan, "Short title").fill("   ")
    field(plan, "Step 1").fill("Call Acme and apologise")
    click(plan, "Save plan")
    title_error = plan.locator(".bk-input[data-block-id='plan_title'] .bk-error")
    expect(title_error).to_contain_text("Give your plan a short title")
    expect(field(plan, "Short title")).to_be_focused()

    field(plan, "Short title").fill("Botched the Acme order")
    plan.get_by_label("This step is an apology to someone").check()
    click(plan, "Add another step")
    expect(field(plan, "Step 2")).to_be_visible()
    # What was typed before the modal was updated is still there.
    expect(field(plan, "Step 1")).to_have_value("Call Acme and apologise")
    field(plan, "Step 2").fill("Re-issue the corrected quote")
    plan.get_by_label("I was removed from a project").check()
    click(plan, "Save plan")
    saved = modal(emma, "Plan saved")
    expect(saved).to_contain_text("has 2 steps")
    click(saved, "Done")
    expect(emma.locator(".modal-title")).to_have_text("Your second chance")
    page.keyboard.press("Escape")
    no_modal(emma)

    home = tab(emma, "Home")
    expect(home).to_contain_text("Botched the Acme order")
    step = section_with(home, "Re-issue the corrected quote")
    step.get_by_label("Done").check()
    expect(section_with(home, "Re-issue the corrected quote")).to_contain_text("Done ")
    expect(home).to_contain_text("1 of 2")


def test_others_see_none_of_it(page: Page) -> None:
    emma = pane(page, "left")
    type_command(emma, "/secondchance plan")
    plan = modal(emma, "New repair plan")
    field(plan, "Short title").fill("Private matter")
    field(plan, "Step 1").fill("Apologise")
    click(plan, "Save plan")
    modal(emma, "Plan saved")
    chandra = show(page, "right", COLLEAGUE)
    home = tab(chandra, "Home")
    expect(home).to_contain_text("No repair plan yet")
    expect(home).not_to_contain_text("Private matter")
    # Choosing Emma on the right moves Max to the left: one person per pane.
    show(page, "right", "UEMPLOYEE")
    expect(pane(page, "left")).to_have_attribute("data-user", COLLEAGUE)


def test_the_renderer_refuses_what_it_does_not_know_in_plain_sight(
    page: Page, sandbox: RunningSandbox
) -> None:
    fake = sandbox.sandbox.fake
    fake.handle(
        "chat.postMessage",
        {
            "channel": MANAGER,
            "text": "A table",
            "blocks": [
                {"type": "section", "text": {"type": "mrkdwn", "text": "*Known* part"}},
                {
                    "type": "rich_text",
                    "elements": [
                        {"type": "rich_text_section", "elements": [{"type": "text", "text": "x"}]}
                    ],
                },
                {
                    "type": "actions",
                    "elements": [
                        {
                            "type": "conversations_select",
                            "action_id": "pick",
                            "placeholder": {"type": "plain_text", "text": "Pick"},
                        }
                    ],
                },
            ],
        },
        fake.bot_token,
    )
    max_ = pane(page, "right")
    messages = tab(max_, "Messages")
    expect(messages.locator("strong")).to_have_text("Known")
    expect(messages.locator("[data-unknown='block:rich_text']")).to_be_visible()
    expect(messages.locator("[data-unknown='element:conversations_select']")).to_be_visible()
    banner = page.locator("#unknown-banner")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text(re.compile("block rich_text.*element conversations_select"))


def test_the_manager_answers_the_meeting_request_and_gives_feedback(page: Page) -> None:
    emma, max_ = pane(page, "left"), pane(page, "right")

    # Step 3: Emma asks Max for a meeting; times are read in his zone.
    type_command(emma, "/secondchance meeting")
    compose = modal(emma, "Talk to your boss")
    field(compose, "Your manager").select_option(MANAGER)
    expect(compose.locator("[data-block-id='meeting_zone']")).to_contain_text("New York time")
    field(compose, "First choice: day").fill("2026-03-03")
    compose.get_by_label(re.compile(r"^First choice: time")).fill("10:00")
    field(compose, "Your message").fill(
        "I got the Acme order wrong and I own it. I'd like to talk it through with you."
    )
    click(compose, "Review")
    review = modal(emma, "Review and send")
    expect(review).to_contain_text("Tue 3 Mar, 10:00 EST")
    tab(max_, "Messages")
    expect(max_.locator(".message")).to_have_count(0)  # nothing before Send
    click(review, "Send")
    no_modal(emma)

    request = max_.locator(".message").filter(has_text="would like a private conversation")
    expect(request.get_by_role("button", name="Propose another time")).to_be_visible()
    click(request, "Accept", exact=True)
    expect(request).to_contain_text("Accepted")
    expect(request.locator(".edited")).to_be_visible()  # updated in place
    expect(request.get_by_role("button")).to_have_count(0)
    emma_messages = tab(emma, "Messages")
    expect(
        emma_messages.locator(".message").filter(has_text="accepted the meeting")
    ).to_contain_text("Tue 3 Mar, 16:00 CET")

    # Step 4: Emma schedules feedback requests; skipping ahead delivers the first to Max.
    type_command(emma, "/secondchance feedback")
    schedule = modal(emma, "Ask for feedback")
    expect(field(schedule, "Your manager")).to_have_value(MANAGER)  # remembered from step 3
    expect(schedule.locator("[data-block-id='tz_note']")).to_contain_text("New York time")
    field(schedule, "First request on").fill("2026-03-03")
    schedule.get_by_label(re.compile(r"^At")).fill("09:00")
    schedule.get_by_label("After a number of requests").check()
    field(schedule, "Number of requests (if ending after a number) (optional)").fill("3")
    click(schedule, "Schedule")
    done = modal(emma, "Feedback scheduled")
    click(done, "Done")
    no_modal(emma)

    expect(page.locator("[data-next]")).to_contain_text("Tue 3 Mar, 09:00 for Max")
    page.get_by_role("button", name="Skip ahead to the next scheduled message").click()
    expect(page.locator("[data-clock-person='UMANAGER']")).to_have_text("Tue 3 Mar, 09:00")
    asked = max_.locator(".message").filter(has_text="asked for your feedback")
    click(asked, "Give feedback")
    give = modal(max_, "Give feedback")
    give.get_by_label("On track", exact=True).check()
    field(give, "Am I on the right track? (optional)").fill("Yes: the customer noticed.")
    click(give, "Send feedback")
    no_modal(max_)
    expect(asked).to_contain_text("You answered")

    feedback = emma_messages.locator(".message").filter(has_text="sent you feedback")
    expect(feedback).to_contain_text("On track")
    expect(feedback).to_contain_text("Yes: the customer noticed.")
    home = tab(emma, "Home")
    expect(home).to_contain_text("Yes: the customer noticed.")


def test_overflow_menus_selects_and_confirm_dialogs_send_what_slack_sends(
    page: Page, sandbox: RunningSandbox
) -> None:
    running = sandbox.sandbox
    sent: list[dict[str, Any]] = []
    interact = running.driver.interact
    running.driver.interact = lambda payload: (sent.append(payload), interact(payload))[1]  # type: ignore[method-assign]
    option = {"text": {"type": "plain_text", "text": "Weekly"}, "value": "weekly"}
    running.fake.handle(
        "chat.postMessage",
        {
            "channel": "UEMPLOYEE",
            "text": "Try these",
            "blocks": [
                {
                    "type": "section",
                    "block_id": "menu",
                    "text": {"type": "mrkdwn", "text": "A menu"},
                    "accessory": {
                        "type": "overflow",
                        "action_id": "more",
                        "options": [
                            {"text": {"type": "plain_text", "text": "Edit"}, "value": "edit"}
                        ],
                    },
                },
                {
                    "type": "actions",
                    "block_id": "row",
                    "elements": [
                        {"type": "static_select", "action_id": "how", "options": [option]},
                        {
                            "type": "button",
                            "action_id": "stop",
                            "style": "danger",
                            "text": {"type": "plain_text", "text": "Stop"},
                            "confirm": {
                                "title": {"type": "plain_text", "text": "Stop it?"},
                                "text": {"type": "mrkdwn", "text": "Really *stop*?"},
                                "confirm": {"type": "plain_text", "text": "Stop"},
                                "deny": {"type": "plain_text", "text": "Keep going"},
                            },
                        },
                    ],
                },
            ],
        },
        running.fake.bot_token,
    )
    emma = pane(page, "left")
    messages = tab(emma, "Messages")
    menu_button = messages.get_by_role("button", name="More actions")
    menu_button.click()
    expect(messages.get_by_role("menuitem", name="Edit")).to_be_focused()
    page.keyboard.press("Escape")
    expect(menu_button).to_be_focused()
    menu_button.click()
    messages.get_by_role("menuitem", name="Edit").click()
    messages.locator("select").select_option("weekly")
    click(messages, "Stop")
    dialog = page.get_by_role("dialog", name="Stop it?")
    expect(dialog).to_contain_text("Really stop?")
    click(dialog, "Keep going")
    expect(dialog).to_be_hidden()
    click(messages, "Stop")
    click(page.get_by_role("dialog", name="Stop it?"), "Stop")

    def actions() -> list[dict[str, Any]]:
        return [p["actions"][0] for p in sent if p.get("type") == "block_actions"]

    SlackDriver.wait_for(lambda: len(actions()) == 3, what="three block_actions")
    # Each goes in its own request, so they may reach the app in any order, as from Slack.
    by_type = {a["type"]: a for a in actions()}
    overflow, select, stop = by_type["overflow"], by_type["static_select"], by_type["button"]
    assert overflow["selected_option"]["value"] == "edit" and overflow["block_id"] == "menu"
    assert select["selected_option"] == option and select["action_id"] == "how"
    assert stop["action_id"] == "stop" and stop["style"] == "danger"
    [pressed] = [p for p in sent if p.get("actions", [{}])[0].get("action_id") == "stop"]
    assert pressed["container"]["type"] == "message"
    assert pressed["state"]["values"]["row"]["how"]["selected_option"]["value"] == "weekly"
