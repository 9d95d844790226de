"""The tick: plan occurrences, claim due work, send each message once, record it."""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session, sessionmaker

from models import DueWork, DueWorkStatus
from slackapp.scheduling import due_work
from slackapp.scheduling.clock import Clock
from slackapp.scheduling.registry import HANDLERS, PLANNERS, Delivery, JobContext

logger = logging.getLogger(__name__)

METADATA_EVENT = "secondchance_due_work"
UNREACHABLE = {"user_not_found", "account_inactive", "user_disabled", "cannot_dm_bot"}
MAX_ATTEMPTS = 8


class RateLimiter:
    """Keeps sends near Slack's limits: about 1 per second per channel, N per second per workspace.

    Real (monotonic) time, not the app's clock: these are Slack's limits in the real world.
    """

    def __init__(self, *, per_channel_seconds: float = 1.0, workspace_per_second: float = 2.0):
        self.per_channel_seconds = per_channel_seconds
        self.workspace_interval = 1.0 / workspace_per_second
        self._channel_free_at: dict[str, float] = {}
        self._workspace_free_at: dict[int, float] = {}
        self._lock = threading.Lock()

    def channel_wait(self, channel: str) -> float:
        with self._lock:
            return max(0.0, self._channel_free_at.get(channel, 0.0) - time.monotonic())

    def acquire(self, workspace_id: int, channel: str) -> None:
        """Wait for the workspace's turn, then book the channel's next free second."""
        with self._lock:
            now = time.monotonic()
            start = max(now, self._workspace_free_at.get(workspace_id, 0.0))
            self._workspace_free_at[workspace_id] = start + self.workspace_interval
            self._channel_free_at[channel] = (
                max(start, self._channel_free_at.get(channel, 0.0)) + self.per_channel_seconds
            )
        if start > now:
            time.sleep(start - now)

    def back_off(self, channel: str, seconds: float) -> None:
        with self._lock:
            self._channel_free_at[channel] = time.monotonic() + seconds


class Dispatcher:
    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        client_for_workspace: Callable[[int], WebClient],
        clock: Clock,
        rate_limiter: RateLimiter | None = None,
        lease: timedelta = timedelta(minutes=2),
        batch_size: int = 50,
        worker_name: str | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.client_for_workspace = client_for_workspace
        self.clock = clock
        self.rate_limiter = rate_limiter or RateLimiter()
        self.lease = lease
        self.batch_size = batch_size
        self.worker_name = worker_name or f"{socket.gethostname()}:{id(self)}"
        self._tick_lock = threading.Lock()

    def tick(self) -> int:
        """Run one round; returns how many pieces of work were finished. Never raises."""
        if not self._tick_lock.acquire(blocking=False):
            return 0  # the previous tick is still sending
        try:
            self._plan()
            finished = 0
            while True:
                with self.session_factory() as session:
                    token, ids = due_work.claim(
                        session, now=self.clock.now(), lease=self.lease, limit=self.batch_size
                    )
                if not ids:
                    return finished
                for work_id in ids:
                    finished += self._run_one(work_id, token)
        except Exception:
            logger.exception("scheduler tick failed")
            return 0
        finally:
            self._tick_lock.release()

    def _plan(self) -> None:
        for plan in PLANNERS:
            with self.session_factory() as session:
                try:
                    plan(session, self.clock.now())
                    session.commit()
                except Exception:
                    session.rollback()
                    logger.exception("planner %s failed", getattr(plan, "__name__", plan))

    def _run_one(self, work_id: int, token: str) -> int:
        with self.session_factory() as session:
            work = session.get(DueWork, work_id)
            if work is None or work.lease_owner != token or work.status != DueWorkStatus.PENDING:
                return 0
            now = self.clock.now()
            handler = HANDLERS.get(work.kind)
            try:
                delivery = (
                    handler(JobContext(session=session, work=work, now=now)) if handler else None
                )
            except Exception:
                session.rollback()
                logger.exception("due work %s (%s) failed to build", work_id, work.kind)
                self._fail(work_id, token, "handler error")
                return 0
            if delivery is None:
                work.status = DueWorkStatus.SKIPPED.value
                work.finished_at = now
                work.lease_owner = None
                session.commit()
                return 1
            return self._deliver(session, work, delivery, token)

    def _deliver(self, session: Session, work: DueWork, delivery: Delivery, token: str) -> int:
        client = self.client_for_workspace(work.workspace_id)
        now = self.clock.now()
        try:
            found = self._already_sent(client, work, delivery) if work.attempts > 1 else None
            if found:
                channel, ts = found
            else:
                self.rate_limiter.acquire(work.workspace_id, delivery.user_id)
                response = client.chat_postMessage(
                    channel=delivery.user_id,
                    text=delivery.text,
                    blocks=delivery.blocks,
                    metadata={
                        "event_type": METADATA_EVENT,
                        "event_payload": {"due_work_id": work.id, **delivery.extra_metadata},
                    },
                    unfurl_links=False,
                )
                channel, ts = str(response["channel"]), str(response["ts"])
        except SlackApiError as error:
            code = str(error.response.get("error", "")) if error.response is not None else ""
            session.rollback()
            if code in UNREACHABLE and delivery.on_unreachable is not None:
                delivery.on_unreachable(session, code)
                work = session.merge(work)
                work.status = DueWorkStatus.SKIPPED.value
                work.finished_at = now
                work.last_error = code
                session.commit()
                return 1
            if error.response is not None and error.response.status_code == 429:
                retry_after = float(error.response.headers.get("Retry-After", 1) or 1)
                self.rate_limiter.back_off(delivery.user_id, retry_after)
            self._fail(work.id, token, code or "slack error")
            return 0
        except Exception as error:  # connection trouble after the retries
            session.rollback()
            self._fail(work.id, token, type(error).__name__)
            return 0
        work.status = DueWorkStatus.DONE.value
        work.channel, work.ts, work.finished_at, work.lease_owner = channel, ts, now, None
        if delivery.on_sent is not None:
            delivery.on_sent(session, channel, ts)
        session.commit()
        return 1

    def _already_sent(
        self, client: WebClient, work: DueWork, delivery: Delivery
    ) -> tuple[str, str] | None:
        """A worker may have sent this and died before recording it: look in the DM first."""
        channel = str(client.conversations_open(users=delivery.user_id)["channel"]["id"])
        oldest = f"{(work.due_at - timedelta(days=1)).timestamp():.6f}"
        history = client.conversations_history(
            channel=channel, oldest=oldest, limit=200, include_all_metadata=True
        )
        messages: list[dict[str, Any]] = history.get("messages") or []
        for message in messages:
            metadata = message.get("metadata") or {}
            payload = metadata.get("event_payload") or {}
            if (
                metadata.get("event_type") == METADATA_EVENT
                and payload.get("due_work_id") == work.id
            ):
                return channel, str(message["ts"])
        return None

    def _fail(self, work_id: int, token: str, reason: str) -> None:
        with self.session_factory() as session:
            work = session.get(DueWork, work_id)
            if work is None or work.lease_owner != token:
                return
            now = self.clock.now()
            work.last_error = reason[:500]
            work.lease_owner = None
            work.lease_until = None
            if work.attempts >= MAX_ATTEMPTS:
                work.status = DueWorkStatus.FAILED.value
                work.finished_at = now
                logger.error("due work %s (%s) gave up: %s", work.id, work.kind, reason)
            else:
                work.retry_at = now + timedelta(seconds=min(300, 5 * 2 ** (work.attempts - 1)))
            session.commit()
