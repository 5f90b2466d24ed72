"""The card browser's rules without a UI: its rows, the search and the filters, and the
texts of a learner's answers (the mistake notebook, 間違いノート).

A row is built once per item when the browser opens (:func:`build_rows`), with the item's
searchable text already normalised, so a key typed in the search box costs one substring
test per row (:func:`filter_rows`). Search and text are normalised alike
(:func:`normalize`: NFKC, then casefold), so full-width and half-width forms match
(``ＬＡＳＳＯ`` and ``lasso``, ``ﾐﾆﾊﾞｯﾁ`` and ``ミニバッチ``), and so do upper and lower case.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple, Protocol

from studyapp.content import Card, Deck, Question, answers, cloze
from studyapp.store import AnswerEntry, ItemStatus, teaching_order

#: Short Japanese label of each row type: a card, a cloze card, each question type.
TYPE_LABELS = {
    "card": "カード",
    "cloze": "穴埋め",
    "choice": "4択",
    "multi": "複数",
    "truefalse": "正誤",
    "numeric": "計算",
    "code": "コード",
}

#: Japanese label of each state a row shows: a card's schedule (``new`` … ``review``), a
#: question's answers (``unanswered``, ``answered``, ``mistake``: on the mistake list),
#: and the marks that take precedence over both (``suspended``, then ``leech``).
STATE_LABELS = {
    "new": "新規",
    "learning": "学習中",
    "relearning": "再学習",
    "review": "復習",
    "unanswered": "未回答",
    "answered": "回答済",
    "mistake": "間違い",
    "suspended": "休止",
    "leech": "リーチ",
}

#: The state filter, in the order its key cycles through them (``None``: every row).
STATE_FILTERS = {
    "new": "新規・未回答",
    "learning": "学習中",
    "review": "復習",
    "suspended": "休止",
    "leech": "リーチ",
    "flagged": "フラグ",
    "mistakes": "間違いノート",
}

#: What a question's last answer shows in the last-rating column.
ANSWER_LABELS = {True: "正答", False: "誤答"}

#: The two sides of a true/false question as the quiz shows them.
TRUE_FALSE_TEXTS = {True: "○ 正しい", False: "× 誤り"}


class _Calendar(Protocol):
    """The store's study-day calendar (``Store.calendar``)."""

    @property
    def tz(self) -> Any: ...

    def day_of(self, ms: int) -> Any: ...


def normalize(text: str) -> str:
    """``text`` as the search compares it: NFKC (full-width letters and digits become
    half-width, half-width katakana full-width), then casefolded."""
    return unicodedata.normalize("NFKC", text).casefold()


def search_terms(query: str) -> tuple[str, ...]:
    """The words of a search, normalised; a row matches when it holds every one of them
    (a full-width space separates words too)."""
    return tuple(normalize(query).split())


class BrowseRow(NamedTuple):
    """One card or question in the browser.

    Attributes
    ----------
    kind, item : str
        ``"card"`` or ``"question"``, and its id.
    type : str
        A key of :data:`TYPE_LABELS`.
    keywords : tuple of str
        The item's keyword ids.
    keyword : str
        The name of its first keyword.
    summary : str
        One line: a card's front (a cloze card's text with its gaps filled), a question's
        prompt.
    state : str
        A card's schedule or a question's answers (a key of :data:`STATE_LABELS`).
    suspended, flagged, leech, in_mistakes : bool
        Its marks; ``in_mistakes``: a question on the mistake list.
    due : datetime or None
        When a card is due.
    due_text : str
        ``due`` as the table shows it (:func:`due_label`).
    lapses : int
        A card's lapses; a question's wrong answers.
    last : str
        A card's last rating (もう一度 …) or a question's last answer (正答/誤答); ``""``.
    haystack : str
        Every text of the item, normalised (:func:`normalize`), which the search reads.
    """

    kind: str
    item: str
    type: str
    keywords: tuple[str, ...]
    keyword: str
    summary: str
    state: str
    suspended: bool
    flagged: bool
    leech: bool
    in_mistakes: bool
    due: datetime | None
    due_text: str
    lapses: int
    last: str
    haystack: str

    @property
    def key(self) -> str:
        """The row's key in the table: ``kind:item``."""
        return f"{self.kind}:{self.item}"

    @property
    def shown_state(self) -> str:
        """The state the table shows: suspended, else leech, else :attr:`state`."""
        if self.suspended:
            return "suspended"
        if self.leech:
            return "leech"
        return self.state


