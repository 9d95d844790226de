"""The one place Web API clients are made: every client retries errors the same way, and every
attempt is counted (secondchance_slack_api_calls, by method and outcome)."""

from __future__ import annotations

from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

from slackapp.metrics import SLACK_CALLS


def _outcome(response: Any, error: Exception | None) -> str:
    if response is None:
        return "connection_error"
    status = response.status_code
    if status == 429:
        return "ratelimited"
    if status >= 500:
        return "server_error"
    if status >= 400 or error is not None:
        return "http_error"
    body = response.body if isinstance(response.body, dict) else {}
    return "ok" if body.get("ok") else "error"


class SlackCallCounter(RetryHandler):
    """Not a retry: slack_sdk shows every attempt's answer to its retry handlers (the 200s too),
    so the first handler in the list counts each one, then lets the others decide. Bolt copies
    the list into the client it makes for each request, so its calls are counted too."""

    def can_retry(
        self, *, state: Any, request: Any, response: Any = None, error: Any = None
    ) -> bool:
        method = request.url.split("?", 1)[0].rsplit("/", 1)[-1] or "unknown"
        SLACK_CALLS.labels(method=method, outcome=_outcome(response, error)).inc()
        return False


def retry_handlers() -> list[RetryHandler]:
    # slack_sdk only retries connection errors by default; 429 (it honours Retry-After) and
    # 5xx must be asked for.
    return [
        SlackCallCounter(),
        ConnectionErrorRetryHandler(max_retry_count=3),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=3),
    ]


def without_retries(client: WebClient) -> WebClient:
    """The same client, still counted, that never retries a call by itself (or `client`, when it
    already does not)."""
    counters: list[RetryHandler] = [
        h for h in client.retry_handlers if isinstance(h, SlackCallCounter)
    ]
    if len(counters) == len(client.retry_handlers):
        return client
    return WebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        retry_handlers=counters,
    )


def make_web_client(*, token: str | None, base_url: str, timeout: int = 10) -> WebClient:
    return WebClient(
        token=token, base_url=base_url, timeout=timeout, retry_handlers=retry_handlers()
    )
