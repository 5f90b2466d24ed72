"""Running ``studyapp serve`` in a test as a learner would, for tests/cli and tests/faults.

The server is a subprocess on a free loopback port with a data folder of its own, in its
own process group, stopped (with the app sessions it started) when the block ends. Every
wait is bounded.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGE_TIMEOUT = 60.0
SCREEN_TIMEOUT = 90.0
# Text of the home screen: the deck title and the heading of the keyword panel.
HOME_TEXTS = ("正則化", "キーワード")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and the sessions it started (its own process group)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)
    except ProcessLookupError:
        process.wait(timeout=15)


class Served:
    """A running ``studyapp serve``: its port and what it printed so far."""

    def __init__(self, process: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.process = process
        self.port = port
        self.log = log
        self.base = f"http://127.0.0.1:{port}"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def serving(folder: Path, *flags: str) -> Iterator[Served]:
    """Start ``studyapp serve --port P FLAGS`` and wait until it answers on its port."""
    port = free_port()
    data = folder / "data"
    data.mkdir()
    log = folder / "server.log"
    env = {**os.environ, "STUDYAPP_DATA_DIR": str(data)}
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "studyapp", "serve", "--port", str(port), *flags],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
    served = Served(process, port, log)
    try:
        _wait_until_listening(served)
        yield served
    finally:
        stop(process)


def _wait_until_listening(served: Served) -> None:
    deadline = time.monotonic() + PAGE_TIMEOUT
    while True:
        if served.process.poll() is not None:
            pytest.fail(f"serve exited with {served.process.returncode}:\n{served.output()}")
        try:
            with socket.create_connection(("127.0.0.1", served.port), timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                pytest.fail(f"serve did not listen within {PAGE_TIMEOUT:.0f} s:\n"
                            f"{served.output()}")
            time.sleep(0.2)


async def read_screen(ws_url: str, origin: str | None = None) -> str:
    """Connect as the browser does and collect the stream until the home screen shows."""
    received = bytearray()
    timeout = aiohttp.ClientTimeout(total=SCREEN_TIMEOUT + 10)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.ws_connect(
        f"{ws_url}?width=100&height=30", origin=origin
    ) as ws:
        await ws.send_str(json.dumps(["resize", {"width": 100, "height": 30}]))
        deadline = time.monotonic() + SCREEN_TIMEOUT
        while time.monotonic() < deadline:
            try:
                message = await asyncio.wait_for(ws.receive(),
                                                 timeout=deadline - time.monotonic())
            except asyncio.TimeoutError:
                break
            if message.type == aiohttp.WSMsgType.BINARY:
                received += message.data
                text = received.decode("utf-8", errors="replace")
                if all(expected in text for expected in HOME_TEXTS):
                    return text
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                  aiohttp.WSMsgType.ERROR):
                break
    return received.decode("utf-8", errors="replace")
