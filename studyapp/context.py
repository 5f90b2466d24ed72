"""What every screen needs: the loaded decks, the progress store, a random source.

Built once by :func:`studyapp.app.create_app` (the factory the command line and the tests
share) and handed down to the screens as an attribute. No Textual import here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from studyapp.content import Deck, Library
from studyapp.store import Store


@dataclass
class StudyContext:
    """The learner's study material and progress.

    Attributes
    ----------
    library : Library
        Every deck of the content folder.
    store : Store
        The progress database (each write committed before it returns).
    deck : Deck
        The deck being studied (the first deck of the library).
    rng : random.Random
        Shuffles options and draws questions and problem seeds (seeded in tests).
    """

    library: Library
    store: Store
    deck: Deck
    rng: random.Random = field(default_factory=random.Random)

    def keyword_name(self, keyword_id: str) -> str:
        """The Japanese name of a keyword of the current deck (the id if unknown)."""
        try:
            return self.deck.keyword(keyword_id).name
        except KeyError:
            return keyword_id
