"""The exercises: tasks, starter files, cases drawn from the engine's generators and edge
cases, the classic mistakes with what each would return, hints and model solutions.

Expected values come from ``engine`` (imported when cases are built, never at import
time: ``studyapp exercise --list`` stays fast, and ``check`` starts the sandbox first).
Conventions are the source notes' own: Σ(yᵢ − wᵀxᵢ)² with no 1/(2n) and no intercept,
dropout's p is the drop probability and dropout is inverted (scaled by 1/(1 − p) while
training).
"""

from __future__ import annotations

from typing import Any

from studyapp.exercises.model import Case, Exercise, Mistake, Outputs, arr, call, val


def _np() -> Any:
    import numpy as np

    return np


def _gen(kind: str, seed: int) -> dict[str, Any]:
    from engine.problems import generate

    return dict(generate(kind, seed).data)


def _rng(seed: int) -> Any:
    return _np().random.default_rng(seed)


def _round(a: Any, places: int = 2) -> list[Any]:
    return _np().round(a, places).tolist()


def _starter(signature: str, doc: str, body: str = "") -> str:
    return (
        "import numpy as np\n\n\n"
        f"{signature}\n"
        f'    """{doc}"""\n'
        f"{body}"
        '    raise NotImplementedError("ここを実装してください")\n'
    )


# ---------------------------------------------------------------- soft-threshold

def _st_cases() -> list[Case]:
    cases = []
    z: list[float] = []
    for seed in range(1, 9):  # z is a number or a list in the generator's problems
        drawn = _gen("soft-threshold", seed)["z"]
        z += drawn if isinstance(drawn, list) else [drawn]
    t = _gen("soft-threshold", 1)["t"]
    cases.append(Case("生成問題 seed 1–8 の z", {"z": z, "t": t}, [], {"z": z, "t": t}))
    for seed in (11, 12):
        rng = _rng(seed)
        zz = _round(rng.normal(0, 3, size=7))
        tt = float(round(rng.uniform(0.5, 2.5), 1))
        cases.append(Case(f"乱数 seed {seed}", {"z": zz, "t": tt}, [], {"z": zz, "t": tt}))
    edges = [
        ("z がすべて 0", [0.0, 0.0, 0.0], 1.0),
        ("t = 0（そのまま）", [-2.5, 0.0, 1.5], 0.0),
        ("|z| = t ちょうど", [-1.5, 1.5, 3.0], 1.5),
        ("2次元の z", [[3.0, -0.5], [-4.0, 1.0]], 1.0),
    ]
    cases += [Case(label, {"z": zz, "t": tt}, [], {"z": zz, "t": tt}) for label, zz, tt in edges]
    return [Case(c.label, c.inputs, [call("soft_threshold", arr(c.data["z"]), val(c.data["t"]))],
                 c.data) for c in cases]


def _st_expected(case: Case) -> Outputs:
    import engine

    return [engine.soft_threshold(_np().asarray(case.data["z"], float), case.data["t"])]


def _st_z(case: Case) -> Any:
    return _np().asarray(case.data["z"], float)


SOFT_THRESHOLD = Exercise(
    id="soft-threshold",
    title="ソフト閾値関数 (soft thresholding)",
    defines="soft_threshold(z, t)",
    keywords=("l1-regularization", "lasso", "sparse-representation"),
    task=(
        "配列 z の各要素に軟閾値関数（soft thresholding）を適用する関数 "
        "soft_threshold(z, t) を実装してください。\n\n"
        "  S(z, t) = sign(z)·max(|z| − t, 0)\n\n"
        "- z は任意の形の numpy 配列、t ≥ 0 はスカラーです。\n"
        "- |z| ≤ t の要素はちょうど 0 に、それ以外は 0 に向かって t だけ縮めます。\n"
        "- Lasso の座標降下法で、各重みの更新に使われる演算です（スパースな解の源）。\n"
        "- 戻り値は z と同じ形の配列です。"
    ),
    starter=_starter(
        "def soft_threshold(z, t):",
        "軟閾値関数 sign(z)·max(|z| − t, 0) を要素ごとに返す。\n\n"
        "    z: numpy 配列（任意の形）, t: 0 以上のスカラー\n    ",
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def soft_threshold(z, t):\n"
        "    return np.sign(z) * np.maximum(np.abs(z) - t, 0.0)\n"
    ),
    hints=(
        "|z| から t を引き、負になったところは 0 にします（np.maximum）。",
        "大きさだけ縮めたあと、元の符号 np.sign(z) を掛けて戻します。",
        "np.sign(z) * np.maximum(np.abs(z) - t, 0) の1行で書けます。",
    ),
    output_names=("soft_threshold(z, t)",),
    make_cases=_st_cases,
    expected=_st_expected,
    mistakes=(
        Mistake(
            "硬い閾値（hard thresholding）",
            "|z| > t の要素をそのまま残しています。軟閾値では残す要素も t だけ 0 に近づけます"
            "（z − t·sign(z)）。硬い閾値は L0 に対応し、L1（Lasso）の解ではありません。",
            lambda c: [_st_z(c) * (_np().abs(_st_z(c)) > c.data["t"])],
            "import numpy as np\n\ndef soft_threshold(z, t):\n"
            "    return z * (np.abs(z) > t)\n",
        ),
        Mistake(
            "符号の付け忘れ",
            "max(|z| − t, 0) だけでは負の z も正になります。"
            "最後に sign(z) を掛けて符号を戻します。",
            lambda c: [_np().maximum(_np().abs(_st_z(c)) - c.data["t"], 0.0)],
            "import numpy as np\n\ndef soft_threshold(z, t):\n"
            "    return np.maximum(np.abs(z) - t, 0)\n",
        ),
        Mistake(
            "負の側を 0 にした（ReLU 型）",
            "max(z − t, 0) は z < −t の要素まで 0 にしてしまいます。"
            "負の側は z + t（0 に向かう）です。",
            lambda c: [_np().maximum(_st_z(c) - c.data["t"], 0.0)],
            "import numpy as np\n\ndef soft_threshold(z, t):\n"
            "    return np.maximum(z - t, 0)\n",
        ),
    ),
)


# ---------------------------------------------------------------- ridge

def _ridge_cases() -> list[Case]:
    raw: list[tuple[str, Any, Any, float]] = []
    for seed in (1, 2, 3, 4):
        d = _gen("ridge", seed)
        raw.append((f"生成問題 ridge seed {seed}", d["X"], d["y"], d["lam"]))
    for seed in (21, 22):
        rng = _rng(seed)
        X = _round(rng.normal(size=(6, 3)))
        y = _round(rng.normal(size=6))
        raw.append((f"乱数 seed {seed}", X, y, float(round(rng.uniform(0.5, 3), 1))))
    rng = _rng(23)
    raw.append(("lam = 0（最小二乗）", _round(rng.normal(size=(5, 2))),
                _round(rng.normal(size=5)), 0.0))
    raw.append(("サンプル1つ (n = 1)", [[1.0, 2.0]], [3.0], 1.0))
    raw.append(("y がすべて 0", [[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], [0.0, 0.0, 0.0], 2.0))
    return [Case(label, {"X": X, "y": y, "lam": lam},
                 [call("ridge", arr(X), arr(y), val(lam))], {"X": X, "y": y, "lam": lam})
            for label, X, y, lam in raw]


def _xy(case: Case) -> tuple[Any, Any]:
    np = _np()
    return np.asarray(case.data["X"], float), np.asarray(case.data["y"], float)


def _ridge_with(case: Case, lam: float) -> Outputs:
    np = _np()
    X, y = _xy(case)
    return [np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)]


