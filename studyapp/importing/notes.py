"""A learner's study note (Markdown) → a new draft deck folder: ``studyapp import notes``.

:mod:`studyapp.importing.notes_parse` splits the note, :mod:`studyapp.importing.notes_deck`
drafts the keywords and items; here the deck is written and checked, as
:mod:`studyapp.importing.tsv` writes an imported Anki deck:

* ``deck.yaml`` (id ``NAME``, the note's title, its keywords), ``cards.yaml`` and, when
  there are questions, ``questions.yaml``, written with the safe dumper;
* into a hidden folder beside the deck, checked with the deck validator, and renamed into
  place only then; an item the validator refuses is left out and reported at its line of
  the note, like every other part left out;
* ``--update`` redrafts a deck this command drafted before: the three files are replaced,
  any other file of the folder is kept (and must still validate), and items whose source
  did not change keep their ids, so their progress is kept.

No Textual import here.
"""

from __future__ import annotations

import bisect
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp.content.models import display_path
from studyapp.errors import UserError, os_reason
from studyapp.importing.anki_text import RowProblem, TsvError
from studyapp.importing.files import dump_yaml
from studyapp.importing.notes_deck import Draft, DraftError, Item, draft
from studyapp.importing.notes_parse import EXIT_BAD_INPUT, parse_note, read_note
from studyapp.importing.staging import ITEM_PREFIX, make_temp, staged_deck
from studyapp.importing.tsv import check_name

#: The first line of a drafted deck.yaml: how ``--update`` knows the deck is a draft.
MARK = "by 'studyapp import notes'"
#: The files this command writes (``--update`` replaces these, keeps the others).
FILES = ("deck.yaml", "cards.yaml", "questions.yaml")
#: How much of the old deck.yaml ``--update`` reads to find :data:`MARK` on its first line
HEAD_BYTES = 4096
_ID_LINE = re.compile(r"- id: ([a-z0-9][a-z0-9-]*)\s*$", re.MULTILINE)


@dataclass(slots=True)
class KeywordCount:
    """The summary line of one keyword."""

    id: str
    name: str
    cards: int
    questions: int
    reason: str | None = None  # why it has no item


@dataclass(slots=True)
class NotesResult:
    """What :func:`import_notes` wrote."""

    deck_dir: Path
    title: str
    cards: int
    cloze: int
    questions: int
    keywords: list[KeywordCount]
    skipped: list[RowProblem] = field(default_factory=list)
    updated: bool = False
    kept: int = 0  # with --update: ids the deck already had
    added: int = 0
    removed: int = 0


def import_notes(path: Path, content_root: Path, name: str, *, update: bool = False
                 ) -> NotesResult:
    """Draft the deck ``content_root/name`` from the note at ``path``.

    Parameters
    ----------
    path : Path
        The note (Markdown).
    content_root : Path
        The folder of deck folders (created if missing).
    name : str
        The deck's id and folder name (``[a-z0-9][a-z0-9-]*``).
    update : bool
        Replace the deck this command drafted before under that name.

    Returns
    -------
    NotesResult

    Raises
    ------
    UserError
        A note that gives no deck (exit 2), a bad name, an existing deck without
        ``update`` (or one this command did not draft), a file that cannot be read or
        written.
    """
    check_name(name)
    text = read_note(path)
    try:
        result = draft(parse_note(text))
    except DraftError as exc:
        raise UserError(f"import: {display_path(path)}: {exc}; nothing was written",
                        EXIT_BAD_INPUT) from None
    skipped = [RowProblem(path, line, message) for line, message in result.skipped]
    if not result.items:
        raise TsvError(path, skipped, f"no card or question can be drafted from "
                                      f"{display_path(path)}; nothing was written")
    target = content_root / name
    try:
        old_ids = _check_target(content_root, target, name, update)
    except OSError as exc:
        raise UserError(f"import: cannot use {content_root}: {os_reason(exc)}") from None
    with staged_deck(content_root, name, target) as temp:
        if old_ids is not None:
            _copy_others(target, temp)
        _write_checked(temp, path, name, result, skipped)
        _put_in_place(temp, target, old_ids is not None)
    skipped.sort(key=lambda p: p.line)
    return _result(target, name, result, skipped, old_ids)


