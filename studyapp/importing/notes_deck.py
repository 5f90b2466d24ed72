"""A parsed study note → the keywords, cards and questions of a draft deck.

* **Keywords**: the note's keyword list, else its headings (``##`` to ``####``) whose
  own text holds bullets or a formula, leaving out headings such as 概要 or まとめ. A
  name such as ``ドロップアウト（Dropout）`` (in the list or in the heading that matches
  it) gives the Japanese name and the English term; without one, the English term is
  the name itself. Ids are ASCII: the English term's (``dropout``), else the name's
  ASCII letters and a hash of the name (``l1-3fa2c1``, ``kw-9b0e11``).
* **Sections → keywords**: a heading matches a keyword by its name, its English term or
  the name in brackets (compared in NFKC, case and spaces aside). A heading that
  matches none gives its text to the keyword of an enclosing heading, else to the one
  keyword among the headings under it, else to the one keyword whose name holds the
  heading (正則化 → 正則化項); else it is skipped and said so.
* **Items**: a definition card per keyword (its own bullets); a card per other heading
  it owns (``L1ノルム（マンハッタン距離）とは？``); a formula card per display formula
  (the LaTeX under ``tex:``, the legend lines as the answer) and a cloze card per
  legend line (``λ は{{c1::正則化係数}}``); a card per table cell (row × column,
  ``L1正則化の罰則は？``); and, when the note has at least four keywords, 4択 questions
  「次の説明に最も当てはまるものはどれか」 on up to three of a keyword's own bullets
  that no other keyword shares, the keyword's name hidden, the distractors the other
  keywords whose names are most alike.
* **Ids** are a kind and a hash of the item's source (``def-…``, ``formula-…``,
  ``symbol-…``, ``table-…``, ``which-…``): drafting an edited note again gives the
  same id to every item whose source did not change, so its progress is kept.

Text is plain Unicode: inline ``$…$`` goes through :mod:`studyapp.content.texmath`;
a formula it cannot render, a LaTeX command outside ``$…$`` or a lone ``$`` leaves its
item out, reported at the note's line. No Textual import here.
"""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from studyapp.content import cloze as cloze_gaps
from studyapp.content import texmath
from studyapp.content.validation.checker import POSITION_WORDS
from studyapp.importing.notes_parse import Note, Point, Section, normalize

#: Headings that are not topics: never keywords of a note without a keyword list.
GENERIC_HEADINGS = frozenset(normalize(h) for h in (
    "はじめに", "概要", "まとめ", "おわりに", "参考", "参考文献", "参考資料", "学習内容",
    "目次", "比較", "補足", "特徴", "メモ", "感想", "関連", "例", "具体例", "背景",
    "introduction", "summary", "references", "overview", "notes",
))
#: The most keywords one note may list (a syllabus section has a dozen or so).
MAX_KEYWORDS = 500
#: The most items drafted from one note.
MAX_ITEMS = 20_000
#: Questions drafted from one keyword's bullets, at most.
QUESTIONS_PER_KEYWORD = 3
#: A formula rendering longer than this is not repeated in a cloze card's text.
_CLOZE_FORMULA_CHARS = 80
_MASK = "〇〇"