class BrowseFilter(NamedTuple):
    """What the browser shows: rows holding every word of ``query``, with the keyword id
    ``keyword`` and in the state filter ``state`` (a key of :data:`STATE_FILTERS`);
    ``None`` leaves a part out."""

    query: str = ""
    keyword: str | None = None
    state: str | None = None


def one_line(text: str) -> str:
    """``text`` on one line, runs of white space as one space."""
    return " ".join(text.split())


def due_label(due: datetime | None, state: str | None, now_ms: int,
              calendar: _Calendar | None) -> str:
    """When a card is due, as the table shows it: ``—`` while new; a review card
    ``今日`` when due today or overdue, else its study day ``MM/DD``; a learning card its
    local time ``HH:MM`` when due today, else its day."""
    if due is None or calendar is None:
        return "—"
    from studyapp.store.config import to_ms

    day = calendar.day_of(to_ms(due))
    today = calendar.day_of(now_ms)
    if state == "review":
        return "今日" if day <= today else f"{day.month:02d}/{day.day:02d}"
    if day <= today:
        return due.astimezone(calendar.tz).strftime("%H:%M")
    return f"{day.month:02d}/{day.day:02d}"


def _card_texts(card: Card) -> list[str]:
    texts = [card.front or "", card.back or ""]
    if card.cloze is not None:
        texts += [card.cloze, cloze.reveal(card.cloze)]
    texts += card.tags
    return texts


def _question_texts(question: Question) -> list[str]:
    texts = [question.prompt, question.explanation, question.listing or ""]
    for option in question.choices:
        texts += [option.text, option.why or ""]
    texts += question.tags
    return texts


def _keyword_texts(names: dict[str, tuple[str, str]], keywords: Iterable[str]) -> list[str]:
    return [text for keyword_id in keywords for text in names.get(keyword_id, ())]


def _keyword_name(names: dict[str, tuple[str, str]], keywords: Sequence[str]) -> str:
    if not keywords:
        return ""
    return names.get(keywords[0], (keywords[0],))[0]


def _card_state(status: ItemStatus | None) -> str:
    return "new" if status is None or status.state is None else status.state


def _question_state(status: ItemStatus | None) -> str:
    if status is None or not status.attempts:
        return "unanswered"
    return "mistake" if status.in_mistakes else "answered"


