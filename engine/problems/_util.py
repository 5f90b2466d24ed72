"""Shared helpers of the problem generators: the seeded draw, clean numbers and their display.

Everything here is plain Python on small lists: a generated problem is a handful of numbers,
and numpy's per-call overhead would dominate. numpy enters only through the engine calls
that compute the answers.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np

T = TypeVar("T")

#: The minus sign used in text shown to the learner (U+2212, not the ASCII hyphen).
MINUS = "−"

#: Added to every prompt at level "calc", where an answer may not terminate.
CALC_NOTE = "小数第3位以下がある場合は、小数第3位を四捨五入して小数第2位まで答えよ。"

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class Rand:
    """Deterministic draws for one problem, built only on ``random.Random.random``.

    Python guarantees that ``random()`` yields the same stream for the same seed on every
    version, while the helpers ``randrange``, ``choice`` and ``shuffle`` carry no such
    promise; so every draw here is derived from ``random()`` alone and a problem named
    ``kind#seed`` regenerates byte for byte on any Python and any numpy.

    Parameters
    ----------
    key : str
        The stream's name, e.g. ``"lasso#42"``; strings are hashed with SHA-512 by
        ``random.Random``, independently of ``PYTHONHASHSEED``.
    """

    __slots__ = ("_random",)

    def __init__(self, key: str) -> None:
        self._random = random.Random(key).random

    def uniform(self) -> float:
        """A float in [0, 1)."""
        return self._random()

    def below(self, n: int) -> int:
        """An int in [0, n)."""
        return min(int(self._random() * n), n - 1)

    def integer(self, lo: int, hi: int) -> int:
        """An int in [lo, hi], both ends included."""
        return lo + self.below(hi - lo + 1)

    def choice(self, items: Sequence[T]) -> T:
        """One item of a non-empty sequence."""
        return items[self.below(len(items))]

    def chance(self, p: float) -> bool:
        """True with probability ``p``."""
        return self._random() < p

    def sign(self) -> int:
        """+1 or −1 with equal probability."""
        return 1 if self._random() < 0.5 else -1

    def shuffled(self, items: Iterable[T]) -> list[T]:
        """A new list with the items in a random order (Fisher–Yates)."""
        out = list(items)
        for i in range(len(out) - 1, 0, -1):
            j = self.below(i + 1)
            out[i], out[j] = out[j], out[i]
        return out

    def nonzero(self, lo: int, hi: int) -> int:
        """A non-zero int in [lo, hi] (the range must contain one)."""
        while True:
            v = self.integer(lo, hi)
            if v:
                return v


# ------------------------------------------------------------------ numbers
@lru_cache(maxsize=8192)
def clean(x: Any) -> int | float:
    """``x`` as a plain JSON number: rounding noise removed, whole numbers as ``int``.

    Rounds to 10 decimals (so 0.30000000000000004 becomes 0.3), turns −0.0 into 0 and
    integral values into ``int``. Refuses NaN and infinities.
    """
    v = float(x)
    if not math.isfinite(v):
        raise ValueError(f"expected a finite number, got {v}")
    v = round(v, 10)
    if v == 0:
        return 0
    if v.is_integer() and abs(v) < 1e15:
        return int(v)
    return v


def clean_value(value: Any) -> int | float | list[int | float]:
    """A scalar or a 1-D sequence/array, cleaned with :func:`clean`."""
    if isinstance(value, np.ndarray):
        if value.ndim == 0:
            return clean(value)
        return [clean(v) for v in value.tolist()]
    if isinstance(value, list | tuple):
        return [clean(v) for v in value]
    return clean(value)


@lru_cache(maxsize=8192)
def decimals(x: float, limit: int = 6) -> int | None:
    """The fewest decimals that write ``x`` exactly, or None if more than ``limit`` are needed.

    "Exactly" allows float noise: ``x`` within 1e-9 of a number with that many decimals.

    >>> decimals(2.0), decimals(0.25), decimals(0.1 + 0.2), decimals(1 / 3)
    (0, 2, 1, None)
    """
    scale = 10**limit
    y = float(x) * scale
    r = round(y)
    if abs(y - r) > 1e-9 * scale + 1e-12 * abs(y):
        return None
    k = limit
    while k and r % 10 == 0:
        r //= 10
        k -= 1
    return k


def is_nice(value: Any, places: int = 2) -> bool:
    """True when every number in ``value`` is written exactly with at most ``places`` decimals."""
    if isinstance(value, list | tuple):
        return all(decimals(v, places) is not None for v in value)
    return decimals(value, places) is not None


def tolerance(target: float) -> float:
    """How far a typed number may be from ``target`` and still count as ``target``.

    A target with at most two decimals must be typed exactly (up to float noise); any other
    may be typed rounded to two decimals, as the calc level's prompts ask ("小数第3位以下が
    ある場合は … 小数第2位まで") and as its 4択 options show it. (Hand-level answers never
    have more than two decimals.)
    """
    if decimals(target, 2) is not None:
        return 1e-9 * max(1.0, abs(target))
    return 0.005 + 1e-9


def matches(typed: Any, target: Any) -> bool:
    """True when ``typed`` is within :func:`tolerance` of ``target`` in every component.

    Shapes must agree: a scalar never matches a list.
    """
    if isinstance(target, list):
        if not isinstance(typed, list | tuple) or len(typed) != len(target):
            return False
        return all(
            abs(float(a) - float(b)) <= tolerance(float(b))
            for a, b in zip(typed, target, strict=True)
        )
    if isinstance(typed, list | tuple):
        return False
    return abs(float(typed) - float(target)) <= tolerance(float(target))


def distinguishable(u: Any, v: Any) -> bool:
    """True when no typed answer can match both ``u`` and ``v`` (same shape assumed)."""
    if isinstance(u, list):
        return any(
            abs(float(a) - float(b)) > tolerance(float(a)) + tolerance(float(b))
            for a, b in zip(u, v, strict=True)
        )
    return abs(float(u) - float(v)) > tolerance(float(u)) + tolerance(float(v))


# ------------------------------------------------------------------ display
@lru_cache(maxsize=8192)
def num(x: float, approx_digits: int = 3) -> str:
    """A number as the learner reads it: exact when six decimals suffice, else rounded.

    Negative numbers use the Unicode minus sign.

    >>> num(2), num(-0.5), num(1 / 3)
    ('2', '−0.5', '0.333')
    """
    x = float(x)
    k = decimals(x, 6)
    text = f"{x:.{k}f}" if k is not None else f"{x:.{approx_digits}f}"
    if text.startswith("-"):
        if float(text) == 0:
            return "0" if k is not None else text[1:]
        return MINUS + text[1:]
    return text


def is_exact(x: float) -> bool:
    """True when :func:`num` shows ``x`` exactly (no rounding)."""
    return decimals(x, 6) is not None


def eq(x: float) -> str:
    """``"= 5"`` or, where :func:`num` rounds, ``"≈ 5.385"``."""
    return ("= " if is_exact(x) else "≈ ") + num(x)


def eq_vec(xs: Sequence[float]) -> str:
    """``"= (1, 2)"`` or ``"≈ (…)"`` when any component is rounded."""
    return ("= " if all(is_exact(v) for v in xs) else "≈ ") + vec(xs)


def par(x: float) -> str:
    """A number for use inside a formula: negatives in parentheses, ``(−3)``."""
    text = num(x)
    return f"({text})" if text.startswith(MINUS) else text


def vec(xs: Iterable[float]) -> str:
    """A vector as ``(1, −2, 0.5)``."""
    return "(" + ", ".join(num(v) for v in xs) + ")"


def mat(rows: Iterable[Iterable[float]]) -> str:
    """A matrix row by row as ``[[1, 1], [1, −1]]``."""
    return "[" + ", ".join("[" + ", ".join(num(v) for v in row) + "]" for row in rows) + "]"


def choice_text(value: Any, fixed: bool = False) -> str:
    """A 4択 option: numbers as in :func:`num`, or all rounded to two decimals if ``fixed``."""

    def one(v: float) -> str:
        return num(round(float(v), 2) + 0.0) if fixed else num(v, 2)

    if isinstance(value, list):
        return "(" + ", ".join(one(v) for v in value) + ")"
    return one(value)


def all_exact(value: Any) -> bool:
    """True when every number in ``value`` terminates within six decimals."""
    if isinstance(value, list | tuple):
        return all(is_exact(v) for v in value)
    return is_exact(value)


def sub(i: int) -> str:
    """Subscript digits: ``sub(12) == "₁₂"``."""
    return str(i).translate(_SUBSCRIPTS)


def dot_terms(a: Sequence[float], b: Sequence[float]) -> str:
    """``"1×3 + (−1)×2"`` — a dot product written out term by term."""
    return " + ".join(f"{par(x)}×{par(y)}" for x, y in zip(a, b, strict=True))


def sign(x: float) -> int:
    """−1, 0 or +1."""
    return (x > 0) - (x < 0)
