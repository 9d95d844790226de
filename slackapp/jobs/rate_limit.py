"""Slack's posting limits, kept by the dispatcher: ~1 message/s per channel, N/s per workspace.

Real (monotonic) time, not the app's clock: these are Slack's limits in the real world. The
workspace pace is kept by handing out send slots; a channel that is busy (or told to wait by a
429's Retry-After) sends its work back to the queue instead of holding a worker, so one slow or
failing channel never holds up the others.

Two keepers of the same limits: RateLimiter keeps them in this process (SQLite, where one
process sends), SharedRateLimiter in PostgreSQL (the send_pace table), so that any number of
processes together keep SLACK_WORKSPACE_MESSAGES_PER_SECOND and ~1/s per channel. A slot there is
the row's next free time, moved on atomically by one INSERT ... ON CONFLICT DO UPDATE ...
RETURNING; times are the database's own (clock_timestamp()), so the processes' clocks need not
agree, and each turns the slot it got into its own monotonic time.
"""

from __future__ import annotations

import hashlib
import threading
import time
from datetime import timedelta

from sqlalchemy import Connection, Engine, text

# A 429 on this many different channels within WORKSPACE_WINDOW means the workspace is the limit.
WORKSPACE_429_CHANNELS = 2
WORKSPACE_WINDOW = 1.0
# Channel rows older than this are of no more use to anyone; SharedRateLimiter sweeps them.
SWEEP_EVERY = 60.0


class RateLimiter:
    """The limits kept in this process."""

    def __init__(self, *, per_channel_seconds: float = 1.0, workspace_per_second: float = 2.0):
        self.per_channel_seconds = per_channel_seconds
        self.workspace_per_second = workspace_per_second
        self._channel_free_at: dict[str, float] = {}
        self._workspace_free_at: dict[int, float] = {}
        self._recent_429: dict[int, dict[str, float]] = {}
        self._lock = threading.Lock()

    @property
    def workspace_interval(self) -> float:
        return 1.0 / self.workspace_per_second

    def workspace_slot(self, workspace_id: int, *, not_before: float = 0.0) -> float:
        """Book the workspace's next send slot (a monotonic time) at or after `not_before`."""
        with self._lock:
            start = max(
                time.monotonic(), not_before, self._workspace_free_at.get(workspace_id, 0.0)
            )
            self._workspace_free_at[workspace_id] = start + self.workspace_interval
            return start

    def take_channel(self, channel: str, *, workspace_id: int = 0) -> float:
        """Book the channel now if it is free and return 0, else return seconds until it is."""
        with self._lock:
            now = time.monotonic()
            free_at = self._channel_free_at.get(channel, 0.0)
            if free_at > now:
                return free_at - now
            self._channel_free_at[channel] = now + self.per_channel_seconds
            return 0.0

    def acquire(self, workspace_id: int, channel: str) -> None:
        """Block until both the workspace and the channel may send (for one-off callers)."""
        while True:
            start = self.workspace_slot(workspace_id)
            time.sleep(max(0.0, start - time.monotonic()))
            wait = self.take_channel(channel, workspace_id=workspace_id)
            if not wait:
                return
            time.sleep(wait)

    def back_off(self, channel: str, seconds: float, *, workspace_id: int | None = None) -> None:
        """Slack said 429 with Retry-After: this channel waits; if several channels were told the
        same at once, the limit is the workspace's, and the whole workspace waits."""
        self._hold_channel(channel, seconds, workspace_id=workspace_id or 0)
        if workspace_id is not None and self._workspace_limited(workspace_id, channel):
            self._hold_workspace(workspace_id, seconds)

    def _workspace_limited(self, workspace_id: int, channel: str) -> bool:
        with self._lock:
            now = time.monotonic()
            recent = {
                c: at
                for c, at in self._recent_429.get(workspace_id, {}).items()
                if now - at < WORKSPACE_WINDOW
            }
            recent[channel] = now
            self._recent_429[workspace_id] = recent
            return len(recent) >= WORKSPACE_429_CHANNELS

    def _hold_channel(self, channel: str, seconds: float, *, workspace_id: int) -> None:
        with self._lock:
            until = time.monotonic() + seconds
            self._channel_free_at[channel] = max(self._channel_free_at.get(channel, 0.0), until)

    def _hold_workspace(self, workspace_id: int, seconds: float) -> None:
        with self._lock:
            until = time.monotonic() + seconds
            free_at = self._workspace_free_at.get(workspace_id, 0.0)
            self._workspace_free_at[workspace_id] = max(free_at, until)