def build_rows(deck: Deck, statuses: Iterable[ItemStatus], *, now_ms: int,
               calendar: _Calendar | None) -> list[BrowseRow]:
    """The rows of a deck: its cards, then its questions, each in the order new cards are
    taught (``teaching_order``: the first keyword's place in deck.yaml, then file order),
    with what the store knows of it (``Store.item_statuses``; an item it does not know
    is new).

    Parameters
    ----------
    deck : Deck
        The deck (its texts and keywords).
    statuses : iterable of ItemStatus
        The store's records of the deck's items.
    now_ms : int
        The store's clock (``Store.now_ms()``), for the due column.
    calendar : Calendar or None
        The store's study days (``Store.calendar``).
    """
    known = {(s.kind, s.item): s for s in statuses}
    names = {k.id: (k.name, k.en) for k in deck.keywords}
    rows: list[BrowseRow] = []
    for card in teaching_order(deck, deck.cards):
        status = known.get(("card", card.id))
        state = _card_state(status)
        summary = card.front or (cloze.reveal(card.cloze) if card.cloze is not None else "")
        texts = [card.id, *_card_texts(card), *_keyword_texts(names, card.keywords)]
        rating = None if status is None else status.last_rating
        rows.append(BrowseRow(
            kind="card", item=card.id, type="cloze" if card.is_cloze else "card",
            keywords=card.keywords, keyword=_keyword_name(names, card.keywords),
            summary=one_line(summary), state=state,
            suspended=bool(status and status.suspended), flagged=bool(status and status.flagged),
            leech=bool(status and status.leech), in_mistakes=False,
            due=None if status is None else status.due,
            due_text=due_label(None if status is None else status.due,
                               None if status is None else status.state, now_ms, calendar),
            lapses=0 if status is None else status.lapses,
            last="" if rating is None else rating.label,
            haystack=normalize("\n".join(texts)),
        ))
    for question in teaching_order(deck, deck.questions):
        status = known.get(("question", question.id))
        texts = [question.id, *_question_texts(question),
                 *_keyword_texts(names, question.keywords)]
        last = None if status is None else status.last_correct
        rows.append(BrowseRow(
            kind="question", item=question.id, type=question.type,
            keywords=question.keywords, keyword=_keyword_name(names, question.keywords),
            summary=one_line(question.prompt), state=_question_state(status),
            suspended=bool(status and status.suspended), flagged=bool(status and status.flagged),
            leech=False, in_mistakes=bool(status and status.in_mistakes),
            due=None, due_text="—",
            lapses=0 if status is None else status.attempts - status.correct,
            last="" if last is None else ANSWER_LABELS[last],
            haystack=normalize("\n".join(texts)),
        ))
    return rows


def _in_state(row: BrowseRow, state: str) -> bool:
    if state == "new":
        return row.state in ("new", "unanswered")
    if state == "learning":
        return row.state in ("learning", "relearning")
    if state == "review":
        return row.state == "review"
    if state == "suspended":
        return row.suspended
    if state == "leech":
        return row.leech
    if state == "flagged":
        return row.flagged
    if state == "mistakes":
        return row.in_mistakes
    raise ValueError(f"unknown state filter {state!r}; one of {', '.join(STATE_FILTERS)}")


def filter_rows(rows: Iterable[BrowseRow], browse_filter: BrowseFilter) -> list[BrowseRow]:
    """The rows ``browse_filter`` lets through, in their order: every word of its query
    somewhere in the row's texts (normalised alike), its keyword among the row's, and its
    state filter (see :data:`STATE_FILTERS`)."""
    terms = search_terms(browse_filter.query)
    keyword, state = browse_filter.keyword, browse_filter.state
    if state is not None and state not in STATE_FILTERS:
        raise ValueError(f"unknown state filter {state!r}; one of {', '.join(STATE_FILTERS)}")
    out = []
    for row in rows:
        if keyword is not None and keyword not in row.keywords:
            continue
        if state is not None and not _in_state(row, state):
            continue
        haystack = row.haystack
        if all(term in haystack for term in terms):
            out.append(row)
    return out


class RowSearch:
    """:func:`filter_rows` over a fixed list of rows, remembering what it found.

    The search box asks again at every key. A filter asked before is answered from
    memory (a key erased); a query that extends one asked before (normalised, with the
    same keyword and state) is tested on that query's rows only, since a row without the
    shorter words cannot hold the longer ones (a key typed on). :meth:`replace` changes a
    row (a mark) and forgets everything found.

    Parameters
    ----------
    rows : list of BrowseRow
        Every row (kept, not copied: :attr:`rows`).
    """

    #: Filters remembered (the oldest is forgotten first).
    MEMORY = 32

    def __init__(self, rows: list[BrowseRow]) -> None:
        self.rows = rows
        self._found: dict[BrowseFilter, tuple[str, list[BrowseRow]]] = {}

    def __call__(self, browse_filter: BrowseFilter) -> list[BrowseRow]:
        found = self._found.pop(browse_filter, None)
        if found is None:
            query = normalize(browse_filter.query)
            base = self.rows
            for before, (before_query, rows) in self._found.items():
                if (before.keyword, before.state) == (browse_filter.keyword,
                                                      browse_filter.state) \
                        and query.startswith(before_query) and len(rows) < len(base):
                    base = rows
            found = (query, self._scan(base, browse_filter))
        self._found[browse_filter] = found  # the most recent last
        while len(self._found) > self.MEMORY:
            del self._found[next(iter(self._found))]
        return list(found[1])

    def _scan(self, base: list[BrowseRow], browse_filter: BrowseFilter) -> list[BrowseRow]:
        return filter_rows(base, browse_filter)

    def replace(self, old: BrowseRow, new: BrowseRow) -> None:
        """Put ``new`` in the place of ``old`` and forget what was found."""
        self.rows[self.rows.index(old)] = new
        self._found.clear()


