"""Dropout and DropConnect problems: a training-time output for a given mask, and the
output at inference (or the expected training output) under the two scaling schemes.

``p`` is always the probability of DROPPING an entry, as in the engine.
"""

from __future__ import annotations

import engine
from engine.problems._model import Draft, Trap
from engine.problems._util import CALC_NOTE, Rand, dot_terms, is_nice, mat, num, par, vec

# ------------------------------------------------------------------ misconceptions
DO_FORGOT_SCALE = Trap(
    "forgot-inverse-keep-scaling",
    "1/(1 − p) のスケーリングを忘れた",
    "x ⊙ mask で止めています。逆ドロップアウト（inverted dropout）では学習時に残った値を "
    "1/(1 − p) 倍し、出力の期待値を推論時の出力 x に揃えます。",
)
DO_P_AS_KEEP = Trap(
    "used-p-as-keep-probability",
    "p を残す確率とみなした",
    "p で割っています。ここでの p は「落とす」確率なので、残る確率は 1 − p で、"
    "割るのは 1 − p です（元論文のように p を残す確率と書く流儀もあるので注意）。",
)
DO_MULTIPLIED = Trap(
    "multiplied-by-keep-probability",
    "(1 − p) を掛けた（推論時のスケーリングと混同）",
    "(1 − p) を掛けるのは、学習時にスケーリングしない通常のドロップアウトで推論時に行う操作です。"
    "逆ドロップアウトの学習時は 1/(1 − p) 倍します。",
)
DO_INVERTED_MASK = Trap(
    "inverted-mask",
    "mask の 0 と 1 を逆に読んだ",
    "mask = 1 が残す、mask = 0 が落とすユニットです。落とすユニットの値を残しています。",
)
DO_IGNORED_MASK = Trap(
    "ignored-mask",
    "mask を掛け忘れた",
    "すべてのユニットを 1/(1 − p) 倍しています。学習時は mask = 0 のユニットの出力を 0 にします。",
)

DC_FORGOT_SCALE = Trap(
    "forgot-inverse-keep-scaling",
    "1/(1 − p) のスケーリングを忘れた",
    "(W ⊙ mask)x で止めています。スケーリングありの指定なので、残った結合の分を補うため "
    "1/(1 − p) 倍します。",
)
DC_SCALED_ANYWAY = Trap(
    "scaled-without-request",
    "指定がないのにスケーリングした",
    "この問題はスケーリングなしなので、(W ⊙ mask)x がそのまま出力です。",
)
DC_IGNORED_MASK = Trap(
    "ignored-mask",
    "mask を使わなかった",
    "W をそのまま使っています。ドロップコネクトでは mask = 0 の重み（結合）を 0 にした "
    "W ⊙ mask で計算します。",
)
DC_INVERTED_MASK = Trap(
    "inverted-mask",
    "mask の 0 と 1 を逆に読んだ",
    "mask = 1 が残す、mask = 0 が落とす結合です。落とす重みの方を使っています。",
)
DC_P_AS_KEEP = Trap(
    "used-p-as-keep-probability",
    "p を残す確率とみなした",
    "p で割っています。p は落とす確率なので、割るのは残る確率 1 − p です。",
)
DC_MULTIPLIED = Trap(
    "multiplied-by-keep-probability",
    "(1 − p) を掛けた",
    "(1 − p) 倍は推論時に期待値を合わせる操作です。学習時のスケーリングは 1/(1 − p) 倍です。",
)
DC_MULTIPLIED_UNSCALED = Trap(
    "multiplied-by-keep-probability",
    "(1 − p) を掛けた",
    "この問題は学習時にスケーリングしない設定なので、出力は (W ⊙ mask)x のままです。"
    "(1 − p) 倍は、学習時にスケーリングしない方式で推論時に期待値を合わせる操作です。",
)
IN_SCALED_AT_TEST = Trap(
    "scaled-at-test-time",
    "推論時にも (1 − p) を掛けた",
    "逆ドロップアウトは学習時に 1/(1 − p) 倍してあるので、推論時は何もしません（出力 = x）。"
    "推論時に (1 − p) 倍するのは、学習時にスケーリングしない通常のドロップアウトです。",
)
IN_DIVIDED_AT_TEST = Trap(
    "divided-at-test-time",
    "推論時にも 1/(1 − p) 倍した",
    "1/(1 − p) 倍は学習時だけの操作です。推論時は全ユニットを使い、"
    "逆ドロップアウトなら出力は x のままです。",
)
IN_P = Trap(
    "used-p-as-keep-probability",
    "p を残す確率とみなした",
    "p は落とす確率です。残る確率は 1 − p なので、期待値に出てくる係数は 1 − p です。",
)
ST_FORGOT_TEST_SCALE = Trap(
    "forgot-test-time-scaling",
    "推論時のスケーリングを忘れた",
    "学習時にスケーリングしない通常のドロップアウトでは、学習時の出力の期待値は (1 − p)x です。"
    "推論時は全ユニットが残るので、(1 − p) 倍して期待値に揃えます。",
)
ST_EXPECTATION_NO_KEEP = Trap(
    "expectation-forgot-keep-probability",
    "期待値で残る確率 (1 − p) を掛け忘れた",
    "通常のドロップアウトの学習時の出力は、確率 1 − p で x、確率 p で 0 なので、"
    "期待値は (1 − p)x です（x のままになるのは逆ドロップアウト）。",
)
ST_INVERTED = Trap(
    "used-inverted-scaling",
    "逆ドロップアウトのスケーリングと混同",
    "1/(1 − p) 倍は逆ドロップアウトの学習時の操作です。通常のドロップアウトでは"
    "推論時に (1 − p) 倍します。",
)
EX_KEPT_SCALE = Trap(
    "expectation-kept-factor",
    "期待値で (1 − p) を掛けたままにした",
    "逆ドロップアウトの出力は確率 1 − p で x/(1 − p)、確率 p で 0 なので、"
    "期待値は (1 − p)·x/(1 − p) = x です。",
)
EX_DIVIDED = Trap(
    "expectation-divided",
    "1/(1 − p) 倍の値を期待値とした",
    "x/(1 − p) は残ったときの値で、落ちる場合（確率 p で 0）を平均に入れていません。",
)


