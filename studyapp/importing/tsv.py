"""Anki's "Notes in Plain Text" export (front, back separated by tabs) → a new deck folder.

The file is read the way Anki writes it:

* Header lines at the top, ``#key:value``: ``#separator:`` (``Tab`` by default; also
  ``Comma``, ``Semicolon``, ``Space``, ``Pipe``, ``Colon`` or one literal character),
  ``#html:`` (``true`` unless it says ``false``), ``#tags column:N``, ``#guid column:N``,
  ``#notetype column:N``, ``#deck column:N`` (those columns are set aside; the tags
  become the cards' ``tags``), ``#tags:`` (tags for every row). Other headers and any
  other line starting with ``#`` are comments; blank lines are skipped.
* Fields may be quoted with ``"`` (a quoted field may hold tabs, newlines and ``""``).
* With HTML on, ``<br>``, ``<div>`` and ``<p>`` become line breaks, other tags are
  dropped, and entities (``&nbsp;``, ``&lt;`` …) are decoded.
* MathJax formulas ``\\( … \\)`` and ``\\[ … \\]`` are rewritten in Unicode (``λ‖w‖₂²``),
  since deck text is plain text with Unicode math.
* A front holding ``{{c1::…}}`` gaps becomes a cloze card (its back, if any, the extra
  note); any other row needs a non-empty front and back.

Every bad row is reported as ``FILE:LINE: message`` and nothing is written unless all rows
are good. The deck is written to a hidden temporary folder beside the new one, checked
with the deck validator, and renamed into place only then.
"""

from __future__ import annotations

import bisect
import contextlib
import csv
import html
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from studyapp.content import cloze as cloze_gaps
from studyapp.content import texmath
from studyapp.content.models import display_path
from studyapp.errors import UserError

#: A deck id, like every id of the schema.
DECK_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
#: The one keyword of an imported deck.
KEYWORD = {"id": "imported", "name": "インポートしたカード", "en": "imported cards"}
EXIT_BAD_INPUT = 2

_SEPARATORS = {
    "tab": "\t", "comma": ",", "semicolon": ";", "space": " ", "pipe": "|", "colon": ":",
}
_SPECIAL_COLUMNS = ("tags", "guid", "notetype", "deck")
_HEADER = re.compile(r"#(?P<key>[a-z ]+):(?P<value>.*)\Z", re.IGNORECASE)
_CLOZE = re.compile(r"\{\{c\d+::")
_MATH = re.compile(r"\\\((?P<inline>.*?)\\\)|\\\[(?P<display>.*?)\\\]", re.DOTALL)
_BREAK_TAG = re.compile(r"<\s*br\s*/?\s*>", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"<\s*/?\s*(?:div|p|li|tr|h[1-6])(?:\s[^>]*)?>", re.IGNORECASE)
_ANY_TAG = re.compile(r"<[^>]*>")
_SPACES_AROUND_BREAK = re.compile(r"[ \t]*\n\s*")


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A bad row: ``str()`` is ``FILE:LINE: message`` (FILE relative where possible)."""

    file: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{display_path(self.file)}:{self.line}: {self.message}"


class TsvError(UserError):
    """The file has bad rows; ``problems`` lists every one of them (exit code 2)."""

    def __init__(self, file: Path, problems: list[RowProblem]) -> None:
        self.problems = problems
        rows = len({p.line for p in problems})
        super().__init__(
            f"import: {rows} bad row{'s' if rows != 1 else ''} in {display_path(file)}; "
            "nothing was written",
            EXIT_BAD_INPUT,
        )


@dataclass(frozen=True, slots=True)
class TsvRow:
    """One good row of the file.

    Attributes
    ----------
    line : int
        1-based line of the file where the row starts.
    front : str
        The front, or the cloze text when ``is_cloze``.
    back : str
        The back (may be empty for a cloze card).
    tags : tuple of str
    is_cloze : bool
    """

    line: int
    front: str
    back: str
    tags: tuple[str, ...] = ()
    is_cloze: bool = False


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What :func:`import_tsv` wrote: the new deck folder and its number of cards."""

    deck_dir: Path
    cards: int
    cloze: int


