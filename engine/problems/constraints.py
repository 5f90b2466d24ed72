"""Elastic Net on an orthonormal design, and the max-norm projection.

Elastic Net is posed on designs with XᵀX = I exactly in floating point: the columns are
made of entries 0, ±1 and ±0.5 (columns of a 4×4 Hadamard matrix halved, unit columns,
and the two side by side on disjoint rows), rows permuted and columns sign-flipped. Then
Σ(yᵢ − wᵀxᵢ)² + λ₁Σ|wⱼ| + λ₂Σwⱼ² = yᵀy + Σⱼ [(1 + λ₂)wⱼ² − 2zⱼwⱼ + λ₁|wⱼ|] with z = Xᵀy,
and each coordinate is least at wⱼ = S(zⱼ, λ₁/2) / (1 + λ₂): the Lasso's soft threshold,
then the Ridge's shrink. The answer comes from ``engine.elastic_net`` (coordinate
descent); the closed form picks data with nice answers, writes the steps and is compared
with the engine's answer on every draw.

Max-norm projects a weight vector onto the ball ‖w‖₂ ≤ c: w·min(1, c/‖w‖₂). At level
"hand" w is an integer vector of whole-number length (3-4-5, 1-2-2-3 …), so the ratio
c/‖w‖₂ and the answer terminate; both cases are drawn, inside the ball (w unchanged) and
outside (w rescaled to length c).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import engine
from engine.problems._model import Draft, Trap
from engine.problems._util import (
    CALC_NOTE,
    Rand,
    eq,
    eq_vec,
    is_nice,
    mat,
    num,
    par,
    sign,
    vec,
)
from engine.problems.linear import _gram_lines, soft_threshold_lines
from engine.problems.norms import _pythagorean

Matrix = list[list[float]]

# ------------------------------------------------------------------ misconceptions
EN_LAMBDA = Trap(
    "threshold-lambda1-not-half",
    "λ₁/2 ではなく λ₁ でしきい値処理した",
    "二乗誤差 Σ(yᵢ − wᵀxᵢ)² に ½ が付いていないので、wⱼ で微分すると "
    "2(1 + λ₂)wⱼ − 2zⱼ + λ₁·sign(wⱼ) = 0 となり、しきい値は λ₁/2 です"
    "（½Σ(yᵢ − wᵀxᵢ)² の流儀ならしきい値は λ₁）。",
)
EN_FORGOT_SHRINK = Trap(
    "forgot-ridge-shrink",
    "1/(1 + λ₂) の縮小を忘れた",
    "S(zⱼ, λ₁/2) で止めています。これは λ₂ = 0 のラッソの解です。L2 の項 λ₂wⱼ² があると"
    "二次の係数が 1 + λ₂ になるので、しきい値処理のあと 1 + λ₂ で割ります。",
)
EN_IGNORED_L1 = Trap(
    "ignored-l1-term",
    "L1 の項を無視した（リッジ回帰の解）",
    "zⱼ / (1 + λ₂) はリッジ回帰（λ₁ = 0）の解です。L1 の項があると先にしきい値 λ₁/2 で"
    "ソフト閾値処理し、|zⱼ| ≤ λ₁/2 の成分はちょうど 0 になります。",
)
EN_DIVIDE_FIRST = Trap(
    "divided-before-threshold",
    "1 + λ₂ で割ってからしきい値 λ₁/2 を引いた",
    "順番を入れ替えるなら、しきい値も割って λ₁/(2(1 + λ₂)) にする必要があります: "
    "S(zⱼ, λ₁/2) / (1 + λ₂) = S(zⱼ/(1 + λ₂), λ₁/(2(1 + λ₂)))。",
)
EN_DOUBLE_LAMBDA2 = Trap(
    "double-lambda2",
    "分母を 1 + 2λ₂ にした（微分の 2 を片方だけ残した）",
    "λ₂wⱼ² の微分 2λ₂wⱼ と二乗誤差の微分 2(wⱼ − zⱼ) の 2 は打ち消し合います。"
    "分母は 1 + 2λ₂ ではなく 1 + λ₂ です。",
)
EN_NO_CLIP = Trap(
    "no-clip-at-zero",
    "0 で止めなかった",
    "(zⱼ − (λ₁/2)·sign(zⱼ)) / (1 + λ₂) をそのまま使っています。|zⱼ| ≤ λ₁/2 の成分は 0 で"
    "止まります（符号は反転しません）。L1 の項が残すスパース性はここから来ます。",
)
EN_OLS = Trap(
    "ignored-penalty",
    "正則化を無視した（最小二乗解）",
    "z = Xᵀy は XᵀX = I のときの最小二乗解（λ₁ = λ₂ = 0）です。Elastic Net は L1 の"
    "しきい値処理と L2 の縮小の両方をかけます: wⱼ = S(zⱼ, λ₁/2) / (1 + λ₂)。",
)

MN_L1 = Trap(
    "scaled-by-l1-norm",
    "L1ノルムで割った",
    "c/‖w‖₁ で縮めています。max-norm 制約は L2ノルムの球 ‖w‖₂ ≤ c への射影なので、"
    "倍率は min(1, c/‖w‖₂) です（‖w‖₂ = √(Σwⱼ²)）。",
)
MN_CLIP = Trap(
    "clipped-each-component",
    "成分ごとに [−c, c] へクリップした",
    "各成分を ±c で切っています（これは L∞ の箱への射影で、向きが変わります）。"
    "max-norm はベクトル全体の長さ ‖w‖₂ を c に抑え、向きはそのまま w·c/‖w‖₂ と縮めます。",
)
MN_ALWAYS = Trap(
    "rescaled-inside-the-ball",
    "球の内側でも長さを c にした",
    "w·c/‖w‖₂ を常に使っています。max-norm は制約を破ったときだけ射影します: "
    "‖w‖₂ ≤ c なら min(1, c/‖w‖₂) = 1 で w はそのままです（長さをそろえる正規化とは別物）。",
)
MN_SQUARED = Trap(
    "used-squared-norm",
    "‖w‖₂² で割った",
    "c/‖w‖₂² を倍率にしています。制約は長さ ‖w‖₂ ≤ c なので、倍率は c/‖w‖₂ です"
    "（ノルムの二乗 ‖w‖₂² は L2正則化の項に出てくる形です）。",
)
MN_IGNORED = Trap(
    "ignored-constraint",
    "射影しなかった",
    "w をそのまま答えています。‖w‖₂ > c で制約を破っているので、w·c/‖w‖₂ に縮めて"
    "長さをちょうど c にします。",
)
MN_UNIT = Trap(
    "normalised-to-unit-length",
    "長さ 1 に正規化した（c を忘れた）",
    "w/‖w‖₂ は長さ 1 の単位ベクトルです。max-norm は半径 c の球への射影 w·min(1, c/‖w‖₂) で、"
    "外に出たときの長さは 1 ではなく c になります。",
)
MN_SUBTRACT = Trap(
    "subtracted-excess",
    "はみ出た分を各成分から引いた",
    "各成分の大きさから ‖w‖₂ − c を引いています（ソフト閾値処理と混同）。max-norm は引き算ではなく"
    "掛け算で、全成分に同じ倍率 c/‖w‖₂ を掛けて向きを保ちます。",
)


# ------------------------------------------------------------------ orthonormal designs
def _hadamard4() -> Matrix:
    h = [[1.0]]
    for _ in range(2):
        h = [row + row for row in h] + [row + [-v for v in row] for row in h]
    return [[v / 2 for v in row] for row in h]


_H4_HALF = _hadamard4()


def _orthonormal_design(rng: Rand, level: str) -> Matrix:
    """X with XᵀX = I exactly: entries 0, ±0.5, ±1; rows permuted, columns sign-flipped."""
    shape = rng.integer(0, 5) if level == "hand" else rng.integer(0, 2)
    if shape <= 2:  # columns of the halved 4×4 Hadamard matrix
        d = rng.choice((2, 2, 3) if level == "hand" else (3, 4))
        cols = rng.shuffled(range(4))[:d]
        base = [[row[j] for j in cols] for row in _H4_HALF]
    elif shape == 3:  # a unit column beside a column of four halves, on disjoint rows
        base = [[1.0, 0.0]] + [[0.0, 0.5]] * 4
    elif shape == 4:  # two halved-Hadamard columns beside a unit column
        pair = rng.shuffled(range(4))[:2]
        h = [[row[j] for j in pair] for row in _H4_HALF]
        base = [[0.0, 0.0, 1.0]] + [[*row, 0.0] for row in h]
    else:  # unit columns: each coefficient sees one sample (and a spare row)
        base = [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]]
    flips = [rng.sign() for _ in base[0]]
    order = rng.shuffled(range(len(base[0])))
    return [[row[j] * flips[j] for j in order] for row in rng.shuffled(base)]


def _soft(z: float, t: float) -> float:
    return sign(z) * max(abs(z) - t, 0.0)


def _en_closed(b: Sequence[float], lam1: float, lam2: float) -> list[float]:
    return [_soft(v, lam1 / 2) / (1 + lam2) for v in b]


# ------------------------------------------------------------------ generators
def elastic_net(rng: Rand, level: str) -> Draft | None:
    """Elastic Net on XᵀX = I, with λ₁ chosen so that some coefficients are exactly 0."""
    X = _orthonormal_design(rng, level)
    n, d = len(X), len(X[0])
    top = 9 if level == "calc" else 6
    y = [float(rng.integer(-top, top)) for _ in range(n)]
    b = [sum(row[j] * v for row, v in zip(X, y, strict=True)) for j in range(d)]
    mags = sorted({abs(v) for v in b})
    if mags[-1] == 0:
        return None
    sparse = rng.chance(0.85)

    def fits(lam1: float) -> bool:
        """λ₁/2 below the largest |zⱼ|, on none of them, above one when a zero is wanted."""
        half = lam1 / 2
        return (half not in mags and half < mags[-1]
                and (not sparse or any(m < half for m in mags))
                and (level == "calc" or is_nice(_en_closed(b, lam1, lam2))))

    if level == "calc":  # λ₁ in tenths: a few draws (the range is wide and most fit)
        lam2 = rng.integer(1, 30) / 10
        draws = (rng.integer(2, max(2, int(20 * mags[-1]) - 1)) / 10 for _ in range(8))
        lam1 = next((v for v in draws if fits(v)), 0.0)
        if not lam1:
            return None
    else:
        lam2 = rng.choice((0.25, 0.5, 1.0, 1.0, 1.5, 3.0, 4.0))
        options = [float(k) for k in range(1, min(int(2 * mags[-1]), 12) + 1)]
        options = [v for v in options if fits(v)]
        if not options:
            return None
        lam1 = rng.choice(options)
    fit = engine.elastic_net(X, y, lam1, lam2)
    if not fit.converged:
        return None
    answer = fit.coef.tolist()
    closed = _en_closed(b, lam1, lam2)
    if max(abs(a - e) for a, e in zip(answer, closed, strict=True)) > 1e-9:
        raise RuntimeError(f"elastic-net: coordinate descent {answer} disagrees with {closed}")
    half, denom = lam1 / 2, 1 + lam2

    def steps() -> list[str]:
        lines, _ = _gram_lines(X, y)
        out = [
            "最小化する目的関数: Σ(yᵢ − wᵀxᵢ)² + λ₁Σ|wⱼ| + λ₂Σwⱼ² "
            "= ‖y − Xw‖² + λ₁‖w‖₁ + λ₂‖w‖₂²",
            *lines,
            "XᵀX = I なので目的関数は成分ごとに分かれる（z = Xᵀy）: "
            "Σⱼ [(1 + λ₂)wⱼ² − 2zⱼwⱼ + λ₁|wⱼ|] + yᵀy。wⱼ で微分して 0 とおくと "
            "2(1 + λ₂)wⱼ − 2zⱼ + λ₁·sign(wⱼ) = 0 より wⱼ = S(zⱼ, λ₁/2) / (1 + λ₂)"
            "（S はソフト閾値関数 S(z, t) = sign(z)·max(|z| − t, 0)：L1 でしきい値処理し、"
            "L2 で縮める）",
            f"しきい値 λ₁/2 = {num(lam1)}/2 = {num(half)}、"
            f"縮小の分母 1 + λ₂ = 1 + {num(lam2)} = {num(denom)}",
        ]
        out += soft_threshold_lines(b, answer, half,
                                    lambda bj: f"S({num(bj)}, {num(half)}) / {num(denom)}",
                                    num(denom))
        out.append(
            f"よって w {eq_vec(answer)}（L1 の項で小さい成分がちょうど 0 になり、"
            f"残りは L2 の項で 1/{num(denom)} 倍に縮む）"
        )
        return out

    traps = [
        (EN_LAMBDA, _en_closed(b, 2 * lam1, lam2)),
        (EN_FORGOT_SHRINK, _en_closed(b, lam1, 0.0)),
        (EN_IGNORED_L1, _en_closed(b, 0.0, lam2)),
        (EN_DIVIDE_FIRST, [_soft(v / denom, half) for v in b]),
        (EN_DOUBLE_LAMBDA2, _en_closed(b, lam1, 2 * lam2)),
        (EN_NO_CLIP, [(v - half * sign(v)) / denom for v in b]),
        (EN_OLS, list(b)),
    ]
    prompt = (
        f"X = {mat(X)}, y = {vec(y)}, λ₁ = {num(lam1)}, λ₂ = {num(lam2)} とする（切片なし）。"
        "Elastic Net の目的関数 Σ(yᵢ − wᵀxᵢ)² + λ₁Σ|wⱼ| + λ₂Σwⱼ² を最小にする w を求めよ"
        "（X の列は正規直交で XᵀX = I）。"
    )
    if level == "calc":
        prompt += CALC_NOTE
    return Draft(prompt, {"X": X, "y": y, "lam1": lam1, "lam2": lam2}, answer, steps, traps)


def _max_norm_traps(w: Sequence[float], c: float) -> list[tuple[Trap, list[float]]]:
    l2 = math.sqrt(sum(v * v for v in w))
    l1 = sum(abs(v) for v in w)

    def scaled(factor: float) -> list[float]:
        return [v * factor for v in w]

    return [
        (MN_L1, scaled(min(1.0, c / l1))),
        (MN_CLIP, [max(-c, min(c, v)) for v in w]),
        (MN_ALWAYS, scaled(c / l2)),
        (MN_SQUARED, scaled(min(1.0, c / (l2 * l2)))),
        (MN_IGNORED, list(w)),
        (MN_UNIT, scaled(1 / l2)),
        (MN_SUBTRACT, [sign(v) * max(abs(v) - (l2 - c), 0.0) for v in w]),
    ]


def _nice_options(w: Sequence[float], c: float, answer: Sequence[float]) -> int:
    """How many traps give a nice value that differs from the answer."""
    return sum(
        1
        for _, value in _max_norm_traps(w, c)
        if is_nice(value) and any(abs(a - v) > 1e-9 for a, v in zip(answer, value, strict=True))
    )


def max_norm(rng: Rand, level: str) -> Draft | None:
    """w·min(1, c/‖w‖₂): outside the ball (rescaled) about two times in three, else inside."""
    inside = rng.chance(0.3)
    if level == "calc":
        w = [float(rng.integer(-9, 9)) for _ in range(rng.integer(3, 5))]
        length = math.sqrt(sum(v * v for v in w))
        if length == 0:
            return None
        tenths = int(length * 10)
        if tenths <= 5:
            return None
        c = (rng.integer(tenths + 1, tenths + 40) if inside else rng.integer(5, tenths)) / 10
        if abs(c - length) < 1e-9:
            return None
    else:
        base = rng.choice([b for b in _pythagorean() if math.hypot(*b) <= 15])
        w = [rng.sign() * float(v) for v in rng.shuffled(base)]
        length = float(math.isqrt(int(sum(v * v for v in w))))
        if inside:
            candidates = [k / 2 for k in range(int(2 * length) + 1, int(2 * length) + 21)]
        else:
            candidates = [k / 2 for k in range(1, int(2 * length))]
        # c with a terminating answer and three nice wrong options; favour c for which the
        # headline mistake (the L1 norm) is one of them
        fits = [
            c for c in candidates
            if c <= 30
            and is_nice([v * min(1.0, c / length) for v in w])
            and _nice_options(w, c, [v * min(1.0, c / length) for v in w]) >= 3
        ]
        if not fits:
            return None
        l1 = sum(abs(v) for v in w)
        headline = [c for c in fits if is_nice([v * min(1.0, c / l1) for v in w])]
        c = rng.choice(headline if headline and rng.chance(0.7) else fits)
    answer = engine.max_norm(w, c).tolist()
    ratio = min(1.0, c / length)
    direct = [v * ratio for v in w]
    if max(abs(a - e) for a, e in zip(answer, direct, strict=True)) > 1e-9:
        raise RuntimeError(f"max-norm: engine {answer} disagrees with {direct}")
    squares = sum(v * v for v in w)

    def steps() -> list[str]:
        out = [
            "max-norm 制約: 更新後の重み w を半径 c の L2 球 {w : ‖w‖₂ ≤ c} に射影する。"
            "w ← w·min(1, c/‖w‖₂)（内側ならそのまま、外側なら向きを保って長さを c にする）",
            f"‖w‖₂ = √({' + '.join(f'{par(v)}²' for v in w)}) = √{num(squares)} {eq(length)}",
        ]
        if length <= c:
            out.append(
                f"‖w‖₂ = {num(length)} ≤ c = {num(c)} なので w は球の内側: "
                f"min(1, c/‖w‖₂) = 1 で w は変わらない"
            )
            out.append(
                f"よって w {eq_vec(answer)}（L2正則化と違い、制約を満たす重みは縮めない）"
            )
            return out
        out.append(
            f"‖w‖₂ = {num(length)} > c = {num(c)} なので w は球の外: "
            f"倍率 c/‖w‖₂ = {num(c)}/{num(length)} {eq(ratio)}"
        )
        out.append(
            "各成分に同じ倍率を掛ける: "
            + ", ".join(f"{par(v)}×{num(ratio)} {eq(a)}" for v, a in zip(w, answer, strict=True))
        )
        out.append(f"よって w {eq_vec(answer)}（向きはそのまま、長さはちょうど c = {num(c)}）")
        return out

    prompt = (
        f"重みベクトル w = {vec(w)} に max-norm 制約 ‖w‖₂ ≤ c（c = {num(c)}）をかける。"
        "更新後に w を半径 c の L2 球へ射影したあとの w を求めよ。"
    )
    if level == "calc":
        prompt += CALC_NOTE
    return Draft(prompt, {"w": w, "c": c}, answer, steps, _max_norm_traps(w, c))


__all__ = ["elastic_net", "max_norm"]
