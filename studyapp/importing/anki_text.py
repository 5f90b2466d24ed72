"""Reading Anki's "Notes in Plain Text" export into notes: header lines, rows, fields.

The file is read the way Anki (2.1.50 up to 26.9) writes it:

* Header lines at the top, ``#key:value``: ``#separator:`` (``Tab`` by default; also
  ``Comma``, ``Semicolon``, ``Space``, ``Pipe``, ``Colon`` or one literal character),
  ``#html:`` (``true`` unless it says ``false``), ``#guid column:N``,
  ``#notetype column:N``, ``#deck column:N``, ``#tags column:N`` (those columns are set
  aside: the note type picks how the fields are read, the tags become the items' tags),
  ``#notetype:NAME`` (one note type for every row), ``#tags:`` (tags for every row).
  Other headers and any other line starting with ``#`` are comments; blank lines are
  skipped.
* Every row has as many fields as the widest note type in the file: Anki pads the rows
  of narrower note types with empty fields.
* Fields may be quoted with ``"`` (a quoted field may hold tabs, newlines and ``""``).

This module only splits the file into notes (:class:`RawNote`); which note types become
which deck items is :mod:`studyapp.importing.anki_notes`. The file is bounded before it is
parsed: at most :data:`MAX_FILE_BYTES` bytes (read no further, so even ``/dev/zero``
ends) and :data:`MAX_ROWS` rows.
"""

from __future__ import annotations

import csv
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from studyapp.content import texmath
from studyapp.content.models import display_path
from studyapp.errors import UserError
from studyapp.importing.files import EXIT_BAD_INPUT, read_bounded

#: The largest file read, in bytes: about 20,000 notes of the bundled deck's richness.
MAX_FILE_BYTES = 32 * 2**20
#: The most rows (notes) one import reads; a larger collection is exported deck by deck.
MAX_ROWS = 20_000

_SEPARATORS = {
    "tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":",
}
SPECIAL_COLUMNS = ("guid", "notetype", "deck", "tags")
_HEADER = re.compile(r"#(?P<key>[a-z ]+):(?P<value>.*)\Z", re.IGNORECASE)
# Every pattern here takes time in proportion to the text, whatever the text: a formula
# or a tag cannot run past the next opening one (``[^<>]``, ``(?!\\[()])``), and no two
# runs of spaces meet, so a field of 100,000 unclosed ``<`` or ``\(``, or of spaces, is
# read once, not once per opening.
_MATH = re.compile(r"\\\((?P<inline>(?:[^\\]|\\(?![()]))*?)\\\)"
                   r"|\\\[(?P<display>(?:[^\\]|\\(?![\[\]]))*?)\\\]")
_BREAK_TAG = re.compile(r"<[ \t]*br[ \t]*(?:/[ \t]*)?>", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"<[ \t]*(?:/[ \t]*)?(?:div|p|li|tr|h[1-6])(?:[ \t][^<>]*)?>",
                        re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^<>]*>")
_SOUND = re.compile(r"\[sound:[^\[\]]*\]")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that is bad or skipped: ``str()`` is ``FILE:LINE: message``."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}: {self.message}"


class TsvError(UserError):
    """Rows that stop the import; ``problems`` lists every one of them (exit code 2).

    Parameters
    ----------
    file : Path
    problems : list of RowProblem
    message : str, optional
        The summary line; by default ``N bad rows in FILE; nothing was written``.
    """

    def __init__(self, file: Path, problems: list[RowProblem], message: str | None = None
                 ) -> None:
        self.problems = problems
        if message is None:
            rows = len({p.line for p in problems})
            message = (f"{rows} bad row{'s' if rows != 1 else ''} in {display_path(file)}; "
                       "nothing was written")
        super().__init__(f"import: {message}", EXIT_BAD_INPUT)


@dataclass
class TextFormat:
    """What the header lines say about the rows."""

    separator: str = "\t"
    html: bool = True
    columns: dict[str, int] = field(default_factory=dict)  # special column -> 0-based index
    tags: tuple[str, ...] = ()
    notetype: str | None = None  # ``#notetype:NAME``, for every row


@dataclass(frozen=True, slots=True)
class RawNote:
    """One row of the file, split into the note's own fields and what Anki adds.

    Attributes
    ----------
    line : int
        1-based line of the file where the row starts.
    notetype : str or None
        The note type's name, when the file names it.
    fields : tuple of str
        The note's fields in order (padding included), special columns taken out.
    tags : tuple of str
        The ``#tags:`` header's tags and the row's own.
    """

    line: int
    notetype: str | None
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass
class AnkiText:
    """The notes of a file, and the rows that could not be split into fields."""

    format: TextFormat
    notes: list[RawNote]
    problems: list[RowProblem]
    lines: int


