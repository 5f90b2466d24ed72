"""Argument checks shared by the engine's functions.

Every check raises ``ValueError`` naming the argument and what was expected, so a caller
(the content validator, the generators, a learner's notebook) sees what to fix.
"""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


def as_array(value: ArrayLike, name: str, *, ndim: int | tuple[int, ...] | None = None,
             allow_empty: bool = False) -> NDArray[np.float64]:
    """``value`` as a float array, finite and of the expected dimension."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name}: expected numbers, got {_short(value)}") from None
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


def as_vector(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """A non-empty, finite 1-D float array."""
    return as_array(value, name, ndim=1)


def as_matrix(value: ArrayLike, name: str) -> NDArray[np.float64]:
    """A non-empty, finite 2-D float array."""
    return as_array(value, name, ndim=2)


def as_scalar(value: Any, name: str) -> float:
    """A finite real number (bools are refused: ``True`` is not a learning rate)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real | np.floating | np.integer):
        raise ValueError(f"{name}: expected a number, got {_short(value)}")
    out = float(value)
    if not np.isfinite(out):
        raise ValueError(f"{name}: expected a finite number, got {out}")
    return out


def non_negative(value: Any, name: str) -> float:
    out = as_scalar(value, name)
    if out < 0:
        raise ValueError(f"{name}: expected a value >= 0, got {out:g}")
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
