"""Keywords in the order the decks list them, for every per-keyword table.

The home screen, the statistics screen, ``studyapp stats`` and the result pages of a
quiz and an exam all list keywords the way the deck does. No import beyond the standard
library: the command line and the home screen use it before any deck is loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

T = TypeVar("T")


class _Keyword(Protocol):
    @property
    def id(self) -> str: ...


class _HasKeywords(Protocol):
    @property
    def keywords(self) -> Iterable[_Keyword]: ...


def keyword_order(decks: Iterable[_HasKeywords]) -> list[str]:
    """The keyword ids of ``decks``, each deck's in its order, a repeated id in its first place.

    Parameters
    ----------
    decks : iterable of Deck or DeckInfo
        Anything with ``keywords`` whose items have an ``id``.

    Returns
    -------
    list of str
    """
    return list(dict.fromkeys(kw.id for deck in decks for kw in deck.keywords))


def sort_by_keyword_order(items: Iterable[T], order: Iterable[str],
                          key: Callable[[T], str] | None = None, *,
                          drop_unknown: bool = False) -> list[T]:
    """``items`` sorted by the place of their keyword in ``order``.

    Parameters
    ----------
    items : iterable
    order : iterable of str
        Keyword ids in the order to list them (:func:`keyword_order`); a repeated id
        keeps its first place.
    key : callable, optional
        The keyword id of an item; the item itself when omitted.
    drop_unknown : bool
        Leave out the items whose keyword is not in ``order``. Otherwise they follow the
        others, in their own order (the sort is stable).

    Returns
    -------
    list
    """
    rank: dict[str, int] = {}
    for kw in order:
        rank.setdefault(kw, len(rank))
    keyword: Callable[[Any], str] = key if key is not None else (lambda item: item)
    if drop_unknown:
        items = [item for item in items if keyword(item) in rank]
    return sorted(items, key=lambda item: rank.get(keyword(item), len(rank)))