# --------------------------------------------------------------------------- target


def _check_target(content_root: Path, target: Path, name: str, update: bool
                  ) -> set[str] | None:
    """Refuse what the import must not write to; the ids of the deck being updated (None
    for a new deck)."""
    if content_root.exists() and not content_root.is_dir():
        raise UserError(f"import: {content_root} is not a folder")
    if (content_root / "deck.yaml").is_file():
        raise UserError(f"import: {content_root} is a deck folder (it holds deck.yaml); give "
                        "--content the folder that holds deck folders", EXIT_BAD_INPUT)
    if target.exists() or target.is_symlink():
        if not update:
            raise UserError(f"import: {target} already exists; add --update to redraft it "
                            "from the note, or choose another --deck name")
        deck_file = target / "deck.yaml"
        if target.is_symlink() or not target.is_dir() or not deck_file.is_file():
            raise UserError(f"import: {target} is not a deck folder drafted by 'studyapp "
                            "import notes'; --update replaces only such a deck")
        first = _read_deck_file(deck_file, head=True).partition("\n")[0]
        if MARK not in first:
            raise UserError(f"import: {target} was not drafted by 'studyapp import notes'; "
                            "--update replaces only such a deck (choose another --deck name)")
        ids: set[str] = set()
        for file in FILES[1:]:
            if (target / file).is_file():
                ids.update(_ID_LINE.findall(_read_deck_file(target / file)))
        return ids
    if content_root.is_dir():
        from studyapp.content import validate_content

        library, _ = validate_content(content_root, evaluate=False)
        if any(deck.id == name for deck in library.decks):
            raise UserError(f"import: a deck with id {name!r} already exists in "
                            f"{content_root}; choose another --deck name")
    return None


def _copy_others(target: Path, temp: Path) -> None:
    """The files of the old deck folder this command does not write (the learner's own)."""
    for entry in target.iterdir():
        if entry.name in FILES:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, temp / entry.name, symlinks=True)
        else:
            shutil.copy2(entry, temp / entry.name, follow_symlinks=False)


def _put_in_place(temp: Path, target: Path, replacing: bool) -> None:
    if not replacing:
        temp.rename(target)
        return
    old = make_temp(target.parent, target.name)
    old.rmdir()
    target.rename(old)
    try:
        temp.rename(target)
    except OSError:
        old.rename(target)
        raise
    shutil.rmtree(old, ignore_errors=True)


# --------------------------------------------------------------------------- writing


def _write_checked(folder: Path, source: Path, name: str, result: Draft,
                   skipped: list[RowProblem]) -> None:
    """Write the deck and validate it; an item the validator refuses is left out (and
    reported), and the deck written again without it."""
    from studyapp.content import validate_content

    for _ in range(3):
        lines = _write(folder, source, name, result)
        _, found = validate_content(folder)
        if not found:
            return
        refused: dict[str, str] = {}
        for problem in found:
            entries = lines.get(problem.file.name, [])
            at = bisect.bisect_right([n for n, _ in entries], problem.line or 0) - 1
            item = ITEM_PREFIX.match(problem.message)
            if problem.file.parent != folder or item is None or not 0 <= at < len(entries) \
                    or problem.file.name not in FILES:
                raise UserError(f"import: the new deck does not validate: "
                                f"{display_path(problem.file)}:{problem.line}: "
                                f"{problem.message}", EXIT_BAD_INPUT)
            refused.setdefault(entries[at][1].id, problem.message[item.end():])
        kept = []
        for entry in result.items:
            if entry.id in refused:
                skipped.append(RowProblem(source, entry.line,
                                          f"skipped: {refused[entry.id]}"))
            else:
                kept.append(entry)
        result.items = kept
        if not kept:
            raise UserError(f"import: no card or question drafted from "
                            f"{display_path(source)} validates; nothing was written",
                            EXIT_BAD_INPUT)
    raise UserError("import: the new deck does not validate; nothing was written",
                    EXIT_BAD_INPUT)


