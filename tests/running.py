"""The command line as a learner runs it, for the tests of tests/cli and tests/faults.

``studyapp(...)`` runs ``python -m studyapp`` in a subprocess from the repository root
(its own data folder through ``$STUDYAPP_DATA_DIR``), so what is tested is what a learner
sees: exit codes, stdout and one-line errors on stderr. Every run is bounded in time.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 180
GIB = 1024**3


def _cap_memory() -> None:  # a run that reads without bound fails here instead of swapping
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def studyapp(
    *args: str,
    data: Path | None = None,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    text: bool = True,
    limit_memory: bool = False,
    stdin: Any = None,
) -> subprocess.CompletedProcess[Any]:
    """Run ``studyapp ARGS``: ``data`` as ``$STUDYAPP_DATA_DIR`` when given, ``env`` added to
    the environment, output captured (text in UTF-8 unless ``text`` is false), at most 1 GiB
    of memory with ``limit_memory``."""
    environment = {**os.environ, **(env or {})}
    if data is not None:
        environment["STUDYAPP_DATA_DIR"] = str(data)
    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args],
        cwd=cwd, env=environment, capture_output=True, stdin=stdin, timeout=TIMEOUT,
        text=text, encoding="utf-8" if text else None,
        preexec_fn=_cap_memory if limit_memory else None,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    """The stdout of a run that succeeded and said nothing on stderr."""
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def one_line_error(result: subprocess.CompletedProcess[str], code: int | None = 2) -> str:
    """The one ``studyapp: …`` line of a run that failed with ``code`` (``None``: any
    non-zero code), printing nothing on stdout and no traceback."""
    failed = result.returncode != 0 if code is None else result.returncode == code
    assert failed, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("studyapp: "), result.stderr
    return lines[0]


def write_deck(root: Path, deck_yaml: str, items_yaml: str, name: str = "mini") -> Path:
    """A content folder ``root`` with one deck ``name`` (deck.yaml and items.yaml)."""
    (root / name).mkdir(parents=True, exist_ok=True)
    (root / name / "deck.yaml").write_text(deck_yaml, encoding="utf-8")
    (root / name / "items.yaml").write_text(items_yaml, encoding="utf-8")
    return root
