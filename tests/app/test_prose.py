"""Japanese line breaking: fits the width, keeps Latin words whole, obeys kinsoku."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from studyapp.widgets.prose import NO_END, NO_START, Prose

SENTENCE = ("L1正則化の係数 λ を 0 から大きくしていくと、学習後の重みベクトルはどう変化するか。"
            "最も適切なものを選べ。weight decay は（λ/2）‖w‖₂² の勾配 λw に対応する。")


def lines(text: str, width: int) -> list[str]:
    return [line.plain for line in Prose(text).lines(width)]


def test_breaks_inside_japanese_instead_of_pushing_the_sentence_down() -> None:
    out = lines(SENTENCE, 40)
    assert out[0] == "L1正則化の係数 λ を 0 から大きくしていく"
    assert all(cell_len(line) <= 40 for line in out)
    assert "weight decay" in "".join(out) or any(line.endswith("weight") for line in out)


def test_kinsoku_and_latin_words() -> None:
    for width in range(8, 60):
        out = lines(SENTENCE, width)
        for line in out:
            assert cell_len(line) <= width
            assert not line or line[0] not in NO_START
            assert not line or line[-1] not in NO_END
        joined = " ".join(out)
        assert "weight" in joined and "decay" in joined  # never "wei" / "ght"


def test_styles_survive_and_newlines_are_kept() -> None:
    text = Text()
    text.append("正解！", style="bold green")
    text.append("\n解説です。")
    out = Prose(text).lines(20)
    assert [line.plain for line in out] == ["正解！", "解説です。"]
    assert out[0].spans and out[0].spans[0].style == "bold green"


@given(st.text(alphabet="あいうえおかきくけこ、。（）「」ab12 λ‖", max_size=120),
       st.integers(min_value=4, max_value=50))
def test_never_loses_text_and_never_overflows(text: str, width: int) -> None:
    out = lines(text, width)
    assert all(cell_len(line) <= width for line in out)
    assert "".join(out).replace(" ", "") == text.replace(" ", "")


def test_hanging_indent_puts_continuations_under_the_text() -> None:
    text = "  1. " + "前者は重みの多くが0、後者は活性の多くが0で、後者は入力ごとに働く要素が変わる"
    out = [line.plain for line in Prose(text, hang=5).lines(30)]
    assert len(out) > 1
    assert all(line.startswith("     ") and line[5] != " " for line in out[1:])
    assert all(cell_len(line) <= 30 for line in out)
    assert "".join(out).replace(" ", "") == text.replace(" ", "")


def test_hanging_indent_also_indents_lines_after_a_newline() -> None:
    code = "  1. best, wait = 0, 0\nfor loss in losses:\n    wait += 1"
    out = [line.plain for line in Prose(code, hang=5).lines(60)]
    assert out == ["  1. best, wait = 0, 0", "     for loss in losses:", "         wait += 1"]
