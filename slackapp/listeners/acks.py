"""Keep an ack once it is made.

Bolt's thread runner (process_before_response=False) waits, polling every 10 ms, for the
listener to call ack(). When a listener acks and then raises within that window, the runner's
error path sets the ack's response back to None, the waiting request thread never sees the ack,
and Slack gets "404 unhandled request" after 3 s: an error shown to the person for a request
that was in fact acknowledged. The fault suite found this (slack_bolt 1.30). A sticky Ack
ignores that reset, so the first ack() is what Slack receives.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import Ack, BoltContext, BoltResponse


class StickyAck(Ack):
    _response: BoltResponse | None = None

    @property
    def response(self) -> BoltResponse | None:
        return self._response

    @response.setter
    def response(self, value: BoltResponse | None) -> None:
        if value is None and self._response is not None:
            return  # acknowledged already: keep the answer Slack is waiting for
        self._response = value


def keep_acks(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
    context["ack"] = StickyAck()
    return next()
