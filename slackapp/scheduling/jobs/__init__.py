"""Job modules: importing this package registers every kind of due work and every planner."""

# One import per step; each module registers its handlers and planners with the registry.
from slackapp.scheduling.jobs import (
    feedback_jobs,  # noqa: F401
    meeting_jobs,  # noqa: F401
    plan_jobs,  # noqa: F401
    retention_jobs,  # noqa: F401
)
