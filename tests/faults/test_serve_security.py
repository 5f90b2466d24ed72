"""``studyapp serve`` answers only its own pages, on its own address, to a bounded number
of sessions, and sends nothing off the machine.

Found by an outside test: a page from another site open in the learner's browser could
connect to ``ws://127.0.0.1:PORT/ws``, read the screen and rate cards; a server bound to
the network had no token; every connection started an app process without limit; and the
page loaded its font from an outside host. Each test here starts the server as a learner
would (a subprocess on a free port, with a data folder of its own) and talks to it with
aiohttp's HTTP and WebSocket clients, as a browser would: with the ``Origin`` and ``Host``
headers a page on another site, or a rebound DNS name, would send. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from tests.serving import HOME_TEXTS, PAGE_TIMEOUT, ROOT, Served, read_screen, serving

pytestmark = pytest.mark.skipif(os.name == "nt", reason="stops the server's process group")

EVIL = "http://evil.example"
CLIENT_TIMEOUT = aiohttp.ClientTimeout(total=60)


@pytest.fixture(scope="module")
def loopback(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server on 127.0.0.1 for the tests that start no session."""
    with serving(tmp_path_factory.mktemp("serve-loopback")) as served:
        yield served


@asynccontextmanager
async def _client() -> AsyncIterator[aiohttp.ClientSession]:
    # unsafe: keep cookies set by an IP address (127.0.0.1), as browsers do
    async with aiohttp.ClientSession(timeout=CLIENT_TIMEOUT,
                                     cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        yield session


async def _ws_status(url: str, **kwargs: object) -> int:
    """The HTTP status a WebSocket handshake ends in (101 when it is accepted)."""
    async with _client() as session:
        try:
            async with session.ws_connect(url, **kwargs):  # type: ignore[arg-type]
                return 101
        except aiohttp.WSServerHandshakeError as exc:
            return exc.status


# --- Origin -----------------------------------------------------------------------------

async def test_a_websocket_from_another_site_is_refused(loopback: Served) -> None:
    status = await _ws_status(f"ws://127.0.0.1:{loopback.port}/ws?width=80&height=24",
                              origin=EVIL)
    assert status == 403


@pytest.mark.parametrize("origin", [
    EVIL,
    "null",  # a sandboxed frame or a file:// page
    "http://127.0.0.1:1",  # another server on this machine
    "https://127.0.0.1:{port}",  # another scheme is another origin
])
async def test_pages_and_files_asked_for_by_another_site_are_refused(
    loopback: Served, origin: str,
) -> None:
    async with _client() as session:
        for path in ("/", "/static/js/textual.js", "/favicon.ico"):
            headers = {"Origin": origin.format(port=loopback.port)}
            async with session.get(loopback.base + path, headers=headers) as response:
                assert response.status == 403, path


async def test_the_servers_own_origin_is_served_and_localhost_is_the_same_machine(
    tmp_path: Path,
) -> None:
    # The page opened as http://localhost:PORT connects to 127.0.0.1 (and back): one machine.
    with serving(tmp_path) as served:
        async with _client() as session:
            for origin in (served.base, f"http://localhost:{served.port}"):
                async with session.get(served.base + "/", headers={"Origin": origin}) as page:
                    assert page.status == 200
        screen = await read_screen(f"ws://127.0.0.1:{served.port}/ws",
                                    origin=f"http://localhost:{served.port}")
    missing = [t for t in HOME_TEXTS if t not in screen]
    assert not missing, f"home screen text {missing} not streamed:\n{served.output()}"


# --- Host (DNS rebinding) ---------------------------------------------------------------

@pytest.mark.parametrize("host", ["evil.example:{port}", "evil.example", "127.0.0.1:1",
                                  "192.168.1.20:{port}"])
async def test_a_request_for_another_host_name_is_refused(loopback: Served, host: str) -> None:
    # A rebound name (evil.example resolving to 127.0.0.1) arrives with its own Host header.
    headers = {"Host": host.format(port=loopback.port)}
    async with _client() as session:
        for path in ("/", "/static/js/textual.js"):
            async with session.get(loopback.base + path, headers=headers) as response:
                assert response.status == 403, path
    status = await _ws_status(f"ws://127.0.0.1:{loopback.port}/ws", headers=headers,
                              origin=f"http://{headers['Host']}")
    assert status == 403


async def test_the_page_names_a_websocket_on_the_host_it_was_opened_as(
    loopback: Served,
) -> None:
    headers = {"Host": f"localhost:{loopback.port}"}
    async with _client() as session, session.get(loopback.base + "/", headers=headers) as page:
        text = await page.text()
    assert f'data-session-websocket-url="ws://localhost:{loopback.port}/ws"' in text


# --- Nothing leaves the machine ---------------------------------------------------------

def _references(text: str) -> list[str]:
    """Every URL a page or stylesheet makes the browser load."""
    found = re.findall(r"""(?:href|src)\s*=\s*["']([^"']+)["']""", text)
    found += re.findall(r"""url\(\s*["']?([^"')]+)["']?\s*\)""", text)
    found += re.findall(r"""@import\s+["']([^"']+)["']""", text)
    return found


async def test_the_page_loads_everything_from_the_server_itself(loopback: Served) -> None:
    async with _client() as session:
        async with session.get(loopback.base + "/") as page:
            assert page.status == 200
            html = await page.text()
        assert "fonts.googleapis.com" not in html
        references = _references(html)
        assert any("font" in ref.lower() for ref in references), "no local font named"
        for ref in references:
            assert "://" not in ref or ref.startswith(loopback.base), ref
            url = ref if "://" in ref else loopback.base + ref
            async with session.get(url) as response:
                assert response.status == 200, ref
                if url.endswith(".css"):
                    for inner in _references(await response.text()):
                        assert "://" not in inner, inner


async def test_the_favicon_is_served(loopback: Served) -> None:
    async with _client() as session, session.get(loopback.base + "/favicon.ico") as response:
        assert response.status == 200
        assert response.content_type in ("image/x-icon", "image/vnd.microsoft.icon")
        body = await response.read()
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file


async def test_the_page_cannot_be_framed_by_another_site(loopback: Served) -> None:
    async with _client() as session, session.get(loopback.base + "/") as page:
        assert page.headers.get("X-Frame-Options") == "DENY"
        assert "frame-ancestors 'none'" in page.headers.get("Content-Security-Policy", "")


# --- A token off loopback ---------------------------------------------------------------

def _token_url(served: Served) -> str:
    deadline = time.monotonic() + PAGE_TIMEOUT
    while time.monotonic() < deadline:
        match = re.search(r"http://\S+/\?token=([A-Za-z0-9_-]+)", served.output())
        if match:
            return match.group(1)
        time.sleep(0.2)
    pytest.fail(f"no URL with a token printed:\n{served.output()}")


async def test_off_loopback_a_token_is_required_for_the_page_and_the_websocket(
    tmp_path: Path,
) -> None:
    with serving(tmp_path, "--host", "0.0.0.0") as served:
        token = _token_url(served)
        assert "studyapp: serve: listening on 0.0.0.0" in served.output()
        ws_url = f"ws://127.0.0.1:{served.port}/ws?width=80&height=24"
        async with _client() as session:
            for path in ("/", "/?token=wrong", "/?token=" + token[:-1], "/?token=トークン",
                         "/static/js/textual.js", "/favicon.ico"):
                async with session.get(served.base + path) as response:
                    assert response.status == 403, path
        for query in ("", "&token=wrong"):
            assert await _ws_status(ws_url + query, origin=served.base) == 403

        # The printed URL opens the page and leaves the token in a cookie for the websocket.
        async with _client() as session:
            async with session.get(f"{served.base}/?token={token}") as page:
                assert page.status == 200
                assert token not in str(page.url)  # taken out of the address bar
                assert token not in await page.text()
            async with session.get(served.base + "/static/js/textual.js") as script:
                assert script.status == 200
            async with session.ws_connect(ws_url, origin=served.base) as ws:
                await ws.close()
        # A script without cookies may give the token in the websocket's query.
        assert await _ws_status(ws_url + "&token=" + token, origin=served.base) == 101


# --- A bounded number of sessions -------------------------------------------------------

async def test_sessions_beyond_max_sessions_get_a_clear_refusal(tmp_path: Path) -> None:
    with serving(tmp_path, "--max-sessions", "1") as served:
        ws_url = f"ws://127.0.0.1:{served.port}/ws?width=100&height=30"
        async with _client() as session:
            async with session.ws_connect(ws_url, origin=served.base) as first:
                # Once the first session is running, a second tab gets a page saying why.
                await first.send_str('["resize", {"width": 100, "height": 30}]')
                await asyncio.wait_for(first.receive(), timeout=90)
                async with session.get(served.base + "/") as page:
                    assert page.status == 503
                    assert "セッションは 1 個まで" in await page.text()
                async with session.ws_connect(ws_url, origin=served.base) as second:
                    said = await asyncio.wait_for(second.receive(), timeout=30)
                    closed = await asyncio.wait_for(second.receive(), timeout=30)
                assert said.type == aiohttp.WSMsgType.BINARY
                assert "セッション" in said.data.decode("utf-8")
                assert closed.type == aiohttp.WSMsgType.CLOSE
                assert closed.data == aiohttp.WSCloseCode.TRY_AGAIN_LATER
            # Closing the first tab frees its place.
            deadline = time.monotonic() + 60
            while True:
                async with session.get(served.base + "/") as page:
                    if page.status == 200:
                        break
                assert time.monotonic() < deadline, "the closed session was never released"
                await asyncio.sleep(0.2)


def test_max_sessions_must_be_a_positive_number(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "studyapp", "serve", "--max-sessions", "0"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert len(result.stderr.splitlines()) == 1
    assert "--max-sessions" in result.stderr
    assert "at least 1" in result.stderr
    assert "Traceback" not in result.stderr


# --- Messages the page would never send -------------------------------------------------

async def test_malformed_messages_are_ignored_not_logged_as_tracebacks(tmp_path: Path) -> None:
    with serving(tmp_path) as served:
        async with _client() as session, session.ws_connect(
            f"ws://127.0.0.1:{served.port}/ws?width=80&height=24", origin=served.base,
        ) as ws:
            for junk in ("not json", "[]", "{}", "[1, 2]", '["resize", {}]',
                         '["resize", {"width": "x", "height": null}]', '["stdin", 5]',
                         '["stdin", "\\ud800"]', '["ping", {"a": 1}]', "[\"stdin\"]"):
                await ws.send_str(junk)
            await ws.send_str('["ping", "still-here"]')
            deadline = time.monotonic() + 60
            while True:  # the session's own output may come first
                message = await asyncio.wait_for(ws.receive(), deadline - time.monotonic())
                assert message.type in (aiohttp.WSMsgType.TEXT, aiohttp.WSMsgType.BINARY), (
                    f"the session ended: {message}\n{served.output()}")
                if message.type == aiohttp.WSMsgType.TEXT and "still-here" in message.data:
                    break
        assert message.json() == ["pong", "still-here"]
        assert "Traceback" not in served.output()


@pytest.mark.parametrize(("width", "height", "size"), [
    (100, 30, (100, 30)),
    ("120", "40", (120, 40)),
    (10**9, 10**9, (1000, 500)),  # a client cannot make the app allocate without bound
    (0, -5, (1, 1)),
    ("x", 30, None),
    (None, 30, None),
    (1.5, 30, None),
    ("9" * 5000, 30, None),
])
def test_terminal_sizes_are_numbers_within_bounds(width: object, height: object,
                                                  size: tuple[int, int] | None) -> None:
    from studyapp.serve.server import terminal_size

    assert terminal_size(width, height) == size


# --- The rules, one by one ---------------------------------------------------------------

@pytest.mark.parametrize(("host", "header", "allowed"), [
    ("127.0.0.1", "127.0.0.1:8000", True),
    ("127.0.0.1", "localhost:8000", True),
    ("127.0.0.1", "[::1]:8000", True),
    ("127.0.0.1", "LOCALHOST:8000", True),
    ("127.0.0.1", "127.0.0.1:8001", False),
    ("127.0.0.1", "127.0.0.1", False),  # port 80
    ("127.0.0.1", "evil.example:8000", False),
    ("127.0.0.1", "localhost.evil.example:8000", False),
    ("127.0.0.1", "user@127.0.0.1:8000", False),
    ("127.0.0.1", "127.0.0.1:8000/x", False),
    ("127.0.0.1", "", False),
    ("127.0.0.1", None, False),
    ("192.168.1.20", "192.168.1.20:8000", True),
    ("192.168.1.20", "localhost:8000", False),
    ("0.0.0.0", "mybox.lan:8000", True),  # any name of the machine; the token decides
    ("0.0.0.0", "mybox.lan:8001", False),
    ("0.0.0.0", "a;b:8000", False),
])
def test_host_rule(host: str, header: str | None, allowed: bool) -> None:
    from studyapp.serve.guard import Guard

    assert Guard(host, 8000).host_allowed(header) is allowed


@pytest.mark.parametrize(("host", "origin", "host_header", "allowed"), [
    ("127.0.0.1", None, "127.0.0.1:8000", True),  # not a web page: curl, a script
    ("127.0.0.1", "http://127.0.0.1:8000", "127.0.0.1:8000", True),
    ("127.0.0.1", "http://localhost:8000", "127.0.0.1:8000", True),
    ("127.0.0.1", "http://[::1]:8000", "127.0.0.1:8000", True),
    ("127.0.0.1", "http://evil.example", "127.0.0.1:8000", False),
    ("127.0.0.1", "http://localhost:9999", "127.0.0.1:8000", False),
    ("127.0.0.1", "https://localhost:8000", "127.0.0.1:8000", False),
    ("127.0.0.1", "null", "127.0.0.1:8000", False),
    ("127.0.0.1", "", "127.0.0.1:8000", False),
    ("192.168.1.20", "http://192.168.1.20:8000", "192.168.1.20:8000", True),
    ("192.168.1.20", "http://localhost:8000", "192.168.1.20:8000", False),
    ("0.0.0.0", "http://mybox.lan:8000", "mybox.lan:8000", True),
    ("0.0.0.0", "http://evil.example:8000", "mybox.lan:8000", False),
])
def test_origin_rule(host: str, origin: str | None, host_header: str, allowed: bool) -> None:
    from studyapp.serve.guard import Guard

    assert Guard(host, 8000).origin_allowed(origin, host_header) is allowed


def test_token_rule() -> None:
    from studyapp.serve.guard import Guard, new_token

    token = new_token()
    assert len(token) >= 40 and token != new_token()
    guard = Guard("0.0.0.0", 8000, token=token)
    assert guard.token_matches(token)
    for wrong in (None, "", token[:-1], token + "x", "トークン", "\udcff"):
        assert not guard.token_matches(wrong)
    assert Guard("127.0.0.1", 8000).token_matches(None)


def test_urls_printed_for_a_wildcard_address_are_ones_a_browser_can_open() -> None:
    import socket

    from studyapp.commands.serve import open_urls

    assert open_urls("127.0.0.1", 8000) == ["http://127.0.0.1:8000"]
    assert open_urls("192.168.1.20", 8000, "T") == ["http://192.168.1.20:8000/?token=T"]
    assert open_urls("0.0.0.0", 8000, "T") == [
        "http://127.0.0.1:8000/?token=T", f"http://{socket.gethostname()}:8000/?token=T",
    ]
    assert open_urls("::", 8000, "T")[0] == "http://[::1]:8000/?token=T"
