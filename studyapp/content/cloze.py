"""Cloze gaps: ``{{c1::答え}}`` or ``{{c1::答え::ヒント}}`` inside a card's text.

All gaps of a card are hidden together and shown together (one card per cloze text)::

    >>> text = "L1正則化は重みの{{c1::絶対値の和}}に罰則を課し、解を{{c2::スパース::疎?}}にする。"
    >>> mask(text)
    'L1正則化は重みの［…］に罰則を課し、解を［疎?］にする。'
    >>> reveal(text)
    'L1正則化は重みの絶対値の和に罰則を課し、解をスパースにする。'
    >>> [gap.answer for gap in parse(text)]
    ['絶対値の和', 'スパース']
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["BLANK", "ClozeError", "Gap", "mask", "parse", "problems", "reveal"]

#: What a hidden gap without a hint shows.
BLANK = "［…］"

_GAP = re.compile(r"\{\{c(?P<number>\d+)::(?P<answer>.*?)(?:::(?P<hint>.*?))?\}\}", re.DOTALL)


def _gaps(text: str) -> list[re.Match[str]]:
    """The gaps of ``text``. A gap ends at a ``}}``, so none starts after the last one:
    the search stops there. Without that stop, every ``{{c1::`` with no ``}}`` after it
    would try every ``::`` with every end, time cubic in the text (seconds for 4 KB)."""
    return list(_GAP.finditer(text, 0, text.rfind("}}") + 2))


def _sub(text: str, replace: Callable[[re.Match[str]], str]) -> str:
    """``text`` with each gap of :func:`_gaps` replaced."""
    parts = []
    position = 0
    for match in _gaps(text):
        parts += [text[position: match.start()], replace(match)]
        position = match.end()
    return "".join(parts) + text[position:]


class ClozeError(ValueError):
    """A cloze text whose gaps are malformed; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class Gap:
    """One gap of a cloze text.

    Attributes
    ----------
    number : int
        The ``N`` of ``cN`` (1 or more).
    answer : str
        The hidden text.
    hint : str or None
        Shown in place of the gap while it is hidden.
    start, end : int
        The gap's span ``{{…}}`` in the text.
    """

    number: int
    answer: str
    hint: str | None
    start: int
    end: int


def problems(text: str) -> list[str]:
    """What is wrong with the gaps of ``text`` (an empty list when nothing is).

    Parameters
    ----------
    text : str
        A cloze text.

    Returns
    -------
    list of str
        One message per problem: no gap at all, an empty answer, ``c0``, a stray ``{{``
        or ``}}``.
    """
    found: list[str] = []
    gaps = _gaps(text)
    if not gaps and "{{" not in text:
        found.append("no cloze gap: write gaps as {{c1::answer}} or {{c1::answer::hint}}")
    for match in gaps:
        if int(match["number"]) < 1:
            found.append(f"gap {match[0]!r}: numbers start at c1")
        if not match["answer"].strip():
            found.append(f"gap {match[0]!r}: empty answer")
        if "{{" in match["answer"]:
            found.append(f"gap {match[0]!r}: a gap inside a gap")
    rest = _sub(text, lambda _: "")
    if "{{" in rest or "}}" in rest:
        found.append("unbalanced '{{' or '}}' outside a complete {{cN::…}} gap")
    return found


def parse(text: str) -> list[Gap]:
    """The gaps of ``text``, in order.

    Parameters
    ----------
    text : str
        A cloze text.

    Returns
    -------
    list of Gap

    Raises
    ------
    ClozeError
        If :func:`problems` finds anything wrong.
    """
    found = problems(text)
    if found:
        raise ClozeError("; ".join(found))
    return [_gap(m) for m in _gaps(text)]


def mask(text: str, *, blank: Callable[[Gap], str] | None = None) -> str:
    """``text`` with every gap hidden.

    Parameters
    ----------
    text : str
        A cloze text.
    blank : callable, optional
        Gives the replacement of a gap (for markup in the app). By default ``［hint］``
        when the gap has a hint, else :data:`BLANK`.

    Returns
    -------
    str
    """
    def replace(match: re.Match[str]) -> str:
        gap = _gap(match)
        if blank is not None:
            return blank(gap)
        return f"［{gap.hint}］" if gap.hint else BLANK

    return _sub(text, replace)


def reveal(text: str, *, shown: Callable[[Gap], str] | None = None) -> str:
    """``text`` with every gap replaced by its answer.

    Parameters
    ----------
    text : str
        A cloze text.
    shown : callable, optional
        Gives the replacement of a gap (for highlighting the answer in the app). By
        default the answer itself.

    Returns
    -------
    str
    """
    def replace(match: re.Match[str]) -> str:
        gap = _gap(match)
        return shown(gap) if shown is not None else gap.answer

    return _sub(text, replace)


def _gap(match: re.Match[str]) -> Gap:
    return Gap(int(match["number"]), match["answer"], match["hint"], match.start(), match.end())