_BRACKETED = re.compile(r"(.*?)[ \t]*[（(]([^（）()]*)[）)][ \t]*\Z")
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z0-9 .,'/&+\-]*\Z")
_INLINE_MATH = re.compile(r"\$\$([^$]+)\$\$|\$([^$\n]+)\$")
_LINK = re.compile(r"!?\[([^\[\]\n]*)\]\([^()\n]*\)")
_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|~])")
_EMPHASIS = re.compile(r"\*\*|__|~~|(?<![A-Za-z0-9])[*_](?=\S)|(?<=\S)[*_](?![A-Za-z0-9])")
_MEANING_NOTE = re.compile(r"(.+?)([（(][^（）()]*[）)])\Z")


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword of the draft deck and where it came from."""

    id: str
    name: str
    en: str
    line: int
    forms: frozenset[str]  # the normalized spellings a heading may match


@dataclass(slots=True)
class Item:
    """A card or question of the draft; ``body`` is what deck files hold after its id."""

    kind: str  # "cards" | "questions"
    id: str
    keyword: str
    line: int
    body: dict[str, Any]


@dataclass(slots=True)
class Draft:
    """What a note gives: the deck's title, keywords and items, the skipped parts
    (``(line, message)``), and for a keyword with no item, why."""

    title: str | None
    keywords: list[Keyword]
    items: list[Item]
    skipped: list[tuple[int, str]]
    from_headings: bool = False
    matched: set[str] = field(default_factory=set)  # keyword ids a heading matches

    def without(self) -> dict[str, str]:
        """For each keyword that has no item, why."""
        with_items = {item.keyword for item in self.items}
        reasons = {}
        for keyword in self.keywords:
            if keyword.id in with_items:
                continue
            if keyword.id not in self.matched:
                reasons[keyword.id] = "no heading of the note matches it"
            else:
                reasons[keyword.id] = ("its section has no bullet, formula or table that "
                                       "can be shown")
        return reasons


class DraftError(Exception):
    """A note that gives no deck (no keyword list and no headings, too many keywords)."""


# --------------------------------------------------------------------------- text


class TextProblems:
    """Collects ``(line, message)`` for parts left out."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def add(self, line: int, message: str) -> None:
        self.found.append((line, message))


def plain(text: str, line: int, problems: TextProblems) -> str | None:
    """A line of the note as deck text: Markdown marks dropped, inline math as Unicode.

    Returns None (and reports at ``line``) when a formula cannot be rendered, a ``$``
    is left unclosed, or a LaTeX command stands outside ``$…$``.
    """
    bad: list[str] = []
    parts: list[str] = []
    position = 0
    for match in _INLINE_MATH.finditer(text):
        parts.append(_markdown(text[position: match.start()]))
        tex = match[1] if match[1] is not None else match[2]
        rendering = texmath.render(tex.strip())
        if rendering.problems:
            bad.append(f"formula ${tex.strip()}$ cannot be shown in Unicode: "
                       + "; ".join(rendering.problems))
        parts.append(rendering.text)
        position = match.end()
    rest = _markdown(text[position:])
    if "$" in rest:
        bad.append("a $ that opens no formula (or is never closed)")
    parts.append(rest)
    result = " ".join("".join(parts).split())
    commands = list(dict.fromkeys(texmath.latex_commands(result)))
    if commands and not bad:
        bad.append(f"the LaTeX {'command' if len(commands) == 1 else 'commands'} "
                   f"{', '.join(commands)} outside $…$")
    for message in bad:
        problems.add(line, f"{message}; left out")
    return None if bad else result


def _markdown(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _TAG.sub("", text).replace("`", "")
    text = _EMPHASIS.sub("", text)
    return _ESCAPE.sub(r"\1", text)


def split_name(text: str) -> tuple[str, str | None, str | None]:
    """``ドロップアウト（Dropout）`` → (``ドロップアウト``, ``Dropout``, None);
    ``L1ノルム（マンハッタン距離）`` → (``L1ノルム``, None, ``マンハッタン距離``);
    ``weight decay`` → (``weight decay``, ``weight decay``, None).
    Returns the name, the English term (None when there is none) and another name."""
    text = " ".join(text.split())
    match = _BRACKETED.match(text)
    if match and match[1].strip() and match[2].strip():
        name, inner = match[1].strip(), match[2].strip()
        if _ENGLISH.match(unicodedata.normalize("NFKC", inner)):
            return name, inner, None
        return name, (name if _ENGLISH.match(name) else None), inner
    return text, (text if _ENGLISH.match(unicodedata.normalize("NFKC", text)) else None), None


def short_hash(*parts: str, size: int = 5) -> str:
    digest = hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=size)
    return digest.hexdigest()


def slug(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:40].strip("-")


# --------------------------------------------------------------------------- keywords


