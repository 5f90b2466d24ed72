"""What an exercise is: a task, a starter file, graded cases, named mistakes, hints and a
model solution. Pure data plus the functions that compute expected values with the engine
(in the app's process, never in the sandbox). No Textual import here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

#: a case's outputs as the grader compares them: one array (or number) per output name
Outputs = list[Any]


@dataclass(frozen=True)
class Case:
    """One graded call (or sequence of calls) and what it must return.

    ``inputs`` is what the learner is shown (name → value); ``steps`` what the sandbox
    runs (see ``sandbox.run``); ``data`` what the expected and mistaken outputs are
    computed from.
    """

    label: str
    inputs: dict[str, Any]
    steps: list[dict[str, Any]]
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Mistake:
    """A classic mistake: its name, what to say about it, what it would return, and a
    file that makes it (the tests run it and expect the name back)."""

    name: str
    feedback: str
    outputs: Callable[[Case], Outputs]
    example: str


@dataclass(frozen=True)
class Exercise:
    """A numpy exercise graded against the engine."""

    id: str
    title: str
    defines: str                      # the signature the file must define
    keywords: tuple[str, ...]         # deck keyword ids it trains
    task: str                         # what to implement and the conventions (Japanese)
    starter: str                      # the file ``--write`` writes
    solution: str                     # the model solution
    hints: tuple[str, ...]            # from a nudge to nearly the answer
    output_names: tuple[str, ...]     # one per output of a case
    make_cases: Callable[[], list[Case]]
    expected: Callable[[Case], Outputs]
    mistakes: Sequence[Mistake] = ()
    rtol: float = 1e-6
    atol: float = 1e-8

    def cases(self) -> list[Case]:
        """The graded cases, the same every time (seeded)."""
        return self.make_cases()


def arr(value: Any) -> dict[str, Any]:
    """A float-array argument for a sandbox step."""
    return {"a": value}


def val(value: Any) -> dict[str, Any]:
    """A plain argument (a number, a list, a flag) for a sandbox step."""
    return {"v": value}


def call(name: str, *args: dict[str, Any], **kwargs: dict[str, Any]) -> dict[str, Any]:
    """A step that calls the learner's function ``name``; its return value is an output."""
    return {"op": "call", "name": name, "args": list(args), "kwargs": kwargs}
