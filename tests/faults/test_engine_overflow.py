"""Engine faults an adversarial test found: overflow in norms, penalties, weight decay,
dropout and the fits, and loose input checks.

The answers are checked against independent methods: exact ``fractions.Fraction``
arithmetic (rounded once at the end), ``math.hypot`` for the L2 norm and ``decimal`` for
the general Lp norm. Where the true value is beyond float64, the engine must raise a
``ValueError`` naming the argument. Every numpy warning is an error in this module: none
may reach a learner.
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from decimal import Decimal, localcontext
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import engine

pytestmark = pytest.mark.filterwarnings("error")

ROOT = Path(__file__).resolve().parents[2]
# The smallest magnitude that rounds to inf: float max plus half an ulp.
LIMIT = Fraction(2**1024 - 2**970)
MAX = sys.float_info.max

# Every finite float, subnormals and the extremes included, and a bias to both ends.
any_float = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.floats(min_value=1e150, max_value=MAX).flatmap(lambda v: st.sampled_from([v, -v])),
    st.floats(min_value=-1e-150, max_value=1e-150),
)
vectors = st.lists(any_float, min_size=1, max_size=8)
scalars = st.one_of(
    st.floats(min_value=0.0, max_value=MAX),
    st.floats(min_value=0.0, max_value=1e-150),
    st.sampled_from([0.0, 0.5, 1.0, 2.0, 1e-300, 1e300]),
)


def near_limit(value: Fraction) -> bool:
    """Within 1e-11 of the overflow threshold, where rounding may go either way."""
    return abs(abs(value) - LIMIT) <= LIMIT / 10**11


def close(actual: float, exact: Fraction, scale: Fraction | None = None) -> bool:
    """``actual`` equals ``exact`` to 1e-12 of ``scale`` (default |exact|), or within two
    subnormal steps where the value itself is subnormal."""
    size = abs(exact) if scale is None else scale
    return abs(Fraction(actual) - exact) <= size / 10**12 + Fraction(1e-323)


def expect(call, exact: Fraction, names: str, scale: Fraction | None = None) -> None:
    """``call()`` is ``exact`` rounded, or a ValueError naming one of ``names`` when the
    exact value is beyond float64."""
    assume(not near_limit(exact))
    if abs(exact) >= LIMIT:
        with pytest.raises(ValueError, match=rf"^({names}):") as info:
            call()
        assert "overflow" in str(info.value)
    else:
        value = call()
        assert math.isfinite(value)
        assert close(value, exact, scale), (value, float(exact))


def expect_each(call, exact: list[Fraction], names: str,
                scales: list[Fraction] | None = None) -> None:
    """As :func:`expect`, entry by entry of an array result."""
    for value in exact:
        assume(not near_limit(value))
    if any(abs(value) >= LIMIT for value in exact):
        with pytest.raises(ValueError, match=rf"^({names}):") as info:
            call()
        assert "overflow" in str(info.value)
        return
    out = np.asarray(call()).ravel().tolist()
    assert len(out) == len(exact)
    for k, (got, want) in enumerate(zip(out, exact, strict=True)):
        assert math.isfinite(got)
        assert close(got, want, None if scales is None else scales[k]), (k, got, float(want))


def squares(x: list[float]) -> Fraction:
    return sum((Fraction(v) ** 2 for v in x), Fraction(0))


def absolutes(x: list[float]) -> Fraction:
    return sum((abs(Fraction(v)) for v in x), Fraction(0))


# ------------------------------------------------------------------ the examples
def test_l2_norm_of_1e200_is_exact() -> None:
    assert engine.l2_norm([1e200, 1e200]) == pytest.approx(math.hypot(1e200, 1e200), rel=1e-12)
    assert engine.norm([1e200, 1e200], 2) == pytest.approx(1.4142135623730951e200, rel=1e-12)
    assert engine.norm([1e200, 1e200], 2.0) == engine.l2_norm([1e200, 1e200])


def test_tiny_entries_do_not_vanish() -> None:
    """Squares of 1e-200 underflow to zero; the norm of them must not."""
    assert engine.l2_norm([1e-200, 1e-200]) == pytest.approx(math.hypot(1e-200, 1e-200),
                                                             rel=1e-12)
    assert engine.l2_norm([5e-324]) == 5e-324
    assert engine.squared_l2_norm([1e-160, 1e-160]) == pytest.approx(2e-320, rel=1e-3)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: engine.squared_l2_norm([1e200, 1e200]), "x"),
    (lambda: engine.l1_norm([1.7e308, 1.7e308]), "x"),
    (lambda: engine.norm([1.7e308, 1.7e308], 1), "x"),
    (lambda: engine.norm([1.7e308, 1.7e308], 2), "x"),
    (lambda: engine.norm([1.7e308, 1.7e308], 3), "x"),
    (lambda: engine.l2_norm([MAX, MAX]), "x"),
    (lambda: engine.l1_penalty([1.7e308, 1.7e308], 1.0), "w"),
    (lambda: engine.l1_penalty([1e300], 1e10), "w"),
    (lambda: engine.l2_penalty([1e200], 1.0), "w"),
    (lambda: engine.penalty([1e200], 1.0, "l2"), "w"),
    (lambda: engine.l2_gradient([1e308], 1.0), "w"),
    (lambda: engine.weight_decay_step([1e308], [-1e308], 2.0, 0.0), "w"),
    (lambda: engine.regularized_loss(1.7e308, [1e153], 10.0, "l2"), "data_loss"),
    (lambda: engine.apply_dropout_mask([1e308], [1], 0.9), "x"),
    (lambda: engine.dropout([1e308, 1e308], 0.5, rng=1), "x"),
    (lambda: engine.apply_dropconnect_mask([1e308, 1e308], [[1e10, 1e10]], [[1, 1]], 0.5),
     "W"),
    (lambda: engine.dropconnect([1e308], [[1e10]], 0.0, rng=0), "W"),
])
def test_overflow_is_a_value_error_naming_the_argument(call, name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: .*overflows float64"):
        call()


def test_representable_results_survive_overflowing_intermediates() -> None:
    """The true value fits in float64 though a naive formula overflows on the way."""
    assert engine.l2_penalty([1e200], 1e-300) == pytest.approx(1e100, rel=1e-12)
    assert engine.l1_penalty([1.7e308, 1.7e308], 0.25) == pytest.approx(8.5e307, rel=1e-12)
    # decay·w overflows, lr·decay·w does not
    assert engine.weight_decay_step([1e300], [0.0], 1e-10, 1e10)[0] == pytest.approx(
        1e300 - 1e300, abs=1e288)
    step = engine.weight_decay_step([1e300, 1.0], [0.0, 1.0], 1e-20, 1e10)
    assert step.tolist() == pytest.approx([1e300 * (1 - 1e-10), 1 - 1e-20 * (1 + 1e10)],
                                          rel=1e-12)
    # lr·grad overflows, w minus it does not
    assert engine.weight_decay_step([1.7e308], [1e308], 2.0, 0.0)[0] == pytest.approx(
        -3e307, rel=1e-12)
    # grad + decay·w overflows, lr times it does not
    assert engine.weight_decay_step([1e308], [1e308], 0.5, 1.0)[0] == 0.0
    assert engine.apply_dropconnect_mask([10.0, 10.0], [[1e308, -1e308]], [[1, 1]], 0.5,
                                         scale=False).tolist() == [0.0]


# ------------------------------------------------------------------ against exact values
@settings(max_examples=300)
@given(vectors)
def test_l2_norm_matches_hypot(x: list[float]) -> None:
    exact_square = squares(x)
    assume(abs(exact_square - LIMIT**2) > LIMIT**2 / 10**11)
    if exact_square >= LIMIT**2:
        for call in (lambda: engine.l2_norm(x), lambda: engine.norm(x, 2)):
            with pytest.raises(ValueError, match=r"^x: .*overflows"):
                call()
        return
    hypot = math.hypot(*x)
    for value in (engine.l2_norm(x), engine.norm(x, 2)):
        assert abs(value - hypot) <= 1e-12 * hypot + 1e-323, (value, hypot)


@settings(max_examples=300)
@given(vectors)
def test_squared_l2_norm_is_the_exact_sum_of_squares(x: list[float]) -> None:
    expect(lambda: engine.squared_l2_norm(x), squares(x), "x")


@settings(max_examples=300)
@given(vectors)
def test_l1_norm_is_the_exact_sum(x: list[float]) -> None:
    expect(lambda: engine.l1_norm(x), absolutes(x), "x")
    expect(lambda: engine.norm(x, 1), absolutes(x), "x")


@settings(max_examples=200)
@given(vectors, st.sampled_from([1.5, 2.5, 3, 4, 7.25]))
def test_lp_norm_matches_decimal(x: list[float], p: float) -> None:
    with localcontext() as ctx:
        ctx.prec = 40
        total = sum((abs(Decimal(v)) ** Decimal(p) for v in x), Decimal(0))
        exact = Fraction(total ** (Decimal(1) / Decimal(p))) if total else Fraction(0)
    expect(lambda: engine.norm(x, p), exact, "x")


@given(vectors)
def test_inf_norm_is_the_largest_magnitude(x: list[float]) -> None:
    assert engine.norm(x, math.inf) == max(abs(v) for v in x)


@settings(max_examples=300)
@given(vectors, scalars)
def test_penalties_are_exact(w: list[float], lam: float) -> None:
    expect(lambda: engine.l1_penalty(w, lam), Fraction(lam) * absolutes(w), "w")
    expect(lambda: engine.l2_penalty(w, lam), Fraction(lam) * squares(w), "w")


@settings(max_examples=200)
@given(any_float, vectors, scalars, st.sampled_from(["l1", "l2"]))
def test_regularized_loss_is_exact(data_loss: float, w: list[float], lam: float,
                                   kind: str) -> None:
    pen = Fraction(lam) * (absolutes(w) if kind == "l1" else squares(w))
    assume(not near_limit(pen))
    exact = Fraction(data_loss) + pen
    expect(lambda: engine.regularized_loss(data_loss, w, lam, kind), exact, "w|data_loss",
           scale=abs(Fraction(data_loss)) + pen)


@pytest.mark.parametrize(("data_loss", "w", "lam"), [
    (1e10, [1e-150], 1.0), (1e300, [1e-160], 1e-100), (-1.0, [1e-300], 1e-300),
    (-3.5953963976679766e297, [8.988465674401464e307], 2.0), (0.0, [0.0], 0.0),
])
def test_regularized_loss_far_apart_terms(data_loss: float, w: list[float], lam: float) -> None:
    """A tiny penalty beside a large data loss (and the reverse) is still their sum."""
    for kind, reg in (("l1", absolutes(w)), ("l2", squares(w))):
        exact = Fraction(data_loss) + Fraction(lam) * reg
        if abs(exact) >= LIMIT:
            with pytest.raises(ValueError, match=r"^(w|data_loss): .*overflows"):
                engine.regularized_loss(data_loss, w, lam, kind)
        else:
            assert close(engine.regularized_loss(data_loss, w, lam, kind), exact)


@settings(max_examples=300)
@given(vectors, scalars)
def test_l2_gradient_is_exact(w: list[float], lam: float) -> None:
    expect_each(lambda: engine.l2_gradient(w, lam), [2 * Fraction(lam) * Fraction(v) for v in w],
                "w")


@settings(max_examples=400)
@given(st.data(), scalars, scalars)
def test_weight_decay_step_is_exact(data, lr: float, decay: float) -> None:
    w = data.draw(vectors)
    grad = data.draw(st.lists(any_float, min_size=len(w), max_size=len(w)))
    lr_f, decay_f = Fraction(lr), Fraction(decay)
    exact, scales = [], []
    for wi, gi in zip(w, grad, strict=True):
        fw, fg = Fraction(wi), Fraction(gi)
        exact.append(fw - lr_f * (fg + decay_f * fw))
        # the sizes of the three terms: cancellation between them is not the engine's error
        scales.append(abs(fw) + lr_f * abs(fg) + lr_f * decay_f * abs(fw))
    expect_each(lambda: engine.weight_decay_step(w, grad, lr, decay), exact, "w", scales)


@settings(max_examples=200)
@given(st.data(), st.floats(min_value=0.0, max_value=0.999999))
def test_dropout_with_a_mask_is_exact(data, p: float) -> None:
    x = data.draw(vectors)
    mask = data.draw(st.lists(st.sampled_from([0, 1]), min_size=len(x), max_size=len(x)))
    keep = 1 - Fraction(1.0 - p)  # the engine divides by the float 1 − p
    exact = [Fraction(v) * m / (1 - keep) for v, m in zip(x, mask, strict=True)]
    expect_each(lambda: engine.apply_dropout_mask(x, mask, p), exact, "x")


@settings(max_examples=200)
@given(vectors, st.floats(min_value=0.0, max_value=0.999), st.integers(0, 2**32))
def test_dropout_is_exact_on_the_kept_entries(x: list[float], p: float, seed: int) -> None:
    kept = np.random.default_rng(seed).random(len(x)) >= p
    exact = [Fraction(v) / Fraction(1.0 - p) if k else Fraction(0)
             for v, k in zip(x, kept.tolist(), strict=True)]
    # the engine multiplies by the float 1/(1 − p): one more rounding than the exact value
    expect_each(lambda: engine.dropout(x, p, rng=seed)[0], exact, "x")


@settings(max_examples=200)
@given(st.data(), st.floats(min_value=0.0, max_value=0.999))
def test_dropconnect_with_a_mask_is_exact(data, p: float) -> None:
    x = data.draw(st.lists(any_float, min_size=1, max_size=4))
    rows = data.draw(st.integers(1, 3))
    W = [data.draw(st.lists(any_float, min_size=len(x), max_size=len(x))) for _ in range(rows)]
    mask = [data.draw(st.lists(st.sampled_from([0, 1]), min_size=len(x), max_size=len(x)))
            for _ in range(rows)]
    div = Fraction(1.0 - p)
    exact, scales = [], []
    for Wr, mr in zip(W, mask, strict=True):
        terms = [Fraction(a) * m * Fraction(b) for a, m, b in zip(Wr, mr, x, strict=True)]
        exact.append(sum(terms, Fraction(0)) / div)
        scales.append(sum((abs(t) for t in terms), Fraction(0)) / div)
    expect_each(lambda: engine.apply_dropconnect_mask(x, W, mask, p), exact, "W|x", scales)


# ------------------------------------------------------------------ the fits
def small_problem(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(6, 2))
    y = X @ rng.normal(size=2) + 0.1 * rng.normal(size=6)
    return X, y


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 50), st.integers(-1100, 1100), st.integers(-1100, 1100),
       st.sampled_from(["lasso", "ridge", "lasso_path", "ridge_path"]))
def test_fits_of_scaled_data_scale_or_refuse(seed: int, a: int, b: int, fit: str) -> None:
    """X·2ᵃ and y·2ᵇ, with λ scaled to match, give the coefficients times 2^(b−a) (the
    scaling is exact in binary), or a ValueError naming an argument — never inf, NaN, a
    wrong finite answer or a numpy warning."""
    X, y = small_problem(seed)
    lam = 0.5
    # Lasso: Σ(y − Xw)² + λ|w|₁ scales as 2^(2b) when λ scales as 2^(a+b); Ridge's λ as 2^(2a)
    shift = a + b if fit.startswith("lasso") else 2 * a
    assume(-990 < shift < 990)
    lam_scaled = math.ldexp(lam, shift)
    with np.errstate(all="ignore"):
        Xs, ys = np.ldexp(X, a), np.ldexp(y, b)
    # exact scalings only: nothing rounded into the subnormals or to inf on the way
    for arr in (Xs, ys):
        assume(np.all(np.isfinite(arr)) and np.all(np.abs(arr) >= sys.float_info.min))
    if fit in ("lasso", "ridge"):
        base = getattr(engine, fit)(X, y, lam).coef
        call = lambda: getattr(engine, fit)(Xs, ys, lam_scaled)  # noqa: E731
    else:
        base = getattr(engine, fit)(X, y, [lam]).coefs[0]
        call = lambda: getattr(engine, fit)(Xs, ys, [lam_scaled])  # noqa: E731
    with np.errstate(all="ignore"):
        want = np.ldexp(base, b - a)
    assume(np.all((want == 0) | (np.abs(want) > 1e-290)))
    try:
        result = call()
    except ValueError as exc:
        assert re.match(r"^(X|y|lam|lams): ", str(exc)), str(exc)
        return
    coef = result.coef if hasattr(result, "coef") else result.coefs[0]
    objective = result.objective if hasattr(result, "objective") else result.objectives[0]
    assert np.all(np.isfinite(coef)) and math.isfinite(objective)
    np.testing.assert_allclose(coef, want, rtol=1e-9)


@pytest.mark.parametrize(("call", "name"), [
    (lambda: engine.lasso([[1.0]], [1e200], 1e200), "y"),
    (lambda: engine.ridge([[1.0]], [1e200], 1e200), "y"),
    (lambda: engine.lasso_path([[1.0]], [1e200], [1e200]), "y"),
    (lambda: engine.lasso([[1e-200]], [1e200], 1.0), "X"),
    (lambda: engine.lasso([[1e-170]], [1e-100], 1e-300), "X"),
    (lambda: engine.ridge([[1e-200]], [1e200], 1.0), "X"),
    (lambda: engine.ridge_path([[1e-160], [1e-160]], [1e150, 1e150], [0.0, 1e-300]), "X"),
    (lambda: engine.ridge([[1e154]], [1.0], 1.7e308), "lam"),
    (lambda: engine.ridge_path([[1e154]], [1.0], [1.7e308]), "lams"),
])
def test_fits_refuse_data_beyond_float64(call, name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: "):
        call()


def test_fits_at_the_ends_of_float64() -> None:
    """A y spanning 1e-300 to 1e300 keeps its small entry; X and y both tiny (their
    products underflow) still give the exact coefficient 2^(−1000)/2^(−100)."""
    wide = engine.ridge([[1.0, 0.0], [0.0, 1.0]], [1e300, 1e-300], 1e-300)
    assert wide.coef.tolist() == pytest.approx([1e300, 1e-300], rel=1e-12)
    assert math.isfinite(wide.objective)
    assert engine.lasso([[1.0, 0.0], [0.0, 1.0]], [1e300, 1e-300], 1e-310).coef.tolist() == (
        pytest.approx([1e300, 1e-300], rel=1e-12))
    for fit in (engine.ridge, engine.lasso):
        assert fit([[2.0**-100]], [2.0**-1000], 0.0).coef.tolist() == [2.0**-900]
    assert engine.lasso([[1.0]], [1e300], 1e8).objective == pytest.approx(1e308, rel=1e-12)


def test_soft_threshold_and_early_stopping_at_the_extremes() -> None:
    assert engine.soft_threshold([MAX, -MAX], MAX).tolist() == [0.0, 0.0]
    assert engine.soft_threshold([MAX, -MAX], 0.0).tolist() == [MAX, -MAX]
    assert engine.early_stopping_epoch([MAX, -MAX, -MAX], 1) == 3


# ------------------------------------------------------------------ input checks
@pytest.mark.parametrize("fn", [engine.l1_norm, engine.l2_norm, engine.squared_l2_norm,
                                lambda x: engine.norm(x, 3), lambda x: engine.norm(x, math.inf)])
def test_norms_refuse_a_matrix(fn) -> None:
    with pytest.raises(ValueError, match=r"^x: expected a vector .*got a 2-D array of shape "
                                         r"\(2, 2\)"):
        fn([[3.0, 4.0], [0.0, 0.0]])


def test_norm_of_a_number_is_its_magnitude() -> None:
    assert engine.l2_norm(-3.0) == 3.0
    assert engine.norm(-3.0, 1) == 3.0


def test_any_float_inf_is_the_max_norm() -> None:
    assert engine.norm([3.0, -4.0], np.float32("inf")) == 4.0


@pytest.mark.parametrize(("call", "name", "given"), [
    (lambda: engine.apply_dropout_mask([1.0], [1], 0.5, train="yes"), "train", "'yes'"),
    (lambda: engine.apply_dropout_mask([1.0], [1], 0.5, train=1), "train", "1"),
    (lambda: engine.dropout([1.0], 0.5, rng=0, train="no"), "train", "'no'"),
    (lambda: engine.dropout([1.0], 0.5, rng=0, train=None), "train", "None"),
    (lambda: engine.apply_dropconnect_mask([1.0], [[1.0]], [[1]], 0.5, scale="no"), "scale",
     "'no'"),
    (lambda: engine.dropconnect([1.0], [[1.0]], 0.5, rng=0, scale=0.0), "scale", "0.0"),
])
def test_flags_must_be_true_or_false(call, name: str, given: str) -> None:
    expected = rf"^{name}: expected True or False, got {re.escape(given)}$"
    with pytest.raises(ValueError, match=expected):
        call()


def test_numpy_bools_are_flags() -> None:
    assert engine.apply_dropout_mask([2.0], [0], 0.5, train=np.bool_(False)).tolist() == [2.0]


@pytest.mark.parametrize(("call", "name", "given"), [
    (lambda: engine.l1_norm(None), "x", "None"),
    (lambda: engine.l2_norm([1.0, None]), "x", "[1.0, None]"),
    (lambda: engine.norm("3", 2), "x", "'3'"),
    (lambda: engine.squared_l2_norm(["1", "2"]), "x", "['1', '2']"),
    (lambda: engine.l1_penalty({"a": 1}, 1.0), "w", "{'a': 1}"),
    (lambda: engine.l2_gradient([1j], 1.0), "w", "[1j]"),
    (lambda: engine.weight_decay_step([True], [1.0], 0.1, 0.1), "w", "[True]"),
    (lambda: engine.ridge([[1.0], None], [1.0, 2.0], 1.0), "X", "[[1.0], None]"),
])
def test_non_numbers_are_named(call, name: str, given: str) -> None:
    with pytest.raises(ValueError) as info:
        call()
    message = str(info.value)
    assert message.startswith(f"{name}: expected ")
    assert given in message
    assert "NaN" not in message


@pytest.mark.parametrize(("call", "name"), [
    (lambda: engine.l1_norm([10**400]), "x"),
    (lambda: engine.l1_penalty([1.0], 10**400), "lam"),
    (lambda: engine.norm([1.0], 10**400), "p"),
    (lambda: engine.early_stopping_epoch([1.0, -(10**400)], 1), "val_losses"),
])
def test_integers_beyond_float64_are_refused(call, name: str) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: .*too large for float64"):
        call()


def test_bool_masks_still_work() -> None:
    keep = np.array([True, False])
    assert engine.apply_dropout_mask([2.0, 4.0], keep, 0.5).tolist() == [4.0, 0.0]


def test_penalty_kind_must_be_a_name() -> None:
    with pytest.raises(ValueError, match=r"^kind: expected 'l1' or 'l2'"):
        engine.penalty([1.0], 1.0, np.array(["l1", "l2"]))


# ------------------------------------------------------------------ through validate
def run_validate(content: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-W", "default", "-m", "studyapp", "validate", "--content",
         str(content)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )


DECK = """\
id: big
title: 大きな値
keywords:
  - {id: norm, name: ノルム, en: norm}
