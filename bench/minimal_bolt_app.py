"""The baseline for bench/ack_latency.py: the smallest Bolt app that acks /secondchance and opens
a small modal, served by gunicorn exactly as `secondchance run` serves the real app.

    gunicorn -k gthread -w 1 --threads 16 bench.minimal_bolt_app:application

Reads SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET and SLACK_API_URL like the real app.
"""

from __future__ import annotations

import os
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

app = App(
    token=os.environ["SLACK_BOT_TOKEN"],
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
    token_verification_enabled=False,
    process_before_response=False,
)

SMALL_MODAL = {
    "type": "modal",
    "callback_id": "minimal",
    "title": {"type": "plain_text", "text": "Hello"},
    "close": {"type": "plain_text", "text": "Close"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello from plain Bolt."}}],
}


@app.command("/secondchance")
def open_modal(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=SMALL_MODAL)


handler = SlackRequestHandler(app)


def application(environ: dict[str, Any], start_response: Any) -> Any:
    if environ.get("PATH_INFO") == "/healthz":
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"status": "ok"}']
    return handler(environ, start_response)