def _keyword_entries(note: Note) -> tuple[list[tuple[int, str]], bool]:
    """(line, text) of each keyword, and whether they come from the headings."""
    if note.keywords:
        return [(p.line, p.text) for p in note.keywords], False
    entries = []
    for section in note.sections[1:]:
        if not 2 <= section.level <= 4 or normalize(section.heading) in GENERIC_HEADINGS:
            continue
        if section.points or section.formulas:
            entries.append((section.line, section.heading))
    return entries, True


def make_keywords(note: Note, problems: TextProblems) -> tuple[list[Keyword], bool]:
    """The deck's keywords, in the note's order, without repeats."""
    entries, from_headings = _keyword_entries(note)
    if len(entries) > MAX_KEYWORDS:
        raise DraftError(f"the note lists {len(entries):,} keywords; at most {MAX_KEYWORDS} "
                         "per deck: split it by syllabus section")
    headings = {}
    for section in note.sections[1:]:
        name, en, other = split_name(section.heading)
        for form in (section.heading, name, other):
            if form:
                headings.setdefault(normalize(form), (name, en))
    keywords: list[Keyword] = []
    seen_forms: set[str] = set()
    used_ids: set[str] = set()
    for line, raw in entries:
        text = plain(raw, line, problems)
        if not text:
            continue
        name, en, other = split_name(text)
        forms = {normalize(f) for f in (text, name, en, other) if f} - {""}
        if forms & seen_forms:
            problems.add(line, f"skipped: keyword 「{text}」 is listed twice")
            continue
        if en is None:  # the heading that matches it may give the English term
            for form in forms:
                if form in headings and headings[form][1]:
                    en = headings[form][1]
                    break
        if en is not None:
            forms.add(normalize(en))
        seen_forms |= forms
        keywords.append(Keyword(_keyword_id(name, en, used_ids), name, en or name, line,
                                frozenset(forms)))
    return keywords, from_headings


def _keyword_id(name: str, en: str | None, used: set[str]) -> str:
    base = slug(en) if en else ""
    if not base:
        ascii_part = slug(name)
        base = f"{ascii_part or 'kw'}-{short_hash(normalize(name), size=3)}"
    candidate = base
    if candidate in used:
        candidate = f"{base}-{short_hash(normalize(name), size=3)}"
    number = 2
    while candidate in used:
        candidate = f"{base}-{number}"
        number += 1
    used.add(candidate)
    return candidate


# --------------------------------------------------------------------------- sections


def _section_forms(section: Section) -> set[str]:
    name, en, other = split_name(section.heading)
    return {normalize(f) for f in (section.heading, name, en, other) if f} - {""}


def assign_sections(note: Note, keywords: list[Keyword]
                    ) -> tuple[dict[int, Keyword], dict[int, Keyword]]:
    """Which keyword each section matches (``own``) and which owns its text (``owner``),
    by section index."""
    by_form = {}
    for keyword in keywords:
        for form in keyword.forms:
            by_form.setdefault(form, keyword)
    own: dict[int, Keyword] = {}
    for index, section in enumerate(note.sections[1:], start=1):
        for form in sorted(_section_forms(section)):
            if form in by_form:
                own[index] = by_form[form]
                break
    children: dict[int, list[int]] = {}
    for index, section in enumerate(note.sections[1:], start=1):
        if section.parent is not None:
            children.setdefault(section.parent, []).append(index)

    def descendants(index: int) -> set[str]:
        found: set[str] = set()
        todo = list(children.get(index, []))
        while todo:
            child = todo.pop()
            if child in own:
                found.add(own[child].id)
            todo.extend(children.get(child, []))
        return found

    by_id = {k.id: k for k in keywords}
    owner: dict[int, Keyword] = {}
    for index, section in enumerate(note.sections[1:], start=1):
        if index in own:
            owner[index] = own[index]
            continue
        if not section.has_content:
            continue
        if section.parent is not None and section.parent in owner:
            owner[index] = owner[section.parent]
            continue
        below = descendants(index)
        if len(below) == 1:
            owner[index] = by_id[below.pop()]
            continue
        heading = normalize(split_name(section.heading)[0])
        if heading:
            holders = [k for k in keywords if any(heading in f for f in k.forms)]
            if len(holders) == 1:
                owner[index] = holders[0]
    return own, owner


