"""Benchmark of ``studyapp import notes``: a 2,000-line study note → a draft deck.

``python -m bench.notes`` writes a synthetic note in the style learners write (front
matter, a ``## キーワード`` list, a ``###`` heading per keyword with bullets, a display
formula with legend lines, a ``####`` sub-heading with bullets and a comparison table,
inline ``$…$``), then times :func:`studyapp.importing.notes.import_notes` end to end:
read, parse, draft, write the YAML files to a new deck folder, validate the deck. Each
run drafts into a fresh folder; the row is the median of the runs after one warm-up.
Target: under 1 s.

Options: ``--lines N`` (default 2000), ``--runs N`` (default 7).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench._timing import fmt_ms, print_table
from studyapp.importing.notes import import_notes

TARGET_SECONDS = 1.0


def _topic(n: int) -> list[str]:
    """One keyword's section: 30 lines."""
    return [
        f"### 手法{n}（Method {n}）",
        f"- 手法{n}は過学習を抑えるための正則化手法の一つで、番号 {n} の性質を持つ",
        f"- 重みの大きさ $\\|w\\|_2^2$ に係数 $\\lambda_{{{n}}}$ を掛けて損失に加える",
        f"- 学習率 $\\eta$ と組み合わせて更新幅を {n} 段階で調整する",
        f"- 推論時には何もしない（手法{n}の特徴）",
        "",
        "$$",
        f"\\mathcal{{L}}_{{\\text{{total}}}} = \\mathcal{{L}}_{{\\text{{data}}}} + "
        f"\\lambda_{{{n}}} \\sum_{{j=1}}^{{d}} w_j^2",
        "$$",
        "",
        "$\\mathcal{L}_{\\text{data}}$：データ損失（例：MSE）",
        f"$\\lambda_{{{n}}}$：正則化係数（手法{n}の強さ）",
        "$w_j$：パラメータ（重み）",
        "",
        f"#### 手法{n}の使いどころ",
        f"- データが少ないとき（{n} 件程度）に効く",
        "- 大きなモデルほど効果が大きい",
        "",
        "| 比較項目 | 効果 | 計算量 |",
        "| --- | --- | --- |",
        f"| 手法{n} | 重みを小さく抑える（$\\lambda_{{{n}}}$ 倍） | $O(d)$ |",
        f"| 対照{n} | 何もしない | $O(1)$ |",
        "",
        f"$$ \\frac{{\\partial \\mathcal{{L}}}}{{\\partial w_j}} = 2 \\lambda_{{{n}}} w_j $$",
        "",
        "$\\partial$：偏微分",
        "",
        f"![](/images/method-{n}.png)",
        "",
        "",
    ]


def make_note(lines: int) -> str:
    head = ["---", 'title: "ベンチマーク用ノート"', "published: true", "---", "",
            ":::message", "自分用のまとめ。", ":::", "", "## キーワード"]
    topics = max(1, (lines - len(head) - 3) // 30)
    keywords = "、".join(f"手法{n}" for n in range(1, topics + 1))
    body = [keywords, "", "## 学習内容"]
    for n in range(1, topics + 1):
        body += _topic(n)
    text = head + body
    text += ["- 補足"] * max(0, lines - len(text))
    return "\n".join(text[:lines]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.notes", description=__doc__)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-notes-") as tmp:
        folder = Path(tmp)
        note = folder / "note.md"
        note.write_text(make_note(args.lines), encoding="utf-8")
        samples = []
        result = None
        for run in range(args.runs + 1):
            root = folder / f"decks-{run}"
            start = time.perf_counter()
            result = import_notes(note, root, "bench")
            elapsed = time.perf_counter() - start
            shutil.rmtree(root)
            if run:  # the first run warms up
                samples.append(elapsed)
        assert result is not None
        median = statistics.median(samples)
        lines = note.read_text(encoding="utf-8").count("\n")
        print_table(
            ["note", "keywords", "cards", "questions", "left out", "median", "target"],
            [[f"{lines:,} lines", str(len(result.keywords)), str(result.cards),
              str(result.questions), str(len(result.skipped)), fmt_ms(median),
              f"< {TARGET_SECONDS * 1e3:.0f} ms"]],
        )
    return 0 if median < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
