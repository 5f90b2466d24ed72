"""``studyapp serve``: the app in a browser through textual-serve.

The end-to-end test starts the server as a learner would (a subprocess on a free loopback
port, with its own data folder), fetches the page, opens the websocket the page names,
sends the terminal size the way textual-serve's browser client does, and waits for the
home screen's text in the stream. The server's process group (the server and the app
session it started) is stopped in a ``finally`` block. Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from studyapp.commands.serve import app_command, is_loopback, public_url
from tests.serving import HOME_TEXTS, PAGE_TIMEOUT, ROOT, Served, read_screen, serving


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Served]:
    with serving(tmp_path) as served:
        yield served


def _get_page(process: subprocess.Popen[bytes], url: str, log: Path) -> str:
    deadline = time.monotonic() + PAGE_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"serve exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode("utf-8")
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            if time.monotonic() > deadline:
                pytest.fail(f"no answer from {url} within {PAGE_TIMEOUT:.0f} s:\n"
                            f"{log.read_text()}")
            time.sleep(0.2)


@pytest.mark.skipif(os.name == "nt", reason="stops the server's process group")
async def test_serve_streams_the_home_screen(
    server: Served,
) -> None:
    process, port, log = server.process, server.port, server.log
    base = server.base
    page = await asyncio.to_thread(_get_page, process, base + "/", log)
    ws_url = f"ws://127.0.0.1:{port}/ws"
    assert f'data-session-websocket-url="{ws_url}"' in page
    assert "E資格 学習ツール" in page  # the page title is the app's

    screen = await read_screen(ws_url)
    missing = [t for t in HOME_TEXTS if t not in screen]
    assert not missing, f"home screen text {missing} not streamed; server log:\n" + (
        log.read_text(errors="replace")
    )
    assert f"{base}" in log.read_text(encoding="utf-8")  # the URL to open was printed


def test_serve_refuses_a_port_in_use(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "studyapp", "serve", "--port", str(port)],
            cwd=ROOT, env={**os.environ, "STUDYAPP_DATA_DIR": str(tmp_path)},
            capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"studyapp: serve: cannot listen on http://127.0.0.1:{port}: address already in use"
    ]
    assert "Traceback" not in result.stdout


def test_serve_refuses_a_missing_content_folder(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "studyapp", "serve", "--content", str(tmp_path / "nope")],
        cwd=ROOT, env={**os.environ, "STUDYAPP_DATA_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("studyapp: serve: content folder not found")
    assert len(result.stderr.splitlines()) == 1


def test_app_command_runs_this_interpreter_with_absolute_paths(tmp_path: Path,
                                                               monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "my decks").mkdir()
    command = app_command("my decks", "data", python="/opt/py thon/bin/python")
    assert shlex.split(command) == [
        "/opt/py thon/bin/python", "-m", "studyapp",
        "--content", str(tmp_path / "my decks"),
        "--data-dir", str(tmp_path / "data"),
    ]
    assert shlex.split(app_command()) == [sys.executable, "-m", "studyapp"]


@pytest.mark.parametrize(
    ("host", "loopback", "url"),
    [
        ("127.0.0.1", True, "http://127.0.0.1:8000"),
        ("localhost", True, "http://localhost:8000"),
        ("::1", True, "http://[::1]:8000"),
        ("0.0.0.0", False, "http://0.0.0.0:8000"),
        ("192.168.1.20", False, "http://192.168.1.20:8000"),
    ],
)
def test_loopback_and_url(host: str, loopback: bool, url: str) -> None:
    assert is_loopback(host) is loopback
    assert public_url(host, 8000) == url
