"""Find the decks under a content folder, read them, and validate them.

A content folder holds deck folders; a deck folder holds ``deck.yaml`` and any number of
other ``*.yaml`` item files (``cards:`` and/or ``questions:``). A folder that itself has
a ``deck.yaml`` is read as a content folder of that one deck.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from studyapp.content.models import (
    Card,
    ContentError,
    Deck,
    DeckProblem,
    Library,
    Location,
    Question,
    Term,
)
from studyapp.content.validation import FileChecker, check_card, check_deck, check_question
from studyapp.content.validation.strict import strict_problems
from studyapp.content.yamlnodes import read_yaml

DECK_FILE = "deck.yaml"


def validate_content(
    root: Path | str | None = None, *, evaluate: bool = True, strict: bool = False
) -> tuple[Library, list[DeckProblem]]:
    """Read and validate every deck under ``root`` without raising.

    Parameters
    ----------
    root : path, optional
        The content folder; by default the bundled decks
        (:func:`studyapp.paths.bundled_content_dir`).
    evaluate : bool, default True
        Compute every ``compute`` with the engine and check literal answers against it.
        False checks names and arguments only; values are computed on first use (the
        app's start-up, which must not import numpy).
    strict : bool, default False
        Also report what ``studyapp validate --strict`` refuses
        (:mod:`studyapp.content.validation.strict`): a deck or keyword whose keyed options
        are too often the longest, a cloze gap too long to recall. Those problems leave
        the items in the library.

    Returns
    -------
    (Library, list of DeckProblem)
        The library holds every deck whose ``deck.yaml`` is valid, with the items that
        have no problem; the list holds every problem found, in file and line order.
        A missing folder is one problem on the folder itself.
    """
    if root is None:
        from studyapp.paths import bundled_content_dir

        root = bundled_content_dir()
    root = Path(root)
    problems: list[DeckProblem] = []
    decks: list[Deck] = []
    if not root.is_dir():
        what = "is not a folder" if root.exists() else "does not exist"
        problems.append(DeckProblem(root, None, f"content folder {what}"))
        return Library(root, decks), problems
    seen_ids: dict[str, Location] = {}
    for deck_dir in _deck_dirs(root, problems):
        deck = _load_deck(deck_dir, problems, evaluate, strict)
        if deck is None:
            continue
        if strict:
            problems.extend(strict_problems(deck))
        first = seen_ids.get(deck.id)
        if first is not None:
            problems.append(DeckProblem(deck_dir / DECK_FILE, None,
                                        f"deck {deck.id!r}: duplicate deck id (first in "
                                        f"{first.file})"))
            continue
        seen_ids[deck.id] = Location(deck_dir / DECK_FILE, None)
        decks.append(deck)
    order = {path: i for i, path in enumerate(dict.fromkeys(p.file for p in problems))}
    problems.sort(key=lambda p: (order[p.file], p.line or 0))
    return Library(root, decks), problems


def validate_roots(
    roots: Sequence[Path | str], *, evaluate: bool = True, strict: bool = False
) -> tuple[Library, list[DeckProblem]]:
    """Read and validate the decks of several content folders as one library.

    The bundled decks and the learner's imported ones (``studyapp.paths.content_roots``)
    are studied together; a deck id that two folders both use is a problem.

    Parameters
    ----------
    roots : sequence of path
        Content folders, in order; the first is the library's ``root``.
    evaluate, strict : bool, default True and False
        As in :func:`validate_content`.
    """
    decks: list[Deck] = []
    problems: list[DeckProblem] = []
    first_in: dict[str, Path] = {}
    for root in roots:
        library, found = validate_content(root, evaluate=evaluate, strict=strict)
        problems.extend(found)
        for deck in library.decks:
            if deck.id in first_in:
                problems.append(DeckProblem(deck.path / DECK_FILE, None,
                                            f"deck {deck.id!r}: duplicate deck id (first in "
                                            f"{first_in[deck.id]})"))
                continue
            first_in[deck.id] = deck.path
            decks.append(deck)
    return Library(Path(roots[0]), decks), problems


def load_content(root: Path | str | None = None) -> Library:
    """Read and validate every deck under ``root``.

    Parameters
    ----------
    root : path, optional
        The content folder; by default the bundled decks.

    Returns
    -------
    Library

    Raises
    ------
    ContentError
        When there is any problem; ``.problems`` lists all of them.
    """
    library, problems = validate_content(root)
    if problems:
        raise ContentError(problems)
    return library


def _deck_dirs(root: Path, problems: list[DeckProblem]) -> list[Path]:
    if (root / DECK_FILE).is_file():
        return [root]
    found: list[Path] = []
    for child in sorted(root.iterdir()):
        if not child.is_dir() or child.name.startswith((".", "_")):
            continue
        if (child / DECK_FILE).is_file():
            found.append(child)
        elif any(child.glob("*.yaml")) or any(child.glob("*.yml")):
            problems.append(DeckProblem(child, None, f"YAML files but no {DECK_FILE}: a deck "
                                                     f"folder starts with {DECK_FILE}"))
    if not found and not problems:
        problems.append(DeckProblem(root, None,
                                    f"no decks: a deck is a folder holding {DECK_FILE}"))
    return found


def _load_deck(
    deck_dir: Path, problems: list[DeckProblem], evaluate: bool = True, strict: bool = False
) -> Deck | None:
    deck_path = deck_dir / DECK_FILE
    ok, data = read_yaml(deck_path, problems)
    header: dict[str, Any] | None = None
    keyword_ids: list[str] | None = None  # None: unknown, keywords are not checked
    if ok:
        header, keyword_ids = check_deck(FileChecker(deck_path, problems), data)
    cards: list[Card] = []
    questions: list[Question] = []
    first_seen: dict[str, Location] = {}
    for path in sorted(deck_dir.glob("*.y*ml")):
        if path.name == DECK_FILE or path.is_dir():
            continue
        if not path.is_file():  # reading a FIFO or a device would block or never end
            what = "a FIFO, a device or a socket" if path.exists() else "a link to nothing"
            problems.append(DeckProblem(path, None, f"not a regular file ({what}): a deck file "
                                                    "is plain YAML text"))
            continue
        if path.suffix == ".yml":
            problems.append(DeckProblem(path, None, "deck files end in .yaml: rename it "
                                                    f"{path.with_suffix('.yaml').name}"))
            continue
        if path.suffix != ".yaml":
            continue
        _load_items(path, keyword_ids, cards, questions, first_seen, problems, evaluate,
                    header["terms"] if header is not None else (), strict)
    if header is None:
        return None
    return Deck(
        id=header["id"],
        title=header["title"],
        path=deck_dir,
        keywords=header["keywords"],
        cards=cards,
        questions=questions,
        title_en=header["title_en"],
        description=header["description"],
        skills=header["skills"],
        terms=header["terms"],
        line=header["line"],
    )


def _load_items(
    path: Path,
    keyword_ids: list[str] | None,
    cards: list[Card],
    questions: list[Question],
    first_seen: dict[str, Location],
    problems: list[DeckProblem],
    evaluate: bool = True,
    terms: Sequence[Term] = (),
    strict: bool = False,
) -> None:
    ok, data = read_yaml(path, problems)
    if not ok:
        return
    checker = FileChecker(path, problems, keyword_ids, evaluate=evaluate, terms=terms,
                          strict=strict)
    card_entries, question_entries = checker.item_file(data)
    for kind, entries in (("card", card_entries), ("question", question_entries)):
        lines = getattr(entries, "item_lines", [])
        for index, entry in enumerate(entries):
            line = lines[index] if index < len(lines) else None
            unique = _check_unique_id(checker, kind, entry, line, first_seen)
            item: Any
            if kind == "card":
                item = check_card(checker, entry, index, line or 0)
                if item is not None and unique:
                    cards.append(item)
            else:
                item = check_question(checker, entry, index, line or 0)
                if item is not None and unique:
                    questions.append(item)


def _check_unique_id(
    checker: FileChecker, kind: str, entry: Any, line: int | None, first_seen: dict[str, Location]
) -> bool:
    """Ids are unique across a deck's cards and questions; report the later ones.

    Returns False for an entry whose id was seen before.
    """
    item_id = entry.get("id") if isinstance(entry, dict) else None
    if not isinstance(item_id, str):
        return True
    id_line = entry.line_of("id") if hasattr(entry, "line_of") else line
    first = first_seen.get(item_id)
    if first is None:
        first_seen[item_id] = Location(checker.file, id_line)
        return True
    if first.file == checker.file:
        where = f"line {first.line}"
    else:
        where = str(DeckProblem(first.file, first.line, "")).removesuffix(": ")
    checker.add(id_line, f"{kind} {item_id!r}: duplicate id (first defined at {where}); "
                         "ids are unique across the deck's cards and questions")
    return False
