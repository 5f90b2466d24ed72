"""Regularized-loss problems: L = L_data + λ·R(w), and the gradient of λ·R(w) at a point.

Conventions are the source notes': the L1 term is λΣ|wⱼ| and the L2 term λΣwⱼ² (no ½).
"""

from __future__ import annotations

import math

import engine
from engine.problems._model import Draft, Trap
from engine.problems._util import (
    CALC_NOTE,
    Rand,
    is_nice,
    num,
    par,
    sign,
    vec,
)
from engine.problems.norms import _pythagorean

# ------------------------------------------------------------------ misconceptions
L1_USED_L2 = Trap(
    "used-l2-penalty",
    "L2正則化（二乗和）と混同",
    "Σwⱼ²（二乗和）を使っています。L1正則化の罰則は絶対値の和 Σ|wⱼ| です。",
)
L1_SUM_WITHOUT_ABS = Trap(
    "sum-without-abs",
    "絶対値を取り忘れた",
    "Σwⱼ をそのまま足しています。L1正則化の罰則は Σ|wⱼ| で、負の重みも大きさとして罰します。",
)
FORGOT_DATA_LOSS = Trap(
    "forgot-data-loss",
    "正則化項だけを答えた",
    "求めるのは正則化した損失 L = L_data + λ·R(w) 全体です。正則化項 λ·R(w) だけでなく、"
    "データ損失 L_data を足します。",
)
FORGOT_LAMBDA = Trap(
    "forgot-lambda",
    "正則化係数 λ を掛け忘れた",
    "罰則 R(w) に正則化係数 λ を掛けていません。λ は罰則の強さを決めるハイパーパラメータで、"
    "L = L_data + λ·R(w) です。",
)
L1_HALF_LAMBDA = Trap(
    "half-lambda",
    "λ/2 を掛けた",
    "λ/2 を掛けています。この問題の L1正則化は λΣ|wⱼ|（½ なし）です。"
    "½ が付くのは L2 で (λ/2)‖w‖² と書く流儀のときです。",
)
L2_USED_L1 = Trap(
    "used-l1-penalty",
    "L1正則化（絶対値の和）と混同",
    "Σ|wⱼ|（絶対値の和）を使っています。L2正則化の罰則は二乗和 Σwⱼ² です。",
)
L2_USED_NORM = Trap(
    "used-l2-norm-not-squared",
    "‖w‖₂（平方根あり）を使った",
    "√(Σwⱼ²) = ‖w‖₂ を使っています。L2正則化の罰則は二乗したままの Σwⱼ² = ‖w‖₂² で、"
    "平方根は取りません。",
)
L2_HALF_LAMBDA = Trap(
    "half-lambda",
    "(λ/2)Σwⱼ² の形と混同",
    "λ/2 を掛けています。この問題の L2正則化は λΣwⱼ²（½ なし）です。"
    "(λ/2)‖w‖² と書く流儀もあるので、問題の式の係数を確かめましょう。",
)
L2_SQUARE_OF_SUM = Trap(
    "square-of-sum",
    "二乗の和ではなく和の二乗を使った",
    "(Σwⱼ)² を使っています。罰則は各重みを二乗してから足す Σwⱼ² です。",
)

L1_GRAD_USED_L2 = Trap(
    "used-l2-gradient",
    "L2 の勾配 2λw と混同",
    "2λwⱼ は L2正則化 λΣwⱼ² の勾配です。λΣ|wⱼ| の勾配は λ·sign(wⱼ) で、"
    "重みの大きさに依らず一定の強さで 0 へ押します。",
)
L1_GRAD_LAM_W = Trap(
    "lambda-times-w",
    "|wⱼ| の微分を wⱼ とした",
    "|wⱼ| の微分は wⱼ ではなく sign(wⱼ)（+1 か −1）です。勾配は λ·sign(wⱼ) になります。",
)
L1_GRAD_NO_SIGN = Trap(
    "forgot-sign",
    "符号を落とした",
    "どの成分にも +λ を付けています。|wⱼ| の傾きは wⱼ < 0 で −1 なので、負の重みの勾配は −λ です。",
)
L1_GRAD_ZERO = Trap(
    "subgradient-at-zero",
    "wⱼ = 0 の勾配を λ とした",
    "|wⱼ| は wⱼ = 0 で微分できず、劣勾配は [−λ, λ] の範囲です。"
    "慣例（sign(0) = 0）どおり 0 を使います。",
)
GRAD_NEGATED = Trap(
    "negated-gradient",
    "更新方向（負の勾配）を答えた",
    "−∂R/∂w は勾配降下で重みを動かす向きです。問われているのは勾配 ∂R/∂w そのものです。",
)
L2_GRAD_FORGOT_TWO = Trap(
    "forgot-factor-two",
    "wⱼ² の微分の 2 を落とした",
    "λwⱼ² の微分は 2λwⱼ です。λwⱼ は (λ/2)‖w‖² と書いたときの勾配なので、"
    "罰則の係数を確かめましょう。",
)
L2_GRAD_USED_L1 = Trap(
    "used-l1-gradient",
    "L1 の勾配 λ·sign(w) と混同",
    "λ·sign(wⱼ) は L1正則化の勾配です。λΣwⱼ² の勾配は 2λwⱼ で、重みに比例します。",
)
L2_GRAD_VALUE = Trap(
    "penalty-not-gradient",
    "微分せずに罰則の値を答えた",
    "λwⱼ² は罰則の値（成分ごと）です。勾配はそれを wⱼ で微分した 2λwⱼ です。",
)


