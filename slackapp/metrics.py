"""What the app counts, served in Prometheus text at GET /metrics when METRICS_ENABLED=true.

Labels hold only words from the code: a request's kind, a Web API method, a kind of due work, an
outcome. Never a user id, a team, a channel or anything a person typed (a test holds it).

Under gunicorn each worker process counts into files in PROMETHEUS_MULTIPROC_DIR
(prometheus_client's multiprocess mode; slackapp/metrics_dir.py sets it up before the workers
start), and a scrape, whichever worker answers it, adds up all of them. The oldest due item's age
is read from the database at each scrape, so it is one true figure however many processes run.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
LAG_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 12 * 3600)

REQUESTS = Counter(
    "secondchance_requests",
    "Requests to POST /slack/events, by kind (command, action, view_submission, event, ...) and "
    "outcome (ok, refused, unhandled, error)",
    ["kind", "outcome"],
)
ACK_SECONDS = Histogram(
    "secondchance_ack_seconds",
    "Seconds from a request's arrival to its answer (Slack wants it within 3)",
    ["kind"],
    buckets=LATENCY_BUCKETS,
)
SLACK_CALLS = Counter(
    "secondchance_slack_api_calls",
    "Web API calls, each attempt counted, by method and outcome "
    "(ok, error, ratelimited, server_error, http_error, connection_error)",
    ["method", "outcome"],
)
DUE_WORK = Counter(
    "secondchance_due_work",
    "Due work by kind and what became of it: claimed, sent, skipped, retried (failed, tried "
    "again later), failed (given up), missed (too late to send), released (given back unsent "
    "at shutdown or after a long Retry-After), held (moved to the recipient's next working time)",
    ["kind", "outcome"],
)
DUE_LAG = Histogram(
    "secondchance_due_work_lag_seconds",
    "Seconds from the time work fell due to its delivery to Slack",
    ["kind"],
    buckets=LAG_BUCKETS,
)
TICK_SECONDS = Histogram(
    "secondchance_scheduler_tick_seconds",
    "Seconds one scheduler tick took (claiming and sending all that was due)",
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300),
)


def count_due_work(kind: str, outcome: str, amount: int = 1) -> None:
    if amount:
        DUE_WORK.labels(kind=kind, outcome=outcome).inc(amount)


def count_held(kind: str) -> None:
    """A piece of due work moved on to its recipient's next working time (a holiday, a day off,
    away): the holidays rules call this when they hold one."""
    count_due_work(kind, "held")


class DueWorkBacklog:
    """The oldest due item's age (and how many are due), read at each scrape: `read` returns
    (age in seconds, count), and (0, 0) when nothing is waiting."""

    def __init__(self, read: Callable[[], tuple[float, int]]) -> None:
        self.read = read

    def collect(self) -> Iterator[Metric]:
        try:
            age, count = self.read()
        except Exception:
            logger.warning("could not read the due work backlog for /metrics")
            return
        yield GaugeMetricFamily(
            "secondchance_due_work_oldest_age_seconds",
            "Seconds the oldest due, unsent piece of work has been waiting (0 when none is)",
            value=age,
        )
        yield GaugeMetricFamily(
            "secondchance_due_work_backlog", "Pieces of work due and not yet sent", value=count
        )


class _Scrape:
    def __init__(self, sources: Iterable[object]) -> None:
        self.sources = list(sources)

    def collect(self) -> Iterator[Metric]:
        for source in self.sources:
            yield from source.collect()  # type: ignore[attr-defined]


def exposition(*extra: object) -> tuple[bytes, str]:
    """The scrape's body and content type: this process's figures, or with several processes
    all of theirs added up, plus `extra` collectors."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        base: object = registry
    else:
        base = REGISTRY
    return generate_latest(_Scrape([base, *extra])), CONTENT_TYPE_LATEST
