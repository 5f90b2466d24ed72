"""The line at the bottom of every screen: the keys that work now, and what they do."""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import ActiveBinding
from textual.screen import Screen
from textual.widget import Widget


class _Span(NamedTuple):
    """Where a key is drawn in the bar, in cells."""

    start: int
    end: int
    key: str
    enabled: bool
    tooltip: str


class KeyBar(Widget):
    """``f カード  q クイズ  …  ^q 終了`` and, at the right, ``^p palette``.

    What Textual's ``Footer`` shows, drawn as one widget: the shown bindings of the screen
    in front and of the focused widget, in the same order, a disabled one dimmed, one key
    per action. ``Footer`` makes a widget per key and restyles each as it mounts: about
    12 M instructions a key at home's start-up, counted with valgrind (``bench/app.py`` has
    the CPU times). Clicking a key presses it; hovering shows its tooltip. Colours come
    from the theme's footer variables, so every Textual theme works.
    """

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        width: 100%;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    KeyBar > .key-bar--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyBar > .key-bar--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyBar > .key-bar--disabled {
        text-style: dim;
    }
    """

    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[_Span] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen:
            self.refresh()

    def _shown(self) -> tuple[list[ActiveBinding], ActiveBinding | None]:
        """The bindings to show, one per action, and the command palette's (or None)."""
        app = self.app
        palette_key = app.COMMAND_PALETTE_BINDING if app.ENABLE_COMMAND_PALETTE else None
        shown: dict[str, ActiveBinding] = {}
        palette: ActiveBinding | None = None
        for key, active in self.screen.active_bindings.items():
            if key == palette_key:
                palette = active
            elif active.binding.show:
                shown.setdefault(active.binding.action, active)
        return list(shown.values()), palette

    def render(self) -> Text:
        bindings, palette = self._shown()
        line, spans = self._line(bindings, compact=False)
        if line.cell_len > self.size.width:  # 80 columns and many keys: without the padding
            line, spans = self._line(bindings, compact=True)
        self._add_palette(line, spans, palette)
        self._spans = spans
        return line

    def _line(self, bindings: list[ActiveBinding], *,
              compact: bool) -> tuple[Text, list[_Span]]:
        """The keys as `` f カード  q クイズ …``, or compact as ``fカード qクイズ …`` (the
        key keeps its colours, so it still stands apart from its description)."""
        line = Text(no_wrap=True, overflow="ellipsis")
        spans: list[_Span] = []
        for active in bindings:
            self._add(line, spans, active, compact=compact)
        return line, spans

    def _add(self, line: Text, spans: list[_Span], active: ActiveBinding, *,
             compact: bool = False) -> None:
        key_style = self.get_component_rich_style("key-bar--key")
        text_style = self.get_component_rich_style("key-bar--description")
        dim = self.get_component_rich_style("key-bar--disabled", partial=True)
        start, binding = line.cell_len, active.binding
        extra = Style() if active.enabled else dim
        key = self.app.get_key_display(binding)
        line.append(key if compact else f" {key} ", key_style + extra)
        line.append(f"{binding.description} ", text_style + extra)
        spans.append(_Span(start, line.cell_len, binding.key, active.enabled,
                           active.tooltip or binding.tooltip or binding.description))

    def _add_palette(self, line: Text, spans: list[_Span],
                     palette: ActiveBinding | None) -> None:
        """The command palette's key at the right end, when there is room for it."""
        if palette is not None:
            room = self.size.width - line.cell_len
            binding = palette.binding
            label = f" {self.app.get_key_display(binding)} {binding.description} "
            if room > cell_len(label) + 1:
                line.append(" " * (room - cell_len(label)))
                self._add(line, spans, palette)

    def _span_at(self, x: int) -> _Span | None:
        return next((span for span in self._spans if span.start <= x < span.end), None)

    def on_click(self, event: events.Click) -> None:
        span = self._span_at(event.x)
        if span is None:
            return
        event.stop()
        if span.enabled:
            self.app.simulate_key(span.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """The tooltip of the key under the pointer (as Footer's keys have)."""
        span = self._span_at(event.x)
        self.tooltip = span.tooltip if span is not None else None
