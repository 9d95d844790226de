from __future__ import annotations

import pytest
from cryptography.fernet import Fernet, InvalidToken

from slackapp.config import DEFAULT_DATABASE_URL, SettingsError, load_settings
from slackapp.installations import TokenCipher, valid_key

GOOD = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s3cret"}


def test_defaults() -> None:
    settings = load_settings(GOOD)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert (settings.host, settings.port) == ("0.0.0.0", 3000)
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.retention_days == 30
    assert not settings.socket_mode


def test_metrics_and_log_format() -> None:
    settings = load_settings(GOOD)
    assert (settings.metrics_enabled, settings.log_format) == (False, "text")
    settings = load_settings({**GOOD, "METRICS_ENABLED": "true", "LOG_FORMAT": "JSON"})
    assert (settings.metrics_enabled, settings.log_format) == (True, "json")
    with pytest.raises(SettingsError, match="METRICS_ENABLED must be true or false"):
        load_settings({**GOOD, "METRICS_ENABLED": "sometimes"})
    with pytest.raises(SettingsError, match="LOG_FORMAT must be text or json"):
        load_settings({**GOOD, "LOG_FORMAT": "xml"})


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


OAUTH = {"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "c", "SLACK_SIGNING_SECRET": "s"}


def test_the_encryption_key_may_be_a_list_the_first_encrypts_all_decrypt() -> None:
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings = load_settings({**OAUTH, "SECONDCHANCE_ENCRYPTION_KEY": f" {new} , {old} "})
    assert settings.encryption_key is not None
    cipher = TokenCipher(settings.encryption_key)
    from_before = Fernet(old.encode()).encrypt(b"xoxb-old").decode()
    assert cipher.decrypt(from_before) == "xoxb-old"  # the old key still reads
    written = cipher.encrypt("xoxb-new")
    assert Fernet(new.encode()).decrypt(written.encode()) == b"xoxb-new"  # the new one writes
    with pytest.raises(InvalidToken):
        Fernet(old.encode()).decrypt(written.encode())
    assert Fernet(new.encode()).decrypt(cipher.rotate(from_before).encode()) == b"xoxb-old"


@pytest.mark.parametrize(
    "value",
    [
        "{new},not-a-key",
        "{new},,{old}",
        "{new},",
        "{new}{old}",
        "{new}junk",  # Fernet alone reads up to the padding and would take this
        "{new};{old}",
    ],
)
def test_a_list_with_anything_but_keys_names_the_variable(value: str) -> None:
    new, old = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    key = value.format(new=new, old=old)
    assert not valid_key(key)
    with pytest.raises(SettingsError) as error:
        load_settings({**OAUTH, "SECONDCHANCE_ENCRYPTION_KEY": key})
    message = str(error.value)
    assert message.startswith("SECONDCHANCE_ENCRYPTION_KEY is not a valid key, nor a comma")
    assert "\n" not in message and new not in message  # the key itself is never echoed


def test_a_bad_encryption_key_is_refused_even_with_one_workspace() -> None:
    with pytest.raises(SettingsError, match="SECONDCHANCE_ENCRYPTION_KEY is not a valid key"):
        load_settings({**GOOD, "SECONDCHANCE_ENCRYPTION_KEY": "short"})


def test_processes_default_to_the_cpus_on_postgresql_and_one_on_sqlite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pg = {**GOOD, "DATABASE_URL": "postgresql+psycopg://app@db/secondchance"}
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: {0, 1}, raising=False)
    assert load_settings(pg).web_concurrency == 2
    assert load_settings(GOOD).web_concurrency == 1  # SQLite: one process, its pace its own
    monkeypatch.setattr("os.sched_getaffinity", lambda _pid: set(range(32)), raising=False)
    assert load_settings(pg).web_concurrency == 4  # at most four by default
    assert load_settings({**pg, "WEB_CONCURRENCY": "6"}).web_concurrency == 6
    assert load_settings({**GOOD, "WEB_CONCURRENCY": "3"}).web_concurrency == 3
