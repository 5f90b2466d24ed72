"""A generated problem's data as small aligned tables: vectors as rows, matrices as grids."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

# how each data key is shown (the pinned names are ASCII; learners read the math names)
NAMES = {
    "lam": "λ", "p": "p", "lr": "η (lr)", "decay": "decay", "t": "t", "z": "z",
    "patience": "patience", "val_losses": "検証損失", "data_loss": "L_data",
    "scale": "1/(1−p) で割る",
}


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "する" if value else "しない"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("-", "−")


class ProblemData(Static):
    """Shows ``data`` of a problem; the screen calls :meth:`show` with a new problem."""

    def show(self, data: Mapping[str, Any]) -> None:
        scalars = Text()
        tables: list[Table] = []
        for key, value in data.items():
            name = NAMES.get(key, key)
            if isinstance(value, list) and value and isinstance(value[0], list):
                table = Table(title=name, show_header=True, box=None, padding=(0, 1),
                              title_justify="left")
                table.add_column("", style="dim")
                for j in range(len(value[0])):
                    table.add_column(f"{j + 1}", justify="right")
                for i, row in enumerate(value, start=1):
                    table.add_row(str(i), *(_cell(v) for v in row))
                tables.append(table)
            elif isinstance(value, list):
                table = Table(show_header=True, box=None, padding=(0, 1))
                table.add_column("", style="bold")
                for j in range(len(value)):
                    table.add_column(f"{j + 1}", justify="right")
                table.add_row(name, *(_cell(v) for v in value))
                tables.append(table)
            else:
                scalars.append(f"{name} = ", style="bold")
                scalars.append(_cell(value) + "   ")
        grid = Table.grid(padding=(0, 0))
        grid.add_column()
        for table in tables:
            grid.add_row(table)
        if scalars.plain:
            grid.add_row(scalars)
        self.update(grid)