@dataclass
class _Format:
    separator: str = "\t"
    html: bool = True
    columns: dict[str, int] = field(default_factory=dict)  # special column -> 0-based index
    tags: tuple[str, ...] = ()


def read_tsv(path: Path) -> list[TsvRow]:
    """Read and check every row of an exported text file.

    Parameters
    ----------
    path : Path

    Returns
    -------
    list of TsvRow
        At least one row.

    Raises
    ------
    TsvError
        When any row is bad (each problem is in ``.problems``).
    UserError
        When the file cannot be read or is not UTF-8 text.
    """
    text = _read_text(path)
    lines = text.splitlines(keepends=True)
    problems: list[RowProblem] = []
    fmt, first_data = _read_headers(path, lines, problems)
    if problems:  # a wrong separator would make every row look bad
        raise TsvError(path, problems)
    rows: list[TsvRow] = []
    for line, fields in _records(lines, first_data, fmt.separator):
        row = _check_row(path, line, fields, fmt, problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        problems.append(RowProblem(path, max(1, len(lines)),
                                   "no rows: expected lines of front<TAB>back"))
    if problems:
        raise TsvError(path, problems)
    return rows


def import_tsv(path: Path, content_root: Path, name: str) -> ImportResult:
    """Turn an exported text file into the new deck folder ``content_root/name``.

    Parameters
    ----------
    path : Path
        The tab-separated file.
    content_root : Path
        The folder of deck folders the deck is added to (created if missing).
    name : str
        The new deck's id, title and folder name: ``[a-z0-9][a-z0-9-]*``.

    Returns
    -------
    ImportResult

    Raises
    ------
    TsvError
        Bad rows (nothing written).
    UserError
        A bad name, a deck folder or deck id that already exists, a content folder that
        is a deck folder itself, or a file that cannot be read or written.
    """
    if not DECK_NAME.match(name):
        raise UserError(
            f"import: deck name {name!r} is not a valid id: use lowercase letters, digits "
            "and hyphens, starting with a letter or digit (e.g. 'anki-regularization')",
            EXIT_BAD_INPUT,
        )
    rows = read_tsv(path)
    target = content_root / name
    _check_target(content_root, target, name)
    created_root = not content_root.exists()
    try:
        content_root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"import: cannot create {content_root}: {_reason(exc)}") from None
    try:
        temp = Path(tempfile.mkdtemp(prefix=f".{name}.import-", dir=content_root))
    except OSError as exc:
        _remove_if_created(content_root, created_root)
        raise UserError(f"import: cannot write in {content_root}: {_reason(exc)}") from None
    try:
        card_lines = _write_deck(temp, name, path, rows)
        _validate(temp, path, rows, card_lines)
        temp.rename(target)
    except OSError as exc:
        raise UserError(f"import: cannot write {target}: {_reason(exc)}") from None
    finally:
        if temp.exists():
            shutil.rmtree(temp, ignore_errors=True)
        if not target.exists():
            _remove_if_created(content_root, created_root)
    cloze = sum(row.is_cloze for row in rows)
    return ImportResult(target, len(rows), cloze)


def card_ids(name: str, count: int) -> list[str]:
    """The ids of the imported cards: ``NAME-0001``, ``NAME-0002`` … in row order."""
    width = max(4, len(str(count)))
    return [f"{name}-{n:0{width}d}" for n in range(1, count + 1)]


# --------------------------------------------------------------------------- reading