def cycle(options: Sequence[Any], current: Any, step: int = 1) -> Any:
    """The option after ``current`` in ``options`` (``None``, every row, comes first and
    after the last), or before it with ``step = -1``."""
    ring = [None, *options]
    index = ring.index(current) if current in ring else 0
    return ring[(index + step) % len(ring)]


# ---------------------------------------------------------------------- answers
def answer_text(question: Question, answer: Any) -> str:
    """A stored answer as the learner gave it: the text of the option picked (original
    option indices: one, or a list), ○/× for a true/false question, the number typed (as
    the question shows its numbers); ``—`` for none."""
    if answer is None:
        return "—"
    if question.type == "truefalse" and isinstance(answer, bool):
        return TRUE_FALSE_TEXTS[answer]
    if question.choices:
        picked = answer if isinstance(answer, list) else [answer]
        texts = []
        for index in picked:
            if isinstance(index, int) and not isinstance(index, bool) \
                    and 0 <= index < len(question.choices):
                texts.append(question.choices[index].text)
            else:
                texts.append(str(index))
        return "、".join(texts)
    if question.type == "numeric":
        if isinstance(answer, list):
            return "[" + ", ".join(_number(question, v) for v in answer) + "]"
        return _number(question, answer)
    return str(answer)


def _number(question: Question, value: Any) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return question.format_number(float(value))
    return str(value)


def right_answer_text(question: Question) -> str:
    """The right answer of a question in words: the right options' texts (the exporters
    print their numbers, ``content.answers``), the engine's value, or true/false."""
    if question.type == "truefalse":
        return TRUE_FALSE_TEXTS[bool(question.answer)]
    if question.type == "numeric":
        try:
            return answers.answer_text(question)
        except ValueError:  # a compute the engine refuses (ComputeError): the deck's literal
            return "—" if question.answer is None else str(question.answer)
    return "、".join(text for _, text in answers.right_options(question))


def picked_whys(question: Question, answer: Any) -> list[str]:
    """Why each wrong option the learner picked is wrong (the deck's ``why``), in order."""
    if answer is None or isinstance(answer, bool):
        return []
    wrong = {note.number - 1: note.why for note in answers.option_notes(question)
             if not note.correct}
    picked = answer if isinstance(answer, list) else [answer]
    return [wrong[index] for index in picked if isinstance(index, int) and index in wrong]


def last_wrong(history: Sequence[AnswerEntry]) -> AnswerEntry | None:
    """The latest wrong answer of a question's history (oldest first), or ``None``."""
    for entry in reversed(history):
        if not entry.correct:
            return entry
    return None


__all__ = [
    "ANSWER_LABELS",
    "STATE_FILTERS",
    "STATE_LABELS",
    "TYPE_LABELS",
    "BrowseFilter",
    "BrowseRow",
    "RowSearch",
    "answer_text",
    "build_rows",
    "cycle",
    "due_label",
    "filter_rows",
    "last_wrong",
    "normalize",
    "one_line",
    "picked_whys",
    "right_answer_text",
    "search_terms",
]
