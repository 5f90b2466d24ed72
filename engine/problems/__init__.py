"""Practice problems generated live: seeded, computed by the engine, explained step by step.

A problem is named ``kind#seed`` (``kind#seed@calc`` at the "calc" level) and regenerates
exactly from that name. Each carries a Japanese prompt, its ``data``, the ``answer``
computed by the engine, worked ``steps``, four ``choices`` (the answer and three named
misconceptions) and the misconceptions' feedback; :func:`check_answer` reads what a
learner typed and says whether it is right, or which mistake it matches.

>>> p = generate("l2-norm", 3)
>>> p.id, check_answer(p, str(p.answer)).correct
('l2-norm#3', True)
"""

from engine.problems._model import LEVELS, Misconception, Problem, Trap
from engine.problems.checking import (
    AnswerFormatError,
    CheckResult,
    check_answer,
    check_choice,
    parse_answer,
)
from engine.problems.registry import (
    KINDS,
    MAX_SEED,
    TITLES,
    ProblemId,
    generate,
    parse_problem_id,
    problem_from_id,
    unknown_kind_message,
)

__all__ = [
    "KINDS",
    "LEVELS",
    "MAX_SEED",
    "TITLES",
    "AnswerFormatError",
    "CheckResult",
    "Misconception",
    "Problem",
    "ProblemId",
    "Trap",
    "check_answer",
    "check_choice",
    "generate",
    "parse_answer",
    "parse_problem_id",
    "problem_from_id",
    "unknown_kind_message",
]
