"""Practice skills: the generator kinds, with the deck keywords each one trains.

The store schedules a skill like a card (a due skill draws a fresh variant), and home's
mastery per keyword counts the skills of that keyword. Kept here as plain data so the
home screen can register skills without importing the generators (and numpy); a test
checks that it names exactly ``engine.problems.KINDS``. Menu titles come from
``engine.problems.TITLES``.
"""

from __future__ import annotations

#: generator kind -> keyword ids of the regularization deck
SKILL_KEYWORDS: dict[str, tuple[str, ...]] = {
    "l1-norm": ("norm",),
    "l2-norm": ("norm",),
    "l1-penalty": ("l1-regularization", "regularization-term"),
    "l2-penalty": ("l2-regularization", "regularization-term"),
    "soft-threshold": ("lasso", "sparse-representation"),
    "lasso": ("lasso", "l1-regularization"),
    "ridge": ("ridge", "l2-regularization"),
    "weight-decay": ("weight-decay",),
    "dropout": ("dropout",),
    "dropconnect": ("dropconnect",),
    "early-stopping": ("early-stopping",),
    "linf-norm": ("norm",),
    "penalty-gradient": ("l1-regularization", "l2-regularization", "sparse-representation"),
    "weight-decay-lambda": ("weight-decay", "l2-regularization"),
    "dropout-inference": ("dropout",),
}
