"""Soft thresholding, Lasso and Ridge problems.

Lasso and Ridge are posed on orthogonal designs, XᵀX = c·I (columns of a small Hadamard
or rotation-like matrix, rows permuted and columns sign-flipped), where the objective
Σ(yᵢ − wᵀxᵢ)² + λ·R(w) = yᵀy − 2wᵀXᵀy + c‖w‖² + λ·R(w) splits into one problem per
coordinate and the closed forms hold:

* Lasso: c·wⱼ² − 2bⱼwⱼ + λ|wⱼ| is least at wⱼ = S(bⱼ, λ/2) / c, with b = Xᵀy;
* Ridge: c·wⱼ² − 2bⱼwⱼ + λwⱼ² is least at wⱼ = bⱼ / (c + λ).

The answers themselves come from ``engine.lasso`` (coordinate descent) and
``engine.ridge`` (a linear solve); the closed forms only pick data with nice answers and
write the worked solution. Ridge at level "calc" uses a general X and no closed form.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

import engine
from engine.problems._model import Draft, Trap
from engine.problems._util import (
    CALC_NOTE,
    Rand,
    dot_terms,
    eq,
    eq_vec,
    is_nice,
    mat,
    num,
    sign,
    sub,
    vec,
)

Matrix = list[list[float]]

# ------------------------------------------------------------------ misconceptions
ST_FORGOT_SIGN = Trap(
    "forgot-sign",
    "符号を落とした",
    "max(|z| − t, 0) で止めています。ソフト閾値関数は S(z, t) = sign(z)·max(|z| − t, 0) で、"
    "負の z は負のまま 0 に t だけ近づきます。",
)
ST_HARD = Trap(
    "hard-threshold",
    "ハード閾値処理と混同",
    "|z| ≤ t を 0 にしただけで、残りを z のまま残しています（ハード閾値処理）。"
    "ソフト閾値処理は残る成分も t だけ 0 に近づけます。",
)
ST_NO_CLIP = Trap(
    "no-clip-at-zero",
    "0 で止めなかった",
    "z − t·sign(z) をそのまま使っています。|z| ≤ t のときは 0 で止めるので S(z, t) = 0 です"
    "（符号が反転することはありません）。",
)
ST_ONE_SIDED = Trap(
    "one-sided",
    "正の側だけ考えた（ReLU と混同）",
    "max(z − t, 0) は正の側しか扱いません。負の z は z + t（ただし 0 を超えない）になります。",
)
ST_HALF = Trap(
    "half-threshold",
    "しきい値を t/2 にした",
    "しきい値を半分にしています。S(z, t) のしきい値は t そのものです"
    "（Lasso で λ/2 が出てくるのは、二乗誤差に ½ が付いていないためです）。",
)
ST_DOUBLE = Trap(
    "double-threshold",
    "しきい値を 2t にした",
    "しきい値を 2 倍にしています。S(z, t) は |z| から t を一度だけ引きます。",
)
ST_EXPAND = Trap(
    "shift-away-from-zero",
    "0 から遠ざける向きにずらした",
    "z + t·sign(z) は 0 から遠ざかっています。"
    "ソフト閾値処理は大きさを t だけ縮めます（0 に近づける）。",
)

LASSO_LAMBDA = Trap(
    "threshold-lambda-not-half",
    "λ/2 ではなく λ でしきい値処理した",
    "二乗誤差 Σ(yᵢ − wᵀxᵢ)² に ½ が付いていないので、wⱼ で微分すると "
    "2c·wⱼ − 2(Xᵀy)ⱼ + λ·sign(wⱼ) = 0 となり、しきい値は λ/2 です"
    "（½Σ(yᵢ − wᵀxᵢ)² の流儀ならしきい値は λ）。",
)
LASSO_FORGOT_C = Trap(
    "forgot-divide-by-c",
    "XᵀX = cI の c で割り忘れた",
    "しきい値処理のあと c で割っていません。XᵀX = cI のとき wⱼ = S((Xᵀy)ⱼ, λ/2) / c です"
    "（c = 1 になるのは各列の二乗和が 1 のときだけです）。",
)
LASSO_OLS = Trap(
    "ignored-penalty",
    "正則化を無視した（最小二乗解）",
    "(Xᵀy)ⱼ / c は λ = 0 の最小二乗解です。L1 罰則があると、まずしきい値 λ/2 でソフト閾値処理し、"
    "小さい成分はちょうど 0 になります。",
)
LASSO_FORGOT_SIGN = Trap(
    "forgot-sign",
    "符号を落とした",
    "max(|(Xᵀy)ⱼ| − λ/2, 0) / c で符号を落としています。負の (Xᵀy)ⱼ からは負の wⱼ が出ます。",
)
LASSO_RIDGE = Trap(
    "used-ridge-formula",
    "リッジ回帰の公式を使った",
    "(Xᵀy)ⱼ / (c + λ) はリッジ回帰（L2）の解です。ラッソ回帰（L1）はソフト閾値処理 "
    "S((Xᵀy)ⱼ, λ/2) / c で、ちょうど 0 になる成分が出ます。",
)
LASSO_NO_CLIP = Trap(
    "no-clip-at-zero",
    "0 で止めなかった",
    "((Xᵀy)ⱼ − (λ/2)·sign((Xᵀy)ⱼ)) / c をそのまま使っています。|(Xᵀy)ⱼ| ≤ λ/2 の成分は "
    "0 で止まります（符号は反転しません）。これがラッソのスパース性です。",
)
LASSO_DIVIDE_FIRST = Trap(
    "divided-before-threshold",
    "c で割ってからしきい値 λ/2 を引いた",
    "先に c で割るなら、しきい値も c で割って λ/(2c) にする必要があります: "
    "S((Xᵀy)ⱼ, λ/2) / c = S((Xᵀy)ⱼ / c, λ/(2c))。",
)

RIDGE_OLS = Trap(
    "ignored-penalty",
    "正則化を無視した（最小二乗解）",
    "(Xᵀy)ⱼ / c は λ = 0 の最小二乗解です。L2 罰則で分母に λ が加わり、"
    "w = (XᵀX + λI)⁻¹Xᵀy = Xᵀy / (c + λ) と縮小されます。",
)
RIDGE_OLS_GENERAL = Trap(
    "ignored-penalty",
    "正則化を無視した（最小二乗解）",
    "(XᵀX)⁻¹Xᵀy は λ = 0 の最小二乗解です。L2 罰則で XᵀX の対角に λ が加わり、"
    "w = (XᵀX + λI)⁻¹Xᵀy と縮小されます。",
)
RIDGE_HALF = Trap(
    "half-lambda",
    "λ/2 を足した（微分の 2 を片方だけ落とした）",
    "λΣwⱼ² の微分は 2λwⱼ、二乗誤差の微分は −2Xᵀ(y − Xw) です。両辺の 2 が打ち消し合い、"
    "(XᵀX + λI)w = Xᵀy になります。",
)
RIDGE_DOUBLE = Trap(
    "double-lambda",
    "2λ を足した（二乗誤差の微分の 2 を落とした）",
    "二乗誤差の微分 −2Xᵀ(y − Xw) の 2 を落とすと 2λ が残ります。正しくは (XᵀX + λI)w = Xᵀy です。",
)
RIDGE_FORGOT_C = Trap(
    "assumed-identity-gram",
    "XᵀX = I とみなした",
    "XᵀX = cI の c を 1 にしています。分母は c + λ です（c は各列の二乗和）。",
)
RIDGE_LASSO = Trap(
    "used-lasso-formula",
    "ラッソ回帰の公式を使った",
    "ソフト閾値処理 S((Xᵀy)ⱼ, λ/2) / c はラッソ回帰（L1）の解です。"
    "リッジ回帰（L2）は (Xᵀy)ⱼ / (c + λ) で、どの成分も 0 にはならず一様に縮みます。",
)
RIDGE_DIAGONAL = Trap(
    "ignored-off-diagonal",
    "XᵀX の非対角成分を無視した",
    "(Xᵀy)ⱼ / ((XᵀX)ⱼⱼ + λ) は XᵀX が対角のときだけ正しい式です。"
    "列が直交していないときは (XᵀX + λI)w = Xᵀy を連立方程式として解きます。",
)


# ------------------------------------------------------------------ orthogonal designs
def _hadamard(k: int) -> Matrix:
    h: Matrix = [[1.0]]
    for _ in range(k):
        h = [row + row for row in h] + [row + [-v for v in row] for row in h]
    return h


_H4 = _hadamard(2)
_H8 = _hadamard(3)
#: (square base matrix with orthogonal columns of equal squared length, columns to use)
_HAND_DESIGNS: tuple[tuple[Matrix, tuple[int, ...]], ...] = (
    ([[1.0, 1.0], [1.0, -1.0]], (2,)),
    ([[1.0, 2.0], [2.0, -1.0]], (2,)),
    ([[2.0, 0.0], [0.0, 2.0]], (2,)),
    ([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], (3,)),
    ([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, 1.0]], (2,)),
    (_H4, (2, 3)),
    ([[1.0, 2.0, 2.0], [2.0, 1.0, -2.0], [2.0, -2.0, 1.0]], (2, 3)),
)


def _orthogonal_design(rng: Rand, level: str) -> tuple[Matrix, int]:
    """A design X with XᵀX = c·I and its c: rows permuted, columns picked and sign-flipped."""
    if level == "calc":
        base, widths = _H8, (3, 4, 5)
    else:
        base, widths = rng.choice(_HAND_DESIGNS)
    d = rng.choice(widths)
    cols = rng.shuffled(range(len(base[0])))[:d]
    flips = [rng.sign() for _ in cols]
    rows = [[row[j] * f for j, f in zip(cols, flips, strict=True)] for row in rng.shuffled(base)]
    c = round(sum(r[0] * r[0] for r in rows))
    return rows, c


def _gram_lines(X: Matrix, y: Sequence[float]) -> tuple[list[str], list[float]]:
    """Steps computing XᵀX (diagonal c, zeros off it) and b = Xᵀy, with b."""
    d = len(X[0])
    cols = [[row[j] for row in X] for j in range(d)]
    norms = [sum(v * v for v in col) for col in cols]
    lines = [
        "XᵀX の対角成分（各列の二乗和）: "
        + ", ".join(
            f"x{sub(j + 1)}ᵀx{sub(j + 1)} = {dot_terms(col, col)} = {num(n)}"
            for j, (col, n) in enumerate(zip(cols, norms, strict=True))
        )
    ]
    pairs = [(i, j) for i in range(d) for j in range(i + 1, d)]
    cross = [sum(a * b for a, b in zip(cols[i], cols[j], strict=True)) for i, j in pairs]
    lines.append(
        "非対角成分（異なる列の内積）: "
        + ", ".join(
            f"x{sub(i + 1)}ᵀx{sub(j + 1)} = {num(v)}"
            for (i, j), v in zip(pairs, cross, strict=True)
        )
        + f" → XᵀX = {_times_identity(norms[0])}（列が直交）"
    )
    b = [sum(a * v for a, v in zip(col, y, strict=True)) for col in cols]
    lines.append(
        "Xᵀy: "
        + ", ".join(
            f"(Xᵀy){sub(j + 1)} = {dot_terms(col, y)} = {num(bj)}"
            for j, (col, bj) in enumerate(zip(cols, b, strict=True))
        )
    )
    return lines, b


def _times_identity(c: float) -> str:
    """``"4I"``, or ``"I"`` when c = 1."""
    return "I" if c == 1 else f"{num(c)}I"


def soft_threshold_lines(b: Sequence[float], answer: Sequence[float], half: float,
                         head: Callable[[float], str], divisor: str | None) -> list[str]:
    """One step per component of a soft-thresholded solution: ``wⱼ = HEAD = 0`` where
    |bⱼ| ≤ half, else ``wⱼ = HEAD = bⱼ ∓ half`` (divided by ``divisor`` when given)."""
    out = []
    for j, (bj, wj) in enumerate(zip(b, answer, strict=True)):
        start = f"w{sub(j + 1)} = {head(bj)}"
        if abs(bj) <= half:
            out.append(f"{start} = 0（|{num(bj)}| ≤ {num(half)}）")
            continue
        inner = bj - half * sign(bj)
        op = "−" if bj > 0 else "+"
        if divisor is None:
            out.append(f"{start} = {num(bj)} {op} {num(half)} {eq(wj)}")
        else:
            out.append(f"{start} = ({num(bj)} {op} {num(half)}) / {divisor} "
                       f"= {num(inner)} / {divisor} {eq(wj)}")
    return out


def _over_c(text: str, c: float) -> str:
    """``"text / 4"``, or just ``text`` when c = 1."""
    return text if c == 1 else f"{text} / {num(c)}"


def _design_prompt(X: Matrix, y: Sequence[float], lam: float) -> str:
    return f"X = {mat(X)}, y = {vec(y)}, λ = {num(lam)} とする（切片なし）。"


def _soft(z: float, t: float) -> float:
    return sign(z) * max(abs(z) - t, 0.0)


# ------------------------------------------------------------------ generators
def soft_threshold(rng: Rand, level: str) -> Draft | None:
    """S(z, t) for a scalar or a vector with entries below, above and under −t."""
    if level == "calc":
        t = rng.integer(10, 300) / 100
        z: float | list[float] = [rng.integer(-600, 600) / 100 for _ in range(rng.integer(6, 8))]
    else:
        t = rng.choice((0.5, 1.0, 1.0, 1.5, 2.0, 2.5, 3.0))
        step = 0.5 if rng.chance(0.4) else 1.0
        if rng.chance(0.25):
            z = rng.integer(-8, 8) * step
        else:
            z = [rng.integer(-8, 8) * step for _ in range(rng.integer(3, 5))]
    zs = z if isinstance(z, list) else [z]
    if any(abs(v) == t for v in zs):
        return None
    if isinstance(z, list) and not (
        any(abs(v) < t for v in zs) and any(v > t for v in zs) and any(v < -t for v in zs)
    ):
        return None
    out = engine.soft_threshold(z, t)
    answer = out.tolist() if isinstance(out, np.ndarray) else out
    steps = [
        "S(z, t) = sign(z)·max(|z| − t, 0): |z| ≤ t なら 0、そうでなければ大きさを t だけ縮める"
    ]
    for i, v in enumerate(zs):
        name = f"z{sub(i + 1)}" if isinstance(z, list) else "z"
        shrunk = abs(v) - t
        if shrunk <= 0:
            steps.append(f"{name} = {num(v)}: |{num(v)}| − {num(t)} = {num(shrunk)} ≤ 0 → 0")
        elif v > 0:
            steps.append(f"{name} = {num(v)}: {num(v)} − {num(t)} = {num(shrunk)}")
        else:
            steps.append(
                f"{name} = {num(v)}: |{num(v)}| − {num(t)} = {num(shrunk)}、符号を戻して "
                f"{num(-shrunk)}"
            )
    steps.append(f"S(z, {num(t)}) = " + (vec(answer) if isinstance(answer, list) else num(answer)))

    def each(f: Callable[[float], float]) -> float | list[float]:
        values = [f(v) for v in zs]
        return values if isinstance(z, list) else values[0]

    traps = [
        (ST_FORGOT_SIGN, each(lambda v: max(abs(v) - t, 0.0))),
        (ST_HARD, each(lambda v: v if abs(v) > t else 0.0)),
        (ST_NO_CLIP, each(lambda v: v - t * sign(v))),
        (ST_ONE_SIDED, each(lambda v: max(v - t, 0.0))),
        (ST_HALF, each(lambda v: _soft(v, t / 2))),
        (ST_DOUBLE, each(lambda v: _soft(v, 2 * t))),
        (ST_EXPAND, each(lambda v: v + t * sign(v))),
    ]
    shown = vec(zs) if isinstance(z, list) else num(z)
    what = "各成分にソフト閾値関数を適用した値" if isinstance(z, list) else "値"
    prompt = (
        f"ソフト閾値関数 S(z, t) = sign(z)·max(|z| − t, 0) について、z = {shown}, t = {num(t)} "
        f"のときの{what} S(z, t) を求めよ。"
    )
    if level == "calc":
        prompt += CALC_NOTE
    return Draft(prompt, {"z": z, "t": t}, answer, steps, traps)


def lasso(rng: Rand, level: str) -> Draft | None:
    """Lasso on an orthogonal design, λ chosen so that some coefficients are exactly zero."""
    X, c = _orthogonal_design(rng, level)
    n, d = len(X), len(X[0])
    top = 4 if c == 9 else (9 if level == "calc" else 6)
    y = [float(rng.integer(-top, top)) for _ in range(n)]
    b = [sum(row[j] * v for row, v in zip(X, y, strict=True)) for j in range(d)]
    mags = sorted({abs(v) for v in b})
    if mags[-1] == 0:
        return None
    sparse = d >= 2 and rng.chance(0.85)
    halves = [k / 2 for k in range(1, int(2 * mags[-1]))]
    options = [
        h
        for h in halves
        if h not in mags
        and (level == "calc" or h <= 10)
        and (not sparse or any(m < h for m in mags))
        and (level == "calc" or is_nice([_soft(v, h) / c for v in b]))
    ]
    if not options:
        return None
    half = rng.choice(options)
    lam = 2 * half
    fit = engine.lasso(X, y, lam)
    if not fit.converged:
        return None
    answer = fit.coef.tolist()
    closed = [_soft(v, half) / c for v in b]
    if max(abs(a - e) for a, e in zip(answer, closed, strict=True)) > 1e-9:
        raise RuntimeError(f"lasso: coordinate descent {answer} disagrees with {closed}")

    def steps() -> list[str]:
        lines, _ = _gram_lines(X, y)
        out = [
            "最小化する目的関数: Σ(yᵢ − wᵀxᵢ)² + λΣ|wⱼ| = ‖y − Xw‖² + λ‖w‖₁",
            *lines,
            f"XᵀX = {_times_identity(c)} なので目的関数は成分ごとに分かれる: "
            f"Σⱼ [{'' if c == 1 else f'{c}·'}wⱼ² − 2(Xᵀy)ⱼ·wⱼ + λ|wⱼ|] + yᵀy。"
            f"各成分の最小値は wⱼ = {_over_c('S((Xᵀy)ⱼ, λ/2)', c)}"
            "（S はソフト閾値関数 S(z, t) = sign(z)·max(|z| − t, 0)）",
            f"しきい値: λ/2 = {num(lam)}/2 = {num(half)}",
        ]
        out += soft_threshold_lines(b, answer, half,
                                    lambda bj: _over_c(f"S({num(bj)}, {num(half)})", c),
                                    None if c == 1 else f"{c}")
        out.append(f"よって w {eq_vec(answer)}")
        return out

    traps = [
        (LASSO_LAMBDA, [_soft(v, lam) / c for v in b]),
        (LASSO_FORGOT_C, [_soft(v, half) for v in b]),
        (LASSO_OLS, [v / c for v in b]),
        (LASSO_FORGOT_SIGN, [max(abs(v) - half, 0.0) / c for v in b]),
        (LASSO_RIDGE, [v / (c + lam) for v in b]),
        (LASSO_NO_CLIP, [(v - half * sign(v)) / c for v in b]),
        (LASSO_DIVIDE_FIRST, [_soft(v / c, half) for v in b]),
    ]
    prompt = (
        _design_prompt(X, y, lam)
        + "ラッソ回帰の目的関数 Σ(yᵢ − wᵀxᵢ)² + λΣ|wⱼ| を最小にする w を求めよ"
        "（X の列は直交している）。"
    )
    if level == "calc":
        prompt += CALC_NOTE
    return Draft(prompt, {"X": X, "y": y, "lam": lam}, answer, steps, traps)


def ridge(rng: Rand, level: str) -> Draft | None:
    """Ridge on an orthogonal design at "hand"; on a general X (a linear solve) at "calc"."""
    if level == "calc":
        return _ridge_general(rng)
    X, c = _orthogonal_design(rng, level)
    n, d = len(X), len(X[0])
    top = 4 if c == 9 else 6
    y = [float(rng.integer(-top, top)) for _ in range(n)]
    b = [sum(row[j] * v for row, v in zip(X, y, strict=True)) for j in range(d)]
    if not any(b):
        return None

    def traps_for(lam: float) -> list[tuple[Trap, list[float]]]:
        return [
            (RIDGE_OLS, [v / c for v in b]),
            (RIDGE_HALF, [v / (c + lam / 2) for v in b]),
            (RIDGE_DOUBLE, [v / (c + 2 * lam) for v in b]),
            (RIDGE_FORGOT_C, [v / (1 + lam) for v in b]),
            (RIDGE_LASSO, [_soft(v, lam / 2) / c for v in b]),
        ]

    # λ whose answer has at most two decimals and which leaves three nice wrong options
    options = [
        lam
        for lam in (0.5, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 11.0, 12.0)
        if is_nice([v / (c + lam) for v in b])
        and sum(is_nice(value) for _, value in traps_for(lam)) >= 3
    ]
    if not options:
        return None
    lam = rng.choice(options)
    answer = engine.ridge(X, y, lam).coef.tolist()
    closed = [v / (c + lam) for v in b]
    if max(abs(a - e) for a, e in zip(answer, closed, strict=True)) > 1e-9:
        raise RuntimeError(f"ridge: solve {answer} disagrees with {closed}")
    denom = c + lam

    def steps() -> list[str]:
        lines, _ = _gram_lines(X, y)
        return [
            "目的関数 Σ(yᵢ − wᵀxᵢ)² + λΣwⱼ² を w で微分して 0 とおく: "
            "−2Xᵀ(y − Xw) + 2λw = 0 → (XᵀX + λI)w = Xᵀy",
            *lines,
            f"XᵀX + λI = ({c} + {num(lam)})I = {num(denom)}I なので w = Xᵀy / {num(denom)}",
            *(
                f"w{sub(j + 1)} = {num(bj)} / {num(denom)} {eq(wj)}"
                for j, (bj, wj) in enumerate(zip(b, answer, strict=True))
            ),
            f"よって w {eq_vec(answer)}（どの成分も 0 にはならず、最小二乗解 Xᵀy/{c} が "
            f"{c}/{num(denom)} 倍に縮む）",
        ]

    traps = traps_for(lam)
    prompt = (
        _design_prompt(X, y, lam)
        + "リッジ回帰の目的関数 Σ(yᵢ − wᵀxᵢ)² + λΣwⱼ² を最小にする w を求めよ"
        "（X の列は直交している）。"
    )
    return Draft(prompt, {"X": X, "y": y, "lam": lam}, answer, steps, traps)


def _ridge_general(rng: Rand) -> Draft | None:
    n, d = rng.integer(5, 6), rng.integer(2, 3)
    X = [[float(rng.integer(-3, 3)) for _ in range(d)] for _ in range(n)]
    y = [float(rng.integer(-6, 6)) for _ in range(n)]
    lam = rng.choice((0.5, 1.0, 2.0, 3.0, 5.0))
    Xa, ya = np.array(X), np.array(y)
    G = Xa.T @ Xa
    if abs(np.linalg.det(G)) < 1.0 or not np.any(Xa.T @ ya):
        return None
    b = Xa.T @ ya
    answer = engine.ridge(X, y, lam).coef.tolist()
    eye = np.eye(d)
    steps = [
        "目的関数 Σ(yᵢ − wᵀxᵢ)² + λΣwⱼ² を w で微分して 0 とおく: "
        "−2Xᵀ(y − Xw) + 2λw = 0 → (XᵀX + λI)w = Xᵀy",
        f"XᵀX = {mat(G.tolist())}",
        f"Xᵀy = {vec(b.tolist())}",
        f"XᵀX + λI = {mat((G + lam * eye).tolist())}",
        f"連立方程式 (XᵀX + λI)w = Xᵀy を解いて w {eq_vec(answer)}",
    ]
    traps = [
        (RIDGE_OLS_GENERAL, np.linalg.solve(G, b)),
        (RIDGE_HALF, np.linalg.solve(G + lam / 2 * eye, b)),
        (RIDGE_DOUBLE, np.linalg.solve(G + 2 * lam * eye, b)),
        (RIDGE_DIAGONAL, b / (np.diag(G) + lam)),
    ]
    prompt = (
        _design_prompt(X, y, lam)
        + "リッジ回帰の目的関数 Σ(yᵢ − wᵀxᵢ)² + λΣwⱼ² を最小にする w を求めよ。"
        + CALC_NOTE
    )
    return Draft(prompt, {"X": X, "y": y, "lam": lam}, answer, steps, traps)
