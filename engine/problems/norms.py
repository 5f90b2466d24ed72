"""Norm problems: ‖x‖₁, ‖x‖₂ and ‖x‖∞ of a small vector.

The L2 problems at level "hand" are built backwards from vectors whose squared length is
a perfect square (3-4-5, 1-2-2-3, 2-3-6-7 …), so the square root is a whole number.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

import engine
from engine.problems._model import Draft, Trap
from engine.problems._util import (
    CALC_NOTE,
    Rand,
    eq,
    num,
    par,
    sub,
    vec,
)

# ------------------------------------------------------------------ misconceptions
SUM_WITHOUT_ABS = Trap(
    "sum-without-abs",
    "絶対値を取り忘れた",
    "成分をそのまま足しています。L1ノルムは各成分の絶対値 |xᵢ| の和なので、"
    "負の成分も大きさ（正の数）として数えます。",
)
SQUARED_SUM = Trap(
    "squared-sum",
    "二乗和 Σxᵢ²（‖x‖₂²）と混同",
    "成分の二乗和 Σxᵢ² を計算しています。これは L2ノルムの二乗 ‖x‖₂² です。"
    "L1ノルムは二乗せず、絶対値 |xᵢ| をそのまま足します。",
)
USED_L2 = Trap(
    "used-l2-norm",
    "L2ノルムと混同",
    "√(Σxᵢ²) は L2ノルム（ユークリッド距離）です。"
    "L1ノルム（マンハッタン距離）は絶対値の和 Σ|xᵢ| です。",
)
MAX_ABS = Trap(
    "max-abs",
    "最大値ノルム（L∞ノルム）と混同",
    "max|xᵢ| は L∞ノルム（最大値ノルム）で、一番大きい成分しか見ていません。"
    "求めるノルムはすべての成分を使います。",
)
COUNT_NONZERO = Trap(
    "count-nonzero",
    "非ゼロ成分の個数（L0）と混同",
    "非ゼロ成分の個数は「L0ノルム」と呼ばれるスパース性の尺度で、ノルムの公理は満たしません。"
    "L1ノルムは絶対値の和 Σ|xᵢ| です。",
)
ABS_OF_SUM = Trap(
    "abs-of-sum",
    "和を取ってから絶対値を取った",
    "|Σxᵢ| になっています。絶対値は成分ごとに取ってから足します（Σ|xᵢ|）。"
    "先に足すと正と負の成分が打ち消し合ってしまいます。",
)
FORGOT_SQRT = Trap(
    "forgot-sqrt",
    "平方根を取り忘れた（‖x‖₂ と ‖x‖₂² の混同）",
    "二乗和 Σxᵢ² = ‖x‖₂² で止まっています。L2ノルム ‖x‖₂ はその平方根 √(Σxᵢ²) です。"
    "L2正則化の項 λΣwⱼ² は二乗のまま（λ‖w‖₂²）なので、取り違えやすい点です。",
)
USED_L1 = Trap(
    "used-l1-norm",
    "L1ノルムと混同",
    "絶対値の和 Σ|xᵢ| は L1ノルムです。L2ノルムは二乗和の平方根 √(Σxᵢ²) です。",
)
SQUARE_OF_SUM = Trap(
    "square-of-sum",
    "二乗の和ではなく和の二乗を使った",
    "√((Σxᵢ)²) = |Σxᵢ| を計算しています。先に成分を足してから二乗すると、"
    "正と負が打ち消し合います。各成分を二乗してから足します（Σxᵢ²）。",
)
HALF_SQUARED = Trap(
    "half-squared",
    "½‖x‖₂² と混同",
    "½Σxᵢ² は二乗誤差や (λ/2)‖w‖² に出てくる形で、ノルムではありません。L2ノルムは √(Σxᵢ²) です。",
)
MAX_SIGNED = Trap(
    "max-signed",
    "絶対値を取らずに最大値を取った",
    "成分の最大値 max xᵢ を答えています。L∞ノルムは絶対値の最大値 max|xᵢ| なので、"
    "絶対値の大きい負の成分があればそれが答えになります。",
)
LINF_USED_L1 = Trap(
    "used-l1-norm",
    "L1ノルムと混同",
    "絶対値の和 Σ|xᵢ| は L1ノルムです。L∞ノルムは絶対値の最大値 max|xᵢ| で、"
    "一番大きい成分だけで決まります。",
)
LINF_USED_L2 = Trap(
    "used-l2-norm",
    "L2ノルムと混同",
    "√(Σxᵢ²) は L2ノルムです。L∞ノルムは絶対値の最大値 max|xᵢ| です。",
)
LINF_ABS_OF_SUM = Trap(
    "abs-of-sum",
    "成分の和の絶対値を取った",
    "|Σxᵢ| を計算しています。L∞ノルムは足し合わせず、絶対値が最大の成分を選びます。",
)
MIN_ABS = Trap(
    "min-abs",
    "最小値と取り違えた",
    "絶対値の最小値 min|xᵢ| を答えています。L∞ノルムは絶対値の最大値 max|xᵢ| です。",
)


# ------------------------------------------------------------------ data
def _draw_vector(rng: Rand, level: str, *, halves: bool = True) -> list[float]:
    """Small integers (sometimes halves) at "hand"; longer, one-decimal vectors at "calc"."""
    if level == "calc":
        n = rng.integer(6, 9)
        return [rng.integer(-150, 150) / 10 for _ in range(n)]
    n = rng.integer(3, 5)
    step = 0.5 if halves and rng.chance(0.3) else 1.0
    return [rng.integer(-9, 9) * step for _ in range(n)]


def _mixed_signs(x: list[float]) -> bool:
    return any(v > 0 for v in x) and any(v < 0 for v in x)


@lru_cache(maxsize=1)
def _pythagorean() -> tuple[tuple[int, ...], ...]:
    """Non-decreasing integer vectors (2 to 4 entries, 1 to 12) with a whole-number length."""
    found: list[tuple[int, ...]] = []

    def extend(prefix: tuple[int, ...], total: int) -> None:
        if len(prefix) >= 2:
            root = math.isqrt(total)
            if root * root == total and root <= 25:
                found.append(prefix)
        if len(prefix) == 4:
            return
        for v in range(prefix[-1] if prefix else 1, 13):
            extend((*prefix, v), total + v * v)

    extend((), 0)
    return tuple(found)


# ------------------------------------------------------------------ generators
def l1_norm(rng: Rand, level: str) -> Draft | None:
    """‖x‖₁ = Σ|xᵢ| of a vector with both signs."""
    x = _draw_vector(rng, level)
    if not _mixed_signs(x):
        return None
    answer = engine.l1_norm(x)
    abs_x = [abs(v) for v in x]
    steps = [
        "L1ノルムは成分の絶対値の和: ‖x‖₁ = Σ|xᵢ|",
        "各成分の絶対値: "
        + ", ".join(f"|{num(v)}| = {num(a)}" for v, a in zip(x, abs_x, strict=True)),
        f"和: ‖x‖₁ = {' + '.join(num(a) for a in abs_x)} = {num(answer)}",
    ]
    prompt = f"ベクトル x = {vec(x)} の L1ノルム ‖x‖₁ を求めよ。"
    if level == "calc":
        prompt += CALC_NOTE
    squares = sum(v * v for v in x)
    traps = [
        (SUM_WITHOUT_ABS, sum(x)),
        (SQUARED_SUM, squares),
        (MAX_ABS, max(abs_x)),
        (ABS_OF_SUM, abs(sum(x))),
        (COUNT_NONZERO, sum(1 for v in x if v != 0)),
        (USED_L2, math.sqrt(squares)),
    ]
    return Draft(prompt, {"x": x}, answer, steps, traps)


def l2_norm(rng: Rand, level: str) -> Draft | None:
    """‖x‖₂ = √(Σxᵢ²); at "hand" the length is a whole number (or a multiple of 0.1/0.5)."""
    if level == "calc":
        x = [float(rng.integer(-12, 12)) for _ in range(rng.integer(3, 6))]
        if not any(x):
            return None
    else:
        base = rng.choice(_pythagorean())
        scale = rng.choice((1.0, 1.0, 1.0, 1.0, 0.5, 0.1))
        x = [rng.sign() * v * scale for v in rng.shuffled(base)]
        if rng.chance(0.25) and len(x) < 4:
            x.insert(rng.below(len(x) + 1), 0.0)
    answer = engine.l2_norm(x)
    squares = [v * v for v in x]
    total = sum(squares)
    steps = [
        "L2ノルムは二乗和の平方根: ‖x‖₂ = √(Σxᵢ²)",
        "各成分の二乗: "
        + ", ".join(f"{par(v)}² = {num(s)}" for v, s in zip(x, squares, strict=True)),
        f"二乗和: Σxᵢ² = {' + '.join(num(s) for s in squares)} = {num(total)}",
        f"平方根: ‖x‖₂ = √{num(total)} {eq(answer)}",
    ]
    prompt = f"ベクトル x = {vec(x)} の L2ノルム ‖x‖₂ を求めよ。"
    if level == "calc":
        prompt += CALC_NOTE
    traps = [
        (FORGOT_SQRT, total),
        (USED_L1, sum(abs(v) for v in x)),
        (MAX_ABS, max(abs(v) for v in x)),
        (SQUARE_OF_SUM, abs(sum(x))),
        (HALF_SQUARED, total / 2),
    ]
    return Draft(prompt, {"x": x}, answer, steps, traps)


def linf_norm(rng: Rand, level: str) -> Draft | None:
    """‖x‖∞ = max|xᵢ|, with the largest magnitude on a negative entry half of the time."""
    x = _draw_vector(rng, level, halves=False)
    abs_x = [abs(v) for v in x]
    top = max(abs_x)
    if abs_x.count(top) > 1 or not _mixed_signs(x):
        return None
    answer = engine.norm(x, np.inf)
    where = abs_x.index(top) + 1
    steps = [
        "L∞ノルム（最大値ノルム）は成分の絶対値の最大値: ‖x‖∞ = maxᵢ|xᵢ|"
        "（Lpノルム (Σ|xᵢ|ᵖ)^(1/p) の p → ∞ の極限）",
        "各成分の絶対値: "
        + ", ".join(f"|{num(v)}| = {num(a)}" for v, a in zip(x, abs_x, strict=True)),
        f"最大は第{where}成分 x{sub(where)} = {num(x[where - 1])} の絶対値: ‖x‖∞ = {num(answer)}",
    ]
    prompt = f"ベクトル x = {vec(x)} の L∞ノルム（最大値ノルム）‖x‖∞ を求めよ。"
    if level == "calc":
        prompt += CALC_NOTE
    traps = [
        (MAX_SIGNED, max(x)),
        (LINF_USED_L1, sum(abs_x)),
        (MIN_ABS, min(abs_x)),
        (LINF_USED_L2, math.sqrt(sum(v * v for v in x))),
        (LINF_ABS_OF_SUM, abs(sum(x))),
    ]
    return Draft(prompt, {"x": x}, answer, steps, traps)


__all__ = ["l1_norm", "l2_norm", "linf_norm"]
