"""Fixtures of the command-line tests (the runner itself is ``tests/running.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An empty data folder of the test's own, for ``$STUDYAPP_DATA_DIR``."""
    folder = tmp_path / "data"
    folder.mkdir()
    return folder
