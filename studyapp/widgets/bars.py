"""Text bars for mastery and counts, aligned by terminal cell width (Japanese is 2 cells)."""

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
