"""`secondchance doctor`: is this installation healthy, and if not, what to do about it.

Each check gives one finding, OK, WARN or FAIL, with what was found and, when it is not OK,
what to do. Nothing is changed, except that an expiring rotated token is refreshed as the app
itself would refresh it. The exit status is 0 only when nothing failed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime

from cryptography.fernet import InvalidToken
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from models import DueWork, DueWorkStatus, Installation, Workspace
from models.db import (
    DatabaseProblem,
    alembic_config,
    check_database,
    error_reason,
    make_engine,
    make_session_factory,
)
from slackapp.config import Settings, SettingsError, load_settings
from slackapp.kernel.clock import Clock, SystemClock
from slackapp.scopes import BOT_SCOPES
from slackapp.slack_client import make_web_client

OK, WARN, FAIL = "OK", "WARN", "FAIL"

# Past these, the clocks disagree enough to matter: due work is judged by the app's clock and
# leases by every process's, and Slack refuses requests signed more than 5 minutes away.
CLOCK_WARN = timedelta(seconds=2)
CLOCK_FAIL = timedelta(seconds=30)
SLACK_CLOCK_FAIL = timedelta(minutes=5)
# Due work this late means no scheduler is sending (a tick is seconds).
LATE_WARN = timedelta(minutes=5)
LATE_FAIL = timedelta(hours=1)


@dataclass(frozen=True)
class Finding:
    check: str
    status: str
    message: str
    fix: str = ""

    def line(self) -> str:
        text = f"{self.status:<4}  {self.check}: {self.message}"
        return f"{text}\n      -> {self.fix}" if self.fix else text


def diagnose(env: Mapping[str, str] | None = None, *, clock: Clock | None = None) -> list[Finding]:
    return list(_checks(env, clock or SystemClock()))


def _checks(env: Mapping[str, str] | None, clock: Clock) -> Iterator[Finding]:
    try:
        settings = load_settings(env) if env is not None else load_settings()
    except SettingsError as error:
        yield Finding(
            "settings", FAIL, str(error), "fix the setting named, in .env or the environment"
        )
        return
    yield _settings(settings)
    try:
        check_database(settings.database_url)
    except DatabaseProblem as problem:
        yield Finding(
            "database",
            FAIL,
            str(problem),
            "start the database or correct DATABASE_URL; the checks that need it were skipped",
        )
        if settings.slack_bot_token:
            yield from _token_findings("SLACK_BOT_TOKEN", settings.slack_bot_token, settings, clock)
        return
    engine = make_engine(settings.database_url)
    try:
        yield Finding("database", OK, f"{_where(settings.database_url)} answers")
        migrations = _migrations(engine, settings.database_url)
        yield migrations
        if settings.slack_bot_token:
            yield from _token_findings("SLACK_BOT_TOKEN", settings.slack_bot_token, settings, clock)
        elif settings.oauth and migrations.status != FAIL:
            yield from _installed_tokens(engine, settings, clock)
        if migrations.status != FAIL:
            yield _scheduler(engine, clock)
        yield _database_clock(engine, clock)
    finally:
        engine.dispose()


def _where(url: str) -> str:
    from sqlalchemy import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite at {parsed.database}"
    return f"PostgreSQL at {parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


def _settings(settings: Settings) -> Finding:
    if settings.socket_mode:
        mode = "Socket Mode, one workspace"
    elif settings.oauth:
        mode = "HTTP, many workspaces (OAuth installs)"
    elif settings.slack_bot_token:
        mode = "HTTP, one workspace"
    else:
        return Finding(
            "settings",
            WARN,
            "no Slack credentials: only `secondchance sandbox` can run",
            "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET "
            "(many), see README.md",
        )
    return Finding("settings", OK, f"valid ({mode})")


def _migrations(engine: Engine, url: str) -> Finding:
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(url))
    heads = set(script.get_heads())
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
    except SQLAlchemyError as error:
        return Finding("migrations", FAIL, error_reason(error), "run `secondchance migrate`")
    if current == heads:
        return Finding("migrations", OK, f"at head ({', '.join(sorted(heads))})")
    known = {revision.revision for revision in script.walk_revisions()}
    if current - known:
        return Finding(
            "migrations",
            FAIL,
            f"the database is at {', '.join(sorted(current - known))}, which this version of "
            "the app does not know: a newer version migrated it",
            "run the newer version of the app, or restore the backup taken before its upgrade",
        )
    pending = [
        f"{revision.revision} {revision.doc}".strip()
        for revision in script.iterate_revisions(tuple(heads), tuple(current) or "base")
    ]
    count = f"{len(pending)} migration{'s' if len(pending) != 1 else ''}"
    return Finding(
        "migrations",
        FAIL,
        f"the database is {count} behind the code (not applied: {', '.join(reversed(pending))})",
        "run `secondchance migrate` (then restart the app)",
    )


def _slack_clock(date_header: str | None, clock: Clock) -> Finding | None:
    if not date_header:
        return None
    try:
        slack_now = parsedate_to_datetime(date_header)
    except (TypeError, ValueError):
        return None
    skew = abs(clock.now() - slack_now)
    if skew < SLACK_CLOCK_FAIL:
        return None
    return Finding(
        "clock",
        FAIL,
        f"this machine's clock is {int(skew.total_seconds())} s away from Slack's: Slack's "
        "requests will look stale and be refused",
        "synchronise the clock (NTP)",
    )


def _token_findings(name: str, token: str, settings: Settings, clock: Clock) -> Iterator[Finding]:
    client = make_web_client(token=token, base_url=settings.slack_api_url, timeout=10)
    client.retry_handlers = []  # a doctor reports what it finds, at once
    try:
        answer = client.auth_test()
    except SlackApiError as error:
        reason = error.response.get("error") if error.response is not None else "no answer"
        fix = {
            "invalid_auth": "the token is wrong: copy the Bot User OAuth Token again",
            "token_revoked": "the app was uninstalled: install it again",
            "account_inactive": "the app was uninstalled: install it again",
            "token_expired": "the token expired and could not be refreshed: install the app again",
        }.get(str(reason), "check the token and SLACK_API_URL")
        yield Finding(f"slack {name}", FAIL, f"auth.test says {reason}", fix)
        return
    except OSError as error:
        yield Finding(
            f"slack {name}",
            FAIL,
            f"cannot reach Slack at {settings.slack_api_url}: {error}",
            "check the network, a proxy, or SLACK_API_URL",
        )
        return
    team = answer.get("team") or answer.get("enterprise_id") or "?"
    yield Finding(
        f"slack {name}",
        OK,
        f"auth.test: the bot {answer.get('user_id')} of {team} ({answer.get('team_id') or answer.get('enterprise_id')})",
    )
    granted = {s.strip() for s in str(answer.headers.get("x-oauth-scopes", "")).split(",") if s}
    missing = [scope for scope in BOT_SCOPES if scope not in granted]
    if missing:
        yield Finding(
            f"scopes {name}",
            FAIL,
            f"the token lacks {', '.join(missing)} (manifest.yml asks for {', '.join(BOT_SCOPES)})",
            "add the missing scopes under OAuth & Permissions (or paste manifest.yml again), "
            "then reinstall the app to the workspace",
        )
    else:
        extra = sorted(granted - set(BOT_SCOPES))
        note = f"; also granted, unused: {', '.join(extra)}" if extra else ""
        yield Finding(f"scopes {name}", OK, f"every scope manifest.yml asks for{note}")
    skew = _slack_clock(answer.headers.get("date") or answer.headers.get("Date"), clock)
    if skew is not None:
        yield skew


def _installed_tokens(engine: Engine, settings: Settings, clock: Clock) -> Iterator[Finding]:
    from slackapp.installations import TokenCipher
    from slackapp.token_rotation import TokenRefresher

    assert settings.encryption_key
    cipher = TokenCipher(settings.encryption_key)
    factory = make_session_factory(engine)
    refresher = TokenRefresher(
        session_factory=factory,
        cipher=cipher,
        clock=clock,
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret,
        api_url=settings.slack_api_url,
    )
    with factory() as session:
        rows = session.execute(
            select(Installation, Workspace)
            .join(Workspace, Workspace.id == Installation.workspace_id)
            .order_by(Workspace.id)
        ).all()
    if not rows:
        yield Finding(
            "installs",
            WARN,
            "no workspace has installed the app yet",
            "install it from /slack/install on the app's public address",
        )
        return
    for row, workspace in rows:
        name = workspace.team_id or f"org {workspace.enterprise_id}"
        try:
            token = refresher.token(row)
        except InvalidToken:
            yield Finding(
                f"slack {name}",
                FAIL,
                "SECONDCHANCE_ENCRYPTION_KEY cannot decrypt its stored bot token",
                "put the key it was encrypted with back in the list (after the new one)",
            )
            continue
        yield from _token_findings(name, token, settings, clock)
        with factory() as session:  # as it is now that the token may have been refreshed
            expires_at = session.scalar(
                select(Installation.bot_token_expires_at).where(Installation.id == row.id)
            )
        if expires_at is not None:
            left = expires_at - clock.now()
            yield Finding(
                f"rotation {name}",
                OK if left > timedelta(0) else FAIL,
                f"token rotation on: the bot token expires in {_ago(left)}, and is refreshed "
                "at its first use in the last 2 h"
                if left > timedelta(0)
                else "token rotation on, and the bot token has expired without being refreshed",
                ""
                if left > timedelta(0)
                else "see the app's log for the refusal; install the app again",
            )


def _scheduler(engine: Engine, clock: Clock) -> Finding:
    now = clock.now()
    with Session(engine) as session:
        due = (DueWork.status == DueWorkStatus.PENDING.value) & (DueWork.due_at <= now)
        count, oldest = session.execute(
            select(func.count(), func.min(DueWork.due_at)).where(due)
        ).one()
        failed = session.scalar(
            select(func.count()).where(
                DueWork.status == DueWorkStatus.FAILED.value,
                DueWork.finished_at >= now - timedelta(days=1),
            )
        )
    if not count:
        message = "nothing due waiting"
        late = timedelta(0)
    else:
        if oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        late = now - oldest
        message = (
            f"{count} due item{'s' if count != 1 else ''} waiting; the oldest was due "
            f"{_ago(late)} ago ({oldest:%Y-%m-%d %H:%M} UTC)"
        )
    if failed:
        message += f"; {failed} gave up in the last day"
    if late >= LATE_FAIL:
        return Finding(
            "scheduler",
            FAIL,
            message,
            "no scheduler is sending: is `secondchance run` running? Its log says why",
        )
    if late >= LATE_WARN or failed:
        return Finding(
            "scheduler",
            WARN,
            message,
            "look at the app's log for errors from Slack; a backlog drains at the workspace rate",
        )
    return Finding("scheduler", OK, message)


def _ago(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h"


def _database_clock(engine: Engine, clock: Clock) -> Finding:
    try:
        with engine.connect() as connection:
            if engine.dialect.name == "postgresql":
                db_now = connection.execute(text("SELECT now()")).scalar_one()
            else:
                raw = connection.execute(
                    text("SELECT strftime('%Y-%m-%d %H:%M:%f', 'now')")
                ).scalar_one()
                db_now = datetime.fromisoformat(raw).replace(tzinfo=UTC)
    except SQLAlchemyError as error:
        return Finding("clock", WARN, f"could not read the database's clock: {error_reason(error)}")
    skew = abs(clock.now() - db_now)
    message = f"this machine and the database agree within {skew.total_seconds():.1f} s"
    if skew >= CLOCK_FAIL:
        return Finding(
            "clock",
            FAIL,
            f"this machine's clock is {int(skew.total_seconds())} s away from the database's",
            "synchronise the clocks (NTP) of every machine the app and the database run on",
        )
    if skew >= CLOCK_WARN:
        return Finding("clock", WARN, message, "synchronise the clocks (NTP)")
    return Finding("clock", OK, message)


def report(findings: list[Finding], *, as_json: bool) -> str:
    ok = not any(f.status == FAIL for f in findings)
    if as_json:
        return json.dumps({"ok": ok, "checks": [asdict(f) for f in findings]}, indent=2)
    failed = sum(1 for f in findings if f.status == FAIL)
    warned = sum(1 for f in findings if f.status == WARN)
    summary = "All is well." if ok and not warned else f"{failed} failed, {warned} to look at."
    return "\n".join([*(f.line() for f in findings), summary])
