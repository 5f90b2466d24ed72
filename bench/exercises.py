"""How long one exercise check takes, against a bare ``python -c "import numpy"``.

    python -m bench.exercises [--runs N]

For each exercise, the model solution is checked N times (default 9) in two ways:

- ``cli`` (the headline): ``studyapp check ID FILE`` as a learner runs it, a subprocess
  with a data folder of its own (so the check is recorded in its store, and the graded
  cases come from its cache: the first check, which computes the cache, is timed once
  on its own row). Two times: until the verdict (``OK: …`` or ``NG: …``) is on its
  standard output, which is what a learner waits for, and until the process has exited
  (the check recorded in the store after the verdict, then the interpreter's exit);
- ``sandbox``: one check as the app runs it, in this process (``grading.check_source``:
  start the child, compute the cases with the engine while it imports numpy, run,
  compare).

Both against bare ``python -c "import numpy"`` runs measured in the same run,
interleaved with the checks (bare, cli, sandbox, bare, …): each row's ratio is its
median over the median of the bare runs taken between its own runs, so a busy moment of
the machine (other work on it) weighs on the check and on its baseline alike; the first
row gives every bare run of the run. Target: every check's median at most 1.5× the bare
start; the exit status is 0 when the ``cli`` checks meet it.
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

    root = Path(__file__).resolve().parents[1]
    bare_cmd = [sys.executable, "-c", "import numpy"]
    bare: list[float] = []
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir()

        def cli_cmd(exercise_id: str, path: Path) -> list[str]:
            return [sys.executable, "-m", "studyapp", "--data-dir", str(data), "check",
                    exercise_id, str(path)]

        def run_cli(cmd: list[str]) -> float:
            """Run one check; the seconds until its verdict line was out."""
            start = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=root, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
            assert proc.stdout is not None
            first = proc.stdout.readline()
            verdict = time.perf_counter() - start
            out, err = proc.communicate()
            assert proc.returncode == 0 and first.startswith("OK: ") and not err, (
                first + out + err)
            return verdict

        first_path = Path(tmp) / "first.py"
        first_path.write_text(EXERCISES[0].solution, encoding="utf-8")
        first = _time(lambda: run_cli(cli_cmd(EXERCISES[0].id, first_path)))
        assert list((data / "cache").glob("exercises-*.json")), "no cache written"
        for exercise in EXERCISES:
            path = Path(tmp) / f"{exercise.id}.py"
            path.write_text(exercise.solution, encoding="utf-8")
            cmd = cli_cmd(exercise.id, path)
            check_source(exercise, exercise.solution)  # warm the engine's imports here
            cli: list[float] = []
            verdicts: list[float] = []
            sandbox: list[float] = []
            row_bare: list[float] = []
            for _ in range(args.runs):
                row_bare.append(_time(lambda: subprocess.run(bare_cmd, check=True)))
                start = time.perf_counter()
                verdicts.append(run_cli(cmd))
                cli.append(time.perf_counter() - start)
                report = None

                def once(exercise=exercise) -> None:
                    nonlocal report
                    report = check_source(exercise, exercise.solution)

                sandbox.append(_time(once))
                assert report is not None and report.ok
            bare += row_bare
            results.append((exercise.id, verdicts, cli, sandbox,
                            statistics.median(row_bare)))
    bare_med = statistics.median(bare)
    rows = [["python -c 'import numpy' (all runs)", fmt_ms(bare_med), "", "", "", "", "",
             "", ""],
            ["cli, first check (computes the cache)", "", "", "", "", fmt_ms(first),
             f"{first / bare_med:.2f}×", "", ""]]
    worst_verdict = worst_exit = worst_sandbox = 0.0
    for exercise_id, verdicts, cli, sandbox, row_bare_med in results:
        verdict_ratio = statistics.median(verdicts) / row_bare_med
        exit_ratio = statistics.median(cli) / row_bare_med
        sandbox_ratio = statistics.median(sandbox) / row_bare_med
        worst_verdict = max(worst_verdict, verdict_ratio)
        worst_exit = max(worst_exit, exit_ratio)
        worst_sandbox = max(worst_sandbox, sandbox_ratio)
        rows.append([f"check {exercise_id}", fmt_ms(row_bare_med),
                     fmt_ms(statistics.median(verdicts)), fmt_ms(_p90(verdicts)),
                     f"{verdict_ratio:.2f}×", fmt_ms(statistics.median(cli)),
                     f"{exit_ratio:.2f}×", fmt_ms(statistics.median(sandbox)),
                     f"{sandbox_ratio:.2f}×"])
    print_table(["what", "bare median", "cli verdict median", "verdict p90",
                 "verdict ÷ bare", "cli exit median", "exit ÷ bare", "sandbox median",
                 "sandbox ÷ bare"], rows)
    met = "meets" if worst_verdict <= TARGET else "misses"
    print(f"\nslowest `studyapp check` verdict: {worst_verdict:.2f}× a bare numpy start "
          f"({met} the {TARGET}× target); slowest exit (recorded in the store): "
          f"{worst_exit:.2f}×; slowest in-process sandbox check: {worst_sandbox:.2f}×; "
          f"runs per row: {args.runs} (bare: {len(bare)})")
    return 0 if worst_verdict <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
