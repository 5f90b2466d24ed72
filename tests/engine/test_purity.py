"""The engine is pure numpy: importing it pulls in no UI, no YAML, no database."""

from __future__ import annotations

import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FORBIDDEN = ("textual", "yaml", "sqlite3", "studyapp", "fsrs")


def test_engine_imports_nothing_of_the_app() -> None:
    code = (
        "import sys, engine, engine.linear, engine.dropout, engine.training\n"
        "import pkgutil, importlib\n"
        "for m in pkgutil.walk_packages(engine.__path__, 'engine.'):\n"
        "    importlib.import_module(m.name)\n"
        f"bad = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    assert result.stdout.strip() == ""


@pytest.mark.parametrize("module", ["engine.norms", "engine.penalties", "engine.linear",
                                    "engine.dropout", "engine.training"])
def test_docstring_examples(module: str) -> None:
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, extraglobs={"np": importlib.import_module("numpy")})
    assert result.attempted > 0
    assert result.failed == 0
