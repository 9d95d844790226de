"""axe-core on the sandbox page: each screen of the journey is checked as it is drawn.

axe-core's script comes bundled with axe-playwright-python, so the check runs offline, in the
same Chromium as the other browser tests. A serious or critical violation fails the test at
the screen it is on, listed rule by rule with the elements it was found on and axe's advice; the
walks then ask for no moderate or minor one either, on any screen (`nothing_lesser_either`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

FAILING = ("serious", "critical")
# Every rule axe runs by default (WCAG 2.0-2.2 A and AA, and its best practices), none disabled.
OPTIONS: dict[str, Any] = {"resultTypes": ["violations"]}

_axe = Axe()


@dataclass
class Screens:
    """What axe found on each screen checked so far, by screen name."""

    page: Page
    found: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def check(self, screen: str) -> None:
        found = violations(self.page)
        if found:
            # The page redraws a part when its poll brings news; axe reading a part as it was
            # replaced is no screen anyone sees. What is still there a moment later is.
            self.page.wait_for_timeout(600)
            again = {v["id"] for v in violations(self.page)}
            found = [v for v in found if v["id"] in again]
        self.found[screen] = found
        failing = [v for v in found if v["impact"] in FAILING]
        assert not failing, f"axe on the screen {screen!r}:\n{report(failing)}"

    def nothing_lesser_either(self) -> None:
        """No moderate or minor violation on any screen checked: none are left today, and a new
        one is cheaper to fix the day it comes."""
        lesser = {
            screen: [v for v in found if v["impact"] not in FAILING]
            for screen, found in self.found.items()
        }
        shown = "\n".join(f"{s!r}:\n{report(found)}" for s, found in lesser.items() if found)
        assert not shown, f"axe's moderate and minor violations:\n{shown}"


def violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (the whole document)."""
    # The script goes in once per page load, not once per screen.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe.axe_script)
    run = "options => axe.run(document, options).then(results => results.violations)"
    try:
        found: list[dict[str, Any]] = page.evaluate(run, OPTIONS)
    except PlaywrightError:  # a node axe held was replaced under it: once more, drawn
        page.wait_for_timeout(300)
        found = page.evaluate(run, OPTIONS)
    return found


def report(found: list[dict[str, Any]]) -> str:
    lines = []
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " >> ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)
