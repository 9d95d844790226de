"""Who may talk to the sandbox: a browser at the address it serves, and the page it served.

Two attacks this stops. A page on another web site posting to the sandbox (cross-site request
forgery): a browser sends such a request without asking first only when it is "simple" (a form's
content types, no custom headers), so every state-changing call must carry the page's own header
and a JSON body, and its Origin must be the sandbox's own. And DNS rebinding, where another site
points its own name at 127.0.0.1 to read the sandbox as "same origin": the browser then still
sends that site's name as Host, so any Host that is not an address the sandbox serves is refused.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any

# The page's JavaScript sends it on every call that changes something; a browser will not send
# a custom header to another origin without a CORS preflight, which the sandbox never grants.
PAGE_HEADER = "X-Sandbox-Page"
PAGE_HEADER_VALUE = "1"
_PAGE_HEADER_KEY = "HTTP_" + PAGE_HEADER.upper().replace("-", "_")

Environ = dict[str, Any]


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _split_host(value: str) -> tuple[str, int | None] | None:
    """`name[:port]` or `[v6]:port` into (lower-case name, port); None when malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:]
    else:
        name, _, port_text = value.partition(":")
    if not name:
        return None
    if not port_text:
        return name, None
    if not port_text.isdigit():
        return None
    return name, int(port_text)


@dataclass(frozen=True)
class Guard:
    port: int
    names: frozenset[str]  # names the sandbox answers to, besides IP addresses

    @classmethod
    def serving(cls, host: str, port: int) -> Guard:
        names = {"localhost"}
        if host and not _is_ip(host.strip("[]")) and host not in ("0.0.0.0", "::"):
            names.add(host.lower())
        if host in ("", "0.0.0.0", "::"):
            # Reachable from other machines too, by the machine's own name.
            names.add(socket.gethostname().lower())
        return cls(port=port, names=frozenset(names))

    def host_allowed(self, environ: Environ) -> bool:
        """An IP address, or a name the sandbox was started with, at the port it serves.

        A rebinding site cannot make the browser send an IP address as Host: its pages' origin
        is its own name, and that name is what the browser sends.
        """
        parsed = _split_host(str(environ.get("HTTP_HOST") or ""))
        if parsed is None:
            return False
        name, port = parsed
        if (port if port is not None else 80) != self.port:
            return False
        return _is_ip(name) or name in self.names

    def same_origin(self, environ: Environ) -> bool:
        origin = str(environ.get("HTTP_ORIGIN") or "").strip().lower()
        host = str(environ.get("HTTP_HOST") or "").strip().lower()
        return bool(host) and origin == f"http://{host}"

    def refuse_page_call(self, environ: Environ) -> tuple[str, str] | None:
        """(HTTP status, notice) refusing a state-changing call, or None when it may go on."""
        if not self.same_origin(environ) or environ.get(_PAGE_HEADER_KEY) != PAGE_HEADER_VALUE:
            return "403 Forbidden", "Only the sandbox's own page can do that."
        # The media type itself, not a substring: "text/plain; charset=application/json" is
        # a type a form on any web site may send.
        media_type = str(environ.get("CONTENT_TYPE") or "").split(";", 1)[0].strip().lower()
        if media_type != "application/json":
            return "415 Unsupported Media Type", "The sandbox takes JSON only."
        return None

    def refuse_foreign_origin(self, environ: Environ) -> bool:
        """A browser page from elsewhere (the app's own calls carry no Origin at all)."""
        return bool(environ.get("HTTP_ORIGIN")) and not self.same_origin(environ)

    def wrong_host_notice(self) -> str:
        return (
            "This sandbox only answers at its own address: open "
            f"http://127.0.0.1:{self.port}/ (or this machine's IP address) instead."
        )
