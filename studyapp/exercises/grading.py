"""Grading: run a learner's file in the sandbox and compare its outputs with the engine's.

Expected values are computed here, in the app's process, from the engine; the child only
returns what the learner's code returned. A failing case is checked against the
exercise's named mistakes: when the learner's output equals what a mistake returns (and
that differs from the right answer), the report names it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studyapp.exercises import sandbox
from studyapp.exercises.model import Case, Exercise, Mistake


@dataclass
class Failure:
    """The first case that did not pass."""

    index: int                     # 0-based
    case: Case
    output: str                    # the name of the output that differs ("" for an error)
    expected: Any = None
    got: Any = None
    error: str = ""                # the learner's traceback, trimmed to their file
    mistake: Mistake | None = None


@dataclass
class Report:
    """The result of one check."""

    exercise: Exercise
    total: int
    passed: int
    outcome: sandbox.Outcome
    failure: Failure | None = None
    results: list[bool] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.outcome.stopped and self.passed == self.total

    def summary(self) -> str:
        """``OK: N/N cases`` or ``NG: …`` (one line)."""
        if self.ok:
            return f"OK: {self.passed}/{self.total} cases"
        if self.outcome.stopped:
            return f"NG: {self.outcome.message()}"
        return f"NG: {self.passed}/{self.total} cases"

    def to_json(self) -> dict[str, Any]:
        """What the store keeps of the result (JSON-ready)."""
        out: dict[str, Any] = {"ok": self.ok, "passed": self.passed, "total": self.total,
                               "status": self.outcome.status, "summary": self.summary()}
        if self.outcome.stopped:
            out["message"] = self.outcome.message()
            out["traceback"] = self.outcome.traceback
        if self.failure is not None:
            f = self.failure
            out["failure"] = {"case": f.case.label, "output": f.output,
                              "expected": plain(f.expected), "got": plain(f.got),
                              "error": f.error,
                              "mistake": None if f.mistake is None else f.mistake.name}
        return out


def plain(value: Any) -> Any:
    """A value as plain JSON data (arrays as nested lists, non-finite numbers as text)."""
    import numpy as np

    if value is None or isinstance(value, str):
        return value
    def clean(x: Any) -> Any:
        if isinstance(x, list):
            return [clean(v) for v in x]
        return x if math.isfinite(x) else repr(x)

    return clean(np.asarray(value, dtype=float).tolist())


def decode(encoded: dict[str, Any]) -> Any:
    """A value the child sent back (``{"shape", "data"}``) as a float array."""
    import numpy as np

    data = [float(x) if isinstance(x, str) else x for x in encoded["data"]]
    return np.asarray(data, dtype=float).reshape(encoded["shape"])


def same(got: Any, expected: Any, rtol: float, atol: float) -> bool:
    """Whether two outputs agree: the same shape and close entries (NaN never agrees)."""
    import numpy as np

    g = np.asarray(got, dtype=float)
    e = np.asarray(expected, dtype=float)
    if g.shape != e.shape:
        return False
    return bool(np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=False))


def recognise(exercise: Exercise, case: Case, got: list[Any],
              expected: list[Any]) -> Mistake | None:
    """The named mistake whose outputs for this case are exactly ``got`` (every output of
    the case, so a mistake in ``backward`` is not taken for one in ``forward``), if any."""
    import numpy as np

    tol = (exercise.rtol, exercise.atol)
    for mistake in exercise.mistakes:
        try:
            with np.errstate(all="ignore"):
                theirs = mistake.outputs(case)
        except (ValueError, ZeroDivisionError, IndexError, FloatingPointError):
            continue
        if len(theirs) != len(got):
            continue
        if all(same(g, t, *tol) for g, t in zip(got, theirs, strict=True)) and not all(
                same(t, e, *tol) for t, e in zip(theirs, expected, strict=True)):
            return mistake
    return None


def grade(exercise: Exercise, outcome: sandbox.Outcome, cases: list[Case]) -> Report:
    """Compare a finished run's outputs with the engine's, case by case."""
    report = Report(exercise, len(cases), 0, outcome)
    if outcome.stopped:
        return report
    for i, case in enumerate(cases):
        result = outcome.cases[i] if i < len(outcome.cases) else {"error": "結果がありません"}
        ok, failure = _check_case(exercise, i, case, result)
        report.results.append(ok)
        report.passed += ok
        if not ok and report.failure is None:
            report.failure = failure
    return report


def _check_case(exercise: Exercise, i: int, case: Case,
                result: dict[str, Any]) -> tuple[bool, Failure | None]:
    expected = exercise.expected(case)
    if "error" in result:
        return False, Failure(i, case, "", error=str(result["error"]))
    outputs = result.get("outputs", [])
    got: list[Any] = []
    for k, name in enumerate(exercise.output_names):
        enc = outputs[k] if k < len(outputs) else {"error": "戻り値がありません"}
        if "error" in enc:
            return False, Failure(i, case, name, expected=expected[k], error=str(enc["error"]))
        got.append(decode(enc))
    for k, name in enumerate(exercise.output_names):
        if not same(got[k], expected[k], exercise.rtol, exercise.atol):
            mistake = recognise(exercise, case, got, expected)
            return False, Failure(i, case, name, expected=expected[k], got=got[k],
                                  mistake=mistake)
    return True, None


def check_source(exercise: Exercise, source: str, filename: str = "solution.py",
                 limits: sandbox.Limits | None = None,
                 pending: sandbox.Pending | None = None) -> Report:
    """Grade ``source`` against ``exercise`` in the sandbox.

    ``pending`` is a child started earlier with :func:`sandbox.start` (it imports numpy
    while the cases are built here); without one a child is started now.
    """
    child = pending or sandbox.start(limits)
    try:
        cases = exercise.cases()
        steps = [{"steps": c.steps} for c in cases]
    except BaseException:
        child.cancel()
        raise
    outcome = child.run(source, filename, steps)
    return grade(exercise, outcome, cases)


def check_file(exercise: Exercise, path: str | Path, limits: sandbox.Limits | None = None,
               pending: sandbox.Pending | None = None) -> Report:
    """Grade the file at ``path`` (read here; the child never opens it)."""
    p = Path(path)
    source = p.read_text(encoding="utf-8", errors="replace")
    return check_source(exercise, source, p.name, limits, pending)


def _short(value: Any, limit: int = 300) -> str:
    text = json.dumps(plain(value), ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + " …"


def describe(report: Report, hint: str | None = None) -> list[str]:
    """The lines a learner reads about a check: the summary, then the first failing case
    (inputs, expected, got, the mistake when recognised) or why the run was stopped."""
    lines = [report.summary()]
    if report.ok:
        return lines
    outcome = report.outcome
    if outcome.stopped:
        if outcome.traceback:
            lines += ["", outcome.traceback.rstrip()]
        return lines
    f = report.failure
    assert f is not None
    lines += ["", f"最初に合わなかったケース: {f.index + 1}/{report.total}「{f.case.label}」"]
    lines += [f"  入力: {name} = {_short(v)}" for name, v in f.case.inputs.items()]
    if f.error:
        if f.output:
            lines.append(f"  {f.output}: {f.error}")
        else:
            lines += ["  例外が発生しました:", *("    " + ln for ln in f.error.rstrip()
                                                 .splitlines())]
    else:
        lines.append(f"  期待値 ({f.output}): {_short(f.expected)}")
        lines.append(f"  あなたの値: {_short(f.got)}")
        if f.mistake is not None:
            lines.append(f"  よくある誤り: {f.mistake.name}")
            lines.append(f"    {f.mistake.feedback}")
    if hint:
        lines.append(f"  ヒント: {hint}")
    return lines
