"""One scheduler worker process for the fault suite (and bench/dispatch.py): the real dispatcher
and job modules, its own engine, the fake Slack over HTTP.

    python -m tests.faults.worker DATABASE_URL SLACK_API_URL ANCHOR_EPOCH START_ISO SPEED [RATE]

Its clock runs SPEED times faster than the wall clock from START at the wall time ANCHOR, the
same in every worker started with the same arguments: a lease of 2 minutes runs out in 2/SPEED s,
so a killed worker's claims are taken over quickly, as they would be in 2 real minutes.
It ticks until no work that is due is left pending, then exits 0 (3 after two minutes).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from models import DueWork, DueWorkStatus
from models.db import make_engine, make_session_factory
from slackapp.jobs.dispatcher import Dispatcher, RateLimiter
from slackapp.slack_client import make_web_client


class FastClock:
    def __init__(self, start: datetime, anchor: float, speed: float) -> None:
        self.start, self.anchor, self.speed = start, anchor, speed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=(time.time() - self.anchor) * self.speed)


def main(argv: list[str]) -> int:
    url, api_url, anchor, start, speed = argv[:5]
    rate = float(argv[5]) if len(argv) > 5 else 1000.0
    engine = make_engine(url)
    factory = make_session_factory(engine)
    client = make_web_client(token="xoxb-fake", base_url=api_url)
    clock = FastClock(datetime.fromisoformat(start).astimezone(UTC), float(anchor), float(speed))
    dispatcher = Dispatcher(
        session_factory=factory,
        client_for_workspace=lambda _workspace_id: client,
        clock=clock,
        rate_limiter=RateLimiter(per_channel_seconds=1.0, workspace_per_second=rate),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        dispatcher.tick()
        with factory() as session:
            pending = session.scalar(
                select(func.count())
                .select_from(DueWork)
                .where(DueWork.status == DueWorkStatus.PENDING.value, DueWork.due_at <= clock.now())
            )
        if not pending:
            return 0
        time.sleep(0.05)
    return 3


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
