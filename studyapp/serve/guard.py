"""Which requests ``studyapp serve`` answers: the right ``Host``, its own ``Origin``, a token.

A browser lets any page it shows open a WebSocket to any address, 127.0.0.1 included,
and says only which page asked (``Origin``). A DNS name an attacker controls can also be
made to point at 127.0.0.1 after the page has loaded ("DNS rebinding"); the browser then
sends that name as ``Host``. So the server answers only requests whose ``Host`` is an
address it listens on, and whose ``Origin``, when there is one, is its own page. A
request with no ``Origin`` does not come from a web page (a browser always sends one
with a WebSocket and with cross-site requests), so curl and scripts are served.

Off loopback the network can reach the server, so every request also carries a random
token (``?token=`` in the printed URL, then a cookie), compared in constant time.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# The names every browser resolves to this machine without asking DNS.
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})
HTTP_PORT = 80
# What a Host header or an origin's host may contain: names, IPv4, bracketed IPv6.
_NETLOC = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    """Whether ``host`` (``0.0.0.0``, ``::``) listens on every address of the machine."""
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def split_netloc(value: str | None) -> tuple[str, int] | None:
    """``"host:port"`` (a Host header) as ``(host, port)``; None if it is not one.

    The host is lower-cased and IPv6 brackets are removed; a missing port is 80, as
    browsers leave it out there.
    """
    if not value or not _NETLOC.fullmatch(value):
        return None
    try:
        parts = urlsplit("//" + value)
        port = parts.port
    except ValueError:
        return None
    if not parts.hostname:
        return None
    return parts.hostname, HTTP_PORT if port is None else port


def split_origin(value: str | None) -> tuple[str, int] | None:
    """An ``Origin`` header of an ``http:`` page as ``(host, port)``; None otherwise.

    The server speaks plain HTTP, so an ``https:`` page (or ``null``, a sandboxed frame
    or a file) is never its own.
    """
    if not value or not value.startswith("http://"):
        return None
    return split_netloc(value[len("http://"):])


def new_token() -> str:
    """A random token for a server that the network can reach (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Guard:
    """The requests one server answers.

    Parameters
    ----------
    host : str
        The address the server listens on, as given to ``--host``.
    port : int
        The port it listens on.
    token : str, optional
        The token every request must carry; None on loopback.
    """

    host: str
    port: int
    token: str | None = None
    _names: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        own = self.host.lower()
        names = LOOPBACK_NAMES | {own} if is_loopback(self.host) else frozenset({own})
        object.__setattr__(self, "_names", names)

    @property
    def cookie_name(self) -> str:
        """The cookie that carries the token; per port, as cookies ignore ports."""
        return f"studyapp-token-{self.port}"

    def host_allowed(self, header: str | None) -> bool:
        """Whether a request's ``Host`` header names this server.

        On loopback, ``localhost``, ``127.0.0.1`` and ``[::1]`` are one machine; on a
        wildcard address (``0.0.0.0``) the machine may have any name, and the token does
        the work the name check cannot.
        """
        place = split_netloc(header)
        if place is None:
            return False
        name, port = place
        if port != self.port:
            return False
        return is_wildcard(self.host) or name in self._names

    def origin_allowed(self, origin: str | None, host_header: str | None) -> bool:
        """Whether a request with this ``Origin`` may be answered (no Origin: yes).

        The origin must be ``http://`` and a name of this server with its port; on a
        wildcard address, the very name and port the request was sent to.
        """
        if origin is None:
            return True
        place = split_origin(origin)
        if place is None:
            return False
        if is_wildcard(self.host):
            return place == split_netloc(host_header)
        name, port = place
        return port == self.port and name in self._names

    def token_matches(self, given: str | None) -> bool:
        """Whether ``given`` is this server's token (always true with no token)."""
        if self.token is None:
            return True
        if given is None:
            return False
        # bytes: compare_digest refuses str with characters beyond ASCII
        return hmac.compare_digest(given.encode("utf-8", "surrogatepass"),
                                   self.token.encode("ascii"))
