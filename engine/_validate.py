"""Argument checks shared by the engine's functions.

Every check raises ``ValueError`` naming the argument and what was expected, so a caller
(the content validator, the generators, a learner's notebook) sees what to fix.
"""

from __future__ import annotations

import math
import numbers
from decimal import Decimal
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


def as_array(value: ArrayLike, name: str, *, ndim: int | tuple[int, ...] | None = None,
             allow_empty: bool = False, allow_bool: bool = False) -> NDArray[np.float64]:
    """``value`` as a float array, finite and of the expected dimension.

    Only real numbers are taken: not ``None``, text, complex numbers, nor booleans unless
    ``allow_bool`` (a 0/1 mask may be boolean; a weight may not). A number beyond
    float64's range (a huge Python int) is refused here rather than becoming inf.
    """
    arr = _float_array(value, name, allow_bool)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name}: expected a {want} array, got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name}: expected at least one value, got an empty array")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name}: expected finite numbers, found NaN or inf")
    return arr


def _float_array(value: Any, name: str, allow_bool: bool) -> NDArray[np.float64]:
    """``value`` converted to float64, or ``ValueError`` saying what was given."""
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):  # ragged nesting: [[1, 2], [3]]
        raise ValueError(f"{name}: expected numbers, got {_short(value)}") from None
    kind = raw.dtype.kind
    if kind in "iu" or (kind == "b" and allow_bool):
        return raw.astype(np.float64, copy=False)
    if kind == "f":
        if raw.dtype.itemsize <= 8:
            return raw.astype(np.float64, copy=False)
        # a longdouble beyond float64's range would be cast to inf
        with np.errstate(over="raise"):
            try:
                return raw.astype(np.float64)
            except FloatingPointError:
                raise ValueError(f"{name}: expected finite numbers, got a value too large "
                                 "for float64") from None
    if kind == "O":
        # Python ints, Fractions, Decimals: converted one by one, so that None or text
        # among them is named, and an int too large for float64 is not an OverflowError.
        out = np.empty(raw.shape)
        for index, item in np.ndenumerate(raw):
            out[index] = _real(item, name, value, plural=True)
        return out
    raise ValueError(f"{name}: expected numbers, got {_short(value)}")


def _real(item: Any, name: str, given: Any, *, plural: bool = False) -> float:
    """``item`` as a float, refusing bools, non-numbers and values beyond float64."""
    if isinstance(item, bool | np.bool_) or not isinstance(item, numbers.Real | Decimal):
        what = "numbers" if plural else "a number"
        raise ValueError(f"{name}: expected {what}, got {_short(given)}")
    try:
        out = float(item)
    except OverflowError:  # an int or a Fraction too large
        out = math.inf
        too_large = True
    else:
        # a Decimal or a longdouble too large becomes inf without an error
        too_large = math.isinf(out) and _finite_source(item)
    if too_large:
        what = "finite numbers" if plural else "a finite number"
        raise ValueError(f"{name}: expected {what}, got {_short(given)}, too large for float64")
    return out


def _finite_source(item: Any) -> bool:
    if isinstance(item, Decimal):
        return item.is_finite()
    if isinstance(item, np.floating):
        return bool(np.isfinite(item))
    return False


def as_flag(value: Any, name: str) -> bool:
    """``True`` or ``False`` (numpy's booleans too); ``"yes"``, 1 or None are refused."""
    if isinstance(value, bool | np.bool_):
        return bool(value)
    raise ValueError(f"{name}: expected True or False, got {_short(value)}")


def as_vector(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """A non-empty, finite 1-D float array."""
    return as_array(value, name, ndim=1)


def as_matrix(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """A non-empty, finite 2-D float array."""
    return as_array(value, name, ndim=2)


def as_scalar(value: Any, name: str) -> float:
    """A finite real number (bools are refused: ``True`` is not a learning rate)."""
    out = _real(value, name, value)
    if not math.isfinite(out):
        raise ValueError(f"{name}: expected a finite number, got {out}")
    return out


def non_negative(value: Any, name: str) -> float:
    out = as_scalar(value, name)
    if out < 0:
        raise ValueError(f"{name}: expected a value >= 0, got {out:g}")
    return out


def positive(value: Any, name: str) -> float:
    out = as_scalar(value, name)
    if out <= 0:
        raise ValueError(f"{name}: expected a value > 0, got {out:g}")
    return out


def unit_interval(value: Any, name: str) -> float:
    """A number in [0, 1] (a mixing weight, a smoothing amount)."""
    out = as_scalar(value, name)
    if not 0.0 <= out <= 1.0:
        raise ValueError(f"{name}: expected a value in [0, 1], got {out:g}")
    return out


def probability(value: Any, name: str = "p") -> float:
    """A drop probability in [0, 1)."""
    out = as_scalar(value, name)
    if not 0.0 <= out < 1.0:
        raise ValueError(f"{name}: expected a drop probability in [0, 1), got {out:g}")
    return out


def positive_int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name}: expected a whole number >= 1, got {_short(value)}")
    if value < 1:
        raise ValueError(f"{name}: expected a whole number >= 1, got {value}")
    return int(value)


def same_shape(a: NDArray[Any], b: NDArray[Any], name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_b}: expected the shape of {name_a} {a.shape}, got {b.shape}"
        )


def rng_from(rng: np.random.Generator | int | None, name: str = "rng") -> np.random.Generator:
    """A ``numpy.random.Generator`` from a Generator or an int seed."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        if rng < 0:
            raise ValueError(f"{name}: expected a seed >= 0, got {rng}")
        return np.random.default_rng(int(rng))
    raise ValueError(f"{name}: expected a numpy.random.Generator or an int seed, got {_short(rng)}")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
