"""Elastic Net, label smoothing, max-norm and noise injection problems: what each kind
promises beyond the checks every kind gets (tests/engine/test_problems.py).

Each answer meets its own optimality or defining condition here (KKT for Elastic Net, a
probability vector for label smoothing, the ball and the direction for max-norm, the
L2-penalty identity for noise injection), the hand level draws the cases a learner must
meet (zeroed and active coefficients, inside and outside the ball), the mistakes the
design names are offered as options with their own feedback, and ``studyapp generate``
prints the pinned JSON for them.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from functools import cache
from pathlib import Path

import numpy as np
import pytest

import engine
from engine.problems import KINDS, Problem, check_answer, check_choice, generate

ROOT = Path(__file__).resolve().parents[2]
NEW_KINDS = ("elastic-net", "label-smoothing", "max-norm", "noise-injection")
SEEDS = range(1000)


@cache
def problems(kind: str, level: str = "hand") -> tuple[Problem, ...]:
    return tuple(generate(kind, s, level) for s in (SEEDS if level == "hand" else range(200)))


def test_the_four_kinds_come_last_in_the_registry() -> None:
    assert KINDS[-4:] == NEW_KINDS


# ------------------------------------------------------------------ elastic net
def test_elastic_net_designs_are_orthonormal_in_floating_point() -> None:
    for level in ("hand", "calc"):
        for p in problems("elastic-net", level):
            X = np.array(p.data["X"], float)
            assert np.array_equal(X.T @ X, np.eye(X.shape[1])), p.id
            assert set(np.abs(X).ravel().tolist()) <= {0.0, 0.5, 1.0}, p.id


def test_elastic_net_answers_meet_the_optimality_conditions() -> None:
    """KKT of Σ(yᵢ − wᵀxᵢ)² + λ₁‖w‖₁ + λ₂‖w‖₂² with the full X: g = 2Xᵀ(y − Xw) − 2λ₂w
    equals λ₁·sign(wⱼ) where wⱼ ≠ 0 and stays within [−λ₁, λ₁] where wⱼ = 0."""
    for level in ("hand", "calc"):
        for p in problems("elastic-net", level):
            X, y = np.array(p.data["X"], float), np.array(p.data["y"], float)
            lam1, lam2 = p.data["lam1"], p.data["lam2"]
            w = np.array(p.answer, float)
            g = 2 * X.T @ (y - X @ w) - 2 * lam2 * w
            nz = w != 0
            np.testing.assert_allclose(g[nz], lam1 * np.sign(w[nz]), atol=1e-9)
            assert np.all(np.abs(g[~nz]) <= lam1 + 1e-9), p.id


def test_elastic_net_mixes_zeroed_and_active_coefficients() -> None:
    hand = problems("elastic-net")
    mixed = sum(1 for p in hand if 0 in p.answer and any(p.answer))
    assert mixed >= 0.8 * len(hand)
    assert all(any(p.answer) for p in hand)
    assert len({p.data["lam2"] for p in hand}) >= 4  # the shrink 1/(1 + λ₂) varies


# ------------------------------------------------------------------ label smoothing
def test_label_smoothing_targets_are_probability_vectors_over_k_classes() -> None:
    for level in ("hand", "calc"):
        for p in problems("label-smoothing", level):
            y, eps = p.data["y"], p.data["eps"]
            k = len(y)
            assert 3 <= k <= 10 and sorted(y) == [0] * (k - 1) + [1], p.id
            assert 0 < eps <= 0.4
            assert math.isclose(math.fsum(p.answer), 1.0, abs_tol=1e-9), p.id
            true = y.index(1)
            assert p.answer[true] == max(p.answer) and p.answer[true] < 1
            others = {v for i, v in enumerate(p.answer) if i != true}
            assert len(others) == 1 and math.isclose(others.pop(), eps / k, abs_tol=1e-9)


def test_label_smoothing_at_hand_uses_common_eps_values() -> None:
    eps = [p.data["eps"] for p in problems("label-smoothing")]
    assert sum(e in (0.1, 0.2) for e in eps) >= 150  # the ε of practice come up often
    assert len({len(p.data["y"]) for p in problems("label-smoothing")}) == 8  # K = 3 … 10


# ------------------------------------------------------------------ max-norm
def test_max_norm_draws_both_cases_and_keeps_the_direction() -> None:
    inside = outside = 0
    for level in ("hand", "calc"):
        for p in problems("max-norm", level):
            w, c = np.array(p.data["w"], float), p.data["c"]
            out = np.array(p.answer, float)
            norm = np.linalg.norm(w)
            assert np.linalg.norm(out) == pytest.approx(min(norm, c), abs=1e-9), p.id
            assert float(out @ w) == pytest.approx(np.linalg.norm(out) * norm), p.id
            if level == "hand":
                assert norm == round(norm), p.id  # a whole-number length: exact ratios
                inside += norm < c
                outside += norm > c
            assert norm != c, p.id
    assert inside >= 150 and outside >= 600


# ------------------------------------------------------------------ noise injection
def test_noise_injection_is_the_l2_penalised_loss_with_lambda_sigma_squared() -> None:
    """The expectation equals the clean loss plus the L2 penalty λ‖w‖₂² with λ = σ²,
    as ``engine.regularized_loss`` computes it."""
    for level in ("hand", "calc"):
        for p in problems("noise-injection", level):
            x, w, y, s = (p.data[k] for k in ("x", "w", "y", "sigma"))
            clean = (y - float(np.dot(w, x))) ** 2
            expected = engine.regularized_loss(clean, w, s * s, "l2")
            assert p.answer == pytest.approx(expected, abs=1e-9), p.id


def test_noise_injection_sample_average_approaches_the_answer() -> None:
    """A Monte Carlo check on a few problems: the mean squared error under drawn noise is
    within five standard errors of the answer."""
    rng = np.random.default_rng(0)
    for p in problems("noise-injection")[:20]:
        x, w = np.array(p.data["x"], float), np.array(p.data["w"], float)
        eps = rng.normal(scale=p.data["sigma"], size=(200_000, len(x)))
        losses = (p.data["y"] - (x + eps) @ w) ** 2
        se = losses.std() / math.sqrt(len(losses))
        assert abs(losses.mean() - p.answer) <= 5 * se + 1e-12, p.id


# ------------------------------------------------------------------ misconceptions
HEADLINE = {
    "elastic-net": ("threshold-lambda1-not-half", 800),
    "label-smoothing": ("eps-over-k-minus-one", 350),
    "max-norm": ("scaled-by-l1-norm", 400),
    "noise-injection": ("sigma-not-squared", 700),
}
#: Further mistakes the design names for each kind: each is offered on some seeds.
NAMED = {
    "elastic-net": ("forgot-ridge-shrink",),
    "label-smoothing": ("forgot-one-minus-eps",),
    "max-norm": ("clipped-each-component",),
    "noise-injection": ("forgot-data-term", "norm-not-squared"),
}


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_the_named_mistakes_are_offered_with_their_feedback(kind: str) -> None:
    headline, least = HEADLINE[kind]
    offered: dict[str, int] = {}
    for p in problems(kind):
        for m in p.distractors:
            offered[m.id] = offered.get(m.id, 0) + 1
    assert offered.get(headline, 0) >= least, (kind, offered)
    for mid in NAMED[kind]:
        assert offered.get(mid, 0) >= 20, (kind, mid, offered)


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_each_wrong_option_differs_and_answers_with_its_own_feedback(kind: str) -> None:
    for p in problems(kind)[:300]:
        feedbacks = set()
        for m in p.distractors:
            assert m.choice_index is not None and m.choice_index != p.answer_index
            assert p.choices[m.choice_index] != p.choices[p.answer_index]
            picked = check_choice(p, m.choice_index)
            assert not picked.correct and picked.misconception == m, (p.id, m.id)
            assert m.feedback in picked.message and m.label in picked.message
            typed = check_answer(p, p.choices[m.choice_index])
            assert typed.misconception is not None and typed.misconception.id == m.id
            feedbacks.add(m.feedback)
        assert len(feedbacks) == 3, p.id  # three mistakes, three explanations
        assert check_choice(p, p.answer_index).correct
        assert check_answer(p, p.choices[p.answer_index]).correct


@pytest.mark.parametrize("kind", NEW_KINDS)
def test_steps_are_japanese_unicode_without_latex(kind: str) -> None:
    for level in ("hand", "calc"):
        for p in problems(kind, level):
            for text in (p.prompt, *p.steps):
                assert "\\" not in text and "$" not in text and "^" not in text, (p.id, text)
            assert any("\u3040" <= ch <= "\u30ff" for ch in "".join(p.steps)), p.id


# ------------------------------------------------------------------ the command line
def test_generate_prints_the_pinned_json_for_elastic_net() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "studyapp", "generate", "elastic-net", "--seed", "3",
         "--count", "2", "--format", "json"],
        cwd=ROOT, capture_output=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout.decode("utf-8"))
    assert [item["id"] for item in items] == ["elastic-net#3", "elastic-net#4"]
    for item in items:
        assert list(item)[:9] == ["id", "kind", "seed", "prompt", "data", "answer", "steps",
                                  "choices", "answer_index"]
        assert set(item["data"]) == {"X", "y", "lam1", "lam2"}
        assert isinstance(item["answer"], list) and len(item["answer"]) == len(item["data"]["X"][0])
        assert len(item["choices"]) == 4 and 0 <= item["answer_index"] < 4
        assert item == generate("elastic-net", item["seed"]).to_dict()
    listed = subprocess.run(
        [sys.executable, "-m", "studyapp", "generate", "--list"],
        cwd=ROOT, capture_output=True, timeout=120, check=False,
    )
    assert listed.stdout.decode().splitlines()[-4:] == list(NEW_KINDS)
