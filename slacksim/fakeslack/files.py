"""File uploads the way Slack takes them: ask for an upload URL, send the bytes there, then
complete the upload into a channel (what slack_sdk's files_upload_v2 does); and the older
one-call files.upload, with the content as a form field. files.delete removes a file.

A shared file shows in its channel as a message carrying a Slack file object, as Slack shows
it: name, title, type and size. The bytes stay with the fake, for tests and the sandbox page.

An upload completed without a channel is private to the app, as in Slack; an image block can
still show it by its Slack file object (`slack_file`: its id, or its url_private or permalink).
Slack documents that such a file must be an image (png, jpg, jpeg or gif) the poster can reach;
anything else (no such file, deleted, not an image, not finished uploading) is refused with
invalid_blocks, "invalid slack file", the words Slack answers with.
"""

from __future__ import annotations

import json
import mimetypes
from typing import Any

from .state import ApiError, Message, Upload, Workspace
from .validation import slack_files

Json = dict[str, Any]

UPLOAD_PATH = "/_upload/"
# Not in every system's mime.types: an .ics is a calendar, as Slack types it.
mimetypes.add_type("text/calendar", ".ics")
mimetypes.add_type("text/markdown", ".md")
# Slack's names for the types an app is likely to send; anything else is shown by extension.
# The image types an image block's slack_file may name, by the bytes' own signature.
_IMAGE_SIGNATURES = {
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
}
_PRETTY_TYPES = {
    "png": "PNG",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "gif": "GIF",
    "json": "JSON",
    "txt": "Plain Text",
    "csv": "CSV",
    "md": "Markdown",
    "pdf": "PDF",
    "ics": "iCalendar",
}


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _urls(ws: Workspace, file_id: str, name: str) -> tuple[str, str]:
    """(url_private, permalink), shaped as Slack's."""
    return (
        f"https://files.slack.com/files-pri/{ws.team_id}-{file_id}/{name}",
        f"https://{ws.domain}.slack.com/files/{ws.bot_user_id}/{file_id}/{name}",
    )


def is_image(ws: Workspace, file_id: str) -> bool:
    """A finished upload, not deleted, that is a png, jpg or gif by name and by its bytes."""
    upload = ws.uploads.get(file_id)
    if upload is None or not upload.completed or upload.deleted:
        return False
    signatures = _IMAGE_SIGNATURES.get(_extension(upload.name), ())
    return any(upload.content.startswith(sig) for sig in signatures)


def slack_file_errors(ws: Workspace, blocks: Any, pointer: str = "/blocks") -> list[str]:
    """Each Slack file object in the blocks that names no image of this workspace's."""
    errors: list[str] = []
    for path, obj in slack_files(blocks, pointer):
        file_id = obj.get("id")
        if "url" in obj:
            file_id = next(
                (fid for fid, up in ws.uploads.items() if obj["url"] in _urls(ws, fid, up.name)),
                None,
            )
        if not (isinstance(file_id, str) and is_image(ws, file_id)):
            errors.append(f"[ERROR] invalid slack file [json-pointer:{path}]")
    return errors


def image_file(ws: Workspace, file_id: str) -> tuple[str, bytes] | None:
    """Name and bytes of an image an image block may show (shared or private to the app)."""
    if not is_image(ws, file_id):
        return None
    upload = ws.uploads[file_id]
    return upload.name, upload.content


def file_object(ws: Workspace, file_id: str, title: str | None) -> Json:
    """The file as Slack's API describes it (with the content, which tests read)."""
    upload = ws.uploads[file_id]
    extension = _extension(upload.name)
    url_private, permalink = _urls(ws, file_id, upload.name)
    return {
        "id": file_id,
        "name": upload.name,
        "title": title or upload.name,
        "mimetype": mimetypes.guess_type(upload.name)[0] or "application/octet-stream",
        "filetype": extension or "binary",
        "pretty_type": _PRETTY_TYPES.get(extension, extension.upper() or "Binary"),
        "size": len(upload.content),
        "user": ws.bot_user_id,
        "created": int(ws.clock()),
        "url_private": url_private,
        "permalink": permalink,
        "content": upload.content.decode("utf-8", "replace"),
    }


