"""FakeSlack: a stateful, Slack-compatible Web API over real HTTP (stdlib WSGI).

The app under test talks to it with a normal ``WebClient(base_url=fake.base_url)``;
tests read what arrived (``calls``, ``messages()``, ``view_stack()`` ...) and inject
faults and rate limits.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import random
import threading
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from types import TracebackType
from typing import Any
from wsgiref.simple_server import WSGIServer
from wsgiref.types import StartResponse, WSGIEnvironment

from . import files, functions, methods
from .state import ApiError, Call, Json, Message, RateBuckets, User, Workspace
from .wire import (
    Fault,
    RequestHandler,
    ResetConnection,
    ThreadingWSGIServer,
    fault_answer,
    read_request,
)


class FakeSlack:
    def __init__(
        self,
        *,
        team_id: str = "T0001",
        team_name: str = "Acme",
        bot_user_id: str = "UBOTSC",
        bot_token: str = "xoxb-fake",
        bot_id: str = "BBOTSC",
        app_id: str = "ASECONDCH",
        latency_seconds: float = 0.0,
        clock: Callable[[], float] = time.time,
        app_token: str = "xapp-fake",
        trigger_ttl: float | None = None,
    ) -> None:
        self.app_token = app_token
        self._app_id = app_id
        self._socket_mode: Any = None  # socket_mode.SocketModeServer, started on first use
        self.latency_seconds = latency_seconds
        self.clock = clock
        self.calls: list[Call] = []
        self.rejections: list[Json] = []
        self.conflicts: list[Json] = []
        self.failure_rate = 0.0
        self.per_channel_per_second: float | None = None
        self.workspace_per_second: float | None = None
        self._lock = threading.RLock()
        self._ws = Workspace(team_id, team_name, bot_user_id, bot_id, app_id, clock, bot_token)
        if trigger_ttl is not None:
            self._ws.trigger_ttl = trigger_ttl
        self._ws.users[bot_user_id] = User(
            bot_user_id, "secondchance", "Second Chance", "UTC", is_bot=True
        )
        self._faults: dict[str, list[Fault]] = {}
        self._functions = functions.Functions()
        self._buckets = RateBuckets()
        self._failure_seed: int | None = None
        self._rng = random.Random()
        self._server: WSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._base_url: str | None = None

    # --- tokens, scopes, orgs ----------------------------------------------------

    @property
    def bot_token(self) -> str:
        """The newest bot token handed out (with token rotation, older ones live until they expire)."""
        with self._lock:
            return self._ws.bot_token

    @property
    def granted_scopes(self) -> list[str]:
        with self._lock:
            return list(self._ws.granted_scopes)

    @granted_scopes.setter
    def granted_scopes(self, scopes: Iterable[str]) -> None:
        """What the workspace's admin granted the bot (fewer than the app asks for, in a test)."""
        with self._lock:
            self._ws.granted_scopes = list(scopes)

    def rotate_tokens(self, *, lifetime_seconds: int = 12 * 3600) -> None:
        """Turn on token rotation (the app's setting): an OAuth install hands out a bot token
        that expires after ``lifetime_seconds`` (by this fake's clock) and a refresh token that
        oauth.v2.access (grant_type=refresh_token) exchanges once for the next pair."""
        with self._lock:
            self._ws.token_lifetime = lifetime_seconds

    def join_enterprise(self, enterprise_id: str, *, org_wide: bool = True) -> None:
        """Make this an Enterprise Grid org; with ``org_wide`` the app is installed for the whole
        org at once (is_enterprise_install): one bot token for every workspace in it."""
        with self._lock:
            self._ws.enterprise_id = enterprise_id
            self._ws.enterprise_install = org_wide

    @property
    def enterprise_id(self) -> str | None:
        with self._lock:
            return self._ws.enterprise_id

    @property
    def enterprise_install(self) -> bool:
        with self._lock:
            return self._ws.enterprise_install

    # --- users and channels -------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str,
        real_name: str | None = None,
        tz: str = "Europe/Berlin",
        is_bot: bool = False,
        deleted: bool = False,
        display_name: str = "",
        locale: str = "en-US",
    ) -> None:
        user = User(user_id, name, real_name or name, tz, is_bot, deleted, display_name, locale)
        user.to_api("", 0)  # fail here, not mid-request, on an unknown tz
        with self._lock:
            self._ws.users[user_id] = user

    @property
    def users(self) -> dict[str, User]:
        """Snapshot of the workspace's users (the bot user included)."""
        with self._lock:
            return {uid: dataclasses.replace(u) for uid, u in self._ws.users.items()}

    def set_user(self, user_id: str, **changes: Any) -> None:
        with self._lock:
            user = self._ws.users[user_id]
            for key, value in changes.items():
                if key == "id" or not hasattr(user, key):
                    raise TypeError(f"unknown user field: {key}")
                setattr(user, key, value)
            user.to_api("", 0)

    def user_api(self, user_id: str) -> Json:
        """The user as users.info (and the user_change event) show them."""
        with self._lock:
            return self._ws.user(user_id).to_api(self._ws.team_id, self.clock())

    def uninstall_app(self) -> None:
        """An admin removes the app: its bot token stops working until it is installed again
        through OAuth (the app hears of it through the app_uninstalled event)."""
        with self._lock:
            self._ws.installed = False

    def install_app(self) -> None:
        """An admin installs the app again from Slack's own pages (one workspace, no OAuth)."""
        with self._lock:
            self._ws.installed = True

    @property
    def installed(self) -> bool:
        with self._lock:
            return self._ws.installed

    def add_channel(self, channel_id: str) -> None:
        """A non-DM channel the bot is in (DMs are created on demand)."""
        with self._lock:
            self._ws.channels.setdefault(channel_id, None)

    def dm_channel(self, user_id: str) -> str:
        with self._lock:
            return self._ws.dm_channel(user_id)

    # --- serving ------------------------------------------------------------

    def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        if self._server is not None:
            raise RuntimeError("FakeSlack is already running")
        server = ThreadingWSGIServer((host, port), RequestHandler)
        server.set_app(self.wsgi_app)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},  # stop() waits up to one interval
            name="fakeslack",
            daemon=True,
        )
        self._thread.start()
        self._base_url = f"http://{host}:{server.server_address[1]}/api/"
        return self._base_url

    @property
    def socket_mode(self) -> Any:
        """Slack's Socket Mode end (socket_mode.SocketModeServer), started when first needed."""
        with self._lock:
            if self._socket_mode is None:
                from .socket_mode import SocketModeServer  # websockets: only where it is used

                server = SocketModeServer(app_id=self._app_id)
                server.start()
                self._socket_mode = server
            return self._socket_mode

    def stop(self) -> None:
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is not None:
            server.shutdown()
            server.server_close()
        if thread is not None:
            thread.join(timeout=5)

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("FakeSlack is not started; call start() first")
        return self._base_url

    def __enter__(self) -> FakeSlack:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def wsgi_app(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        """WSGI entry point; the API method is the last path segment, so any prefix works."""
        path = str(environ.get("PATH_INFO", "")).rstrip("/")
        prefix, _, method = path.rpartition("/")
        if prefix.endswith(files.UPLOAD_PATH.rstrip("/")):
            return self._receive_upload(method, environ, start_response)
        args, token = read_request(environ)
        if method == "files.getUploadURLExternal":
            # The upload URL points back at wherever this fake is mounted.
            host = (
                environ.get("HTTP_HOST")
                or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
            )
            args["_upload_base"] = f"http://{host}{environ.get('SCRIPT_NAME', '')}{prefix}/"
        if self.latency_seconds > 0:
            time.sleep(self.latency_seconds)  # outside the lock: slow calls overlap
        status, headers, body = self.handle(method, args, token)
        if status == 0:
            raise ResetConnection(method)
        payload = json.dumps(body).encode()
        headers = [
            ("Content-Type", "application/json; charset=utf-8"),
            ("Content-Length", str(len(payload))),
        ] + headers
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [payload]

    def handle(
        self, method: str, args: Json, token: str | None
    ) -> tuple[int, list[tuple[str, str]], Json]:
        """Answer one API call: (HTTP status (0 = reset), extra headers, JSON body)."""
        with self._lock:
            now = self.clock()
            status: int = 200
            headers: list[tuple[str, str]] = []
            body: Json = {}
            try:
                args = methods.normalize_args(args)
                fault = self._next_fault(method)
                if fault is not None:
                    status, headers, body = fault_answer(fault)
                else:
                    handler = methods.METHODS.get(method)
                    on_runs = functions.METHODS.get(method)
                    if handler is None and on_runs is None:
                        raise ApiError("unknown_method", details=method)
                    if method in methods.UNAUTHENTICATED:
                        pass
                    elif not token:
                        raise ApiError("not_authed")
                    elif method in methods.APP_TOKEN_METHODS and token != self.app_token:
                        raise ApiError("invalid_auth")
                    elif (
                        method not in methods.APP_TOKEN_METHODS
                        and not self._functions.token_ok(token, now)
                        and (problem := self._ws.token_problem(token))
                    ):
                        raise ApiError(problem)
                    elif not self._ws.installed:
                        raise ApiError("token_revoked")
                    else:
                        # Slack says on every answer what the token may do.
                        granted = self._ws.granted_scopes
                        headers.append(("x-oauth-scopes", ",".join(granted)))
                        needed = methods.SCOPE_OF.get(method)
                        if needed and needed not in granted:
                            raise ApiError(
                                "missing_scope",
                                details=needed,
                                extra={"needed": needed, "provided": ",".join(granted)},
                            )
                    retry_after = self._rate_limit(method, args, now)
                    if retry_after:
                        status, headers = 429, [("Retry-After", str(retry_after))]
                        raise ApiError("ratelimited", details=f"retry after {retry_after}s")
                    if method == "apps.connections.open":
                        args["_socket_url"] = self.socket_mode.issue_url()
                    if on_runs is not None:
                        body = {"ok": True, **on_runs(self._functions, args)}
                    else:
                        assert handler is not None
                        body = {"ok": True, **handler(self._ws, args)}
            except ApiError as exc:
                body = exc.body()
                refusal = {
                    "method": method,
                    "error": exc.error,
                    "details": exc.details,
                    "status": status,
                }
                # A stale hash, or an update of a modal the person closed meanwhile, is the
                # answer to a race the app expects and handles, not a malformed call: kept
                # apart so `rejections` stays a list of the app's mistakes.
                expected = exc.error == "hash_conflict" or exc.race
                (self.conflicts if expected else self.rejections).append(refusal)
            self.calls.append(Call(method, args, token, now, status, copy.deepcopy(body)))
            return status, headers, body

    # --- custom steps (Workflow Builder functions) ----------------------------

    def declare_functions(self, definitions: dict[str, Json]) -> None:
        """The app's functions, as its manifest declares them (`functions:`)."""
        with self._lock:
            self._functions.definitions = copy.deepcopy(definitions)

    def start_function(self, callback_id: str, inputs: Json) -> Json:
        """A workflow reaches the app's step: returns the function_executed event to deliver."""
        with self._lock:
            return functions.start_run(self._ws, self._functions, callback_id, inputs)

    def function_run(self, execution_id: str) -> functions.FunctionRun:
        """How a run stands: running, completed (with outputs) or failed (with the error)."""
        with self._lock:
            return dataclasses.replace(self._functions.runs[execution_id])

    def post_as(self, user_id: str, channel_id: str, text: str) -> Json:
        """A person writes a message in a channel (the app is in it): what shortcuts act on."""
        with self._lock:
            self._ws.channels.setdefault(channel_id, None)
            message = Message(self._ws.next_ts(), channel_id, text, None, None, None, user=user_id)
            self._ws.messages.setdefault(channel_id, []).append(message)
            return message.public(self._ws.bot_user_id)

    # --- what tests read ----------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def messages(self, channel_or_user_id: str) -> list[Json]:
        with self._lock:
            channel = self._ws.resolve(channel_or_user_id)
            return [m.public(self._ws.bot_user_id) for m in self._ws.messages.get(channel, [])]

    def ephemerals(self, user_id: str) -> list[Json]:
        with self._lock:
            return [copy.deepcopy(e) for e in self._ws.ephemerals if e["user"] == user_id]

    def home(self, user_id: str) -> Json | None:
        with self._lock:
            return copy.deepcopy(self._ws.homes.get(user_id))

    def field_errors(self, view_id: str) -> dict[str, str]:
        """The errors the person sees under the fields of a modal (block_id -> message)."""
        with self._lock:
            return dict(self._ws.field_errors.get(view_id) or {})

    def view_stack(self, user_id: str) -> list[Json]:
        with self._lock:
            return copy.deepcopy(self._ws.stacks.get(user_id, []))

    def issue_trigger(self, user_id: str) -> str:
        with self._lock:
            return self._ws.issue_trigger(user_id)

    def canvases(self) -> dict[str, Json]:
        """Every canvas the app created (canvases.create), by id."""
        with self._lock:
            return {k: dict(v) for k, v in self._ws.canvases.items()}

    def trigger_owner(self, trigger_id: str) -> str | None:
        """Whose click a trigger_id came from: who sees the modal opened with it."""
        with self._lock:
            trigger = self._ws.triggers.get(trigger_id)
            return trigger.user_id if trigger is not None else None

    def _receive_upload(
        self, file_id: str, environ: WSGIEnvironment, start_response: StartResponse
    ) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        content = environ["wsgi.input"].read(length) if length > 0 else b""
        with self._lock:
            ok = files.receive_upload(self._ws, file_id, content)
        status = "200 OK" if ok else "404 Not Found"
        body = f"OK - {len(content)}".encode() if ok else b"not found"
        start_response(status, [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    def shared_file(self, file_id: str) -> tuple[str, bytes] | None:
        """Name and bytes of a file the app shared in a channel (None if it never was)."""
        with self._lock:
            return files.shared_file(self._ws, file_id)

    def image_file(self, file_id: str) -> tuple[str, bytes] | None:
        """Name and bytes of an image file an image block may show (shared or private)."""
        with self._lock:
            return files.image_file(self._ws, file_id)

    def home_publishes(self, user_id: str | None = None) -> int:
        """How many App Homes were published (for one person), not counting refused ones."""
        with self._lock:
            return sum(
                1
                for call in self.calls
                if call.method == "views.publish"
                and call.response.get("ok")
                and (user_id is None or call.args.get("user_id") == user_id)
            )

    def close_views(self, user_id: str) -> None:
        with self._lock:
            for view in self._ws.stacks.pop(user_id, None) or []:
                self._ws.field_errors.pop(view["id"], None)
                self._ws.closed_views.add(view["id"])

    def close_top_view(self, user_id: str) -> None:
        """The person pressed Close on the top modal: Slack goes back to the one below it,
        unless the view asked for `clear_on_close`."""
        with self._lock:
            stack = self._ws.stacks.get(user_id) or []
            closed = stack[:] if len(stack) <= 1 or stack[-1].get("clear_on_close") else stack[-1:]
            for view in closed:
                self._ws.field_errors.pop(view["id"], None)
                self._ws.closed_views.add(view["id"])
            if len(closed) == len(stack):
                self._ws.stacks.pop(user_id, None)
            else:
                stack.pop()

    def apply_response_action(
        self, user_id: str, view_id: str, response: Json | None
    ) -> dict[str, str] | None:
        """Apply the app's view_submission ack like Slack does.

        Returns the errors mapping for ``response_action: errors``, else None. An invalid
        answer leaves the stack alone and is recorded in ``rejections`` (Slack would show
        the user a generic error). Raises ValueError when view_id is not the top view.
        """
        with self._lock:
            try:
                return methods.apply_response_action(self._ws, user_id, view_id, response)
            except ApiError as exc:
                self.rejections.append(
                    {
                        "method": "view_submission",
                        "error": exc.error,
                        "details": exc.details,
                        "status": 200,
                    }
                )
                return None

    # --- fault and limit injection ------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 500,
        retry_after: int = 1,
        reset: bool = False,
        count: int = 1,
    ) -> None:
        """The next ``count`` calls of ``method`` ("*" = any) fail before taking effect."""
        if not reset and not 400 <= status <= 599:
            raise ValueError(f"not an error status: {status}")
        with self._lock:
            fault = Fault(0 if reset else status, retry_after)
            self._faults.setdefault(method, []).extend([fault] * count)

    @property
    def failure_seed(self) -> int | None:
        return self._failure_seed

    @failure_seed.setter
    def failure_seed(self, seed: int | None) -> None:
        with self._lock:
            self._failure_seed = seed
            self._rng = random.Random(seed)

    def _next_fault(self, method: str) -> Fault | None:
        for key in (method, "*"):
            queue = self._faults.get(key)
            if queue:
                return queue.pop(0)
        if self.failure_rate > 0 and self._rng.random() < self.failure_rate:
            return Fault(self._rng.choice((500, 429, 0)), retry_after=1)
        return None

    def _rate_limit(self, method: str, args: Json, now: float) -> int:
        """Seconds to wait when chat.postMessage is over a limit, else 0."""
        if method != "chat.postMessage":
            return 0
        channel = args.get("channel")
        if isinstance(channel, str) and channel in self._ws.users:
            channel = "D" + channel  # a user id posts into that user's DM
        limits = [
            (f"channel:{channel}", self.per_channel_per_second),
            ("workspace", self.workspace_per_second),
        ]
        active = [(key, rate) for key, rate in limits if rate]
        waits = [
            math.ceil((1.0 - tokens) / rate)
            for key, rate in active
            if (tokens := self._buckets.peek(key, rate, now)) < 1.0
        ]
        if waits:
            return max(1, *waits)
        for key, rate in active:
            self._buckets.take(key, rate, now)
        return 0
