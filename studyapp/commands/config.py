"""``studyapp config [KEY [VALUE]]``: list, read or set a setting (``settings.json`` in the
data folder, :mod:`studyapp.settings`).

``config`` prints ``key = value`` lines, ``config KEY`` the bare value, ``config KEY
VALUE`` sets it and prints nothing. An unknown key (with a did-you-mean) or a refused
value is one line and exit 2; a damaged settings file one line naming it, exit 1, and the
file is left as it is.
"""

from __future__ import annotations

import argparse

from studyapp.commands._output import write_stdout


def run(args: argparse.Namespace) -> int:
    """List, read or set a setting."""
    from studyapp.settings import load_settings, parse_value, save_setting, setting

    if args.key is None:
        write_stdout("".join(f"{line}\n" for line in load_settings(args.data_dir).lines()))
        return 0
    setting(args.key)  # an unknown key is refused before the file is read
    if args.value is None:
        write_stdout(load_settings(args.data_dir).text(args.key) + "\n")
        return 0
    save_setting(args.data_dir, args.key, parse_value(args.key, args.value))
    return 0