def _ridge_expected(case: Case) -> Outputs:
    import engine

    X, y = _xy(case)
    return [engine.ridge(X, y, case.data["lam"]).coef]


RIDGE = Exercise(
    id="ridge",
    title="リッジ回帰の閉形式 (Ridge)",
    defines="ridge(X, y, lam)",
    keywords=("l2-regularization", "ridge"),
    task=(
        "リッジ回帰の重み w を返す関数 ridge(X, y, lam) を実装してください。\n\n"
        "  w = argmin Σᵢ (yᵢ − wᵀxᵢ)² + lam·Σⱼ wⱼ²\n\n"
        "- X は (n, d) 行列、y は長さ n のベクトル、lam ≥ 0。切片なし、1/(2n) なし。\n"
        "- 勾配を 0 とおくと (XᵀX + lam·I) w = Xᵀy。逆行列より np.linalg.solve を使います。\n"
        "- lam = 0 では最小二乗、n = 1（サンプル1つ）でも lam > 0 なら解けます。\n"
        "- 戻り値は長さ d のベクトルです。"
    ),
    starter=_starter(
        "def ridge(X, y, lam):",
        "Σ(yᵢ − wᵀxᵢ)² + lam·Σwⱼ² を最小にする w を返す。\n\n"
        "    X: (n, d) 配列, y: (n,) 配列, lam: 0 以上のスカラー\n    ",
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def ridge(X, y, lam):\n"
        "    d = X.shape[1]\n"
        "    return np.linalg.solve(X.T @ X + lam * np.eye(d), X.T @ y)\n"
    ),
    hints=(
        "目的関数を w で微分すると −2Xᵀ(y − Xw) + 2·lam·w。これを 0 とおきます。",
        "両辺の 2 が消えて (XᵀX + lam·I) w = Xᵀy。I は d×d の単位行列（np.eye(d)）。",
        "np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T @ y)",
    ),
    output_names=("ridge(X, y, lam)",),
    make_cases=_ridge_cases,
    expected=_ridge_expected,
    rtol=1e-6,
    atol=1e-8,
    mistakes=(
        Mistake(
            "λ/2 と λ の取り違え（lam/2 を使った）",
            "(λ/2)‖w‖² の流儀の式を使っています。この演習の罰則は lam·Σwⱼ² なので、"
            "正規方程式は (XᵀX + lam·I)w = Xᵀy（lam/2 ではなく lam）です。",
            lambda c: _ridge_with(c, c.data["lam"] / 2),
            "import numpy as np\n\ndef ridge(X, y, lam):\n"
            "    return np.linalg.solve(X.T @ X + lam / 2 * np.eye(X.shape[1]), X.T @ y)\n",
        ),
        Mistake(
            "2λ にした（2 の消し忘れ）",
            "勾配 −2Xᵀ(y − Xw) + 2·lam·w の両辺の 2 は一緒に消えます。罰則の側だけ 2 を残すと "
            "XᵀX + 2·lam·I になってしまいます。",
            lambda c: _ridge_with(c, 2 * c.data["lam"]),
            "import numpy as np\n\ndef ridge(X, y, lam):\n"
            "    return np.linalg.solve(X.T @ X + 2 * lam * np.eye(X.shape[1]), X.T @ y)\n",
        ),
        Mistake(
            "罰則項の入れ忘れ（ただの最小二乗）",
            "lam·I を足していません。これは最小二乗の解で、lam が効いていません。",
            lambda c: [_np().linalg.lstsq(*_xy(c), rcond=None)[0]],
            "import numpy as np\n\ndef ridge(X, y, lam):\n"
            "    return np.linalg.lstsq(X, y, rcond=None)[0]\n",
        ),
    ),
)


# ---------------------------------------------------------------- lasso-cd

def _lasso_cases() -> list[Case]:
    raw: list[tuple[str, Any, Any, float]] = []
    for seed in (1, 2, 3, 4):
        d = _gen("lasso", seed)
        raw.append((f"生成問題 lasso seed {seed}", d["X"], d["y"], d["lam"]))
    for seed, lam in ((31, 2.0), (32, 6.0)):
        rng = _rng(seed)
        X = _round(rng.normal(size=(8, 3)))
        y = _round(rng.normal(0, 2, size=8))
        raw.append((f"乱数 seed {seed}（列が直交しない）", X, y, lam))
    raw.append(("lam が大きく全部 0", [[1.0, 0.5], [0.0, 1.0], [1.0, 1.0]], [1.0, 2.0, 1.0],
                100.0))
    raw.append(("lam = 0（最小二乗）", [[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]], [1.0, 3.0, 2.0],
                0.0))
    raw.append(("y がすべて 0", [[2.0, 1.0], [0.0, 1.0]], [0.0, 0.0], 1.0))
    return [Case(label, {"X": X, "y": y, "lam": lam},
                 [call("lasso", arr(X), arr(y), val(lam), n_iter=val(LASSO_SWEEPS))],
                 {"X": X, "y": y, "lam": lam})
            for label, X, y, lam in raw]


#: the sweeps the grader asks for (``n_iter``): the cases converge to 1e-12 well before
LASSO_SWEEPS = 100


def _cd(case: Case, *, factor: float = 0.5, hard: bool = False, divide: bool = True,
        n_iter: int = LASSO_SWEEPS) -> Outputs:
    """Coordinate descent as a learner would write it, with one of its mistakes."""
    np = _np()
    X, y = _xy(case)
    lam = case.data["lam"]
    w = np.zeros(X.shape[1])
    for _ in range(n_iter):
        for j in range(X.shape[1]):
            r = y - X @ w + X[:, j] * w[j]
            rho = X[:, j] @ r
            z = X[:, j] @ X[:, j]
            t = factor * lam
            new = rho * (abs(rho) > t) if hard else np.sign(rho) * max(abs(rho) - t, 0.0)
            w[j] = new / z if divide and z > 0 else (new if z > 0 else 0.0)
    return [w]


def _lasso_expected(case: Case) -> Outputs:
    import engine

    X, y = _xy(case)
    return [engine.lasso(X, y, case.data["lam"]).coef]


_LASSO_BAD = (
    "import numpy as np\n\n"
    "def lasso(X, y, lam, n_iter=1000):\n"
    "    w = np.zeros(X.shape[1])\n"
    "    for _ in range(n_iter):\n"
    "        for j in range(X.shape[1]):\n"
    "            r = y - X @ w + X[:, j] * w[j]\n"
    "            rho = X[:, j] @ r\n"
    "            z = X[:, j] @ X[:, j]\n"
    "{update}"
    "    return w\n"
)

