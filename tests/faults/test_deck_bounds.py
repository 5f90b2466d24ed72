"""Deck files are bounded before they are expanded: YAML aliases, nesting, size.

An alias is the same value used again, so a few kilobytes of anchors and aliases can
stand for a billion numbers or gigabytes of text (the "billion laughs" shape). Every
case here is a small deck file that ``studyapp validate`` must refuse with one
``FILE:LINE: message`` line and exit 2, quickly and in little memory: each runs as a
subprocess under a 1 GiB address-space limit (a generous timeout only guards a hang).
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

from studyapp.content import validate_content
from studyapp.content.compute import MAX_COMPUTE_VALUES, MAX_FEATURES, ComputeError, evaluate_raw
from studyapp.content.validation import MAX_ITEM_TEXT, MAX_ITEM_VALUES
from studyapp.content.yamlnodes import (
    MAX_DEPTH,
    MAX_FILE_BYTES,
    MAX_FILE_TEXT,
    MAX_FILE_VALUES,
    YMap,
    expansion,
    read_yaml,
)
from studyapp.paths import bundled_content_dir

ROOT = Path(__file__).resolve().parents[2]
GIB = 1024**3
DECK = "id: t\ntitle: テスト\nkeywords:\n  - {id: norm, name: ノルム, en: norm}\n"
NUMERIC_HEAD = """\
questions:
  - id: bomb
    type: numeric
    keywords: [norm]
    prompt: 計算せよ。
    explanation: 解説。
    compute:
"""
PROBLEM = re.compile(r"^(?P<file>.+?\.yaml)(?::(?P<line>\d+))?: (?P<message>.+)$")


def write_deck(tmp_path: Path, items: str) -> Path:
    """A content folder holding deck ``t`` with ``items`` as its ``items.yaml``."""
    folder = tmp_path / "content" / "t"
    folder.mkdir(parents=True)
    (folder / "deck.yaml").write_text(DECK, encoding="utf-8")
    (folder / "items.yaml").write_text(items, encoding="utf-8")
    return tmp_path / "content"


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (GIB, GIB))


def validate(content: Path) -> subprocess.CompletedProcess[str]:
    """``studyapp validate --content CONTENT`` as a learner runs it, memory capped."""
    return subprocess.run(
        [sys.executable, "-m", "studyapp", "validate", "--content", str(content)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
        preexec_fn=_limit_memory,
    )


def refused(result: subprocess.CompletedProcess[str]) -> list[tuple[int | None, str]]:
    """The (line, message) of each problem of items.yaml; checks exit 2, no traceback."""
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 2, (result.returncode, result.stdout[-2000:],
                                    result.stderr[-2000:])
    found: list[tuple[int | None, str]] = []
    for line in result.stdout.splitlines():
        match = PROBLEM.match(line)
        if match and Path(match["file"]).name == "items.yaml":
            found.append((int(match["line"]) if match["line"] else None, match["message"]))
    assert found, result.stdout[-2000:]
    return found


def line_of(text: str, fragment: str) -> int:
    """1-based line of the first line of ``text`` containing ``fragment``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if fragment in line)


# -- alias bombs ---------------------------------------------------------------------


def test_billion_laughs_in_a_compute_argument_is_refused_at_its_line(tmp_path: Path) -> None:
    # nine levels of ten aliases each: 1.1e9 numbers from about 1 KB
    levels = ["&a0 [" + ", ".join(["1"] * 10) + "]"]
    for k in range(1, 9):
        levels.append(f"&a{k} [" + ", ".join([f"*a{k - 1}"] * 10) + "]")
    args = ",\n           ".join(levels)
    items = NUMERIC_HEAD + f"      fn: l2_norm\n      args:\n        x: [{args}]\n"
    assert len(items) < 2000
    problems = refused(validate(write_deck(tmp_path, items)))
    # &a5 stands for 1.1 million values: the first of the ten aliases to it on the line
    # of &a6 takes the file past 2 million
    assert [line for line, _ in problems] == [line_of(items, "&a6")]
    assert "alias" in problems[0][1] and f"{MAX_FILE_VALUES:,}" in problems[0][1]


def test_alias_built_6000_by_6000_matrix_is_refused(tmp_path: Path) -> None:
    row = "&r [" + ", ".join(["0.5"] * 6000) + "]"
    rows = ", ".join([row] + ["*r"] * 5999)
    items = (NUMERIC_HEAD + "      fn: ridge\n      args:\n"
             f"        X: [{rows}]\n        y: [{', '.join(['1'] * 6000)}]\n"
             "        lam: 1\n")
    assert len(items) < 100_000
    problems = refused(validate(write_deck(tmp_path, items)))
    assert [line for line, _ in problems] == [line_of(items, "X: ")]
    assert "alias" in problems[0][1]


