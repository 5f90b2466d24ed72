"""A learner's study note (Markdown) → sections, keywords, bullets, formulas and tables.

The notes this reads are the ones learners of the exam write per syllabus section, in
the style of Zenn or Qiita articles:

* optional front matter between ``---`` lines (only ``title:`` is read);
* a ``## キーワード`` section listing the keywords, separated by commas, 、 or new
  lines (or written as a bullet list);
* headings per topic (``##``, ``###``, ``####``), a heading such as
  ``ドロップアウト（Dropout）`` giving a Japanese name and the English term;
* bullets (``-``, ``*``, ``+``, ``1.``) and plain lines;
* display formulas between ``$$`` (on one line or several), followed by legend lines
  such as ``$\\lambda$：正則化係数``; inline ``$…$``;
* Markdown tables.

Images, Zenn message blocks (``:::message``) and code blocks are skipped, each noted
with its line. This module only splits the note; what becomes a card or a question is
:mod:`studyapp.importing.notes_deck`. Nothing here renders formulas or runs anything,
and every step takes time in proportion to the note: each line is looked at a bounded
number of times, and no pattern can run past the end of its line.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.errors import UserError
from studyapp.importing.files import EXIT_BAD_INPUT, read_bounded

#: The largest note read, in bytes (a note of a whole syllabus section is ~20 KB).
MAX_NOTE_BYTES = 4 * 2**20
#: The most lines of one note.
MAX_NOTE_LINES = 100_000
#: Front matter longer than this is not front matter (the rest is read as the note).
_MAX_FRONT_MATTER_LINES = 200
#: A table with more columns (or more rows) than this is left out with a line saying so:
#: each cell becomes a card, and a study note's comparison tables are a few columns wide.
MAX_TABLE_COLUMNS = 30
MAX_TABLE_ROWS = 200
#: Headings that name the keyword list.
KEYWORD_HEADINGS = frozenset(("キーワード", "keywords", "keyword", "キーワード一覧",
                              "重要キーワード", "用語", "キーワードリスト"))

_HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?\Z")
_BULLET = re.compile(r"([ \t]*)(?:[-*+]|\d{1,9}[.)])[ \t]+(.*)\Z")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_TABLE_SEPARATOR = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?\Z")
_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\(|<img\b", re.IGNORECASE)
_RULE = re.compile(r"(?:-[ \t]*){3,}\Z|(?:\*[ \t]*){3,}\Z|(?:_[ \t]*){3,}\Z")
_TITLE = re.compile(r"title[ \t]*:(.*)\Z")
#: The colon of a legend line: full-width, or ASCII.
_COLONS = "：:"


@dataclass(frozen=True, slots=True)
class Point:
    """A bullet or a line of prose, as written (Markdown, inline ``$…$``)."""

    line: int
    text: str


@dataclass(frozen=True, slots=True)
class Legend:
    """A legend line under a formula: ``$\\lambda$：正則化係数`` → symbol, meaning."""

    line: int
    symbol: str
    meaning: str


@dataclass(slots=True)
class Formula:
    """A display formula (``$$ … $$``): its LaTeX, its line, its legend lines."""

    line: int
    tex: str
    legend: list[Legend] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Table:
    """A Markdown table: the header's cells and each row's line and cells (as many as
    the header has)."""

    line: int
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]


@dataclass(slots=True)
class Section:
    """A heading and what is written under it before the next heading.

    ``parent`` is the index of the enclosing section (a heading of a lower level) in
    :attr:`Note.sections`, or None.
    """

    line: int
    level: int
    heading: str
    parent: int | None = None
    points: list[Point] = field(default_factory=list)
    formulas: list[Formula] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return bool(self.points or self.formulas or self.tables)


@dataclass(slots=True)
class Note:
    """A parsed note.

    Attributes
    ----------
    title : str or None
        ``title:`` of the front matter, else the first ``#`` heading.
    keywords : list of Point or None
        The keyword list's entries, each with its line; None when the note has no
        keyword section.
    keyword_line : int
        The line of the keyword heading (0 without one).
    sections : list of Section
        Every heading in order; ``sections[0]`` is what comes before the first heading
        (level 0, no heading).
    skipped : list of (line, message)
        The parts that are left out (images, message blocks, code blocks, an unclosed
        formula).
    lines : int
    """

    title: str | None
    keywords: list[Point] | None
    keyword_line: int
    sections: list[Section]
    skipped: list[tuple[int, str]]
    lines: int


def normalize(text: str) -> str:
    """The form two spellings are compared in: NFKC (full-width → ASCII), case folded,
    without spaces, emphasis marks or a trailing colon."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\s*_`:]+", "", text)


