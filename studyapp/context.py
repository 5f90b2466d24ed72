"""What every screen needs: the decks, the progress store, a random source.

Built once by :func:`studyapp.app.create_app` (the factory the command line and the tests
share) and handed down to the screens as an attribute. No Textual import here.

Home needs only the decks' index (titles and keywords; ``studyapp.content.index``) and the
store, so a start-up whose deck files are unchanged leaves the YAML unread: the decks are
loaded the first time an area asks for :attr:`StudyContext.library` (the app calls
:meth:`StudyContext.load_problems` first, so a deck that broke meanwhile shows its
problems instead of failing, and one edited meanwhile is synced before it is studied).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from studyapp.content.index import DeckInfo

if TYPE_CHECKING:
    from studyapp.content import Deck, DeckProblem, Library
    from studyapp.store import Store


def deck_stamp(roots: Sequence[Path]) -> str:
    """The fingerprint the saved index is kept under: the deck files (the practice skills
    included: decks declare them), the content and store packages' sources (the validator
    and the sync) and the schema."""
    from studyapp.content import index
    from studyapp.store import SCHEMA_VERSION

    code = Path(__file__).parent
    extra = f"schema {SCHEMA_VERSION}"
    return index.fingerprint(roots, extra=extra, code=(code / "content", code / "store"))


def sync_store(store: Store, library: Library, stamp: str) -> list[DeckInfo]:
    """Tell the store every item of the decks and the practice skills they declare, and
    save the decks' index under ``stamp``, in one transaction. Returns the index."""
    from studyapp.content import index
    from studyapp.store import ItemRef, items_from_library
    from studyapp.study.skills import skill_keywords

    decks = index.index_of(library.decks)
    skills = [ItemRef("", generator, keywords)
              for generator, keywords in skill_keywords(library.decks).items()]
    store.sync_library(*items_from_library(library), skills,
                       fingerprint=stamp, index=index.dumps(decks))
    return decks


def validate_for_app(roots: Sequence[Path]) -> tuple[Library, list[DeckProblem]]:
    """Validate the decks for the app: names and arguments of ``compute`` only. Numeric
    answers are computed on first use, so the app never imports numpy to start (``studyapp
    validate`` evaluates them all)."""
    from studyapp.content import validate_roots

    return validate_roots(roots, evaluate=False)


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
    stamp : str
        The fingerprint of the deck files (:func:`deck_stamp`) the store was synced with.
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
        stamp: str = "",
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
        self._stamp = stamp
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

    def load_problems(self) -> list[DeckProblem]:
        """Load and validate the decks unless they are loaded; the problems found.

        Empty when :attr:`library` is ready. A deck file edited into an invalid state, or
        a deck added or removed, while the app runs gives its problems here; a deck file
        edited validly is synced to the store first, as a start-up would.
        """
        if self._library is not None:
            return []
        from studyapp.content import DeckProblem

        stamp = deck_stamp(self._roots)  # before reading: a later edit shows next time
        library, problems = validate_for_app(self._roots)
        if not problems and [d.id for d in library.decks] != [d.id for d in self.decks]:
            problems = [DeckProblem(Path(self._roots[0]), None,
                                    "アプリの実行中にデッキが追加・削除されました。"
                                    "起動し直すと新しいデッキで学習できます")]
        if problems:
            return problems
        if stamp != self._stamp:
            self.decks = sync_store(self.store, library, stamp)
            self._stamp = stamp
        self._library = library
        return []

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
