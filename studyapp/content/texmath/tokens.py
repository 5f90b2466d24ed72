"""The tokenizer of the LaTeX → Unicode converter: a formula's source → a list of tokens.

A token is ``(kind, value, start, end)``: kind ``"cmd"`` (``\\name``: value is the name),
``"sym"`` (a backslash and one character), ``"run"`` (ordinary characters) or ``"char"``
(one special character); ``start`` and ``end`` are offsets in the source. Whitespace makes
no token: math mode ignores it, and text mode (``\\text{…}``) recovers it from the gaps
between offsets.
"""

from __future__ import annotations

import re

Token = tuple[str, str, int, int]
#: Positions in a :data:`Token` (plain tuples: the parser reads them in its inner loop).
KIND, VALUE, START, END = 0, 1, 2, 3

_TOKEN = re.compile(
    r"""\\(?P<cmd>[A-Za-z]+)      # \command
      | \\(?P<sym>.)              # \| \{ \, \\ …
      | (?P<space>\s+)
      | (?P<run>[^\\{}^_&$'\s+\-*=<>:,;()\[\]~|]+)   # letters, digits …: ordinary atoms
      | (?P<char>.)""",
    re.VERBOSE | re.DOTALL,
)


def tokenize(source: str) -> list[Token]:
    """The tokens of ``source``, whitespace left out (see the module docstring)."""
    return [
        (kind, m.group(kind), m.start(), m.end())
        for m in _TOKEN.finditer(source)
        if (kind := m.lastgroup) != "space"  # type: ignore[assignment]
    ]
