"""Logs never carry what people wrote, nor tokens."""

from __future__ import annotations

import json
import logging
import sys

import pytest
from sqlalchemy import text

from models.db import make_engine
from slackapp.logging_setup import (
    MAX_MESSAGE,
    MAX_VALUE,
    REQUEST_ID,
    SafeFormatter,
    SafeJsonFormatter,
)


def test_sql_errors_hide_their_parameters() -> None:
    engine = make_engine("sqlite://")
    with pytest.raises(Exception) as error, engine.connect() as connection:
        connection.execute(
            text("SELECT * FROM nowhere WHERE note = :note"), {"note": "I blew up at Sam"}
        )
    assert "I blew up at Sam" not in str(error.value)
    assert "hidden" in str(error.value)


def test_tokens_are_redacted_from_log_lines() -> None:
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "calling with %s", ("xoxb-123-456-abc",), None
    )
    assert SafeFormatter("%(message)s").format(record) == "calling with xoxb-[redacted]"


def _formatted(record: logging.LogRecord) -> str:
    return SafeFormatter("%(levelname)s %(name)s: %(message)s").format(record)


def test_values_are_cut_to_length_and_kept_on_one_line() -> None:
    forged = "x\r\n2026-03-02 08:00:00,000 ERROR slackapp: forged\u2028\x1b[31mred"
    line = _formatted(
        logging.LogRecord(
            "slackapp.x",
            logging.INFO,
            __file__,
            1,
            "on %s, %d times, %s",
            (forged, 3, "y" * 999),
            None,
        )
    )
    assert "\n" not in line and "\r" not in line and "\x1b" not in line and "\u2028" not in line
    assert line.startswith(
        "INFO slackapp.x: on x\\r\\n2026-03-02 08:00:00,000 ERROR slackapp: forged\\u2028\\x1b[31mred, 3 times, "
    )
    assert line.endswith("y" * MAX_VALUE + "…[799 more]")


def test_a_whole_message_is_cut_to_length() -> None:
    line = _formatted(logging.LogRecord("x", logging.INFO, __file__, 1, "z" * 50_000, None, None))
    assert len(line) < MAX_MESSAGE + 100


def _failed_on_a_request() -> logging.LogRecord:
    """A listener's error line, its exception quoting what a request held."""

    def parse(value: str) -> None:
        raise ValueError(f"cannot read {value}")

    try:
        try:
            parse("note\nFORGED LINE xoxb-123-secret")
        except ValueError as error:
            raise RuntimeError("wrapped") from error
    except RuntimeError:
        return logging.LogRecord(
            "slackapp.errors",
            logging.ERROR,
            __file__,
            1,
            "listener failed on %s",
            ("view\nx",),
            sys.exc_info(),
        )
    raise AssertionError("unreachable")


def test_an_exception_quoting_a_request_stays_on_its_line_and_the_traceback_is_kept() -> None:
    text = _formatted(_failed_on_a_request())
    lines = text.splitlines()
    assert lines[0] == "ERROR slackapp.errors: listener failed on view\\nx"
    assert "ValueError: cannot read note\\nFORGED LINE xoxb-[redacted]" in lines
    assert not any(line.startswith("FORGED") for line in lines)
    assert "The above exception was the direct cause of the following exception:" in lines
    assert lines[-1] == "RuntimeError: wrapped"
    assert any("in parse" in line for line in lines)  # where it failed is still there


def test_bolts_note_about_a_bad_signature_loses_its_body() -> None:
    record = logging.LogRecord(
        "slack_bolt.RequestVerification",
        logging.INFO,
        __file__,
        1,
        "Invalid request signature detected (signature: v0=1, timestamp: 1, body: payload=PRIVATE)",
        None,
        None,
    )
    assert "PRIVATE" not in _formatted(record)


def test_gunicorns_own_lines_go_through_the_same_formatter() -> None:
    from gunicorn.config import Config

    from slackapp.serve import SafeGunicornLogger

    log = SafeGunicornLogger(Config())
    (handler,) = log.error_log.handlers
    record = logging.LogRecord(
        "gunicorn.error", logging.WARNING, __file__, 1, "Invalid request: %s", ("a\nFORGED",), None
    )
    assert handler.format(record).endswith("[WARNING] Invalid request: a\\nFORGED")


def test_json_lines_are_one_object_each_and_as_safe_as_text_ones() -> None:
    record = _failed_on_a_request()
    record.team_id = "T1\nxoxb-999-secret"  # a field added with extra=
    token = REQUEST_ID.set("req-1")
    try:
        line = SafeJsonFormatter().format(record)
    finally:
        REQUEST_ID.reset(token)
    assert "\n" not in line and "xoxb-999" not in line
    entry = json.loads(line)
    assert (entry["level"], entry["logger"]) == ("ERROR", "slackapp.errors")
    assert entry["message"] == "listener failed on view\\nx"
    assert entry["team_id"] == "T1\\nxoxb-[redacted]"
    assert entry["request_id"] == "req-1"
    traceback_lines = entry["exc_info"].splitlines()
    assert "ValueError: cannot read note\\nFORGED LINE xoxb-[redacted]" in traceback_lines
    assert traceback_lines[-1] == "RuntimeError: wrapped"


def test_gunicorns_own_lines_are_json_too_with_log_format_json() -> None:
    from gunicorn.config import Config

    from slackapp.serve import SafeJsonGunicornLogger

    handler = SafeJsonGunicornLogger(Config()).error_log.handlers[-1]  # the one it just added
    record = logging.LogRecord(
        "gunicorn.error", logging.WARNING, __file__, 1, "Invalid request: %s", ("a\nFORGED",), None
    )
    assert json.loads(handler.format(record))["message"] == "Invalid request: a\\nFORGED"
