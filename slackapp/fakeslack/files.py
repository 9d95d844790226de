"""File uploads the way Slack's current API takes them: ask for an upload URL, send the bytes
there, then complete the upload into a channel (what slack_sdk's files_upload_v2 does)."""

from __future__ import annotations

import json
from typing import Any

from .state import ApiError, Message, Workspace

Json = dict[str, Any]

UPLOAD_PATH = "/_upload/"


def get_upload_url_external(ws: Workspace, args: Json) -> Json:
    filename = str(args.get("filename") or "")
    if not filename:
        raise ApiError("invalid_arguments", ["[ERROR] filename is required"])
    try:
        length = int(args.get("length") or 0)
    except (TypeError, ValueError):
        raise ApiError("invalid_arguments", ["[ERROR] length must be a number"]) from None
    file_id = f"F{ws.next_ts().replace('.', '')}"
    ws.uploads[file_id] = b""
    base = str(args.get("_upload_base") or "")
    return {
        "upload_url": f"{base}{UPLOAD_PATH.strip('/')}/{file_id}",
        "file_id": file_id,
        "length": length,
    }


def receive_upload(ws: Workspace, file_id: str, content: bytes) -> bool:
    if file_id not in ws.uploads:
        return False
    ws.uploads[file_id] = content
    return True


def complete_upload_external(ws: Workspace, args: Json) -> Json:
    files = args.get("files")
    if isinstance(files, str):  # a form field carries the list as JSON
        try:
            files = json.loads(files)
        except ValueError:
            files = None
    if not isinstance(files, list) or not files:
        raise ApiError("invalid_arguments", ["[ERROR] files is required"])
    shared: list[Json] = []
    for entry in files:
        file_id = entry.get("id") if isinstance(entry, dict) else None
        if file_id not in ws.uploads or not ws.uploads[file_id]:
            raise ApiError("file_not_found", details=str(file_id))
        shared.append(
            {
                "id": file_id,
                "title": entry.get("title") or file_id,
                "size": len(ws.uploads[file_id]),
                "content": ws.uploads[file_id].decode("utf-8", "replace"),
            }
        )
    channel_id = args.get("channel_id")
    if channel_id:
        channel = ws.channel_for_post(channel_id)
        message = Message(
            ts=ws.next_ts(),
            channel=channel,
            text=str(args.get("initial_comment") or ""),
            blocks=None,
            metadata=None,
            thread_ts=None,
            files=shared,
        )
        ws.messages.setdefault(channel, []).append(message)
    return {"files": [{k: v for k, v in f.items() if k != "content"} for f in shared]}
