"""Text bars for mastery and counts, aligned by terminal cell width (Japanese is 2 cells).

Rich text only: home, the stats screen, the mock exam's result and ``studyapp stats`` draw
their bars and figures with it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

FULL = "█"
PARTS = " ▏▎▍▌▋▊▉"
EMPTY = "░"


def bar(fraction: float, width: int) -> str:
    """A horizontal bar of ``width`` cells filled to ``fraction`` (eighths of a cell)."""
    fraction = min(max(fraction, 0.0), 1.0)
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (PARTS[part] if part and full < width else "")
    return text + EMPTY * (width - cell_len(text))


def pad(text: str, width: int) -> str:
    """``text`` padded (or cut, with …) to exactly ``width`` cells."""
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…" + " " * (width - 1 - cell_len(out))


def labelled_bar(label: str, fraction: float, *, label_width: int, bar_width: int,
                 suffix: str = "") -> Text:
    """``label  ███▌      62%  suffix`` as one styled line."""
    line = Text(pad(label, label_width) + " ")
    filled = bar(fraction, bar_width)
    solid = filled.rstrip(EMPTY)
    line.append(solid, style="green")
    line.append(filled[len(solid):], style="dim")
    line.append(f" {round(fraction * 100):3d}%")
    if suffix:
        line.append(f"  {suffix}", style="dim")
    return line


def stat_row(stats: list[tuple[str, str, str]], *, gap: int = 3) -> Text:
    """Figures side by side, each label over its value: ``[(label, value, unit), …]``.

    ::

        今日の復習   新規の残り   連続学習
          12 枚        20 枚        3 日

    Columns are as wide as their label or value (in cells), with ``gap`` cells between.
    """
    labels = Text()
    values = Text()
    for i, (label, value, unit) in enumerate(stats):
        figure = f"{value} {unit}"
        width = max(cell_len(label), cell_len(figure))
        space = " " * (gap if i else 1)
        room = width - cell_len(label)
        labels.append(space + " " * (room // 2) + label + " " * (room - room // 2), style="dim")
        values.append(space)
        left = (width - cell_len(figure)) // 2
        values.append(" " * left)
        values.append(value, style="bold")
        values.append(f" {unit}" + " " * (width - left - cell_len(figure)))
    labels.rstrip()
    values.rstrip()
    return Text("\n").join([labels, values])
