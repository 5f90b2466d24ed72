"""Engine benchmark: Lasso, Ridge and dropout, with scikit-learn as the baseline.

Run: ``python -m bench.engine`` (``--repeat N`` for more runs). Prints a Markdown table of
median times; where scikit-learn is installed, its Lasso (alpha = λ/(2n),
fit_intercept=False) and Ridge (alpha = λ) run on the same data in the same process and
the ratio engine/scikit-learn is printed. Targets (issue "Foundation"): Lasso no slower
than scikit-learn at n=50, d=5 and at most 2× at n=2000, d=100.
"""

from __future__ import annotations

import argparse
import warnings

import numpy as np

import engine
from bench._timing import fmt_ms, median_seconds, print_table


def make_problem(n: int, d: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, float]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(size=d) * (rng.random(d) < 0.3)
    y = X @ w + 0.5 * rng.normal(size=n)
    lam_max = float(np.max(np.abs(2 * X.T @ y)))
    return X, y, 0.05 * lam_max


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    args = parser.parse_args(argv)
    try:
        from sklearn.exceptions import ConvergenceWarning as SkConvergenceWarning
        from sklearn.linear_model import Lasso, Ridge
    except ImportError:  # pragma: no cover - optional baseline
        Lasso = Ridge = None

    rows: list[list[str]] = []
    for n, d in [(50, 5), (2000, 100)]:
        X, y, lam = make_problem(n, d)
        ours = engine.lasso(X, y, lam)
        t_ours = median_seconds(lambda X=X, y=y, lam=lam: engine.lasso(X, y, lam),
                                repeat=args.repeat)
        name = f"lasso n={n} d={d} ({ours.n_iter} sweeps, {int((ours.coef != 0).sum())}/{d} ≠ 0)"
        if Lasso is not None:
            for tol, label in [(1e-4, "default tol"), (1e-10, "tol=1e-10")]:
                model = Lasso(alpha=lam / (2 * n), fit_intercept=False, tol=tol,
                              max_iter=100_000)
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", SkConvergenceWarning)
                    t_sk = median_seconds(lambda m=model, X=X, y=y: m.fit(X, y),
                                          repeat=args.repeat)
                diff = float(np.max(np.abs(model.coef_ - ours.coef)))
                rows.append([name, fmt_ms(t_ours), f"sklearn {label}", fmt_ms(t_sk),
                             f"{t_ours / t_sk:.2f}", f"{diff:.1e}"])
        else:
            rows.append([name, fmt_ms(t_ours), "(scikit-learn not installed)", "", "", ""])

        r = engine.ridge(X, y, lam)
        t_r = median_seconds(lambda X=X, y=y, lam=lam: engine.ridge(X, y, lam),
                             repeat=args.repeat)
        if Ridge is not None:
            model = Ridge(alpha=lam, fit_intercept=False)
            t_sk = median_seconds(lambda m=model, X=X, y=y: m.fit(X, y), repeat=args.repeat)
            diff = float(np.max(np.abs(model.coef_ - r.coef)))
            rows.append([f"ridge n={n} d={d}", fmt_ms(t_r), "sklearn", fmt_ms(t_sk),
                         f"{t_r / t_sk:.2f}", f"{diff:.1e}"])
        else:
            rows.append([f"ridge n={n} d={d}", fmt_ms(t_r), "", "", "", ""])

    x = np.random.default_rng(1).normal(size=(1000, 1000))
    gen = np.random.default_rng(2)
    t_d = median_seconds(lambda: engine.dropout(x, 0.5, gen), repeat=args.repeat)
    t_base = median_seconds(lambda: x * (gen.random(x.shape) >= 0.5) / 0.5, repeat=args.repeat)
    rows.append(["dropout 1000×1000 p=0.5", fmt_ms(t_d), "bare numpy mask", fmt_ms(t_base),
                 f"{t_d / t_base:.2f}", ""])

    print(f"median of {args.repeat} runs; ratio = engine / baseline (lower is faster)")
    print_table(["case", "engine", "baseline", "baseline time", "ratio", "max |Δcoef|"], rows)


if __name__ == "__main__":
    main()
