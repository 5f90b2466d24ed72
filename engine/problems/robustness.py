"""Regularizers that act on the data: label smoothing and noise injection.

* Label smoothing mixes a one-hot target y over K classes with the uniform distribution:
  (1 − ε)·y + ε/K. At level "hand" ε/K has at most two decimals (ε = 0.1 with K = 5 or
  10, ε = 0.2 with K = 4, 5 or 10, ε = 0.14 with K = 7 …).
* Noise injection: adding ε ~ N(0, σ²I) to the input of a linear model gives the expected
  squared error (y − wᵀx)² + σ²‖w‖₂², an L2 penalty with λ = σ². At level "hand" the data
  are small integers and σ is 0.5, 1, 2 …, so the answer has at most two decimals.

The answers come from ``engine.label_smoothing`` and ``engine.noise_injection_loss``;
each generator recomputes its answer another way (the mixture class by class, the
expectation's terms one by one) and refuses a draw where the two disagree.
"""

from __future__ import annotations

import math

import engine
from engine.problems._model import Draft, Trap
from engine.problems._util import (
    CALC_NOTE,
    Rand,
    dot_terms,
    eq,
    eq_vec,
    is_nice,
    num,
    par,
    sub,
    vec,
)

# ------------------------------------------------------------------ misconceptions
LS_K_MINUS_1 = Trap(
    "eps-over-k-minus-one",
    "ε/K ではなく ε/(K − 1) を配った",
    "ε を正解以外の K − 1 クラスだけに分けています。一様分布 1/K は正解クラスも含む K クラス"
    "すべてに ε/K ずつ配るので、正解クラスは 1 − ε + ε/K、その他は ε/K です。",
)
LS_FORGOT_ONE_MINUS = Trap(
    "forgot-one-minus-eps",
    "(1 − ε) を掛け忘れた",
    "y に ε/K を足しただけで、y に (1 − ε) を掛けていません。これでは和が 1 + ε になり"
    "確率分布になりません。y' = (1 − ε)·y + ε/K です。",
)
LS_TRUE_NO_SHARE = Trap(
    "forgot-uniform-on-true-class",
    "正解クラスに ε/K を足し忘れた",
    "正解クラスを 1 − ε で止めています。一様分布の ε/K は正解クラスにも配られるので、"
    "正解クラスは 1 − ε + ε/K です（和がちょうど 1 になることで確かめられます）。",
)
LS_EPS_EACH = Trap(
    "eps-to-each-class",
    "各クラスに ε をそのまま配った",
    "正解以外の各クラスに ε を与えています。ε は K クラス全体で分ける量なので、"
    "1クラスあたりは ε/K です。",
)
LS_SWAPPED = Trap(
    "swapped-eps",
    "ε と 1 − ε を取り違えた",
    "ε·y + (1 − ε)/K になっています。ε は一様分布に回す割合（小さい数）で、"
    "元のラベル y に掛かるのは 1 − ε です: y' = (1 − ε)·y + ε/K。",
)
LS_ONLY_SCALED = Trap(
    "forgot-uniform-term",
    "一様分布の項 ε/K を足し忘れた",
    "(1 − ε)·y で止めています。正解クラスから減らした ε を一様分布として全クラスに配り直す"
    "のがラベル平滑化です: y' = (1 − ε)·y + ε/K。",
)

NI_SIGMA = Trap(
    "sigma-not-squared",
    "σ² ではなく σ を掛けた",
    "ノイズの分散は σ² です。E[(wᵀε)²] = Σⱼwⱼ²·E[εⱼ²] = σ²‖w‖₂² なので、"
    "‖w‖₂² に掛かるのは標準偏差 σ ではなく分散 σ² です。",
)
NI_FORGOT_DATA = Trap(
    "forgot-data-term",
    "ノイズのない誤差 (y − wᵀx)² を忘れた",
    "σ²‖w‖₂² はノイズで増える分だけです。期待値は (y − wᵀx)² + σ²‖w‖₂² で、"
    "ノイズがないときの二乗誤差を足します。",
)
NI_NORM_NOT_SQUARED = Trap(
    "norm-not-squared",
    "‖w‖₂ を二乗しなかった",
    "σ²‖w‖₂（平方根あり）を使っています。E[(wᵀε)²] = σ²Σwⱼ² = σ²‖w‖₂² で、"
    "L2正則化と同じくノルムの二乗です。",
)
NI_FORGOT_NOISE = Trap(
    "forgot-noise-term",
    "ノイズの項を忘れた",
    "(y − wᵀx)² はノイズがないときの誤差です。交差項 −2(y − wᵀx)·wᵀε は平均 0 で消えますが、"
    "(wᵀε)² の期待値 σ²‖w‖₂² は残ります。",
)
NI_OUTPUT_NOISE = Trap(
    "noise-on-output",
    "出力に σ² を足しただけにした",
    "σ² を足すのは出力（予測値）に直接ノイズを加えた場合です。入力に加えたノイズは重み w を"
    "通るので、増える分は σ²‖w‖₂² になります（重みが大きいほど罰則が大きい）。",
)
NI_SHARED_NOISE = Trap(
    "same-noise-on-every-input",
    "全成分に同じノイズが乗るとした",
    "σ²(Σwⱼ)² は、1つのノイズを全成分に共通に足した場合の値です。各成分には独立な"
    "ノイズ εⱼ が乗るので（共分散 σ²I）、交差項は消えて σ²Σwⱼ² になります。",
)


