"""Grading: run a learner's file in the sandbox and compare its outputs with the engine's.

Expected values are computed in the app's process by the engine (``graded.compute``, or
read from the cache ``graded.load`` keeps of them); the child only returns what the
learner's code returned. The comparison is pure Python on encoded values (no numpy), so
``studyapp check`` grades without importing numpy or the engine. A failing case is
checked against the exercise's named mistakes: when the learner's outputs equal what a
mistake returns (and that differs from the right answer), the report names it.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studyapp.exercises import sandbox
from studyapp.exercises.graded import (
    Encoded,
    GradedCase,
    compute,
    nested,
    number,
    valid_encoded,
)

if TYPE_CHECKING:
    from studyapp.exercises.model import Exercise, Mistake


@dataclass
class Failure:
    """The first case that did not pass."""

    index: int                     # 0-based
    case: GradedCase
    output: str                    # the name of the output that differs ("" for an error)
    expected: Encoded | None = None
    got: Encoded | None = None
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


def plain(value: Encoded | None) -> Any:
    """An encoded value as plain JSON data (nested lists, non-finite numbers as text)."""
    return None if value is None else nested(value)


def same(got: Encoded, expected: Encoded, rtol: float, atol: float) -> bool:
    """Whether two encoded outputs agree: the same shape and every entry close
    (|got − expected| ≤ atol + rtol·|expected|, as ``numpy.allclose``); NaN never agrees,
    an infinity only with the same infinity."""
    if list(got["shape"]) != list(expected["shape"]):
        return False
    if len(got["data"]) != len(expected["data"]):
        return False
    for g_raw, e_raw in zip(got["data"], expected["data"], strict=True):
        g, e = number(g_raw), number(e_raw)
        if math.isfinite(g) and math.isfinite(e):
            if abs(g - e) > atol + rtol * abs(e):
                return False
        elif g != e:  # inf == inf (same sign); nan != anything
            return False
    return True


def recognise(exercise: Exercise, case: GradedCase, got: list[Encoded]) -> Mistake | None:
    """The named mistake whose outputs for this case are exactly ``got`` (every output of
    the case, so a mistake in ``backward`` is not taken for one in ``forward``), if any."""
    tol = (exercise.rtol, exercise.atol)
    for mistake, theirs in zip(exercise.mistakes, case.mistakes, strict=False):
        if theirs is None or len(theirs) != len(got):
            continue
        if all(same(g, t, *tol) for g, t in zip(got, theirs, strict=True)) and not all(
                same(t, e, *tol) for t, e in zip(theirs, case.expected, strict=True)):
            return mistake
    return None


def grade(exercise: Exercise, outcome: sandbox.Outcome, cases: list[GradedCase]) -> Report:
    """Compare a finished run's outputs with the engine's, case by case (pure Python)."""
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


def _check_case(exercise: Exercise, i: int, case: GradedCase,
                result: dict[str, Any]) -> tuple[bool, Failure | None]:
    expected = case.expected
    if not isinstance(result, dict):
        return False, Failure(i, case, "", error="結果がありません")
    if "error" in result:
        return False, Failure(i, case, "", error=str(result["error"]))
    outputs = result.get("outputs", [])
    got: list[Encoded] = []
    for k, name in enumerate(exercise.output_names):
        enc = outputs[k] if isinstance(outputs, list) and k < len(outputs) else {
            "error": "戻り値がありません"}
        if not isinstance(enc, dict) or "error" in enc or not valid_encoded(enc):
            error = enc.get("error") if isinstance(enc, dict) else None
            return False, Failure(i, case, name, expected=expected[k],
                                  error=str(error or "戻り値を読めません"))
        got.append(enc)
    for k, name in enumerate(exercise.output_names):
        if not same(got[k], expected[k], exercise.rtol, exercise.atol):
            return False, Failure(i, case, name, expected=expected[k], got=got[k],
                                  mistake=recognise(exercise, case, got))
    return True, None


def check_source(exercise: Exercise, source: str, filename: str = "solution.py",
                 limits: sandbox.Limits | None = None,
                 pending: sandbox.Pending | None = None,
                 cases: list[GradedCase] | None = None) -> Report:
    """Grade ``source`` against ``exercise`` in the sandbox.

    ``pending`` is a child started earlier with :func:`sandbox.start` (it imports numpy
    while the cases are built here); without one a child is started now. ``cases`` are
    graded cases already at hand (``graded.load``: the cache); without them the engine
    computes them here.
    """
    child = pending or sandbox.start(limits)
    try:
        graded_cases = cases if cases is not None else compute(exercise)
        steps = [{"steps": c.steps} for c in graded_cases]
    except BaseException:
        child.cancel()
        raise
    outcome = child.run(source, filename, steps)
    return grade(exercise, outcome, graded_cases)


def check_file(exercise: Exercise, path: str | Path, limits: sandbox.Limits | None = None,
               pending: sandbox.Pending | None = None) -> Report:
    """Grade the file at ``path`` (read here; the child never opens it)."""
    p = Path(path)
    source = p.read_text(encoding="utf-8", errors="replace")
    return check_source(exercise, source, p.name, limits, pending)


def _short(value: Any, limit: int = 300) -> str:
    """A value as one line of JSON, cut at ``limit`` characters."""
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + " …"


def describe(report: Report, hint: str | None = None, *,
             mistake_first: bool = False) -> list[str]:
    """The lines a learner reads about a check: the summary, then the first failing case
    (inputs, expected, got, the mistake when recognised) or why the run was stopped.

    ``mistake_first`` puts a recognised mistake (its name and why) right under the
    summary instead of after the values: the app's results pane may be only a few lines
    high, and the mistake is what matters most.
    """
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
    named = f.mistake is not None and not f.error
    if named and mistake_first:
        assert f.mistake is not None
        lines += [f"よくある誤り: {f.mistake.name}", f"  {f.mistake.feedback}"]
    lines += ["", f"最初に合わなかったケース: {f.index + 1}/{report.total}「{f.case.label}」"]
    lines += [f"  入力: {name} = {_short(v)}" for name, v in f.case.inputs.items()]
    if f.error:
        if f.output:
            lines.append(f"  {f.output}: {f.error}")
        else:
            lines += ["  例外が発生しました:", *("    " + ln for ln in f.error.rstrip()
                                                 .splitlines())]
    else:
        lines.append(f"  期待値 ({f.output}): {_short(plain(f.expected))}")
        lines.append(f"  あなたの値: {_short(plain(f.got))}")
        if f.mistake is not None and not mistake_first:
            lines.append(f"  よくある誤り: {f.mistake.name}")
            lines.append(f"    {f.mistake.feedback}")
    if hint:
        lines.append(f"  ヒント: {hint}")
    return lines