def read_note(path: Path) -> str:
    """The note as text, read no further than :data:`MAX_NOTE_BYTES` bytes.

    Raises
    ------
    UserError
        A missing file, a folder, a FIFO, an unreadable file, a file over the limits, or
        one that is not UTF-8 text.
    """
    text = read_bounded(path, MAX_NOTE_BYTES, give="the note's .md file", save="the note",
                        smaller="split the note by syllabus section",
                        encode="save the note as UTF-8")
    if text.count("\n") >= MAX_NOTE_LINES:
        raise UserError(f"import: {path} has more than {MAX_NOTE_LINES:,} lines; split the "
                        "note by syllabus section", EXIT_BAD_INPUT)
    return text


def parse_note(text: str) -> Note:
    """Split a note's text into its parts (see the module's description)."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    return _Parser(lines).run()


def split_legend(text: str) -> tuple[str, str] | None:
    """``$\\lambda$：正則化係数`` → (``$\\lambda$``, ``正則化係数``): a legend line's symbol
    and meaning, split at the first colon outside ``$…$``; None when the line is not one
    (no colon, nothing on a side, or a symbol that is prose rather than a symbol)."""
    in_math = False
    for index, char in enumerate(text):
        if char == "$":
            in_math = not in_math
        elif char in _COLONS and not in_math:
            symbol, meaning = text[:index].strip(), text[index + 1:].strip()
            if not symbol or not meaning or in_math:
                return None
            if "$" not in symbol and len(symbol) > 12:
                return None
            return symbol, meaning
    return None


def split_keywords(text: str) -> list[str]:
    """A keyword line split at commas, 、 and ， (and ;) outside brackets, so that
    ``正則化（バッチサイズ、学習率）`` stays one keyword."""
    parts: list[str] = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "（(「【[":
            depth += 1
        elif char in "）)」】]" and depth:
            depth -= 1
        elif char in ",、，;；" and not depth:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def table_cells(line: str) -> list[str]:
    """The cells of a table line, split at ``|`` not escaped with a backslash."""
    text = line.strip()
    if text.startswith("|"):
        text = text[1:]
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    cells: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text) and text[index + 1] == "|":
            current.append("\\|")
            index += 2
            continue
        if char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
        index += 1
    cells.append("".join(current).strip())
    return cells


class _Parser:
    """One pass over the lines; ``self.index`` only moves forward."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.index = 0
        self.title: str | None = None
        self.keywords: list[Point] | None = None
        self.keyword_line = 0
        self.sections = [Section(0, 0, "")]
        self.stack: list[int] = [0]  # open sections, outermost first
        self.skipped: list[tuple[int, str]] = []
        self.in_keywords = False
        self.formula: Formula | None = None  # the formula whose legend may follow
        self.last_point: tuple[int, int] | None = None  # (indent, index) of the last bullet

    @property
    def section(self) -> Section:
        return self.sections[self.stack[-1]]

    def run(self) -> Note:
        self.front_matter()
        while self.index < len(self.lines):
            line = self.lines[self.index]
            self.index += 1
            self.line(line)
        return Note(self.title, self.keywords, self.keyword_line, self.sections,
                    self.skipped, len(self.lines))

    def front_matter(self) -> None:
        if not self.lines or self.lines[0].strip() != "---":
            return
        end = min(len(self.lines), _MAX_FRONT_MATTER_LINES + 1)
        for close in range(1, end):
            if self.lines[close].strip() in ("---", "..."):
                break
        else:
            return
        for line in self.lines[1:close]:
            match = _TITLE.match(line)
            if match and match[1].strip():
                self.title = _unquote(match[1].strip())
        self.index = close + 1

    def line(self, line: str) -> None:
        stripped = line.strip()
        number = self.index
        fence = _FENCE.match(line)
        if fence:
            self.skip_fence(fence[1], number)
            return
        if stripped.startswith(":::"):
            self.skip_message(number, stripped)
            return
        heading = _HEADING.match(line) if stripped.startswith("#") else None
        if heading:
            self.heading(number, len(heading[1]), heading[2] or "")
            return
        if not stripped:
            self.last_point = None
            return
        if stripped.startswith("<!--"):
            self.skip_comment(stripped)
            return
        if self.in_keywords:
            self.keyword_line_(number, stripped)
            return
        if stripped.startswith("$$"):
            self.display_math(number, stripped[2:])
            return
        if stripped.startswith("|") and self.index < len(self.lines) \
                and _TABLE_SEPARATOR.match(self.lines[self.index].strip()):
            self.table(number, stripped)
            return
        if _IMAGE.search(stripped):
            self.skip_image(number)
            return
        if _RULE.match(stripped):
            return
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> \t")
            if not stripped:
                return
        bullet = _BULLET.match(line)
        text = bullet[2].strip() if bullet else stripped
        if self.formula is not None:
            legend = split_legend(text)
            if legend and (not bullet or "$" in legend[0]):
                self.formula.legend.append(Legend(number, *legend))
                return
            self.formula = None
        if bullet:
            if text:
                self.section.points.append(Point(number, text))
                self.last_point = (len(bullet[1].expandtabs(4)), len(self.section.points) - 1)
            return
        indent = len(line) - len(line.lstrip(" \t"))
        if self.last_point is not None and indent > self.last_point[0]:
            # a continuation line of the bullet above
            at = self.last_point[1]
            old = self.section.points[at]
            self.section.points[at] = Point(old.line, f"{old.text} {stripped}")
            return
        self.section.points.append(Point(number, stripped))

    # -- headings and the keyword list ------------------------------------------------
    def heading(self, number: int, level: int, text: str) -> None:
        text = _without_closing_hashes(text.strip())
        self.formula = None
        self.last_point = None
        if level == 1 and self.title is None and text:
            self.title = text
        if normalize(text) in KEYWORD_HEADINGS and self.keywords is None:
            self.in_keywords = True
            self.keywords = []
            self.keyword_line = number
            return
        self.in_keywords = False
        while len(self.stack) > 1 and self.sections[self.stack[-1]].level >= level:
            self.stack.pop()
        self.sections.append(Section(number, level, text, parent=self.stack[-1] or None))
        self.stack.append(len(self.sections) - 1)

    def keyword_line_(self, number: int, stripped: str) -> None:
        assert self.keywords is not None
        bullet = _BULLET.match(stripped)
        text = bullet[2] if bullet else stripped
        for part in split_keywords(text):
            part = part.strip("*_` \t")
            if part:
                self.keywords.append(Point(number, part))

    # -- blocks -----------------------------------------------------------------------
    def display_math(self, number: int, rest: str) -> None:
        self.last_point = None
        if "$$" in rest:  # $$ … $$ on one line
            tex = rest[: rest.index("$$")]
            self.add_formula(number, tex)
            return
        parts = [rest]
        while self.index < len(self.lines):
            line = self.lines[self.index]
            if "$$" in line:
                parts.append(line[: line.index("$$")])
                self.index += 1
                self.add_formula(number, "\n".join(parts))
                return
            if _HEADING.match(line) and line.strip().startswith("#"):
                break
            parts.append(line)
            self.index += 1
        self.skipped.append((number, "skipped: a display formula opened with $$ here is "
                                     "never closed"))
        self.formula = None

    def add_formula(self, number: int, tex: str) -> None:
        tex = " ".join(tex.split())
        if not tex:
            self.formula = None
            return
        formula = Formula(number, tex)
        self.section.formulas.append(formula)
        self.formula = formula

    def table(self, number: int, first: str) -> None:
        self.formula = None
        self.last_point = None
        header = table_cells(first)
        self.index += 1  # the separator line
        rows = []
        while self.index < len(self.lines) and self.lines[self.index].strip().startswith("|"):
            cells = table_cells(self.lines[self.index])
            cells = (cells + [""] * len(header))[: len(header)]
            rows.append((self.index + 1, tuple(cells)))
            self.index += 1
        if len(header) > MAX_TABLE_COLUMNS or len(rows) > MAX_TABLE_ROWS:
            self.skipped.append((number, f"skipped: a table of {len(header)} columns and "
                                         f"{len(rows)} rows (at most {MAX_TABLE_COLUMNS} "
                                         f"columns and {MAX_TABLE_ROWS} rows become cards)"))
            return
        self.section.tables.append(Table(number, tuple(header), tuple(rows)))

    def skip_fence(self, fence: str, number: int) -> None:
        self.formula = None
        while self.index < len(self.lines):
            line = self.lines[self.index].strip()
            self.index += 1
            if line.startswith(fence[0] * len(fence)) and not line.strip(fence[0]):
                break
        self.skipped.append((number, "skipped: a code block (a deck drafted from a note "
                                     "holds no code)"))

    def skip_message(self, number: int, stripped: str) -> None:
        self.formula = None
        kind = stripped[3:].split()[0] if stripped[3:].split() else "block"
        while self.index < len(self.lines):
            line = self.lines[self.index].strip()
            self.index += 1
            if line == ":::" or line == "::::":
                break
        self.skipped.append((number, f"skipped: a :::{kind} block"))

    def skip_comment(self, stripped: str) -> None:
        if "-->" in stripped:
            return
        while self.index < len(self.lines):
            line = self.lines[self.index]
            self.index += 1
            if "-->" in line:
                return

    def skip_image(self, number: int) -> None:
        """An image, and the caption lines right under it (up to a blank line)."""
        self.formula = None
        self.last_point = None
        while self.index < len(self.lines):
            line = self.lines[self.index].strip()
            if not line or line.startswith(("#", "|", "$$", "-", ":::")) or _BULLET.match(line):
                break
            self.index += 1
        self.skipped.append((number, "skipped: an image (a deck shows text only)"))


def _without_closing_hashes(text: str) -> str:
    """``## 見出し ##`` → ``見出し`` (a closing run of ``#`` after a space)."""
    bare = text.rstrip("#")
    if bare != text and (not bare or bare[-1] in " \t"):
        return bare.strip()
    return text


def _unquote(text: str) -> str:
    text = text.split(" #")[0].strip() if not text.startswith(("'", '"')) else text
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1].strip()
    return text.strip()
