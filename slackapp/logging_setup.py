"""Logging that never writes tokens or what people wrote, and that no request can forge or flood.

Every line goes through SafeFormatter, the one place that makes values from outside safe to log:
values are cut to a length and written on one line (a newline or other control character in a
value is written as its escape, so it cannot start a line of its own), tokens are redacted, and
Bolt's note about a request whose signature failed, which holds the whole body, is shortened.

LOG_FORMAT=json writes the same lines as one JSON object each (SafeJsonFormatter, on
python-json-logger), with the request id of the request being answered: it is set for each
request to POST /slack/events (server.py) and carried into the listener's thread by
ContextThreadPool, so every line a request causes can be found by it.
"""

from __future__ import annotations

import contextvars
import logging
import re
import sys
import traceback
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from contextvars import ContextVar
from typing import IO, Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

SECRET = re.compile(r"\b(xox[abposre]-|xapp-)[A-Za-z0-9-]+")
# Control characters (newlines first among them), and the Unicode line and paragraph separators
# that some log viewers also break lines on.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")

MAX_VALUE = 200  # one value in a message: an id, a reason, a type
MAX_MESSAGE = 2000  # a whole message, whatever it holds
MAX_EXCEPTION = 500  # an exception's own message, which may quote what it failed on

# Bolt logs "Invalid request signature detected (signature: …, body: …)" here, at INFO.
BOLT_SIGNATURE_LOGGER = "slack_bolt.RequestVerification"
BOLT_SIGNATURE_NOTE = (
    "Bolt refused a request whose signature did not verify (the body is not logged)"
)


def one_line(text: str, limit: int) -> str:
    """`text` redacted, cut to about `limit` characters, control characters escaped."""
    text = SECRET.sub(r"\1[redacted]", text)
    cut = len(text) - limit
    if cut > 0:
        text = text[:limit]
    text = CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)
    if len(text) > limit:
        cut, text = max(cut, 0) + len(text) - limit, text[:limit]
    return f"{text}…[{cut} more]" if cut > 0 else text


def _safe_arg(value: Any) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        return value  # keeps %d and %.2f working
    if isinstance(value, bytes | bytearray):
        return f"<{len(value)} bytes>"
    return one_line(str(value), MAX_VALUE)


def safe_message(record: logging.LogRecord) -> str:
    if record.name == BOLT_SIGNATURE_LOGGER:
        return BOLT_SIGNATURE_NOTE
    args = record.args
    try:
        if isinstance(args, Mapping):
            message = str(record.msg) % {key: _safe_arg(v) for key, v in args.items()}
        elif args:
            message = str(record.msg) % tuple(_safe_arg(v) for v in args)
        else:
            message = str(record.msg)
    except (TypeError, ValueError, KeyError):
        message = record.getMessage()  # a format that needs the values as they were
    return one_line(message, MAX_MESSAGE)


CAUSE = "The above exception was the direct cause of the following exception:"
CONTEXT = "During handling of the above exception, another exception occurred:"


def _chain(error: BaseException) -> list[tuple[BaseException, str | None]]:
    """The exception and those it was raised from or while handling, oldest first, each with the
    sentence Python prints between it and the next one."""
    newest_first: list[tuple[BaseException, str | None]] = []
    seen: set[int] = set()
    current: BaseException | None = error
    link = None
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        newest_first.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, CAUSE
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, CONTEXT
        else:
            current = None
    return newest_first[::-1]


def safe_traceback(error: BaseException) -> str:
    """A traceback as Python prints it, but each exception's own message (which may quote the
    value it failed on, from a request) on one line and cut to length; frames are our code's."""
    lines: list[str] = []
    for exc, link in _chain(error):
        if exc.__traceback__ is not None:
            lines.append("Traceback (most recent call last):")
            lines += "".join(traceback.format_tb(exc.__traceback__)).rstrip("\n").split("\n")
        name = type(exc).__qualname__
        module = type(exc).__module__
        if module not in ("builtins", "__main__"):
            name = f"{module}.{name}"
        try:
            text = str(exc)
        except Exception:
            text = "<the exception's message could not be read>"
        lines.append(one_line(f"{name}: {text}" if text else name, MAX_EXCEPTION))
        for note in getattr(exc, "__notes__", None) or []:
            lines.append(one_line(str(note), MAX_EXCEPTION))
        if link:
            lines += ["", link, ""]
    return "\n".join(lines)


def safe_exception(ei: Any, fallback: Callable[[Any], str]) -> str:
    error = ei[1] if isinstance(ei, tuple) else None
    if isinstance(error, BaseException):
        return safe_traceback(error)
    return one_line(fallback(ei), MAX_MESSAGE)


def safe_record(record: logging.LogRecord) -> logging.LogRecord:
    """A copy of the record with its message made safe, so other handlers (pytest's, say) see
    the original unchanged."""
    safe = logging.makeLogRecord(record.__dict__)
    safe.msg, safe.args = safe_message(record), None
    safe.exc_text = None
    return safe


class SafeFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return super().format(safe_record(record))

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        return safe_exception(ei, super().formatException)


# The request being answered, for every line it causes (None outside a request).
REQUEST_ID: ContextVar[str | None] = ContextVar("request_id", default=None)
_STANDARD = frozenset(RESERVED_ATTRS) | {"message", "asctime"}


class SafeJsonFormatter(JsonFormatter):
    """One JSON object per line: time, level, logger, message, the request id, and the fields a
    line adds with `extra=` (each made safe like a message's values)."""

    def __init__(self) -> None:
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )

    def format(self, record: logging.LogRecord) -> str:
        safe = safe_record(record)
        for key, value in list(vars(safe).items()):
            if key not in _STANDARD:
                setattr(safe, key, _safe_arg(value))
        request_id = REQUEST_ID.get()
        if request_id is not None and not hasattr(safe, "request_id"):
            safe.request_id = request_id
        return super().format(safe)

    def formatException(self, ei: Any) -> str:  # noqa: N802 (logging's name)
        return safe_exception(ei, lambda e: logging.Formatter.formatException(self, e))


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def make_formatter(
    log_format: str = "text", fmt: str = TEXT_FORMAT, datefmt: str | None = None
) -> logging.Formatter:
    """The formatter for LOG_FORMAT (gunicorn's own lines use it too)."""
    if log_format == "json":
        return SafeJsonFormatter()
    return SafeFormatter(fmt, datefmt)


class ContextThreadPool(ThreadPoolExecutor):
    """A thread pool whose tasks run in the context of whoever submitted them: Bolt's listeners
    keep the request id of the request that started them."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        context = contextvars.copy_context()
        return super().submit(context.run, fn, *args, **kwargs)


# Libraries that write what people wrote at DEBUG (Bolt and slack_sdk: request and response
# bodies; SQLAlchemy, once its logger is at DEBUG: the rows it reads), kept at these levels
# whatever LOG_LEVEL says.
QUIET = {"slack_bolt": logging.INFO, "slack_sdk": logging.INFO, "sqlalchemy": logging.WARNING}


def setup_logging(
    level: str = "INFO", *, stream: IO[str] | None = None, log_format: str = "text"
) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(make_formatter(log_format))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name, floor in QUIET.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level)))
    return handler