def _mask(rng: Rand, shape_n: int, p: float) -> list[int] | None:
    mask = [0 if rng.uniform() < p else 1 for _ in range(shape_n)]
    return mask if 0 < sum(mask) < shape_n else None


# ------------------------------------------------------------------ generators
def dropout(rng: Rand, level: str) -> Draft | None:
    """Inverted dropout at training time with a given mask: x·mask/(1 − p)."""
    if level == "calc":
        n = rng.integer(6, 10)
        x = [rng.integer(-300, 300) / 100 for _ in range(n)]
        p = rng.choice((0.1, 0.3, 0.35, 0.45, 0.7))
    else:
        n = rng.integer(4, 6)
        step = 0.5 if rng.chance(0.3) else 1.0
        x = [rng.nonzero(-5, 9) * step for _ in range(n)]
        p = rng.choice((0.5, 0.5, 0.2, 0.75, 0.8, 0.6, 0.9))
    mask = _mask(rng, n, p)
    if mask is None:
        return None
    answer = engine.apply_dropout_mask(x, mask, p).tolist()
    if level == "hand" and not is_nice(answer):
        return None
    kept = [v * m for v, m in zip(x, mask, strict=True)]
    keep = 1 - p
    steps = [
        "逆ドロップアウト（inverted dropout）の学習時の出力: x ⊙ mask / (1 − p)"
        "（p は落とす確率、mask = 1 が残すユニット。推論時は何もしない）",
        "x ⊙ mask = ("
        + ", ".join(f"{par(v)}×{m}" for v, m in zip(x, mask, strict=True))
        + f") = {vec(kept)}",
        f"1 − p = 1 − {num(p)} = {num(keep)}",
        f"出力 = {vec(kept)} / {num(keep)} = {vec(answer)}",
    ]
    traps = [
        (DO_FORGOT_SCALE, kept),
        (DO_P_AS_KEEP, [v / p for v in kept]),
        (DO_MULTIPLIED, [v * keep for v in kept]),
        (DO_INVERTED_MASK, [v * (1 - m) / keep for v, m in zip(x, mask, strict=True)]),
        (DO_IGNORED_MASK, [v / keep for v in x]),
    ]
    prompt = (
        f"逆ドロップアウト（落とす確率 p = {num(p)}）を学習時に適用する。層の出力 x = {vec(x)} に"
        f"マスク mask = {vec(mask)}（1 = 残す、0 = 落とす）が出たとき、この層の出力を求めよ。"
    )
    if level == "calc":
        prompt += CALC_NOTE
    return Draft(prompt, {"x": x, "p": p, "mask": mask}, answer, steps, traps)


