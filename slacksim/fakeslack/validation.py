"""Block Kit checks, so a test fails when the app sends something Slack would refuse.

slack_sdk's model classes do most of the work (``to_dict()`` runs their validators);
the rest are limits Slack enforces but slack_sdk does not check, or only partly.
Error strings imitate Slack's ``"[ERROR] ... [json-pointer:/blocks/0/text]"`` style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal

from slack_sdk.models.blocks import Block
from slack_sdk.models.blocks.block_elements import ImageElement, InteractiveElement
from slack_sdk.models.views import View

Surface = Literal["message", "modal", "home"]

MAX_BLOCKS: dict[str, int] = {"message": 50, "modal": 100, "home": 100}
VIEW_BUTTON_TEXT_MAX = 24  # modal title, submit, close
PRIVATE_METADATA_MAX = 3000
ID_MAX = 255  # callback_id, external_id, block_id, action_id
SECTION_TEXT_MAX = 3000
HEADER_TEXT_MAX = 150
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
MESSAGE_TEXT_MAX = 40000
# The image block and the image element (docs.slack.dev/reference/block-kit/blocks/image-block,
# .../composition-objects/slack-file-object): exactly one of image_url and slack_file, and a
# slack_file names its file by exactly one of id and url.
IMAGE_URL_MAX = 3000
IMAGE_ALT_TEXT_MAX = 2000
IMAGE_TITLE_MAX = 2000
SLACK_FILE_ID = re.compile(r"^F[A-Z0-9]{8,}$")  # the pattern Slack's error names


def _subclasses(cls: type) -> Iterator[type]:
    sub: type
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _types_of(cls: type) -> frozenset[str]:
    found = {getattr(sub, "type", None) for sub in _subclasses(cls)}
    return frozenset(t for t in found if isinstance(t, str))


# Derived from slack_sdk so the fake accepts exactly what the installed SDK knows.
BLOCK_TYPES = _types_of(Block)
INTERACTIVE_TYPES = _types_of(InteractiveElement) | {ImageElement.type}
CONTEXT_ELEMENT_TYPES = frozenset({"image", "plain_text", "mrkdwn"})


def _err(message: str, pointer: str) -> str:
    return f"[ERROR] {message} [json-pointer:{pointer}]"


def _text_of(obj: Any) -> str | None:
    """The ``text`` of a text object, or None when it is not one."""
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        return str(obj["text"])
    return None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _walk(node: Any, pointer: str) -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield pointer, node
        for key, value in node.items():
            yield from _walk(value, f"{pointer}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{pointer}/{i}")


def _check_nested(raw: dict[str, Any], pointer: str) -> list[str]:
    """action_id and option limits anywhere inside one block."""
    errors: list[str] = []
    for path, node in _walk(raw, pointer):
        action_id = node.get("action_id")
        if "action_id" in node and (not isinstance(action_id, str) or len(action_id) > ID_MAX):
            errors.append(
                _err(f"must be a string of at most {ID_MAX} characters", f"{path}/action_id")
            )
        options: list[Any] = []
        for key in ("options", "initial_options"):
            if isinstance(node.get(key), list):
                options += [(f"{path}/{key}/{i}", o) for i, o in enumerate(node[key])]
        if isinstance(node.get("initial_option"), dict):
            options.append((f"{path}/initial_option", node["initial_option"]))
        for opt_path, option in options:
            if not isinstance(option, dict):
                errors.append(_err("must be an option object", opt_path))
                continue
            text = _text_of(option.get("text"))
            if text is None or not 1 <= len(text) <= OPTION_TEXT_MAX:
                errors.append(_err(f"must be 1-{OPTION_TEXT_MAX} characters", f"{opt_path}/text"))
            value = option.get("value")
            if value is not None and (not isinstance(value, str) or len(value) > OPTION_VALUE_MAX):
                errors.append(
                    _err(f"must be at most {OPTION_VALUE_MAX} characters", f"{opt_path}/value")
                )
    return errors


def _image_errors(node: dict[str, Any], pointer: str, *, block: bool) -> list[str]:
    """An image block or element: its source, its alt text, and (a block's) title."""
    errors: list[str] = []
    has_url, has_file = "image_url" in node, "slack_file" in node
    if has_url == has_file:
        errors.append(
            _err("must provide exactly one of image_url or slack_file", pointer)
            if has_url
            else _err("must provide either image_url or slack_file", pointer)
        )
    url = node.get("image_url")
    if has_url and (not isinstance(url, str) or not 1 <= len(url) <= IMAGE_URL_MAX):
        errors.append(_err(f"must be 1-{IMAGE_URL_MAX} characters", f"{pointer}/image_url"))
    if has_file:
        errors += _slack_file_shape(node["slack_file"], f"{pointer}/slack_file")
    alt = node.get("alt_text")
    if not isinstance(alt, str) or not 1 <= len(alt) <= IMAGE_ALT_TEXT_MAX:
        errors.append(_err(f"must be 1-{IMAGE_ALT_TEXT_MAX} characters", f"{pointer}/alt_text"))
    if block and "title" in node:
        title = node["title"]
        text = _text_of(title)
        if text is None or title.get("type") != "plain_text" or len(text) > IMAGE_TITLE_MAX:
            errors.append(
                _err(
                    f"must be plain_text of at most {IMAGE_TITLE_MAX} characters",
                    f"{pointer}/title",
                )
            )
    return errors


def _slack_file_shape(obj: Any, pointer: str) -> list[str]:
    """A Slack file object names its file by id or by url (url_private or permalink), never
    both; whether that file exists and is an image is the workspace's to say (files.py)."""
    if not isinstance(obj, dict):
        return [_err("must be an object", pointer)]
    unknown = sorted(set(obj) - {"id", "url"})
    errors = [_err(f"unsupported field: {key}", f"{pointer}/{key}") for key in unknown]
    has_id, has_url = "id" in obj, "url" in obj
    if has_id == has_url:
        errors.append(_err("must provide exactly one of id or url", pointer))
    if has_id and not (isinstance(obj["id"], str) and SLACK_FILE_ID.match(obj["id"])):
        errors.append(
            _err(f"input must match regex pattern: {SLACK_FILE_ID.pattern}", f"{pointer}/id")
        )
    if has_url and not (isinstance(obj["url"], str) and obj["url"].startswith("https://")):
        errors.append(_err("must be the url_private or permalink of a file", f"{pointer}/url"))
    return errors


def _images(raw: dict[str, Any], pointer: str) -> Iterator[tuple[str, dict[str, Any], bool]]:
    """The image block itself, or the image elements in a section's accessory or a context."""
    if raw.get("type") == "image":
        yield pointer, raw, True
        return
    accessory = raw.get("accessory")
    if isinstance(accessory, dict) and accessory.get("type") == "image":
        yield f"{pointer}/accessory", accessory, False
    if raw.get("type") == "context":
        for i, element in enumerate(_list(raw.get("elements"))):
            if isinstance(element, dict) and element.get("type") == "image":
                yield f"{pointer}/elements/{i}", element, False


def slack_files(blocks: Any, pointer: str = "/blocks") -> Iterator[tuple[str, dict[str, Any]]]:
    """(pointer, slack_file object) for each well-formed Slack file in a blocks array."""
    for i, raw in enumerate(_list(blocks)):
        if not isinstance(raw, dict):
            continue
        for path, node, _block in _images(raw, f"{pointer}/{i}"):
            obj = node.get("slack_file")
            if isinstance(obj, dict) and not _slack_file_shape(obj, path):
                yield f"{path}/slack_file", obj


def _element_errors(raw: dict[str, Any], pointer: str) -> list[str]:
    """Element types slack_sdk would silently drop as unknown."""
    kind = raw["type"]
    errors: list[str] = []
    if kind == "actions":
        elements = _list(raw.get("elements"))
        action_ids: set[str] = set()
        for i, element in enumerate(elements):
            el_type = element.get("type") if isinstance(element, dict) else None
            if el_type not in INTERACTIVE_TYPES:
                errors.append(_err(f"unsupported type: {el_type}", f"{pointer}/elements/{i}/type"))
            action_id = element.get("action_id") if isinstance(element, dict) else None
            if isinstance(action_id, str):
                if action_id in action_ids:
                    errors.append(
                        _err("action_id must be unique in the block", f"{pointer}/elements/{i}")
                    )
                action_ids.add(action_id)
    elif kind == "context":
        elements = _list(raw.get("elements"))
        for i, element in enumerate(elements):
            el_type = element.get("type") if isinstance(element, dict) else None
            if el_type not in CONTEXT_ELEMENT_TYPES:
                errors.append(_err(f"unsupported type: {el_type}", f"{pointer}/elements/{i}/type"))
    else:
        key = {"input": "element", "section": "accessory"}.get(kind)
        element = raw.get(key) if key else None
        if key == "element" and element is None:
            errors.append(_err("missing required field: element", pointer))
        elif element is not None:
            el_type = element.get("type") if isinstance(element, dict) else None
            if el_type not in INTERACTIVE_TYPES:
                errors.append(_err(f"unsupported type: {el_type}", f"{pointer}/{key}/type"))
    return errors


def _check_block(raw: Any, surface: Surface, pointer: str, seen_ids: set[str]) -> list[str]:
    if not isinstance(raw, dict):
        return [_err("must be an object", pointer)]
    kind = raw.get("type")
    if not isinstance(kind, str):
        return [_err("missing required field: type", pointer)]
    if kind not in BLOCK_TYPES:
        return [_err(f"unsupported type: {kind}", f"{pointer}/type")]
    errors: list[str] = []
    try:
        block = Block.parse(raw)
        # Older slack_sdk versions return a plain Block (newer: None) for unknown types.
        if block is None or type(block) is Block:
            return [_err(f"unsupported type: {kind}", f"{pointer}/type")]
        block.to_dict()  # runs slack_sdk's validators, nested objects included
        unknown = sorted(set(raw) - set(block.attributes))
        errors += [_err(f"unsupported field: {key}", f"{pointer}/{key}") for key in unknown]
    except Exception as exc:  # SlackObjectFormationError, or TypeError on bad kwargs
        errors.append(_err(str(exc) or type(exc).__name__, pointer))

    if "block_id" in raw:
        block_id = raw["block_id"]
        if not isinstance(block_id, str) or not 1 <= len(block_id) <= ID_MAX:
            errors.append(_err(f"must be 1-{ID_MAX} characters", f"{pointer}/block_id"))
        elif block_id in seen_ids:
            errors.append(_err(f"duplicate block_id: {block_id}", f"{pointer}/block_id"))
        else:
            seen_ids.add(block_id)
    if kind == "input" and surface == "message":
        errors.append(
            _err("input blocks are only allowed in modals and home tabs", f"{pointer}/type")
        )
    if kind == "section":
        text = _text_of(raw.get("text"))
        if text is not None and len(text) > SECTION_TEXT_MAX:
            errors.append(_err(f"must be at most {SECTION_TEXT_MAX} characters", f"{pointer}/text"))
    if kind == "header":
        text = _text_of(raw.get("text"))
        if text is None or raw["text"].get("type") != "plain_text" or len(text) > HEADER_TEXT_MAX:
            errors.append(
                _err(
                    f"must be plain_text of at most {HEADER_TEXT_MAX} characters", f"{pointer}/text"
                )
            )
    errors += _element_errors(raw, pointer)
    errors += _check_nested(raw, pointer)
    for path, node, is_block in _images(raw, pointer):
        errors += _image_errors(node, path, block=is_block)
    return errors


def validate_blocks(blocks: Any, surface: Surface, pointer: str = "/blocks") -> list[str]:
    """Error messages for a blocks array shown on ``surface``; empty when valid."""
    if not isinstance(blocks, list):
        return [_err("must be an array", pointer)]
    errors: list[str] = []
    limit = MAX_BLOCKS[surface]
    if len(blocks) > limit:
        errors.append(_err(f"must be less than {limit + 1} items", pointer))
    seen_ids: set[str] = set()
    for i, raw in enumerate(blocks):
        errors += _check_block(raw, surface, f"{pointer}/{i}", seen_ids)
    return list(dict.fromkeys(errors))  # slack_sdk and our own checks may overlap


def _check_plain_text(view: dict[str, Any], key: str, *, required: bool) -> list[str]:
    pointer = f"/view/{key}"
    if key not in view or view[key] is None:
        return [_err(f"missing required field: {key}", pointer)] if required else []
    obj = view[key]
    text = _text_of(obj)
    if text is None or obj.get("type") != "plain_text":
        return [_err("must be a plain_text object", pointer)]
    if not 1 <= len(text) <= VIEW_BUTTON_TEXT_MAX:
        return [_err(f"must be 1-{VIEW_BUTTON_TEXT_MAX} characters", f"{pointer}/text")]
    return []


def validate_view(view: Any, expected_type: str | None = None) -> tuple[str | None, list[str]]:
    """(error code, messages) for a view payload; (None, []) when valid.

    View-level problems answer ``invalid_arguments``, block problems ``invalid_blocks``.
    """
    if not isinstance(view, dict):
        return "invalid_arguments", [_err("must be an object", "/view")]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return "invalid_arguments", [_err(f"unsupported view type: {kind}", "/view/type")]
    if expected_type is not None and kind != expected_type:
        return "invalid_arguments", [_err(f"view type must be {expected_type}", "/view/type")]
    errors: list[str] = []
    try:
        # Blocks are checked separately (with better pointers), so leave them out here.
        model = View(**{k: v for k, v in view.items() if k != "blocks"})
        model.blocks = None  # type: ignore[assignment]
        model.to_dict()
    except Exception as exc:
        errors.append(_err(str(exc) or type(exc).__name__, "/view"))
    is_modal = kind == "modal"
    for key in ("title", "submit", "close"):
        if is_modal or key == "title":
            errors += _check_plain_text(view, key, required=is_modal and key == "title")
    if not is_modal and (view.get("submit") is not None or view.get("close") is not None):
        errors.append(_err("home tabs cannot have submit or close", "/view"))
    metadata = view.get("private_metadata")
    if metadata is not None and (
        not isinstance(metadata, str) or len(metadata) > PRIVATE_METADATA_MAX
    ):
        errors.append(
            _err(f"must be at most {PRIVATE_METADATA_MAX} characters", "/view/private_metadata")
        )
    for key in ("callback_id", "external_id"):
        value = view.get(key)
        if value is not None and (not isinstance(value, str) or len(value) > ID_MAX):
            errors.append(_err(f"must be at most {ID_MAX} characters", f"/view/{key}"))
    blocks = view.get("blocks")
    if not blocks:
        errors.append(_err("must contain at least 1 block", "/view/blocks"))
    elif (
        is_modal
        and isinstance(blocks, list)
        and any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
        and view.get("submit") is None
    ):
        errors.append(_err("a modal with input blocks must have a submit button", "/view/submit"))
    errors = list(dict.fromkeys(errors))
    if errors:
        return "invalid_arguments", errors
    block_errors = validate_blocks(blocks, "modal" if is_modal else "home", "/view/blocks")
    return ("invalid_blocks", block_errors) if block_errors else (None, [])
