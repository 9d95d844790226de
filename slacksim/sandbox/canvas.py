"""A canvas's Markdown as the page shows it: headings, bulleted and numbered lists, paragraphs,
**bold**, _italic_ and `code`. Everything else is text: the Markdown holds what people typed,
so every character is escaped first and no HTML in it ever reaches the page."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,9}[.)]\s+(.*)$")
# Applied to text already escaped, so the markers are the only thing they can add.
_INLINE = (
    (re.compile(r"`([^`]+)`"), r"<code>\1</code>"),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"<em>\1</em>"),
    (re.compile(r"(?<!\w)_(?=\S)([^_]+?)(?<=\S)_(?!\w)"), r"<em>\1</em>"),
)


def _inline(text: str) -> str:
    html = str(escape(text))
    for pattern, replacement in _INLINE:
        html = pattern.sub(replacement, html)
    return html


def render_markdown(markdown: str) -> Markup:
    """Safe HTML for a canvas's Markdown (a heading level below 2 is shown as the page's h3,
    so a canvas never outranks the page's own headings)."""
    out: list[str] = []
    open_list: str | None = None
    paragraph: list[str] = []

    def flush() -> None:
        nonlocal open_list
        if paragraph:
            out.append("<p>" + "<br>".join(_inline(line) for line in paragraph) + "</p>")
            paragraph.clear()
        if open_list:
            out.append(f"</{open_list}>")
            open_list = None

    for raw in markdown.splitlines():
        line = raw.rstrip()
        heading = _HEADING.match(line)
        item = _BULLET.match(line)
        numbered = None if item else _NUMBERED.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            level = min(len(heading.group(1)) + 2, 6)
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif item or numbered:
            kind = "ul" if item else "ol"
            if paragraph or open_list != kind:
                flush()
                out.append(f"<{kind}>")
                open_list = kind
            found = item or numbered
            assert found is not None
            out.append(f"<li>{_inline(found.group(1))}</li>")
        else:
            if open_list:
                flush()
            paragraph.append(line.strip())
    flush()
    return Markup("".join(out))  # noqa: S704 - built from escaped text only
