"""textual-serve's server, guarded, capped and offline.

``StudyServer`` keeps textual-serve's routes (``/`` the page, ``/ws`` the session,
``/static/…`` its script, stylesheet and fonts, ``/download/…`` files the app hands
over) and adds:

- a middleware that refuses (403) every request whose ``Host`` is not this server, whose
  ``Origin`` is another site, or, off loopback, that carries no valid token;
- a cap on concurrent sessions: each one is an app process; past the cap the page is a
  503 that says why, and a WebSocket gets that sentence and closes with 1013;
- messages over the WebSocket that the page would never send are ignored (not logged
  as tracebacks), and terminal sizes are capped;
- its own page template, which names only URLs of the server (a local font instead of
  the template's web font, the favicon), and headers that keep it out of other sites'
  frames and keep the page from fetching anything elsewhere.
"""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from studyapp.serve.guard import Guard

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE / "templates"
FAVICON = HERE / "static" / "favicon.ico"
FONT_SIZES = range(8, 49)  # the page's ?fontsize=, in pixels
FULL_CLOSE_REASON = b"too many sessions"
# The largest terminal a session is given: a 4K screen at a small font is ~480 x 130;
# a client asking for more would make the app process allocate without bound.
MAX_COLUMNS, MAX_ROWS = 1000, 500

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def notice_html(heading: str, detail: str) -> str:
    """A small HTML page with one message, for refusals a learner may see in a tab."""
    return (
        "<!DOCTYPE html>\n<html lang=\"ja\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(heading)}</title><link rel=\"icon\" href=\"/favicon.ico\">"
        "</head><body style=\"font-family: sans-serif; background: #0c181f; color: #e8eef2;"
        " padding: 2em; line-height: 1.6\">"
        f"<h1 style=\"font-size: 1.3em\">{html.escape(heading)}</h1>"
        f"<p>{html.escape(detail)}</p></body></html>\n"
    )


def notice(status: int, heading: str, detail: str) -> web.Response:
    """:func:`notice_html` as a response with ``status``."""
    return web.Response(status=status, text=notice_html(heading, detail),
                        content_type="text/html", charset="utf-8")


def terminal_size(width: object, height: object) -> tuple[int, int] | None:
    """``(width, height)`` in cells, within ``MAX_COLUMNS`` x ``MAX_ROWS``; None if not numbers.

    Parameters
    ----------
    width, height : object
        What the client sent (a JSON value or a query string).
    """
    try:
        columns, rows = int(str(width)), int(str(height))
    except ValueError:
        return None
    return min(max(columns, 1), MAX_COLUMNS), min(max(rows, 1), MAX_ROWS)


def read_envelope(text: str) -> tuple[str, object] | None:
    """A message from the page, ``[kind, data]``, as ``(kind, data)``; None if malformed."""
    try:
        envelope = json.loads(text)
    except ValueError:
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    return envelope[0], envelope[1] if len(envelope) > 1 else None


def full_message(max_sessions: int) -> tuple[str, str]:
    """The heading and detail shown when ``max_sessions`` sessions are open."""
    return (
        f"同時に開けるセッションは {max_sessions} 個までです",
        "ほかのタブを閉じてから、このページを再読み込みしてください。"
        f" (studyapp serve: all {max_sessions} sessions that --max-sessions allows are"
        " in use; close a tab and reload.)",
    )


