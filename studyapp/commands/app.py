"""``studyapp`` with no command: the Textual app (until it lands, the help text)."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from studyapp.cli import build_parser

    build_parser().print_help()
    return 0