LASSO_CD = Exercise(
    id="lasso-cd",
    title="Lasso の座標降下法 (coordinate descent)",
    defines="lasso(X, y, lam, n_iter=1000)",
    keywords=("l1-regularization", "lasso", "sparse-representation"),
    task=(
        "座標降下法（coordinate descent）で Lasso の重みを求める関数 "
        "lasso(X, y, lam, n_iter=1000) を実装してください。\n\n"
        "  w = argmin Σᵢ (yᵢ − wᵀxᵢ)² + lam·Σⱼ |wⱼ|\n\n"
        "- w = 0 から始め、n_iter 回、j = 0, 1, …, d−1 の順に wⱼ だけを最適化します。\n"
        "- 部分残差 r = y − Xw + xⱼwⱼ、ρ = xⱼᵀr、z = xⱼᵀxⱼ とすると\n"
        "    wⱼ ← S(ρ, lam/2) / z   （S は軟閾値関数 sign(ρ)·max(|ρ| − t, 0)）\n"
        "- 閾値が lam ではなく lam/2 なのは、二乗誤差の微分に 2 が付くからです（1/(2n) なし）。\n"
        "- 戻り値は長さ d のベクトル。採点は n_iter=100 を渡し、エンジンの Lasso"
        "（収束するまで回した解）と比べます。"
    ),
    starter=_starter(
        "def lasso(X, y, lam, n_iter=1000):",
        "座標降下法で Σ(yᵢ − wᵀxᵢ)² + lam·Σ|wⱼ| を最小にする w を返す。\n\n"
        "    X: (n, d) 配列, y: (n,) 配列, lam: 0 以上, n_iter: 全座標を回る回数\n    ",
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def lasso(X, y, lam, n_iter=1000):\n"
        "    w = np.zeros(X.shape[1])\n"
        "    for _ in range(n_iter):\n"
        "        for j in range(X.shape[1]):\n"
        "            r = y - X @ w + X[:, j] * w[j]   # wⱼ を除いた部分残差\n"
        "            rho = X[:, j] @ r\n"
        "            z = X[:, j] @ X[:, j]\n"
        "            w[j] = np.sign(rho) * max(abs(rho) - lam / 2, 0.0) / z\n"
        "    return w\n"
    ),
    hints=(
        "wⱼ 以外を固定すると、目的関数は wⱼ の2次関数 + lam·|wⱼ| になります。",
        "その最小点は wⱼ = S(ρ, lam/2)/z（ρ = xⱼᵀr、z = xⱼᵀxⱼ、r は wⱼ を除いた残差）。",
        "r = y - X @ w + X[:, j] * w[j] とすると、ρ = X[:, j] @ r です。",
    ),
    output_names=("lasso(X, y, lam)",),
    make_cases=_lasso_cases,
    expected=_lasso_expected,
    rtol=1e-5,
    atol=1e-6,
    mistakes=(
        Mistake(
            "閾値が λ（λ/2 のところ）",
            "二乗誤差 Σ(yᵢ − wᵀxᵢ)² を微分すると 2 が付くので、閾値は lam ではなく lam/2 です"
            "（1/(2n) を付ける流儀なら λ ですが、この演習の式には付いていません）。",
            lambda c: _cd(c, factor=1.0),
            _LASSO_BAD.format(update="            w[j] = np.sign(rho) * max(abs(rho) - lam, 0.0)"
                                     " / z\n"),
        ),
        Mistake(
            "硬い閾値（hard thresholding）",
            "|ρ| > lam/2 のときに ρ/z をそのまま使っています。L1 の解は軟閾値で、"
            "残す重みも lam/2 だけ 0 に近づけます。",
            lambda c: _cd(c, hard=True),
            _LASSO_BAD.format(update="            w[j] = rho * (abs(rho) > lam / 2) / z\n"),
        ),
        Mistake(
            "xⱼᵀxⱼ で割り忘れ",
            "更新は S(ρ, lam/2) を z = xⱼᵀxⱼ で割ったものです。列が正規化されていない X では、"
            "割らないと大きさが合いません。",
            lambda c: _cd(c, divide=False),
            _LASSO_BAD.format(update="            w[j] = np.sign(rho) * max(abs(rho) - lam / 2,"
                                     " 0.0)\n"),
        ),
    ),
)


# ---------------------------------------------------------------- dropout-layer

def _dropout_cases() -> list[Case]:
    raw: list[tuple[str, Any, float, int]] = []
    for seed in (1, 2, 3):
        d = _gen("dropout", seed)
        raw.append((f"生成問題 dropout seed {seed} の x と p", d["x"], d["p"], 100 + seed))
    rng = _rng(41)
    raw.append(("乱数 seed 41（2次元の x）", _round(rng.normal(size=(3, 4))), 0.3, 141))
    raw.append(("p = 0（何も落とさない）", [1.0, -2.0, 3.0], 0.0, 142))
    raw.append(("要素1つ", [2.5], 0.5, 7))
    cases = []
    for label, x, p, seed in raw:
        rng = _rng(seed)
        dout = _round(rng.normal(size=_np().shape(x)))
        cases.append(Case(
            label, {"p": p, "x": x, "dout": dout, "np.random.seed": seed},
            [{"op": "seed", "seed": seed},
             {"op": "new", "name": "Dropout", "args": [val(p)], "kwargs": {}},
             {"op": "method", "name": "forward", "args": [arr(x)], "kwargs": {"train": val(True)}},
             {"op": "method", "name": "backward", "args": [arr(dout)], "kwargs": {}},
             {"op": "method", "name": "forward", "args": [arr(x)],
              "kwargs": {"train": val(False)}}],
            {"x": x, "p": p, "dout": dout, "seed": seed},
        ))
    return cases


def _mask(case: Case, keep_below: bool = False) -> Any:
    np = _np()
    x = np.asarray(case.data["x"], float)
    draw = np.random.RandomState(case.data["seed"]).rand(*x.shape)
    return (draw < case.data["p"]) if keep_below else (draw > case.data["p"])


def _dropout_outputs(case: Case, *, fwd_scale: bool = True, bwd_scale: bool = True,
                     eval_factor: float = 1.0) -> Outputs:
    np = _np()
    x = np.asarray(case.data["x"], float)
    dout = np.asarray(case.data["dout"], float)
    m = _mask(case)
    s = 1.0 / (1.0 - case.data["p"])
    return [x * m * (s if fwd_scale else 1.0), dout * m * (s if bwd_scale else 1.0),
            x * (eval_factor if eval_factor != 1.0 else 1.0)]


def _dropout_expected(case: Case) -> Outputs:
    import engine

    x = case.data["x"]
    m = _mask(case).astype(float)
    dout = case.data["dout"]
    p = case.data["p"]
    return [engine.apply_dropout_mask(x, m, p), engine.apply_dropout_mask(dout, m, p),
            engine.apply_dropout_mask(x, m, p, train=False)]


