"""Helpers for the content tests: write a small deck into a temporary folder."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from studyapp.content import DeckProblem, validate_content

DECK_YAML = """\
id: t
title: テスト
keywords:
  - {id: norm, name: ノルム, en: norm}
  - {id: dropout, name: ドロップアウト, en: dropout}
  - {id: lasso, name: ラッソ回帰, en: Lasso regression}
"""

MakeDeck = Callable[..., Path]


@pytest.fixture
def make_deck(tmp_path: Path) -> MakeDeck:
    """``make_deck(items_yaml, deck_yaml=DECK_YAML, name="items.yaml")`` → the content root.

    The texts are dedented, so tests can indent them with the code.
    """

    def make(items: str | None = None, deck: str = DECK_YAML, name: str = "items.yaml") -> Path:
        folder = tmp_path / "content" / "t"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "deck.yaml").write_text(textwrap.dedent(deck), encoding="utf-8")
        if items is not None:
            (folder / name).write_text(textwrap.dedent(items), encoding="utf-8")
        return tmp_path / "content"

    return make


def only_problem(root: Path) -> DeckProblem:
    """The single problem validating ``root`` gives (fails listing them otherwise)."""
    _, problems = validate_content(root)
    assert len(problems) == 1, "\n".join(map(str, problems)) or "no problem"
    return problems[0]