def test_alias_built_matrix_over_the_compute_limit_names_the_compute(tmp_path: Path) -> None:
    # 120 x 100 = 12,000 numbers: far inside the file's limits, over one compute's
    row = "&r [" + ", ".join(["0.5"] * 100) + "]"
    rows = ", ".join([row] + ["*r"] * 119)
    items = (NUMERIC_HEAD + "      fn: ridge\n      args:\n"
             f"        X: [{rows}]\n        y: [{', '.join(['1'] * 120)}]\n"
             "        lam: 1\n")
    problems = refused(validate(write_deck(tmp_path, items)))
    # the compute's problems are reported where its args start
    assert [line for line, _ in problems] == [line_of(items, "X: ")]
    assert f"{MAX_COMPUTE_VALUES:,} values" in problems[0][1]


def test_repeated_text_through_aliases_is_refused_at_the_alias(tmp_path: Path) -> None:
    # one 7,000-character text, a list of 5,000 aliases to it (35 million characters),
    # then that list as the tags of 300 cards: 10 billion characters from about 60 KB
    text = "ノルム" * 2334
    tags = "[" + ", ".join(["*s"] * 5000) + "]"
    cards = [f"  - id: c0\n    keywords: [norm]\n    front: &s {text}\n    back: b\n"
             f"    tags: &tags {tags}\n"]
    cards += [f"  - id: c{i}\n    keywords: [norm]\n    front: f\n    back: b\n"
              "    tags: *tags\n" for i in range(1, 300)]
    items = "cards:\n" + "".join(cards)
    assert len(items.encode()) < 100_000
    problems = refused(validate(write_deck(tmp_path, items)))
    assert [line for line, _ in problems] == [line_of(items, "tags: *tags")]
    assert "alias" in problems[0][1] and "characters" in problems[0][1]


def test_one_item_whose_text_expands_past_its_limit_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    text = "ノルム" * 667  # 2,001 characters, 600 of them: 1,200,600
    items = ("cards:\n  - id: ok\n    keywords: [norm]\n    front: f\n    back: b\n"
             f"  - id: big\n    keywords: [norm]\n    front: &s {text}\n    back: b\n"
             f"    tags: [{', '.join(['*s'] * 599)}]\n")
    problems = refused(validate(write_deck(tmp_path, items)))
    assert [line for line, _ in problems] == [line_of(items, "id: big")]
    assert "card 'big'" in problems[0][1] and f"{MAX_ITEM_TEXT:,} characters" in problems[0][1]


def test_one_item_with_too_many_values_through_aliases_is_refused_at_its_line(
    tmp_path: Path,
) -> None:
    # a list of 1,000 numbers and 30 aliases to it: 30,000 values in one card
    numbers = ", ".join(["1"] * 1000)
    items = ("cards:\n  - id: ok\n    keywords: [norm]\n    front: f\n    back: b\n"
             "  - id: many\n    keywords: [norm]\n    front: f\n    back: b\n"
             f"    x: &l [{numbers}]\n    y: [{', '.join(['*l'] * 29)}]\n")
    problems = refused(validate(write_deck(tmp_path, items)))
    assert [line for line, _ in problems] == [line_of(items, "id: many")]
    assert "card 'many'" in problems[0][1] and f"{MAX_ITEM_VALUES:,} values" in problems[0][1]


def test_a_file_of_too_many_values_is_refused_where_it_passes_the_limit(
    tmp_path: Path,
) -> None:
    rows = MAX_FILE_VALUES // 1000 + 1
    items = "cards: []\nnumbers:\n" + f"  - [{', '.join(['0'] * 999)}]\n" * rows
    problems = refused(validate(write_deck(tmp_path, items)))
    # one value before the rows (the empty list; keys are not counted), then 1,000 a
    # row (999 numbers and the row itself); row n is on line 2 + n
    row = (MAX_FILE_VALUES - 1) // 1000 + 1
    assert [line for line, _ in problems] == [2 + row]
    assert f"{MAX_FILE_VALUES:,} values" in problems[0][1]


def test_aliases_nested_in_aliases_cannot_pass_the_depth_limit(tmp_path: Path) -> None:
    # each anchor is 20 lists deep and holds the one before: 60 of them nest 1,200 deep
    levels = ["&d0 " + "[" * 20 + "1" + "]" * 20]
    for k in range(1, 60):
        levels.append(f"&d{k} " + "[" * 20 + f"*d{k - 1}" + "]" * 20)
    args = ",\n           ".join(levels)
    items = NUMERIC_HEAD + f"      fn: l2_norm\n      args:\n        x: [{args}]\n"
    problems = refused(validate(write_deck(tmp_path, items)))
    assert [line for line, _ in problems] == [line_of(items, "&d1 ")]
    assert f"{MAX_DEPTH} levels" in problems[0][1]


