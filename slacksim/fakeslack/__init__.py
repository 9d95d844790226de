"""A stateful fake of the Slack Web API, for the test-suite and the local sandbox."""

from .server import FakeSlack
from .state import Call
from .state import User as FakeUser

__all__ = ["Call", "FakeSlack", "FakeUser"]