def _dropout_keep_confused(case: Case) -> Outputs:
    np = _np()
    x = np.asarray(case.data["x"], float)
    dout = np.asarray(case.data["dout"], float)
    m = _mask(case, keep_below=True)
    p = case.data["p"]
    with np.errstate(divide="ignore", invalid="ignore"):
        return [x * m / p, dout * m / p, x]


_DROPOUT_BAD = (
    "import numpy as np\n\n"
    "class Dropout:\n"
    "    def __init__(self, p):\n"
    "        self.p = p\n"
    "        self.mask = None\n\n"
    "    def forward(self, x, train=True):\n"
    "        if not train:\n"
    "            return {eval}\n"
    "        self.mask = {mask}\n"
    "        return {fwd}\n\n"
    "    def backward(self, dout):\n"
    "        return {bwd}\n"
)


def _dropout_bad(*, eval: str = "x", mask: str = "np.random.rand(*x.shape) > self.p",
                 fwd: str = "x * self.mask / (1 - self.p)",
                 bwd: str = "dout * self.mask / (1 - self.p)") -> str:
    return _DROPOUT_BAD.format(eval=eval, mask=mask, fwd=fwd, bwd=bwd)


DROPOUT_LAYER = Exercise(
    id="dropout-layer",
    title="ドロップアウト層（inverted dropout）",
    defines="class Dropout(p): forward(x, train=True), backward(dout)",
    keywords=("dropout",),
    task=(
        "逆ドロップアウト（inverted dropout）の層 Dropout(p) を実装してください。\n\n"
        "- p はユニットを「落とす」確率です（残す確率ではありません）。\n"
        "- forward(x, train=True): マスク mask = np.random.rand(*x.shape) > p を作って保存し、"
        "x * mask / (1 − p) を返します（この順で乱数を1回だけ引くこと：採点は"
        " np.random.seed で同じマスクを再現します）。\n"
        "- forward(x, train=False): 推論時は何もせず x をそのまま返します"
        "（学習時に 1/(1 − p) を掛けているので、推論時のスケーリングは不要）。\n"
        "- backward(dout): 保存したマスクで dout * mask / (1 − p) を返します"
        "（順伝播と同じスケーリング）。"
    ),
    starter=(
        "import numpy as np\n\n\n"
        "class Dropout:\n"
        '    """逆ドロップアウト。p は落とす確率。"""\n\n'
        "    def __init__(self, p):\n"
        "        self.p = p\n"
        "        self.mask = None\n\n"
        "    def forward(self, x, train=True):\n"
        '        """学習時は mask = np.random.rand(*x.shape) > p で x * mask / (1 - p)、'
        '推論時は x。"""\n'
        '        raise NotImplementedError("ここを実装してください")\n\n'
        "    def backward(self, dout):\n"
        '        """順伝播で保存したマスクを使って勾配を返す。"""\n'
        '        raise NotImplementedError("ここを実装してください")\n'
    ),
    solution=(
        "import numpy as np\n\n\n"
        "class Dropout:\n"
        "    def __init__(self, p):\n"
        "        self.p = p\n"
        "        self.mask = None\n\n"
        "    def forward(self, x, train=True):\n"
        "        if not train:\n"
        "            return x\n"
        "        self.mask = np.random.rand(*x.shape) > self.p\n"
        "        return x * self.mask / (1.0 - self.p)\n\n"
        "    def backward(self, dout):\n"
        "        return dout * self.mask / (1.0 - self.p)\n"
    ),
    hints=(
        "残す確率は 1 − p。期待値を学習時と推論時で揃えるため、学習時に 1/(1 − p) を掛けます。",
        "forward で self.mask を保存し、backward でも同じマスクと同じ 1/(1 − p) を使います。",
        "推論時（train=False）は x をそのまま返します。(1 − p) を掛けるのは逆でない古い方式です。",
    ),
    output_names=("forward(x, train=True)", "backward(dout)", "forward(x, train=False)"),
    make_cases=_dropout_cases,
    expected=_dropout_expected,
    mistakes=(
        Mistake(
            "1/(1−p) のスケーリング忘れ",
            "逆ドロップアウトでは学習時の出力を 1/(1 − p) 倍して期待値を x に揃えます。"
            "x * mask だけでは出力の期待値が (1 − p)·x に縮みます。",
            lambda c: _dropout_outputs(c, fwd_scale=False, bwd_scale=False),
            _dropout_bad(fwd="x * self.mask", bwd="dout * self.mask"),
        ),
        Mistake(
            "backward でマスクだけ掛けてスケーリングを忘れた",
            "順伝播が x * mask / (1 − p) なので、その微分は dout * mask / (1 − p) です。"
            "backward にも同じ 1/(1 − p) が要ります。",
            lambda c: _dropout_outputs(c, bwd_scale=False),
            _dropout_bad(bwd="dout * self.mask"),
        ),
        Mistake(
            "推論時にも (1−p) を掛けた",
            "(1 − p) を推論時に掛けるのは、学習時にスケーリングしない従来型のドロップアウトです。"
            "逆ドロップアウトでは推論時は x のままです。",
            lambda c: [*_dropout_outputs(c)[:2],
                       _np().asarray(c.data["x"], float) * (1 - c.data["p"])],
            _dropout_bad(eval="x * (1 - self.p)"),
        ),
        Mistake(
            "p を残す確率と取り違えた",
            "p は落とす確率です。残すのは rand > p の要素で、スケーリングは 1/(1 − p) です"
            "（rand < p を残して 1/p 倍すると、p が残す確率の流儀になります）。",
            _dropout_keep_confused,
            _dropout_bad(mask="np.random.rand(*x.shape) < self.p",
                         fwd="x * self.mask / self.p", bwd="dout * self.mask / self.p"),
        ),
    ),
)


# ---------------------------------------------------------------- weight-decay-step

def _wd_cases() -> list[Case]:
    raw: list[tuple[str, Any, Any, float, float]] = []
    for seed in (1, 2, 3, 4):
        d = _gen("weight-decay", seed)
        raw.append((f"生成問題 weight-decay seed {seed}", d["w"], d["grad"], d["lr"], d["decay"]))
    rng = _rng(51)
    raw.append(("乱数 seed 51（2次元の w）", _round(rng.normal(size=(2, 3))),
                _round(rng.normal(size=(2, 3))), 0.05, 0.01))
    raw.append(("decay = 0（ただの SGD）", [1.0, -2.0], [0.5, 0.5], 0.1, 0.0))
    raw.append(("lr = 0（変わらない）", [1.0, -2.0], [0.5, 0.5], 0.0, 0.3))
    raw.append(("w がすべて 0", [0.0, 0.0, 0.0], [1.0, -1.0, 2.0], 0.1, 0.5))
    return [Case(label, {"w": w, "grad": g, "lr": lr, "decay": dc},
                 [call("sgd_step", arr(w), arr(g), val(lr), val(dc))],
                 {"w": w, "grad": g, "lr": lr, "decay": dc})
            for label, w, g, lr, dc in raw]


def _wgl(case: Case) -> tuple[Any, Any, float, float]:
    np = _np()
    d = case.data
    return np.asarray(d["w"], float), np.asarray(d["grad"], float), d["lr"], d["decay"]


