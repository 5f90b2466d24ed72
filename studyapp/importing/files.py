"""How both importers (``import tsv``, ``import notes``) read their source file and write
the deck's YAML files.

* :func:`read_bounded` reads a file as UTF-8 text no further than a byte limit (so even
  ``/dev/zero`` ends), refusing a FIFO (opening one waits for a writer for ever), a folder,
  an unreadable or too large file and one that is not UTF-8, each with one line that says
  what the learner can do instead.
* :func:`dump_yaml` writes with the safe dumper (libyaml's emitter where present, five
  times faster), multi-line text as ``|`` blocks.

No Textual import here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from studyapp.content.models import display_path
from studyapp.errors import UserError, os_reason
from studyapp.files import NotRegularFile, TooLarge, read_limited

#: The exit code of a file the import refuses for what it holds.
EXIT_BAD_INPUT = 2


def read_bounded(path: Path, max_bytes: int, *, give: str, save: str, smaller: str,
                 encode: str) -> str:
    """``path`` as text (a UTF-8 byte-order mark dropped), read no further than
    ``max_bytes`` bytes.

    Parameters
    ----------
    path : Path
    max_bytes : int
    give : str
        What to give instead of a folder (``the note's .md file``).
    save : str
        What to save to a file instead of a FIFO (``the note``).
    smaller : str
        How to make a file over the limit smaller (``split the note by syllabus section``).
    encode : str
        How to save a file that is not UTF-8 (``save the note as UTF-8``).

    Raises
    ------
    UserError
        A missing file, a folder, a FIFO, an unreadable file, a file over the limit, or
        one that is not UTF-8 text.
    """
    try:
        data = read_limited(path, max_bytes, devices=True)
    except FileNotFoundError:
        raise UserError(f"import: file not found: {path}") from None
    except IsADirectoryError:
        raise UserError(f"import: {path} is a folder; give {give}") from None
    except NotRegularFile:  # a FIFO: reading it would wait for a writer, for ever
        raise UserError(f"import: {path} is a FIFO or a pipe; save {save} to a file "
                        "and import that", EXIT_BAD_INPUT) from None
    except TooLarge:
        raise UserError(f"import: {path} is larger than {max_bytes // 2**20} MiB; {smaller}",
                        EXIT_BAD_INPUT) from None
    except OSError as exc:
        raise UserError(f"import: cannot read {path}: {os_reason(exc)}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UserError(f"import: {display_path(path)}:{line}: not UTF-8 text; {encode}",
                        EXIT_BAD_INPUT) from None


_BaseDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """The safe dumper, writing multi-line text as ``|`` blocks."""


def _represent_str(dumper: Any, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """``data`` as block YAML, keys in their order, Unicode as it is, lines up to 100."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)