# ------------------------------------------------------------------ data
def _weights(rng: Rand, level: str) -> list[float]:
    if level == "calc":
        return [rng.integer(-40, 40) / 10 for _ in range(rng.integer(5, 8))]
    step = 0.5 if rng.chance(0.3) else 1.0
    return [rng.integer(-5, 5) * step for _ in range(rng.integer(3, 4))]


def _lambda(rng: Rand, level: str) -> float:
    if level == "calc":
        return rng.choice((0.003, 0.01, 0.025, 0.05, 0.1, 0.3))
    return rng.choice((0.01, 0.05, 0.1, 0.1, 0.2, 0.5, 1.0, 2.0))


def _data_loss(rng: Rand, level: str) -> float:
    if level == "calc":
        return rng.integer(100, 5000) / 1000
    if rng.chance(0.3):
        return rng.integer(10, 300) / 100
    return rng.integer(2, 40) / 10


def _prompt(
    kind_ja: str, term: str, data_loss: float, lam: float, w: list[float], level: str
) -> str:
    text = (
        f"損失関数に{kind_ja}の項を加えた L = L_data + {term} を考える。"
        f"L_data = {num(data_loss)}, λ = {num(lam)}, w = {vec(w)} のとき、L を求めよ。"
    )
    return text + (CALC_NOTE if level == "calc" else "")


# ------------------------------------------------------------------ generators
def l1_penalty(rng: Rand, level: str) -> Draft | None:
    """L = L_data + λΣ|wⱼ| for a weight vector with a negative entry."""
    w = _weights(rng, level)
    lam = _lambda(rng, level)
    data_loss = _data_loss(rng, level)
    if not any(v < 0 for v in w):
        return None
    answer = engine.regularized_loss(data_loss, w, lam, "l1")
    if level == "hand" and not is_nice(answer):
        return None
    abs_w = [abs(v) for v in w]
    total = sum(abs_w)
    term = lam * total
    steps = [
        "L1正則化した損失: L = L_data + λΣ|wⱼ|",
        f"Σ|wⱼ| = {' + '.join(f'|{num(v)}|' for v in w)} = "
        f"{' + '.join(num(a) for a in abs_w)} = {num(total)}",
        f"λΣ|wⱼ| = {num(lam)} × {num(total)} = {num(term)}",
        f"L = {num(data_loss)} + {num(term)} = {num(answer)}",
    ]
    squares = sum(v * v for v in w)
    traps = [
        (L1_USED_L2, data_loss + lam * squares),
        (L1_SUM_WITHOUT_ABS, data_loss + lam * sum(w)),
        (FORGOT_DATA_LOSS, term),
        (FORGOT_LAMBDA, data_loss + total),
        (L1_HALF_LAMBDA, data_loss + lam / 2 * total),
    ]
    data = {"w": w, "lam": lam, "data_loss": data_loss}
    return Draft(
        _prompt("L1正則化", "λΣ|wⱼ|", data_loss, lam, w, level), data, answer, steps, traps
    )


