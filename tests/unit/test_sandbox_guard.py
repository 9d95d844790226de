"""The sandbox refuses what another web site could make a browser send: a cross-site post
acting as someone, and a read through a rebound DNS name. Its own page, the fake Slack at /api/
and the app's /slack/events keep working."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from slacksim.fakeslack.driver import SlackDriver
from slacksim.sandbox.guard import PAGE_HEADER, Guard
from slacksim.sandbox.main import RunningSandbox, start_sandbox

START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
EMMA = "UEMPLOYEE"
COMMAND = {"kind": "command", "user": EMMA, "text": "/secondchance"}


@pytest.fixture
def running(tmp_path: Path) -> Iterator[RunningSandbox]:
    sandbox = start_sandbox(port=0, data_dir=tmp_path / "s", start=START, scheduler=False)
    yield sandbox
    sandbox.stop()


def port_of(running: RunningSandbox) -> int:
    return int(running.server.server_address[1])


def request(
    running: RunningSandbox,
    method: str,
    path: str,
    *,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port_of(running), timeout=10)
    data = json.dumps(body).encode() if body is not None else None
    sent = {"Host": f"127.0.0.1:{port_of(running)}", **(headers or {})}
    connection.request(method, path, body=data, headers=sent)
    response = connection.getresponse()
    answer = (response.status, dict(response.getheaders()), response.read().decode())
    connection.close()
    return answer


def page_headers(running: RunningSandbox, **changes: str) -> dict[str, str]:
    """What the sandbox's own page sends with every call that changes something."""
    headers = {"Content-Type": "application/json", "Origin": running.url, PAGE_HEADER: "1"}
    headers.update(changes)
    return {k: v for k, v in headers.items() if v}


def nothing_happened(running: RunningSandbox) -> None:
    fake = running.sandbox.fake
    assert fake.view_stack(EMMA) == [] and fake.ephemerals(EMMA) == []
    assert fake.calls_to("views.open") == []


def test_the_cross_site_post_that_acted_as_emma_is_refused(running: RunningSandbox) -> None:
    # What a page on another site sent: a CORS-simple type, no custom header, its own Origin.
    status, _, body = request(
        running,
        "POST",
        "/sandbox/act",
        body=COMMAND,
        headers={
            "Content-Type": "text/plain; charset=application/json",
            "Origin": "http://127.0.0.1:9999",
        },
    )
    assert status == 403 and "own page" in json.loads(body)["notice"]
    nothing_happened(running)


@pytest.mark.parametrize(
    "changes",
    [
        {"Origin": "http://evil.example"},  # another site, even with the header
        {"Origin": "null"},  # a sandboxed iframe or a file:// page
        {"Origin": ""},  # no Origin at all: not the page, which always sends one
        {PAGE_HEADER: ""},  # no page header: a form or a simple fetch
        {PAGE_HEADER: "yes"},
    ],
)
def test_a_call_that_is_not_from_the_page_is_refused(
    running: RunningSandbox, changes: dict[str, str]
) -> None:
    for path in ("/sandbox/act", "/sandbox/skip"):
        status, _, _ = request(
            running, "POST", path, body=COMMAND, headers=page_headers(running, **changes)
        )
        assert status == 403, (path, changes)
    nothing_happened(running)


def test_the_page_must_send_json_itself(running: RunningSandbox) -> None:
    for content_type in ("text/plain; charset=application/json", "text/plain", ""):
        headers = page_headers(running, **{"Content-Type": content_type})
        status, _, _ = request(running, "POST", "/sandbox/act", body=COMMAND, headers=headers)
        assert status in (403, 415) and status != 200
    nothing_happened(running)


@pytest.mark.parametrize("path", ["/", "/sandbox/state?user=UEMPLOYEE", "/api/auth.test"])
def test_a_rebound_name_reads_nothing(running: RunningSandbox, path: str) -> None:
    for host in (f"rebind.example:{port_of(running)}", "127.0.0.1:1", "", "127.0.0.1:x"):
        status, _, body = request(running, "GET", path, headers={"Host": host})
        assert status == 403, host
        assert "Emma" not in body and "UEMPLOYEE" not in body
        assert f"http://127.0.0.1:{port_of(running)}/" in json.loads(body)["notice"]


def test_its_own_addresses_are_served(running: RunningSandbox) -> None:
    port = port_of(running)
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"LocalHost:{port}", f"[::1]:{port}"):
        status, headers, _ = request(running, "GET", "/", headers={"Host": host})
        assert status == 200, host
        assert headers["X-Frame-Options"] == "DENY"  # no other site frames it for a click


def test_no_other_origin_is_ever_let_in_by_cors(running: RunningSandbox) -> None:
    status, headers, _ = request(
        running,
        "OPTIONS",
        "/sandbox/act",
        headers={
            "Origin": "http://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": f"content-type,{PAGE_HEADER.lower()}",
        },
    )
    assert status != 200
    assert not any(name.lower().startswith("access-control-") for name in headers)


def test_a_response_url_takes_no_post_from_a_browser_elsewhere(running: RunningSandbox) -> None:
    url = running.sandbox._response_url(EMMA, running.sandbox.fake.dm_channel(EMMA), None)
    path = url.removeprefix(running.url)
    status, _, _ = request(
        running,
        "POST",
        path,
        body={"text": "Forged"},
        headers={"Content-Type": "text/plain", "Origin": "http://evil.example"},
    )
    assert status == 403 and running.sandbox.fake.ephemerals(EMMA) == []
    # The app itself posts there with no Origin, as slack_sdk does.
    status, _, _ = request(
        running, "POST", path, body={"text": "Hello"}, headers={"Content-Type": "application/json"}
    )
    assert status == 200 and running.sandbox.fake.ephemerals(EMMA)[0]["text"] == "Hello"


def test_the_page_the_fake_slack_and_the_app_still_work_together(running: RunningSandbox) -> None:
    status, _, body = request(
        running, "POST", "/sandbox/act", body=COMMAND, headers=page_headers(running)
    )
    assert status == 200 and json.loads(body)["ok"] is True
    # The command went to the app's /slack/events, and the app opened the modal through /api/.
    journey = SlackDriver.wait_for(
        lambda: running.sandbox.fake.view_stack(EMMA), what="the journey modal"
    )
    assert journey[0]["title"]["text"] == "Your second chance"
    status, _, body = request(running, "GET", "/sandbox/state?user=UEMPLOYEE")
    assert (
        status == 200 and "Your second chance" in json.loads(body)["people"][EMMA]["modal"]["html"]
    )


def test_the_host_rules() -> None:
    guard = Guard.serving("127.0.0.1", 3000)
    allowed = ["127.0.0.1:3000", "localhost:3000", "[::1]:3000", "10.1.2.3:3000"]
    refused = [
        "evil.example:3000",
        "127.0.0.1.evil.example:3000",
        "127.0.0.1:3001",
        "127.0.0.1",
        "[::1",
        "localhost:",
        ":3000",
    ]
    assert all(guard.host_allowed({"HTTP_HOST": h}) for h in allowed)
    assert not any(guard.host_allowed({"HTTP_HOST": h}) for h in refused)
    assert not guard.host_allowed({})
    named = Guard.serving("sandbox.internal", 80)
    assert named.host_allowed({"HTTP_HOST": "sandbox.internal"})
    assert not named.host_allowed({"HTTP_HOST": "other.internal"})
