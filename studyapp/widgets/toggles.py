"""Lists whose chosen entries read as chosen without colour: Textual's ``SelectionList``
draws ``X`` for a chosen entry and for one left out alike (only the colour differs, and
some themes make both grey), and its ``RadioButton`` a ``●`` for each. These draw ``☑`` /
``☐`` and ``◉`` / ``◌`` (one cell wide in every terminal, Japanese ones included), with the
colour on top: ``check-list--on`` and ``check-list--off`` style the marks (quiz.tcss)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.content import Content
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.widgets import OptionList, RadioButton, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

#: The marks of a chosen entry and of one left out.
CHECKED, UNCHECKED = "☑", "☐"
#: The marks of the chosen radio button and of the others.
PICKED, UNPICKED = "◉", "◌"


class CheckList(SelectionList[str]):
    """A ``SelectionList`` drawing ``☑`` before a chosen entry and ``☐`` before the others
    (the same 4 cells as Textual's button, so clicks and the cursor land as before)."""

    COMPONENT_CLASSES = SelectionList.COMPONENT_CLASSES | {"check-list--on", "check-list--off"}

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the prompt, without Textual's button
        index = self.scroll_offset.y + y
        try:
            selection = self.get_option_at_index(index)
        except OptionDoesNotExist:
            return line
        chosen = selection.value in self._selected
        base = next(iter(line)).style or self.rich_style
        mark = self.get_component_rich_style("check-list--on" if chosen else "check-list--off",
                                             partial=True)
        meta = Style(meta={"option": index})  # a click on the mark toggles, as Textual's
        return Strip([
            Segment(" ", base + meta),
            Segment(CHECKED if chosen else UNCHECKED, base + mark + meta),
            Segment("  ", base + meta),
            *line,
        ])


class RadioChoice(RadioButton):
    """A ``RadioButton`` drawing ``◉`` when it is the one chosen and ``◌`` otherwise."""

    @property
    def _button(self) -> Content:
        if self.value:  # the theme's "on" colour of a radio button
            mark = VisualStyle(foreground=self.get_visual_style("toggle--button").foreground,
                               bold=True)
        else:  # the label's colour, dimmed (the button's "off" colour is nearly the panel's)
            mark = VisualStyle(foreground=self.get_visual_style("toggle--label").foreground,
                               dim=True)
        return Content.assemble(" ", (PICKED if self.value else UNPICKED, mark), " ")


__all__ = ["CHECKED", "PICKED", "UNCHECKED", "UNPICKED", "CheckList", "RadioChoice"]