"""

QUESTION = """\
questions:
  - id: fits
    type: numeric
    keywords: [norm]
    prompt: 大きな値でも表せる L2 ノルム
    compute: {fn: l2_norm, args: {x: [1.0e+200, 1.0e+200]}}
    explanation: √2·10²⁰⁰。
  - id: huge
    type: numeric
    keywords: [norm]
    prompt: 大きすぎる値
    compute: {fn: FN, args: ARGS}
    explanation: float64 を超える。
"""

BIG_INT = "1" + "0" * 400


@pytest.mark.parametrize(("fn", "args", "name"), [
    ("squared_l2_norm", "{x: [1.0e+200, 1.0e+200]}", "x"),
    ("l2_penalty", "{w: [1.0e+200], lam: 1}", "w"),
    ("l1_penalty", "{w: [1.7e+308, 1.7e+308], lam: 1}", "w"),
    ("l2_gradient", "{w: [1.0e+308], lam: 1}", "w"),
    ("weight_decay_step", "{w: [1.0e+308], grad: [-1.0e+308], lr: 2, decay: 0}", "w"),
    ("norm", "{x: [1.7e+308, 1.7e+308], p: 3}", "x"),
    ("dropout_apply", "{x: [1.0e+308], mask: [1], p: 0.9}", "x"),
    ("ridge", "{X: [[1.0]], y: [1.0e+200], lam: 1.0e+200}", "y"),
    ("l1_norm", f"{{x: [{BIG_INT}]}}", "x"),
    ("l1_penalty", f"{{w: [1.0], lam: {BIG_INT}}}", "lam"),
])
def test_validate_reports_an_overflowing_compute_on_one_line(tmp_path: Path, fn: str,
                                                             args: str, name: str) -> None:
    deck = tmp_path / "big"
    deck.mkdir()
    (deck / "deck.yaml").write_text(DECK, encoding="utf-8")
    (deck / "questions.yaml").write_text(
        QUESTION.replace("FN", fn).replace("ARGS", args), encoding="utf-8")
    result = run_validate(tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1, result.stdout
    assert re.match(rf"^\S*questions\.yaml:12: .*{fn}.*\b{name}: ", lines[0]), lines[0]
    # the count of problems, and nothing else: no numpy warning, no traceback
    assert result.stderr.splitlines()[-1] == "1 problem in 1 file", result.stderr


def test_bundled_deck_validates_with_nothing_on_stderr() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "default", "-m", "studyapp", "validate"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: ")
    assert result.stderr == ""
