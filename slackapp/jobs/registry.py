"""The shapes of a job: what a handler is given and what it hands back to the dispatcher.

Which job runs for which kind is the table in slackapp/jobs/handlers.py."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from models import DueWork


@dataclass(frozen=True)
class StepEnding:
    """A Workflow Builder step's ending, told to Slack in place of a DM: functions.completeSuccess
    with `outputs`, or functions.completeError with `error`."""

    function_execution_id: str
    outputs: dict[str, Any] | None = None
    error: str | None = None


@dataclass
class Delivery:
    """A DM the dispatcher should send for one piece of due work."""

    user_id: str  # the Slack user whose DM with the app receives it
    text: str  # the notification text (and the fallback for blocks)
    blocks: list[dict[str, Any]] | None = None
    # Called in the same transaction that marks the work done, with where the message landed.
    on_sent: Callable[[Session, str, str], None] | None = None
    # Called when Slack says the person cannot be reached (deactivated, left, not found).
    on_unreachable: Callable[[Session, str], None] | None = None
    extra_metadata: dict[str, Any] = field(default_factory=dict)
    # (channel, ts) of an earlier message to update in place (chat.update) instead of posting;
    # an update is idempotent, so it needs no history check before a retry.
    replace: tuple[str, str] | None = None
    # A workflow step's ending to report instead of a DM (user_id is then whose step it is).
    step_ending: StepEnding | None = None


@dataclass
class Hold:
    """Not now (the recipient is away): the work is finished unsent, and `on_held` puts it back
    on the clock for later, in the same transaction, so only the worker holding the lease does."""

    on_held: Callable[[Session], None]


@dataclass
class JobContext:
    session: Session
    work: DueWork
    now: datetime
    # The workspace's Web API client, for the reads a handler makes at send time (users.info);
    # a function, so that handlers that read nothing cost no client.
    slack: Callable[[], WebClient] | None = None


# What to send when work of a kind falls due; None sends nothing. A handler only reads: it may
# run again (after a 429, or on another worker after a crash), and a busy channel sends it back
# to the queue. Writes belong in Delivery.on_sent/on_unreachable, which run in the transaction
# that records the send.
Handler = Callable[[JobContext], Delivery | Hold | None]
# Work that changes the database and sends nothing (a purge). It runs in the transaction that
# marks the work done, after the mark, so it may delete its own row (a workspace's purge deletes
# all of the workspace's due work); if it raises, nothing of it is kept and it is tried again.
Chore = Callable[[JobContext], None]
# Run at every tick before due work is claimed, to put work on the clock (feedback requests
# whose schedule has come round).
BeforeClaim = Callable[[Session, datetime], None]
