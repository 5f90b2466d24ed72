"""Standard output that cannot be written: every command ends in one line and exit 1.

Each command that prints runs as a learner runs it (a subprocess), with its standard output
pointed at ``/dev/full`` (every write fails with ENOSPC), closed (``cmd >&-``), a file on a
"nearly full disk" (RLIMIT_FSIZE: the first write is cut short, the next fails with EFBIG)
and a pipe whose reader has gone (EPIPE: the usual quiet exit of ``cmd | head``). The
result is all the bytes or one ``studyapp: cannot write to standard output: …`` line —
never a traceback, never "Exception ignored" from the interpreter's exit, never exit 0
with half the output.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: what a line of the broken deck says (any validate problem will do)
BROKEN_DECK = "id: broken\ntitle: [\n"
TSV = "L1正則化の罰則項は?\tλ·Σ|w|\nドロップアウトの推論時は?\t何もしない\n"

#: each command that writes to stdout, with ``{tmp}`` standing for the test's folder
COMMANDS: dict[str, list[str]] = {
    "generate-json": ["generate", "lasso", "--seed", "1"],
    "generate-md": ["generate", "lasso", "--seed", "1", "--format", "md"],
    "generate-list": ["generate", "--list"],
    "export-md-stdout": ["export", "md", "-"],
    "export-md-summary": ["export", "md", "{tmp}/sheet.md"],
    "export-anki-summary": ["export", "anki", "{tmp}/deck.apkg"],
    "stats": ["stats"],
    "stats-json": ["stats", "--json"],
    "validate": ["validate"],
    "validate-problems": ["validate", "--content", "{tmp}/broken"],
    "import-summary": ["import", "tsv", "{tmp}/notes.txt", "--deck", "notes",
                       "--content", "{tmp}/decks"],
    "help": ["--help"],
    "command-help": ["generate", "--help"],
    "version": ["--version"],
}

#: the commands that write no file but stdout (RLIMIT_FSIZE limits every file written)
NO_OTHER_FILES = ["generate-json", "generate-md", "generate-list", "export-md-stdout",
                  "validate", "help"]

#: bytes a file may grow to under the "nearly full disk" (less than any command prints)
LIMIT = 40


def prepare(tmp: Path, name: str) -> list[str]:
    """The arguments of command ``name``, with the files it reads made in ``tmp``."""
    (tmp / "broken").mkdir(exist_ok=True)
    (tmp / "broken" / "deck.yaml").write_text(BROKEN_DECK, encoding="utf-8")
    (tmp / "notes.txt").write_text(TSV, encoding="utf-8")
    return [arg.replace("{tmp}", str(tmp)) for arg in COMMANDS[name]]


def studyapp(args: list[str], *, stdout: int, data: Path,
             preexec_fn: Callable[[], None] | None = None,
             env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args], cwd=ROOT,
        env={**os.environ, "STUDYAPP_DATA_DIR": str(data), **(env or {})},
        stdin=subprocess.DEVNULL, stdout=stdout, stderr=subprocess.PIPE,
        preexec_fn=preexec_fn, text=True, encoding="utf-8", timeout=180,
    )


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    """The single line on stderr (no traceback, no interpreter noise at exit)."""
    assert "Traceback" not in result.stderr
    assert "Exception ignored" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_full_device_is_one_line_and_exit_1(tmp_path: Path, name: str) -> None:
    args = prepare(tmp_path, name)
    with open("/dev/full", "w") as full:  # every write to it fails with ENOSPC
        result = studyapp(args, stdout=full.fileno(), data=tmp_path)
    assert one_line(result) == "studyapp: cannot write to standard output: " \
                               "no space left on device"
    assert result.returncode == 1


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_closed_stdout_is_one_line_and_exit_1(tmp_path: Path, name: str) -> None:
    args = prepare(tmp_path, name)
    result = studyapp(args, stdout=subprocess.DEVNULL, data=tmp_path,
                      preexec_fn=lambda: os.close(1))
    assert one_line(result) == "studyapp: cannot write to standard output: it is closed"
    assert result.returncode == 1


def test_a_read_only_stdout_is_one_line_and_exit_1(tmp_path: Path) -> None:
    args = prepare(tmp_path, "generate-json")
    with open(os.devnull) as read_only:
        result = studyapp(args, stdout=read_only.fileno(), data=tmp_path)
    assert one_line(result) == "studyapp: cannot write to standard output: " \
                               "bad file descriptor"
    assert result.returncode == 1


def _nearly_full_disk() -> None:
    # the kernel then cuts a write short at LIMIT bytes and fails the next with EFBIG,
    # instead of killing the process with SIGXFSZ
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


@pytest.mark.parametrize("unbuffered", ["1", ""], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize("name", NO_OTHER_FILES)
def test_a_short_write_is_not_a_success(tmp_path: Path, name: str, unbuffered: str) -> None:
    args = prepare(tmp_path, name)
    full = studyapp(args, stdout=subprocess.PIPE, data=tmp_path)
    assert full.returncode == 0, full.stderr
    assert len(full.stdout.encode("utf-8")) > LIMIT
    out = tmp_path / "out"
    env = {"PYTHONUNBUFFERED": unbuffered}
    with out.open("wb") as file:
        result = studyapp(args, stdout=file.fileno(), data=tmp_path,
                          preexec_fn=_nearly_full_disk, env=env)
    assert one_line(result) == "studyapp: cannot write to standard output: file too large"
    assert result.returncode == 1
    # what fits is the start of the output, not some other part of it
    assert full.stdout.encode("utf-8").startswith(out.read_bytes())


@pytest.mark.parametrize("name", list(COMMANDS))
def test_a_closed_pipe_is_a_quiet_exit(tmp_path: Path, name: str) -> None:
    args = prepare(tmp_path, name)
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first write: EPIPE every time
    try:
        result = studyapp(args, stdout=writer, data=tmp_path)
    finally:
        os.close(writer)
    assert result.stderr == ""
    assert result.returncode == 0


def test_every_byte_reaches_a_slow_pipe(tmp_path: Path) -> None:
    # a pipe takes 64 KiB at a time: the rest waits for the reader, nothing is dropped
    args = ["generate", "lasso", "--seed", "1", "--count", "300"]
    result = studyapp(args, stdout=subprocess.PIPE, data=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.encode("utf-8")) > 256 * 1024
    assert result.stdout.rstrip().endswith("]")


def test_serve_whose_url_cannot_be_shown_says_so_not_cannot_listen(tmp_path: Path) -> None:
    # The announcement's OSError was caught as a listening error: "cannot listen on …:
    # no space left on device". The server must stop with the output's own line.
    with open("/dev/full", "w") as full:
        result = studyapp(["serve", "--port", "0"], stdout=full.fileno(), data=tmp_path)
    line = one_line(result)
    assert line == "studyapp: cannot write to standard output: no space left on device"
    assert result.returncode == 1
