"""Reading YAML with lines: the same values as ``yaml.safe_load``, plus line numbers."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from studyapp.content.models import DeckProblem
from studyapp.content.yamlnodes import YMap, YSeq, read_yaml
from studyapp.paths import bundled_content_dir

BUNDLED = sorted(bundled_content_dir().glob("*/*.yaml"))
FIXTURES = sorted((Path(__file__).parent / "fixtures" / "good").glob("*/*.yaml"))


def plain(value: Any) -> Any:
    """YMap/YSeq → dict/list, recursively."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def read_text(path: Path, text: str) -> tuple[Any, list[DeckProblem]]:
    path.write_text(text, encoding="utf-8")
    problems: list[DeckProblem] = []
    ok, value = read_yaml(path, problems)
    assert ok, problems
    return value, problems


@pytest.mark.parametrize("path", BUNDLED + FIXTURES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_same_values_as_safe_load(path: Path) -> None:
    problems: list[DeckProblem] = []
    ok, value = read_yaml(path, problems)
    assert ok and problems == []
    assert plain(value) == yaml.safe_load(path.read_text(encoding="utf-8"))


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6),
    st.floats(allow_nan=False, width=64), st.text(max_size=12),
    st.sampled_from(["yes", "no", "on", "~", "null", "1e3", "0x1F", "0o17", "1_000", ".inf",
                     "-.inf", "2024-01-01", "=", "", " ", "'", '"', "#", ": ", "- ", "|x|"]),
)
_KEYS = st.text(min_size=1, max_size=8)
DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(DATA, st.booleans())
def test_round_trip_of_random_documents(tmp_path: Path, data: Any, flow: bool) -> None:
    text = yaml.safe_dump(data, allow_unicode=True, default_flow_style=flow)
    expected = yaml.safe_load(text)
    value, problems = read_text(tmp_path / "d.yaml", text)
    assert problems == []
    assert plain(value) == expected


def test_lines_of_keys_values_and_items(tmp_path: Path) -> None:
    value, _ = read_text(tmp_path / "l.yaml", (
        "cards:\n"          # 1
        "  - id: a\n"       # 2
        "    keywords:\n"   # 3
        "      - norm\n"    # 4
        "      - lasso\n"   # 5
        "    front: |\n"    # 6
        "      text\n"      # 7
        "  - {id: b}\n"     # 8
    ))
    assert isinstance(value, YMap) and value.line == 1
    cards = value["cards"]
    assert isinstance(cards, YSeq) and cards.item_lines == [2, 8]
    first = cards[0]
    assert first.line == 2 and not first.flow
    assert first.key_lines == {"id": 2, "keywords": 3, "front": 6}
    assert first.value_lines["keywords"] == 4 and first.value_lines["front"] == 6
    assert first["keywords"].item_lines == [4, 5]
    assert first.line_of("missing") == 2
    assert cards[1].flow


def test_scalars_resolve_like_the_safe_loader(tmp_path: Path) -> None:
    value, problems = read_text(tmp_path / "s.yaml", (
        "a: 1\nb: 0.5\nc: yes\nd: ~\ne: '1'\nf: .inf\ng: 2024-01-01\nh: =\ni: !!str 3\n"
        "j: 1e3\nk: 1.0e3\n"
    ))
    assert problems == []
    assert plain(value) == {"a": 1, "b": 0.5, "c": True, "d": None, "e": "1",
                            "f": float("inf"), "g": "2024-01-01", "h": "=", "i": "3",
                            "j": "1e3", "k": "1.0e3"}  # YAML 1.1: an exponent needs a sign
    # dates stay text (a deck has no dates): safe_load would give a date object
    assert isinstance(yaml.safe_load("g: 2024-01-01")["g"], datetime.date)


def test_aliases_share_values_and_anchored_keys_work(tmp_path: Path) -> None:
    value, problems = read_text(tmp_path / "a.yaml", "x: &v [1, 2]\ny: *v\n&k key: 1\nz: *k\n")
    assert problems == []
    assert plain(value) == {"x": [1, 2], "y": [1, 2], "key": 1, "z": "key"}


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a' (first at line 1)"),
        ("? [1, 2]\n: x\n", 1, "a key must be plain text"),
        ("a: &x [*x]\n", 1, "recursive alias"),
        ("a: !!binary aGk=\n", 1, "unsupported YAML tag"),
        ("a: !custom x\n", 1, "unsupported YAML tag"),
        ("a: !!set {x}\n", 1, "unsupported YAML tag"),
        ("b: {x: 1}\na:\n  <<: {y: 2}\n", 3, "merge keys"),
    ],
)
def test_problems_with_lines(tmp_path: Path, text: str, line: int, fragment: str) -> None:
    _, problems = read_text(tmp_path / "p.yaml", text)
    assert [p.line for p in problems] == [line]
    assert fragment in problems[0].message


def test_duplicate_keeps_the_first_value(tmp_path: Path) -> None:
    value, _ = read_text(tmp_path / "k.yaml", "a: 1\na: 2\n")
    assert value == {"a": 1}


def test_empty_file_is_none(tmp_path: Path) -> None:
    assert read_text(tmp_path / "e.yaml", "# only a comment\n") == (None, [])
