"""Anki's "Notes in Plain Text" export → a new deck folder.

:mod:`studyapp.importing.anki_text` splits the file into notes (headers, quoting,
padding, size limits) and :mod:`studyapp.importing.anki_notes` turns each note into a card or
a question by its note type. Here the items are written as a deck:

* ``deck.yaml`` (id and title ``NAME``, one keyword ``imported``), ``cards.yaml`` and,
  when there are questions, ``questions.yaml``; ids ``NAME-0001`` … in row order.
* Every bad row is reported as ``FILE:LINE: message`` and nothing is written unless no
  row is bad; skipped rows are returned for the caller to list.
* The deck is written to a hidden folder beside the new one, checked with the deck
  validator, and renamed into place only then. The folder and files get the modes the
  learner's umask gives, like any file they make.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp.content.models import display_path
from studyapp.errors import UserError, os_reason
from studyapp.importing.anki_notes import TsvRow, note_item
from studyapp.importing.anki_text import (
    EXIT_BAD_INPUT,
    RowProblem,
    TsvError,
    read_anki_text,
)
from studyapp.importing.files import dump_yaml
from studyapp.importing.staging import ITEM_PREFIX, staged_deck

#: A deck id, like every id of the schema.
DECK_NAME = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
#: The longest deck name: the folder's name, with room for the hidden temporary one.
MAX_DECK_NAME = 64
#: How the validator names an item at the start of its messages (``card 'x-0001': ``).
#: The one keyword of an imported deck.
KEYWORD = {"id": "imported", "name": "インポートしたカード", "en": "imported cards"}

__all__ = ["ImportResult", "RowProblem", "TsvError", "TsvFile", "TsvRow", "card_ids",
           "import_tsv", "read_tsv"]


@dataclass(frozen=True, slots=True)
class TsvFile:
    """The rows of a file that become items, and the rows skipped (each a ``RowProblem``
    whose message starts with ``skipped:``)."""

    rows: list[TsvRow]
    skipped: list[RowProblem] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What :func:`import_tsv` wrote: the new deck folder, its numbers of cards (cloze
    included) and questions, and the rows it skipped."""

    deck_dir: Path
    cards: int
    cloze: int
    questions: int = 0
    skipped: list[RowProblem] = field(default_factory=list)


def read_tsv(path: Path) -> TsvFile:
    """Read and check every row of an exported text file.

    Parameters
    ----------
    path : Path

    Returns
    -------
    TsvFile
        At least one row to import.

    Raises
    ------
    TsvError
        When any row is bad (each problem is in ``.problems``), or when every row is
        skipped (then ``.problems`` lists the skipped rows).
    UserError
        When the file cannot be read, is not UTF-8 text, or is over the size limits.
    """
    text = read_anki_text(path)
    problems = list(text.problems)
    skipped: list[RowProblem] = []
    rows: list[TsvRow] = []
    for note in text.notes:
        row = note_item(path, note, text.format, problems, skipped)
        if row is not None:
            rows.append(row)
    problems.sort(key=lambda p: p.line)
    if problems:
        raise TsvError(path, problems)
    if not rows and skipped:
        raise TsvError(path, skipped, f"no row of {display_path(path)} can be imported "
                                      f"({len(skipped)} skipped); nothing was written")
    if not rows:
        raise TsvError(path, [RowProblem(path, max(1, text.lines),
                                         "no rows: expected lines of front<TAB>back")])
    return TsvFile(rows, skipped)


def import_tsv(path: Path, content_root: Path, name: str) -> ImportResult:
    """Turn an exported text file into the new deck folder ``content_root/name``.

    Parameters
    ----------
    path : Path
        The exported text file.
    content_root : Path
        The folder of deck folders the deck is added to (created if missing).
    name : str
        The new deck's id, title and folder name: ``[a-z0-9][a-z0-9-]*``, at most
        :data:`MAX_DECK_NAME` characters.

    Returns
    -------
    ImportResult

    Raises
    ------
    TsvError
        Bad rows, or no row to import (nothing written).
    UserError
        A bad name, a deck folder or deck id that already exists, a content folder that
        is a deck folder itself, or a file that cannot be read or written.
    """
    check_name(name)
    read = read_tsv(path)
    rows = read.rows
    target = content_root / name
    try:
        _check_target(content_root, target, name)
    except OSError as exc:
        raise UserError(f"import: cannot use {content_root}: {os_reason(exc)}") from None
    with staged_deck(content_root, name, target) as temp:
        lines = _write_deck(temp, name, path, rows)
        _validate(temp, path, rows, lines)
        temp.rename(target)
    questions = sum(row.question is not None for row in rows)
    cloze = sum(row.is_cloze for row in rows)
    return ImportResult(target, len(rows) - questions, cloze, questions, read.skipped)


