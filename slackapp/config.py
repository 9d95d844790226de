"""Settings, read once at start-up from the environment (and `.env` when present)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_DATABASE_URL = "sqlite:///secondchance.db"


class SettingsError(Exception):
    """A missing or contradictory setting; the message is one line meant for the operator."""


@dataclass(frozen=True)
class Settings:
    slack_bot_token: str | None = None
    slack_signing_secret: str | None = None
    slack_app_token: str | None = None
    slack_client_id: str | None = None
    slack_client_secret: str | None = None
    encryption_key: str | None = None
    slack_api_url: str = DEFAULT_SLACK_API_URL
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "0.0.0.0"
    port: int = 3000
    scheduler_tick_seconds: float = 5.0
    # chat.postMessage calls per second for one workspace; Slack allows a few hundred a minute.
    workspace_messages_per_second: float = 2.0
    web_concurrency: int = 1
    log_level: str = "INFO"
    # Days a workspace's data is kept after an uninstall (and a deactivated person's after
    # Slack says so), so a reinstall within them finds everything as it was.
    retention_days: int = 30
    # GET /metrics in Prometheus text; and "json" for one JSON object per log line.
    metrics_enabled: bool = False
    log_format: str = "text"
    extra: Mapping[str, str] = field(default_factory=dict)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token)

    @property
    def oauth(self) -> bool:
        return bool(self.slack_client_id)

    @property
    def has_slack_credentials(self) -> bool:
        return bool(self.slack_bot_token or self.slack_client_id)


WHERE = {
    "SLACK_BOT_TOKEN": "it is the Bot User OAuth Token under OAuth & Permissions in your Slack app's settings",
    "SLACK_SIGNING_SECRET": "it is under Basic Information > App Credentials in your Slack app's settings",
    "SLACK_APP_TOKEN": "create an app-level token with the connections:write scope under Basic Information",
    "SLACK_CLIENT_SECRET": "it is under Basic Information > App Credentials in your Slack app's settings",
    "SECONDCHANCE_ENCRYPTION_KEY": "it encrypts the workspaces' bot tokens in the database; make one with "
    "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'",
}


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if value < minimum:
        raise SettingsError(f"{name} must be at least {minimum:g}, not {raw}")
    return value


DATABASE_FORMS = "sqlite:///path/to/file.db or postgresql+psycopg://user:password@host/db"


def _database_url(raw: str) -> str:
    """A database address the app can use: SQLite, or PostgreSQL through psycopg 3."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    if raw.startswith(("postgres://", "postgresql://")):
        # psycopg 3 is the driver we ship; SQLAlchemy would otherwise look for psycopg2.
        raw = "postgresql+psycopg://" + raw.split("://", 1)[1]
    try:
        url = make_url(raw)
    except ArgumentError:
        # Not echoed: an address that does not parse may still hold a password.
        raise SettingsError(
            f"DATABASE_URL is not a database address: use {DATABASE_FORMS}"
        ) from None
    backend, driver = url.get_backend_name(), url.get_driver_name()
    if (backend, driver) not in (("sqlite", "pysqlite"), ("postgresql", "psycopg")):
        shown = url.render_as_string(hide_password=True)
        raise SettingsError(
            f"DATABASE_URL must be a SQLite or PostgreSQL address ({DATABASE_FORMS}), not {shown}"
        )
    return raw


MOST_DEFAULT_PROCESSES = 4


def default_processes(database_url: str) -> int:
    """gunicorn's workers when WEB_CONCURRENCY is not set: one on SQLite (one file, and its
    send pace kept inside the process); on PostgreSQL, where the pace and the due work are
    shared, one per CPU this process may run on, at most MOST_DEFAULT_PROCESSES."""
    if database_url.startswith("sqlite"):
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, MOST_DEFAULT_PROCESSES))


