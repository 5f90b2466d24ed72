"""Practice skills: the problem generators the decks declare, with the keywords each trains.

A deck declares its skills in ``deck.yaml`` (``skills:``, validated with the rest of the
deck: see ``docs/content-schema.md``), so a new deck brings its own without a change
here. The store schedules a skill like a card (a due skill draws a fresh variant), home's
mastery per keyword counts the skills of that keyword, and the mock exam draws its
calculation problems from the skills of the deck being studied. Nothing here imports the
generators (and numpy): the skills are the decks' data. Menu titles come from
``engine.problems.TITLES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from studyapp.content.generators import GENERATORS

if TYPE_CHECKING:
    from studyapp.content import Deck


def skill_keywords(decks: Iterable[Deck]) -> dict[str, tuple[str, ...]]:
    """The skills of ``decks``: generator -> the keyword ids it trains.

    Parameters
    ----------
    decks : iterable of Deck
        Every deck studied together (the store keeps one schedule per generator).

    Returns
    -------
    dict of str to tuple of str
        In the generators' order (``engine.problems.KINDS``). A generator two decks both
        declare trains the keywords of both, the first deck's first.
    """
    merged: dict[str, dict[str, None]] = {}
    for deck in decks:
        for generator, keywords in deck.skills.items():
            merged.setdefault(generator, {}).update(dict.fromkeys(keywords))
    rank = {generator: i for i, generator in enumerate(GENERATORS)}
    # the validator admits only known generators; an unknown one (a deck built in code)
    # goes last rather than failing
    order = sorted(merged, key=lambda g: rank.get(g, len(rank)))
    return {generator: tuple(merged[generator]) for generator in order}
