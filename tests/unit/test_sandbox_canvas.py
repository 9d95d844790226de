"""The sandbox's canvas renderer: the few Markdown forms a canvas uses, and nothing typed ever
becomes HTML."""

from __future__ import annotations

from slacksim.sandbox.canvas import render_markdown


def test_headings_lists_paragraphs_and_emphasis() -> None:
    html = render_markdown(
        "# My comeback: Acme\n## The repairs\n- ✅ Called **Acme**\n- ⬜ Fix _the_ `check`\n"
        "1. first\n2. second\nA line\nand the next\n\nA new paragraph"
    )
    assert html == (
        "<h3>My comeback: Acme</h3><h4>The repairs</h4>"
        "<ul><li>✅ Called <strong>Acme</strong></li>"
        "<li>⬜ Fix <em>the</em> <code>check</code></li></ul>"
        "<ol><li>first</li><li>second</li></ol>"
        "<p>A line<br>and the next</p><p>A new paragraph</p>"
    )


def test_everything_typed_is_escaped() -> None:
    typed = (
        '# <script>alert(1)</script>\n- <img src=x onerror="alert(1)"> & co\n'
        "**<b>bold</b>** [a](javascript:alert(1)) <a href='x'>x</a>"
    )
    html = render_markdown(typed)
    for raw in ("<script", "<img", "<b>", "<a ", 'onerror="'):
        assert raw not in html, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp; co" in html
    assert "<strong>&lt;b&gt;bold&lt;/b&gt;</strong>" in html
    assert "[a](javascript:alert(1))" in html  # links stay text


def test_markers_without_a_partner_stay_text() -> None:
    assert render_markdown("2 * 3 = 6, snake_case and **half") == (
        "<p>2 * 3 = 6, snake_case and **half</p>"
    )
