"""compose.yaml and the lock files, checked against what the app reads and runs (Docker and
the package index are not needed: the files are read as Docker and pip would read them)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import yaml
from sqlalchemy import make_url

from slackapp.cli import build_parser
from slackapp.config import load_settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]


class Reading(Mapping[str, str]):
    """An environment that remembers every variable asked of it."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values = values
        self.asked: set[str] = set()

    def __getitem__(self, key: str) -> str:
        self.asked.add(key)
        return self.values[key]

    def get(self, key: str, default: object = None):  # type: ignore[override]
        self.asked.add(key)
        return self.values.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def read_by_the_app() -> set[str]:
    env = Reading({})
    load_settings(env)
    return env.asked


def interpolate(value: object, env: Mapping[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error}."""

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if env.get(name):
            return env[name]
        if op == ":?":
            raise KeyError(f"{name}: {arg}")
        return arg or ""

    return re.sub(r"\$\{([A-Z_][A-Z0-9_]*)(?:(:-|:\?)([^}]*))?\}", one, str(value))


def environment(service: str, env: Mapping[str, str]) -> dict[str, str]:
    return {k: interpolate(v, env) for k, v in SERVICES[service]["environment"].items()}


def test_compose_runs_postgresql_a_one_shot_migrate_then_the_app() -> None:
    assert set(SERVICES) == {"db", "migrate", "app"}
    commands = set(build_parser()._subparsers._group_actions[0].choices)  # type: ignore[union-attr]
    assert SERVICES["migrate"]["command"] == ["secondchance", "migrate"]
    assert SERVICES["app"]["command"] == ["secondchance", "run"]
    assert {"migrate", "run"} <= commands
    assert SERVICES["migrate"]["restart"] == "no"  # one shot
    assert SERVICES["migrate"]["depends_on"] == {"db": {"condition": "service_healthy"}}
    assert SERVICES["app"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "migrate": {"condition": "service_completed_successfully"},
    }
    # The app's image is the one migrate builds from the Dockerfile.
    assert SERVICES["migrate"]["build"] == "." and (ROOT / "Dockerfile").is_file()
    assert SERVICES["app"]["image"] == SERVICES["migrate"]["image"]
    assert SERVICES["db"]["image"].startswith("postgres:")
    assert "pg_isready" in SERVICES["db"]["healthcheck"]["test"]


def test_the_app_is_checked_where_it_listens() -> None:
    env = environment("app", {"POSTGRES_PASSWORD": "pw"})
    health = " ".join(SERVICES["app"]["healthcheck"]["test"])
    assert f"http://127.0.0.1:{env['PORT']}/healthz" in health
    assert SERVICES["app"]["ports"] == [f"{env['PORT']}:{env['PORT']}"]
    assert env["HOST"] == "0.0.0.0"


def test_compose_passes_every_setting_the_app_reads_and_only_those() -> None:
    app = set(SERVICES["app"]["environment"])
    assert app == read_by_the_app(), (
        "compose.yaml's app service and load_settings() disagree: missing "
        f"{sorted(read_by_the_app() - app)}, unknown {sorted(app - read_by_the_app())}"
    )
    assert set(SERVICES["migrate"]["environment"]) <= read_by_the_app()


def test_both_reach_the_database_compose_starts() -> None:
    env = {"POSTGRES_PASSWORD": "s3cret"}
    db = environment("db", env)
    for service in ("migrate", "app"):
        settings = load_settings(environment(service, env))
        url = make_url(settings.database_url)
        assert (url.drivername, url.host, url.port) == ("postgresql+psycopg", "db", 5432)
        assert (url.username, url.password, url.database) == (
            db["POSTGRES_USER"],
            "s3cret",
            db["POSTGRES_DB"],
        )
    with pytest.raises(KeyError, match="POSTGRES_PASSWORD"):
        environment("db", {})  # no default password


def test_compose_with_one_workspaces_settings_loads() -> None:
    """What an operator's .env fills in becomes valid settings (empty ones mean unset)."""
    env = {
        "POSTGRES_PASSWORD": "pw",
        "SLACK_BOT_TOKEN": "xoxb-1",
        "SLACK_SIGNING_SECRET": "secret",
    }
    settings = load_settings(environment("app", env))
    assert settings.slack_bot_token == "xoxb-1" and not settings.socket_mode
    assert settings.scheduler_tick_seconds == 5.0  # the app's own default


# --- the lock files -----------------------------------------------------------------------------

LOCKS = [ROOT / "requirements" / "lock.txt", ROOT / "requirements" / "dev-lock.txt"]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def pins(lock: Path) -> dict[str, str]:
    found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock.read_text(), re.M)
    return {name.lower().replace("_", "-"): version for name, version in found}


def names(requirements: list[str]) -> set[str]:
    return {
        re.split(r"[\[<>=!~; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements
    }


def test_the_locks_pin_every_dependency_with_hashes() -> None:
    app, dev = pins(LOCKS[0]), pins(LOCKS[1])
    assert names(PROJECT["dependencies"]) <= set(app), "run scripts/lock"
    assert names(PROJECT["dependencies"] + PROJECT["optional-dependencies"]["dev"]) <= set(dev)
    assert {k: dev[k] for k in app} == app  # the development lock keeps the app's pins
    for lock in LOCKS:
        blocks = re.split(r"\n(?=[A-Za-z0-9])", lock.read_text())
        for block in blocks:
            if "==" in block.splitlines()[0]:
                assert "--hash=sha256:" in block, block.splitlines()[0]


def test_the_locks_match_pyproject() -> None:
    for lock in LOCKS:
        check = subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "deps-fingerprint"), "--check", str(lock)],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stderr


def test_a_dependency_not_in_the_lock_stops_setup_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "deps-fingerprint", tmp_path / "scripts")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    text = (ROOT / "pyproject.toml").read_text()
    added = text.replace("dependencies = [\n", 'dependencies = [\n    "holidays>=0.50",\n', 1)
    assert added != text
    (tmp_path / "pyproject.toml").write_text(added)
    check = subprocess.run(
        [sys.executable, "scripts/deps-fingerprint", "--check", "requirements/dev-lock.txt"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 1
    assert check.stderr.splitlines() == [
        "requirements/dev-lock.txt does not match the dependencies in pyproject.toml: "
        "run scripts/lock"
    ]


def test_setup_and_the_image_install_from_the_locks() -> None:
    setup = (ROOT / "scripts" / "setup").read_text()
    assert "deps-fingerprint --check" in setup
    assert '--require-hashes -r "$lock"' in setup and "--no-deps -e ." in setup
    docker = (ROOT / "Dockerfile").read_text()
    assert "pip install --require-hashes -r requirements/lock.txt" in docker
    assert "pip install --no-deps ." in docker
