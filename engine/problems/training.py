"""Training-time regularizer problems: a weight-decay step, converting between weight decay
and the L2 coefficient λ, and the epoch at which early stopping ends training."""

from __future__ import annotations

import engine
from engine.problems._model import Draft, Trap
from engine.problems._util import CALC_NOTE, Rand, is_nice, num, vec

# ------------------------------------------------------------------ misconceptions
WD_FORGOT_DECAY = Trap(
    "forgot-decay",
    "weight decay の項を忘れた",
    "w − η∇L は通常の勾配降下です。weight decay では勾配に decay·w を加えた "
    "w − η(∇L + decay·w) で更新し、毎ステップ重みを (1 − η·decay) 倍に縮めます。",
)
WD_NO_LR = Trap(
    "decay-without-lr",
    "decay·w に学習率を掛け忘れた",
    "w − η∇L − decay·w になっています。decay·w も勾配の一部なので学習率 η を掛けます: "
    "w − η(∇L + decay·w)。",
)
WD_SIGN = Trap(
    "decay-sign",
    "decay 項の符号を逆にした",
    "w − η(∇L − decay·w) では重みが大きくなる向きに動きます。"
    "weight decay は重みを 0 に近づける項なので、勾配に +decay·w を加えます。",
)
WD_DOUBLE = Trap(
    "double-decay",
    "decay を 2 倍にした（λΣwⱼ² の勾配 2λw と混同）",
    "与えられた decay は更新式の w の係数そのものです。λΣwⱼ² の L2正則化と対応させるときに "
    "decay = 2λ となるのであって、decay が与えられたらそのまま使います。",
)
WD_HALF = Trap(
    "half-decay",
    "decay を半分にした",
    "decay/2 を使っています。更新式は w − η(∇L + decay·w) で、decay に ½ は付きません。",
)
WD_ASCENT = Trap(
    "gradient-ascent",
    "勾配の向きに進んだ",
    "w + η(∇L + decay·w) は損失が増える向きです。勾配降下では勾配を引きます。",
)
WD_FORGOT_LR = Trap(
    "forgot-lr",
    "学習率を掛け忘れた",
    "w − (∇L + decay·w) になっています。勾配全体に学習率 η を掛けてから引きます。",
)

