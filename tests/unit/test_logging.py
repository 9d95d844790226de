"""Logs never carry what people wrote, nor tokens."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text

from models.db import make_engine
from slackapp.logging_setup import RedactSecrets


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
    RedactSecrets().filter(record)
    assert record.getMessage() == "calling with xoxb-[redacted]"
