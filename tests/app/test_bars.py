"""The text bars home, the stats screen, the exam result and ``studyapp stats`` share:
widths in terminal cells, so Japanese labels (two cells a character) line up."""

from __future__ import annotations

from rich.cells import cell_len

from studyapp.render.bars import EMPTY, FULL, bar, labelled_bar, pad, stat_row


def test_bar_fills_in_eighths_of_a_cell_and_is_always_its_width() -> None:
    assert bar(0.0, 4) == EMPTY * 4
    assert bar(1.0, 4) == FULL * 4
    assert bar(0.5, 4) == FULL * 2 + EMPTY * 2
    assert bar(1 / 32, 4) == "▏" + EMPTY * 3      # one eighth of one cell
    for fraction in (-1.0, 0.13, 0.62, 0.999, 2.0):
        assert cell_len(bar(fraction, 10)) == 10


def test_pad_cuts_japanese_by_cells_with_an_ellipsis() -> None:
    assert pad("L1正則化", 10) == "L1正則化  "
    cut = pad("ドロップコネクト", 9)
    assert cut == "ドロップ…" and cell_len(cut) == 9
    assert cell_len(pad("ドロップコネクト", 10)) == 10  # a wide character never half-shown


def test_labelled_bar_lines_up_labels_of_any_script() -> None:
    lines = [labelled_bar(name, 0.5, label_width=12, bar_width=8, suffix="正答率 50%")
             for name in ("ノルム", "L2 norm", "早期終了")]
    # every bar starts one cell after the 12 cells of its label
    assert {cell_len(line.plain[:line.plain.index(FULL)]) for line in lines} == {13}
    assert all(line.plain.endswith(" 50%  正答率 50%") for line in lines)


def test_stat_row_centres_each_value_under_its_label() -> None:
    text = stat_row([("今日の復習", "12", "枚"), ("連続学習", "3", "日")])
    labels, values = text.plain.split("\n")
    assert labels.split() == ["今日の復習", "連続学習"]
    assert values.split() == ["12", "枚", "3", "日"]
    # the second column starts at the same cell in both lines
    assert cell_len(labels[:labels.index("連続学習")]) <= cell_len(values[:values.index("3")])
