"""A line of short pieces that wraps between pieces, never inside one.

A status line such as ``問 3 / 20 · 計算: ラッソ回帰 · この問題 00:12（目安 00:40）`` or
the scalars of a problem (``λ = 0.5   p = 0.2``) must not break a piece in two at 80
columns: :class:`Pieces` moves a whole piece to the next line instead. A piece wider
than the whole line is broken the Japanese way (:class:`~studyapp.widgets.prose.Prose`).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

from studyapp.widgets.prose import Prose


class Pieces:
    """A Rich renderable: ``pieces`` joined by ``separator``, wrapped between pieces."""

    def __init__(self, pieces: Sequence[str | Text], separator: str | Text = "  ") -> None:
        self.pieces = [p if isinstance(p, Text) else Text(p) for p in pieces if p]
        self.separator = separator if isinstance(separator, Text) else Text(separator)

    def __str__(self) -> str:
        return self.separator.plain.join(p.plain for p in self.pieces)

    def lines(self, width: int) -> list[Text]:
        """The pieces broken into lines of at most ``width`` cells."""
        width = max(width, 2)
        sep = cell_len(self.separator.plain)
        out: list[Text] = []
        line = Text()
        for piece in self.pieces:
            w = cell_len(piece.plain)
            if line.plain and cell_len(line.plain) + sep + w <= width:
                line.append_text(self.separator)
                line.append_text(piece)
                continue
            if line.plain:
                out.append(line)
            if w <= width:
                line = piece.copy()
                continue
            *full, last = Prose(piece).lines(width)  # longer than a line on its own
            out.extend(full)
            line = last
        if line.plain or not out:
            out.append(line)
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        joined = Text("\n").join(self.lines(options.max_width))
        joined.no_wrap = True
        joined.overflow = "crop"
        yield joined

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(p.plain) for p in self.pieces), default=0)
        return Measurement(min(widest, options.max_width), cell_len(str(self)))
