"""``studyapp import tsv FILE --deck NAME [--content DIR]``: a text export → a new deck;
``studyapp import notes FILE.md --deck NAME [--content DIR] [--update]``: a study note →
a new draft deck (or, with ``--update``, the deck drafted from it before, redrafted).

The new deck folder ``NAME`` goes into the learner's own decks, ``decks/`` in the data
folder, which the app loads beside the bundled decks (``d`` on home switches decks); or,
with ``--content DIR``, into ``DIR`` (study it with ``studyapp --content DIR``). The
bundled decks are never written to: in an installed copy they live inside the package
(read-only or replaced on upgrade). See ``docs/ecosystem.md``.

Bad rows are printed on stderr, one per line as ``FILE:LINE: message``, followed by the
``studyapp:`` summary line; nothing is written then (exit 2). Skipped rows (a note type
with no counterpart in a deck, …) are printed the same way, ``FILE:LINE: skipped: …``,
and the rest is imported (exit 0).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from studyapp.commands._output import write_stdout
from studyapp.errors import UserError

if TYPE_CHECKING:
    from studyapp.importing.notes import NotesResult
    from studyapp.importing.tsv import ImportResult

EXIT_USAGE = 2


def _user_decks(data_dir: str | None, name: str) -> Path:
    """The learner's own decks folder in the data folder (created on first import).

    The bundled decks are never written to; a deck imported here is loaded beside them, so
    its id must not be a bundled deck's. A data folder the learner named (``--data-dir``
    or ``$STUDYAPP_DATA_DIR``) must exist: the import does not create it.
    """
    from studyapp.content import validate_content
    from studyapp.paths import bundled_content_dir, data_dir_is_named, user_decks_dir
    from studyapp.paths import data_dir as resolve_data_dir

    folder = resolve_data_dir(data_dir)
    if data_dir_is_named(data_dir):
        if not folder.exists():
            raise UserError(f"import: data folder not found: {folder}; create it first, or "
                            "correct --data-dir / STUDYAPP_DATA_DIR")
        if not folder.is_dir():
            raise UserError(f"import: data folder {folder} is not a folder; correct "
                            "--data-dir / STUDYAPP_DATA_DIR")
    bundled, _ = validate_content(bundled_content_dir(), evaluate=False)
    if any(deck.id == name for deck in bundled.decks):
        raise UserError(f"import: {name!r} is the id of a bundled deck; choose another --deck "
                        "name", EXIT_USAGE)
    return user_decks_dir(data_dir)


def run(args: argparse.Namespace) -> int:
    """Import the file ``args`` name.

    Parameters
    ----------
    args : argparse.Namespace
        ``format`` ("tsv" or "notes"), ``file`` (path), ``deck`` (the new deck's id),
        ``content`` (the folder of decks; default: ``decks/`` in the data folder),
        ``update`` (notes only).

    Returns
    -------
    int
        0.

    Raises
    ------
    UserError
        Bad rows, a bad name or a bundled deck's id (exit 2), a missing file or data
        folder, an existing deck folder or an unwritable folder (exit 1).
    """
    from studyapp.importing.tsv import import_tsv

    if args.content:
        root = Path(args.content).expanduser()
        study = f"studyapp --content {root}"
    else:
        root = _user_decks(args.data_dir, args.deck)
        study = "studyapp（ホームで d を押すとデッキを切り替えられます）"
    if args.format == "notes":
        return _run_notes(args, root, study)
    result = _listing_rows(lambda: import_tsv(Path(args.file).expanduser(), root, args.deck))
    write_stdout(_summary(result, study))
    return 0


_Result = TypeVar("_Result", "ImportResult", "NotesResult")


def _listing_rows(run: Callable[[], _Result]) -> _Result:
    """Run an import, printing on stderr the rows that stopped it (then re-raising) or the
    rows it skipped, one ``FILE:LINE: …`` line each."""
    from studyapp.importing.tsv import TsvError

    try:
        result = run()
    except TsvError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise
    for problem in result.skipped:
        print(problem, file=sys.stderr)
    return result


def _summary(result: ImportResult, study: str) -> str:
    """``imported 4 cards (1 cloze) and 2 questions into …``, how to study them, and how
    many rows were skipped (they are listed on stderr)."""
    what = _count(result.cards, "card")
    if result.cloze:
        what += f" ({result.cloze} cloze)"
    if result.questions:
        what += f" and {_count(result.questions, 'question')}"
    text = f"imported {what} into {result.deck_dir}\nstudy them with: {study}\n"
    if result.skipped:
        text += f"skipped {_count(len(result.skipped), 'row')} (listed on stderr)\n"
    return text


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _run_notes(args: argparse.Namespace, root: Path, study: str) -> int:
    """``import notes``: the parts left out on stderr (``NOTE:LINE: …``), the summary on
    stdout."""
    from studyapp.importing.notes import import_notes

    result = _listing_rows(lambda: import_notes(Path(args.file).expanduser(), root,
                                                args.deck, update=args.update))
    write_stdout(_notes_summary(result, study))
    return 0


def _notes_summary(result: NotesResult, study: str) -> str:
    """``drafted 40 cards (12 cloze) and 14 questions for 9 keywords into …``, one line
    per keyword, what ``--update`` kept, how to study, and the parts left out."""
    what = _count(result.cards, "card")
    if result.cloze:
        what += f" ({result.cloze} cloze)"
    what += f" and {_count(result.questions, 'question')}"
    verb = "redrafted" if result.updated else "drafted"
    lines = [f"{verb} {what} for {_count(len(result.keywords), 'keyword')} "
             f"「{result.title}」 into {result.deck_dir}"]
    for keyword in result.keywords:
        if keyword.reason:
            lines.append(f"  {keyword.name} ({keyword.id}): none: {keyword.reason}")
        else:
            lines.append(f"  {keyword.name} ({keyword.id}): "
                         f"{_count(keyword.cards, 'card')}, "
                         f"{_count(keyword.questions, 'question')}")
    if result.updated:
        lines.append(f"kept the ids (and progress) of {_count(result.kept, 'item')}; "
                     f"{result.added} new, {result.removed} removed")
    lines.append(f"study them with: {study}")
    if result.skipped:
        lines.append(f"left out {_count(len(result.skipped), 'part')} of the note "
                     "(listed on stderr)")
    return "\n".join(lines) + "\n"
