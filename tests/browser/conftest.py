"""Real headless Chromium against the sandbox, started in this process on a free port.

Debian's chromium package is used (browser downloads are not possible everywhere); the tests are
skipped, saying why, only when no Chromium is installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from slacksim.sandbox.main import RunningSandbox, start_sandbox

# A Monday morning: 09:00 in Berlin, 03:00 in New York.
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
# A name that resolves to 127.0.0.1 in the browser only: what a DNS-rebinding site looks like.
REBOUND_NAME = "rebound.example"
CHROMIUM_ARGS = [
    f"--host-resolver-rules=MAP {REBOUND_NAME} 127.0.0.1",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> str | None:
    configured = os.environ.get("CHROMIUM_PATH")
    if configured and Path(configured).exists():
        return configured
    if Path("/usr/bin/chromium").exists():
        return "/usr/bin/chromium"
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "Chromium is not installed (apt-get install chromium, or set CHROMIUM_PATH); "
            "scripts/check installs it when it can"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    # Timeouts only bound a failing wait (a passing one returns at once): generous, since the
    # suite runs in parallel on a machine that may be busy.
    sync_api.expect.set_options(timeout=15_000)
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def _start(tmp_path: Path, *, seed_demo: bool) -> RunningSandbox:
    return start_sandbox(
        host="127.0.0.1", port=0, data_dir=tmp_path / "sandbox", seed_demo=seed_demo, start=START
    )


@pytest.fixture
def sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    running = _start(tmp_path, seed_demo=False)
    yield running
    running.stop()


@pytest.fixture
def demo_sandbox(tmp_path: Path) -> Iterator[RunningSandbox]:
    running = _start(tmp_path, seed_demo=True)
    yield running
    running.stop()


@pytest.fixture
def page(browser: object, sandbox: RunningSandbox) -> Iterator[object]:
    yield from _open(browser, sandbox)


@pytest.fixture
def demo_page(browser: object, demo_sandbox: RunningSandbox) -> Iterator[object]:
    yield from _open(browser, demo_sandbox)


def _open(browser: object, running: RunningSandbox) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})  # type: ignore[attr-defined]
    context.set_default_timeout(20_000)
    tab = context.new_page()
    problems: list[str] = []
    tab.on("pageerror", lambda error: problems.append(str(error)))
    tab.goto(running.url)
    tab.wait_for_selector("body[data-ready='1']")
    yield tab
    context.close()
    assert not problems, f"the page had JavaScript errors: {problems}"
    assert not running.sandbox.fake.rejections, running.sandbox.fake.rejections
