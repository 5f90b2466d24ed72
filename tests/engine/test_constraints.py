"""max-norm: the projection onto the L2 ball, checked by its norm, its direction and as
the nearest point of the ball."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine.constraints
from engine import max_norm

vectors = st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=8)


def test_hand_worked() -> None:
    assert max_norm([3.0, 4.0], 2.0).tolist() == pytest.approx([1.2, 1.6])  # ·2/5
    assert max_norm([3.0, 4.0], 5.0).tolist() == [3.0, 4.0]  # on the sphere: unchanged
    assert max_norm([0.3, -0.4], 2.0).tolist() == [0.3, -0.4]
    assert max_norm(-6.0, 2.0).tolist() == -2.0
    assert max_norm([0.0, 0.0], 1.0).tolist() == [0.0, 0.0]


@settings(max_examples=200)
@given(vectors, st.floats(1e-3, 1e3))
def test_norm_is_the_smaller_of_norm_and_c_and_direction_is_kept(w, c) -> None:
    w = np.array(w)
    out = max_norm(w, c)
    n = math.hypot(*w)  # scaled: no square underflows
    assert math.hypot(*out) == pytest.approx(min(n, c), rel=1e-12)
    if n > 0:
        # same direction: a positive multiple of w (each divided by its largest entry
        # first, so subnormal entries keep their digits)
        u, o = w / np.abs(w).max(), out / np.abs(out).max()
        cos = u @ o / (math.hypot(*u) * math.hypot(*o))
        assert cos == pytest.approx(1.0, abs=1e-12)
        assert np.all(out * w >= 0)  # no sign flips (a subnormal entry may round to 0)
    else:
        assert not np.any(out)


@settings(max_examples=100)
@given(vectors, st.floats(1e-2, 1e2), st.integers(0, 2**32 - 1))
def test_it_is_the_nearest_point_of_the_ball(w, c, seed) -> None:
    # an independent check: no random point of the ball is closer to w
    w = np.array(w)
    out = max_norm(w, c)
    rng = np.random.default_rng(seed)
    pts = rng.normal(size=(200, w.size))
    pts *= (c * rng.random((200, 1)) ** (1 / w.size)) / np.linalg.norm(pts, axis=1,
                                                                        keepdims=True)
    assert np.linalg.norm(w - out) <= np.linalg.norm(w - pts, axis=1).min() * (1 + 1e-12)


def test_norm_beyond_float64_is_still_projected() -> None:
    # ‖[1e308, 1e308]‖₂ is beyond float64; the projection is not
    out = max_norm([1e308, 1e308], 1.0)
    assert out == pytest.approx([1 / math.sqrt(2)] * 2)


def test_tiny_vector_is_untouched() -> None:
    assert max_norm([1e-320, 0.0], 1.0).tolist() == [1e-320, 0.0]


def test_input_is_not_changed() -> None:
    w = np.array([3.0, 4.0])
    max_norm(w, 1.0)
    assert w.tolist() == [3.0, 4.0]


@pytest.mark.parametrize(
    ("w", "c", "name", "fragment"),
    [
        ([1.0], 0.0, "c", "> 0"),
        ([1.0], -1.0, "c", "> 0"),
        ([1.0], math.inf, "c", "finite"),
        ([1.0], True, "c", "number"),
        ([], 1.0, "w", "at least one"),
        ([1.0, math.nan], 1.0, "w", "finite"),
        ([[1.0, 2.0], [3.0, 4.0]], 1.0, "w", "one weight vector"),
    ],
)
def test_refusals_name_the_argument(w, c, name: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        max_norm(w, c)
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)


def test_docstring_examples() -> None:
    result = doctest.testmod(engine.constraints)
    assert result.attempted > 0
    assert result.failed == 0