DL_SAME = Trap(
    "decay-equals-lambda",
    "decay = λ とした",
    "λΣwⱼ² の勾配は 2λw なので、勾配降下では decay = 2λ です。decay = λ になるのは罰則を "
    "(λ/2)Σwⱼ² と書いたときです。",
)
DL_DOUBLE = Trap(
    "decay-equals-two-lambda",
    "decay = 2λ とした",
    "(λ/2)Σwⱼ² の勾配は λw なので decay = λ です。decay = 2λ になるのは罰則が "
    "λΣwⱼ²（½ なし）のときです。",
)
DL_HALF = Trap(
    "decay-equals-half-lambda",
    "decay = λ/2 とした",
    "λ を半分にしています。罰則の勾配を計算すると、λΣwⱼ² なら 2λw、(λ/2)Σwⱼ² なら λw で、"
    "w の係数がそのまま decay です。",
)
DL_TIMES_LR = Trap(
    "times-learning-rate",
    "学習率を掛けた（1ステップの縮小量と混同）",
    "η·decay は 1 ステップで重みが縮む割合（w ← (1 − η·decay)w − η∇L）です。"
    "decay と λ の換算は罰則の勾配だけで決まり、学習率 η は入りません。",
)
DL_SHRINK = Trap(
    "shrink-factor",
    "1ステップの縮小率を答えた",
    "1 − η·decay は 1 ステップで重みに掛かる倍率です。問われている係数とは別の量です。",
)
LD_SAME = Trap(
    "lambda-equals-decay",
    "λ = decay とした",
    "λΣwⱼ² の勾配は 2λw なので decay = 2λ、つまり λ = decay/2 です。λ = decay になるのは "
    "罰則を (λ/2)Σwⱼ² と書いたときです。",
)
LD_HALF = Trap(
    "lambda-equals-half-decay",
    "λ = decay/2 とした",
    "(λ/2)Σwⱼ² の勾配は λw なので decay = λ です。λ = decay/2 になるのは罰則が "
    "λΣwⱼ²（½ なし）のときです。",
)
LD_DOUBLE = Trap(
    "lambda-equals-two-decay",
    "λ = 2·decay とした（換算の向きが逆）",
    "換算の向きが逆です。罰則の勾配の w の係数が decay なので、λΣwⱼ² なら 2λ = decay、"
    "(λ/2)Σwⱼ² なら λ = decay です。",
)
SH_FORGOT_LR = Trap(
    "forgot-lr",
    "学習率を掛け忘れた",
    "1 − decay になっています。更新 w ← w − η(∇L + decay·w) で w に掛かる倍率は 1 − η·decay です。",
)
SH_WRONG_DECAY = Trap(
    "wrong-decay",
    "decay と λ の換算を誤った",
    "罰則の勾配の w の係数が decay です: λΣwⱼ² なら decay = 2λ、(λ/2)Σwⱼ² なら decay = λ。"
    "倍率は 1 − η·decay です。",
)
SH_AMOUNT = Trap(
    "shrink-amount",
    "縮む量（割合）を答えた",
    "η·decay は縮む割合で、重みに掛かる倍率はそれを 1 から引いた 1 − η·decay です。",
)
SH_PLUS = Trap(
    "shrink-sign",
    "1 + η·decay とした",
    "weight decay は重みを縮めるので倍率は 1 より小さい 1 − η·decay です。",
)

ES_BEST = Trap(
    "best-epoch",
    "最良のエポックを答えた",
    "検証損失が最小のエポックは、保存して使う重みのエポックです。学習が止まるのは、"
    "そこから patience エポック続けて最小値が更新されなかった時点です。",
)
ES_PLUS_ONE = Trap(
    "patience-plus-one",
    "patience より 1 エポック長く待った",
    "更新なしが patience 回目に達したエポックで停止します。さらに 1 エポック待つ必要はありません。",
)
ES_MINUS_ONE = Trap(
    "patience-minus-one",
    "patience より 1 エポック早く止めた",
    "更新なしのエポックを patience 回数える前に止めています。最小値を更新したエポックは数えず、"
    "その次から数えて patience 回目で停止します。",
)
ES_ZERO_BASED = Trap(
    "zero-based-epoch",
    "エポックを 0 から数えた",
    "エポック番号は 1 から数えます（1エポック目の損失が列の最初の値）。",
)
ES_VS_PREVIOUS = Trap(
    "compared-with-previous",
    "直前のエポックと比べた",
    "早期終了で比べるのは直前のエポックではなく、それまでの最小値（best）です。"
    "直前より下がっても best を下回らなければ「更新なし」と数えます。",
)
ES_NON_STRICT = Trap(
    "ties-count-as-improvement",
    "同じ値を「更新」と数えた",
    "best と同じ値は最小値の更新ではありません（厳密に小さいときだけ更新）。",
)
ES_NEVER = Trap(
    "never-stopped",
    "早期終了をかけなかった",
    "最後のエポックまで学習したことになっています。patience エポック続けて最小値が"
    "更新されなかった時点で学習を打ち切ります。",
)


