"""Every wrong option is the value of its named misconception, recomputed here from the data.

For each kind this file states, in numpy, what each misconception computes. A problem's
misconceptions must be exactly those whose value differs from the answer, with exactly
these values; so a distractor can never be a random wrong number, and no named mistake is
silently lost.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import numpy as np
import pytest

from engine.problems import KINDS, Problem, generate
from engine.problems._util import distinguishable

SEEDS = range(1000)

Values = dict[str, Any]


def _soft(z: Any, t: float) -> np.ndarray:
    z = np.asarray(z, float)
    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)


def _norms(d: dict[str, Any]) -> Values:
    x = np.array(d["x"], float)
    return {
        "sum": x.sum(), "abs_sum": np.abs(x).sum(), "sq": (x**2).sum(),
        "max_abs": np.abs(x).max(), "min_abs": np.abs(x).min(), "max": x.max(),
        "l2": np.sqrt((x**2).sum()), "nnz": np.count_nonzero(x),
    }


def l1_norm(d: dict[str, Any]) -> Values:
    n = _norms(d)
    return {
        "sum-without-abs": n["sum"], "squared-sum": n["sq"], "max-abs": n["max_abs"],
        "abs-of-sum": abs(n["sum"]), "count-nonzero": n["nnz"], "used-l2-norm": n["l2"],
    }


def l2_norm(d: dict[str, Any]) -> Values:
    n = _norms(d)
    return {
        "forgot-sqrt": n["sq"], "used-l1-norm": n["abs_sum"], "max-abs": n["max_abs"],
        "square-of-sum": abs(n["sum"]), "half-squared": n["sq"] / 2,
    }


def linf_norm(d: dict[str, Any]) -> Values:
    n = _norms(d)
    return {
        "max-signed": n["max"], "used-l1-norm": n["abs_sum"], "min-abs": n["min_abs"],
        "used-l2-norm": n["l2"], "abs-of-sum": abs(n["sum"]),
    }


def l1_penalty(d: dict[str, Any]) -> Values:
    w, lam, loss = np.array(d["w"], float), d["lam"], d["data_loss"]
    return {
        "used-l2-penalty": loss + lam * (w**2).sum(),
        "sum-without-abs": loss + lam * w.sum(),
        "forgot-data-loss": lam * np.abs(w).sum(),
        "forgot-lambda": loss + np.abs(w).sum(),
        "half-lambda": loss + lam / 2 * np.abs(w).sum(),
    }


def l2_penalty(d: dict[str, Any]) -> Values:
    w, lam, loss = np.array(d["w"], float), d["lam"], d["data_loss"]
    return {
        "used-l1-penalty": loss + lam * np.abs(w).sum(),
        "used-l2-norm-not-squared": loss + lam * np.linalg.norm(w),
        "half-lambda": loss + lam / 2 * (w**2).sum(),
        "forgot-data-loss": lam * (w**2).sum(),
        "forgot-lambda": loss + (w**2).sum(),
        "square-of-sum": loss + lam * w.sum() ** 2,
    }


def soft_threshold(d: dict[str, Any]) -> Values:
    z, t = np.asarray(d["z"], float), d["t"]
    return {
        "forgot-sign": np.maximum(np.abs(z) - t, 0),
        "hard-threshold": np.where(np.abs(z) > t, z, 0.0),
        "no-clip-at-zero": z - t * np.sign(z),
        "one-sided": np.maximum(z - t, 0),
        "half-threshold": _soft(z, t / 2),
        "double-threshold": _soft(z, 2 * t),
        "shift-away-from-zero": z + t * np.sign(z),
    }


def _design(d: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, float]:
    X, y = np.array(d["X"], float), np.array(d["y"], float)
    return X.T @ X, X.T @ y, d["lam"]


def lasso(d: dict[str, Any]) -> Values:
    G, b, lam = _design(d)
    c = G[0, 0]
    return {
        "threshold-lambda-not-half": _soft(b, lam) / c,
        "forgot-divide-by-c": _soft(b, lam / 2),
        "ignored-penalty": b / c,
        "forgot-sign": np.maximum(np.abs(b) - lam / 2, 0) / c,
        "used-ridge-formula": b / (c + lam),
        "no-clip-at-zero": (b - lam / 2 * np.sign(b)) / c,
        "divided-before-threshold": _soft(b / c, lam / 2),
    }


def ridge(d: dict[str, Any]) -> Values:
    G, b, lam = _design(d)
    eye = np.eye(len(b))
    out = {
        "ignored-penalty": np.linalg.solve(G, b),
        "half-lambda": np.linalg.solve(G + lam / 2 * eye, b),
        "double-lambda": np.linalg.solve(G + 2 * lam * eye, b),
    }
    if d["_level"] == "hand":  # orthogonal designs, XᵀX = cI
        out["assumed-identity-gram"] = b / (1 + lam)
        out["used-lasso-formula"] = _soft(b, lam / 2) / G[0, 0]
    else:
        out["ignored-off-diagonal"] = b / (np.diag(G) + lam)
    return out


def weight_decay(d: dict[str, Any]) -> Values:
    w, g, lr, dec = np.array(d["w"], float), np.array(d["grad"], float), d["lr"], d["decay"]
    return {
        "forgot-decay": w - lr * g,
        "decay-without-lr": w - lr * g - dec * w,
        "decay-sign": w - lr * (g - dec * w),
        "double-decay": w - lr * (g + 2 * dec * w),
        "half-decay": w - lr * (g + dec / 2 * w),
        "gradient-ascent": w + lr * (g + dec * w),
        "forgot-lr": w - (g + dec * w),
    }


def weight_decay_lambda(d: dict[str, Any]) -> Values:
    lr, full = d["lr"], d["form"] == "lam"
    if d["question"] == "lam":
        dec = d["decay"]
        return {
            "lambda-equals-decay": dec, "lambda-equals-half-decay": dec / 2,
            "lambda-equals-two-decay": 2 * dec, "times-learning-rate": lr * dec,
        }
    lam = d["lam"]
    dec = 2 * lam if full else lam
    if d["question"] == "decay":
        out = {
            "decay-equals-half-lambda": lam / 2, "times-learning-rate": lr * dec,
            "shrink-factor": 1 - lr * dec,
        }
        out["decay-equals-lambda" if full else "decay-equals-two-lambda"] = (
            lam if full else 2 * lam
        )
        return out
    return {
        "forgot-lr": 1 - dec, "wrong-decay": 1 - lr * (lam if full else 2 * lam),
        "shrink-amount": lr * dec, "shrink-sign": 1 + lr * dec,
    }


def early_stopping(d: dict[str, Any]) -> Values:
    losses, patience = d["val_losses"], d["patience"]

    def stop(pat: int, *, strict: bool = True, previous: bool = False) -> int:
        waited, ref = 0, np.inf
        for epoch, loss in enumerate(losses, start=1):
            better = loss < ref if strict else loss <= ref
            waited = 0 if better else waited + 1
            if waited >= pat:
                return epoch
            ref = loss if previous else min(ref, loss)
        return len(losses)

    answer = stop(patience)
    out = {
        # the best epoch among those trained (up to the stop), not over the whole curve
        "best-epoch": int(np.argmin(losses[:answer])) + 1,
        "patience-plus-one": stop(patience + 1),
        "compared-with-previous": stop(patience, previous=True),
        "ties-count-as-improvement": stop(patience, strict=False),
        "zero-based-epoch": answer - 1,
        "never-stopped": len(losses),
    }
    if patience >= 2:
        out["patience-minus-one"] = stop(patience - 1)
    return out


def dropout(d: dict[str, Any]) -> Values:
    x, m, p = np.array(d["x"], float), np.array(d["mask"], float), d["p"]
    return {
        "forgot-inverse-keep-scaling": x * m,
        "used-p-as-keep-probability": x * m / p,
        "multiplied-by-keep-probability": x * m * (1 - p),
        "inverted-mask": x * (1 - m) / (1 - p),
        "ignored-mask": x / (1 - p),
    }


def dropconnect(d: dict[str, Any]) -> Values:
    x, W, M, p = (np.array(d[k], float) for k in ("x", "W", "mask", "p"))
    s = 1 / (1 - p) if d["scale"] else 1.0
    kept = (W * M) @ x
    out = {
        "ignored-mask": W @ x * s,
        "inverted-mask": (W * (1 - M)) @ x * s,
        "multiplied-by-keep-probability": kept * (1 - p),
    }
    if d["scale"]:
        out["forgot-inverse-keep-scaling"] = kept
        out["used-p-as-keep-probability"] = kept / p
    else:
        out["scaled-without-request"] = kept / (1 - p)
    return out


def penalty_gradient(d: dict[str, Any]) -> Values:
    w, lam = np.array(d["w"], float), d["lam"]
    if d["penalty"] == "l1":
        return {
            "used-l2-gradient": 2 * lam * w,
            "lambda-times-w": lam * w,
            "forgot-sign": lam * np.abs(np.sign(w)),
            "subgradient-at-zero": lam * np.where(w == 0, 1.0, np.sign(w)),
            "negated-gradient": -lam * np.sign(w),
        }
    return {
        "forgot-factor-two": lam * w,
        "used-l1-gradient": lam * np.sign(w),
        "penalty-not-gradient": lam * w**2,
        "negated-gradient": -2 * lam * w,
    }


def dropout_inference(d: dict[str, Any]) -> Values:
    x, p = np.array(d["x"], float), d["p"]
    if d["scheme"] == "standard":
        return {
            ("forgot-test-time-scaling" if d["question"] == "test"
             else "expectation-forgot-keep-probability"): x,
            "used-inverted-scaling": x / (1 - p),
            "used-p-as-keep-probability": p * x,
        }
    test = d["question"] == "test"
    return {
        ("scaled-at-test-time" if test else "expectation-kept-factor"): (1 - p) * x,
        ("divided-at-test-time" if test else "expectation-divided"): x / (1 - p),
        "used-p-as-keep-probability": p * x,
    }


def elastic_net(d: dict[str, Any]) -> Values:
    X, y = np.array(d["X"], float), np.array(d["y"], float)
    z, l1, l2 = X.T @ y, d["lam1"], d["lam2"]
    return {
        "threshold-lambda1-not-half": _soft(z, l1) / (1 + l2),
        "forgot-ridge-shrink": _soft(z, l1 / 2),
        "ignored-l1-term": z / (1 + l2),
        "divided-before-threshold": _soft(z / (1 + l2), l1 / 2),
        "double-lambda2": _soft(z, l1 / 2) / (1 + 2 * l2),
        "no-clip-at-zero": (z - l1 / 2 * np.sign(z)) / (1 + l2),
        "ignored-penalty": z,
    }


def label_smoothing(d: dict[str, Any]) -> Values:
    y, eps = np.array(d["y"], float), d["eps"]
    k = len(y)
    return {
        "eps-over-k-minus-one": np.where(y == 1, 1 - eps, eps / (k - 1)),
        "forgot-one-minus-eps": y + eps / k,
        "forgot-uniform-on-true-class": np.where(y == 1, 1 - eps, eps / k),
        "eps-to-each-class": np.where(y == 1, 1 - eps, eps),
        "swapped-eps": eps * y + (1 - eps) / k,
        "forgot-uniform-term": (1 - eps) * y,
    }


def max_norm(d: dict[str, Any]) -> Values:
    w, c = np.array(d["w"], float), d["c"]
    l2, l1 = np.linalg.norm(w), np.abs(w).sum()
    return {
        "scaled-by-l1-norm": w * min(1.0, c / l1),
        "clipped-each-component": np.clip(w, -c, c),
        "rescaled-inside-the-ball": w * c / l2,
        "used-squared-norm": w * min(1.0, c / l2**2),
        "ignored-constraint": w,
        "normalised-to-unit-length": w / l2,
        "subtracted-excess": np.sign(w) * np.maximum(np.abs(w) - (l2 - c), 0),
    }


def noise_injection(d: dict[str, Any]) -> Values:
    x, w, y, s = np.array(d["x"], float), np.array(d["w"], float), d["y"], d["sigma"]
    clean = (y - w @ x) ** 2
    return {
        "sigma-not-squared": clean + s * (w @ w),
        "forgot-data-term": s**2 * (w @ w),
        "norm-not-squared": clean + s**2 * np.linalg.norm(w),
        "forgot-noise-term": clean,
        "noise-on-output": clean + s**2,
        "same-noise-on-every-input": clean + s**2 * w.sum() ** 2,
    }


MISCONCEPTIONS: dict[str, Callable[[dict[str, Any]], Values]] = {
    "l1-norm": l1_norm,
    "l2-norm": l2_norm,
    "l1-penalty": l1_penalty,
    "l2-penalty": l2_penalty,
    "soft-threshold": soft_threshold,
    "lasso": lasso,
    "ridge": ridge,
    "weight-decay": weight_decay,
    "dropout": dropout,
    "dropconnect": dropconnect,
    "early-stopping": early_stopping,
    "linf-norm": linf_norm,
    "penalty-gradient": penalty_gradient,
    "weight-decay-lambda": weight_decay_lambda,
    "dropout-inference": dropout_inference,
    "elastic-net": elastic_net,
    "label-smoothing": label_smoothing,
    "max-norm": max_norm,
    "noise-injection": noise_injection,
}


@cache
def problems(kind: str, level: str) -> tuple[Problem, ...]:
    seeds = SEEDS if level == "hand" else range(200)
    return tuple(generate(kind, seed, level) for seed in seeds)


def _plain(value: Any) -> Any:
    arr = np.asarray(value, float)
    return arr.tolist() if arr.ndim else float(arr)


def test_every_kind_has_its_misconceptions_stated_here() -> None:
    assert set(MISCONCEPTIONS) == set(KINDS)


@pytest.mark.parametrize("level", ["hand", "calc"])
@pytest.mark.parametrize("kind", KINDS)
def test_misconceptions_are_exactly_the_named_mistakes(kind: str, level: str) -> None:
    seen: set[str] = set()
    for p in problems(kind, level):
        data = {**p.data, "_level": p.level}
        expected = {k: _plain(v) for k, v in MISCONCEPTIONS[kind](data).items()}
        differing = {k for k, v in expected.items() if distinguishable(v, p.answer)}
        got = {m.id: m.value for m in p.misconceptions}
        assert set(got) == differing, (p.id, set(got) ^ differing)
        for mid, value in got.items():
            assert np.allclose(value, expected[mid], rtol=0, atol=1e-9), (p.id, mid)
        seen.update(m.id for m in p.distractors)
    if level == "hand":  # the options vary: more than one fixed trio of mistakes per kind
        assert len(seen) >= 4, (kind, sorted(seen))


@pytest.mark.parametrize("kind", KINDS)
def test_feedback_explains_in_japanese(kind: str) -> None:
    for p in problems(kind, "hand")[:100]:
        for m in p.misconceptions:
            assert m.label and len(m.feedback) >= 20, (p.id, m.id)
            assert any("\u3040" <= ch <= "\u30ff" for ch in m.feedback), (p.id, m.id)
            assert m.id == m.id.lower() and " " not in m.id


def test_the_headline_misconceptions_are_offered() -> None:
    """The mistakes the design names are among the options, not only known to the checker."""
    headline = {
        "l2-norm": "forgot-sqrt",
        "lasso": "threshold-lambda-not-half",
        "dropout": "forgot-inverse-keep-scaling",
        "dropout-inference": "used-p-as-keep-probability",
        "soft-threshold": "forgot-sign",
        "early-stopping": "best-epoch",
        "weight-decay": "forgot-decay",
    }
    for kind, mid in headline.items():
        offered = sum(
            1 for p in problems(kind, "hand") if any(m.id == mid for m in p.distractors)
        )
        assert offered >= 500, (kind, mid, offered)