def dropconnect(rng: Rand, level: str) -> Draft | None:
    """DropConnect with a given weight mask: (W ⊙ mask)·x, divided by (1 − p) where scaled."""
    if level == "calc":
        n_out, n_in = rng.integer(3, 4), rng.integer(4, 5)
        W = [[rng.integer(-20, 20) / 10 for _ in range(n_in)] for _ in range(n_out)]
        x = [rng.integer(-30, 30) / 10 for _ in range(n_in)]
        p = rng.choice((0.1, 0.3, 0.4, 0.6))
    else:
        n_out, n_in = rng.integer(2, 3), 3
        W = [[float(rng.integer(-3, 3)) for _ in range(n_in)] for _ in range(n_out)]
        x = [float(rng.nonzero(-2, 3)) for _ in range(n_in)]
        p = rng.choice((0.5, 0.5, 0.2, 0.75, 0.8))
    scale = rng.chance(0.6)
    flat = _mask(rng, n_out * n_in, p)
    if flat is None:
        return None
    mask = [flat[i * n_in : (i + 1) * n_in] for i in range(n_out)]
    answer = engine.apply_dropconnect_mask(x, W, mask, p, scale=scale).tolist()
    if level == "hand" and not is_nice(answer):
        return None
    keep = 1 - p
    masked = [[w * m for w, m in zip(wr, mr, strict=True)] for wr, mr in zip(W, mask, strict=True)]
    raw = [sum(w * v for w, v in zip(row, x, strict=True)) for row in masked]
    full = [sum(w * v for w, v in zip(row, x, strict=True)) for row in W]
    inverse = [
        [w * (1 - m) for w, m in zip(wr, mr, strict=True)] for wr, mr in zip(W, mask, strict=True)
    ]
    inv_raw = [sum(w * v for w, v in zip(row, x, strict=True)) for row in inverse]
    steps = [
        "ドロップコネクト: ユニットではなく重み（結合）を落とす。出力 = (W ⊙ mask)x"
        + ("、スケーリングありなので 1/(1 − p) 倍" if scale else "（スケーリングなし）"),
        f"W ⊙ mask = {mat(masked)}",
        *(
            f"第{i + 1}成分: {dot_terms(row, x)} = {num(r)}"
            for i, (row, r) in enumerate(zip(masked, raw, strict=True))
        ),
    ]
    if scale:
        steps.append(f"1 − p = {num(keep)} で割る: {vec(raw)} / {num(keep)} = {vec(answer)}")
    else:
        steps.append(f"出力 = {vec(answer)}")

    def scaled(v: list[float]) -> list[float]:
        return [a / keep for a in v] if scale else v

    traps = [
        (DC_FORGOT_SCALE if scale else DC_SCALED_ANYWAY, raw if scale else [a / keep for a in raw]),
        (DC_IGNORED_MASK, scaled(full)),
        (DC_INVERTED_MASK, scaled(inv_raw)),
    ]
    if scale:
        traps.append((DC_P_AS_KEEP, [a / p for a in raw]))
    traps.append((DC_MULTIPLIED if scale else DC_MULTIPLIED_UNSCALED, [a * keep for a in raw]))
    how = "残った重みの出力を 1/(1 − p) 倍する" if scale else "スケーリングはしない"
    prompt = (
        f"入力 x = {vec(x)}、重み W = {mat(W)} の全結合層（バイアスなし）にドロップコネクト"
        f"（落とす確率 p = {num(p)}）を学習時に適用し、重みのマスク mask = {mat(mask)}"
        f"（1 = 残す、0 = 落とす）が出た。{how}とき、この層の出力を求めよ。"
    )
    if level == "calc":
        prompt += CALC_NOTE
    data = {"x": x, "W": W, "p": p, "mask": mask, "scale": scale}
    return Draft(prompt, data, answer, steps, traps)


