"""Label smoothing, noise injection, FGSM and mixup against closed forms and independent
methods (Monte Carlo with a fixed seed, Gauss–Hermite quadrature, hand counts)."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine.robustness
from engine import fgsm, label_smoothing, mixup, noise_injection_loss


# ---------------------------------------------------------------- label smoothing
def test_label_smoothing_hand_worked() -> None:
    # K = 4, ε = 0.1: the true class 1 − 0.1 + 0.1/4, the others 0.1/4
    assert label_smoothing([0, 1, 0, 0], 0.1) == pytest.approx([0.025, 0.925, 0.025, 0.025])
    assert label_smoothing([1, 0], 0.2) == pytest.approx([0.9, 0.1])


@settings(max_examples=200)
@given(st.integers(2, 50), st.data(), st.floats(0, 1))
def test_label_smoothing_sums_to_one_and_has_two_values(k, data, eps) -> None:
    true = data.draw(st.integers(0, k - 1))
    y = np.zeros(k)
    y[true] = 1
    out = label_smoothing(y, eps)
    assert out.sum() == pytest.approx(1.0, abs=1e-12)
    assert out[true] == pytest.approx(1 - eps + eps / k)
    others = np.delete(out, true)
    assert others == pytest.approx(np.full(k - 1, eps / k))
    assert out[true] >= others.max() - 1e-15  # the true class stays the most likely


def test_label_smoothing_ends() -> None:
    y = [0.0, 0.0, 1.0]
    assert label_smoothing(y, 0.0).tolist() == y
    assert label_smoothing(y, 1.0) == pytest.approx([1 / 3] * 3)


def test_label_smoothing_of_a_probability_vector_is_a_mixture() -> None:
    y = np.array([0.5, 0.3, 0.2])
    uniform = np.full(3, 1 / 3)
    assert label_smoothing(y, 0.3) == pytest.approx(0.7 * y + 0.3 * uniform)


@pytest.mark.parametrize(
    ("y", "eps", "name", "fragment"),
    [
        ([0, 1], 1.5, "eps", "[0, 1]"),
        ([0, 1], -0.1, "eps", "[0, 1]"),
        ([0, 1], math.nan, "eps", "finite"),
        ([1], 0.1, "y", "at least 2 classes"),
        ([0, 2, -1], 0.1, "y", "[0, 1]"),
        ([0.5, 0.4], 0.1, "y", "summing to 1"),
        ([[0, 1], [1, 0]], 0.1, "y", "1-D"),
        ([], 0.1, "y", "at least one"),
    ],
)
def test_label_smoothing_refusals(y, eps, name: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        label_smoothing(y, eps)
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)


# ---------------------------------------------------------------- noise injection
def test_noise_injection_hand_worked() -> None:
    # wᵀx = 0.5 − 2 = −1.5, (1 − (−1.5))² = 6.25, σ²‖w‖² = 0.25·1.25
    assert noise_injection_loss([1.0, 2.0], [0.5, -1.0], 1.0, 0.5) == 6.5625
    assert noise_injection_loss(2.0, 3.0, 1.0, 0.0) == 25.0  # no noise: the clean loss


@pytest.mark.parametrize("seed", range(4))
def test_noise_injection_is_the_monte_carlo_mean(seed: int) -> None:
    rng = np.random.default_rng(seed)
    d = 3
    x, w = rng.normal(size=d), rng.normal(size=d)
    y, sigma = float(rng.normal()), 0.7
    eps = rng.normal(scale=sigma, size=(400_000, d))
    losses = (y - (x + eps) @ w) ** 2
    mean, se = losses.mean(), losses.std() / math.sqrt(losses.size)
    assert noise_injection_loss(x, w, y, sigma) == pytest.approx(mean, abs=5 * se)


@settings(max_examples=100)
@given(st.lists(st.floats(-10, 10), min_size=1, max_size=5), st.floats(-10, 10),
       st.floats(0, 5), st.integers(0, 2**32 - 1))
def test_noise_injection_is_the_exact_expectation(xs, y, sigma, seed) -> None:
    # wᵀε ~ N(0, σ²‖w‖²): E[(r − s·Z)²] by Gauss–Hermite quadrature, exact for a quadratic
    x = np.array(xs)
    w = np.random.default_rng(seed).normal(size=x.size)
    r, s = y - w @ x, sigma * np.linalg.norm(w)
    nodes, weights = np.polynomial.hermite_e.hermegauss(5)
    expected = (weights * (r - s * nodes) ** 2).sum() / math.sqrt(2 * math.pi)
    assert noise_injection_loss(x, w, y, sigma) == pytest.approx(expected, rel=1e-10, abs=1e-10)


def test_noise_injection_is_l2_regularization_with_lambda_sigma_squared() -> None:
    x, w, y, sigma = [1.0, -2.0, 0.5], [0.3, 0.1, -0.7], 0.4, 0.3
    clean = (y - np.dot(w, x)) ** 2
    assert noise_injection_loss(x, w, y, sigma) == pytest.approx(
        engine.regularized_loss(clean, w, sigma**2, "l2"))


def test_noise_injection_far_from_float64_limits_on_the_way() -> None:
    # the products wⱼxⱼ overflow alone, the residual does not
    assert noise_injection_loss([1e200, 1e200], [1e150, -1e150], 3.0, 0.0) == 9.0
    # σ² underflows alone, σ²·‖w‖² does not
    assert noise_injection_loss([0.0], [1e200], 0.0, 1e-200) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("args", "name", "fragment"),
    [
        (([1.0, 2.0], [1.0], 0.0, 0.1), "w", "2 values"),
        (([1.0], [1.0], 0.0, -0.1), "sigma", ">= 0"),
        (([1.0], [1.0], [1.0, 2.0], 0.1), "y", "number"),
        (([1.0], [math.inf], 0.0, 0.1), "w", "finite"),
        (([[1.0]], [1.0], 0.0, 0.1), "x", "1-D"),
        (([1e200], [1e200], 0.0, 0.0), "x", "overflows"),
    ],
)
def test_noise_injection_refusals(args, name: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        noise_injection_loss(*args)
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)


# ---------------------------------------------------------------- FGSM
def test_fgsm_hand_worked() -> None:
    assert fgsm([1.0, 2.0, 3.0], [0.3, -2.0, 0.0], 0.1) == pytest.approx([1.1, 1.9, 3.0])
    assert fgsm(0.5, -4.0, 0.25) == 0.25


@settings(max_examples=200)
@given(st.lists(st.tuples(st.integers(-800, 800), st.floats(-1e3, 1e3)), min_size=1,
                max_size=8), st.integers(0, 160))
def test_fgsm_moves_each_entry_by_exactly_eps(pairs, eps16) -> None:
    # x in eighths and eps in sixteenths: x ± eps is exact in binary, so the step is too
    x = np.array([p[0] / 8 for p in pairs])
    g = np.array([p[1] for p in pairs])
    eps = eps16 / 16
    step = fgsm(x, g, eps) - x
    assert step.tolist() == [eps * float(np.sign(gj)) for gj in g.tolist()]
    assert np.all((np.abs(step) == eps) | (g == 0))


def test_fgsm_increases_a_linear_loss_the_most_in_the_l_infinity_ball() -> None:
    # for L(x) = gᵀx every δ with max|δᵢ| <= ε gives gᵀδ <= ε·‖g‖₁, reached by FGSM
    rng = np.random.default_rng(0)
    g, x, eps = rng.normal(size=5), rng.normal(size=5), 0.3
    best = g @ (fgsm(x, g, eps) - x)
    assert best == pytest.approx(eps * np.abs(g).sum())
    deltas = rng.uniform(-eps, eps, size=(10_000, 5))
    assert (deltas @ g).max() <= best


@pytest.mark.parametrize(
    ("args", "name", "fragment"),
    [
        (([1.0, 2.0], [1.0], 0.1), "grad", "shape"),
        (([1.0], [1.0], -0.1), "eps", ">= 0"),
        (([1.0], [math.nan], 0.1), "grad", "finite"),
        (([1.7e308], [1.0], 1e308), "x", "overflows"),
    ],
)
def test_fgsm_refusals(args, name: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        fgsm(*args)
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)


# ---------------------------------------------------------------- mixup
def test_mixup_hand_worked() -> None:
    assert mixup([1.0, 0.0], [0.0, 1.0], 0.7) == pytest.approx([0.7, 0.3])
    assert mixup([2.0, 4.0], [6.0, 0.0], 0.25) == pytest.approx([5.0, 1.0])
    assert mixup([2.0, 4.0], [6.0, 0.0], 1.0).tolist() == [2.0, 4.0]
    assert mixup([2.0, 4.0], [6.0, 0.0], 0.0).tolist() == [6.0, 0.0]


@settings(max_examples=100)
@given(st.integers(2, 10), st.data(), st.floats(0, 1))
def test_mixup_of_one_hot_labels_is_a_probability_vector(k, data, lam) -> None:
    i, j = data.draw(st.integers(0, k - 1)), data.draw(st.integers(0, k - 1))
    y1, y2 = np.eye(k)[i], np.eye(k)[j]
    out = mixup(y1, y2, lam)
    assert out.sum() == pytest.approx(1.0)
    # the mixed label is the mean of the two labels drawn with probabilities lam, 1 − lam
    expected = np.zeros(k)
    expected[i] += lam
    expected[j] += 1 - lam
    assert out == pytest.approx(expected)


def test_mixup_lies_on_the_segment() -> None:
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    for lam in (0.1, 0.5, 0.9):
        out = mixup(a, b, lam)
        # distances along the segment add up: |a − out| + |out − b| = |a − b|
        assert np.linalg.norm(a - out) + np.linalg.norm(out - b) == pytest.approx(
            np.linalg.norm(a - b))
        assert np.linalg.norm(out - b) == pytest.approx(lam * np.linalg.norm(a - b))


@pytest.mark.parametrize(
    ("args", "name", "fragment"),
    [
        (([1.0, 2.0], [1.0], 0.5), "x2", "shape"),
        (([1.0], [1.0], 1.5), "lam", "[0, 1]"),
        (([1.0], [1.0], -0.5), "lam", "[0, 1]"),
        (([math.inf], [1.0], 0.5), "x1", "finite"),
    ],
)
def test_mixup_refusals(args, name: str, fragment: str) -> None:
    with pytest.raises(ValueError) as info:
        mixup(*args)
    assert str(info.value).startswith(f"{name}:")
    assert fragment in str(info.value)


def test_docstring_examples() -> None:
    result = doctest.testmod(engine.robustness)
    assert result.attempted > 0
    assert result.failed == 0