# ------------------------------------------------------------------ label smoothing
#: ε values of practice (0.1 is the usual one), and the class counts with which ε/K has at
#: most two decimals. About a third of the hand problems draw from here, a third from
#: :data:`_LS_BOTH`, the rest any K.
_LS_HAND: tuple[tuple[float, tuple[int, ...]], ...] = (
    (0.05, (5,)),
    (0.1, (5, 10)),
    (0.15, (3, 5)),
    (0.2, (4, 5, 10)),
    (0.25, (5,)),
    (0.3, (3, 5, 6, 10)),
    (0.4, (4, 5, 8, 10)),
)

#: (ε, K) with both ε/K and ε/(K − 1) in hundredths, so that the headline mistake (ε shared
#: among the K − 1 other classes) gives an option as easy to compute as the answer.
_LS_BOTH: tuple[tuple[float, int], ...] = tuple(
    (m * k * (k - 1) / 100, k)
    for k in range(3, 11)
    for m in range(1, 41)
    if 5 <= m * k * (k - 1) <= 40
)


def label_smoothing(rng: Rand, level: str) -> Draft | None:
    """(1 − ε)·y + ε/K for a one-hot y over K classes."""
    if level == "calc":
        k = rng.integer(3, 10)
        eps = rng.choice((0.05, 0.1, 0.15, 0.2, 0.25, 0.3))
    elif (draw := rng.uniform()) < 0.35:
        eps, ks = rng.choice(_LS_HAND)
        k = rng.choice(ks)
    elif draw < 0.7:  # ε/K and ε/(K − 1) both in hundredths: the ε/(K − 1) mistake is an option
        eps, k = rng.choice(_LS_BOTH)
    else:  # any K, and an ε from 0.05 to 0.4 that K divides into hundredths
        k = rng.integer(3, 10)
        eps = rng.choice([m * k / 100 for m in range(1, 41) if 5 <= m * k <= 40])
    true = rng.below(k)
    y = [1 if i == true else 0 for i in range(k)]
    answer = engine.label_smoothing(y, eps).tolist()
    share = eps / k
    # the mixture, class by class: keep the label with probability 1 − ε, else draw a class
    # uniformly (probability ε, each class 1/K)
    mixture = [(1 - eps) * (1.0 if i == true else 0.0) + eps * (1 / k) for i in range(k)]
    if max(abs(a - m) for a, m in zip(answer, mixture, strict=True)) > 1e-12:
        raise RuntimeError(f"label-smoothing: engine {answer} disagrees with {mixture}")
    top = answer[true]
    place = f"第{true + 1}成分"

    def steps() -> list[str]:
        return [
            "ラベル平滑化: y' = (1 − ε)·y + ε/K（one-hot の y と K クラスの一様分布 1/K を "
            "1 − ε : ε の割合で混ぜる）",
            f"K = {k}, ε = {num(eps)}: 1 − ε = {num(1 - eps)}, "
            f"ε/K = {num(eps)}/{k} {eq(share)}",
            f"正解クラス（{place}）: {num(1 - eps)}×1 + {num(share)} {eq(top)}",
            f"その他の {k - 1} クラス: {num(1 - eps)}×0 + {num(share)} {eq(share)}",
            f"よって y' {eq_vec(answer)}（和は {num(top)} + {k - 1}×{num(share)} = 1 で、"
            "確率分布のまま正解への確信を 1 から下げる）",
        ]

    def each(true_value: float, other: float) -> list[float]:
        return [true_value if i == true else other for i in range(k)]

    traps = [
        (LS_K_MINUS_1, each(1 - eps, eps / (k - 1))),
        (LS_FORGOT_ONE_MINUS, each(1 + share, share)),
        (LS_TRUE_NO_SHARE, each(1 - eps, share)),
        (LS_EPS_EACH, each(1 - eps, eps)),
        (LS_SWAPPED, each(eps + (1 - eps) / k, (1 - eps) / k)),
        (LS_ONLY_SCALED, each(1 - eps, 0.0)),
    ]
    prompt = (
        f"{k} クラス分類で、正解ラベルの one-hot ベクトルが y = {vec(y)} である。"
        f"ε = {num(eps)} のラベル平滑化（label smoothing: 目標を K クラスの一様分布と "
        "1 − ε : ε の割合で混ぜる）を行ったあとの目標ベクトル y' を求めよ。"
    )
    if level == "calc":
        prompt += CALC_NOTE
    return Draft(prompt, {"y": y, "eps": eps}, answer, steps, traps)


