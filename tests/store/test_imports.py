"""The store never imports the UI, and the home screen does not pay for importing fsrs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys
from studyapp.store import ItemRef, Store
with Store(sys.argv[1]) as store:
    store.sync_content([ItemRef("reg", "c0", ("l1",))], [])
    store.home()
    store.due_queue()
    store.stats()
    print("fsrs" in sys.modules, "textual" in sys.modules)
    store.rate_card("reg", "c0", 3)
    print("fsrs" in sys.modules)
"""


def test_store_imports_neither_textual_nor_fsrs_until_it_schedules(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(tmp_path / "progress.sqlite3")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "True"]
