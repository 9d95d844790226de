from __future__ import annotations

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
    assert {"plan", "step", "meeting_request", "cadence", "feedback_request", "due_work"} <= set(
        tables
    )


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