def read_anki_text(path: Path) -> AnkiText:
    """Split an exported text file into notes.

    Parameters
    ----------
    path : Path

    Returns
    -------
    AnkiText

    Raises
    ------
    TsvError
        A header line is wrong (a wrong separator would make every row look bad).
    UserError
        The file cannot be read, is not UTF-8, or is over :data:`MAX_FILE_BYTES` bytes or
        :data:`MAX_ROWS` rows.
    """
    lines = _lines(read_text(path))
    problems: list[RowProblem] = []
    fmt, first_data = _read_headers(path, lines, problems)
    if problems:
        raise TsvError(path, problems)
    notes: list[RawNote] = []
    for count, (line, fields) in enumerate(_records(lines, first_data, fmt.separator), 1):
        if count > MAX_ROWS:
            raise UserError(f"import: {path} has more than {MAX_ROWS:,} rows; export fewer "
                            "notes at a time (one Anki deck, or a search)", EXIT_BAD_INPUT)
        note = _split_row(path, line, fields, fmt, problems)
        if note is not None:
            notes.append(note)
    return AnkiText(fmt, notes, problems, len(lines))


def read_text(path: Path) -> str:
    """The file as text, read no further than :data:`MAX_FILE_BYTES` bytes.

    Raises
    ------
    UserError
    """
    return read_bounded(path, MAX_FILE_BYTES, give="the exported text file",
                        save="the export",
                        smaller="export fewer notes at a time (one Anki deck, or a search)",
                        encode="export it from Anki as 'Notes in Plain Text' or save it as "
                        "UTF-8")


def _lines(text: str) -> list[str]:
    """The lines of ``text``, each with its ``\n``: split at ``\n`` only, as Anki writes
    them. (``str.splitlines`` would also split at a form feed or U+2028 inside a field,
    cutting a row in two.)"""
    lines = [line + "\n" for line in text.split("\n")]
    lines[-1] = lines[-1][:-1]
    return lines if lines[-1] else lines[:-1]


def _read_headers(path: Path, lines: list[str], problems: list[RowProblem]
                  ) -> tuple[TextFormat, int]:
    """Anki's ``#key:value`` headers at the top; returns the format and the first other line."""
    fmt = TextFormat()
    index = 0
    while index < len(lines) and lines[index].startswith("#"):
        match = _HEADER.match(lines[index].rstrip("\r\n"))
        index += 1
        if match is None:
            continue
        key = " ".join(match["key"].lower().split())
        value = match["value"].strip()
        if key == "separator":
            separator = _SEPARATORS.get(value.lower(), value if len(value) == 1 else None)
            if separator is None or separator in '"\r\n':
                problems.append(RowProblem(path, index, f"unknown separator {value!r}: "
                                           "expected Tab, Comma, Semicolon, Space, Pipe, "
                                           "Colon or one character"))
            else:
                fmt.separator = separator
        elif key == "html":
            fmt.html = value.lower() != "false"
        elif key == "tags":
            fmt.tags = tuple(value.split())
        elif key == "notetype":
            fmt.notetype = value or None
        elif key.endswith(" column") and key[: -len(" column")] in SPECIAL_COLUMNS:
            if value.isdigit() and int(value) >= 1:
                fmt.columns[key[: -len(" column")]] = int(value) - 1
            else:
                problems.append(RowProblem(path, index, f"#{key}: expected a column number "
                                           f"from 1, got {value!r}"))
    positions = list(fmt.columns.values())
    if len(set(positions)) != len(positions):
        problems.append(RowProblem(path, index, "two header lines name the same column: "
                                   + ", ".join(f"#{k} column:{v + 1}"
                                               for k, v in fmt.columns.items())))
    return fmt, index


def _records(lines: list[str], start: int, separator: str) -> Iterator[tuple[int, list[str]]]:
    """The rows from line ``start`` on, each with the 1-based line it starts at.

    Comment lines (``#…``) and blank lines between rows are skipped; a quoted field may
    run over several lines. A row that cannot be split comes as ``["\\x00" + reason]``.
    """
    state = {"at_row_start": True, "line": 0}
    position = start

    def source() -> Iterator[str]:
        nonlocal position
        while position < len(lines):
            line = lines[position]
            position += 1
            if state["at_row_start"]:
                if line.startswith("#") or not line.strip():
                    continue
                state["at_row_start"] = False
                state["line"] = position
            yield line

    reader = csv.reader(source(), delimiter=separator, quotechar='"', doublequote=True,
                        strict=False)
    while True:
        state["at_row_start"] = True
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield state["line"], [f"\x00{_csv_problem(exc)}"]
            continue
        yield state["line"], fields


def _csv_problem(exc: csv.Error) -> str:
    """The csv module's complaint in the learner's words."""
    text = str(exc)
    if text.startswith("field larger than field limit"):
        return (f"a field is longer than {csv.field_size_limit():,} characters (a quote "
                "that is never closed runs to the end of the file)")
    if text.startswith("new-line character seen in unquoted field"):
        return "a carriage return (\\r) inside a field that is not in quotes"
    return text


