"""What every screen needs: the decks, the progress store, a random source.

Built once by :func:`studyapp.app.create_app` (the factory the command line and the tests
share) and handed down to the screens as an attribute. No Textual import here.

Home needs only the decks' index (titles and keywords; ``studyapp.content.index``) and the
store, so a start-up whose deck files are unchanged leaves the YAML unread: the decks are
loaded the first time an area asks for :attr:`StudyContext.library` (the app calls
:meth:`StudyContext.load_problems` first, so a deck that broke meanwhile shows its
problems instead of failing).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.content.index import DeckInfo

if TYPE_CHECKING:
    from studyapp.content import Deck, Library, Problem
    from studyapp.store import Store


class StudyContext:
    """The learner's study material and progress.

    Parameters
    ----------
    store : Store
        The progress database (each write committed before it returns).
    decks : sequence of DeckInfo
        Every deck of the content folders, in order (titles and keywords).
    roots : sequence of Path
        The content folders the decks are loaded from (when ``library`` is not given).
    library : Library, optional
        The decks, already loaded and validated.
    rng : random.Random, optional
        Shuffles options and draws questions and problem seeds (seeded in tests).

    Attributes
    ----------
    deck_id : str
        The deck being studied (the first deck at start; ``d`` on home switches).
    """

    def __init__(
        self,
        store: Store,
        decks: Sequence[DeckInfo],
        *,
        roots: Sequence[Path] = (),
        library: Library | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if not decks:
            raise ValueError("a study context needs at least one deck")
        self.store = store
        self.decks = list(decks)
        self.deck_id = self.decks[0].id
        self.rng = rng if rng is not None else random.Random()
        self._roots = list(roots)
        self._library = library

    @property
    def deck_info(self) -> DeckInfo:
        """Title and keywords of the deck being studied (no deck loading)."""
        for info in self.decks:
            if info.id == self.deck_id:
                return info
        raise KeyError(self.deck_id)

    def keyword_name(self, keyword_id: str) -> str:
        """The Japanese name of a keyword of the current deck (the id if unknown)."""
        return self.deck_info.keyword_name(keyword_id)

    def load_problems(self) -> list[Problem]:
        """Load and validate the decks unless they are loaded; the problems found.

        Empty when :attr:`library` is ready. A deck file edited into an invalid state (or
        a deck added or removed) while the app runs gives its problems here.
        """
        if self._library is not None:
            return []
        from studyapp.content import Problem, validate_roots

        library, problems = validate_roots(self._roots, evaluate=False)
        if not problems and [d.id for d in library.decks] != [d.id for d in self.decks]:
            problems = [Problem(Path(self._roots[0]), None,
                                "the decks changed while the app was running: start it "
                                "again to study them")]
        if not problems:
            self._library = library
        return problems

    @property
    def library(self) -> Library:
        """Every deck, with its cards and questions (loaded on first use).

        Raises
        ------
        ContentError
            The deck files no longer validate (see :meth:`load_problems`).
        """
        if self._library is None:
            problems = self.load_problems()
            if problems:
                from studyapp.content import ContentError

                raise ContentError(problems)
        assert self._library is not None
        return self._library

    @property
    def deck(self) -> Deck:
        """The deck being studied, with its cards and questions."""
        return self.library.deck(self.deck_id)