# --------------------------------------------------------------------------- items


class _Builder:
    def __init__(self, note: Note, keywords: list[Keyword], problems: TextProblems) -> None:
        self.note = note
        self.keywords = keywords
        self.problems = problems
        self.items: list[Item] = []
        self.ids: set[str] = set()
        # keyword id -> the rendered own bullets (line, text), for questions
        self.own_points: dict[str, list[tuple[int, str]]] = {k.id: [] for k in keywords}

    def add(self, kind: str, prefix: str, source: Iterable[str], keyword: Keyword,
            line: int, body: dict[str, Any]) -> None:
        if len(self.items) >= MAX_ITEMS:
            raise DraftError(f"the note gives more than {MAX_ITEMS:,} items; split it by "
                             "syllabus section")
        base = f"{prefix}-{short_hash(prefix, *source)}"
        item_id = base
        number = 2
        while item_id in self.ids:
            item_id = f"{base}-{number}"
            number += 1
        self.ids.add(item_id)
        self.items.append(Item(kind, item_id, keyword.id, line,
                               {"keywords": [keyword.id], **body}))

    def points(self, points: list[Point]) -> list[tuple[int, str, str]]:
        """(line, raw, text) of the points whose text can be shown."""
        shown = []
        for point in points:
            text = plain(point.text, point.line, self.problems)
            if text:
                shown.append((point.line, point.text, text))
        return shown

    def heading(self, section: Section) -> str:
        text = plain(section.heading, section.line, self.problems)
        return text or ""

    # -- definition cards ------------------------------------------------------------
    def definition(self, keyword: Keyword, section: Section) -> None:
        shown = self.points(section.points)
        if not shown:
            return
        self.own_points[keyword.id].extend((line, text) for line, _, text in shown)
        front = f"{keyword.name}とは？" if keyword.en == keyword.name \
            else f"{keyword.name}（{keyword.en}）とは？"
        self.add("cards", "def", [keyword.name, *(raw for _, raw, _ in shown)], keyword,
                 section.line, {"front": front, "back": _bulleted(t for _, _, t in shown),
                                "tags": ["定義"]})

    def subsection(self, keyword: Keyword, section: Section) -> None:
        shown = self.points(section.points)
        heading = self.heading(section)
        if not shown or not heading:
            return
        if normalize(heading) in GENERIC_HEADINGS:
            front = f"{keyword.name}の{heading}は？"
        else:
            front = f"{heading}とは？"
        self.add("cards", "note", [section.heading, *(raw for _, raw, _ in shown)], keyword,
                 section.line, {"front": front, "back": _bulleted(t for _, _, t in shown),
                                "tags": ["要点"]})

    # -- formulas --------------------------------------------------------------------
    def formulas(self, keyword: Keyword, section: Section) -> None:
        heading = self.heading(section) or keyword.name
        several = len(section.formulas) > 1
        for formula in section.formulas:
            rendering = texmath.render(formula.tex)
            if rendering.problems:
                self.problems.add(formula.line, "formula cannot be shown in Unicode: "
                                  + "; ".join(rendering.problems) + "; its cards are left out")
                continue
            legend = []
            for entry in formula.legend:
                symbol = plain(entry.symbol, entry.line, self.problems)
                meaning = plain(entry.meaning, entry.line, self.problems)
                if symbol and meaning:
                    legend.append((entry, symbol, meaning))
            symbols = "、".join(symbol for _, symbol, _ in legend)
            front = f"{heading}の式を書け。"
            if several and symbols:
                front = f"{heading}の式を書け（記号: {symbols}）。"
            back = "\n".join(f"{symbol}：{meaning}" for _, symbol, meaning in legend)
            self.add("cards", "formula", [formula.tex, *(f"{e.symbol}\x1e{e.meaning}"
                                                          for e, _, _ in legend)],
                     keyword, formula.line,
                     {"front": front, "back": back or f"{heading}の式。", "tex": formula.tex,
                      "tags": ["式"]})
            shown = " ".join(rendering.text.split())
            for entry, symbol, meaning in legend:
                self.symbol_cloze(keyword, heading, formula.tex, shown, entry, symbol, meaning)

    def symbol_cloze(self, keyword: Keyword, heading: str, tex: str, shown: str, entry: Any,
                     symbol: str, meaning: str) -> None:
        match = _MEANING_NOTE.match(meaning)
        answer, note = (match[1].strip(), match[2]) if match else (meaning, "")
        where = shown if len(shown) <= _CLOZE_FORMULA_CHARS else f"{heading}の式"
        for context in (where, f"{heading}の式"):
            text = f"{context} において、{symbol} は{{{{c1::{answer}}}}}{note}。"
            if not cloze_gaps.problems(text):
                break
        else:
            self.problems.add(entry.line, "skipped: the legend line cannot be a cloze card "
                                          "(its text holds {{ or }})")
            return
        self.add("cards", "symbol", [tex, entry.symbol, entry.meaning], keyword, entry.line,
                 {"cloze": text, "tex": tex, "tags": ["式", "記号"]})

    # -- tables ----------------------------------------------------------------------
    def table(self, section_owner: Keyword | None, table: Any, by_form: dict[str, Keyword]
              ) -> None:
        header = list(table.header)
        if len(header) < 2 or not table.rows:
            self.problems.add(table.line, "skipped: a table needs a header, a column of "
                                          "labels and a row")
            return
        columns = [self._match(cell, by_form) for cell in header[1:]]
        rows = [self._match(cells[0], by_form) for _, cells in table.rows]
        by_column = sum(k is not None for k in columns) >= sum(k is not None for k in rows) \
            and any(columns)
        for row_index, (line, cells) in enumerate(table.rows):
            label = plain(cells[0], line, self.problems)
            if not label:
                continue
            for col_index, cell in enumerate(cells[1:]):
                aspect_raw = header[col_index + 1]
                if not cell.strip():
                    continue
                if by_column:
                    entity_raw, aspect_raw = aspect_raw, cells[0]
                    keyword = columns[col_index] or section_owner
                else:
                    entity_raw = cells[0]
                    keyword = rows[row_index] or section_owner
                entity = plain(entity_raw, table.line if by_column else line, self.problems)
                aspect = plain(aspect_raw, line if by_column else table.line, self.problems)
                back = plain(cell, line, self.problems)
                if not entity or not aspect or not back:
                    continue
                if keyword is None:
                    self.problems.add(line, f"skipped: the table's row 「{label}」 matches no "
                                            "keyword, and neither does its heading")
                    break
                self.add("cards", "table", [entity_raw, aspect_raw, cell], keyword, line,
                         {"front": f"{entity}の{aspect}は？", "back": back, "tags": ["比較"]})

    @staticmethod
    def _match(cell: str, by_form: dict[str, Keyword]) -> Keyword | None:
        name, en, other = split_name(cell)
        for form in (cell, name, en, other):
            if form and normalize(form) in by_form:
                return by_form[normalize(form)]
        return None

    # -- questions -------------------------------------------------------------------
    def questions(self) -> None:
        if len(self.keywords) < 4:
            return
        counts: dict[str, int] = {}
        for points in self.own_points.values():
            for _, text in points:
                counts[normalize(text)] = counts.get(normalize(text), 0) + 1
        for keyword in self.keywords:
            made = 0
            for line, text in self.own_points[keyword.id]:
                if made >= QUESTIONS_PER_KEYWORD:
                    break
                if counts[normalize(text)] > 1 or POSITION_WORDS.search(text):
                    continue  # two keywords say it: it describes neither alone
                masked = _mask(text, keyword)
                if len(masked.replace(_MASK, "")) < 6:
                    continue
                self.question(keyword, line, text, masked, counts)
                made += 1

    def question(self, keyword: Keyword, line: int, text: str, masked: str,
                 counts: dict[str, int]) -> None:
        others = _distractors(keyword, self.keywords)
        digest = short_hash("which", keyword.name, text)
        answer = int(digest, 16) % 4
        wrong = [{"text": other.name, "why": self._why(other, counts)} for other in others]
        choices: list[Any] = [*wrong[:answer], keyword.name, *wrong[answer:]]
        self.add("questions", "which", [keyword.name, text], keyword, line, {
            "type": "choice",
            "prompt": f"次の説明に最も当てはまるものはどれか。\n「{masked}」",
            "choices": choices,
            "answer": answer,
            "explanation": f"ノートの{keyword.name}の項の説明:「{text}」",
            "tags": ["定義"],
        })

    def _why(self, other: Keyword, counts: dict[str, int]) -> str:
        """What the note says of a distractor: its first bullet no other keyword shares."""
        for _, text in self.own_points.get(other.id) or []:
            if counts[normalize(text)] == 1:
                return f"ノートの{other.name}の項の説明は「{text}」。"
        return f"{other.name}の項にこの説明はない。"