# ------------------------------------------------------------------ weight decay
def weight_decay(rng: Rand, level: str) -> Draft | None:
    """One step w − lr·(grad + decay·w)."""
    if level == "calc":
        n = rng.integer(3, 5)
        w = [rng.integer(-50, 50) / 10 for _ in range(n)]
        grad = [rng.integer(-40, 40) / 10 for _ in range(n)]
        lr = rng.choice((0.1, 0.2, 0.3, 0.5))
        decay = rng.choice((0.05, 0.1, 0.3, 0.4))
    else:
        n = rng.integer(2, 3)
        w = [float(rng.nonzero(-5, 5)) for _ in range(n)]
        step = 0.5 if rng.chance(0.4) else 1.0
        grad = [rng.integer(-4, 4) * step for _ in range(n)]
        lr = rng.choice((0.1, 0.1, 0.2, 0.5, 0.01))
        decay = rng.choice((0.1, 0.1, 0.2, 0.5, 1.0, 0.01, 0.05))
    answer = engine.weight_decay_step(w, grad, lr, decay).tolist()
    if level == "hand" and not is_nice(answer):
        return None
    dw = [decay * v for v in w]
    total = [g + d for g, d in zip(grad, dw, strict=True)]
    step_v = [lr * t for t in total]
    steps = [
        "weight decay 付きの更新式（η = lr）: w ← w − η(∇L + decay·w) = (1 − η·decay)w − η∇L",
        f"decay·w = {num(decay)} × {vec(w)} = {vec(dw)}",
        f"∇L + decay·w = {vec(grad)} + {vec(dw)} = {vec(total)}",
        f"η(∇L + decay·w) = {num(lr)} × {vec(total)} = {vec(step_v)}",
        f"w − η(∇L + decay·w) = {vec(w)} − {vec(step_v)} = {vec(answer)}",
        f"（確かめ: 1 − η·decay = 1 − {num(lr)} × {num(decay)} = {num(1 - lr * decay)} 倍に"
        "縮めてから η∇L を引いても同じ）",
    ]

    def upd(g_coef: float, d_coef: float, lr_: float, sign_: float = -1.0) -> list[float]:
        return [
            wi + sign_ * lr_ * (g_coef * gi + d_coef * wi) for wi, gi in zip(w, grad, strict=True)
        ]

    traps = [
        (WD_FORGOT_DECAY, upd(1, 0, lr)),
        (WD_NO_LR, [wi - lr * gi - decay * wi for wi, gi in zip(w, grad, strict=True)]),
        (WD_SIGN, upd(1, -decay, lr)),
        (WD_DOUBLE, upd(1, 2 * decay, lr)),
        (WD_HALF, upd(1, decay / 2, lr)),
        (WD_ASCENT, upd(1, decay, lr, 1.0)),
        (WD_FORGOT_LR, upd(1, decay, 1.0)),
    ]
    prompt = (
        f"重み w = {vec(w)}、損失の勾配 ∇L = {vec(grad)}、学習率 η = {num(lr)}、"
        f"weight decay 係数 decay = {num(decay)} のとき、更新式 w ← w − η(∇L + decay·w) で"
        "1 ステップ更新した後の w を求めよ。"
    )
    if level == "calc":
        prompt += CALC_NOTE
    data = {"w": w, "grad": grad, "lr": lr, "decay": decay}
    return Draft(prompt, data, answer, steps, traps)


_FORMS = {"lam": "λΣwⱼ²", "half-lam": "(λ/2)Σwⱼ²"}