def _whole(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    value = _number(env, name, default, minimum=minimum)
    if value != int(value):
        raise SettingsError(f"{name} must be a whole number, not {env.get(name, '').strip()}")
    return int(value)


def _flag(env: Mapping[str, str], name: str) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw in ("", "false", "0", "no", "off"):
        return False
    if raw in ("true", "1", "yes", "on"):
        return True
    raise SettingsError(f"{name} must be true or false, not {env.get(name, '').strip()!r}")


LOG_FORMATS = ("text", "json")


def load_settings(
    env: Mapping[str, str] | None = None, *, dotenv_path: str | None = ".env"
) -> Settings:
    """Read and check the settings. Raises SettingsError with one line naming the variable."""
    if env is None:
        if dotenv_path and Path(dotenv_path).is_file():
            from dotenv import load_dotenv

            load_dotenv(dotenv_path, override=False)
        env = os.environ

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    bot_token = get("SLACK_BOT_TOKEN")
    signing_secret = get("SLACK_SIGNING_SECRET")
    app_token = get("SLACK_APP_TOKEN")
    client_id = get("SLACK_CLIENT_ID")
    client_secret = get("SLACK_CLIENT_SECRET")

    if bot_token and client_id:
        raise SettingsError(
            "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set: use the bot token for one workspace "
            "or the client id and secret for many, not both"
        )
    if client_id and not client_secret:
        raise SettingsError(f"SLACK_CLIENT_SECRET is not set: {WHERE['SLACK_CLIENT_SECRET']}")
    encryption_key = get("SECONDCHANCE_ENCRYPTION_KEY")
    if client_id:
        if app_token:
            raise SettingsError(
                "SLACK_APP_TOKEN and SLACK_CLIENT_ID are both set: Socket Mode serves one "
                "workspace; installs through OAuth need HTTP mode, so unset SLACK_APP_TOKEN"
            )
        if not signing_secret:
            raise SettingsError(f"SLACK_SIGNING_SECRET is not set: {WHERE['SLACK_SIGNING_SECRET']}")
        if not encryption_key:
            raise SettingsError(
                f"SECONDCHANCE_ENCRYPTION_KEY is not set: {WHERE['SECONDCHANCE_ENCRYPTION_KEY']}"
            )
    if encryption_key:
        from slackapp.installations import valid_key

        if not valid_key(encryption_key):
            raise SettingsError(
                "SECONDCHANCE_ENCRYPTION_KEY is not a valid key, nor a comma-separated list of "
                f"them (the first encrypts, all decrypt): {WHERE['SECONDCHANCE_ENCRYPTION_KEY']}"
            )
    if bot_token and not bot_token.startswith("xoxb-"):
        raise SettingsError(f"SLACK_BOT_TOKEN should start with xoxb-: {WHERE['SLACK_BOT_TOKEN']}")
    if app_token and not app_token.startswith("xapp-"):
        raise SettingsError(f"SLACK_APP_TOKEN should start with xapp-: {WHERE['SLACK_APP_TOKEN']}")
    if app_token and not bot_token:
        raise SettingsError(f"SLACK_BOT_TOKEN is not set: {WHERE['SLACK_BOT_TOKEN']}")
    if bot_token and not app_token and not signing_secret:
        raise SettingsError(f"SLACK_SIGNING_SECRET is not set: {WHERE['SLACK_SIGNING_SECRET']}")
    if signing_secret and not bot_token and not client_id:
        raise SettingsError(f"SLACK_BOT_TOKEN is not set: {WHERE['SLACK_BOT_TOKEN']}")

    api_url = get("SLACK_API_URL") or DEFAULT_SLACK_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise SettingsError(f"SLACK_API_URL must be an http(s) URL, not {api_url!r}")
    if not api_url.endswith("/"):
        api_url += "/"

    database_url = _database_url(get("DATABASE_URL") or DEFAULT_DATABASE_URL)
    log_format = (get("LOG_FORMAT") or "text").lower()
    if log_format not in LOG_FORMATS:
        raise SettingsError(f"LOG_FORMAT must be text or json, not {get('LOG_FORMAT')!r}")

    return Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_client_id=client_id,
        slack_client_secret=client_secret,
        encryption_key=encryption_key,
        slack_api_url=api_url,
        database_url=database_url,
        host=get("HOST") or "0.0.0.0",
        port=int(_number(env, "PORT", 3000, minimum=0)),
        scheduler_tick_seconds=_number(env, "SCHEDULER_TICK_SECONDS", 5.0, minimum=0.1),
        workspace_messages_per_second=_number(
            env, "SLACK_WORKSPACE_MESSAGES_PER_SECOND", 2.0, minimum=0.01
        ),
        web_concurrency=int(
            _number(env, "WEB_CONCURRENCY", default_processes(database_url), minimum=1)
        ),
        retention_days=_whole(env, "SECONDCHANCE_RETENTION_DAYS", 30, minimum=0),
        log_level=(get("LOG_LEVEL") or "INFO").upper(),
        metrics_enabled=_flag(env, "METRICS_ENABLED"),
        log_format=log_format,
    )
