"""``studyapp import tsv FILE --deck NAME [--content DIR]``: a text export → a new deck.

The new deck folder ``NAME`` goes into the learner's own decks, ``decks/`` in the data
folder, which the app loads beside the bundled decks (``d`` on home switches decks); or,
with ``--content DIR``, into ``DIR`` (study it with ``studyapp --content DIR``). The
bundled decks are never written to: in an installed copy they live inside the package
(read-only or replaced on upgrade). See ``docs/ecosystem.md``.

Bad rows are printed on stderr, one per line as ``FILE:LINE: message``, followed by the
``studyapp:`` summary line; nothing is written then (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studyapp.commands._output import write_stdout
from studyapp.errors import UserError

EXIT_USAGE = 2


def _user_decks(data_dir: str | None, name: str) -> Path:
    """The learner's own decks folder in the data folder (created on first import).

    The bundled decks are never written to; a deck imported here is loaded beside them, so
    its id must not be a bundled deck's.
    """
    from studyapp.content import validate_content
    from studyapp.paths import bundled_content_dir, user_decks_dir
    from studyapp.paths import data_dir as resolve_data_dir

    folder = resolve_data_dir(data_dir)
    if data_dir is not None and not folder.is_dir():
        raise UserError(f"import: data folder not found: {folder}")
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
        ``format`` ("tsv"), ``file`` (path), ``deck`` (the new deck's id), ``content``
        (the folder of decks; default: ``decks/`` in the data folder).

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
    from studyapp.importing.tsv import TsvError, import_tsv

    if args.content:
        root = Path(args.content).expanduser()
        study = f"studyapp --content {root}"
    else:
        root = _user_decks(args.data_dir, args.deck)
        study = "studyapp（ホームで d を押すとデッキを切り替えられます）"
    try:
        result = import_tsv(Path(args.file).expanduser(), root, args.deck)
    except TsvError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise
    cloze = f" ({result.cloze} cloze)" if result.cloze else ""
    write_stdout(f"imported {result.cards} cards{cloze} into {result.deck_dir}\n"
                 f"study them with: {study}\n")
    return 0