def test_a_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    padding = ("# " + "x" * 1021 + "\n") * (MAX_FILE_BYTES // 1024 + 1)
    problems = refused(validate(write_deck(tmp_path, "cards: []\n" + padding)))
    assert len(problems) == 1 and problems[0][0] is None
    assert "MiB" in problems[0][1]


def test_compute_with_more_features_than_the_limit_is_refused(tmp_path: Path) -> None:
    # one row of 9,990 features: under the compute's 10,000 values, but ridge's Gram
    # matrix alone would be 9,990 x 9,990 (800 MB)
    items = (NUMERIC_HEAD + "      fn: ridge\n      args:\n"
             f"        X: [[{', '.join(['1'] * 9990)}]]\n        y: [1]\n        lam: 1\n")
    problems = refused(validate(write_deck(tmp_path, items)))
    # the compute's problems are reported where its args start
    assert [line for line, _ in problems] == [line_of(items, "X: ")]
    assert f"{MAX_FEATURES} columns" in problems[0][1]


# -- what is still accepted ------------------------------------------------------------


def test_a_small_alias_is_still_accepted(tmp_path: Path) -> None:
    items = """\
questions:
  - id: ridge-2
    type: numeric
    keywords: [norm]
    prompt: Ridge の係数を求めよ。
    explanation: 解説。
    compute: {fn: ridge, args: {X: &X [[1, 0], [0, 1]], y: &y [1, 2], lam: 1}}
    misconceptions:
      - compute: {fn: ridge, args: {X: *X, y: *y, lam: 2}}
        why: λ を取り違えた。
"""
    content = write_deck(tmp_path, items)
    _, problems = validate_content(content)
    assert problems == []
    result = validate(content)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stdout


def test_the_limits_are_far_above_the_bundled_deck() -> None:
    for path in sorted(bundled_content_dir().glob("*/*.yaml")):
        assert path.stat().st_size * 100 < MAX_FILE_BYTES
        problems: list = []
        ok, data = read_yaml(path, problems)
        assert ok and problems == []
        measured: dict = {}
        values, chars, levels = expansion(data, measured)
        assert values * 100 < MAX_FILE_VALUES and chars * 100 < MAX_FILE_TEXT
        assert levels * 3 < MAX_DEPTH
        for entry in [*data.get("cards", []), *data.get("questions", [])]:
            assert isinstance(entry, YMap)
            values, chars, _ = expansion(entry, measured)
            assert values * 100 < MAX_ITEM_VALUES and chars * 100 < MAX_ITEM_TEXT


def test_expansion_measures_shared_values_once() -> None:
    # the billion laughs as read_yaml builds it: each level is ten references to the one
    # list below it, so measuring walks 9 lists, not 10^9 numbers
    level: list = [1] * 10
    expected = 11
    for _ in range(8):
        level = [level] * 10
        expected = 1 + 10 * expected
    # values: 10^9 numbers and the lists; characters: a number counts as one; 9 levels
    assert expansion(level, {}) == (expected, 10**9, 9)


def test_evaluate_bounds_its_arguments_whoever_calls_it() -> None:
    # a list holding itself many times over, as aliases make it: counted with a budget,
    # never walked whole
    row = [1.0] * 100
    matrix = [row] * 100_000
    try:
        evaluate_raw("l1_norm", {"x": matrix})
    except ComputeError as exc:
        assert f"{MAX_COMPUTE_VALUES:,} values" in str(exc)
    else:
        raise AssertionError("a 10,000,000-number argument was evaluated")


# -- files that are not files --------------------------------------------------------

def _special_items(tmp_path: Path, make) -> list[tuple[int | None, str]]:
    content = write_deck(tmp_path, "cards: []\n")
    items = content / "t" / "items.yaml"
    items.unlink()
    make(items)
    return refused(validate(content))


def test_a_fifo_as_a_deck_file_is_a_problem_not_a_silent_gap(tmp_path: Path) -> None:
    # Skipped without a word before: the deck lost that file's items and validate said OK.
    found = _special_items(tmp_path, os.mkfifo)
    assert any("not a regular file" in message for _, message in found), found


def test_a_link_to_a_device_or_to_nothing_as_a_deck_file_is_a_problem(tmp_path: Path) -> None:
    found = _special_items(tmp_path, lambda p: p.symlink_to("/dev/zero"))
    assert any("a FIFO, a device or a socket" in message for _, message in found), found
    found = _special_items(tmp_path / "b", lambda p: p.symlink_to(tmp_path / "missing.yaml"))
    assert any("a link to nothing" in message for _, message in found), found
