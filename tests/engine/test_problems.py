"""Generated problems, checked twice: every kind over 1,000 seeds against an independent method.

The generators compute answers with the engine (coordinate descent, a linear solve, the
engine's masks …). Here each answer is recomputed another way — closed forms, explicit
loops, augmented least squares, finite differences, enumeration of every dropout mask —
and the problems are checked for what a learner relies on: hand-solvable numbers at level
"hand", four distinct options, and exact regeneration from the name ``kind#seed``.
"""

from __future__ import annotations

import doctest
import importlib
import itertools
import json
import math
import re
from collections.abc import Callable
from fractions import Fraction
from functools import cache
from typing import Any

import numpy as np
import pytest

from engine.problems import (
    KINDS,
    Problem,
    ProblemId,
    generate,
    parse_answer,
    parse_problem_id,
    problem_from_id,
)

HAND_SEEDS = range(1000)
CALC_SEEDS = range(200)
PINNED = (
    "l1-norm", "l2-norm", "l1-penalty", "l2-penalty", "soft-threshold", "lasso", "ridge",
    "weight-decay", "dropout", "dropconnect", "early-stopping",
)
PINNED_DATA = {
    "l1-norm": {"x"},
    "l2-norm": {"x"},
    "l1-penalty": {"w", "lam", "data_loss"},
    "l2-penalty": {"w", "lam", "data_loss"},
    "soft-threshold": {"z", "t"},
    "lasso": {"X", "y", "lam"},
    "ridge": {"X", "y", "lam"},
    "weight-decay": {"w", "grad", "lr", "decay"},
    "dropout": {"x", "p", "mask"},
    "dropconnect": {"x", "W", "p", "mask", "scale"},
    "early-stopping": {"val_losses", "patience"},
    "elastic-net": {"X", "y", "lam1", "lam2"},
    "label-smoothing": {"y", "eps"},
    "max-norm": {"w", "c"},
    "noise-injection": {"x", "w", "y", "sigma"},
}


@cache
def problems(kind: str, level: str = "hand") -> tuple[Problem, ...]:
    seeds = HAND_SEEDS if level == "hand" else CALC_SEEDS
    return tuple(generate(kind, seed, level) for seed in seeds)


# ------------------------------------------------------------------ independent answers
def _stop_epoch(losses: list[float], patience: int) -> int:
    """Stop at the first epoch e whose last `patience` losses all stay at or above the best
    loss before them (equivalent to counting epochs without a new strict minimum)."""
    for e in range(patience + 1, len(losses) + 1):
        if min(losses[e - patience:e]) >= min(losses[:e - patience]):
            return e
    return len(losses)


def _soft_by_minimising(z: float, t: float) -> float:
    """argmin_w ½(w − z)² + t|w| over its only candidates 0, z − t, z + t."""
    candidates = [0.0, z - t, z + t]
    return min(candidates, key=lambda w: (0.5 * (w - z) ** 2 + t * abs(w), abs(w)))


