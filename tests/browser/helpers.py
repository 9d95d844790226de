"""What a person does on the sandbox page, in a few words each (Playwright's sync API)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, expect

EMPLOYEE, MANAGER, COLLEAGUE = "UEMPLOYEE", "UMANAGER", "UCOLLEAGUE"


def pane(page: Page, side: str = "left") -> Locator:
    return page.locator(f"#pane-{side}")


def show(page: Page, side: str, user_id: str) -> Locator:
    """Put this person in this pane."""
    found = pane(page, side)
    found.locator("[data-who]").select_option(user_id)
    expect(found).to_have_attribute("data-user", user_id)
    return found


def type_command(where: Locator, text: str) -> None:
    box = where.locator("[data-composer] input")
    box.fill(text)
    box.press("Enter")
    expect(box).to_have_value("")


def modal(where: Locator, title: str | None = None) -> Locator:
    found = where.locator(".modal")
    if title is not None:
        expect(found.locator(".modal-title")).to_have_text(title)
    return found


def no_modal(where: Locator) -> None:
    expect(where.locator(".modal")).to_have_count(0)


def tab(where: Locator, name: str) -> Locator:
    where.get_by_role("tab", name=name).click()
    return where.locator(f'[data-part="{name.lower()}"]')


def field(scope: Locator, label: str) -> Locator:
    return scope.get_by_label(label, exact=True)


def section_with(scope: Locator, text: str) -> Locator:
    return scope.locator(".bk-block").filter(has_text=text)


def click(scope: Locator, name: str, **kwargs: Any) -> None:
    scope.get_by_role("button", name=name, **kwargs).click()