# The slot: the row's free time moves on by `step` from the later of itself and `earliest`
# (now, or a Retry-After ahead); returned with the database's now, to turn it into local time.
_BOOK = text(
    """
    INSERT INTO send_pace (scope, free_at)
    VALUES (:scope, clock_timestamp() + :delay + :step)
    ON CONFLICT (scope) DO UPDATE
        SET free_at = greatest(send_pace.free_at, clock_timestamp() + :delay) + :step
    RETURNING free_at - :step, clock_timestamp()
    """
)
# The channel is taken only when it is free; no row back means it is busy.
_TAKE = text(
    """
    INSERT INTO send_pace (scope, free_at) VALUES (:scope, clock_timestamp() + :step)
    ON CONFLICT (scope) DO UPDATE SET free_at = clock_timestamp() + :step
        WHERE send_pace.free_at <= clock_timestamp()
    RETURNING free_at
    """
)
_WAIT = text(
    "SELECT extract(epoch FROM free_at - clock_timestamp()) FROM send_pace WHERE scope = :scope"
)
_HOLD = text(
    """
    INSERT INTO send_pace (scope, free_at) VALUES (:scope, clock_timestamp() + :delay)
    ON CONFLICT (scope) DO UPDATE
        SET free_at = greatest(send_pace.free_at, clock_timestamp() + :delay)
    """
)
_SWEEP = text("DELETE FROM send_pace WHERE scope LIKE 'c:%' AND free_at < clock_timestamp() - :age")


def channel_scope(workspace_id: int, channel: str) -> str:
    """The channel's row, named by a hash: the table holds no one's id."""
    digest = hashlib.sha256(f"{workspace_id}:{channel}".encode()).hexdigest()[:32]
    return f"c:{workspace_id}:{digest}"


class SharedRateLimiter(RateLimiter):
    """The same limits kept in PostgreSQL, for every process that sends to the workspace.

    Which channels were told 429 lately stays in each process: it only decides whether the
    workspace as a whole should wait, and that wait is then shared."""

    def __init__(
        self,
        engine: Engine,
        *,
        per_channel_seconds: float = 1.0,
        workspace_per_second: float = 2.0,
    ) -> None:
        super().__init__(
            per_channel_seconds=per_channel_seconds, workspace_per_second=workspace_per_second
        )
        self.engine = engine
        self._swept_at = time.monotonic()

    def workspace_slot(self, workspace_id: int, *, not_before: float = 0.0) -> float:
        delay = max(0.0, not_before - time.monotonic())
        with self.engine.begin() as connection:
            start, now = connection.execute(
                _BOOK,
                {
                    "scope": f"w:{workspace_id}",
                    "delay": timedelta(seconds=delay),
                    "step": timedelta(seconds=self.workspace_interval),
                },
            ).one()
        return time.monotonic() + (start - now).total_seconds()

    def take_channel(self, channel: str, *, workspace_id: int = 0) -> float:
        if self.per_channel_seconds <= 0:
            return 0.0
        scope = channel_scope(workspace_id, channel)
        with self.engine.begin() as connection:
            self._sweep(connection)
            step = timedelta(seconds=self.per_channel_seconds)
            if connection.execute(_TAKE, {"scope": scope, "step": step}).first() is not None:
                return 0.0
            wait = connection.execute(_WAIT, {"scope": scope}).scalar()
        # Free again by now (another process's slot just ended): the next try takes it.
        return max(0.001, float(wait or 0.0))

    def _sweep(self, connection: Connection) -> None:
        if time.monotonic() - self._swept_at < SWEEP_EVERY:
            return
        self._swept_at = time.monotonic()
        connection.execute(_SWEEP, {"age": timedelta(seconds=SWEEP_EVERY)})

    def _hold(self, scope: str, seconds: float) -> None:
        with self.engine.begin() as connection:
            connection.execute(_HOLD, {"scope": scope, "delay": timedelta(seconds=seconds)})

    def _hold_channel(self, channel: str, seconds: float, *, workspace_id: int) -> None:
        self._hold(channel_scope(workspace_id, channel), seconds)

    def _hold_workspace(self, workspace_id: int, seconds: float) -> None:
        self._hold(f"w:{workspace_id}", seconds)
