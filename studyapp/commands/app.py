"""``studyapp`` with no command: the Textual app on the chosen decks and data folder."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from studyapp.app import create_app
    from studyapp.errors import UserError

    if args.content is not None and not Path(args.content).is_dir():
        raise UserError(f"content folder not found: {args.content}", 2)
    app = create_app(args.content, args.data_dir)
    app.run()
    return 0 if app.return_code in (None, 0) else int(app.return_code)