def _read_text(path: Path) -> str:
    if not path.exists():
        raise UserError(f"import: file not found: {path}")
    if path.is_dir():
        raise UserError(f"import: {path} is a folder; give the exported text file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UserError(f"import: cannot read {path}: {_reason(exc)}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(
            f"import: {display_path(path)}:{line}: not UTF-8 text; export it from Anki "
            "as 'Notes in Plain Text' or save it as UTF-8",
            EXIT_BAD_INPUT,
        ) from None


def _read_headers(path: Path, lines: list[str], problems: list[RowProblem]
                  ) -> tuple[_Format, int]:
    """Anki's ``#key:value`` headers at the top; returns the format and the first other line."""
    fmt = _Format()
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
        elif key.endswith(" column") and key[: -len(" column")] in _SPECIAL_COLUMNS:
            if value.isdigit() and int(value) >= 1:
                fmt.columns[key[: -len(" column")]] = int(value) - 1
            else:
                problems.append(RowProblem(path, index, f"#{key}: expected a column number "
                                           f"from 1, got {value!r}"))
    return fmt, index


def _records(lines: list[str], start: int, separator: str) -> Iterator[tuple[int, list[str]]]:
    """The rows from line ``start`` on, each with the 1-based line it starts at.

    Comment lines (``#…``) and blank lines between rows are skipped; a quoted field may
    run over several lines.
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
            yield state["line"], [f"\x00{exc}"]
            continue
        yield state["line"], fields


def _check_row(path: Path, line: int, fields: list[str], fmt: _Format,
               problems: list[RowProblem]) -> TsvRow | None:
    def bad(message: str) -> None:
        problems.append(RowProblem(path, line, message))

    if len(fields) == 1 and fields[0].startswith("\x00"):
        bad(f"cannot read the row: {fields[0][1:]}")
        return None
    special = sorted(fmt.columns.items(), key=lambda item: item[1])
    expected = 2 + len(special)
    tags_index = fmt.columns.get("tags")
    if len(fields) == expected - 1 and tags_index == expected - 1:
        fields = [*fields, ""]  # the tags column is last and this row has no tags
    elif len(fields) == 1 and not special and _CLOZE.search(fields[0]):
        fields = [fields[0], ""]  # a cloze text without an extra note
    if len(fields) != expected:
        names = ["front", "back"]
        for column, index in special:
            names.insert(index, column)
        bad(f"expected {expected} columns ({', '.join(names)}) separated by "
            f"{_separator_name(fmt.separator)}, found {len(fields)}")
        return None
    content = [f for i, f in enumerate(fields) if i not in fmt.columns.values()]
    is_cloze = _CLOZE.search(content[0]) is not None
    before = len(problems)
    front = _field_text(content[0], fmt.html, "front", bad)
    back = _field_text(content[1], fmt.html, "back", bad)
    if len(problems) > before or front is None or back is None:
        return None
    if is_cloze:
        for message in cloze_gaps.problems(front):
            bad(f"front (a cloze text): {message}")
    else:
        if not front:
            bad("empty front")
        if not back:
            bad("empty back")
    tags = list(fmt.tags)
    if tags_index is not None and tags_index < len(fields):
        tags += fields[tags_index].split()
    for tag in tags:
        if texmath.latex_commands(tag):
            bad(f"tag {tag!r} holds a LaTeX command")
    if len(problems) > before:
        return None
    return TsvRow(line, front, back, tuple(dict.fromkeys(tags)), is_cloze)


def _field_text(raw: str, is_html: bool, name: str, bad: Any) -> str | None:
    text = _strip_html(raw) if is_html else raw.replace("\r\n", "\n").strip()
    problems: list[str] = []

    def formula(match: re.Match[str]) -> str:
        tex = match["inline"] if match["inline"] is not None else match["display"]
        rendering = texmath.render(tex.strip())
        if rendering.problems:
            problems.append(f"{name}: formula {match[0]} cannot be shown as Unicode: "
                            + "; ".join(rendering.problems))
            return match[0]
        return rendering.text

    text = _MATH.sub(formula, text)
    for problem in problems:
        bad(problem)
    if problems:
        return None
    commands = list(dict.fromkeys(texmath.latex_commands(text)))
    if commands:
        bad(f"{name} contains the LaTeX {'command' if len(commands) == 1 else 'commands'} "
            f"{', '.join(commands)} outside a formula: wrap formulas in \\( … \\) or write "
            "them in Unicode")
        return None
    return text


def _strip_html(raw: str) -> str:
    text = _BREAK_TAG.sub("\n", raw.replace("\r\n", "\n").replace("\n", " "))
    text = _BLOCK_TAG.sub("\n", text)
    text = _ANY_TAG.sub("", text)
    text = html.unescape(text).replace("\xa0", " ")
    text = _SPACES_AROUND_BREAK.sub("\n", text)
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def _separator_name(separator: str) -> str:
    for name, char in _SEPARATORS.items():
        if char == separator:
            return "a tab" if name == "tab" else f"a {name} ({char!r})"
    return repr(separator)


# --------------------------------------------------------------------------- writing


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing multi-line text as ``|`` blocks."""


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


def _write_deck(folder: Path, name: str, source: Path, rows: list[TsvRow]) -> list[int]:
    """Write deck.yaml and cards.yaml; return the 1-based line of each card in cards.yaml."""
    deck = {
        "id": name,
        "title": name,
        "description": f"{source.name} から取り込んだカード（{len(rows)} 枚）。",
        "keywords": [KEYWORD],
    }
    header = f"# Imported from {source.name} by 'studyapp import tsv'.\n"
    (folder / "deck.yaml").write_text(header + _dump(deck), encoding="utf-8")
    cards = []
    for card_id, row in zip(card_ids(name, len(rows)), rows, strict=True):
        card: dict[str, Any] = {"id": card_id, "keywords": [KEYWORD["id"]]}
        if row.is_cloze:
            card["cloze"] = row.front
            if row.back:
                card["back"] = row.back
        else:
            card["front"] = row.front
            card["back"] = row.back
        if row.tags:
            card["tags"] = list(row.tags)
        cards.append(card)
    body = header + _dump({"cards": cards})
    (folder / "cards.yaml").write_text(body, encoding="utf-8")
    return [n for n, line in enumerate(body.splitlines(), start=1) if line.startswith("- id: ")]


def _validate(folder: Path, source: Path, rows: list[TsvRow], card_lines: list[int]) -> None:
    """Run the deck validator on the written folder; map its problems back to rows."""
    from studyapp.content import validate_content

    _, found = validate_content(folder)
    if not found:
        return
    problems = []
    for problem in found:
        index = bisect.bisect_right(card_lines, problem.line or 0) - 1
        if problem.file.name != "cards.yaml" or not 0 <= index < len(rows):
            raise UserError(f"import: the new deck does not validate: {problem.message}",
                            EXIT_BAD_INPUT)
        message = problem.message.split(": ", 1)[-1]
        problems.append(RowProblem(source, rows[index].line, message))
    raise TsvError(source, problems)


def _check_target(content_root: Path, target: Path, name: str) -> None:
    if content_root.exists() and not content_root.is_dir():
        raise UserError(f"import: {content_root} is not a folder")
    if (content_root / "deck.yaml").is_file():
        raise UserError(
            f"import: {content_root} is a deck folder (it holds deck.yaml); give --content "
            "the folder that holds deck folders",
            EXIT_BAD_INPUT,
        )
    if target.exists():
        raise UserError(f"import: {target} already exists; choose another --deck name or "
                        "remove that folder first")
    if content_root.is_dir():
        from studyapp.content import validate_content

        library, _ = validate_content(content_root, evaluate=False)
        if any(deck.id == name for deck in library.decks):
            raise UserError(f"import: a deck with id {name!r} already exists in "
                            f"{content_root}; choose another --deck name")


def _remove_if_created(folder: Path, created: bool) -> None:
    """Remove the content folder this import created, once it is empty again."""
    if created:
        with contextlib.suppress(OSError):
            folder.rmdir()


def _reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else type(exc).__name__
