"""What home shows of each deck, and a fingerprint of the files it came from.

The app's start-up needs only the decks' titles and keywords: the counts and the mastery
bars come from the progress store, which holds every item and its keywords. So after the
decks have validated once, :func:`studyapp.app.create_app` saves this index in the store
with a fingerprint of the deck files, and a later start-up whose fingerprint matches reads
the index back instead of parsing and validating the YAML (the decks are then loaded on
the first area the learner opens). Any change to a deck file, a deck folder, the roots,
the validator's code or the practice skills gives another fingerprint, and the next
start-up validates and syncs again.

No YAML, no validator and no dataclass import here: this module is on the start-up path.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

#: Bump when the index's JSON changes shape.
INDEX_FORMAT = 1

_DECK_SUFFIXES = (".yaml", ".yml")


class KeywordInfo(NamedTuple):
    """A keyword as home lists it: id, Japanese name, English term."""

    id: str
    name: str
    en: str


class DeckInfo(NamedTuple):
    """A deck as home shows it, without its cards and questions."""

    id: str
    title: str
    title_en: str | None
    description: str | None
    keywords: tuple[KeywordInfo, ...]

    def keyword_name(self, keyword_id: str) -> str:
        """The Japanese name of a keyword (the id itself if the deck has no such keyword)."""
        for keyword in self.keywords:
            if keyword.id == keyword_id:
                return keyword.name
        return keyword_id


def index_of(decks: Iterable[Any]) -> list[DeckInfo]:
    """The index of loaded decks (:class:`studyapp.content.Deck`, duck-typed)."""
    return [
        DeckInfo(deck.id, deck.title, deck.title_en, deck.description,
                 tuple(KeywordInfo(k.id, k.name, k.en) for k in deck.keywords))
        for deck in decks
    ]


def dumps(decks: Sequence[DeckInfo]) -> str:
    """The index as JSON (what the store keeps)."""
    import json

    return json.dumps({"format": INDEX_FORMAT, "decks": [
        {"id": d.id, "title": d.title, "title_en": d.title_en, "description": d.description,
         "keywords": [list(k) for k in d.keywords]}
        for d in decks
    ]}, ensure_ascii=False)


def loads(text: str | None) -> list[DeckInfo] | None:
    """The index back from :func:`dumps`; None for anything else (then the caller reads
    the decks as if there were no index)."""
    if not text:
        return None
    import json

    try:
        data = json.loads(text)
        if not isinstance(data, Mapping) or data.get("format") != INDEX_FORMAT:
            return None
        decks = [
            DeckInfo(_text(d["id"]), _text(d["title"]), _optional(d["title_en"]),
                     _optional(d["description"]),
                     tuple(KeywordInfo(*map(_text, k)) for k in d["keywords"]))
            for d in data["decks"]
        ]
    except (ValueError, KeyError, TypeError):
        return None
    return decks or None


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _optional(value: object) -> str | None:
    return None if value is None else _text(value)


def fingerprint(roots: Sequence[Path], *, extra: str = "",
                code: Sequence[Path] = (Path(__file__).parent,)) -> str:
    """A description of everything the validated decks depend on (a text of about a
    hundred bytes per file, compared whole: no hash to collide, and no hashlib import).

    For each content folder: its resolved path, and the size, modification and change
    times of every deck folder and ``*.yaml``/``*.yml`` file one and two levels down (a
    folder's times change when a file is added, removed or renamed in it). Then the same
    of the ``*.py`` files in ``code`` and its subpackages (by default this package: a new
    validator may reject an old deck), the index format and ``extra``.
    """
    parts: list[str] = [f"index {INDEX_FORMAT}", extra]
    for root in roots:
        root = Path(root)
        parts.append(f"root {os.path.abspath(root)}")
        _walk(parts, root, depth=2)
    for folder in code:
        # two levels: the validator and the converter are packages (validation/, texmath/)
        _walk(parts, folder, depth=2, suffixes=(".py",), folder_times=False)
    return "\n".join(parts)


def _walk(parts: list[str], folder: Path, *, depth: int,
          suffixes: tuple[str, ...] = _DECK_SUFFIXES, folder_times: bool = True) -> None:
    try:
        info = folder.stat()
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        parts.append(f"missing {folder.name}")
        return
    times = f"{info.st_mtime_ns} {info.st_ctime_ns}" if folder_times else ""
    parts.append(f"dir {folder.name} {times}")
    for entry in entries:
        try:
            if entry.is_dir():
                # __pycache__ appears on the first import: it must not change the fingerprint
                if depth > 1 and entry.name != "__pycache__":
                    _walk(parts, Path(entry.path), depth=depth - 1, suffixes=suffixes,
                          folder_times=folder_times)
            elif entry.name.endswith(suffixes):
                st = entry.stat()
                parts.append(f"file {entry.name} {st.st_size} {st.st_mtime_ns} "
                              f"{st.st_ctime_ns}")
        except OSError:
            parts.append(f"unreadable {entry.name}")
