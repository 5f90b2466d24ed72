"""Schema checks: YAML values (with lines) → deck models, collecting every problem.

The schema is documented in ``docs/content-schema.md``. Each check appends a
:class:`~studyapp.content.models.Problem` naming the item (``card 'l1-def'``), the field
and what was expected, at the line the YAML parser gave; an item with any problem is
left out of the deck, everything else is still checked.

One module per kind of entry, all working through one :class:`FileChecker` per file:

* :mod:`.checker`: the checks every file shares (fields, texts, ids, keyword references,
  numbers, ``compute``) and the top level of an item file;
* :mod:`.deck`: ``deck.yaml``;
* :mod:`.cards`: a card;
* :mod:`.questions`: a question, its choices and answer, a code question's check;
* :mod:`.numeric`: a numeric question's answer, tolerance and misconceptions;
* :mod:`.strict`: what ``studyapp validate --strict`` adds (the keyed option strictly
  the longest too often, cloze gaps too long), and the share ``validate`` prints.

Prose texts are also held to the deck's glossary (``terms:``) and, in explanations and
``why``, refused words that point at an option by its position
(:meth:`FileChecker.prose`).
"""

from __future__ import annotations

from studyapp.content.validation.cards import check_card
from studyapp.content.validation.checker import MAX_ITEM_TEXT, MAX_ITEM_VALUES, FileChecker
from studyapp.content.validation.deck import check_deck
from studyapp.content.validation.questions import CHOICE_COUNTS, check_question

__all__ = [
    "CHOICE_COUNTS",
    "MAX_ITEM_TEXT",
    "MAX_ITEM_VALUES",
    "FileChecker",
    "check_card",
    "check_deck",
    "check_question",
]