def _wd_expected(case: Case) -> Outputs:
    import engine

    w, g, lr, dc = _wgl(case)
    return [engine.weight_decay_step(w, g, lr, dc)]


def _wd_bad(expr: str) -> str:
    return f"import numpy as np\n\ndef sgd_step(w, grad, lr, decay):\n    return {expr}\n"


WEIGHT_DECAY_STEP = Exercise(
    id="weight-decay-step",
    title="weight decay 付きの SGD 1ステップ",
    defines="sgd_step(w, grad, lr, decay)",
    keywords=("weight-decay", "l2-regularization"),
    task=(
        "weight decay 付き SGD の1ステップ sgd_step(w, grad, lr, decay) を実装してください。\n\n"
        "  w ← w − lr·(grad + decay·w)\n\n"
        "- grad は損失（罰則なし）の勾配、lr は学習率、decay は weight decay の係数です。\n"
        "- w·(1 − lr·decay) − lr·grad と同じで、毎ステップ重みを一定の割合で縮めます。\n"
        "- 罰則 (λ/2)‖w‖² の勾配が λw なので decay = λ、罰則 λ‖w‖² なら decay = 2λ です。\n"
        "- 引数 w を書き換えず、新しい配列を返してください。"
    ),
    starter=_starter(
        "def sgd_step(w, grad, lr, decay):",
        "weight decay 付き SGD の1ステップ w − lr·(grad + decay·w) を返す。\n\n"
        "    w, grad: 同じ形の配列, lr: 学習率, decay: weight decay の係数\n    ",
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def sgd_step(w, grad, lr, decay):\n"
        "    return w - lr * (grad + decay * w)\n"
    ),
    hints=(
        "weight decay は勾配に decay·w を足すことと同じです。",
        "足した勾配全体に学習率 lr を掛けてから w から引きます。",
        "w - lr * (grad + decay * w)",
    ),
    output_names=("sgd_step(w, grad, lr, decay)",),
    make_cases=_wd_cases,
    expected=_wd_expected,
    mistakes=(
        Mistake(
            "decay に 2 を掛けた（λ/2 と λ の取り違え）",
            "2·decay·w は罰則 decay·‖w‖² の勾配です。weight decay の係数 decay は、"
            "そのまま decay·w を勾配に足します（decay = λ は (λ/2)‖w‖² の流儀）。",
            lambda c: [(lambda w, g, lr, dc: w - lr * (g + 2 * dc * w))(*_wgl(c))],
            _wd_bad("w - lr * (grad + 2 * decay * w)"),
        ),
        Mistake(
            "decay·w に学習率を掛け忘れた",
            "w − lr·grad − decay·w では減衰が学習率と無関係になります。lr は (grad + decay·w) "
            "全体に掛かります。",
            lambda c: [(lambda w, g, lr, dc: w - lr * g - dc * w)(*_wgl(c))],
            _wd_bad("w - lr * grad - decay * w"),
        ),
        Mistake(
            "減衰の符号が逆",
            "weight decay は重みを 0 に近づけます。grad − decay·w だと重みが大きくなります。",
            lambda c: [(lambda w, g, lr, dc: w - lr * (g - dc * w))(*_wgl(c))],
            _wd_bad("w - lr * (grad - decay * w)"),
        ),
    ),
)


# ---------------------------------------------------------------- early-stopping

def _es_cases() -> list[Case]:
    raw: list[tuple[str, list[float], int]] = []
    for seed in (1, 2, 3, 4, 5):
        d = _gen("early-stopping", seed)
        raw.append((f"生成問題 early-stopping seed {seed}", d["val_losses"], d["patience"]))
    raw += [
        ("同じ値（タイ）は改善ではない", [1.0, 0.9, 0.9, 0.9, 0.8], 2),
        ("タイのあとに改善", [1.0, 0.8, 0.8, 0.7, 0.9, 0.95, 0.99], 2),
        ("ずっと改善（最後のエポック）", [1.0, 0.9, 0.8, 0.7], 1),
        ("patience がエポック数より長い", [0.5, 0.6, 0.7], 5),
        ("エポック1つ", [0.5], 1),
    ]
    return [Case(label, {"val_losses": v, "patience": p},
                 [call("stop_epoch", val(v), val(p))], {"v": v, "p": p})
            for label, v, p in raw]


def _stop(v: list[float], patience: int, *, ties_improve: bool = False,
          extra: int = 0) -> int:
    best = float("inf")
    waited = 0
    for epoch, loss in enumerate(v, start=1):
        if loss < best or (ties_improve and loss == best):
            best = min(best, loss)
            waited = 0
        else:
            waited += 1
            if waited >= patience + extra:
                return epoch
    return len(v)


def _es_expected(case: Case) -> Outputs:
    import engine

    return [engine.early_stopping_epoch(case.data["v"], case.data["p"])]


_ES_BAD = (
    "def stop_epoch(val_losses, patience):\n"
    "    best = float('inf')\n"
    "    waited = 0\n"
    "    for epoch, loss in enumerate(val_losses, start={start}):\n"
    "        if loss {cmp} best:\n"
    "            best = loss\n"
    "            waited = 0\n"
    "        else:\n"
    "            waited += 1\n"
    "            if waited {stop} patience:\n"
    "                return epoch\n"
    "    return {last}\n"
)

EARLY_STOPPING = Exercise(
    id="early-stopping",
    title="早期終了 (early stopping) のエポック",
    defines="stop_epoch(val_losses, patience)",
    keywords=("early-stopping",),
    task=(
        "検証損失の列 val_losses（エポックごと、list）と patience から、早期終了で学習が"
        "止まるエポック（1始まり）を返す関数 stop_epoch(val_losses, patience) を実装して"
        "ください。\n\n"
        "- それまでの最小値を厳密に下回ったとき（<）だけを「改善」とします。"
        "同じ値は改善ではありません。\n"
        "- 改善のないエポックが patience 回続いた、そのエポックで止まります。\n"
        "- 最後までそうならなければ、最後のエポック（len(val_losses)）を返します。\n"
        "- 返すのは止まったエポックで、最良のエポック（重みを戻す先）ではありません。"
    ),
    starter=_starter(
        "def stop_epoch(val_losses, patience):",
        "早期終了で学習が止まるエポック（1始まり）を返す。\n\n"
        "    val_losses: エポックごとの検証損失（list）, patience: 1 以上の整数\n    ",
    ),
    solution=(
        "def stop_epoch(val_losses, patience):\n"
        "    best = float('inf')\n"
        "    waited = 0\n"
        "    for epoch, loss in enumerate(val_losses, start=1):\n"
        "        if loss < best:\n"
        "            best = loss\n"
        "            waited = 0\n"
        "        else:\n"
        "            waited += 1\n"
        "            if waited >= patience:\n"
        "                return epoch\n"
        "    return len(val_losses)\n"
    ),
    hints=(
        "最良の損失 best と、改善のないエポック数 waited を持ちながら1エポックずつ見ます。",
        "loss < best なら best を更新して waited = 0、そうでなければ waited += 1。",
        "waited が patience に達したエポックを返します（enumerate(…, start=1) で1始まり）。",
    ),
    output_names=("stop_epoch(val_losses, patience)",),
    make_cases=_es_cases,
    expected=_es_expected,
    mistakes=(
        Mistake(
            "同じ値（タイ）を改善と数えた",
            "loss <= best だと、同じ値が続くたびに待ち回数が 0 に戻ります。改善は厳密に"
            "小さくなったとき（<）だけです。",
            lambda c: [_stop(c.data["v"], c.data["p"], ties_improve=True)],
            _ES_BAD.format(start=1, cmp="<=", stop=">=", last="len(val_losses)"),
        ),
        Mistake(
            "0始まりのエポックを返した",
            "エポックは1始まりで数えます（enumerate(val_losses, start=1)）。",
            lambda c: [_stop(c.data["v"], c.data["p"]) - 1],
            _ES_BAD.format(start=0, cmp="<", stop=">=", last="len(val_losses) - 1"),
        ),
        Mistake(
            "patience を1回多く待った",
            "改善のないエポックが patience 回続いた時点で止まります（waited > patience ではなく"
            " waited >= patience）。",
            lambda c: [_stop(c.data["v"], c.data["p"], extra=1)],
            _ES_BAD.format(start=1, cmp="<", stop=">", last="len(val_losses)"),
        ),
        Mistake(
            "最良のエポックを返した",
            "重みを戻す先（最良のエポック）ではなく、学習が止まったエポックを返します。",
            lambda c: [int(_np().argmin(c.data["v"])) + 1],
            "import numpy as np\n\ndef stop_epoch(val_losses, patience):\n"
            "    return int(np.argmin(val_losses)) + 1\n",
        ),
    ),
)


