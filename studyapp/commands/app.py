"""``studyapp`` with no command: the Textual app on the chosen decks and data folder."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from studyapp.app import create_app

    app = create_app(args.content, args.data_dir)
    app.run()
    return 0 if app.return_code in (None, 0) else int(app.return_code)
