"""What is wrong with what a person filled in, as data: the views say it in words.

A form's check returns {field: Problem}; the field names the service's own field ("title",
"step_2_description", "end_count"), and each modal's view maps it to its block and sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Code(StrEnum):
    MISSING = "missing"  # left empty
    NONE = "none"  # a list with no rows at all
    TOO_LONG = "too_long"  # over `limit` characters (`count` when the sentence says how many)
    TOO_MANY = "too_many"  # more than `limit` rows
    OUT_OF_RANGE = "out_of_range"  # a number outside 1..`limit`
    PASSED = "passed"  # a date or time already gone (in zone `tz`, where it is `at` now)
    YOURSELF = "yourself"  # the person picked themselves
    ALREADY_SENT = "already_sent"  # fewer than the `count` already gone out
    BEFORE_FIRST = "before_first"  # an end before the start


@dataclass(frozen=True)
class Problem:
    code: Code
    limit: int | None = None
    count: int | None = None
    tz: str | None = None
    at: datetime | None = None


Problems = dict[str, Problem]
