"""The graded cases: computed by the engine, compared in pure Python, cached in the data
folder under a fingerprint of what decides them, and never trusted when the cache file is
damaged or not what the app writes."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from studyapp.exercises import graded
from studyapp.exercises.catalog import EXERCISES, get
from studyapp.exercises.grading import check_source, same


def _ridge():
    exercise = get("ridge")
    assert exercise is not None
    return exercise


def _no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args, **_kwargs):
        raise AssertionError("the cases were computed again")

    monkeypatch.setattr(graded, "compute_all", refuse)
    monkeypatch.setattr(graded, "compute", refuse)


def test_encoded_values_compare_like_allclose_without_numpy() -> None:
    a = {"shape": [2], "data": [1.0, 2.0]}
    assert same(a, {"shape": [2], "data": [1.0, 2.0 + 1e-9]}, 1e-6, 1e-8)
    assert not same(a, {"shape": [2], "data": [1.0, 2.01]}, 1e-6, 1e-8)
    assert not same(a, {"shape": [1, 2], "data": [1.0, 2.0]}, 1e-6, 1e-8)  # shape counts
    assert not same(a, {"shape": [3], "data": [1.0, 2.0, 0.0]}, 1e-6, 1e-8)
    nan = {"shape": [], "data": ["nan"]}
    assert not same(nan, nan, 1e-6, 1e-8)  # NaN never agrees
    inf = {"shape": [], "data": ["inf"]}
    assert same(inf, inf, 1e-6, 1e-8)
    assert not same(inf, {"shape": [], "data": ["-inf"]}, 1e-6, 1e-8)
    assert not same({"shape": [], "data": [1e300]}, inf, 1e-6, 1e-8)


def test_encode_and_nested_round_trip() -> None:
    value = graded.encode([[1, 2, 3], [4, math.inf, 6]])
    assert value == {"shape": [2, 3], "data": [1.0, 2.0, 3.0, 4.0, "inf", 6.0]}
    assert graded.nested(value) == [[1.0, 2.0, 3.0], [4.0, "inf", 6.0]]
    assert graded.nested(graded.encode(3)) == 3.0
    assert graded.valid_encoded(value)
    assert not graded.valid_encoded({"shape": [2, 2], "data": [1.0, 2.0, 3.0]})
    assert not graded.valid_encoded({"shape": [1], "data": [True]})
    assert not graded.valid_encoded({"shape": [1], "data": ["1.0"]})


def test_first_load_writes_the_cache_and_the_next_reads_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exercise = _ridge()
    cases, warning = graded.load(exercise, tmp_path)
    assert warning is None
    path = Path(graded.cache_path(tmp_path))
    assert path.parent == tmp_path / "cache" and path.name.startswith("exercises-")
    assert path.is_file()
    assert [c.to_json() for c in cases] == [c.to_json() for c in graded.compute(exercise)]
    on_disk = json.loads(path.read_text(encoding="utf-8"))
    assert set(on_disk["exercises"]) == {e.id for e in EXERCISES}  # every exercise at once
    _no_engine(monkeypatch)
    again, _ = graded.load(get("dropout-layer"), tmp_path)  # type: ignore[arg-type]
    assert len(again) == len(on_disk["exercises"]["dropout-layer"]["cases"])
    assert [c.to_json() for c in graded.load(exercise, tmp_path)[0]] == [
        c.to_json() for c in cases]
    assert not list((tmp_path / "cache").glob(".*.tmp"))  # no temporary file left


def test_cached_cases_grade_like_computed_ones(tmp_path: Path) -> None:
    exercise = get("dropout-layer")
    assert exercise is not None
    cases, _ = graded.load(exercise, tmp_path)
    cases, _ = graded.load(exercise, tmp_path)  # from the file this time
    assert check_source(exercise, exercise.solution, cases=cases).ok
    mistake = exercise.mistakes[0]
    report = check_source(exercise, mistake.example, cases=cases)
    assert report.failure is not None and report.failure.mistake is mistake


@pytest.mark.parametrize("damage", [
    b"",                                        # empty (a torn write)
    b"\x00\xff garbage",                        # not text
    b'{"format": 1, "fingerprint": "x"',        # cut short
    b"[1, 2, 3]",                               # not an object
])
def test_a_corrupt_cache_is_ignored_and_rewritten(tmp_path: Path, damage: bytes) -> None:
    exercise = _ridge()
    graded.load(exercise, tmp_path)
    path = Path(graded.cache_path(tmp_path))
    path.write_bytes(damage)
    cases, warning = graded.load(exercise, tmp_path)
    assert warning is None
    assert [c.to_json() for c in cases] == [c.to_json() for c in graded.compute(exercise)]
    assert json.loads(path.read_text(encoding="utf-8"))["fingerprint"] == graded.fingerprint()


def _tamper(path: Path, edit) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    edit(data["exercises"]["ridge"]["cases"])
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.mark.parametrize("edit", [
    lambda cases: cases[0]["expected"][0].update(data=[1.0]),           # data ≠ shape
    lambda cases: cases[0]["expected"].append(cases[0]["expected"][0]),  # an output too many
    lambda cases: cases[0]["expected"][0]["data"].__setitem__(0, "1"),  # text for a number
    lambda cases: cases[0].update(steps=[{"op": "exec"}]),              # an unknown step
    lambda cases: cases[1].pop("mistakes"),                              # a field missing
    lambda cases: cases[2]["mistakes"].append(None),                     # a mistake too many
    lambda cases: cases.clear(),                                         # no cases
    lambda cases: cases[0]["expected"].pop(),                           # an output missing
], ids=["shape", "outputs", "text", "step", "field", "mistakes", "empty", "missing"])
def test_a_cache_of_the_wrong_shape_is_not_trusted(tmp_path: Path, edit) -> None:
    exercise = _ridge()
    graded.load(exercise, tmp_path)
    path = Path(graded.cache_path(tmp_path))
    _tamper(path, edit)
    cases, _ = graded.load(exercise, tmp_path)
    assert [c.to_json() for c in cases] == [c.to_json() for c in graded.compute(exercise)]
    assert check_source(exercise, exercise.solution, cases=cases).ok


def test_the_cache_is_read_without_the_catalog_and_checked_against_it(
        tmp_path: Path) -> None:
    exercise = _ridge()
    graded.load(exercise, tmp_path)
    cases = graded.read_cached("ridge", tmp_path)
    assert cases is not None and graded.fits(exercise, cases)
    assert graded.read_cached("no-such-exercise", tmp_path) is None
    assert not graded.fits(get("dropout-layer"), cases)  # type: ignore[arg-type]
    path = Path(graded.cache_path(tmp_path))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["exercises"]["ridge"]["outputs"] = 2  # declared counts must match the cases
    path.write_text(json.dumps(data), encoding="utf-8")
    assert graded.read_cached("ridge", tmp_path) is None


def test_a_change_to_the_engine_or_the_exercises_changes_the_fingerprint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = tmp_path / "linear.py"
    source.write_text("def ridge(): ...\n", encoding="utf-8")
    monkeypatch.setattr(graded, "_sources", lambda: [str(source)])
    before = graded.fingerprint()
    assert graded.fingerprint() == before
    source.write_text("def ridge(): return 1\n", encoding="utf-8")
    assert graded.fingerprint() != before


def test_sources_cover_the_catalog_the_engine_and_numpy() -> None:
    names = {Path(p).as_posix() for p in graded._sources()}
    assert any(n.endswith("studyapp/exercises/catalog.py") for n in names)
    assert any(n.endswith("engine/linear.py") for n in names)
    assert any(n.endswith("engine/problems/registry.py") for n in names)
    assert any(n.endswith("numpy/version.py") for n in names)


def test_a_new_fingerprint_recomputes_and_removes_the_old_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    exercise = _ridge()
    graded.load(exercise, tmp_path)
    old = Path(graded.cache_path(tmp_path))
    data = json.loads(old.read_text(encoding="utf-8"))
    data["exercises"]["ridge"]["cases"][0]["expected"][0]["data"][0] += 1000.0  # a stale answer
    old.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(graded, "fingerprint", lambda: "0123456789abcdef0123")
    cases, _ = graded.load(exercise, tmp_path)
    assert check_source(exercise, exercise.solution, cases=cases).ok
    assert not old.exists()
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [
        "exercises-0123456789abcdef0123.json"]


def test_an_unwritable_cache_still_grades_with_a_warning(tmp_path: Path) -> None:
    exercise = _ridge()
    (tmp_path / "cache").write_text("a file where the folder goes", encoding="utf-8")
    cases, warning = graded.load(exercise, tmp_path)
    assert warning is not None and "cache" in warning
    assert check_source(exercise, exercise.solution, cases=cases).ok


def test_no_data_folder_computes_without_writing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere"
    cases, warning = graded.load(_ridge(), missing)
    assert cases and warning is None
    assert not missing.exists()
