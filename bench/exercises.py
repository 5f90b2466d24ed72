"""How long one exercise check takes, against a bare ``python -c "import numpy"``.

    python -m bench.exercises [--runs N]

For each exercise, the model solution is checked N times (default 9) in two ways:

- ``sandbox``: one check as the app runs it (``grading.check_source``: start the child,
  build the cases with the engine while it imports numpy, run, compare);
- ``cli``: ``studyapp check ID FILE`` as a subprocess, start to exit (a fresh
  interpreter that also imports the command line, numpy and the engine).

Each against the median of N bare ``python -c "import numpy"`` runs measured in the same
run. Target: the sandbox check's median at most 1.5× the bare start.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench._timing import fmt_ms, print_table

TARGET = 1.5


def _p90(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(0.9 * (len(s) - 1)))]


def _time(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exercises")
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    from studyapp.exercises.catalog import EXERCISES
    from studyapp.exercises.grading import check_source

    bare_cmd = [sys.executable, "-c", "import numpy"]
    bare = [_time(lambda: subprocess.run(bare_cmd, check=True)) for _ in range(args.runs)]
    bare_med = statistics.median(bare)
    rows = [["python -c 'import numpy'", fmt_ms(bare_med), fmt_ms(_p90(bare)), "1.00×", "",
             ""]]
    worst = 0.0
    root = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        for exercise in EXERCISES:
            check_source(exercise, exercise.solution)  # warm the engine's imports
            runs = []
            for _ in range(args.runs):
                report = None

                def once(exercise=exercise) -> None:
                    nonlocal report
                    report = check_source(exercise, exercise.solution)

                runs.append(_time(once))
                assert report is not None and report.ok
            path = Path(tmp) / f"{exercise.id}.py"
            path.write_text(exercise.solution, encoding="utf-8")
            cmd = [sys.executable, "-m", "studyapp", "check", exercise.id, str(path)]
            cli = [_time(lambda cmd=cmd: subprocess.run(cmd, check=True, cwd=root,
                                                        capture_output=True))
                   for _ in range(args.runs)]
            med = statistics.median(runs)
            ratio = med / bare_med
            worst = max(worst, ratio)
            rows.append([f"check {exercise.id}", fmt_ms(med), fmt_ms(_p90(runs)),
                         f"{ratio:.2f}×", fmt_ms(statistics.median(cli)),
                         f"{statistics.median(cli) / bare_med:.2f}×"])
    print_table(["what", "sandbox median", "sandbox p90", "÷ bare", "cli median", "cli ÷ bare"],
                rows)
    verdict = "meets" if worst <= TARGET else "misses"
    print(f"\nslowest sandbox check: {worst:.2f}× a bare numpy start ({verdict} the "
          f"{TARGET}× target); runs per row: {args.runs}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
