"""``studyapp validate [--content DIR] [--strict]``: check the decks.

Exit 0 with a summary on stdout when they are clean; exit 2 with every problem on stdout,
one per line as ``FILE:LINE: message``, and a count on stderr otherwise. A line after the
summary (on stderr before the count, when there are problems) gives the share of
four-option questions whose keyed option is strictly the longest. ``--strict`` also
refuses a deck or keyword where that share is too high, and a cloze gap too long to
recall (:mod:`studyapp.content.validation.strict`).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from studyapp.commands._output import write_stdout
from studyapp.errors import UserError

EXIT_PROBLEMS = 2


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def run(args: argparse.Namespace) -> int:
    """Validate the content folder named by ``args.content`` (default: the bundled decks
    and the learner's imported decks, as the app loads them).

    Parameters
    ----------
    args : argparse.Namespace
        ``content`` is a folder path or None; ``strict`` adds the strict checks.

    Returns
    -------
    int
        0 when clean, 2 when there are problems.

    Raises
    ------
    UserError
        When ``--content`` names no folder (exit 2).
    """
    from studyapp.content import validate_roots
    from studyapp.content.validation.strict import longest_share
    from studyapp.paths import content_roots

    root = Path(args.content).expanduser() if args.content else None
    if root is not None and not root.is_dir():
        what = "is not a folder" if root.exists() else "not found"
        raise UserError(f"content folder {what}: {args.content}", EXIT_PROBLEMS)
    library, problems = validate_roots(content_roots(args.content, args.data_dir),
                                       strict=getattr(args, "strict", False))
    share = longest_share(q for deck in library.decks for q in deck.questions).summary()
    if problems:
        # stdout holds the problems only, one FILE:LINE line each
        write_stdout("".join(f"{problem}\n" for problem in problems))
        files = len({p.file for p in problems})
        print(share, file=sys.stderr)
        print(f"{_plural(len(problems), 'problem')} in {_plural(files, 'file')}",
              file=sys.stderr)
        return EXIT_PROBLEMS
    types = Counter(q.type for deck in library.decks for q in deck.questions)
    by_type = ", ".join(f"{n} {t}" for t, n in sorted(types.items()))
    write_stdout(
        f"OK: {_plural(len(library.decks), 'deck')}, {_plural(library.card_count, 'card')}, "
        f"{_plural(library.question_count, 'question')}"
        + (f" ({by_type})" if by_type else "")
        + f", {_plural(library.keyword_count, 'keyword')}\n{share}\n"
    )
    return 0
