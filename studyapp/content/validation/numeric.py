"""The checks of a numeric question's answer: ``compute``, ``tolerance``, ``decimals``,
the literal ``answer`` and the ``misconceptions``, each checked against the engine."""

from __future__ import annotations

import math
from typing import Any

from studyapp.content.compute import is_number
from studyapp.content.models import Compute, DeckMisconception, Number, numbers_match
from studyapp.content.validation.checker import FileChecker, describe, entry_line
from studyapp.content.yamlnodes import YMap

MISCONCEPTION_FIELDS = ("value", "compute", "why")
DEFAULT_DECIMALS = 2
MAX_DECIMALS = 6


def default_tolerance(decimals: int) -> float:
    """Half a unit of the last decimal shown, at least 1e-6."""
    return max(0.5 * 10.0 ** (-decimals), 1e-6)



def numeric_parts(checker: FileChecker, obj: YMap, ctx: str) -> dict[str, Any]:
    """The numeric fields of question ``obj``: the keyword arguments of its
    :class:`~studyapp.content.models.Question` (problems reported to ``checker``)."""
    out: dict[str, Any] = {}
    decimals = DEFAULT_DECIMALS
    if "decimals" in obj:
        given = checker.whole_number(obj, "decimals", ctx, 0, MAX_DECIMALS)
        decimals = given if given is not None else decimals
    tolerance = default_tolerance(decimals)
    if "tolerance" in obj:
        value = obj["tolerance"]
        if not is_number(value) or not math.isfinite(value) or value <= 0:
            checker.add(obj.line_of("tolerance"), f"{ctx}: 'tolerance' must be a finite "
                                                  f"number > 0, got {describe(value)}")
        else:
            tolerance = float(value)
    out["decimals"] = decimals
    out["tolerance"] = tolerance
    computed = None
    if "compute" in obj:
        result = checker.compute(obj["compute"], obj.line_of("compute"), f"{ctx}: compute")
        if result is not None:
            out["compute"], computed = result
            out["computed"] = computed
    if "answer" in obj:
        literal = checker.number_value(obj["answer"], obj.line_of("answer"), f"{ctx}: 'answer'")
        if literal is not None:
            out["answer"] = literal
            if computed is not None and not numbers_match(literal, computed, tolerance):
                fn = out["compute"].fn
                checker.add(obj.line_of("answer"),
                            f"{ctx}: answer {show(literal)} disagrees with the engine: "
                            f"{fn} gives {show(computed)} (tolerance {tolerance:g}); "
                            "fix the literal or drop it (the engine's value is used)")
    if "misconceptions" in obj:
        misconceptions = _misconceptions(checker, obj, ctx, computed, tolerance)
        if misconceptions is not None:
            out["misconceptions"] = misconceptions
    return out


def _misconceptions(
    checker: FileChecker, obj: YMap, ctx: str, answer: Number | None, tolerance: float
) -> tuple[DeckMisconception, ...] | None:
    value = obj["misconceptions"]
    line = obj.line_of("misconceptions")
    if not isinstance(value, list):
        checker.add(line, f"{ctx}: 'misconceptions' must be a list of {{value or compute, why}}, "
                          f"got {describe(value)}")
        return None
    out: list[DeckMisconception] = []
    for i, entry in enumerate(value):
        where = f"{ctx}: misconceptions[{i}]"
        item_line = entry_line(value, i, line)
        if not isinstance(entry, YMap):
            checker.add(item_line, f"{where} must be a mapping {{value or compute, why}}, "
                                   f"got {describe(entry)}")
            continue
        before = len(checker.problems)
        checker.fields(entry, where, MISCONCEPTION_FIELDS, ("why",))
        if ("value" in entry) == ("compute" in entry):
            checker.add(entry.line, f"{where}: give exactly one of 'value' and 'compute'")
        why = checker.text(entry, "why", where)
        wrong: Number | None = None
        compute: Compute | None = None
        if "value" in entry:
            wrong = checker.number_value(entry["value"], entry.line_of("value"),
                                         f"{where}: 'value'")
        elif "compute" in entry:
            result = checker.compute(entry["compute"], entry.line_of("compute"),
                                     f"{where}: compute")
            if result is not None:
                compute, wrong = result
        if wrong is not None and answer is not None:
            if isinstance(wrong, tuple) != isinstance(answer, tuple):
                checker.add(entry.line, f"{where}: the value {show(wrong)} can never match a "
                                        f"typed answer shaped like {show(answer)}")
            elif numbers_match(wrong, answer, tolerance):
                checker.add(entry.line, f"{where}: the value {show(wrong)} equals the right "
                                        f"answer {show(answer)}")
        resolved = wrong is not None or (compute is not None and not checker.evaluate)
        if len(checker.problems) == before and resolved and why is not None:
            out.append(DeckMisconception(wrong, why, compute))
    return tuple(out) if len(out) == len(value) else None


def show(value: Number) -> str:
    """A number or a vector in messages: six significant digits (``[0.85, 0, 1.2]``)."""
    if isinstance(value, tuple):
        return "[" + ", ".join(f"{v:.6g}" for v in value) + "]"
    return f"{value:.6g}"

