"""How long a full garbage collection holds a worker's GIL, with and without what start-up made
set apart (`gc.freeze()`, as slackapp/serve.py does after a worker's start-up).

    .venv/bin/python -m bench.gc_pause [--json out]

Builds the app's runtime as a worker does (engine, Bolt app, scheduler's dispatcher), loads
what its first requests load (the five translations, a few countries' holiday calendars), and
times `gc.collect()` (median of 7) before and after the freeze, in one run. A full collection
comes by itself every so often under load; while it runs, no request in the process moves.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import tempfile
import time

from bench.common import fresh_database, machine, report

LANGUAGES = ("de", "es", "fr", "pt_BR", "ja")
COUNTRIES = ("DE", "US", "FR", "ES", "BR", "JP", "GB", "IL")


def full_collection_ms() -> tuple[float, int]:
    took = []
    for _ in range(7):
        started = time.perf_counter()
        gc.collect()
        took.append(time.perf_counter() - started)
    return round(statistics.median(took) * 1000, 2), len(gc.get_objects())


def run() -> dict[str, object]:
    from slackapp.config import load_settings
    from slackapp.kernel.working_days import regions
    from slackapp.runtime import build_runtime
    from slackapp.views.i18n import _, reading_as

    with fresh_database(None) as url, tempfile.TemporaryDirectory() as home:
        os.environ.update(
            DATABASE_URL=url,
            SLACK_BOT_TOKEN="xoxb-bench",
            SLACK_SIGNING_SECRET="bench",
            HOME=home,
        )
        runtime = build_runtime(load_settings())
        for language in LANGUAGES:
            with reading_as(language):
                _("Your plan")
        import holidays

        for country in COUNTRIES:
            holidays.country_holidays(country, years=range(2026, 2028))
            regions(country)
        before_ms, before_objects = full_collection_ms()
        gc.freeze()
        after_ms, after_objects = full_collection_ms()
        frozen = gc.get_freeze_count()
        gc.unfreeze()
        runtime.engine.dispose()
    return {
        "benchmark": "gc_pause",
        "machine": machine(None),
        "full_collection_ms": {"before_freeze": before_ms, "after_freeze": after_ms},
        "objects_walked": {"before_freeze": before_objects, "after_freeze": after_objects},
        "frozen_objects": frozen,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", help="also write the result here")
    args = parser.parse_args()
    report("gc_pause", run(), args.json)


if __name__ == "__main__":
    main()
