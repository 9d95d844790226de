"""manifest.yml, the Dockerfile and the scopes the code needs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from slackapp.scopes import BOT_SCOPES

ROOT = Path(__file__).resolve().parents[2]
# Slack's public app manifest JSON Schema (v1), kept in the repo so the check runs everywhere.
SCHEMA = ROOT / "tests" / "data" / "slack-manifest.schema.1.0.0.json"
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text())

# Every Web API method the app calls, and the bot scope it needs (None: no scope).
SCOPES = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "canvases.create": "canvases:write",
    "canvases.delete": "canvases:write",
    "chat.update": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.getPermalink": None,
    "conversations.open": "im:write",
    "conversations.history": "im:history",
    "users.info": "users:read",
    "views.open": None,
    "views.push": None,
    "views.update": None,
    "views.publish": None,
    # files_upload_v2: files.getUploadURLExternal + files.completeUploadExternal (data export)
    "files.upload_v2": "files:write",
    "files.delete": "files:write",  # "Delete my data" deletes the export files it uploaded
    # The Workflow Builder step's ending (no scope: docs.slack.dev, functions.completeSuccess).
    "functions.completeSuccess": None,
    "functions.completeError": None,
}


def test_manifest_passes_slacks_schema() -> None:
    import jsonschema

    jsonschema.validate(MANIFEST, json.loads(SCHEMA.read_text()))


def test_manifest_has_what_the_app_uses() -> None:
    assert MANIFEST["_metadata"]["major_version"] == 1
    features, settings = MANIFEST["features"], MANIFEST["settings"]
    assert features["app_home"] == {
        "home_tab_enabled": True,
        "messages_tab_enabled": True,
        "messages_tab_read_only_enabled": True,
    }
    assert [c["command"] for c in features["slash_commands"]] == ["/secondchance"]
    assert features["slash_commands"][0]["usage_hint"]
    assert set(settings["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
        "user_change",
    }
    assert settings["interactivity"]["is_enabled"] and settings["socket_mode_enabled"]
    assert {(s["type"], s["callback_id"]) for s in features["shortcuts"]} == {
        ("message", "plan_from_message"),
        ("global", "open_journey"),
    }
    step = MANIFEST["functions"]["request_feedback_from_manager"]
    assert step["title"] == "Request feedback from a manager"
    assert set(step["input_parameters"]) == {"interactivity", "employee", "manager", "questions"}
    assert not step["input_parameters"]["questions"]["is_required"]
    assert {"rating", "answers"} <= set(step["output_parameters"])
    assert settings["org_deploy_enabled"]  # custom steps need an org-ready app


def _called_methods() -> set[str]:
    """Web API methods called anywhere in the app's code (client.chat_postMessage -> chat.postMessage)."""
    found: set[str] = set()
    pattern = re.compile(
        r"\.(auth|chat|conversations|users|views|files|functions|canvases)_([a-zA-Z0-9_]+)\("
    )
    for path in (ROOT / "slackapp").rglob("*.py"):
        if "fakeslack" in path.parts:
            continue
        for family, name in pattern.findall(path.read_text()):
            found.add(f"{family}.{name}")
    return found


def test_every_called_method_has_its_scope_and_no_scope_is_spare() -> None:
    called = _called_methods()
    unknown = called - set(SCOPES)
    assert not unknown, f"add these methods and their scopes to SCOPES and manifest.yml: {unknown}"
    needed = {SCOPES[m] for m in called} - {None} | {"commands"}
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == needed
    assert set(BOT_SCOPES) == needed  # what the OAuth install asks for


def test_dockerfile_names_only_what_exists() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.\d+-slim", text, re.M)
    for source in re.findall(r"^COPY (\S+(?: \S+)*) \S+$", text, re.M):
        for name in source.split():
            assert (ROOT / name).exists(), f"Dockerfile copies {name}, which is not in the repo"
    assert "USER secondchance" in text and "useradd" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert 'CMD ["secondchance", "run"]' in text
    assert 'VOLUME ["/data"]' in text
    pyproject = (ROOT / "pyproject.toml").read_text()
    assert 'secondchance = "slackapp.cli:main"' in pyproject


def test_the_installed_package_carries_migrations_and_sandbox_files(tmp_path: Path) -> None:
    """What the Docker image installs with `pip install .` (not an editable checkout)."""
    import subprocess
    import sys
    import zipfile

    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    [wheel] = tmp_path.glob("secondchance-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "models/migrations/env.py" in names
    assert "models/migrations/script.py.mako" in names
    assert any(n.startswith("models/migrations/versions/0001_") for n in names)
    assert "slacksim/sandbox/templates/page.html.j2" in names
    assert "slacksim/sandbox/static/sandbox.js" in names
