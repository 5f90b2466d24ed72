"""Loading and validating the YAML decks (no textual import here).

>>> from studyapp.content import load_content
>>> library = load_content()                # the bundled decks; ContentError if broken
>>> deck = library.deck("regularization")

The schema is documented in ``docs/content-schema.md``. :func:`validate_content` returns
the problems instead of raising (``studyapp validate`` prints them).
"""

from __future__ import annotations

from studyapp.content.loader import load_content, validate_content, validate_roots
from studyapp.content.models import (
    QUESTION_TYPES,
    Card,
    Check,
    Compute,
    ContentError,
    Deck,
    Keyword,
    Library,
    Misconception,
    Option,
    Problem,
    Question,
    Source,
    format_number,
)

__all__ = [
    "QUESTION_TYPES",
    "Card",
    "Check",
    "Compute",
    "ContentError",
    "Deck",
    "Keyword",
    "Library",
    "Misconception",
    "Option",
    "Problem",
    "Question",
    "Source",
    "format_number",
    "load_content",
    "validate_content",
    "validate_roots",
]