def l2_penalty(rng: Rand, level: str) -> Draft | None:
    """L = L_data + λΣwⱼ²; half of the "hand" weights have a whole-number length ‖w‖₂."""
    if level == "hand" and rng.chance(0.5):
        base = [v for v in rng.choice(_pythagorean()) if v <= 6]
        if len(base) < 2:
            return None
        w = [rng.sign() * float(v) for v in rng.shuffled(base)]
    else:
        w = _weights(rng, level)
    lam = _lambda(rng, level)
    data_loss = _data_loss(rng, level)
    if not any(w):
        return None
    answer = engine.regularized_loss(data_loss, w, lam, "l2")
    if level == "hand" and not is_nice(answer):
        return None
    squares = [v * v for v in w]
    total = sum(squares)
    term = lam * total
    steps = [
        "L2正則化した損失: L = L_data + λΣwⱼ²",
        f"Σwⱼ² = {' + '.join(f'{par(v)}²' for v in w)} = "
        f"{' + '.join(num(s) for s in squares)} = {num(total)}",
        f"λΣwⱼ² = {num(lam)} × {num(total)} = {num(term)}",
        f"L = {num(data_loss)} + {num(term)} = {num(answer)}",
    ]
    traps = [
        (L2_USED_L1, data_loss + lam * sum(abs(v) for v in w)),
        (L2_USED_NORM, data_loss + lam * math.sqrt(total)),
        (L2_HALF_LAMBDA, data_loss + lam / 2 * total),
        (FORGOT_DATA_LOSS, term),
        (FORGOT_LAMBDA, data_loss + total),
        (L2_SQUARE_OF_SUM, data_loss + lam * sum(w) ** 2),
    ]
    data = {"w": w, "lam": lam, "data_loss": data_loss}
    return Draft(_prompt("L2正則化", "λΣwⱼ²", data_loss, lam, w, level), data, answer, steps, traps)


def penalty_gradient(rng: Rand, level: str) -> Draft | None:
    """The gradient of λΣ|wⱼ| (a subgradient, 0 at wⱼ = 0) or of λΣwⱼ² at a point."""
    kind = "l1" if rng.chance(0.5) else "l2"
    w = _weights(rng, level)
    if level == "hand" and rng.chance(0.6) and 0.0 not in w:
        w[rng.below(len(w))] = 0.0
    lam = _lambda(rng, level)
    if not any(v > 0 for v in w) or not any(v < 0 for v in w):
        return None
    signs = [sign(v) for v in w]
    if kind == "l1":
        answer = engine.l1_gradient(w, lam).tolist()
        steps = [
            "正則化項 λR(w) = λΣ|wⱼ| の wⱼ による（劣）勾配: ∂(λR)/∂wⱼ = λ·sign(wⱼ)"
            "（wⱼ = 0 では微分できないので劣勾配として 0 を使う）",
            f"sign(w) = {vec(signs)}",
            f"λ·sign(w) = {num(lam)} × {vec(signs)} = {vec(answer)}",
            "L1 の勾配の大きさは重みの大きさに依らず λ で一定なので、"
            "小さな重みも 0 まで押し込まれる（スパースになる）。",
        ]
        term, name = "λΣ|wⱼ|", "L1正則化"
        traps = [
            (L1_GRAD_USED_L2, [2 * lam * v for v in w]),
            (L1_GRAD_LAM_W, [lam * v for v in w]),
            (L1_GRAD_NO_SIGN, [lam * abs(s) for s in signs]),
            (L1_GRAD_ZERO, [lam * (s if s else 1) for s in signs]),
            (GRAD_NEGATED, [-lam * s for s in signs]),
        ]
    else:
        answer = engine.l2_gradient(w, lam).tolist()
        steps = [
            "正則化項 λR(w) = λΣwⱼ² の勾配: ∂(λR)/∂wⱼ = 2λwⱼ",
            f"2λ = 2 × {num(lam)} = {num(2 * lam)}",
            f"2λw = {num(2 * lam)} × {vec(w)} = {vec(answer)}",
            "L2 の勾配は重みに比例するので、0 に近い重みほど押す力が弱まり、"
            "ちょうど 0 にはなりにくい。",
        ]
        term, name = "λΣwⱼ²", "L2正則化"
        traps = [
            (L2_GRAD_FORGOT_TWO, [lam * v for v in w]),
            (L2_GRAD_USED_L1, [lam * s for s in signs]),
            (L2_GRAD_VALUE, [lam * v * v for v in w]),
            (GRAD_NEGATED, [-2 * lam * v for v in w]),
        ]
    prompt = (
        f"{name}の正則化項 λR(w) = {term}（λ = {num(lam)}）について、w = {vec(w)} における"
        "勾配 ∂(λR)/∂w を求めよ。"
    )
    if kind == "l1":
        prompt += "wⱼ = 0 の成分は劣勾配として 0 を用いる。"
    if level == "calc":
        prompt += CALC_NOTE
    return Draft(prompt, {"w": w, "lam": lam, "penalty": kind}, answer, steps, traps)
