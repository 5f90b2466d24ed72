"""The generated problem, its misconceptions, and the step that turns a draft into a 4択 problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from engine.problems._util import (
    Rand,
    all_exact,
    choice_text,
    clean,
    clean_value,
    distinguishable,
    is_nice,
)

Level = Literal["hand", "calc"]
LEVELS: tuple[str, ...] = ("hand", "calc")

Number = int | float
AnswerValue = Number | list[Number]


@dataclass(frozen=True)
class Trap:
    """A named misconception, before it is evaluated on a problem's data.

    Attributes
    ----------
    id : str
        Stable identifier, e.g. ``"forgot-inverse-keep-scaling"`` (kebab-case, English).
    label : str
        A short Japanese name of the mistake, shown next to a wrong answer.
    feedback : str
        Japanese explanation of the mistake and of the right idea.
    """

    id: str
    label: str
    feedback: str


@dataclass(frozen=True)
class Misconception:
    """A misconception evaluated on one problem: the value a learner making it would give.

    Attributes
    ----------
    id, label, feedback : str
        As in :class:`Trap`.
    value : int, float or list of them
        The wrong answer this mistake produces on the problem's data.
    choice_index : int or None
        The 0-based position of this value among the problem's choices, or None when the
        misconception is known to the checker but not offered as an option.
    """

    id: str
    label: str
    feedback: str
    value: AnswerValue
    choice_index: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON values: id, label, feedback, value, choice_index."""
        return {
            "id": self.id,
            "label": self.label,
            "feedback": self.feedback,
            "value": self.value,
            "choice_index": self.choice_index,
        }


@dataclass(frozen=True)
class Problem:
    """One generated practice problem, regenerated exactly from ``id``.

    Attributes
    ----------
    id : str
        ``"kind#seed"`` at level "hand" (e.g. ``"lasso#42"``), ``"kind#seed@calc"`` at "calc".
    kind : str
    seed : int
    level : {"hand", "calc"}
    prompt : str
        The question in Japanese, with its data written out.
    data : dict
        The problem's inputs as plain JSON values (keys fixed per kind, see docs/generators.md).
    answer : int, float or list of them
        Computed by the engine, never typed in.
    steps : list of str
        The worked solution in Japanese, Unicode formulas, every intermediate number shown.
    choices : list of str
        Four options (the answer and three misconceptions), in a seeded order.
    answer_index : int
        Position of the answer in ``choices``.
    misconceptions : tuple of Misconception
        Every mistake whose value differs from the answer on this problem, most typical
        first; the three offered as choices carry their ``choice_index``.
    """

    id: str
    kind: str
    seed: int
    level: str
    prompt: str
    data: dict[str, Any]
    answer: AnswerValue
    steps: list[str]
    choices: list[str]
    answer_index: int
    misconceptions: tuple[Misconception, ...] = field(default_factory=tuple)

    @property
    def distractors(self) -> tuple[Misconception, ...]:
        """The three misconceptions offered as wrong choices, in choice order."""
        offered = [m for m in self.misconceptions if m.choice_index is not None]
        return tuple(sorted(offered, key=lambda m: m.choice_index or 0))

    def to_dict(self) -> dict[str, Any]:
        """The pinned JSON form as a dict: pinned keys in order, then level, misconceptions."""
        return {
            "id": self.id,
            "kind": self.kind,
            "seed": self.seed,
            "prompt": self.prompt,
            "data": self.data,
            "answer": self.answer,
            "steps": list(self.steps),
            "choices": list(self.choices),
            "answer_index": self.answer_index,
            "level": self.level,
            "misconceptions": [m.to_dict() for m in self.misconceptions],
        }

    def to_json(self, indent: int | None = None) -> str:
        """The pinned JSON object (UTF-8 text, no NaN, identical for the same id)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, allow_nan=False, indent=indent)


@dataclass
class Draft:
    """What a kind's generator returns: a problem before its choices are drawn.

    ``traps`` lists (misconception, wrong value) pairs, most typical first; values that
    equal the answer on this data are dropped when the problem is finished. ``steps`` may
    be a function returning them, so a draft rejected for its options costs no formatting.
    """

    prompt: str
    data: dict[str, Any]
    answer: Any
    steps: list[str] | Callable[[], list[str]]
    traps: list[tuple[Trap, Any]]


def clean_data(value: Any) -> Any:
    """Data as plain JSON values: numbers cleaned (see :func:`clean`), bools and str kept."""
    if isinstance(value, bool | str) or value is None:
        return value
    if isinstance(value, dict):
        return {k: clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_data(v) for v in value]
    if hasattr(value, "tolist"):
        return clean_data(value.tolist())
    return clean(value)


def finish(kind: str, seed: int, level: str, draft: Draft, rng: Rand) -> Problem | None:
    """Turn a draft into a problem, or None when it cannot offer three distinct wrong choices.

    The misconceptions kept are those whose value can be told apart from the answer (see
    :func:`~engine.problems._util.distinguishable`). Three are offered as options: the
    first in the draft's list (the kind's headline mistake) where it applies, then others
    in a seeded random order, each told apart from those already offered and, at level
    "hand", looking like the answer (at most two decimals), so no option gives itself away
    by its digits.
    """
    answer = clean_value(draft.answer)
    vector = isinstance(answer, list)
    kept: list[tuple[Trap, AnswerValue]] = []
    seen: set[str] = set()
    for trap, raw in draft.traps:
        if trap.id in seen:
            continue
        try:
            value = clean_value(raw)
        except ValueError:  # NaN or inf: this mistake has no number on this data
            continue
        if isinstance(value, list) != vector:
            continue
        if vector and len(value) != len(answer):  # type: ignore[arg-type]
            continue
        if not distinguishable(value, answer):
            continue
        seen.add(trap.id)
        kept.append((trap, value))

    eligible = [i for i, (_, value) in enumerate(kept) if level != "hand" or is_nice(value)]
    offered: list[int] = []
    # the kind's headline mistake first (when it applies), then the others in a seeded order
    for i in eligible[:1] + rng.shuffled(eligible[1:]):
        value = kept[i][1]
        if all(distinguishable(value, kept[j][1]) for j in offered):
            offered.append(i)
            if len(offered) == 3:
                break
    if len(offered) < 3:
        return None

    order = rng.shuffled(range(4))  # order[k] = which option sits at position k
    # option 0 is the answer, options 1..3 the offered misconceptions
    position = {option: k for k, option in enumerate(order)}
    values: list[AnswerValue] = [answer] + [kept[i][1] for i in offered]
    # Options look alike: all exact, or (where any would need rounding) all to two decimals.
    fixed = not all(all_exact(v) for v in values)
    choices = [choice_text(values[option], fixed) for option in order]
    if len(set(choices)) != 4:
        return None
    index_of = {kept_i: position[n + 1] for n, kept_i in enumerate(offered)}
    misconceptions = tuple(
        Misconception(
            id=trap.id,
            label=trap.label,
            feedback=trap.feedback,
            value=value,
            choice_index=index_of.get(i),
        )
        for i, (trap, value) in enumerate(kept)
    )
    suffix = "" if level == "hand" else f"@{level}"
    return Problem(
        id=f"{kind}#{seed}{suffix}",
        kind=kind,
        seed=seed,
        level=level,
        prompt=draft.prompt,
        data=clean_data(draft.data),
        answer=answer,
        steps=draft.steps() if callable(draft.steps) else list(draft.steps),
        choices=choices,
        answer_index=position[0],
        misconceptions=misconceptions,
    )