def check_name(name: str) -> None:
    """Refuse a deck name that is not an id, or too long for a folder name.

    Raises
    ------
    UserError
        Exit code 2.
    """
    if len(name) > MAX_DECK_NAME:
        raise UserError(f"import: deck name {name[:20] + '…'!r} is {len(name)} characters "
                        f"long; use at most {MAX_DECK_NAME}", EXIT_BAD_INPUT)
    if not DECK_NAME.match(name):
        raise UserError(
            f"import: deck name {name!r} is not a valid id: use lowercase letters, digits "
            "and hyphens, starting with a letter or digit (e.g. 'anki-regularization')",
            EXIT_BAD_INPUT,
        )


def card_ids(name: str, count: int) -> list[str]:
    """The ids of the imported items: ``NAME-0001``, ``NAME-0002`` … in row order."""
    width = max(4, len(str(count)))
    return [f"{name}-{n:0{width}d}" for n in range(1, count + 1)]


# --------------------------------------------------------------------------- writing



def _card(row: TsvRow) -> dict[str, Any]:
    card: dict[str, Any] = {}
    if row.is_cloze:
        card["cloze"] = row.front
        if row.back:
            card["back"] = row.back
    else:
        card["front"] = row.front
        card["back"] = row.back
    return card


def _question(row: TsvRow) -> dict[str, Any]:
    question = row.question
    assert question is not None
    item: dict[str, Any] = {"type": question.type, "prompt": row.front}
    if question.choices:
        item["choices"] = [c.text if c.why is None else {"text": c.text, "why": c.why}
                           for c in question.choices]
    answer = question.answer
    item["answer"] = list(answer) if isinstance(answer, tuple) else answer
    item["explanation"] = question.explanation
    return item


def _write_deck(folder: Path, name: str, source: Path, rows: list[TsvRow]
                ) -> dict[str, list[tuple[int, int]]]:
    """Write deck.yaml, cards.yaml and questions.yaml (when there are questions).

    Returns
    -------
    dict
        For each item file, ``(line in the file, index of the row)`` of every item, in
        file order: how a validator problem finds its row.
    """
    questions = sum(row.question is not None for row in rows)
    counts = f"カード {len(rows) - questions} 枚" + (f"、問題 {questions} 問" if questions else "")
    deck = {
        "id": name,
        "title": name,
        "description": f"{source.name} から取り込んだ{counts}。",
        "keywords": [KEYWORD],
    }
    header = f"# Imported from {source.name} by 'studyapp import tsv'.\n"
    (folder / "deck.yaml").write_text(header + dump_yaml(deck), encoding="utf-8")
    items: dict[str, list[tuple[int, dict[str, Any]]]] = {"cards": [], "questions": []}
    for index, (item_id, row) in enumerate(zip(card_ids(name, len(rows)), rows, strict=True)):
        body = _card(row) if row.question is None else _question(row)
        for key in ("tex", "unicode"):
            if getattr(row, key):
                body[key] = getattr(row, key)
        if row.tags:
            body["tags"] = list(row.tags)
        kind = "cards" if row.question is None else "questions"
        head = {"id": item_id, **{k: body.pop(k) for k in ("type",) if k in body},
                "keywords": [KEYWORD["id"]]}
        items[kind].append((index, {**head, **body}))
    lines: dict[str, list[tuple[int, int]]] = {}
    for kind, entries in items.items():
        if not entries and kind == "questions":
            continue
        text = header + dump_yaml({kind: [item for _, item in entries]})
        file = f"{kind}.yaml"
        (folder / file).write_text(text, encoding="utf-8")
        starts = [n for n, line in enumerate(text.splitlines(), start=1)
                  if line.startswith("- id: ")]
        lines[file] = list(zip(starts, (index for index, _ in entries), strict=True))
    return lines


def _validate(folder: Path, source: Path, rows: list[TsvRow],
              lines: dict[str, list[tuple[int, int]]]) -> None:
    """Run the deck validator on the written folder; map its problems back to rows."""
    from studyapp.content import validate_content

    _, found = validate_content(folder)
    if not found:
        return
    problems = []
    for problem in found:
        entries = lines.get(problem.file.name, [])
        at = bisect.bisect_right([n for n, _ in entries], problem.line or 0) - 1
        item = ITEM_PREFIX.match(problem.message)
        if problem.file.parent != folder or item is None or not 0 <= at < len(entries):
            # a problem of the whole file (one of the deck files' size limits), not a row's
            raise UserError(f"import: the new deck does not validate: {problem.file.name}: "
                            f"{problem.message}", EXIT_BAD_INPUT)
        message = problem.message[item.end():]
        problems.append(RowProblem(source, rows[entries[at][1]].line, message))
    problems.sort(key=lambda p: p.line)
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

