"""Job modules: importing this package registers every kind of due work and every planner."""

# One import per step; each module registers its handlers and planners with the registry.
from slackapp.jobs import (
    feedback,  # noqa: F401
    meeting,  # noqa: F401
    plan,  # noqa: F401
    retention,  # noqa: F401
)
