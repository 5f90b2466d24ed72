"""The command line: ``studyapp [--content DIR] [--data-dir DIR] [COMMAND ...]``.

Every flag is defined here, so ``--help`` is complete and parsing is fast; each command's
work lives in ``studyapp/commands/<name>.py`` and is imported only when that command runs.
Errors a user can cause end in one line on stderr and a non-zero exit, never a traceback.

Importing this module imports nothing but ``sys`` (``argparse`` and the rest come when
``main`` runs): ``studyapp check`` starts its sandboxed child before anything else, so
the child's numpy start overlaps this process's own.
"""

from __future__ import annotations

import sys

from studyapp import __version__

TYPE_CHECKING = False  # (typing.TYPE_CHECKING without importing typing)
if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence
    from typing import IO

    from studyapp.commands._output import StdoutError

PROG = "studyapp"
_PARSER_CLASS: type[argparse.ArgumentParser] | None = None


def _parser_class() -> type[argparse.ArgumentParser]:
    """``_Parser``: an ``ArgumentParser`` whose errors are one line (made on first use)."""
    global _PARSER_CLASS
    if _PARSER_CLASS is not None:
        return _PARSER_CLASS
    import argparse

    from studyapp.commands._output import write_stdout

    class _Parser(argparse.ArgumentParser):
        """An ``ArgumentParser`` whose errors are one line: ``studyapp: error: ...``."""

        def error(self, message: str) -> None:  # type: ignore[override]
            self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")

        def _print_message(self, message: str, file: IO[str] | None = None) -> None:
            # --help and --version go through the one stdout writer: argparse's own print
            # drops a failed write without a word and leaves the rest to fail at exit
            if message and (file is None or file is sys.stdout):
                write_stdout(message)
            else:
                super()._print_message(message, file)

    _PARSER_CLASS = _Parser
    return _Parser