# ------------------------------------------------------------------ noise injection
def noise_injection(rng: Rand, level: str) -> Draft | None:
    """E[(y − wᵀ(x + ε))²] = (y − wᵀx)² + σ²‖w‖₂² for ε ~ N(0, σ²I)."""
    d = rng.integer(2, 4)
    if level == "calc":
        x = [rng.integer(-30, 30) / 10 for _ in range(d)]
        w = [rng.integer(-20, 20) / 10 for _ in range(d)]
        y = rng.integer(-50, 50) / 10
        sigma = rng.choice((0.1, 0.2, 0.3, 0.05, 0.15, 0.4))
    else:
        x = [float(rng.integer(-4, 4)) for _ in range(d)]
        w = [float(rng.nonzero(-3, 3)) for _ in range(d)]
        y = float(rng.integer(-6, 6))
        sigma = rng.choice((0.5, 0.5, 2.0, 2.0, 1.0, 0.1, 0.2, 1.5))
    if not any(w):
        return None
    answer = engine.noise_injection_loss(x, w, y, sigma)
    pred = math.fsum(a * b for a, b in zip(w, x, strict=True))
    resid = y - pred
    sq_norm = math.fsum(v * v for v in w)
    var = sigma * sigma
    # the expectation's terms summed directly: the clean error and the noise's σ²‖w‖₂²
    terms = resid * resid + var * sq_norm
    if abs(terms - answer) > 1e-9 * max(1.0, abs(answer)):
        raise RuntimeError(f"noise-injection: engine {answer} disagrees with {terms}")
    if level == "hand" and abs(answer) > 100:
        return None

    def steps() -> list[str]:
        return [
            "入力に ε ~ N(0, σ²I) を加えたときの二乗誤差の期待値: "
            "E[(y − wᵀ(x + ε))²] = (y − wᵀx)² − 2(y − wᵀx)·E[wᵀε] + E[(wᵀε)²]。"
            "E[ε] = 0 で交差項は消え、E[(wᵀε)²] = Σⱼwⱼ²·E[εⱼ²] = σ²‖w‖₂² "
            "（成分ごとに独立なので εᵢεⱼ (i ≠ j) の期待値は 0）",
            f"wᵀx = {dot_terms(w, x)} {eq(pred)}",
            f"y − wᵀx = {num(y)} − {par(pred)} {eq(resid)}、"
            f"(y − wᵀx)² = {par(resid)}² {eq(resid * resid)}",
            f"‖w‖₂² = {' + '.join(f'{par(v)}²' for v in w)} {eq(sq_norm)}、"
            f"σ² = {num(sigma)}² {eq(var)}、σ²‖w‖₂² = {num(var)}×{num(sq_norm)} "
            f"{eq(var * sq_norm)}",
            f"期待値 = {num(resid * resid)} + {num(var * sq_norm)} {eq(answer)}"
            f"（平均すると λ = σ² = {num(var)} の L2正則化と同じ）",
        ]

    shared = sum(w) ** 2
    traps = [
        (NI_SIGMA, resid * resid + sigma * sq_norm),
        (NI_FORGOT_DATA, var * sq_norm),
        (NI_NORM_NOT_SQUARED, resid * resid + var * math.sqrt(sq_norm)),
        (NI_FORGOT_NOISE, resid * resid),
        (NI_OUTPUT_NOISE, resid * resid + var),
        (NI_SHARED_NOISE, resid * resid + var * shared),
    ]
    names = ", ".join(f"x{sub(i + 1)}" for i in range(d))
    prompt = (
        f"線形モデル ŷ = wᵀx（w = {vec(w)}）に入力 x = {vec(x)}、目標 y = {num(y)} を与える。"
        f"学習時に入力の各成分 {names} へ独立なガウスノイズ εᵢ ~ N(0, σ²)（σ = {num(sigma)}）"
        "を加えるとき、二乗誤差 (y − wᵀ(x + ε))² の期待値を求めよ。"
    )
    if level == "calc":
        prompt += CALC_NOTE
    if level == "hand" and not is_nice(answer):
        return None
    return Draft(prompt, {"x": x, "w": w, "y": y, "sigma": sigma}, answer, steps, traps)


__all__ = ["label_smoothing", "noise_injection"]
