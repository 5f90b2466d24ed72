"""Loading and validating the YAML decks (no textual import here).

>>> from studyapp.content import load_content
>>> library = load_content()                # the bundled decks; ContentError if broken
>>> deck = library.deck("regularization")

The schema is documented in ``docs/content-schema.md``. :func:`validate_content` returns
the problems instead of raising (``studyapp validate`` prints them).

The names below are imported on first use (PEP 562), so ``studyapp.content.index`` (what
the app's start-up reads when the deck files are unchanged) costs no YAML parser and no
validator.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from studyapp.content.loader import load_content, validate_content, validate_roots
    from studyapp.content.models import (
        QUESTION_TYPES,
        Card,
        Check,
        Compute,
        ContentError,
        Deck,
        DeckMisconception,
        DeckProblem,
        Keyword,
        Library,
        Location,
        Option,
        Question,
        format_number,
    )

_HOME = {
    "load_content": "loader",
    "validate_content": "loader",
    "validate_roots": "loader",
    **dict.fromkeys(
        ("QUESTION_TYPES", "Card", "Check", "Compute", "ContentError", "Deck",
         "DeckMisconception", "DeckProblem", "Keyword", "Library", "Location", "Option",
         "Question", "format_number"),
        "models",
    ),
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME])


__all__ = [
    "QUESTION_TYPES",
    "Card",
    "Check",
    "Compute",
    "ContentError",
    "Deck",
    "DeckMisconception",
    "DeckProblem",
    "Keyword",
    "Library",
    "Location",
    "Option",
    "Question",
    "format_number",
    "load_content",
    "validate_content",
    "validate_roots",
]
