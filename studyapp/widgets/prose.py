"""Japanese line breaking for the terminal.

Terminal text wrappers (Rich's and Textual's) break lines at spaces only, so a Japanese
sentence, which has none, is pushed whole onto the next line and then folded wherever
the width runs out. :class:`Prose` breaks where Japanese typesetting allows: between any
two kana or kanji, at spaces in Latin text, never inside a Latin word or number, and
never before closing punctuation (、。）」…) or after an opening bracket (kinsoku).

Use it for every content text shown: ``static.update(Prose(text))``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

#: characters that may not begin a line
NO_START = set(
    "、。，．,.)）]］｝}〕〉》」』】〙〗!！?？:：;；・ー…‥"
    "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々〻゛゜ゝゞヽヾ%％′″℃"
)
#: characters that may not end a line
NO_END = set("(（[［｛{〔〈《「『【〘〖")


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _tokens(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of unbreakable pieces: a wide character, a run of narrow non-space
    characters (a Latin word, a number, a formula), or a run of spaces."""
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        j = i + 1
        if ch == " ":
            while j < n and text[j] == " ":
                j += 1
        elif not _is_wide(ch):
            while j < n and text[j] != " " and not _is_wide(text[j]) and text[j] != "\n":
                j += 1
        yield i, j
        i = j


def _glued(text: str) -> list[tuple[int, int]]:
    """Tokens merged where kinsoku forbids a break between them."""
    pieces: list[list[int]] = []
    for start, end in _tokens(text):
        if pieces:
            prev = pieces[-1]
            prev_text = text[prev[0]:prev[1]]
            tok = text[start:end]
            if tok[0] != " " and prev_text[-1] != " " and (
                tok[0] in NO_START or prev_text[-1] in NO_END
            ):
                prev[1] = end
                continue
        pieces.append([start, end])
    return [(a, b) for a, b in pieces]


def break_offsets(line: str, width: int) -> list[int]:
    """Offsets at which to break one line (no newline in it) to fit ``width`` cells."""
    width = max(width, 2)
    offsets: list[int] = []
    used = 0
    line_start = 0
    for start, end in _glued(line):
        piece = line[start:end]
        w = cell_len(piece)
        if piece[0] == " ":
            if used + w > width and start > line_start:
                offsets.append(end)  # spaces at a break vanish into the line's end
                line_start, used = end, 0
            else:
                used += w
            continue
        if used + w > width and start > line_start:  # the piece starts a new line
            offsets.append(start)
            line_start, used = start, 0
        if w <= width:
            used += w
            continue
        for k in range(start, end):  # longer than a whole line: fold it by characters
            cw = cell_len(line[k])
            if used + cw > width and k > line_start:
                offsets.append(k)
                line_start, used = k, 0
            used += cw
    return offsets


class Prose:
    """A Rich renderable: ``text`` (str or styled :class:`~rich.text.Text`) broken into
    lines the Japanese way at whatever width it is drawn. ``hang`` indents the lines that
    continue a paragraph (a numbered option continues under its text, not its number)."""

    def __init__(self, text: str | Text, *, hang: int = 0) -> None:
        self.text = text if isinstance(text, Text) else Text(text)
        self.hang = hang

    def __str__(self) -> str:
        return self.text.plain

    def lines(self, width: int) -> list[Text]:
        out: list[Text] = []
        for number, line in enumerate(self.text.split("\n", allow_blank=True)):
            if not self.hang:
                offsets = break_offsets(line.plain, width)
                parts = line.divide(offsets) if offsets else [line]
                for part in parts:
                    part.rstrip()
                    out.append(part)
                continue
            # hanging indent: every line after the paragraph's very first one (wrapped or
            # after a newline, as in a multi-line code option) starts under the text
            first, rest = number == 0, line
            while True:
                room = width if first else max(width - self.hang, 2)
                offsets = break_offsets(rest.plain, room)
                head = rest[: offsets[0]] if offsets else rest
                head.rstrip()
                out.append(head if first else Text(" " * self.hang) + head)
                if not offsets:
                    break
                rest = rest[offsets[0]:]
                spaces = len(rest.plain) - len(rest.plain.lstrip(" "))
                rest = rest[spaces:]
                if not rest.plain:
                    break
                first = False
        return out

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = self.lines(options.max_width)
        joined = Text("\n").join(lines)
        joined.no_wrap = True
        joined.overflow = "crop"
        yield joined

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(line) for line in self.text.plain.split("\n")), default=0)
        return Measurement(min(2, widest), widest)
