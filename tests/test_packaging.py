"""The wheel carries the decks, so `pip install .` outside the checkout still finds them."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        pytest.fail(f"building the wheel failed:\n{result.stderr[-2000:]}")
    (path,) = out.glob("studyapp-*.whl")
    return path


def test_wheel_contains_packages_and_every_deck_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "engine/__init__.py" in names
    assert "studyapp/cli.py" in names
    deck_files = sorted(p.relative_to(ROOT / "content").as_posix()
                        for p in (ROOT / "content").rglob("*.yaml"))
    assert deck_files, "no deck files in content/"
    for rel in deck_files:
        assert f"studyapp/_decks/{rel}" in names
    # what serve hands the browser: without them the page is a 500 or loads an outside font
    styles = [f"studyapp/styles/{p.name}" for p in (ROOT / "studyapp/styles").glob("*.tcss")]
    assert styles
    for asset in ("studyapp/serve/templates/app_index.html", "studyapp/serve/static/favicon.ico",
                  *styles):
        assert asset in names, asset
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "studyapp = studyapp.cli:main" in text


def test_installed_wheel_finds_bundled_decks_from_another_folder(
    wheel: Path, tmp_path: Path
) -> None:
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--target", str(target), str(wheel)], check=True)
    code = ("import studyapp.paths as p; d = p.bundled_content_dir(); "
            "print(d); print((d / 'regularization' / 'deck.yaml').is_file())")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True,
                            text=True, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"},
                            check=True)
    folder, found = result.stdout.split()
    assert folder.startswith(str(target))
    assert found == "True"
