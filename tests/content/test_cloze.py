"""Cloze gaps: parse, hide and reveal."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studyapp.content.cloze import BLANK, ClozeError, Gap, mask, parse, problems, reveal

TEXT = "L1正則化は{{c1::絶対値の和}}に罰則を課し、解を{{c2::スパース::疎?}}にする。"


def test_parse_gaps_in_order() -> None:
    gaps = parse(TEXT)
    assert [(g.number, g.answer, g.hint) for g in gaps] == [
        (1, "絶対値の和", None),
        (2, "スパース", "疎?"),
    ]
    assert TEXT[gaps[0].start:gaps[0].end] == "{{c1::絶対値の和}}"


def test_mask_hides_all_gaps_showing_hints() -> None:
    assert mask(TEXT) == f"L1正則化は{BLANK}に罰則を課し、解を［疎?］にする。"


def test_reveal_shows_answers() -> None:
    assert reveal(TEXT) == "L1正則化は絶対値の和に罰則を課し、解をスパースにする。"


def test_custom_markup() -> None:
    assert reveal(TEXT, shown=lambda g: f"[b]{g.answer}[/b]").count("[b]") == 2
    masked = mask(TEXT, blank=lambda g: f"<{g.number}>")
    assert masked == "L1正則化は<1>に罰則を課し、解を<2>にする。"


def test_answer_may_contain_single_colons_and_math() -> None:
    gaps = parse("比 {{c1::1:2}} と {{c2::1/(1−p)}}")
    assert [g.answer for g in gaps] == ["1:2", "1/(1−p)"]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("no gaps", "no cloze gap"),
        ("{{c1::}}", "empty answer"),
        ("{{c0::x}}", "numbers start at c1"),
        ("{{c1::x}", "unbalanced"),
        ("{{c1::x}} }}", "unbalanced"),
        ("{{c1::a {{c2::b}}", "a gap inside a gap"),
    ],
)
def test_problems(text: str, fragment: str) -> None:
    found = problems(text)
    assert any(fragment in p for p in found), found
    with pytest.raises(ClozeError):
        parse(text)


_PLAIN = st.text(st.characters(blacklist_characters="{}:"), min_size=1, max_size=8)


@given(st.lists(st.tuples(_PLAIN, _PLAIN), min_size=1, max_size=4), _PLAIN)
def test_reveal_restores_the_plain_text(pieces: list[tuple[str, str]], tail: str) -> None:
    text = "".join(f"{before}{{{{c{i + 1}::{answer}}}}}" for i, (before, answer) in
                   enumerate(pieces)) + tail
    plain = "".join(before + answer for before, answer in pieces) + tail
    if any(not answer.strip() for _, answer in pieces):
        assert problems(text)
        return
    assert problems(text) == []
    assert reveal(text) == plain
    assert [g.answer for g in parse(text)] == [a for _, a in pieces]
    assert all(isinstance(g, Gap) for g in parse(text))
    masked = mask(text)
    # one blank per gap, besides any the deck's own text happens to hold
    assert masked.count(BLANK) == len(pieces) + sum(
        before.count(BLANK) for before, _ in pieces) + tail.count(BLANK)
