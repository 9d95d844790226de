"""One whole app process for the soak (tests/faults/soak.py): the app's HTTP endpoint and its
scheduler (APScheduler ticking the dispatcher), with its own engine, on a fast clock.

    python -m tests.faults.app_worker DATABASE_URL SLACK_API_URL PORT ANCHOR_EPOCH START_ISO SPEED

The clock is worker.FastClock: the same in every process started with the same arguments, SPEED
times the wall clock. It serves until SIGTERM (or SIGKILL, which is the point).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import UTC, datetime
from typing import Any

from slackapp.config import Settings
from slackapp.jobs.runner import start_scheduler
from slackapp.runtime import build_runtime
from slackapp.serve import stop_runtime
from slackapp.server import make_wsgi_app
from slacksim.fakeslack.wire import RequestHandler, ThreadingWSGIServer
from tests.faults.worker import FastClock

SIGNING_SECRET = "soak-signing-secret"
TICK_SECONDS = 0.5  # wall clock: at SPEED 20 a tick every 10 s of the app's time


def main(argv: list[str]) -> int:
    url, api_url, port, anchor, start, speed = argv[:6]
    logging.basicConfig(
        level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    logging.getLogger("apscheduler").setLevel(logging.ERROR)  # "skipped: still running"
    clock = FastClock(datetime.fromisoformat(start).astimezone(UTC), float(anchor), float(speed))
    settings = Settings(
        slack_bot_token="xoxb-fake",
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=api_url,
        database_url=url,
        workspace_messages_per_second=50,
    )
    runtime = build_runtime(settings, clock=clock)
    server = ThreadingWSGIServer(("127.0.0.1", int(port)), RequestHandler)
    server.set_app(make_wsgi_app(runtime))
    scheduler = start_scheduler(runtime.dispatcher, tick_seconds=TICK_SECONDS)
    stopped = threading.Event()

    def stop(_signum: int, _frame: Any) -> None:
        stopped.set()
        runtime.dispatcher.stop()
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    server.serve_forever(poll_interval=0.05)
    server.server_close()
    stop_runtime(runtime, scheduler)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