class StudyServer(Server):
    """textual-serve's ``Server`` with the guard, the session cap and the local page.

    Parameters
    ----------
    command : str
        The shell command that starts one app session.
    guard : Guard
        Which requests to answer (host, port and token).
    max_sessions : int
        How many sessions may run at once.
    title : str
        The page title.
    public_url : str
        The URL printed at start.
    on_ready : callable, optional
        Called once the server listens (prints the URL to open).
    """

    def __init__(self, command: str, *, guard: Guard, max_sessions: int, title: str,
                 public_url: str, on_ready: Callable[[], None] | None = None) -> None:
        super().__init__(command, host=guard.host, port=guard.port, title=title,
                         public_url=public_url, templates_path=TEMPLATES)
        self.guard = guard
        self.max_sessions = max_sessions
        self.sessions = 0
        self._on_ready = on_ready

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard_middleware)
        app.router.add_get("/favicon.ico", self.handle_favicon, name="favicon")
        return app

    async def on_startup(self, app: web.Application) -> None:
        """Announce the URL (instead of textual-serve's banner)."""
        if self._on_ready is not None:
            self._on_ready()

    @web.middleware
    async def _guard_middleware(self, request: web.Request,
                                handler: Handler) -> web.StreamResponse:
        """Every route, textual-serve's included, goes through the same three checks."""
        refusal = self._refusal(request)
        if refusal is not None:
            return refusal
        if self.guard.token is not None and "token" in request.query and request.path == "/":
            return self._keep_token(request)
        response = await handler(request)
        if not response.prepared:  # a WebSocket or a download has sent its headers
            _protect(response, request)
        return response

    def _refusal(self, request: web.Request) -> web.Response | None:
        """The 403 page for a request this server must not answer, else None."""
        host = request.headers.get("Host")
        if not self.guard.host_allowed(host):
            return notice(403, "このアドレスでは開けません",
                          f"studyapp serve answers only to {self.public_url} "
                          f"(the request named the host {host!r}).")
        if not self.guard.origin_allowed(request.headers.get("Origin"), host):
            return notice(403, "ほかのサイトからは開けません",
                          "studyapp serve refuses requests made by pages of other sites.")
        given = request.query.get("token", request.cookies.get(self.guard.cookie_name))
        if not self.guard.token_matches(given):
            return notice(403, "token 付きの URL で開いてください",
                          "サーバーの起動時に表示された URL（?token=…）を開いてください。"
                          " (studyapp serve: open the URL with ?token= that the server "
                          "printed when it started.)")
        return None

    def _keep_token(self, request: web.Request) -> web.Response:
        """Move a valid ``?token=`` into a cookie and out of the address bar.

        The page's script connects to the WebSocket by a URL of its own, so the token
        reaches it as the cookie. Lax: the printed URL may be opened from a link.
        """
        query = {key: value for key, value in request.query.items() if key != "token"}
        response = web.Response(status=302,
                                headers={"Location": str(request.rel_url.with_query(query))})
        response.set_cookie(self.guard.cookie_name, self.guard.token or "", path="/",
                            httponly=True, samesite="Lax")
        _protect(response, request)
        return response

    async def handle_favicon(self, request: web.Request) -> web.StreamResponse:
        """``/favicon.ico``: the app's icon."""
        return web.FileResponse(FAVICON, headers={"Content-Type": "image/x-icon"})

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """The page, with URLs relative to the name it was opened by.

        textual-serve writes absolute URLs from the printed address; a page opened as
        ``localhost`` (or, on ``0.0.0.0``, by any name of the machine) must connect back
        to the very host it came from.
        """
        if self.sessions >= self.max_sessions:
            raise web.HTTPServiceUnavailable(
                text=notice_html(*full_message(self.max_sessions)), content_type="text/html")
        font_size = to_int(request.query.get("fontsize", "16"), 16)
        return {
            "font_size": font_size if font_size in FONT_SIZES else 16,
            "app_websocket_url": f"ws://{request.headers['Host']}/ws",
            "config": {"static": {"url": "/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One app session, if fewer than ``max_sessions`` are running."""
        if self.sessions >= self.max_sessions:
            return await self._refuse_session(request)
        size = terminal_size(request.query.get("width", "80"), request.query.get("height", "24"))
        columns, rows = size or (80, 24)
        request = request.clone(rel_url=request.rel_url.update_query(width=columns, height=rows))
        self.sessions += 1  # no await between the check and this: one event loop
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1

    async def _process_messages(self, websocket: web.WebSocketResponse,
                                app_service: AppService) -> None:
        """Pass the page's messages to the session: textual-serve's, checked.

        textual-serve assumes well-formed messages; anything else raised and was logged
        as a traceback. The page sends only these five kinds.
        """
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            envelope = read_envelope(message.data)
            if envelope is None:
                continue
            kind, data = envelope
            if kind == "stdin" and isinstance(data, str):
                await app_service.send_bytes(data.encode("utf-8", "replace"))
            elif kind == "resize" and isinstance(data, dict):
                size = terminal_size(data.get("width"), data.get("height"))
                if size is not None:
                    await app_service.set_terminal_size(*size)
            elif kind == "ping" and isinstance(data, str):
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()

    async def _refuse_session(self, request: web.Request) -> web.WebSocketResponse:
        """Say why in the terminal, then close with 1013 (try again later)."""
        websocket = web.WebSocketResponse()
        await websocket.prepare(request)
        heading, detail = full_message(self.max_sessions)
        await websocket.send_bytes(f"\r\n  {heading}\r\n  {detail}\r\n".encode())
        await websocket.close(code=WSCloseCode.TRY_AGAIN_LATER, message=FULL_CLOSE_REASON)
        return websocket


def _protect(response: web.StreamResponse, request: web.Request) -> None:
    """Headers that keep the page in its own tab and its requests on this server.

    ``connect-src`` names the WebSocket explicitly as not every browser counts ``ws:``
    as ``'self'``; the page's ``?ping=`` would otherwise make it fetch any URL.
    """
    host = request.headers.get("Host", "")
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self' 'unsafe-inline'; "
        "style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; "
        f"connect-src 'self' ws://{host}; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