def _positive_int(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of at least 1, got {value}")
    return value


def _seed(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole-number seed, got {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"expected a seed from 0 to {2**32 - 1}, got {value}")
    return value


def _port(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    import argparse

    _Parser = _parser_class()  # a class
    common = _Parser(add_help=False)
    common.add_argument(
        "--content", metavar="DIR", default=argparse.SUPPRESS,
        help="folder of decks (default: the bundled decks)",
    )
    common.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS,
        help="folder of progress.sqlite3 (default: $STUDYAPP_DATA_DIR or the user data dir)",
    )

    parser = _Parser(
        prog=PROG,
        description="E資格 study tool — flashcards, quizzes and generated practice problems "
        "(run with no command to open the app)",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = sub.add_parser(
        "validate", parents=[common], help="check the decks; exit 2 and list problems if any"
    )
    validate.add_argument(
        "--strict", action="store_true",
        help="also refuse a deck (above 30%%) or keyword (above half) whose keyed options are "
        "strictly the longest, and cloze gaps over 20 characters",
    )

    gen = sub.add_parser(
        "generate", parents=[common], help="print generated practice problems"
    )
    gen.add_argument("kind", nargs="?", metavar="KIND", help="problem kind (see --list)")
    gen.add_argument("--list", action="store_true", help="list the kinds, one per line")
    gen.add_argument("--count", type=_positive_int, default=1, metavar="N")
    gen.add_argument("--seed", type=_seed, default=None, metavar="S",
                     help="first seed (default: random); items get seeds S, S+1, ...")
    gen.add_argument("--format", choices=["json", "md"], default="json")
    gen.add_argument("--level", choices=["hand", "calc"], default="hand",
                     help="hand: solvable with a basic calculator (default); calc: larger data")

    stats = sub.add_parser("stats", parents=[common], help="summary of progress")
    stats.add_argument("--json", action="store_true", help="print one JSON object")

    export = sub.add_parser("export", parents=[common], help="export the decks")
    export_sub = export.add_subparsers(dest="format", metavar="FORMAT", parser_class=_Parser)
    export_sub.required = True
    anki = export_sub.add_parser("anki", parents=[common], help="an Anki package (.apkg)")
    anki.add_argument("out", metavar="OUT.apkg")
    md = export_sub.add_parser("md", parents=[common], help="a Markdown study sheet")
    md.add_argument("out", metavar="OUT.md")

    imp = sub.add_parser("import", parents=[common], help="import cards into a new deck")
    imp_sub = imp.add_subparsers(dest="format", metavar="FORMAT", parser_class=_Parser)
    imp_sub.required = True
    tsv = imp_sub.add_parser("tsv", parents=[common], help="tab-separated front/back rows")
    tsv.add_argument("file", metavar="FILE")
    tsv.add_argument("--deck", required=True, metavar="NAME", help="id of the new deck")
    notes = imp_sub.add_parser("notes", parents=[common],
                               help="a study note (Markdown) as a new draft deck")
    notes.add_argument("file", metavar="FILE.md")
    notes.add_argument("--deck", required=True, metavar="NAME", help="id of the new deck")
    notes.add_argument("--update", action="store_true",
                       help="redraft a deck drafted from a note before; items whose source "
                       "did not change keep their ids and progress")

    config = sub.add_parser(
        "config", parents=[common],
        help="list, read or set a setting (settings.json in the data folder)",
        description="studyapp config: list the settings; config KEY: print one; "
        "config KEY VALUE: set it. Keys: new_per_day, new_order (deck|random), "
        "reviews_per_day, desired_retention (0.70-0.97), exam_date (YYYY-MM-DD|none), "
        "theme, leech_action (tag|suspend)",
    )
    config.add_argument("key", nargs="?", metavar="KEY")
    config.add_argument("value", nargs="?", metavar="VALUE")

    plan = sub.add_parser("plan", parents=[common], help="the study plan to the exam date")
    plan.add_argument("--json", action="store_true", help="print one JSON object")

    serve = sub.add_parser("serve", parents=[common], help="serve the app in a browser")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--max-sessions", type=_positive_int, default=8, metavar="N",
                       help="browser tabs served at once, each an app process (default: 8)")
    serve.add_argument("--allow-code", action="store_true",
                       help="let exercise checks run learner code in the sandbox when --host "
                       "is not loopback (always allowed on loopback)")

    exercise = sub.add_parser(
        "exercise", parents=[common],
        help="numpy exercises: --list, the task of ID, or its starter file (--write FILE)",
    )
    exercise.add_argument("id", nargs="?", metavar="ID", help="exercise id (see --list)")
    exercise.add_argument("--list", action="store_true", help="list the exercises")
    exercise.add_argument("--write", metavar="FILE",
                          help="write the starter file (never over an existing file)")
    exercise.add_argument("--hint", type=_positive_int, metavar="N",
                          help="print the first N hints")
    exercise.add_argument("--solution", action="store_true", help="print the model solution")

    check = sub.add_parser(
        "check", parents=[common],
        help="grade FILE against exercise ID in a sandbox (exit 0: all cases pass)",
    )
    check.add_argument("id", metavar="ID")
    check.add_argument("file", metavar="FILE")
    check.add_argument("--watch", action="store_true",
                       help="check again whenever FILE is saved (Ctrl+C stops)")
    return parser


# command name -> module under studyapp.commands with a ``run(args) -> int``
_COMMANDS = {
    None: "app",
    "validate": "validate",
    "generate": "generate",
    "stats": "stats",
    "export": "export",
    "import": "import_",
    "serve": "serve",
    "config": "config",
    "plan": "plan",
    "exercise": "exercise",
    "check": "check",
}


def _command_word(argv: Sequence[str]) -> str | None:
    """The command named in ``argv`` (the first word that is not an option or the value
    of ``--content``/``--data-dir``), before any parsing."""
    words = iter(argv)
    for word in words:
        if word in ("--content", "--data-dir"):
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    early = _command_word(argv) == "check"
    if early:  # a check costs about one numpy start: the sandbox's child starts first
        from studyapp.commands.check import start_early

        start_early()
    try:
        return _main(argv)
    finally:
        if early:
            from studyapp.commands.check import discard_early

            discard_early()


def _main(argv: Sequence[str]) -> int:
    import importlib

    from studyapp.commands._output import StdoutError, flush_stdout
    from studyapp.errors import UserError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)  # --help and --version print here
    except (StdoutError, BrokenPipeError) as exc:
        return _stdout_failed(exc)
    for name in ("content", "data_dir"):
        if not hasattr(args, name):
            setattr(args, name, None)
    module_name = _COMMANDS[args.command]
    try:
        module = importlib.import_module(f"studyapp.commands.{module_name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"studyapp.commands.{module_name}":
            raise
        print(f"{PROG}: '{args.command}' is not available in this version", file=sys.stderr)
        return 2
    try:
        code = int(module.run(args) or 0)
        # what print() left buffered fails here, inside the try, not at the interpreter's
        # exit (where it would be "Exception ignored …" and exit 120)
        flush_stdout()
        return code
    except (StdoutError, BrokenPipeError) as exc:
        return _stdout_failed(exc)
    except UserError as exc:
        print(f"{PROG}: {exc.message}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130


def _stdout_failed(exc: StdoutError | BrokenPipeError) -> int:
    """The exit status (and line) of a standard output that failed.

    A reader that has gone (``| head``) has what it wanted: a quiet 0. Anything else is
    one line and exit 1. Either way stdout then points at the null device, so the
    interpreter's last flush at exit adds nothing to stderr.
    """
    from studyapp.commands._output import silence_stdout

    silence_stdout()
    if isinstance(exc, BrokenPipeError):
        return 0
    print(f"{PROG}: {exc.message}", file=sys.stderr)
    return exc.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