def _share(ws: Workspace, channel_id: Any, comment: Any, shared: list[Json]) -> None:
    channel = ws.channel_for_post(channel_id)
    ws.messages.setdefault(channel, []).append(
        Message(
            ts=ws.next_ts(),
            channel=channel,
            text=str(comment or ""),
            blocks=None,
            metadata=None,
            thread_ts=None,
            files=shared,
        )
    )


def _public(shared: list[Json]) -> list[Json]:
    return [{k: v for k, v in f.items() if k != "content"} for f in shared]


def get_upload_url_external(ws: Workspace, args: Json) -> Json:
    filename = str(args.get("filename") or "")
    if not filename:
        raise ApiError("invalid_arguments", ["[ERROR] filename is required"])
    try:
        length = int(args.get("length") or 0)
    except (TypeError, ValueError):
        raise ApiError("invalid_arguments", ["[ERROR] length must be a number"]) from None
    file_id = f"F{ws.next_ts().replace('.', '')}"
    ws.uploads[file_id] = Upload(name=filename)
    base = str(args.get("_upload_base") or "")
    return {
        "upload_url": f"{base}{UPLOAD_PATH.strip('/')}/{file_id}",
        "file_id": file_id,
        "length": length,
    }


def receive_upload(ws: Workspace, file_id: str, content: bytes) -> bool:
    upload = ws.uploads.get(file_id)
    if upload is None:
        return False
    upload.content, upload.received = content, True
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
        upload = ws.uploads.get(file_id) if isinstance(file_id, str) else None
        if upload is None or not upload.received or not upload.content:
            raise ApiError("file_not_found", details=str(file_id))
        upload.completed = True
        shared.append(file_object(ws, str(file_id), entry.get("title")))
    if args.get("channel_id"):
        _share(ws, args["channel_id"], args.get("initial_comment"), shared)
    return {"files": _public(shared)}


def files_upload(ws: Workspace, args: Json) -> Json:
    """The one-call upload: `content` as a form field, shared into `channels`."""
    content = args.get("content")
    if not isinstance(content, str) or not content:
        raise ApiError("no_file_data")
    filename = str(args.get("filename") or "file")
    file_id = f"F{ws.next_ts().replace('.', '')}"
    ws.uploads[file_id] = Upload(
        name=filename, content=content.encode(), received=True, completed=True
    )
    shared = file_object(ws, file_id, args.get("title"))
    channels = [c.strip() for c in str(args.get("channels") or "").split(",") if c.strip()]
    for channel in channels:
        _share(ws, channel, args.get("initial_comment"), [shared])
    return {"file": _public([shared])[0]}


def files_delete(ws: Workspace, args: Json) -> Json:
    """As Slack documents it: `file` is the id; file_not_found for one that never was, and
    file_deleted the second time. Every message that shared it keeps only a tombstone, the way
    Slack's history shows a deleted file (`"mode": "tombstone"`); its name and bytes are gone."""
    file_id = args.get("file")
    if not isinstance(file_id, str) or not file_id:
        raise ApiError("invalid_arguments", ["[ERROR] missing required field: file"])
    upload = ws.uploads.get(file_id)
    if upload is None or not upload.received:
        raise ApiError("file_not_found", details=file_id)
    if upload.deleted:
        raise ApiError("file_deleted", details=file_id)
    upload.deleted, upload.content = True, b""
    for messages in ws.messages.values():
        for message in messages:
            if message.files and any(f.get("id") == file_id for f in message.files):
                message.files = [
                    {"id": file_id, "mode": "tombstone"} if f.get("id") == file_id else f
                    for f in message.files
                ]
    return {}


def shared_file(ws: Workspace, file_id: str) -> tuple[str, bytes] | None:
    """Name and bytes of a file shared in some channel; None for one never shared, or deleted."""
    if file_id not in ws.uploads or ws.uploads[file_id].deleted:
        return None
    for messages in ws.messages.values():
        for message in messages:
            if any(f.get("id") == file_id for f in message.files or []):
                upload = ws.uploads[file_id]
                return upload.name, upload.content
    return None
