"""Row ids read from what a request carried: button values, private_metadata, block and action ids.

A signed request can still carry anything (a forged payload, a replay with edits), so every id is
read here, with the bounds of the columns it is looked up in: an id the database cannot hold
would make the lookup itself fail (SQLite's OverflowError, PostgreSQL's "integer out of range"),
and that failure would reach the person as an error instead of a kind "that isn't yours".
"""

from __future__ import annotations

from typing import Any

# Primary keys are INTEGER columns: 32-bit on PostgreSQL, the tighter of the two databases.
MAX_ID = 2**31 - 1
_MAX_DIGITS = len(str(MAX_ID))


def parse_id(raw: Any) -> int | None:
    """A row id, or None: a positive int, or its plain decimal digits, that an id column holds.

    Never a bool, a float, a sign, spaces or other digits (int() would take "٣" and " 3 ")."""
    if isinstance(raw, str):
        if not (raw.isascii() and raw.isdigit() and len(raw) <= _MAX_DIGITS):
            return None
        raw = int(raw)
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 < raw <= MAX_ID:
        return raw
    return None