# ---------------------------------------------------------------- l1-grad / l2-grad

def _pen_cases(fn: str) -> list[Case]:
    raw: list[tuple[str, Any, float]] = []
    for seed in (1, 2, 3):
        d = _gen("l1-penalty" if fn == "l1_grad" else "l2-penalty", seed)
        raw.append((f"生成問題 seed {seed} の w と lam", d["w"], d["lam"]))
    rng = _rng(61)
    raw.append(("乱数 seed 61（2次元の w）", _round(rng.normal(size=(2, 3))), 0.1))
    raw.append(("0 を含む w", [0.0, -1.5, 2.0, 0.0], 0.5))
    raw.append(("lam = 0", [1.0, -2.0], 0.0))
    return [Case(label, {"w": w, "lam": lam}, [call(fn, arr(w), val(lam))],
                 {"w": w, "lam": lam}) for label, w, lam in raw]


def _w(case: Case) -> Any:
    return _np().asarray(case.data["w"], float)


def _l1_expected(case: Case) -> Outputs:
    import engine

    return [engine.l1_gradient(_w(case), case.data["lam"])]


def _l2_expected(case: Case) -> Outputs:
    import engine

    return [engine.l2_gradient(_w(case), case.data["lam"])]


def _grad_bad(fn: str, expr: str) -> str:
    return f"import numpy as np\n\ndef {fn}(w, lam):\n    return {expr}\n"


L1_GRAD = Exercise(
    id="l1-grad",
    title="L1 罰則の勾配（劣勾配）",
    defines="l1_grad(w, lam)",
    keywords=("l1-regularization", "lasso"),
    task=(
        "罰則 lam·Σ|wⱼ| の勾配（劣勾配）を返す関数 l1_grad(w, lam) を実装してください。\n\n"
        "  ∂/∂wⱼ = lam·sign(wⱼ)   （wⱼ = 0 では 0 を選ぶ）\n\n"
        "- |w| は 0 で微分できません。劣微分 [−lam, lam] のうち 0 を返します"
        "（np.sign(0) = 0 なのでそのまま書けます）。\n"
        "- 大きさが wⱼ によらず lam なので、L1 は小さな重みも 0 まで押し切ります（スパース性）。\n"
        "- 戻り値は w と同じ形の配列です。"
    ),
    starter=_starter(
        "def l1_grad(w, lam):",
        "lam·Σ|wⱼ| の劣勾配 lam·sign(w)（w = 0 では 0）を返す。\n\n"
        "    w: 配列, lam: 0 以上のスカラー\n    ",
    ),
    solution="import numpy as np\n\n\ndef l1_grad(w, lam):\n    return lam * np.sign(w)\n",
    hints=(
        "|wⱼ| の微分は wⱼ > 0 で 1、wⱼ < 0 で −1 です。",
        "w = 0 では 0 を返す約束です。np.sign はちょうどそう振る舞います。",
        "lam * np.sign(w)",
    ),
    output_names=("l1_grad(w, lam)",),
    make_cases=lambda: _pen_cases("l1_grad"),
    expected=_l1_expected,
    mistakes=(
        Mistake(
            "w = 0 で 0 にしていない",
            "np.where(w >= 0, lam, -lam) は w = 0 で lam を返します。0 では劣勾配 0 を選ぶ"
            "約束です（np.sign(0) = 0）。",
            lambda c: [_np().where(_w(c) >= 0, c.data["lam"], -c.data["lam"])],
            _grad_bad("l1_grad", "np.where(w >= 0, lam, -lam)"),
        ),
        Mistake(
            "L2 の勾配を書いた",
            "2·lam·w は lam·Σwⱼ² の勾配です。L1 の勾配の大きさは wⱼ によらず lam です。",
            lambda c: [2 * c.data["lam"] * _w(c)],
            _grad_bad("l1_grad", "2 * lam * w"),
        ),
        Mistake(
            "lam の掛け忘れ",
            "sign(w) だけでは罰則の強さ lam が入りません。",
            lambda c: [_np().sign(_w(c))],
            _grad_bad("l1_grad", "np.sign(w)"),
        ),
    ),
)

L2_GRAD = Exercise(
    id="l2-grad",
    title="L2 罰則の勾配",
    defines="l2_grad(w, lam)",
    keywords=("l2-regularization", "weight-decay"),
    task=(
        "罰則 lam·Σwⱼ²（= lam·‖w‖₂²）の勾配を返す関数 l2_grad(w, lam) を実装してください。\n\n"
        "  ∂/∂wⱼ = 2·lam·wⱼ\n\n"
        "- 罰則を (lam/2)·‖w‖² と書く流儀なら勾配は lam·w ですが、この演習の罰則には 1/2 が"
        "ありません。\n"
        "- 勾配は wⱼ に比例するので、L2 は重みを縮めますがちょうど 0 にはしません。\n"
        "- 戻り値は w と同じ形の配列です。"
    ),
    starter=_starter(
        "def l2_grad(w, lam):",
        "lam·Σwⱼ² の勾配 2·lam·w を返す。\n\n    w: 配列, lam: 0 以上のスカラー\n    ",
    ),
    solution="import numpy as np\n\n\ndef l2_grad(w, lam):\n    return 2 * lam * w\n",
    hints=(
        "wⱼ² を wⱼ で微分すると 2wⱼ です。",
        "罰則には 1/2 が付いていないので、2 は消えません。",
        "2 * lam * w",
    ),
    output_names=("l2_grad(w, lam)",),
    make_cases=lambda: _pen_cases("l2_grad"),
    expected=_l2_expected,
    mistakes=(
        Mistake(
            "2 を忘れた（λ/2 の流儀の勾配）",
            "lam·w は (lam/2)‖w‖² の勾配です。この演習の罰則 lam·Σwⱼ² の勾配は 2·lam·w です。",
            lambda c: [c.data["lam"] * _w(c)],
            _grad_bad("l2_grad", "lam * w"),
        ),
        Mistake(
            "L1 の勾配を書いた",
            "lam·sign(w) は L1 罰則の勾配です。L2 の勾配は w に比例します。",
            lambda c: [c.data["lam"] * _np().sign(_w(c))],
            _grad_bad("l2_grad", "lam * np.sign(w)"),
        ),
    ),
)


