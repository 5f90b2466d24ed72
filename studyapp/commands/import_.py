"""``studyapp import tsv FILE --deck NAME --content DIR``: a text export → a new deck folder.

``--content DIR`` is required here: it names the folder of decks the new deck folder
``DIR/NAME`` is added to (created if missing). The bundled decks are never written to:
in an installed copy they live inside the package (read-only or replaced on upgrade).
Study the result with ``studyapp --content DIR``; see ``docs/ecosystem.md``.

Bad rows are printed on stderr, one per line as ``FILE:LINE: message``, followed by the
``studyapp:`` summary line; nothing is written then (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from studyapp.errors import UserError

EXIT_USAGE = 2


def run(args: argparse.Namespace) -> int:
    """Import the file ``args`` name.

    Parameters
    ----------
    args : argparse.Namespace
        ``format`` ("tsv"), ``file`` (path), ``deck`` (the new deck's id), ``content``
        (the folder of decks; required).

    Returns
    -------
    int
        0.

    Raises
    ------
    UserError
        No ``--content`` (exit 2), bad rows or a bad name (exit 2), a missing file, an
        existing deck folder or an unwritable folder (exit 1).
    """
    from studyapp.importing.tsv import TsvError, import_tsv

    if not args.content:
        raise UserError(
            "import: give the folder of decks to add the new deck to with --content DIR "
            "(the bundled decks are never changed); then study it with "
            "'studyapp --content DIR'",
            EXIT_USAGE,
        )
    root = Path(args.content).expanduser()
    try:
        result = import_tsv(Path(args.file).expanduser(), root, args.deck)
    except TsvError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise
    cloze = f" ({result.cloze} cloze)" if result.cloze else ""
    print(f"imported {result.cards} cards{cloze} into {result.deck_dir}")
    print(f"study them with: studyapp --content {root}")
    return 0
