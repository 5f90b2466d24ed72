"""The command line as a learner runs it, for the import tests of tests/faults."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GIB = 1024**3


def studyapp(*args: str, data: Path, limit_memory: bool = False
             ) -> subprocess.CompletedProcess[str]:
    """Run the command line with ``data`` as ``$STUDYAPP_DATA_DIR``."""

    def cap() -> None:  # a run that reads without bound fails here instead of swapping
        resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))

    return subprocess.run(
        [sys.executable, "-m", "studyapp", *args],
        cwd=ROOT, env={**os.environ, "STUDYAPP_DATA_DIR": str(data)},
        capture_output=True, text=True, encoding="utf-8", timeout=120,
        preexec_fn=cap if limit_memory else None,
    )
