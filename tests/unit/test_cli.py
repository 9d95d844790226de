from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from slackapp import cli


def test_migrate_builds_the_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "SLACK_CLIENT_ID"):
        monkeypatch.delenv(name, raising=False)
    (tmp_path / "data").mkdir()  # a folder that does not exist is refused, not made up
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/data/sc.db")
    assert cli.main(["migrate"]) == 0
    assert "up to date" in capsys.readouterr().out
    tables = inspect(create_engine(f"sqlite:///{tmp_path}/data/sc.db")).get_table_names()
    assert {
        "plan",
        "step",
        "meeting_request",
        "feedback_schedule",
        "feedback_request",
        "due_work",
    } <= set(tables)


def test_run_picks_socket_mode_when_an_app_token_is_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_APP_TOKEN", "xapp-1")
    monkeypatch.delenv("SLACK_SIGNING_SECRET", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/sc.db")
    chosen: list[str] = []
    import slackapp.serve as serve

    monkeypatch.setattr(serve, "serve_socket_mode", lambda settings: chosen.append("socket"))
    monkeypatch.setattr(serve, "serve_http", lambda settings: chosen.append("http"))
    assert cli.main(["run"]) == 0
    assert chosen == ["socket"]
    monkeypatch.delenv("SLACK_APP_TOKEN")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    assert cli.main(["run"]) == 0
    assert chosen == ["socket", "http"]


def test_rotate_key_without_a_key_names_the_variable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s")
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.delenv("SLACK_CLIENT_ID", raising=False)
    monkeypatch.delenv("SECONDCHANCE_ENCRYPTION_KEY", raising=False)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path}/sc.db")
    assert cli.main(["rotate-key"]) == 2
    assert capsys.readouterr().err.startswith(
        "secondchance: SECONDCHANCE_ENCRYPTION_KEY is not set: it encrypts"
    )


def test_every_option_of_every_command_says_what_it_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    parser = cli.build_parser()
    [commands] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    assert set(commands.choices) == {"run", "migrate", "sandbox", "rotate-key", "doctor"}
    described = {c.dest for c in commands._choices_actions if c.help}
    assert described == set(commands.choices)
    for name, command in commands.choices.items():
        for option in command._actions:
            if isinstance(option, argparse._HelpAction):
                continue
            assert option.help, f"secondchance {name} {option.option_strings} has no help"
        with pytest.raises(SystemExit) as done:
            cli.main([name, "--help"])
        assert done.value.code == 0
        shown = capsys.readouterr().out
        for option in command._actions:
            if option.help and not isinstance(option, argparse._HelpAction):
                assert option.help.split(" (")[0] in " ".join(shown.split()), option.dest