# ---------------------------------------------------------------- dropconnect

def _dc_cases() -> list[Case]:
    raw: list[tuple[str, Any, Any, float, Any]] = []
    for seed in (1, 2, 3, 4):
        d = _gen("dropconnect", seed)
        raw.append((f"生成問題 dropconnect seed {seed}", d["x"], d["W"], d["p"], d["mask"]))
    rng = _rng(71)
    W = _round(rng.normal(size=(3, 4)))
    raw.append(("乱数 seed 71", _round(rng.normal(size=4)), W, 0.25,
                (rng.random((3, 4)) >= 0.25).astype(int).tolist()))
    raw.append(("p = 0（全部残す）", [1.0, 2.0], [[1.0, -1.0], [0.5, 2.0]], 0.0,
                [[1, 1], [1, 1]]))
    raw.append(("x がすべて 0", [0.0, 0.0], [[1.0, 2.0], [3.0, 4.0]], 0.5, [[1, 0], [0, 1]]))
    return [Case(label, {"x": x, "W": W, "p": p, "mask": m},
                 [call("dropconnect_forward", arr(x), arr(W), val(p), arr(m))],
                 {"x": x, "W": W, "p": p, "mask": m})
            for label, x, W, p, m in raw]


def _xwpm(case: Case) -> tuple[Any, Any, float, Any]:
    np = _np()
    d = case.data
    return (np.asarray(d["x"], float), np.asarray(d["W"], float), d["p"],
            np.asarray(d["mask"], float))


def _dc_expected(case: Case) -> Outputs:
    import engine

    x, W, p, m = _xwpm(case)
    return [engine.apply_dropconnect_mask(x, W, m, p)]


def _dc_bad(expr: str) -> str:
    return (f"import numpy as np\n\ndef dropconnect_forward(x, W, p, mask):\n"
            f"    return {expr}\n")


DROPCONNECT = Exercise(
    id="dropconnect",
    title="ドロップコネクトの順伝播 (DropConnect)",
    defines="dropconnect_forward(x, W, p, mask)",
    keywords=("dropconnect", "dropout"),
    task=(
        "ドロップコネクト（DropConnect）の全結合層の順伝播 dropconnect_forward(x, W, p, mask) "
        "を実装してください。\n\n"
        "  out = (W ⊙ mask) · x / (1 − p)\n\n"
        "- ドロップアウトがユニット（出力）を落とすのに対し、ドロップコネクトは重み（結合）"
        "を1本ずつ落とします。mask は W と同じ形の 0/1 配列（1 が残す結合）です。\n"
        "- p は落とす確率。期待値を揃えるため、逆ドロップアウトと同じく 1/(1 − p) を掛けます。\n"
        "- x は長さ n_in、W は (n_out, n_in)。戻り値は長さ n_out のベクトルです。"
    ),
    starter=_starter(
        "def dropconnect_forward(x, W, p, mask):",
        "DropConnect: (W ⊙ mask)·x / (1 − p) を返す。\n\n"
        "    x: (n_in,), W: (n_out, n_in), p: 落とす確率, mask: W と同じ形の 0/1\n    ",
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def dropconnect_forward(x, W, p, mask):\n"
        "    return (W * mask) @ x / (1.0 - p)\n"
    ),
    hints=(
        "マスクは x ではなく W に要素ごとに掛けます（W * mask）。",
        "落とした重みの分、出力の期待値が (1 − p) 倍に縮むので 1/(1 − p) で戻します。",
        "(W * mask) @ x / (1 - p)",
    ),
    output_names=("dropconnect_forward(x, W, p, mask)",),
    make_cases=_dc_cases,
    expected=_dc_expected,
    mistakes=(
        Mistake(
            "1/(1−p) のスケーリング忘れ",
            "(W ⊙ mask)·x だけでは出力の期待値が (1 − p) 倍に縮みます。1/(1 − p) を掛けます。",
            lambda c: (lambda x, W, p, m: [(W * m) @ x])(*_xwpm(c)),
            _dc_bad("(W * mask) @ x"),
        ),
        Mistake(
            "(1−p) を掛けた（割るところ）",
            "(1 − p) 倍は推論時に期待値を合わせる従来型の補正です。学習時に補正するなら"
            " (1 − p) で割ります。",
            lambda c: (lambda x, W, p, m: [(W * m) @ x * (1 - p)])(*_xwpm(c)),
            _dc_bad("(W * mask) @ x * (1 - p)"),
        ),
        Mistake(
            "マスクの掛け忘れ",
            "W·x / (1 − p) では結合が1本も落ちていません。W * mask を使います。",
            lambda c: (lambda x, W, p, m: [W @ x / (1 - p)])(*_xwpm(c)),
            _dc_bad("W @ x / (1 - p)"),
        ),
    ),
)


# ---------------------------------------------------------------- label-smoothing

def _ls_cases() -> list[Case]:
    raw: list[tuple[str, Any, float]] = []
    for seed in (1, 2, 3, 4):
        d = _gen("label-smoothing", seed)
        raw.append((f"生成問題 label-smoothing seed {seed}", d["y"], d["eps"]))
    raw += [
        ("eps = 0（そのまま）", [0, 1, 0], 0.0),
        ("2クラス", [1, 0], 0.2),
        ("eps = 1（一様分布）", [0, 0, 1, 0], 1.0),
    ]
    return [Case(label, {"y": y, "eps": eps}, [call("smooth_labels", arr(y), val(eps))],
                 {"y": y, "eps": eps}) for label, y, eps in raw]


def _ls_expected(case: Case) -> Outputs:
    import engine

    return [engine.label_smoothing(case.data["y"], case.data["eps"])]


def _ye(case: Case) -> tuple[Any, float, int]:
    y = _np().asarray(case.data["y"], float)
    return y, case.data["eps"], y.shape[-1]


def _ls_bad(expr: str) -> str:
    return ("import numpy as np\n\ndef smooth_labels(y, eps):\n    K = y.shape[-1]\n"
            f"    return {expr}\n")


