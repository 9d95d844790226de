"""Slack's posting limits, kept by the dispatcher: ~1 message/s per channel, N/s per workspace.

Real (monotonic) time, not the app's clock: these are Slack's limits in the real world. The
workspace pace is kept by handing out send slots; a channel that is busy (or told to wait by a
429's Retry-After) sends its work back to the queue instead of holding a worker, so one slow or
failing channel never holds up the others.

The limits are per process: with several worker processes, set the workspace rate to the
workspace's share for each of them.
"""

from __future__ import annotations

import threading
import time

# A 429 on this many different channels within WORKSPACE_WINDOW means the workspace is the limit.
WORKSPACE_429_CHANNELS = 2
WORKSPACE_WINDOW = 1.0


class RateLimiter:
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

    def take_channel(self, channel: str) -> float:
        """Book the channel now if it is free and return 0, else return seconds until it is."""
        with self._lock:
            now = time.monotonic()
            free_at = self._channel_free_at.get(channel, 0.0)
            if free_at > now:
                return free_at - now
            self._channel_free_at[channel] = now + self.per_channel_seconds
            return 0.0

    def channel_wait(self, channel: str) -> float:
        with self._lock:
            return max(0.0, self._channel_free_at.get(channel, 0.0) - time.monotonic())

    def acquire(self, workspace_id: int, channel: str) -> None:
        """Block until both the workspace and the channel may send (for one-off callers)."""
        while True:
            start = self.workspace_slot(workspace_id)
            time.sleep(max(0.0, start - time.monotonic()))
            wait = self.take_channel(channel)
            if not wait:
                return
            time.sleep(wait)

    def back_off(self, channel: str, seconds: float, *, workspace_id: int | None = None) -> None:
        """Slack said 429 with Retry-After: this channel waits; if several channels were told the
        same at once, the limit is the workspace's, and the whole workspace waits."""
        with self._lock:
            now = time.monotonic()
            self._channel_free_at[channel] = max(
                self._channel_free_at.get(channel, 0.0), now + seconds
            )
            if workspace_id is None:
                return
            recent = {
                c: at
                for c, at in self._recent_429.get(workspace_id, {}).items()
                if now - at < WORKSPACE_WINDOW
            }
            recent[channel] = now
            self._recent_429[workspace_id] = recent
            if len(recent) >= WORKSPACE_429_CHANNELS:
                self._workspace_free_at[workspace_id] = max(
                    self._workspace_free_at.get(workspace_id, 0.0), now + seconds
                )
