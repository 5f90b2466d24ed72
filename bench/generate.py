"""Generator benchmark: problems per second per kind, in-process.

Run: ``python -m bench.generate`` (``--count N`` problems per run, ``--runs R`` runs,
``--level hand|calc|both``). Each run generates ``N`` problems with fresh seeds (so no
problem is timed twice) — answer from the engine, worked steps, misconceptions and the
shuffled 4択 options included — and the table shows the median rate over the runs, with
the slowest run beside it. A last row times a 100-question mixed mock exam (every kind in
turn). Target (issue "Practice problems generated live"): at least 2,000 problems per
second for every kind.
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench._timing import print_table
from engine.problems import KINDS, generate

TARGET = 2_000


def rates(kind: str, level: str, count: int, runs: int) -> list[float]:
    """Problems per second in each of ``runs`` runs of ``count`` fresh seeds."""
    generate(kind, 10**9, level)  # import and first-call costs stay out of the timing
    out = []
    for run in range(runs):
        first = 1_000_000 + run * count
        start = time.perf_counter()
        for seed in range(first, first + count):
            generate(kind, seed, level)
        out.append(count / (time.perf_counter() - start))
    return out


def mock_exam_ms(runs: int) -> float:
    """Median milliseconds to draw 100 problems, the kinds in turn, fresh seeds each run."""
    samples = []
    for run in range(runs):
        start = time.perf_counter()
        for i in range(100):
            generate(KINDS[i % len(KINDS)], 2_000_000 + run * 100 + i)
        samples.append((time.perf_counter() - start) * 1e3)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=500, help="problems per run (500)")
    parser.add_argument("--runs", type=int, default=5, help="runs per kind (5)")
    parser.add_argument("--level", choices=["hand", "calc", "both"], default="both")
    args = parser.parse_args()
    levels = ["hand", "calc"] if args.level == "both" else [args.level]

    rows = []
    slowest_median = float("inf")
    for kind in KINDS:
        row = [kind]
        for level in levels:
            r = rates(kind, level, args.count, args.runs)
            med = statistics.median(r)
            if level == "hand":
                slowest_median = min(slowest_median, med)
            row += [f"{med:,.0f}", f"{min(r):,.0f}"]
        rows.append(row)
    headers = ["kind"]
    for level in levels:
        headers += [f"{level}: median /s", f"{level}: slowest run /s"]
    print(f"Problems per second ({args.runs} runs × {args.count} fresh seeds, median)")
    print()
    print_table(headers, rows)
    print()
    print(f"100-question mixed mock exam (hand): {mock_exam_ms(args.runs):.1f} ms (median)")
    if "hand" in levels:
        verdict = "meets" if slowest_median >= TARGET else "misses"
        print(f"Slowest kind at level hand: {slowest_median:,.0f}/s — {verdict} the "
              f"{TARGET:,}/s target")


if __name__ == "__main__":
    main()