def _split_row(path: Path, line: int, fields: list[str], fmt: TextFormat,
               problems: list[RowProblem]) -> RawNote | None:
    """Take the special columns out of a row; report a row too short to hold them."""
    if len(fields) == 1 and fields[0].startswith("\x00"):
        problems.append(RowProblem(path, line, f"cannot read the row: {fields[0][1:]}"))
        return None
    special = fmt.columns
    tags_index = special.get("tags")
    if tags_index is not None and tags_index == len(fields) and tags_index == max(
        special.values()
    ):
        fields = [*fields, ""]  # the tags column is last and this row has no tags
    needed = max(special.values(), default=-1) + 1
    if len(fields) < needed or len(fields) == len(special):
        named = fmt.notetype is not None or "notetype" in special
        problems.append(RowProblem(path, line, columns_message(
            fmt, len(fields), ("the note's fields",) if named else ("front", "back"))))
        return None
    positions = set(special.values())
    own = tuple(f for i, f in enumerate(fields) if i not in positions)
    notetype = fmt.notetype
    if "notetype" in special:
        notetype = fields[special["notetype"]].strip()
    tags = list(fmt.tags)
    if tags_index is not None:
        tags += fields[tags_index].split()
    return RawNote(line, notetype, own, tuple(dict.fromkeys(tags)))


# --------------------------------------------------------------------------- field text


def field_text(raw: str, is_html: bool, name: str, bad: list[str]) -> str | None:
    """A field as plain deck text: HTML to lines, MathJax to Unicode, no LaTeX left.

    Parameters
    ----------
    raw : str
        The field as the file has it.
    is_html : bool
        Whether the file says ``#html:true``.
    name : str
        The field's name in messages (``front``).
    bad : list of str
        Problems are appended here.

    Returns
    -------
    str or None
        None when the field has a problem.
    """
    text = strip_html(raw) if is_html else raw.replace("\r\n", "\n").strip()
    found: list[str] = []

    def formula(match: re.Match[str]) -> str:
        tex = match["inline"] if match["inline"] is not None else match["display"]
        rendering = texmath.render(tex.strip())
        if rendering.problems:
            found.append(f"{name}: formula {match[0]} cannot be shown as Unicode: "
                         + "; ".join(rendering.problems))
            return match[0]
        return rendering.text

    text = _MATH.sub(formula, text)
    bad.extend(found)
    if found:
        return None
    commands = list(dict.fromkeys(texmath.latex_commands(text)))
    if commands:
        bad.append(f"{name} contains the LaTeX {'command' if len(commands) == 1 else 'commands'} "
                   f"{', '.join(commands)} outside a formula: wrap formulas in \\( … \\) or "
                   "write them in Unicode")
        return None
    return text


def formula_tex(text: str) -> str | None:
    """The LaTeX of a field that is one MathJax formula, ``\\( … \\)`` or ``\\[ … \\]``."""
    match = _MATH.fullmatch(text.strip())
    if match is None:
        return None
    tex = match["inline"] if match["inline"] is not None else match["display"]
    return tex.strip() or None


def strip_html(raw: str) -> str:
    """HTML to plain text: ``<br>``, ``<div>``, ``<p>``, ``<li>`` become line breaks, other
    tags (images among them) and Anki's ``[sound:…]`` are dropped, entities decoded, spaces
    within each line collapsed, blank lines dropped."""
    text = _BREAK_TAG.sub("\n", raw.replace("\r\n", "\n").replace("\n", " "))
    text = _SOUND.sub("", _BLOCK_TAG.sub("\n", text))
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def code_text(raw: str) -> str:
    """HTML of a code snippet (``<pre><code>…</code></pre>``) to its text, keeping every
    space and line break of the code."""
    text = _BREAK_TAG.sub("\n", raw.replace("\r\n", "\n"))
    text = _ANY_TAG.sub("", text)
    return html.unescape(text).replace("\xa0", " ").strip()


def columns_message(fmt: TextFormat, found: int,
                    content: tuple[str, ...] = ("front", "back")) -> str:
    """``expected 3 columns (front, back, tags) separated by a tab, found 1``."""
    names = list(content)
    for column, index in sorted(fmt.columns.items(), key=lambda item: item[1]):
        names.insert(index, column)
    width = max(len(names), max(fmt.columns.values(), default=-1) + 1)
    return (f"expected {width} columns ({', '.join(names)}) separated by "
            f"{separator_name(fmt.separator)}, found {found}")


def separator_name(separator: str) -> str:
    """``a tab``, ``a comma (',')`` …: the separator as messages name it."""
    for name, char in _SEPARATORS.items():
        if char == separator:
            return "a tab" if name == "tab" else f"a {name} ({char!r})"
    return repr(separator)
