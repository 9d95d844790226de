"""The `secondchance` command: run, migrate, sandbox, rotate-key."""

from __future__ import annotations

import argparse
import sys

from slackapp.config import WHERE, SettingsError, load_settings
from slackapp.logging_setup import setup_logging


def _settings_or_exit():
    try:
        return load_settings()
    except SettingsError as error:
        print(f"secondchance: {error}", file=sys.stderr)
        raise SystemExit(2) from None


def cmd_migrate(_args: argparse.Namespace) -> int:
    from models.db import migrate

    settings = _settings_or_exit()
    setup_logging(settings.log_level)
    migrate(settings.database_url)
    print("The database is up to date.")
    return 0


def cmd_run(_args: argparse.Namespace) -> int:
    settings = _settings_or_exit()
    setup_logging(settings.log_level)
    if not settings.has_slack_credentials:
        print(
            "secondchance: SLACK_BOT_TOKEN is not set: it is the Bot User OAuth Token under "
            "OAuth & Permissions in your Slack app's settings (or try `secondchance sandbox`)",
            file=sys.stderr,
        )
        return 2
    if settings.oauth:
        from slackapp.secrets_at_rest import startup_key_problem

        # Now rather than at every send: a key that cannot read the stored tokens fails them all.
        problem = startup_key_problem(settings)
        if problem:
            print(f"secondchance: {problem}", file=sys.stderr)
            return 2
    if settings.database_url.startswith("sqlite"):
        # The embedded default looks after itself; PostgreSQL is migrated by `secondchance migrate`.
        from models.db import migrate

        migrate(settings.database_url)
    from slackapp.serve import serve_http, serve_socket_mode

    if settings.socket_mode:
        serve_socket_mode(settings)
    else:
        serve_http(settings)
    return 0


def cmd_rotate_key(_args: argparse.Namespace) -> int:
    from models.db import make_engine, make_session_factory
    from slackapp.installations import TokenCipher
    from slackapp.secrets_at_rest import VARIABLE, rotate_secrets, unreadable_text

    settings = _settings_or_exit()
    setup_logging(settings.log_level)
    if not settings.encryption_key:
        print(f"secondchance: {VARIABLE} is not set: {WHERE[VARIABLE]}", file=sys.stderr)
        return 2
    engine = make_engine(settings.database_url)
    try:
        done = rotate_secrets(make_session_factory(engine), TokenCipher(settings.encryption_key))
    finally:
        engine.dispose()
    if done.unreadable:
        print(f"secondchance: {unreadable_text(done.stored, done.unreadable)}", file=sys.stderr)
        print("Nothing was changed.", file=sys.stderr)
        return 2
    print(
        f"Re-encrypted {done.rotated} stored bot token(s) with the first key of {VARIABLE}; "
        "the other keys in it can now be removed."
    )
    if done.changed_meanwhile:
        print(
            f"{done.changed_meanwhile} changed while this ran (a workspace reinstalled): run "
            "`secondchance rotate-key` again.",
            file=sys.stderr,
        )
        return 1
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    from slackapp.sandbox.main import run_sandbox

    return run_sandbox(port=args.port, seed_demo=args.seed_demo, host=args.host)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="secondchance", description="Second Chance for Slack")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the app (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)")
    sub.add_parser("migrate", help="bring the database schema up to date")
    sub.add_parser(
        "rotate-key",
        help="re-encrypt the stored bot tokens with the first key of SECONDCHANCE_ENCRYPTION_KEY",
    )
    sandbox = sub.add_parser("sandbox", help="try the app in your browser, no Slack needed")
    sandbox.add_argument("--port", type=int, default=3000)
    sandbox.add_argument("--host", default="127.0.0.1")
    sandbox.add_argument("--seed-demo", action="store_true", help="fill in a demo journey")
    args = parser.parse_args(argv)
    handlers = {
        "run": cmd_run,
        "migrate": cmd_migrate,
        "sandbox": cmd_sandbox,
        "rotate-key": cmd_rotate_key,
    }
    return handlers[args.command](args)


if __name__ == "__main__":
    raise SystemExit(main())