def _lasso_closed_form(X: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    gram = X.T @ X
    c = gram[0, 0]
    np.testing.assert_allclose(gram, c * np.eye(X.shape[1]), atol=1e-12)  # orthogonal design
    b = X.T @ y
    return np.sign(b) * np.maximum(np.abs(b) - lam / 2, 0.0) / c


def _ridge_augmented(X: np.ndarray, y: np.ndarray, lam: float) -> np.ndarray:
    d = X.shape[1]
    A = np.vstack([X, math.sqrt(lam) * np.eye(d)])
    rhs = np.concatenate([y, np.zeros(d)])
    return np.linalg.lstsq(A, rhs, rcond=None)[0]


def _derivative(f: Callable[[float], float], at: float, h: float = 1e-3) -> float:
    return (f(at + h) - f(at - h)) / (2 * h)


def _dropout_expectation(x: list[float], p: float, inverted: bool) -> list[float]:
    """Average the training output over every one of the 2ⁿ masks, weighted by probability."""
    n = len(x)
    total = [0.0] * n
    for mask in itertools.product((0, 1), repeat=n):
        prob = math.prod((1 - p) if m else p for m in mask)
        for i in range(n):
            out = x[i] * mask[i] / (1 - p) if inverted else x[i] * mask[i]
            total[i] += prob * out
    return total


def _elastic_net_by_coordinate(X: np.ndarray, y: np.ndarray, lam1: float,
                               lam2: float) -> list[float]:
    """With XᵀX = I (checked exactly) the objective is a sum of one-variable problems
    (1 + λ₂)w² − 2zw + λ₁|w|; each is least at one of its three stationary candidates."""
    assert np.array_equal(X.T @ X, np.eye(X.shape[1]))  # orthonormal in floating point
    out = []
    for z in X.T @ y:
        candidates = [0.0, (z - lam1 / 2) / (1 + lam2), (z + lam1 / 2) / (1 + lam2)]
        out.append(min(candidates, key=lambda w: (1 + lam2) * w * w - 2 * z * w + lam1 * abs(w)))
    return out


def _smoothed_by_mixture(y: list[int], eps: float) -> list[Fraction]:
    """The target's law when the label is kept with probability 1 − ε and otherwise
    replaced by a class drawn uniformly: exact fractions, outcome by outcome."""
    e, k = Fraction(str(eps)), len(y)
    law = [Fraction(0)] * k
    for label, p_label in enumerate(y):  # the one-hot y as a law over labels
        law[label] += (1 - e) * p_label
        for drawn in range(k):
            law[drawn] += e * p_label * Fraction(1, k)
    return law


def _project_by_multiplier(w: list[float], c: float) -> list[float]:
    """argmin ‖v − w‖² subject to ‖v‖₂ ≤ c via its Lagrange condition v = w/(1 + μ), μ ≥ 0:
    μ = 0 when w is inside, else the μ (found by bisection) with ‖v‖₂ = c."""
    wa = np.array(w, float)
    if np.sqrt(np.sum(wa**2)) <= c:
        return wa.tolist()
    lo, hi = 0.0, 1.0
    while np.sqrt(np.sum((wa / (1 + hi)) ** 2)) > c:
        hi *= 2
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if np.sqrt(np.sum((wa / (1 + mid)) ** 2)) > c else (lo, mid)
    return (wa / (1 + hi)).tolist()


def _noise_expectation_by_quadrature(x: list[float], w: list[float], y: float,
                                     sigma: float) -> float:
    """E[(y − wᵀ(x + ε))²], ε ~ N(0, σ²I), by Gauss–Hermite quadrature over every input:
    exact here, since the integrand is a polynomial of degree 2 in ε."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(3)  # weight e^(−t²/2)
    weights = weights / weights.sum()
    total = 0.0
    for idx in itertools.product(range(len(nodes)), repeat=len(x)):
        eps = sigma * nodes[list(idx)]
        prob = math.prod(weights[i] for i in idx)
        total += prob * (y - float(np.dot(w, np.array(x) + eps))) ** 2
    return total


def independent_answer(p: Problem) -> Any:
    d = p.data
    kind = p.kind
    if kind == "l1-norm":
        return math.fsum(abs(v) for v in d["x"])
    if kind == "l2-norm":
        return math.hypot(*d["x"])
    if kind == "linf-norm":
        best = 0.0
        for v in d["x"]:
            best = abs(v) if abs(v) > best else best
        return best
    if kind == "l1-penalty":
        return d["data_loss"] + d["lam"] * math.fsum(abs(v) for v in d["w"])
    if kind == "l2-penalty":
        return d["data_loss"] + d["lam"] * math.fsum(v * v for v in d["w"])
    if kind == "soft-threshold":
        z = d["z"]
        if isinstance(z, list):
            return [_soft_by_minimising(v, d["t"]) for v in z]
        return _soft_by_minimising(z, d["t"])
    if kind == "lasso":
        return _lasso_closed_form(np.array(d["X"], float), np.array(d["y"], float), d["lam"])
    if kind == "ridge":
        return _ridge_augmented(np.array(d["X"], float), np.array(d["y"], float), d["lam"])
    if kind == "weight-decay":
        return [
            w * (1 - d["lr"] * d["decay"]) - d["lr"] * g
            for w, g in zip(d["w"], d["grad"], strict=True)
        ]
    if kind == "dropout":
        out = []
        for v, m in zip(d["x"], d["mask"], strict=True):
            out.append(v / (1 - d["p"]) if m == 1 else 0.0)
        return out
    if kind == "dropconnect":
        out = []
        for row, mrow in zip(d["W"], d["mask"], strict=True):
            acc = 0.0
            for w, m, v in zip(row, mrow, d["x"], strict=True):
                if m:
                    acc += w * v
            out.append(acc / (1 - d["p"]) if d["scale"] else acc)
        return out
    if kind == "early-stopping":
        return _stop_epoch(d["val_losses"], d["patience"])
    if kind == "penalty-gradient":
        lam = d["lam"]
        if d["penalty"] == "l1":
            return [_derivative(lambda u: lam * abs(u), w) for w in d["w"]]
        return [_derivative(lambda u: lam * u * u, w) for w in d["w"]]
    if kind == "weight-decay-lambda":
        half = d["form"] == "half-lam"

        def pen(lam: float) -> Callable[[float], float]:
            return (lambda u: lam / 2 * u * u) if half else (lambda u: lam * u * u)

        if d["question"] == "lam":
            # the λ whose penalty gradient at w = 1 equals the given decay (linear in λ)
            return d["decay"] / _derivative(pen(1.0), 1.0)
        decay = _derivative(pen(d["lam"]), 1.0)
        if d["question"] == "decay":
            return decay
        w = 1.0
        w = w - d["lr"] * (0.0 + decay * w)  # one step with no data gradient
        return w
    if kind == "dropout-inference":
        inverted = d["scheme"] == "inverted"
        if inverted and d["question"] == "test":
            return list(d["x"])  # nothing is dropped or scaled at inference
        return _dropout_expectation(d["x"], d["p"], inverted)
    if kind == "elastic-net":
        return _elastic_net_by_coordinate(np.array(d["X"], float), np.array(d["y"], float),
                                          d["lam1"], d["lam2"])
    if kind == "label-smoothing":
        return [float(v) for v in _smoothed_by_mixture(d["y"], d["eps"])]
    if kind == "max-norm":
        return _project_by_multiplier(d["w"], d["c"])
    if kind == "noise-injection":
        return _noise_expectation_by_quadrature(d["x"], d["w"], d["y"], d["sigma"])
    raise AssertionError(f"no independent method for {kind}")


def _close(a: Any, b: Any, tol: float = 1e-9) -> bool:
    return bool(np.allclose(np.asarray(a, float), np.asarray(b, float), rtol=0, atol=tol))


@pytest.mark.parametrize("kind", KINDS)
def test_answer_agrees_with_an_independent_method(kind: str) -> None:
    for level in ("hand", "calc"):
        for p in problems(kind, level):
            expected = independent_answer(p)
            tol = 1e-6 if kind in ("penalty-gradient", "weight-decay-lambda") else 1e-9
            tol = 1e-7 if kind == "noise-injection" else tol  # quadrature's rounding
            assert _close(p.answer, expected, tol), (p.id, p.answer, expected)


def test_lasso_answers_meet_the_optimality_conditions() -> None:
    """KKT: 2xⱼᵀ(y − Xw) = λ·sign(wⱼ) where wⱼ ≠ 0 and |2xⱼᵀ(y − Xw)| ≤ λ where wⱼ = 0."""
    for level in ("hand", "calc"):
        for p in problems("lasso", level):
            X, y = np.array(p.data["X"], float), np.array(p.data["y"], float)
            w, lam = np.array(p.answer, float), p.data["lam"]
            grad = 2 * X.T @ (y - X @ w)
            nz = w != 0
            np.testing.assert_allclose(grad[nz], lam * np.sign(w[nz]), atol=1e-9)
            assert np.all(np.abs(grad[~nz]) <= lam + 1e-9), p.id


def test_lasso_problems_are_sparse_and_ridge_only_shrinks() -> None:
    """Most Lasso answers have exact zeros beside non-zeros; Ridge zeros only where Xᵀy is 0."""
    lasso = problems("lasso")
    sparse = sum(1 for p in lasso if 0 in p.answer and any(p.answer))
    assert sparse >= 0.7 * len(lasso)
    for p in problems("ridge"):
        b = np.array(p.data["X"], float).T @ np.array(p.data["y"], float)
        assert [v == 0 for v in p.answer] == [v == 0 for v in b.tolist()], p.id


# ------------------------------------------------------------------ hand-solvable
def _numbers(value: Any) -> list[float]:
    if isinstance(value, bool | str):
        return []
    if isinstance(value, dict):
        return [v for item in value.values() for v in _numbers(item)]
    if isinstance(value, list):
        return [v for item in value for v in _numbers(item)]
    return [float(value)]


def _decimals_at_most(x: float, k: int) -> bool:
    return abs(x * 10**k - round(x * 10**k)) < 1e-6


@pytest.mark.parametrize("kind", KINDS)
def test_hand_level_is_solvable_by_hand(kind: str) -> None:
    for p in problems(kind):
        answer = _numbers(p.answer)
        assert all(_decimals_at_most(v, 2) for v in answer), (p.id, p.answer)
        assert all(abs(v) <= 100 for v in answer), (p.id, p.answer)
        data = _numbers(p.data)
        assert all(_decimals_at_most(v, 2) for v in data), (p.id, p.data)
        assert all(abs(v) <= 30 for v in data), (p.id, p.data)
        lists = [v for v in p.data.values() if isinstance(v, list)]
        assert all(len(v) <= 10 for v in lists), p.id  # short vectors, small matrices
        for m in p.distractors:
            assert all(_decimals_at_most(v, 2) for v in _numbers(m.value)), (p.id, m)


# ------------------------------------------------------------------ form and choices
@pytest.mark.parametrize("kind", KINDS)
def test_four_distinct_choices_with_the_answer_at_answer_index(kind: str) -> None:
    for level in ("hand", "calc"):
        tol = 1e-9 if level == "hand" else 0.005 + 1e-9
        for p in problems(kind, level):
            assert len(p.choices) == 4 and len(set(p.choices)) == 4, p.id
            assert 0 <= p.answer_index < 4
            assert _close(parse_answer(p.choices[p.answer_index]), p.answer, tol), p.id
            offered = p.distractors
            assert len(offered) == 3, p.id
            positions = {m.choice_index for m in offered}
            assert positions == set(range(4)) - {p.answer_index}, p.id
            assert len({m.id for m in offered}) == 3
            for m in offered:
                assert m.choice_index is not None
                assert _close(parse_answer(p.choices[m.choice_index]), m.value, tol), (p.id, m.id)
                assert not _close(m.value, p.answer, 1e-9), (p.id, m.id)


@pytest.mark.parametrize("kind", KINDS)
def test_json_is_pinned_plain_and_reproducible(kind: str) -> None:
    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in JSON")

    for p in problems(kind)[:300]:
        text = p.to_json()
        item = json.loads(text, parse_constant=refuse)
        assert list(item)[:9] == [
            "id", "kind", "seed", "prompt", "data", "answer", "steps", "choices", "answer_index",
        ]
        assert item["id"] == f"{kind}#{p.seed}" and item["kind"] == kind
        assert isinstance(item["answer"], int | float | list)
        if kind in PINNED_DATA:
            assert set(item["data"]) == PINNED_DATA[kind], p.id
        assert generate(kind, p.seed).to_json() == text  # same seed, same bytes
        assert item == p.to_dict()


@pytest.mark.parametrize("kind", KINDS)
def test_steps_and_prompts_are_unicode_without_latex(kind: str) -> None:
    for level in ("hand", "calc"):
        for p in problems(kind, level):
            texts = [p.prompt, *p.steps, *(m.feedback for m in p.misconceptions),
                     *(m.label for m in p.misconceptions)]
            assert len(p.steps) >= 2
            for text in texts:
                assert "\\" not in text and "$" not in text, (p.id, text)
                assert not re.search(r"\b(nan|inf)\b", text.lower()), (p.id, text)
            assert any("\u3040" <= ch <= "\u30ff" for ch in p.prompt), p.id  # Japanese


def test_answers_appear_in_the_last_steps() -> None:
    """The worked solution ends at the answer: its number is written in the final steps."""
    for kind in KINDS:
        for p in problems(kind)[:200]:
            tail = " ".join(p.steps[-3:]).replace("−", "-")
            first = p.answer[0] if isinstance(p.answer, list) else p.answer
            assert f"{first:g}" in tail, (p.id, p.steps[-3:])


def test_the_pinned_kinds_come_first() -> None:
    assert KINDS[: len(PINNED)] == PINNED
    assert len(set(KINDS)) == len(KINDS) >= 14


#: Kinds with few inputs by nature: the λ ↔ decay conversions; label smoothing at level
#: "hand" (an ε of practice, a K with which ε/K has two decimals, and the true class).
FEW_INPUTS = {"weight-decay-lambda": 40, "label-smoothing": 100}


def test_seeds_give_varied_problems() -> None:
    """Most seeds give a new problem (a few kinds have few inputs by nature)."""
    for kind in KINDS:
        prompts = {p.prompt for p in problems(kind)[:200]}
        assert len(prompts) >= FEW_INPUTS.get(kind, 140), kind


def test_levels_differ_and_carry_their_name() -> None:
    hand, calc = generate("ridge", 5), generate("ridge", 5, "calc")
    assert (hand.id, calc.id) == ("ridge#5", "ridge#5@calc")
    assert (hand.level, calc.level) == ("hand", "calc")
    assert hand.data != calc.data
    assert "小数第2位" in calc.prompt


# ------------------------------------------------------------------ names
def test_problem_ids_round_trip() -> None:
    for kind in KINDS:
        for level in ("hand", "calc"):
            p = generate(kind, 4_000_000_000, level)
            assert parse_problem_id(p.id) == ProblemId(kind, 4_000_000_000, level)
            assert str(parse_problem_id(p.id)) == p.id
            assert problem_from_id(p.id) == p


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("lasso", "like 'lasso#42'"),
        ("lasso#", "like 'lasso#42'"),
        ("#3", "like 'lasso#42'"),
        ("lasso#-1", "seed"),
        ("lasso#x", "seed"),
        ("lasso#４", "seed"),
        ("lasso#4294967296", "seed"),
        ("lasoo#3", "did you mean 'lasso'"),
        ("lasso#3@exam", "level"),
    ],
)
def test_bad_ids_say_what_is_wrong(text: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        parse_problem_id(text)


@pytest.mark.parametrize(
    ("kind", "seed", "level", "fragment"),
    [
        ("ridg", 1, "hand", "did you mean 'ridge'"),
        ("ridge", -1, "hand", "seed"),
        ("ridge", 2**32, "hand", "seed"),
        ("ridge", 1.5, "hand", "seed"),
        ("ridge", True, "hand", "seed"),
        ("ridge", 1, "exam", "level"),
    ],
)
def test_generate_refuses_bad_arguments(kind: str, seed: Any, level: str, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        generate(kind, seed, level)


def test_independent_early_stopping_matches_the_pinned_example() -> None:
    """The test's own rules agree with worked examples before they judge anything.

    Early stopping on losses 1.0, 0.8, 0.9, 0.85, 0.7 with patience 2 stops at epoch 4 (the
    example in the README); S(3, 1) = 2 and S(-0.5, 1) = 0.
    """
    assert _stop_epoch([1.0, 0.8, 0.9, 0.85, 0.7], 2) == 4
    assert _stop_epoch([1.0, 0.9, 0.8], 1) == 3
    assert _soft_by_minimising(3.0, 1.0) == 2.0 and _soft_by_minimising(-0.5, 1.0) == 0.0


def test_independent_methods_of_the_new_kinds_match_worked_examples() -> None:
    """Each independent method agrees with a case worked by hand before it judges anything:
    label smoothing of (0, 1, 0, 0) with ε = 0.1 is (0.025, 0.925, 0.025, 0.025); (3, 4)
    projected onto ‖w‖₂ ≤ 2 is (1.2, 1.6); the noise example of the engine's docstring,
    (1 − (−1.5))² + 0.25·1.25 = 6.5625; Elastic Net with z = (3, −0.5), λ₁ = 2, λ₂ = 1 is
    (S(3, 1)/2, 0) = (1, 0)."""
    assert _smoothed_by_mixture([0, 1, 0, 0], 0.1) == [
        Fraction(1, 40), Fraction(37, 40), Fraction(1, 40), Fraction(1, 40)]
    assert np.allclose(_project_by_multiplier([3.0, 4.0], 2.0), [1.2, 1.6])
    assert _project_by_multiplier([0.3, 0.4], 2.0) == [0.3, 0.4]
    assert _noise_expectation_by_quadrature([1.0, 2.0], [0.5, -1.0], 1.0, 0.5) == (
        pytest.approx(6.5625, abs=1e-12))
    assert _elastic_net_by_coordinate(np.eye(2), np.array([3.0, -0.5]), 2.0, 1.0) == [1.0, 0.0]


@pytest.mark.parametrize(
    "module", ["engine.problems", "engine.problems._util", "engine.problems.checking"]
)
def test_docstring_examples(module: str) -> None:
    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
