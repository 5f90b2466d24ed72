"""Benchmark of loading and validating decks.

``python -m bench.content`` times :func:`studyapp.content.validate_content` (read every
YAML file with the C loader, check the schema, compute every numeric answer, misconception
and code-check value with the engine, render every formula) on

- the bundled decks, target well under 100 ms;
- a synthetic deck of 10,000 cards and 5,000 questions written to a temporary folder
  (choice, multi, truefalse, numeric and code questions in the proportions of the
  bundled deck, a third of the items with a formula), target < 2 s;

and, for information, the synthetic deck's YAML reading alone (compose + line-aware
conversion, no schema checks). Each row is the median of several runs after one warm-up.

Options: ``--cards N``, ``--questions N``, ``--runs N``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench._timing import print_table
from studyapp.content import validate_content
from studyapp.content.models import DeckProblem
from studyapp.content.yamlnodes import LOADER, read_yaml
from studyapp.paths import bundled_content_dir

KEYWORDS = ("norm", "l1-regularization", "lasso", "l2-regularization", "ridge", "dropout")
ITEMS_PER_FILE = 750

TEX = (
    "'\\| \\boldsymbol{{x}} \\|_2 = \\sqrt{{ \\sum_{{i=1}}^{{{n}}} x_i^2 }}'",
    "'\\mathcal{{L}}_{{\\text{{total}}}} = \\mathcal{{L}}_{{\\text{{data}}}} + \\lambda_{{{n}}} "
    "\\sum_{{j=1}}^{{d}} |w_j|'",
    "'\\hat{{\\boldsymbol{{w}}}} = \\left( X^\\top X + {n} I \\right)^{{-1}} X^\\top y'",
    "'\\tilde{{h}} = \\frac{{h \\odot m}}{{1 - p_{{{n}}}}}'",
)

NUMERIC = (
    "{{fn: l2_norm, args: {{x: [{a}, {b}]}}}}",
    "{{fn: l1_penalty, args: {{w: [{a}, -{b}, 1], lam: 0.5}}}}",
    "{{fn: soft_threshold, args: {{z: [{a}, -{b}, 0.5], t: 1}}}}",
    "{{fn: weight_decay_step, args: {{w: [{a}, {b}], grad: [0.5, -0.5], lr: 0.1, decay: 0.01}}}}",
    "{{fn: ridge, args: {{X: [[1, 0], [0, 1], [1, 1]], y: [{a}, {b}, 1], lam: 1}}}}",
    "{{fn: lasso, args: {{X: [[1, 0], [0, 1]], y: [{a}, {b}], lam: 2}}}}",
    "{{fn: early_stopping_epoch, args: {{val_losses: [1.0, 0.{a}, 0.9, 0.95, 0.7], "
    "patience: 2}}}}",
)

SCALAR_NUMERIC = (0, 1, 6)  # indices of NUMERIC whose value is one number


def _card(i: int) -> str:
    kw = KEYWORDS[i % len(KEYWORDS)]
    tex = f"\n    tex: {TEX[i % len(TEX)].format(n=i)}" if i % 3 == 0 else ""
    if i % 10 < 3:
        return (f"  - id: card-{i}\n    keywords: [{kw}]\n"
                f"    cloze: 項目 {i} の L1 正則化は重みの{{{{c1::絶対値の和}}}}に罰則を課し、"
                f"解を{{{{c2::スパース::疎?}}}}にする。{tex}\n    tags: [定義]\n")
    second = "" if kw == "norm" else ", norm"
    return (f"  - id: card-{i}\n    keywords: [{kw}{second}]\n"
            f"    front: 問 {i} L2 ノルム ‖x‖₂ とは何か。\n"
            f"    back: 成分の2乗和の平方根 √(Σxᵢ²)。λ = {i % 7} のとき罰則は λ‖w‖₂²。{tex}\n")


def _question(i: int) -> str:
    kw = KEYWORDS[i % len(KEYWORDS)]
    head = f"  - id: q-{i}\n    keywords: [{kw}]\n"
    tex = f"    tex: {TEX[i % len(TEX)].format(n=i)}\n" if i % 3 == 0 else ""
    explain = (f"    explanation: 問 {i} の解説。正解の理由と、誤答それぞれの誤り"
               "(λ と λ/2 の取り違えなど)。\n")
    kind = i % 20
    if kind < 10:  # choice
        return (head + f"    type: choice\n    prompt: 問 {i} L1 正則化の効果はどれか。\n" + tex
                + "    choices:\n      - 重みを 0 にしやすい(スパース)\n"
                + "      - {text: 重みを一様に大きくする,\n"
                + "         why: 罰則は重みを小さくする方向に働く。}\n"
                + "      - {text: 推論時だけ働く, why: 罰則は訓練時の目的関数に入る。}\n"
                + "      - {text: 学習率を下げる, why: 学習率とは別のハイパーパラメータ。}\n"
                + f"    answer: 0\n{explain}")
    if kind < 12:  # multi
        return (head + f"    type: multi\n    prompt: 問 {i} 正しいものをすべて選べ。\n"
                + "    choices: [L1 はスパース, L2 は滑らかに縮小,\n"
                + "              {text: L2 は特徴選択, why: それは L1。}]\n"
                + f"    answer: [0, 1]\n{explain}")
    if kind < 14:  # truefalse
        return (head + f"    type: truefalse\n    prompt: 問 {i} ドロップアウトは推論時にも使う。\n"
                + f"    answer: false\n{explain}")
    if kind < 18:  # numeric
        a, b = i % 5 + 2, i % 3 + 1
        template = NUMERIC[i % len(NUMERIC)]
        compute = template.format(a=a, b=b)
        # scalar answers get a literal wrong value, vector answers a computed one
        wrong = (f"{{value: {1000 + i}" if i % len(NUMERIC) in SCALAR_NUMERIC
                 else f"{{compute: {template.format(a=a + 3, b=b)}")
        return (head + f"    type: numeric\n    prompt: 問 {i} 値を求めよ。\n" + tex
                + f"    compute: {compute}\n    decimals: 3\n"
                + f"    misconceptions:\n      - {wrong}, why: よくある取り違え。}}\n"
                + explain)
    p = (i % 4 + 1) / 10
    return (head + f"    type: code\n    prompt: 問 {i} inverted dropout の順伝播はどれか。\n"
            + '    choices:\n      - "out = x * mask / (1 - p)"\n'
            + '      - {text: "out = x * mask", why: 1/(1−p) の補正を忘れている。}\n'
            + '      - {text: "out = x * mask * (1 - p)", why: 推論時に補正する方式の係数。}\n'
            + '      - {text: "out = x * (1 - mask)", why: mask を反転している。}\n'
            + "    answer: 0\n    check:\n"
            + f"      given: {{x: [1.0, 2.0, {i}.0], mask: [1, 0, 1], p: {p}}}\n"
            + f"      expect: {{fn: dropout_apply, args: {{x: [1.0, 2.0, {i}.0], mask: [1, 0, 1], "
            + f"p: {p}}}}}\n{explain}")


def write_synthetic_deck(root: Path, n_cards: int, n_questions: int) -> list[Path]:
    """Write a deck of ``n_cards`` cards and ``n_questions`` questions under ``root``.

    Returns the item files written.
    """
    deck = root / "synthetic"
    deck.mkdir(parents=True)
    keywords = "\n".join(f"  - {{id: {k}, name: {k}, en: {k}}}" for k in KEYWORDS)
    (deck / "deck.yaml").write_text(f"id: synthetic\ntitle: 合成デッキ\nkeywords:\n{keywords}\n",
                                    encoding="utf-8")
    files = []
    for start in range(0, n_cards, ITEMS_PER_FILE):
        body = "".join(_card(i) for i in range(start, min(start + ITEMS_PER_FILE, n_cards)))
        files.append(deck / f"cards-{start // ITEMS_PER_FILE:03d}.yaml")
        files[-1].write_text("cards:\n" + body, encoding="utf-8")
    for start in range(0, n_questions, ITEMS_PER_FILE):
        body = "".join(_question(i)
                       for i in range(start, min(start + ITEMS_PER_FILE, n_questions)))
        files.append(deck / f"questions-{start // ITEMS_PER_FILE:03d}.yaml")
        files[-1].write_text("questions:\n" + body, encoding="utf-8")
    return files


def _samples(fn: Callable[[], object], runs: int) -> list[float]:
    fn()  # warm-up
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def _validate(root: Path, expect_clean: bool) -> tuple[int, int, int]:
    library, problems = validate_content(root)
    if expect_clean and problems:
        raise SystemExit("the deck has problems; the benchmark needs a clean deck:\n"
                         + "\n".join(map(str, problems[:10])))
    files = len({p for d in library.decks for p in d.path.glob("*.yaml")})
    return files, library.card_count, library.question_count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.content", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    rows: list[list[str]] = []

    def row(case: str, counts: tuple[int, int, int], samples: list[float], target: str) -> None:
        files, cards, questions = counts
        rows.append([case, str(files), f"{cards:,}", f"{questions:,}", str(len(samples)),
                     f"{statistics.median(samples) * 1e3:.1f}", f"{min(samples) * 1e3:.1f}",
                     target])

    bundled = bundled_content_dir()
    counts = _validate(bundled, expect_clean=False)
    row("bundled decks: load + validate", counts,
        _samples(lambda: validate_content(bundled), max(args.runs, 15)), "< 100 ms")

    with tempfile.TemporaryDirectory(prefix="bench-content-") as tmp:
        root = Path(tmp)
        files = write_synthetic_deck(root, args.cards, args.questions)
        size_mb = sum(f.stat().st_size for f in files) / 1e6
        counts = _validate(root, expect_clean=True)
        row("synthetic deck: load + validate", counts,
            _samples(lambda: validate_content(root), args.runs), "< 2 s")

        def read_only() -> None:
            problems: list[DeckProblem] = []
            for f in files:
                read_yaml(f, problems)

        row("synthetic deck: YAML reading only", counts, _samples(read_only, args.runs), "—")

    load = f", load average {os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else ""
    print(f"python {sys.version.split()[0]}, YAML loader {LOADER.__name__}, "
          f"synthetic deck {size_mb:.1f} MB in {len(files)} item files, "
          f"{os.cpu_count()} CPUs{load}")
    print_table(["case", "files", "cards", "questions", "runs", "median ms", "min ms",
                 "target"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
