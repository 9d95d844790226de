"""The one place Web API clients are made: every client retries errors the same way."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler


def retry_handlers() -> list[RetryHandler]:
    # slack_sdk only retries connection errors by default; 429 (it honours Retry-After) and
    # 5xx must be asked for.
    return [
        ConnectionErrorRetryHandler(max_retry_count=3),
        RateLimitErrorRetryHandler(max_retry_count=3),
        ServerErrorRetryHandler(max_retry_count=3),
    ]


def make_web_client(*, token: str | None, base_url: str, timeout: int = 10) -> WebClient:
    return WebClient(
        token=token, base_url=base_url, timeout=timeout, retry_handlers=retry_handlers()
    )
