"""APScheduler runs the clock; the database holds the work."""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler

from slackapp.jobs.dispatcher import Dispatcher


def start_scheduler(dispatcher: Dispatcher, *, tick_seconds: float) -> BackgroundScheduler:
    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        dispatcher.tick,
        "interval",
        seconds=tick_seconds,
        id="tick",
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
    scheduler.start()
    return scheduler
