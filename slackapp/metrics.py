"""What the app counts, served in Prometheus text at GET /metrics when METRICS_ENABLED=true.

Labels hold only words from the code: a request's kind, a Web API method, a kind of due work, an
outcome. Never a user id, a team, a channel or anything a person typed (a test holds it).

Under gunicorn each worker process counts into files in PROMETHEUS_MULTIPROC_DIR
(prometheus_client's multiprocess mode), and a scrape, whichever worker answers it, adds up all
of them. prometheus_client decides when it is imported whether it counts in memory or in files,
and `secondchance run` sets that folder up (prepare_multiprocess) only once it has read the
settings, so it is imported here on first use, not with this module. The oldest due item's age is
read from the database at each scrape: one true figure however many processes run.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

MULTIPROC_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
LAG_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 12 * 3600)
TICK_BUCKETS = (0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 120, 300)


class _Metric:
    """A prometheus_client metric made (and prometheus_client imported) on first use."""

    def __init__(self, kind: str, name: str, documentation: str, **options: Any) -> None:
        self._args = (kind, name, documentation, options)
        self._metric: Any = None
        self._lock = threading.Lock()

    def _get(self) -> Any:
        if self._metric is None:
            with self._lock:
                if self._metric is None:
                    import prometheus_client

                    kind, name, documentation, options = self._args
                    self._metric = getattr(prometheus_client, kind)(name, documentation, **options)
        return self._metric

    def labels(self, **labels: str) -> Any:
        return self._get().labels(**labels)

    def observe(self, value: float) -> None:
        self._get().observe(value)


REQUESTS = _Metric(
    "Counter",
    "secondchance_requests",
    "Requests to POST /slack/events, by kind (command, action, view_submission, event, ...) and "
    "outcome (ok, refused, unhandled, error)",
    labelnames=["kind", "outcome"],
)
ACK_SECONDS = _Metric(
    "Histogram",
    "secondchance_ack_seconds",
    "Seconds from a request's arrival to its answer (Slack wants it within 3)",
    labelnames=["kind"],
    buckets=LATENCY_BUCKETS,
)
SLACK_CALLS = _Metric(
    "Counter",
    "secondchance_slack_api_calls",
    "Web API calls, each attempt counted, by method and outcome "
    "(ok, error, ratelimited, server_error, http_error, connection_error)",
    labelnames=["method", "outcome"],
)
DUE_WORK = _Metric(
    "Counter",
    "secondchance_due_work",
    "Due work by kind and what became of it: claimed; sent; done (a chore with nothing to "
    "send); skipped (nothing to send any more); retried (failed, tried again later); failed "
    "(given up); missed (too late to send); released (given back unsent: at shutdown, or after "
    "a long Retry-After); held (moved to the recipient's next working time)",
    labelnames=["kind", "outcome"],
)
DUE_LAG = _Metric(
    "Histogram",
    "secondchance_due_work_lag_seconds",
    "Seconds from the time work fell due to its delivery to Slack",
    labelnames=["kind"],
    buckets=LAG_BUCKETS,
)
TICK_SECONDS = _Metric(
    "Histogram",
    "secondchance_scheduler_tick_seconds",
    "Seconds one scheduler tick took (claiming and sending all that was due)",
    buckets=TICK_BUCKETS,
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

    def collect(self) -> Iterator[Any]:
        from prometheus_client.core import GaugeMetricFamily

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
    def __init__(self, sources: Iterable[Any]) -> None:
        self.sources = list(sources)

    def collect(self) -> Iterator[Any]:
        for source in self.sources:
            yield from source.collect()


def exposition(*extra: Any) -> tuple[bytes, str]:
    """The scrape's body and content type: this process's figures, or with several processes
    all of theirs added up, plus those of the `extra` collectors."""
    from prometheus_client import (
        CONTENT_TYPE_LATEST,
        REGISTRY,
        CollectorRegistry,
        generate_latest,
        multiprocess,
    )

    if os.environ.get(MULTIPROC_VARIABLE):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        base: Any = registry
    else:
        base = REGISTRY
    return generate_latest(_Scrape([base, *extra])), CONTENT_TYPE_LATEST


def prepare_multiprocess(*, enabled: bool) -> Path | None:
    """Before gunicorn starts its workers: with metrics on, a folder for their counts (the
    operator's PROMETHEUS_MULTIPROC_DIR, or a new one), emptied of an earlier run's counts, which
    would otherwise be added to this one's. A folder the operator named is emptied with metrics
    off too, since prometheus_client writes there whenever the variable is set."""
    named = os.environ.get(MULTIPROC_VARIABLE, "").strip()
    if not named and not enabled:
        return None
    folder = Path(named) if named else Path(tempfile.mkdtemp(prefix="secondchance-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    # Only prometheus_client's own files (counter_<pid>.db, ...): the folder may hold others.
    for entry in folder.glob("*.db"):
        entry.unlink(missing_ok=True)
    os.environ[MULTIPROC_VARIABLE] = str(folder)
    return folder


def worker_gone(pid: int) -> None:
    """gunicorn's child_exit: a dead worker's live gauges leave the sums (its counts stay)."""
    if os.environ.get(MULTIPROC_VARIABLE):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