def _bulleted(texts: Iterable[str]) -> str:
    lines = list(texts)
    return lines[0] if len(lines) == 1 else "\n".join(f"・{t}" for t in lines)


def _mask(text: str, keyword: Keyword) -> str:
    masked = text
    for word in sorted({keyword.name, keyword.en}, key=len, reverse=True):
        if word:
            masked = re.sub(re.escape(word), _MASK, masked, flags=re.IGNORECASE)
    return masked


@functools.lru_cache(maxsize=MAX_KEYWORDS)
def _bigrams(text: str) -> frozenset[str]:
    text = normalize(text)
    return frozenset({text[i: i + 2] for i in range(len(text) - 1)} | set(text))


def _distractors(keyword: Keyword, keywords: list[Keyword]) -> list[Keyword]:
    """The three other keywords whose names are most alike (shared characters and pairs
    of characters), then the nearest in the note's order."""
    mine = _bigrams(keyword.name)
    position = keywords.index(keyword)
    others = [(-len(mine & _bigrams(k.name)), abs(i - position), i, k)
              for i, k in enumerate(keywords)
              if k is not keyword and normalize(k.name) != normalize(keyword.name)]
    others.sort(key=lambda entry: entry[:3])
    return [k for *_, k in others[:3]]


# --------------------------------------------------------------------------- the draft


