"""The content layer never imports the UI (checked in a fresh interpreter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_loading_content_does_not_import_textual() -> None:
    code = (
        "import sys\n"
        "from studyapp.content import load_content, validate_content\n"
        "from studyapp.content import cloze, compute, texmath\n"
        "library, problems = validate_content()\n"
        "assert library.decks, 'the bundled decks did not load'\n"
        "ui = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not ui, ui\n"
        "print('ok')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
