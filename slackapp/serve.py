"""Running the app: gunicorn for HTTP mode, Bolt's Socket Mode handler otherwise.

Stopping (SIGTERM) loses nothing: gunicorn stops accepting and lets the requests under way finish
(graceful_timeout), then each worker waits for its listeners still running after their ack,
stops its dispatcher (the sends under way finish and are recorded; due work claimed and not yet
sent goes back to the database at once, for the next process to claim) and its scheduler.
"""

from __future__ import annotations

import gc
import logging
import signal
import threading
from typing import Any

from apscheduler.schedulers.background import BackgroundScheduler
from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger as GunicornLogger

from slackapp.config import Settings
from slackapp.jobs.runner import start_scheduler
from slackapp.logging_setup import make_formatter
from slackapp.metrics import DueWorkBacklog, worker_gone
from slackapp.runtime import Runtime, build_runtime
from slackapp.server import backlog_reader, make_wsgi_app

logger = logging.getLogger(__name__)


class SafeGunicornLogger(GunicornLogger):
    """gunicorn writes its own lines with its own handlers (an invalid request quotes the request
    line): they go through SafeFormatter too, so no log line escapes its length cap and escapes."""

    log_format = "text"

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for handler in self.error_log.handlers:
            handler.setFormatter(make_formatter(self.log_format, self.error_fmt, self.datefmt))


class SafeJsonGunicornLogger(SafeGunicornLogger):
    """The same, one JSON object per line (LOG_FORMAT=json)."""

    log_format = "json"


def stop_runtime(runtime: Runtime, scheduler: BackgroundScheduler | None) -> None:
    """Listeners still running after their ack finish; then the dispatcher stops (what it is
    sending is recorded, what it claimed and did not send goes back at once), then the clock."""
    runtime.dispatcher.stop()
    runtime.app.listener_runner.listener_executor.shutdown(wait=True)
    if scheduler is not None and scheduler.running:
        scheduler.shutdown(wait=True)
    logger.info("stopped: the listeners are done, unsent due work is given back")


def stop_sending_on_sigterm(dispatcher: Any) -> None:
    """gunicorn's worker lets the requests under way finish after a SIGTERM; the dispatcher
    stops at the signal itself, so what it claimed goes back at once, not after them."""
    previous = signal.getsignal(signal.SIGTERM)

    def on_sigterm(signum: int, frame: Any) -> None:
        dispatcher.stop()  # sets a flag: the tick's own thread gives the work back
        if callable(previous):
            previous(signum, frame)

    signal.signal(signal.SIGTERM, on_sigterm)


def settle_the_heap() -> None:
    """What start-up made (modules, the translations, the holiday calendars, the engine) is
    kept for the process's life: set apart from the garbage collector, so that a full collection
    walks only what requests make. Walking it all, about 120,000 objects, held the GIL for
    ~25 ms now and then, in the middle of people's requests (bench/gc_pause.py; in
    bench/ack_latency.py the slowest modals came in bursts, their acks slow too)."""
    gc.collect()
    gc.freeze()


class _Gunicorn(BaseApplication):
    """gunicorn, configured from our settings rather than its command line."""

    def __init__(self, settings: Settings, runtime_factory: Any) -> None:
        self.settings = settings
        self.runtime_factory = runtime_factory
        self.schedulers: list[BackgroundScheduler] = []
        super().__init__()

    def load_config(self) -> None:
        options = {
            "bind": f"{self.settings.host}:{self.settings.port}",
            "workers": self.settings.web_concurrency,
            "worker_class": "gthread",
            "threads": 16,
            "timeout": 30,
            "graceful_timeout": 20,
            "accesslog": None,
            "logger_class": (
                SafeJsonGunicornLogger if self.settings.log_format == "json" else SafeGunicornLogger
            ),
            "post_worker_init": self._post_worker_init,
            "worker_exit": self._worker_exit,
            "child_exit": self._child_exit,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def _post_worker_init(self, worker: Any) -> None:
        # Each worker process builds its own engine and scheduler after the fork: threads and
        # connections do not survive fork(). Due work is claimed with leases, so N workers are safe.
        runtime = self.runtime_factory()
        worker.wsgi = make_wsgi_app(runtime)
        worker.secondchance_runtime = runtime
        stop_sending_on_sigterm(runtime.dispatcher)
        worker.secondchance_scheduler = start_scheduler(
            runtime.dispatcher, tick_seconds=self.settings.scheduler_tick_seconds
        )
        settle_the_heap()

    def _worker_exit(self, _server: Any, worker: Any) -> None:
        # In the worker, once the requests under way have been answered.
        runtime = getattr(worker, "secondchance_runtime", None)
        if runtime is not None:
            stop_runtime(runtime, getattr(worker, "secondchance_scheduler", None))

    def _child_exit(self, _server: Any, worker: Any) -> None:
        worker_gone(worker.pid)  # in gunicorn's master

    def load(self) -> Any:
        # Replaced per worker in post_worker_init; gunicorn asks for it before that.
        def not_ready(_environ: Any, start_response: Any) -> list[bytes]:
            start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"starting"]

        return not_ready


def serve_http(settings: Settings) -> None:
    _Gunicorn(settings, lambda: build_runtime(settings)).run()


def socket_mode_handler(runtime: Runtime, *, ping_interval: float = 10.0) -> Any:
    """Bolt's Socket Mode handler (slack_sdk's built-in client): it asks apps.connections.open
    at SLACK_API_URL for its WebSocket URL, acks each envelope, and reconnects by itself: at
    once when Slack closes the connection or sends `disconnect`, and within a few
    `ping_interval`s when the connection silently dies (its pings go unanswered)."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    return SocketModeHandler(
        runtime.app, runtime.settings.slack_app_token, ping_interval=ping_interval
    )


def serve_socket_mode(settings: Settings, runtime: Runtime | None = None) -> None:
    runtime = runtime or build_runtime(settings)
    if settings.metrics_enabled:
        # No HTTP server of the app's own in Socket Mode: prometheus_client's serves the scrape.
        from prometheus_client import REGISTRY, start_http_server

        REGISTRY.register(DueWorkBacklog(backlog_reader(runtime)))
        start_http_server(settings.port, addr=settings.host)
    scheduler = start_scheduler(runtime.dispatcher, tick_seconds=settings.scheduler_tick_seconds)
    handler = socket_mode_handler(runtime)
    settle_the_heap()
    stopped = threading.Event()

    def stop(_signum: int, _frame: Any) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    handler.connect()
    logger.info("connected to Slack in Socket Mode")
    stopped.wait()
    logger.info("stopping")
    handler.close()
    stop_runtime(runtime, scheduler)