def draft(note: Note) -> Draft:
    """The deck a note gives.

    Raises
    ------
    DraftError
        When the note has neither a keyword list nor headings, or is over a limit.
    """
    problems = TextProblems()
    if note.keywords is None and len(note.sections) == 1:
        raise DraftError("the note has neither a ## キーワード list nor headings: list the "
                         "keywords under ## キーワード, or give each topic a ## heading")
    keywords, from_headings = make_keywords(note, problems)
    if not keywords:
        where = "its ## キーワード list is empty" if note.keywords is not None \
            else "no heading has bullets or a formula under it"
        raise DraftError(f"the note gives no keyword: {where}")
    own, owner = assign_sections(note, keywords)
    by_form: dict[str, Keyword] = {}
    for keyword in keywords:
        for form in keyword.forms:
            by_form.setdefault(form, keyword)
    builder = _Builder(note, keywords, problems)
    for index, section in enumerate(note.sections[1:], start=1):
        keyword = owner.get(index)
        if keyword is None:
            if section.points or section.formulas:
                problems.add(section.line, f"skipped: section 「{section.heading}」 matches "
                                           "no keyword")
            for table in section.tables:
                builder.table(None, table, by_form)
            continue
        if index in own:
            builder.definition(keyword, section)
        else:
            builder.subsection(keyword, section)
        builder.formulas(keyword, section)
        for table in section.tables:
            builder.table(keyword, table, by_form)
    root = note.sections[0]
    if root.formulas or root.tables:
        problems.add(root.formulas[0].line if root.formulas else root.tables[0].line,
                     "skipped: formulas and tables before the first heading belong to no "
                     "keyword")
    builder.questions()
    title = plain(note.title, 1, problems) if note.title else None
    skipped = sorted(note.skipped + problems.found, key=lambda p: p[0])
    return Draft(title or None, keywords, builder.items, skipped, from_headings,
                 {k.id for k in own.values()})
