"""Checking what a learner typed against a generated problem.

Accepted forms (after Unicode NFKC normalisation, so full-width ``０．５`` and ``－３``
read as ``0.5`` and ``-3``):

* numbers: ``0.5``, ``.5``, ``-3``, ``+2``, ``1e-2``, ``−3`` (Unicode minus), ``½``;
* fractions: ``1/2``, ``-3/4``, ``1 / 3``;
* square roots: ``√5``, ``-√2``, ``2√5`` (handy for L2 norms at level "calc");
* vectors: ``1, -2, 0``, ``[1, -2, 0]``, ``(1, -2, 0)``, ``1 -2 0``, ``1、-2、0``, ``1；2``;
* an optional name in front, ``w = (1, 0)``.

A 4択 problem can also be answered by the option's number: with ``as_choice=True``,
``1``–``4`` (also ``①``–``④`` or full-width digits) pick an option, and
:func:`check_choice` takes the 0-based index a UI already has.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from engine.problems._model import Misconception, Problem
from engine.problems._util import choice_text, matches, tolerance

Parsed = float | tuple[float, ...]

_UNSIGNED = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_TOKEN = re.compile(
    rf"^(?P<sign>[+-]?)(?:(?P<coef>{_UNSIGNED})?√(?P<root>{_UNSIGNED})|"
    rf"(?P<num>{_UNSIGNED})(?:/(?P<den>[+-]?{_UNSIGNED}))?)$"
)
_MINUSES = dict.fromkeys(map(ord, "−‐‑‒–—﹣"), "-")
_SEPARATORS = re.compile(r"[,\s;、，､；]+")
_EXAMPLE = "例: 0.5、1/2、-3、ベクトルは 1, -2, 0"


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one typed answer.

    Attributes
    ----------
    correct : bool
    parsed : float, tuple of float, or None
        What the input was read as; None when it could not be read.
    message : str
        Japanese text to show: the verdict, and for a known mistake its feedback.
    misconception : Misconception or None
        The named mistake the wrong answer matches, if any.
    readable : bool
        False when the input is not an answer at all (not a number, or a vector of the
        wrong length): a UI shows ``message`` and lets the learner type again, without
        recording an attempt.
    """

    correct: bool
    parsed: Parsed | None
    message: str
    misconception: Misconception | None = None
    readable: bool = True


