"""``studyapp export anki OUT.apkg`` and ``studyapp export md OUT.md``.

Both load the decks (``--content``, default the bundled ones), refuse broken decks with
one line (``studyapp validate`` lists every problem), and write their file through a
temporary file in the same folder, so a failure never leaves half a file behind. A symlink
as ``OUT`` stays a link (its target is replaced); a folder, FIFO, device or socket is
refused; the file gets the mode ``>`` would give it (:func:`studyapp.export.common.write_atomic`).
``export md -`` prints the sheet on stdout. The formats are in ``docs/ecosystem.md``.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.commands._output import write_stdout
from studyapp.errors import UserError

if TYPE_CHECKING:
    from studyapp.content import Library

EXIT_USAGE = 2


def run(args: argparse.Namespace) -> int:
    """Write the export ``args`` ask for.

    Parameters
    ----------
    args : argparse.Namespace
        ``format`` ("anki" or "md"), ``out`` (a path; ``-`` for stdout with md),
        ``content`` (a folder or None).

    Returns
    -------
    int
        0.

    Raises
    ------
    UserError
        Broken or missing decks (exit 2), an ``OUT`` for anki that does not end in
        ``.apkg`` (exit 2), an ``OUT`` that cannot be written (exit 1).
    """
    what = f"export {args.format}"
    to_stdout = args.format == "md" and args.out == "-"
    out = Path(args.out).expanduser()
    if args.format == "anki" and out.suffix.lower() != ".apkg":
        raise UserError(f"{what}: OUT must end in .apkg (Anki imports packages by that "
                        f"extension), got {args.out!r}", EXIT_USAGE)
    if not to_stdout:
        from studyapp.export.common import check_output_path

        check_output_path(out, what)  # before the decks are loaded: fail fast
    library = _load(args.content, args.data_dir, what)
    if args.format == "anki":
        from studyapp.export.anki import write_apkg

        summary = write_apkg(library, out)
        counts = ", ".join(f"{n} {name}" for name, n in summary.notes.items())
        write_stdout(f"wrote {out}: {summary.total} notes ({counts}) in "
                     f"{', '.join(summary.decks)}\n")
        return 0
    from studyapp.export.markdown import study_sheet

    sheet = study_sheet(library)
    if to_stdout:
        write_stdout(sheet)
        return 0
    from studyapp.export.common import write_atomic

    write_atomic(out, lambda path: path.write_text(sheet, encoding="utf-8"), what)
    cards = library.card_count
    questions = library.question_count
    write_stdout(f"wrote {out}: {len(library.decks)} deck"
                 f"{'s' if len(library.decks) != 1 else ''}, {cards} cards, "
                 f"{questions} questions\n")
    return 0


def _load(content: str | None, data_dir: str | None, what: str) -> Library:
    """The validated library (the app's decks: bundled and imported, or ``--content``);
    one clear line when the folder is missing or broken."""
    from studyapp.content import ContentError, validate_roots
    from studyapp.paths import content_roots

    root = Path(content).expanduser() if content else None
    if root is not None and not root.is_dir():
        state = "is not a folder" if root.exists() else "not found"
        raise UserError(f"{what}: content folder {state}: {content}", EXIT_USAGE)
    library, problems = validate_roots(content_roots(content, data_dir))
    if problems:
        exc = ContentError(problems)
        raise UserError(f"{what}: the decks have problems: {exc.message}", exc.exit_code)
    if not library.decks:
        raise UserError(f"{what}: no decks in {library.root}", EXIT_USAGE)
    return library