def weight_decay_lambda(rng: Rand, level: str) -> Draft | None:
    """Weight decay ↔ L2 coefficient: decay from λ, λ from decay, or the per-step factor.

    The gradient of λΣwⱼ² is 2λw and that of (λ/2)Σwⱼ² is λw; under plain gradient descent
    the coefficient of w in it is the weight-decay coefficient. Both conversions are read
    off ``engine.l2_gradient`` at w = 1, and the per-step factor 1 − η·decay off
    ``engine.weight_decay_step`` with w = 1 and a zero data gradient.
    """
    question = rng.choice(("decay", "decay", "lam", "shrink"))
    form = rng.choice(("lam", "half-lam"))
    lr = rng.choice((0.1, 0.1, 0.2, 0.5, 0.01))
    penalty = _FORMS[form]
    # coefficient of λ in the decay: the gradient at w = 1 of the penalty with λ = 1
    per_lam = float(engine.l2_gradient([1.0], 1.0 if form == "lam" else 0.5)[0])
    base = (
        f"L2正則化の罰則を {penalty} と書き、勾配降下法で学習する"
        f"（更新 w ← w − η(∇L + decay·w)、η = {num(lr)}）。"
    )
    if question == "lam":
        decay = rng.choice((0.01, 0.02, 0.04, 0.1, 0.2, 0.4, 1.0))
        answer = decay / per_lam
        lam = answer
        prompt = base + f"weight decay 係数 decay = {num(decay)} に相当する λ を求めよ。"
        steps = [
            f"罰則 {penalty} の勾配: " + ("2λw" if form == "lam" else "λw"),
            "勾配降下ではこの勾配の w の係数が weight decay 係数になる: decay = "
            + ("2λ" if form == "lam" else "λ"),
            f"λ = decay / {num(per_lam)} = {num(decay)} / {num(per_lam)} = {num(answer)}"
            if per_lam != 1
            else f"λ = decay = {num(answer)}",
        ]
        traps = [
            (LD_SAME, decay),
            (LD_HALF, decay / 2),
            (LD_DOUBLE, 2 * decay),
            (DL_TIMES_LR, lr * decay),
        ]
        data = {"question": question, "form": form, "decay": decay, "lr": lr}
    else:
        lam = rng.choice((0.01, 0.02, 0.05, 0.1, 0.2, 0.5))
        decay = float(engine.l2_gradient([1.0], lam if form == "lam" else lam / 2)[0])
        grad_text = "2λw" if form == "lam" else "λw"
        steps = [
            f"罰則 {penalty} の勾配: {grad_text}",
            f"勾配降下ではこの勾配の w の係数が weight decay 係数: decay = "
            f"{'2λ' if form == 'lam' else 'λ'} = {num(decay)}",
        ]
        if question == "decay":
            answer = decay
            prompt = base + f"λ = {num(lam)} に相当する weight decay 係数 decay を求めよ。"
            traps = [
                (DL_SAME if form == "lam" else DL_DOUBLE, lam if form == "lam" else 2 * lam),
                (DL_HALF, lam / 2),
                (DL_TIMES_LR, lr * decay),
                (DL_SHRINK, 1 - lr * decay),
            ]
        else:
            answer = float(engine.weight_decay_step([1.0], [0.0], lr, decay)[0])
            prompt = base + (
                f"λ = {num(lam)} のとき、データの勾配 ∇L を除いて 1 ステップで重みに掛かる倍率 "
                "1 − η·decay を求めよ。"
            )
            steps.append(
                f"w ← w − η·decay·w = (1 − η·decay)w: 1 − {num(lr)} × {num(decay)} = {num(answer)}"
            )
            wrong_decay = lam if form == "lam" else 2 * lam
            traps = [
                (SH_FORGOT_LR, 1 - decay),
                (SH_WRONG_DECAY, 1 - lr * wrong_decay),
                (SH_AMOUNT, lr * decay),
                (SH_PLUS, 1 + lr * decay),
            ]
        data = {"question": question, "form": form, "lam": lam, "lr": lr}
    if level == "hand" and not is_nice(answer):
        return None
    if level == "calc":
        prompt += CALC_NOTE
    return Draft(prompt, data, answer, steps, traps)


# ------------------------------------------------------------------ early stopping
def _stop_epoch(
    losses: list[float], patience: int, *, strict: bool = True, vs_previous: bool = False
) -> int:
    """The stopping rule with a misconception's twist (used for the distractors only)."""
    best = float("inf")
    previous = float("inf")
    waited = 0
    for epoch, loss in enumerate(losses, start=1):
        ref = previous if vs_previous else best
        improved = loss < ref if strict else loss <= ref
        if improved:
            waited = 0
        else:
            waited += 1
            if waited >= patience:
                return epoch
        best = min(best, loss)
        previous = loss
    return len(losses)


