"""``studyapp serve [--host 127.0.0.1] [--port 8000] [--max-sessions 8]``: the app in a browser.

textual-serve runs a web server; every browser tab that opens the page starts its own
``python -m studyapp [--content DIR] [--data-dir DIR]`` (the same interpreter, the same
flags, so the same decks and progress database as the terminal app) and streams its
screen over a websocket, up to ``--max-sessions`` at once. The server listens on the
loopback interface unless ``--host`` says otherwise, answers only requests addressed to
it and made by its own page, and off loopback only those that carry the token it prints
(``studyapp/serve/``). ``--port 0`` picks a free port. Ctrl+C stops it.
"""

from __future__ import annotations

import argparse
import os
import shlex
import socket
import subprocess
import sys
import sysconfig
from collections.abc import Sequence
from pathlib import Path

from studyapp.commands._output import StdoutError, write_stdout
from studyapp.errors import UserError, os_reason
from studyapp.serve.guard import is_loopback, is_wildcard

__all__ = ["app_command", "is_loopback", "open_urls", "public_url", "run"]

EXIT_USAGE = 2
TITLE = "E資格 学習ツール"
#: set for the served sessions when learner code may not run (off loopback without
#: ``--allow-code``); the exercise screen then refuses to run checks
NO_CODE_ENV = "STUDYAPP_NO_CODE"


def code_allowed(host: str, allow_code: bool) -> bool:
    """Whether served sessions may run exercise code: on loopback always, elsewhere only
    with ``--allow-code`` (anyone who reaches the page could otherwise run code here,
    inside the sandbox's limits)."""
    return allow_code or is_loopback(host)


def app_command(content: str | None = None, data_dir: str | None = None,
                python: str | None = None) -> str:
    """The shell command textual-serve runs for each browser session.

    Parameters
    ----------
    content, data_dir : str, optional
        ``--content`` and ``--data-dir`` as given; passed on as absolute paths.
    python : str, optional
        The interpreter (default: the one running now).

    Returns
    -------
    str
        A command line quoted for the platform's shell.
    """
    argv = [python or sys.executable, "-m", "studyapp"]
    if content:
        argv += ["--content", str(Path(content).expanduser().resolve())]
    if data_dir:
        argv += ["--data-dir", str(Path(data_dir).expanduser().resolve())]
    return _join(argv)


def public_url(host: str, port: int) -> str:
    """``http://host:port`` (IPv6 addresses in brackets)."""
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def open_urls(host: str, port: int, token: str | None = None) -> list[str]:
    """The URLs to print: the one to open on this machine first, then any for others.

    With a token each URL carries it (``/?token=…``). A wildcard address (``0.0.0.0``,
    ``::``) is no place a browser can go: this machine opens the loopback address, other
    machines the machine's name.
    """
    query = "" if token is None else f"/?token={token}"
    if not is_wildcard(host):
        return [public_url(host, port) + query]
    local = "::1" if ":" in host else "127.0.0.1"
    return [public_url(local, port) + query, public_url(socket.gethostname(), port) + query]


def run(args: argparse.Namespace) -> int:
    """Serve the app until Ctrl+C.

    Parameters
    ----------
    args : argparse.Namespace
        ``host`` (str), ``port`` (int, 0 for a free one), ``max_sessions`` (int),
        ``content`` and ``data_dir`` (paths or None).

    Returns
    -------
    int
        0 when stopped.

    Raises
    ------
    UserError
        A missing content folder (exit 2), a data folder or database the app could not
        open, or an address the server cannot listen on.
    """
    if args.content:
        root = Path(args.content).expanduser()
        if not root.is_dir():
            state = "is not a folder" if root.exists() else "not found"
            raise UserError(f"serve: content folder {state}: {args.content}", EXIT_USAGE)
    from studyapp.store import open_store

    with open_store(args.data_dir):  # the same checks the app makes, once, up front
        pass
    host = args.host
    port = _bind_check(host, args.port)
    url = public_url(host, port)
    _make_importable()
    command = app_command(args.content, args.data_dir)

    from studyapp.serve.guard import Guard, new_token
    from studyapp.serve.server import StudyServer

    if not code_allowed(host, getattr(args, "allow_code", False)):
        # every session's app inherits this: its exercises show the task but run no code
        os.environ[NO_CODE_ENV] = "1"
    guard = Guard(host, port, token=None if is_loopback(host) else new_token())
    max_sessions = args.max_sessions
    here, *elsewhere = open_urls(host, port, guard.token)

    def announce() -> None:
        lines = [f"{TITLE}をブラウザで開けます: {here}"]
        lines += [f"ほかのマシンからは: {other}" for other in elsewhere]
        lines.append(f"（タブごとにアプリが1つ起動します。同時に {max_sessions} タブまで。"
                     "Ctrl+C でサーバーを止めます）")
        write_stdout("\n".join(lines) + "\n")  # all of it, or StdoutError
        if guard.token is not None:
            print(f"studyapp: serve: listening on {host}: anyone who can reach this "
                  "address and has the URL with its token can open the app and change "
                  "your progress", file=sys.stderr, flush=True)

    server = StudyServer(command, guard=guard, max_sessions=max_sessions, title=TITLE,
                         public_url=url, on_ready=announce)
    try:
        server.serve()
    except (StdoutError, BrokenPipeError):
        raise  # the URL could not be shown: the command line says so (not "cannot listen")
    except OSError as exc:
        raise UserError(f"serve: cannot listen on {url}: {os_reason(exc)}") from None
    return 0


def _bind_check(host: str, port: int) -> int:
    """The port to serve on: ``port`` once it is known to be free (0: any free port).

    Checked before the server starts, so a port in use ends in one line before anything
    is announced.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise UserError(f"serve: unknown host {host!r}: {os_reason(exc)}", EXIT_USAGE) from None
    family, _, _, _, address = infos[0]
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            if os.name != "nt":  # as aiohttp does: a port in TIME_WAIT is free
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
            return int(probe.getsockname()[1])
    except OSError as exc:
        raise UserError(f"serve: cannot listen on {public_url(host, port)}: "
                        f"{os_reason(exc)}") from None


def _make_importable() -> None:
    """Let the per-session ``python -m studyapp`` import this very package.

    An installed package is importable anywhere; a source checkout only from its own
    folder, so its folder is put on the sessions' ``PYTHONPATH``.
    """
    here = Path(__file__).resolve().parents[2]
    installed = {Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")}
    if here in installed:
        return
    current = os.environ.get("PYTHONPATH", "")
    parts = [p for p in current.split(os.pathsep) if p]
    if str(here) not in parts:
        os.environ["PYTHONPATH"] = os.pathsep.join([str(here), *parts])


def _join(argv: Sequence[str]) -> str:
    if os.name == "nt":
        return subprocess.list2cmdline(list(argv))
    return shlex.join(argv)
