"""Custom steps (Workflow Builder functions): a run of one of the app's functions, the
`function_executed` event it starts with, and functions.completeSuccess / completeError.

As Slack documents them (docs.slack.dev: the function_executed event, functions.completeSuccess
and functions.completeError): each run carries a `bot_access_token` that works like the bot
token until the run ends or 15 minutes pass; a run ends once, with outputs that must match the
function's output parameters (`parameter_validation_failed` otherwise);
`execution_not_in_running_state` after it ended, `function_execution_not_found` for an unknown id.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from .state import ApiError, Json, Workspace

FUNCTION_TOKEN_TTL_SECONDS = 15 * 60

# Slack's parameter types and the JSON values they take (what the fake checks of outputs).
_STRING_TYPES = {
    "string",
    "slack#/types/user_id",
    "slack#/types/channel_id",
    "slack#/types/usergroup_id",
    "slack#/types/date",
    "slack#/types/message_ts",
    "slack#/types/timestamp",
}


@dataclass
class FunctionRun:
    execution_id: str
    callback_id: str
    inputs: Json
    token: str
    started_at: float
    state: str = "running"  # running | completed | failed
    outputs: Json | None = None
    error: str | None = None


@dataclass
class Functions:
    """The app's function definitions (its manifest's `functions`) and their runs."""

    definitions: dict[str, Json] = field(default_factory=dict)
    runs: dict[str, FunctionRun] = field(default_factory=dict)

    def token_ok(self, token: str | None, now: float) -> bool:
        return any(
            run.token == token
            and run.state == "running"
            and now - run.started_at < FUNCTION_TOKEN_TTL_SECONDS
            for run in self.runs.values()
        )


def _parameters(definition: Json, key: str) -> list[Json]:
    """A manifest's parameters ({name: {type, title, is_required}}) as the event lists them."""
    params = definition.get(key) or {}
    return [
        {
            "type": spec.get("type"),
            "name": name,
            "title": spec.get("title", name),
            "description": spec.get("description", ""),
            "is_required": bool(spec.get("is_required")),
        }
        for name, spec in params.items()
    ]


def start_run(ws: Workspace, functions: Functions, callback_id: str, inputs: Json) -> Json:
    """A workflow reaches the app's step: a new run, and its function_executed event."""
    definition = functions.definitions.get(callback_id)
    if definition is None:
        raise KeyError(f"the app declares no function {callback_id!r}")
    # Workflow Builder does not let a workflow be saved without a required input.
    missing = [
        name
        for name, spec in (definition.get("input_parameters") or {}).items()
        if spec.get("is_required") and inputs.get(name) in (None, "")
    ]
    if missing:
        raise ValueError(f"a run of {callback_id!r} needs {missing}")
    n = len(functions.runs) + 1
    run = FunctionRun(
        execution_id=f"Fx{n:010d}",
        callback_id=callback_id,
        inputs=dict(inputs),
        token=f"xwfp-{ws.team_id}-{secrets.token_hex(8)}",
        started_at=ws.clock(),
    )
    functions.runs[run.execution_id] = run
    return {
        "type": "function_executed",
        "function": {
            "id": f"Fn{abs(hash(callback_id)) % 10**10:010d}",
            "callback_id": callback_id,
            "title": definition.get("title", callback_id),
            "description": definition.get("description", ""),
            "type": "app",
            "input_parameters": _parameters(definition, "input_parameters"),
            "output_parameters": _parameters(definition, "output_parameters"),
            "app_id": ws.app_id,
            "date_created": int(run.started_at),
            "date_updated": int(run.started_at),
            "date_deleted": 0,
        },
        "inputs": dict(inputs),
        "function_execution_id": run.execution_id,
        "workflow_execution_id": f"Wx{n:010d}",
        "event_ts": f"{time.time():.6f}",
        "bot_access_token": run.token,
    }


def _running(functions: Functions, args: Json) -> FunctionRun:
    execution_id = args.get("function_execution_id")
    if not isinstance(execution_id, str) or not execution_id:
        raise ApiError("invalid_arguments", details="function_execution_id is required")
    run = functions.runs.get(execution_id)
    if run is None:
        raise ApiError("function_execution_not_found", details=execution_id)
    if run.state != "running":
        raise ApiError("execution_not_in_running_state", details=execution_id)
    return run


def _check_outputs(definition: Json, outputs: Any) -> Json:
    if not isinstance(outputs, dict):
        raise ApiError("parameter_validation_failed", details="outputs must be an object")
    declared = definition.get("output_parameters") or {}
    problems = [
        f"{name} is required"
        for name, spec in declared.items()
        if spec.get("is_required") and outputs.get(name) in (None, "")
    ]
    problems += [f"{name} is not declared" for name in outputs if name not in declared]
    for name, value in outputs.items():
        kind = (declared.get(name) or {}).get("type")
        if kind in _STRING_TYPES and not isinstance(value, str):
            problems.append(f"{name} must be a string")
        if kind == "boolean" and not isinstance(value, bool):
            problems.append(f"{name} must be a boolean")
    if problems:
        raise ApiError("parameter_validation_failed", details="; ".join(problems))
    return dict(outputs)


def complete_success(functions: Functions, args: Json) -> Json:
    run = _running(functions, args)
    run.outputs = _check_outputs(functions.definitions[run.callback_id], args.get("outputs"))
    run.state = "completed"
    return {}


def complete_error(functions: Functions, args: Json) -> Json:
    run = _running(functions, args)
    error = args.get("error")
    if not isinstance(error, str) or not error.strip():
        raise ApiError("invalid_arguments", details="error is required")
    run.error, run.state = error, "failed"
    return {}


# Methods on the runs (no scope needed, the bot token or the run's own token).
METHODS = {
    "functions.completeSuccess": complete_success,
    "functions.completeError": complete_error,
}
