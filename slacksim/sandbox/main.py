"""`secondchance sandbox`: the real app, a fake Slack and the page, in one process on one port.

One process, because the page, the fake Slack and the app share memory (the fake's messages
and views, the app's clock). Served by wsgiref with a thread per request rather than gunicorn:
gunicorn forks workers, which would split that memory, and a local sandbox needs neither its
process management nor its throughput; the app's own WSGI application is the same either way.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import socketserver
import sys
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from apscheduler.schedulers.background import BackgroundScheduler

from slackapp.jobs.runner import start_scheduler
from slackapp.logging_setup import setup_logging
from slackapp.server import make_wsgi_app
from slacksim.sandbox.core import Sandbox
from slacksim.sandbox.guard import Guard
from slacksim.sandbox.server import make_sandbox_app

logger = logging.getLogger(__name__)

DEFAULT_DATA_DIR = Path(".sandbox")


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    # The page, the app's Web API calls and Slack-shaped requests all arrive at once.
    request_queue_size = 64


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@dataclass
class RunningSandbox:
    url: str
    sandbox: Sandbox
    server: WSGIServer
    scheduler: BackgroundScheduler | None
    thread: threading.Thread

    def stop(self) -> None:
        # Listeners still running call the fake Slack on this very server: let them finish
        # while it still answers, then stop serving.
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        runtime = self.sandbox.runtime
        runtime.app._listener_runner.listener_executor.shutdown(wait=True)
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)
        runtime.engine.dispose()


def _internal_host(host: str) -> str:
    """Where the app reaches this server: loopback when listening on every interface."""
    if host in ("", "0.0.0.0", "::"):
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def start_sandbox(
    *,
    host: str = "127.0.0.1",
    port: int = 3000,
    data_dir: Path = DEFAULT_DATA_DIR,
    seed_demo: bool = False,
    start: datetime | None = None,
    scheduler: bool = True,
) -> RunningSandbox:
    """Bind the port, build the app against it, and serve on a thread; returns at once."""
    server = make_server(
        host, port, _not_ready, server_class=_ThreadingServer, handler_class=_QuietHandler
    )
    bound_port = server.server_address[1]
    base_url = f"http://{_internal_host(host)}:{bound_port}"
    sandbox = Sandbox(data_dir=data_dir, base_url=base_url, start=start)
    if seed_demo:
        from slacksim.sandbox.seed import seed_demo as fill_in

        fill_in(sandbox)
    server.set_app(
        make_sandbox_app(sandbox, make_wsgi_app(sandbox.runtime), Guard.serving(host, bound_port))
    )
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="sandbox", daemon=True
    )
    thread.start()
    ticking = (
        start_scheduler(
            sandbox.runtime.dispatcher, tick_seconds=sandbox.settings.scheduler_tick_seconds
        )
        if scheduler
        else None
    )
    return RunningSandbox(base_url, sandbox, server, ticking, thread)


def _not_ready(_environ: Any, start_response: Any) -> list[bytes]:
    start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
    return [b"starting"]


def banner(url: str, data_dir: Path, seeded: bool) -> str:
    demo = (
        "  A demo journey is filled in (--seed-demo): plan, reflection, meeting and feedback.\n"
        if seeded
        else "  Add --seed-demo to start with a demo journey filled in.\n"
    )
    return (
        f"\nSecond Chance sandbox: open {url} in your browser.\n\n"
        "  No Slack needed: the page plays Slack for Emma (employee, Berlin), Max (her manager,\n"
        "  New York) and Chandra (a colleague, Kolkata). Type /secondchance in a message box.\n"
        f"{demo}"
        f"  Data: {data_dir / 'sandbox.db'} (fresh on every start). Stop with Ctrl+C.\n\n"
        "To connect a real Slack workspace instead:\n"
        '  1. Create a Slack app from manifest.yml (README: "Create the Slack app").\n'
        "  2. cp .env.example .env and fill in SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET\n"
        "     (and SLACK_APP_TOKEN for Socket Mode).\n"
        "  3. Run scripts/start again: with credentials in .env it runs the real app.\n"
    )


def run_sandbox(*, port: int, seed_demo: bool, host: str) -> int:
    setup_logging(os.environ.get("LOG_LEVEL", "WARNING").upper())
    try:
        running = start_sandbox(host=host, port=port, seed_demo=seed_demo)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            print(
                f"secondchance: port {port} is already in use; try `secondchance sandbox --port {port + 1}`",
                file=sys.stderr,
            )
            return 2
        raise
    shown_host = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    url = f"http://{shown_host}:{running.server.server_address[1]}"
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"Note: listening on {host}; anyone who can reach it can act as anyone in the sandbox.",
            file=sys.stderr,
        )
    print(banner(url, DEFAULT_DATA_DIR, seed_demo), flush=True)
    stopped = threading.Event()

    def stop(_signum: int, _frame: Any) -> None:
        stopped.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    stopped.wait()
    print("Stopping the sandbox.", flush=True)
    running.stop()
    return 0
