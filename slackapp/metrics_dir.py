"""PROMETHEUS_MULTIPROC_DIR, made ready before anything imports prometheus_client.

prometheus_client decides at import whether it counts in memory or in files, so this module does
not import it: `secondchance run` calls prepare() first, then starts gunicorn.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def prepare(*, enabled: bool) -> Path | None:
    """With metrics on, a folder for the workers' counts (the operator's, or a new one), emptied
    of earlier counts, which would otherwise be added to this run's. A folder the operator named
    is emptied even with metrics off, since prometheus_client writes there whenever it is set."""
    named = os.environ.get(VARIABLE, "").strip()
    if not named and not enabled:
        return None
    folder = Path(named) if named else Path(tempfile.mkdtemp(prefix="secondchance-metrics-"))
    folder.mkdir(parents=True, exist_ok=True)
    # Only prometheus_client's own files (counter_<pid>.db, ...): the folder may hold others.
    for entry in folder.glob("*.db"):
        entry.unlink(missing_ok=True)
    os.environ[VARIABLE] = str(folder)
    return folder


def mark_process_dead(pid: int) -> None:
    """gunicorn's child_exit: a dead worker's live gauges leave the sums."""
    if os.environ.get(VARIABLE):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