def _loss_curve(rng: Rand, level: str, n: int) -> list[float]:
    """A validation curve: falls to a best epoch, then wanders above it (ties and dips too)."""
    scale = 1000 if level == "calc" else 100
    cur = rng.integer(int(0.8 * scale), 2 * scale)
    best_at = rng.integer(2, max(2, n - 2))
    out: list[int] = []
    for epoch in range(1, n + 1):
        if epoch == 1:
            pass
        elif epoch <= best_at:
            cur -= rng.integer(-scale // 50, scale // 5)
        else:
            floor = min(out)
            if rng.chance(0.15):
                cur = floor  # a tie with the best so far
            elif rng.chance(0.1):
                cur = floor - rng.integer(1, scale // 20)  # a late new minimum
            else:
                cur = floor + rng.integer(1, scale // 6)
        cur = max(cur, scale // 20)
        out.append(cur)
    return [v / scale for v in out]


def early_stopping(rng: Rand, level: str) -> Draft | None:
    """The 1-based epoch at which training stops, given the validation losses and patience."""
    if level == "calc":
        n, patience = rng.integer(15, 30), rng.integer(3, 6)
    else:
        n, patience = rng.integer(6, 10), rng.choice((1, 2, 2, 3, 3))
    losses = _loss_curve(rng, level, n)
    answer = engine.early_stopping_epoch(losses, patience)
    if answer == n and not rng.chance(0.1):
        return None
    steps = [
        f"規則: 検証損失の最小値（best）が patience = {patience} エポック続けて更新されなかった"
        "エポックで停止する（best と同じ値は更新ではない）"
    ]
    best = float("inf")
    best_epoch = 0
    waited = 0
    for epoch, loss in enumerate(losses, start=1):
        if loss < best:
            note = (
                f"エポック{epoch}: {num(loss)} < best {num(best)} → 更新（best = {num(loss)}、"
                "更新なし 0 回）"
                if best != float("inf")
                else f"エポック{epoch}: {num(loss)} → best = {num(loss)}"
            )
            best, best_epoch, waited = loss, epoch, 0
        else:
            waited += 1
            note = f"エポック{epoch}: {num(loss)} ≥ best {num(best)} → 更新なし {waited} 回目"
            if waited >= patience:
                note += f" = patience → エポック{epoch}で停止"
        steps.append(note)
        if epoch == answer:
            break
    if waited < patience:
        steps.append(f"最後まで停止条件を満たさないので、最終エポック {n} で終了")
    steps.append(f"答え: エポック{answer}（使う重みは best のエポック{best_epoch} のもの）")
    # the best epoch the run has seen when it stops: the weights early stopping keeps
    # (a lower loss after the stop was never seen, so it is no one's answer)
    traps: list[tuple[Trap, float]] = [
        (ES_BEST, best_epoch),
        (ES_PLUS_ONE, _stop_epoch(losses, patience + 1)),
    ]
    if patience >= 2:
        traps.append((ES_MINUS_ONE, _stop_epoch(losses, patience - 1)))
    traps += [
        (ES_VS_PREVIOUS, _stop_epoch(losses, patience, vs_previous=True)),
        (ES_NON_STRICT, _stop_epoch(losses, patience, strict=False)),
        (ES_ZERO_BASED, answer - 1),
        (ES_NEVER, n),
    ]
    prompt = (
        f"ある学習で、検証損失がエポック 1 から順に {vec(losses)} と推移した"
        "（早期終了がなければこのまま続いたとする）。"
        f"patience = {patience} の早期終了（検証損失の最小値が patience エポック続けて"
        "更新されなければ学習を止める）を用いるとき、学習が停止するエポック（1 始まり）を求めよ。"
    )
    return Draft(prompt, {"val_losses": losses, "patience": patience}, answer, steps, traps)
