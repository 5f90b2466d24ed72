"""Every test runs against a data folder of its own: nothing a test does reaches the
learner's real progress or imported decks, and nothing there changes what a test sees."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.mktemp("studyapp-data")
    monkeypatch.setenv("STUDYAPP_DATA_DIR", str(folder))
    return folder
