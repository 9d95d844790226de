from __future__ import annotations

import pytest

from slackapp.config import DEFAULT_DATABASE_URL, SettingsError, load_settings

GOOD = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}


def test_defaults() -> None:
    settings = load_settings(GOOD)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert (settings.host, settings.port) == ("0.0.0.0", 3000)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.retention_days == 30
    assert not settings.socket_mode


def test_retention_days() -> None:
    assert load_settings({**GOOD, "SECONDCHANCE_RETENTION_DAYS": "7"}).retention_days == 7
    assert load_settings({**GOOD, "SECONDCHANCE_RETENTION_DAYS": "0"}).retention_days == 0


@pytest.mark.parametrize(
    ("env", "names"),
    [
        (
            {"SLACK_BOT_TOKEN": "xoxb-1"},
            "SLACK_SIGNING_SECRET is not set: it is under Basic Information",
        ),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is not set"),
        ({"SLACK_APP_TOKEN": "xapp-1"}, "SLACK_BOT_TOKEN is not set"),
        ({**GOOD, "SLACK_APP_TOKEN": "xoxb-wrong"}, "SLACK_APP_TOKEN should start with xapp-"),
        ({**GOOD, "SLACK_CLIENT_ID": "1.2"}, "SLACK_BOT_TOKEN and SLACK_CLIENT_ID are both set"),
        ({"SLACK_CLIENT_ID": "1.2"}, "SLACK_CLIENT_SECRET is not set"),
        (
            {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"},
            "SECONDCHANCE_ENCRYPTION_KEY is not set: it encrypts the workspaces' bot tokens",
        ),
        (
            {
                "SLACK_CLIENT_ID": "1.2",
                "SLACK_CLIENT_SECRET": "c",
                "SLACK_SIGNING_SECRET": "s",
                "SECONDCHANCE_ENCRYPTION_KEY": "short",
            },
            "SECONDCHANCE_ENCRYPTION_KEY is not a valid key",
        ),
        ({**GOOD, "PORT": "eighty"}, "PORT must be a number"),
        ({**GOOD, "SCHEDULER_TICK_SECONDS": "0"}, "SCHEDULER_TICK_SECONDS must be at least"),
        ({**GOOD, "SLACK_API_URL": "slack.com"}, "SLACK_API_URL must be an http(s) URL"),
        (
            {**GOOD, "SECONDCHANCE_RETENTION_DAYS": "a month"},
            "SECONDCHANCE_RETENTION_DAYS must be a number",
        ),
        ({**GOOD, "SECONDCHANCE_RETENTION_DAYS": "-1"}, "SECONDCHANCE_RETENTION_DAYS must be at"),
        (
            {**GOOD, "SECONDCHANCE_RETENTION_DAYS": "1.5"},
            "SECONDCHANCE_RETENTION_DAYS must be a whole number",
        ),
    ],
)
def test_missing_or_contradictory_settings_name_the_variable(
    env: dict[str, str], names: str
) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(env)
    assert names in str(error.value)
    assert "\n" not in str(error.value)


def test_socket_mode_needs_no_signing_secret() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode


def test_postgres_urls_use_psycopg3() -> None:
    settings = load_settings({**GOOD, "DATABASE_URL": "postgres://u@h/db"})
    assert settings.database_url == "postgresql+psycopg://u@h/db"


def test_api_url_gets_a_trailing_slash() -> None:
    assert (
        load_settings({**GOOD, "SLACK_API_URL": "http://localhost:9/api"}).slack_api_url
        == "http://localhost:9/api/"
    )


def test_oauth_mode_for_many_workspaces() -> None:
    from cryptography.fernet import Fernet

    settings = load_settings(
        {
            "SLACK_CLIENT_ID": "1.2",
            "SLACK_CLIENT_SECRET": "c",
            "SLACK_SIGNING_SECRET": "s",
            "SECONDCHANCE_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        }
    )
    assert settings.oauth and settings.has_slack_credentials and not settings.slack_bot_token
