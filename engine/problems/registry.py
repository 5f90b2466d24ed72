"""The kinds of generated problem, and how a name ``kind#seed`` becomes a problem."""

from __future__ import annotations

import difflib
import numbers
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

from engine.problems import constraints, dropout, linear, norms, penalties, robustness, training
from engine.problems._model import LEVELS, Draft, Problem, finish
from engine.problems._util import Rand, is_nice

if TYPE_CHECKING:
    import random

Generator = Callable[[Rand, str], "Draft | None"]

#: kind -> (generator, Japanese title). The first eleven and the last four are the kinds whose
#: JSON data keys and answers are fixed (see docs/generators.md); the four between them are
#: additions whose data may still change.
_REGISTRY: dict[str, tuple[Generator, str]] = {
    "l1-norm": (norms.l1_norm, "L1ノルム ‖x‖₁"),
    "l2-norm": (norms.l2_norm, "L2ノルム ‖x‖₂"),
    "l1-penalty": (penalties.l1_penalty, "L1正則化した損失"),
    "l2-penalty": (penalties.l2_penalty, "L2正則化した損失"),
    "soft-threshold": (linear.soft_threshold, "ソフト閾値関数 S(z, t)"),
    "lasso": (linear.lasso, "ラッソ回帰（直交計画）"),
    "ridge": (linear.ridge, "リッジ回帰"),
    "weight-decay": (training.weight_decay, "weight decay の1ステップ"),
    "dropout": (dropout.dropout, "逆ドロップアウトの学習時の出力"),
    "dropconnect": (dropout.dropconnect, "ドロップコネクトの出力"),
    "early-stopping": (training.early_stopping, "早期終了のエポック"),
    "linf-norm": (norms.linf_norm, "L∞ノルム（最大値ノルム）‖x‖∞"),
    "penalty-gradient": (penalties.penalty_gradient, "L1・L2正則化項の勾配"),
    "weight-decay-lambda": (training.weight_decay_lambda, "weight decay と λ の換算"),
    "dropout-inference": (dropout.dropout_inference, "ドロップアウトの推論時の出力と期待値"),
    "elastic-net": (constraints.elastic_net, "Elastic Net（直交計画）"),
    "label-smoothing": (robustness.label_smoothing, "ラベル平滑化の目標分布"),
    "max-norm": (constraints.max_norm, "max-norm 制約の射影"),
    "noise-injection": (robustness.noise_injection, "ノイズ付加の期待二乗誤差"),
}

#: Every kind, in a stable order: the pinned ones first.
KINDS: tuple[str, ...] = tuple(_REGISTRY)
#: kind -> a short Japanese title (for worksheets and menus).
TITLES: dict[str, str] = {kind: title for kind, (_, title) in _REGISTRY.items()}

#: Seeds are 32-bit, as on the command line: every seed is 0 to MAX_SEED. The one seed
#: range: :func:`draw_seed` draws from it, :func:`generate` refuses anything outside it.
MAX_SEED = 2**32 - 1
#: A mock exam draws its problems' seeds from the start of the range, so the ids a learner
#: finds in the history stay short (``lasso#4821``); a practice problem may have any seed.
SHORT_SEEDS = 100_000

_MAX_ATTEMPTS = 2_000


class ProblemId(NamedTuple):
    """The parts of a problem's name ``kind#seed`` (``kind#seed@calc`` at level "calc")."""

    kind: str
    seed: int
    level: str = "hand"

    def __str__(self) -> str:
        suffix = "" if self.level == "hand" else f"@{self.level}"
        return f"{self.kind}#{self.seed}{suffix}"


def unknown_kind_message(kind: str) -> str:
    """``unknown problem kind 'lasoo' (did you mean 'lasso'?)`` — one line."""
    close = difflib.get_close_matches(kind, KINDS, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"unknown problem kind '{kind}'{hint}"


def _check(kind: str, seed: int, level: str) -> None:
    if kind not in _REGISTRY:
        raise ValueError(unknown_kind_message(kind))
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise ValueError(f"seed: expected a whole number, got {seed!r}")
    if not 0 <= seed <= MAX_SEED:
        raise ValueError(f"seed: expected a value from 0 to {MAX_SEED}, got {seed}")
    if level not in LEVELS:
        raise ValueError(f"level: expected one of {', '.join(LEVELS)}, got {level!r}")


def draw_seed(rng: random.Random, *, short: bool = False) -> int:
    """A seed for :func:`generate`, drawn by ``rng``: any seed of the range, or with
    ``short`` one of the first :data:`SHORT_SEEDS` (one draw of ``rng`` either way, so a
    seeded run draws the same problems every time)."""
    return rng.randrange(SHORT_SEEDS if short else MAX_SEED + 1)


def generate(kind: str, seed: int, level: str = "hand") -> Problem:
    """The problem named ``kind#seed`` (at ``level``), identical on every call.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    seed : int
        0 to 2³² − 1.
    level : {"hand", "calc"}, default "hand"
        "hand": small integers, every answer with at most two decimals. "calc": larger data,
        answers that may need rounding.

    Returns
    -------
    Problem

    Raises
    ------
    ValueError
        Unknown kind (with a did-you-mean hint), a seed out of range, an unknown level.
    """
    _check(kind, seed, level)
    make = _REGISTRY[kind][0]
    suffix = "" if level == "hand" else f"@{level}"
    rng = Rand(f"{kind}#{int(seed)}{suffix}")
    for _ in range(_MAX_ATTEMPTS):
        draft = make(rng, level)
        if draft is None:
            continue
        if level == "hand" and not _hand_sized(_plain(draft.answer)):
            continue
        problem = finish(kind, int(seed), level, draft, rng)
        if problem is not None:
            return problem
    raise RuntimeError(f"{kind}#{seed}: no valid problem after {_MAX_ATTEMPTS} draws")


#: At level "hand" every answer component stays within this size.
HAND_MAX = 100


def _hand_sized(answer: object) -> bool:
    """At most two decimals and at most :data:`HAND_MAX` in size, in every component."""
    values = answer if isinstance(answer, list) else [answer]
    return is_nice(values) and all(abs(float(v)) <= HAND_MAX for v in values)  # type: ignore[arg-type]


def _plain(value: object) -> object:
    tolist = getattr(value, "tolist", None)
    return tolist() if callable(tolist) else value


def parse_problem_id(text: str) -> ProblemId:
    """``"lasso#42"`` → ``ProblemId("lasso", 42, "hand")``; ``"ridge#7@calc"`` → level "calc".

    Raises
    ------
    ValueError
        With a one-line message saying what is wrong (form, kind, seed or level).
    """
    name, _, level = text.strip().partition("@")
    level = level or "hand"
    kind, sep, seed_text = name.partition("#")
    if not sep or not kind or not seed_text:
        raise ValueError(f"expected a problem id like 'lasso#42', got {text!r}")
    if not seed_text.isascii() or not seed_text.isdigit():
        raise ValueError(f"seed: expected a whole number after '#', got {seed_text!r}")
    pid = ProblemId(kind, int(seed_text), level)
    _check(pid.kind, pid.seed, pid.level)
    return pid


def problem_from_id(text: str) -> Problem:
    """The problem a name such as ``"lasso#42"`` or ``"ridge#7@calc"`` stands for."""
    pid = parse_problem_id(text)
    return generate(pid.kind, pid.seed, pid.level)
