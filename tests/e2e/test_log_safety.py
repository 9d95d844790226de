"""What Slack sends is not written to the logs: requests refused at POST /slack/events get one
short line (why, how big, never the body), and no request can forge a log line or flood the log."""

from __future__ import annotations

import contextlib
import io
import json
import logging
import re
import time
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import select

from models import Reflection
from slackapp.logging_setup import QUIET, setup_logging
from slackapp.request_shape import RefusalLog
from slackapp.server import MAX_BODY_BYTES
from slacksim.fakeslack import payloads
from tests.conftest import EMPLOYEE, SIGNING_SECRET, TEAM_ID, RunningApp
from tests.e2e.test_plan_flow import make_plan, top
from tests.faults.support import post_raw, sign_bytes

FORM = "application/x-www-form-urlencoded"
LINE_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} [A-Z]+ ")
FORGED = "2026-03-02 08:00:00,000 ERROR slackapp.errors: FORGED LINE"


@contextlib.contextmanager
def _logging_to_buffer(level: str, log_format: str) -> Iterator[io.StringIO]:
    """The app's own log set up as `secondchance run` does, into a buffer.

    Set up before the app is built: Bolt's loggers copy their level when the app is made."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level, {name: logging.getLogger(name).level for name in QUIET}
    buffer = io.StringIO()
    setup_logging(level, stream=buffer, log_format=log_format)
    yield buffer
    root.handlers[:], root.level = saved[0], saved[1]
    for name, level in saved[2].items():
        logging.getLogger(name).setLevel(level)


@pytest.fixture(params=["INFO", "DEBUG"])
def app_log(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """The text log, at INFO and at DEBUG."""
    with _logging_to_buffer(request.param, "text") as buffer:
        yield buffer


@pytest.fixture(params=["INFO", "DEBUG"])
def json_log(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """LOG_FORMAT=json, at INFO and at DEBUG."""
    with _logging_to_buffer(request.param, "json") as buffer:
        yield buffer


def _reflection_body(app: RunningApp, marker: str) -> bytes:
    """A genuine reflection, private notes and all, as Slack would send it on Save."""
    make_plan(app)
    app.slack.command(EMPLOYEE, "reflect")
    view = top(app, EMPLOYEE, "reflect_modal")
    values = {
        "reflect_cause": f"cause {marker}",
        "reflect_commitment_0": f"commitment {marker}",
        "reflect_notes": f"PRIVATE {marker}\n{FORGED}",
    }
    payload = payloads.view_submission(
        team_id=TEAM_ID,
        user_id=EMPLOYEE,
        user_name="emma",
        view=view,
        state=payloads.filled_state(view, values),
        trigger_id=app.fake.issue_trigger(EMPLOYEE),
    )
    return payloads.interactive_body(payload).encode()


def _post(app: RunningApp, body: bytes, headers: dict[str, str]) -> int:
    return post_raw(app.url + "/slack/events", body, content_type=FORM, headers=headers)[0]


def _lines(log: io.StringIO) -> list[str]:
    return log.getvalue().splitlines()


def test_refused_requests_get_one_short_line_and_never_their_body(
    app_log: io.StringIO, running_app: RunningApp
) -> None:
    marker = f"MARKER-{uuid.uuid4().hex}"
    body = _reflection_body(running_app, marker)
    now = int(time.time())
    signed = sign_bytes(SIGNING_SECRET, body, now)
    refused = [
        ("stale timestamp", sign_bytes(SIGNING_SECRET, body, now - 600)),  # arrived late
        ("bad signature", sign_bytes("the-secret-before-rotation", body, now)),
        ("unsigned", {}),
        ("timestamp not a number", {**signed, "X-Slack-Request-Timestamp": "soon"}),
        ("bad signature", {**signed, "X-Slack-Signature": "v0=\u00e9\u00e9"}),  # not ASCII
    ]
    for reason, headers in refused:
        assert _post(running_app, body, headers) == 401, reason
    forged = f"x=1\n{FORGED} {marker}".encode()
    assert _post(running_app, forged, {}) == 401
    malformed = f'payload={{"type": "block_actions", "actions": "{marker}"}}'.encode()
    assert _post(running_app, malformed, sign_bytes(SIGNING_SECRET, malformed)) == 400

    # The same reflection, signed and on time, is saved; its words still stay out of the log.
    status, answer = post_raw(
        running_app.url + "/slack/events",
        body,
        content_type=FORM,
        headers=sign_bytes(SIGNING_SECRET, body),
    )
    assert (status, json.loads(answer)["response_action"]) == (200, "update")
    with running_app.runtime.session_factory() as session:
        notes = session.scalars(select(Reflection.private_notes)).all()
    assert notes == [f"PRIVATE {marker}\n{FORGED}"]
    running_app.slack.wait_for(
        lambda: marker in json.dumps(running_app.fake.home(EMPLOYEE)), what="the home after it"
    )

    text, lines = app_log.getvalue(), _lines(app_log)
    assert marker not in text and "PRIVATE" not in text
    assert not any(line.startswith(FORGED) for line in lines)
    assert "Invalid request signature" not in text
    refusals = [line for line in lines if "refused a request to /slack/events" in line]
    assert [line.split(": ", 2)[2] for line in refusals] == [
        f"{reason} ({len(body)} bytes; the body is not logged)" for reason, _ in refused
    ] + [
        f"unsigned ({len(forged)} bytes; the body is not logged)",
        f"signed, but actions is not a list ({len(malformed)} bytes; the body is not logged)",
    ]
    assert all(len(line) < 200 for line in refusals)
    assert all(LINE_START.match(line) or line.startswith((" ", "Traceback")) for line in lines)


def test_json_logs_are_one_object_a_line_with_a_line_per_request_and_its_id_in_the_listener(
    json_log: io.StringIO, running_app: RunningApp
) -> None:
    marker = f"MARKER-{uuid.uuid4().hex}"
    # Meeting Emma the first time, the listener asks users.info; it fails and says so in the log.
    running_app.fake.fail_next("users.info", status=400)
    body = _reflection_body(running_app, marker)
    assert _post(running_app, body, sign_bytes("the-secret-before-rotation", body)) == 401
    forged = f"x=1\n{FORGED} {marker}".encode()
    assert _post(running_app, forged, {}) == 401
    assert _post(running_app, body, sign_bytes(SIGNING_SECRET, body)) == 200
    running_app.slack.wait_for(
        lambda: marker in json.dumps(running_app.fake.home(EMPLOYEE)), what="the home after it"
    )

    text = json_log.getvalue()
    for secret in (marker, "PRIVATE", "xoxb-fake", SIGNING_SECRET, "FORGED", "Acme order"):
        assert secret not in text, secret
    entries = [json.loads(line) for line in _lines(json_log)]  # every line is one object
    assert entries and all({"time", "level", "logger", "message"} <= set(e) for e in entries)
    requests = [e for e in entries if e["logger"] == "slackapp.requests"]
    assert {e["kind"] for e in requests} == {"command", "view_submission"}
    for entry in requests:
        assert entry["team_id"] == TEAM_ID and entry["outcome"] == "ok" and entry["status"] == 200
        assert isinstance(entry["latency_ms"], float) and entry["request_id"]
    assert len({e["request_id"] for e in requests}) == len(requests)  # one line per request
    refusals = [e for e in entries if "refused a request" in e["message"]]
    assert len(refusals) == 2 and all("request_id" in e for e in refusals)
    # The listener's own line, written on Bolt's thread after the ack, carries its request's id.
    failed = [e for e in entries if e["message"].startswith("users.info failed")]
    assert len(failed) == 1
    (command,) = [e for e in requests if e["request_id"] == failed[0]["request_id"]]
    assert command["kind"] == "command"


def test_five_unsigned_megabyte_requests_grow_the_log_by_under_10_kb(
    app_log: io.StringIO, running_app: RunningApp
) -> None:
    marker = f"MARKER-{uuid.uuid4().hex}"
    filler = json.dumps({"type": "view_submission", "notes": f"{marker}\n{FORGED}\n"})
    body = (filler * (MAX_BODY_BYTES // len(filler) + 1))[:MAX_BODY_BYTES].encode()
    before = len(app_log.getvalue())
    for _ in range(5):
        assert _post(running_app, body, {"Content-Type": "application/json"}) == 401
    grown = len(app_log.getvalue()) - before
    assert grown < 10_000, grown
    assert marker not in app_log.getvalue()
    assert len([line for line in _lines(app_log) if "unsigned (1000000 bytes" in line]) == 5


def test_a_flood_of_refusals_is_summarised_not_logged_line_by_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    now = [0.0]
    refusals = RefusalLog(per_minute=20, clock=lambda: now[0])
    with caplog.at_level(logging.WARNING, logger="slackapp.request_shape"):
        for _ in range(1000):
            refusals.refused("unsigned", 10)
        assert len(caplog.records) == 20
        now[0] = 61.0
        refusals.refused("unsigned", 10)
    assert [r.getMessage() for r in caplog.records[20:]] == [
        "refused 980 more requests to /slack/events in the last minute",
        "refused a request to /slack/events: unsigned (10 bytes; the body is not logged)",
    ]