def _write(folder: Path, source: Path, name: str, result: Draft
           ) -> dict[str, list[tuple[int, Item]]]:
    """Write the three files; for each item file, the line of each item's ``- id:``."""
    header = (f"# Drafted from {source.name} {MARK}. Redraft with --update: this file is "
              "replaced.\n")
    cards = [i for i in result.items if i.kind == "cards"]
    questions = [i for i in result.items if i.kind == "questions"]
    deck: dict[str, Any] = {
        "id": name,
        "title": result.title or name,
        "description": f"{source.name} から下書きしたデッキ（キーワード {len(result.keywords)} 個、"
                       f"カード {len(cards)} 枚、問題 {len(questions)} 問）。",
        "keywords": [{"id": k.id, "name": k.name, "en": k.en} for k in result.keywords],
    }
    (folder / "deck.yaml").write_text(header + dump_yaml(deck), encoding="utf-8")
    lines: dict[str, list[tuple[int, Item]]] = {}
    for file, kind, items in (("cards.yaml", "cards", cards),
                              ("questions.yaml", "questions", questions)):
        path = folder / file
        if not items:
            path.unlink(missing_ok=True)
            continue
        text = header + dump_yaml({kind: [{"id": i.id, **_ordered(i.body)} for i in items]})
        path.write_text(text, encoding="utf-8")
        starts = [n for n, line in enumerate(text.splitlines(), start=1)
                  if line.startswith("- id: ")]
        lines[file] = list(zip(starts, items, strict=True))
    return lines


def _ordered(body: dict[str, Any]) -> dict[str, Any]:
    """``type`` first, then ``keywords``, then the rest as drafted."""
    head = {k: body[k] for k in ("type", "keywords") if k in body}
    return {**head, **{k: v for k, v in body.items() if k not in head}}


def _result(target: Path, name: str, result: Draft, skipped: list[RowProblem],
            old_ids: set[str] | None) -> NotesResult:
    reasons = result.without()
    counts = []
    for keyword in result.keywords:
        mine = [i for i in result.items if i.keyword == keyword.id]
        counts.append(KeywordCount(keyword.id, keyword.name,
                                   sum(i.kind == "cards" for i in mine),
                                   sum(i.kind == "questions" for i in mine),
                                   reasons.get(keyword.id)))
    cards = [i for i in result.items if i.kind == "cards"]
    new_ids = {i.id for i in result.items}
    done = NotesResult(target, result.title or name, len(cards),
                       sum("cloze" in i.body for i in cards),
                       len(result.items) - len(cards), counts, skipped)
    if old_ids is not None:
        done.updated = True
        done.kept = len(new_ids & old_ids)
        done.added = len(new_ids - old_ids)
        done.removed = len(old_ids - new_ids)
    return done


def _read_deck_file(path: Path, *, head: bool = False) -> str:
    """A file of the deck ``--update`` replaces, as text: its first :data:`HEAD_BYTES`
    bytes with ``head``, else the whole file up to the deck loader's limit (never waiting
    on a FIFO nor reading a device)."""
    from studyapp.content.yamlnodes import MAX_FILE_BYTES
    from studyapp.files import NotRegularFile, TooLarge, read_limited

    try:
        data = read_limited(path, HEAD_BYTES if head else MAX_FILE_BYTES, head=head)
    except (IsADirectoryError, NotRegularFile):
        raise UserError(f"import: {path} is not a file; --update replaces only a deck "
                        "drafted by 'studyapp import notes'", EXIT_BAD_INPUT) from None
    except TooLarge:
        raise UserError(f"import: {path} is larger than {MAX_FILE_BYTES // 2**20} MiB, more "
                        "than a deck file may hold; --update replaces only a deck drafted "
                        "by 'studyapp import notes'", EXIT_BAD_INPUT) from None
    except OSError as exc:
        raise UserError(f"import: cannot read {path}: {os_reason(exc)}") from None
    return data.decode("utf-8", errors="replace")
