"""Another web site open in the same browser cannot act as anyone in the sandbox, nor read it;
the sandbox's own page still can."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from slacksim.sandbox.main import RunningSandbox
from tests.browser.conftest import REBOUND_NAME
from tests.browser.helpers import modal, pane, type_command

pytestmark = pytest.mark.browser

# Everything a page on another origin can try without the sandbox's leave: a CORS-simple post
# (the type that got through before), a form posting JSON-looking text, a post with the page's
# own header (which needs a preflight), and reads of the panes.
ATTACKER_PAGE = """<!doctype html>
<html><body>
<iframe name="sink" title="sink"></iframe>
<form id="form" method="POST" enctype="text/plain" action="{target}/sandbox/act" target="sink">
  <input type="hidden" name='{{"kind": "command", "user": "UEMPLOYEE", "text": "/secondchance", "x": "'
    value='"}}'>
</form>
<script>
const target = "{target}";
const command = JSON.stringify({{kind: "command", user: "UEMPLOYEE", text: "/secondchance"}});
const results = {{}};
async function attempt(name, run) {{
  try {{ results[name] = await run(); }} catch (error) {{ results[name] = "blocked"; }}
}}
(async () => {{
  await attempt("simple", async () => {{
    await fetch(target + "/sandbox/act", {{method: "POST", mode: "no-cors", body: command,
      headers: {{"Content-Type": "text/plain; charset=application/json"}}}});
    return "sent";
  }});
  await attempt("skip", async () => {{
    await fetch(target + "/sandbox/skip", {{method: "POST", mode: "no-cors", body: "{{}}"}});
    return "sent";
  }});
  await attempt("with_header", async () => {{
    const answer = await fetch(target + "/sandbox/act", {{method: "POST", body: command,
      headers: {{"Content-Type": "application/json", "X-Sandbox-Page": "1"}}}});
    return "answered " + answer.status;
  }});
  await attempt("read", async () => {{
    const answer = await fetch(target + "/sandbox/state?user=UEMPLOYEE");
    return await answer.text();
  }});
  document.getElementById("form").submit();
  await new Promise((done) => document.querySelector("iframe").addEventListener("load", done));
  document.body.dataset.results = JSON.stringify(results);
}})();
</script>
</body></html>
"""


@pytest.fixture
def attacker(sandbox: RunningSandbox) -> Iterator[str]:
    """A web site on another origin: the same machine, another port."""
    html = ATTACKER_PAGE.format(target=sandbox.url).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(html)))
            self.end_headers()
            self.wfile.write(html)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_page_on_another_origin_cannot_act_as_emma(
    page: Page, sandbox: RunningSandbox, attacker: str
) -> None:
    elsewhere = page.context.new_page()
    elsewhere.goto(attacker)
    expect(elsewhere.locator("body[data-results]")).to_have_count(1)
    results = elsewhere.locator("body").get_attribute("data-results") or ""
    assert '"with_header":"blocked"' in results and '"read":"blocked"' in results
    fake = sandbox.sandbox.fake
    assert fake.view_stack("UEMPLOYEE") == [] and fake.calls_to("views.open") == []
    elsewhere.close()

    # The sandbox's own page still acts, as before.
    emma = pane(page, "left")
    type_command(emma, "/secondchance")
    modal(emma, "Your second chance")


def test_a_rebound_name_reads_nothing(page: Page, sandbox: RunningSandbox) -> None:
    port = sandbox.server.server_address[1]
    rebound = page.context.new_page()
    answer = rebound.goto(f"http://{REBOUND_NAME}:{port}/sandbox/state?user=UEMPLOYEE")
    assert answer is not None and answer.status == 403
    expect(rebound.locator("body")).to_contain_text("only answers at its own address")
    expect(rebound.locator("body")).not_to_contain_text("UEMPLOYEE")
    rebound.close()