LABEL_SMOOTHING = Exercise(
    id="label-smoothing",
    title="ラベル平滑化 (label smoothing)",
    defines="smooth_labels(y, eps)",
    keywords=("label-smoothing",),
    task=(
        "one-hot ラベル y（長さ K）にラベル平滑化を施す関数 smooth_labels(y, eps) を実装して"
        "ください。\n\n"
        "  y' = (1 − eps)·y + eps/K\n\n"
        "- 正解クラスは 1 − eps + eps/K、その他のクラスは eps/K になり、合計は 1 のままです。\n"
        "- K はクラス数（y の長さ）。eps = 0 で y のまま、eps = 1 で一様分布 1/K です。\n"
        "- 戻り値は y と同じ形の配列です。"
    ),
    starter=_starter(
        "def smooth_labels(y, eps):",
        "ラベル平滑化 (1 − eps)·y + eps/K を返す。\n\n"
        "    y: one-hot の配列（長さ K）, eps: 0 以上 1 以下\n    ",
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def smooth_labels(y, eps):\n"
        "    K = y.shape[-1]\n"
        "    return (1.0 - eps) * y + eps / K\n"
    ),
    hints=(
        "一様分布 1/K と y を、重み eps と 1 − eps で混ぜます。",
        "K は y の長さ（y.shape[-1]）です。",
        "(1 - eps) * y + eps / K",
    ),
    output_names=("smooth_labels(y, eps)",),
    make_cases=_ls_cases,
    expected=_ls_expected,
    mistakes=(
        Mistake(
            "eps を K で割り忘れた",
            "(1 − eps)·y + eps では合計が 1 + (K − 1)·eps になり、確率分布になりません。"
            "eps は K クラスに等分します（eps/K）。",
            lambda c: (lambda y, e, k: [(1 - e) * y + e])(*_ye(c)),
            _ls_bad("(1 - eps) * y + eps"),
        ),
        Mistake(
            "(1 − eps) を掛け忘れた",
            "y + eps/K では合計が 1 + eps になります。正解クラスの重みを (1 − eps) に下げます。",
            lambda c: (lambda y, e, k: [y + e / k])(*_ye(c)),
            _ls_bad("y + eps / K"),
        ),
        Mistake(
            "残りを K − 1 クラスで分けた",
            "正解に 1 − eps、他に eps/(K − 1) を配る方式は、この式 (1 − eps)·y + eps/K とは"
            "別物です（正解クラスにも eps/K が入ります）。",
            lambda c: (lambda y, e, k: [(1 - e) * y + e / (k - 1) * (1 - y)])(*_ye(c)),
            _ls_bad("(1 - eps) * y + eps / (K - 1) * (1 - y)"),
        ),
    ),
)


# ---------------------------------------------------------------- max-norm

def _mn_cases() -> list[Case]:
    raw: list[tuple[str, Any, float]] = []
    for seed in (1, 2, 3, 4):
        d = _gen("max-norm", seed)
        raw.append((f"生成問題 max-norm seed {seed}", d["w"], d["c"]))
    raw += [
        ("ノルムが c 未満（そのまま）", [0.3, -0.4], 1.0),
        ("ノルムがちょうど c", [3.0, 4.0], 5.0),
        ("w がすべて 0", [0.0, 0.0, 0.0], 1.0),
        ("要素1つ", [-6.0], 2.0),
    ]
    return [Case(label, {"w": w, "c": c}, [call("max_norm", arr(w), val(c))],
                 {"w": w, "c": c}) for label, w, c in raw]


def _mn_expected(case: Case) -> Outputs:
    import engine

    return [engine.max_norm(case.data["w"], case.data["c"])]


def _mn_alt(case: Case, kind: str) -> Outputs:
    np = _np()
    w = _w(case)
    c = case.data["c"]
    n = float(np.linalg.norm(w))
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "always":
            return [w * c / n]
        if kind == "squared":
            return [w * min(1.0, c / n**2) if n else w]
        return [np.clip(w, -c, c)]


def _mn_bad(body: str) -> str:
    return f"import numpy as np\n\ndef max_norm(w, c):\n{body}"


MAX_NORM = Exercise(
    id="max-norm",
    title="ノルム制約 (max-norm) の射影",
    defines="max_norm(w, c)",
    keywords=("norm-constraint",),
    task=(
        "重みベクトル w を L2 ノルムが c 以下の球に射影する関数 max_norm(w, c) を実装して"
        "ください。\n\n"
        "  w' = w·min(1, c/‖w‖₂)\n\n"
        "- ‖w‖₂ ≤ c なら w はそのまま、超えていれば向きを保ったままノルム c に縮めます。\n"
        "- w = 0 のとき ‖w‖₂ = 0 で割らないこと（そのまま 0 を返します）。\n"
        "- 戻り値は w と同じ形の配列です。"
    ),
    starter=_starter(
        "def max_norm(w, c):",
        "w·min(1, c/‖w‖₂) を返す（L2 ノルムが c 以下になるよう射影）。\n\n"
        "    w: 1次元配列, c: 正のスカラー\n    ",
    ),
    solution=(
        "import numpy as np\n\n\n"
        "def max_norm(w, c):\n"
        "    n = np.linalg.norm(w)\n"
        "    if n <= c:\n"
        "        return w.copy()\n"
        "    return w * (c / n)\n"
    ),
    hints=(
        "まず L2 ノルム np.linalg.norm(w) を求め、c と比べます。",
        "c 以下ならそのまま、超えていれば c/‖w‖ 倍します。w = 0 は「c 以下」の側です。",
        "n = np.linalg.norm(w); return w if n <= c else w * (c / n)",
    ),
    output_names=("max_norm(w, c)",),
    make_cases=_mn_cases,
    expected=_mn_expected,
    mistakes=(
        Mistake(
            "常にノルム c に揃えた（min(1, …) を忘れた）",
            "ノルムが c 以下の w は変えません。射影は球の外にあるときだけ縮めます。",
            lambda c: _mn_alt(c, "always"),
            _mn_bad("    return w * c / np.linalg.norm(w)\n"),
        ),
        Mistake(
            "2乗ノルムで割った",
            "c/‖w‖₂² ではなく c/‖w‖₂ です。‖w‖₂ = c になるよう縮めます。",
            lambda c: _mn_alt(c, "squared"),
            _mn_bad("    n2 = np.sum(w ** 2)\n    return w * min(1.0, c / n2) if n2 else w\n"),
        ),
        Mistake(
            "要素ごとに [−c, c] へクリップした",
            "np.clip は各要素を切るだけで、ベクトル全体のノルムは c を超えたままになりえます"
            "（向きも変わります）。ノルム全体で縮めます。",
            lambda c: _mn_alt(c, "clip"),
            _mn_bad("    return np.clip(w, -c, c)\n"),
        ),
    ),
)


#: every exercise, in the order the list shows them
EXERCISES: tuple[Exercise, ...] = (
    SOFT_THRESHOLD, RIDGE, LASSO_CD, DROPOUT_LAYER, WEIGHT_DECAY_STEP, EARLY_STOPPING,
    L1_GRAD, L2_GRAD, DROPCONNECT, LABEL_SMOOTHING, MAX_NORM,
)

BY_ID: dict[str, Exercise] = {e.id: e for e in EXERCISES}


def get(exercise_id: str) -> Exercise | None:
    """The exercise with this id, or ``None``."""
    return BY_ID.get(exercise_id)