def dropout_inference(rng: Rand, level: str) -> Draft | None:
    """The inference-time output, or the expected training output, under inverted or
    standard (unscaled at training) dropout.

    Both equal x for inverted dropout and (1 − p)·x for standard dropout. The answer is
    computed with ``engine.apply_dropout_mask``: at evaluation for the inverted scheme, and
    as the exact expectation over one entry's two outcomes, (1 − p)·f(kept) + p·f(dropped),
    for the expected training output (standard dropout is the mask with no rescaling, p=0
    in the engine's scaling).
    """
    scheme = rng.choice(("inverted", "standard"))
    question = rng.choice(("test", "expectation"))
    if level == "calc":
        n = rng.integer(4, 6)
        x = [rng.integer(-300, 300) / 100 for _ in range(n)]
        p = rng.choice((0.1, 0.3, 0.35, 0.45, 0.7))
    else:
        n = rng.integer(3, 4)
        x = [float(rng.nonzero(-5, 9)) for _ in range(n)]
        p = rng.choice((0.2, 0.5, 0.75, 0.8, 0.6, 0.9, 0.25))
    ones, zeros = [1] * n, [0] * n
    keep = 1 - p
    if scheme == "inverted" and question == "test":
        answer = engine.apply_dropout_mask(x, ones, p, train=False).tolist()
    else:
        train_p = p if scheme == "inverted" else 0.0
        kept = engine.apply_dropout_mask(x, ones, train_p)
        dropped = engine.apply_dropout_mask(x, zeros, train_p)
        answer = (keep * kept + p * dropped).tolist()
    if level == "hand" and not is_nice(answer):
        return None
    if scheme == "inverted":
        setting = (
            f"逆ドロップアウト（学習時に落とす確率 p = {num(p)} でユニットを落とし、"
            "残った出力を 1/(1 − p) 倍する）"
        )
        steps = [
            "逆ドロップアウトの学習時の出力は、確率 1 − p で x/(1 − p)、確率 p で 0",
            f"期待値: (1 − p)·x/(1 − p) + p·0 = x → {vec(answer)}",
            "推論時はユニットを落とさずスケーリングもしない: 出力 = x"
            "（学習時の期待値とすでに一致している）",
        ]
        traps = [
            (IN_SCALED_AT_TEST if question == "test" else EX_KEPT_SCALE, [v * keep for v in x]),
            (IN_DIVIDED_AT_TEST if question == "test" else EX_DIVIDED, [v / keep for v in x]),
            (IN_P, [v * p for v in x]),
        ]
    else:
        setting = (
            f"通常のドロップアウト（学習時に落とす確率 p = {num(p)} でユニットを落とし、"
            "残った出力はスケーリングしない）"
        )
        steps = [
            "通常のドロップアウトの学習時の出力は、確率 1 − p で x、確率 p で 0",
            f"期待値: (1 − p)·x = {num(keep)} × {vec(x)} = {vec(answer)}",
            "推論時は全ユニットを使うので、(1 − p) 倍して学習時の期待値に揃える: "
            f"出力 = (1 − p)·x = {vec(answer)}",
        ]
        traps = [
            (ST_FORGOT_TEST_SCALE if question == "test" else ST_EXPECTATION_NO_KEEP, x),
            (ST_INVERTED, [v / keep for v in x]),
            (IN_P, [v * p for v in x]),
        ]
    if question == "test":
        ask = f"推論時にこの層へ x = {vec(x)} が入ったときの出力" + (
            "（推論時の出力は学習時の出力の期待値と一致させる）" if scheme == "standard" else ""
        )
    else:
        ask = f"学習時、この層へ x = {vec(x)} が入ったときの出力の期待値"
    prompt = f"ある層に{setting}を用いる。{ask}を求めよ。"
    if level == "calc":
        prompt += CALC_NOTE
    data = {"x": x, "p": p, "scheme": scheme, "question": question}
    return Draft(prompt, data, answer, steps, traps)


__all__ = ["dropconnect", "dropout", "dropout_inference"]
