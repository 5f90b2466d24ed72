"""Practice skills: the generator kinds, with the deck keywords each one trains.

The store schedules a skill like a card (a due skill draws a fresh variant), and home's
mastery per keyword counts the skills of that keyword. Kept here as plain data so the
home screen can register skills without importing the generators (and numpy).
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
}

#: Japanese names shown in the practice menu
SKILL_NAMES: dict[str, str] = {
    "l1-norm": "L1ノルム",
    "l2-norm": "L2ノルム",
    "l1-penalty": "L1正則化項つき損失",
    "l2-penalty": "L2正則化項つき損失",
    "soft-threshold": "ソフト閾値関数",
    "lasso": "ラッソ回帰（直交計画）",
    "ridge": "リッジ回帰（直交計画）",
    "weight-decay": "weight decay の1ステップ",
    "dropout": "ドロップアウト（inverted）",
    "dropconnect": "ドロップコネクト",
    "early-stopping": "早期終了のエポック",
}


def skill_name(kind: str) -> str:
    """The Japanese menu name of a kind (the kind itself when it has none)."""
    return SKILL_NAMES.get(kind, kind)
