"""A generated problem's data as small aligned tables: vectors as rows, matrices as grids.

The tables are laid out for the width they are drawn at: small tables stand side by side
(x, W and the mask of a DropConnect problem in one row), and a vector or a matrix wider
than the line continues on the next rows (numbered columns above each block) instead of
cutting its numbers short, so every value reads whole in 80 columns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from studyapp.widgets.pieces import Pieces

# how each data key is shown (the pinned names are ASCII; learners read the math names)
NAMES = {
    "lam": "λ", "p": "p", "lr": "η (lr)", "decay": "decay", "t": "t", "z": "z",
    "patience": "patience", "val_losses": "検証損失", "data_loss": "L_data",
    # DropConnect's flag: the kept weights' output is divided by (1 − p), i.e. × 1/(1 − p)
    "scale": "(1−p) で割る",
}
#: Cells between two columns of a table.
GAP = 2
#: Cells between two tables side by side.
TABLE_GAP = 4


def cell_text(value: Any) -> str:
    """A value as a table shows it: whole floats without ``.0``, a real minus sign."""
    if isinstance(value, bool):
        return "する" if value else "しない"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("-", "−")


def _blocks(widths: Sequence[int], room: int) -> list[range]:
    """Consecutive column ranges whose widths (plus the gaps) fit in ``room`` cells."""
    blocks: list[range] = []
    start, used = 0, 0
    for j, w in enumerate(widths):
        if j > start and used + GAP + w > room:
            blocks.append(range(start, j))
            start, used = j, 0
        used += (GAP if j > start else 0) + w
    blocks.append(range(start, len(widths)))
    return blocks


def _table(label_width: int) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 0, 0, GAP), pad_edge=False,
                  collapse_padding=True)
    table.add_column(min_width=label_width, no_wrap=True)
    return table


def _width(label: int, widths: Sequence[int], blocks: Sequence[range]) -> int:
    """Cells a table with a label column and these column blocks takes."""
    columns = max(len(b) for b in blocks)
    return label + sum(GAP + max(widths[b[k]] for b in blocks if k < len(b))
                       for k in range(columns))


def vector_table(name: str, values: Sequence[Any], width: int) -> tuple[Table, int]:
    """``name`` and the values in numbered columns, in as many blocks as ``width`` needs;
    and the cells the table takes."""
    cells = [cell_text(v) for v in values]
    widths = [max(cell_len(c), len(str(j + 1))) for j, c in enumerate(cells)]
    label = cell_len(name)
    blocks = _blocks(widths, max(width - label - GAP, 1))
    table = _table(label)
    for _ in range(max(len(b) for b in blocks)):
        table.add_column(justify="right", no_wrap=True)
    for k, block in enumerate(blocks):
        table.add_row("", *(Text(str(j + 1), style="dim") for j in block))
        table.add_row(Text(name if k == 0 else "", style="bold"), *(cells[j] for j in block))
    return table, _width(label, widths, blocks)


def matrix_table(name: str, rows: Sequence[Sequence[Any]], width: int) -> tuple[Group, int]:
    """``name`` above a grid with numbered rows and columns, split into column blocks
    when the grid is wider than ``width``; and the cells it takes."""
    cells = [[cell_text(v) for v in row] for row in rows]
    n_cols = max(len(r) for r in cells)
    widths = [max([len(str(j + 1))] + [cell_len(r[j]) for r in cells if j < len(r)])
              for j in range(n_cols)]
    label = len(str(len(cells)))
    blocks = _blocks(widths, max(width - label - GAP, 1))
    table = _table(label)
    for _ in range(max(len(b) for b in blocks)):
        table.add_column(justify="right", no_wrap=True)
    for block in blocks:
        table.add_row("", *(Text(str(j + 1), style="dim") for j in block))
        for i, row in enumerate(cells, start=1):
            table.add_row(Text(str(i), style="dim"),
                          *(row[j] if j < len(row) else "" for j in block))
    return Group(Text(name, style="bold"), table), max(cell_len(name),
                                                       _width(label, widths, blocks))


def _side_by_side(tables: Sequence[tuple[Any, int]], width: int) -> list[Table]:
    """The tables in rows, as many side by side as ``width`` holds (in their order)."""
    rows: list[list[tuple[Any, int]]] = []
    used = 0
    for table, w in tables:
        if rows and used + TABLE_GAP + w <= width:
            rows[-1].append((table, w))
            used += TABLE_GAP + w
        else:
            rows.append([(table, w)])
            used = w
    out = []
    for row in rows:
        grid = Table.grid(padding=(0, TABLE_GAP, 0, 0))
        for _, w in row:
            grid.add_column(width=w, no_wrap=True)
        grid.add_row(*(table for table, _ in row))
        out.append(grid)
    return out


class DataView:
    """A Rich renderable: a problem's data laid out for the width it is drawn at."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = dict(data)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        scalars: list[Text] = []
        tables: list[tuple[Any, int]] = []
        for key, value in self.data.items():
            name = NAMES.get(key, key)
            if isinstance(value, list) and value and isinstance(value[0], list):
                tables.append(matrix_table(name, value, width))
            elif isinstance(value, list):
                tables.append(vector_table(name, value, width))
            else:
                piece = Text()
                piece.append(f"{name} = ", style="bold")
                piece.append(cell_text(value))
                scalars.append(piece)
        yield from _side_by_side(tables, width)
        if scalars:
            yield Pieces(scalars, "   ")

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(min(20, options.max_width), options.max_width)


class ProblemData(Static):
    """Shows ``data`` of a problem; the screen calls :meth:`show` with a new problem."""

    def show(self, data: Mapping[str, Any]) -> None:
        self.update(DataView(data))