class AnswerFormatError(ValueError):
    """Typed text that is not a number or a list of numbers; the message is Japanese."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_MINUSES)
    text = text.replace("⁄", "/").replace("＝", "=")
    return text.strip()


def _token(token: str) -> float:
    m = _TOKEN.match(token)
    if m is None:
        raise AnswerFormatError(f"「{token}」を数として読み取れませんでした。{_EXAMPLE}")
    negative = m["sign"] == "-"
    if m["root"] is not None:
        radicand = float(m["root"])
        value = (float(m["coef"]) if m["coef"] else 1.0) * math.sqrt(radicand)
    else:
        value = float(m["num"])
        if m["den"] is not None:
            den = float(m["den"])
            if den == 0:
                raise AnswerFormatError(f"「{token}」は 0 で割っています。")
            value /= den
    if not math.isfinite(value):
        raise AnswerFormatError(f"「{token}」は大きすぎて扱えません。")
    return -value if negative else value


def parse_answer(text: str) -> Parsed:
    """Read a typed answer: a float, or a tuple of floats for a vector.

    Raises
    ------
    AnswerFormatError
        With a Japanese message saying what could not be read.

    Examples
    --------
    >>> parse_answer("１／２"), parse_answer("[1, −2, 0]"), parse_answer("w = 1、2")
    (0.5, (1.0, -2.0, 0.0), (1.0, 2.0))
    """
    raw = _normalise(text)
    if "=" in raw:
        raw = raw.rsplit("=", 1)[1].strip()
    if len(raw) >= 2 and raw[0] + raw[-1] in ("[]", "()", "{}"):
        raw = raw[1:-1].strip()
    if not raw:
        raise AnswerFormatError(f"答えを入力してください。{_EXAMPLE}")
    raw = re.sub(r"\s*/\s*", "/", raw)
    tokens = [t for t in _SEPARATORS.split(raw) if t]
    if not tokens:
        raise AnswerFormatError(f"答えを入力してください。{_EXAMPLE}")
    values = tuple(_token(t) for t in tokens)
    return values[0] if len(values) == 1 else values


def _shape_message(problem: Problem, parsed: Parsed) -> str | None:
    answer = problem.answer
    if isinstance(answer, list):
        got = len(parsed) if isinstance(parsed, tuple) else 1
        if got != len(answer):
            return (
                f"答えは {len(answer)} 個の成分をもつベクトルです（入力は {got} 個）。"
                "カンマ区切りで入力してください（例: 1, -2, 0）。"
            )
        return None
    if isinstance(parsed, tuple):
        return f"答えは 1 つの数です（入力は {len(parsed)} 個）。"
    return None


def _wrong_components(answer: list[float], parsed: tuple[float, ...]) -> str:
    wrong = [
        str(i + 1)
        for i, (a, b) in enumerate(zip(answer, parsed, strict=True))
        if abs(float(b) - float(a)) > tolerance(float(a))
    ]
    return "第" + "・".join(wrong) + "成分が違います。"


def check_answer(problem: Problem, text: str, *, as_choice: bool = False) -> CheckResult:
    """Check typed ``text`` against ``problem``; never raises on any input string.

    Parameters
    ----------
    problem : Problem
    text : str
        What the learner typed (forms listed in this module's docstring).
    as_choice : bool, default False
        The problem is shown as 4択: a lone ``1``–``4`` (or ``①``–``④``) picks an option
        instead of being read as a number.

    Returns
    -------
    CheckResult
        ``correct`` when every component is within the answer's tolerance: exact for an
        answer that terminates within six decimals, ±0.005 (two decimals) otherwise. A
        wrong value matching one of the problem's misconceptions carries its feedback.
    """
    if not isinstance(text, str):
        return CheckResult(False, None, f"答えを文字で入力してください。{_EXAMPLE}",
                           readable=False)
    if as_choice and problem.choices:
        picked = _normalise(text).strip("().[]")
        if picked in {str(k) for k in range(1, len(problem.choices) + 1)}:
            return check_choice(problem, int(picked) - 1)
    try:
        parsed = parse_answer(text)
    except AnswerFormatError as exc:
        return CheckResult(False, None, str(exc), readable=False)
    problem_shape = _shape_message(problem, parsed)
    if problem_shape is not None:
        return CheckResult(False, parsed, problem_shape, readable=False)
    typed: float | list[float]
    if isinstance(problem.answer, list):
        typed = list(parsed) if isinstance(parsed, tuple) else [parsed]
    else:
        typed = parsed[0] if isinstance(parsed, tuple) else parsed
        parsed = typed
    if matches(typed, problem.answer):
        return CheckResult(True, parsed, "正解です。")
    # the offered options first: typing an option's value names the same mistake as picking it
    ranked = sorted(problem.misconceptions, key=lambda m: m.choice_index is None)
    for m in ranked:
        if matches(typed, m.value):
            return CheckResult(
                False, parsed, f"不正解です。よくある誤り「{m.label}」: {m.feedback}", m
            )
    message = "不正解です。"
    if isinstance(problem.answer, list) and isinstance(typed, list):
        message += _wrong_components(problem.answer, tuple(typed))
    return CheckResult(False, parsed, message)


def check_choice(problem: Problem, index: int) -> CheckResult:
    """Check a 4択 pick by its 0-based ``index`` into ``problem.choices``."""
    if not 0 <= index < len(problem.choices):
        return CheckResult(
            False, None, f"選択肢は 1〜{len(problem.choices)} の番号で選んでください。",
            readable=False,
        )
    if index == problem.answer_index:
        value = problem.answer
        parsed: Parsed = tuple(value) if isinstance(value, list) else float(value)
        return CheckResult(True, parsed, f"正解です（{choice_text(value)}）。")
    for m in problem.misconceptions:
        if m.choice_index == index:
            parsed = tuple(m.value) if isinstance(m.value, list) else float(m.value)
            return CheckResult(
                False, parsed, f"不正解です。よくある誤り「{m.label}」: {m.feedback}", m
            )
    return CheckResult(False, None, "不正解です。")  # pragma: no cover - every option is named
