"""Anki notes → deck items, by note type.

* Basic, Basic (and reversed card), Basic (optional reversed card), Basic (type in the
  answer), and the same in Japanese Anki (基本 …): Front, Back → a front/back card.
* Cloze (穴埋め問題): Text, Back Extra → a cloze card.
* ``E資格 Basic`` / ``E資格 Cloze`` (the app's own export): Front or Text, Back or Back
  Extra, Formula (→ the card's ``tex``) → a card.
* ``E資格 Question``: Prompt, Type, Formula, Options, Answer, Explanation → a question.

Names are matched with the suffixes Anki adds to a copy (``Basic+``, ``Basic-1a2b3``).
A question comes back with its type, numbered options, answer, explanation and each
option's ``why``. Two types cannot come back as they were, since the export does not
carry what the deck computes or runs: a 計算 question becomes a card (its prompt; the
answer, explanation and named wrong answers on the back), a コード question a 4択
question on the same snippets. The Keywords and ID fields are not read (the imported
deck has one keyword of its own); the tags keep the keyword ids.

A file without a note type column is read as front, back and padding, except that the
app's own notes are known by their fields (a type label and a ``deck/item`` ID).

Rows are either **bad** (a note the app reads, but broken: an empty back, a cloze gap
with no answer, LaTeX outside a formula, a question whose answer names no option) —
reported, and nothing is written — or **skipped** (a well-formed note that has no place
in a deck: a note type with no counterpart, a field beyond the ones the app reads, a
side that is only an image or a sound, a question whose options the file cannot tell
apart) — listed, and the rest imported.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from studyapp.content import cloze as cloze_gaps
from studyapp.content import texmath
from studyapp.content.validation import CHOICE_COUNTS
from studyapp.importing.anki_text import (
    RawNote,
    RowProblem,
    TextFormat,
    code_text,
    columns_message,
    field_text,
    formula_tex,
    strip_html,
)

#: The app's note types, as ``studyapp/export/anki.py`` names them.
APP_BASIC = "E資格 Basic"
APP_CLOZE = "E資格 Cloze"
APP_QUESTION = "E資格 Question"
#: The export's type labels (``studyapp.study.quiz.TYPE_LABELS``) → question type.
QUESTION_TYPES = {"4択": "choice", "複数選択": "multi", "正誤": "truefalse", "計算": "numeric",
                  "コード": "code"}
_TRUE, _FALSE = "○", "×"  # how the export's answer of a 正誤 question starts

# note type name -> (how it is read, how many fields it has)
_NOTE_TYPES: dict[str, tuple[str, int]] = {
    "Basic": ("basic", 2),
    "Basic (and reversed card)": ("basic", 2),
    "Basic (optional reversed card)": ("basic", 3),  # the third is the "Add Reverse" flag
    "Basic (type in the answer)": ("basic", 2),
    "Cloze": ("cloze", 2),
    "基本": ("basic", 2),
    "基本 (表面と裏面を反転したカードも作成)": ("basic", 2),
    "基本 (任意で反転カードを作成)": ("basic", 3),
    "基本 (解答を入力)": ("basic", 2),
    "穴埋め問題": ("cloze", 2),
    APP_BASIC: ("app-basic", 5),
    APP_CLOZE: ("app-cloze", 5),
    APP_QUESTION: ("app-question", 8),
}
_COPY_SUFFIX = re.compile(r"(?:\+|-[0-9a-f]{5})+\Z")
_CLOZE = re.compile(r"\{\{c\d+::")
_ITEM_ID = re.compile(r"[a-z0-9][a-z0-9-]*/[a-z0-9][a-z0-9-]*\Z")
# (like the patterns of anki_text, none can run past the next "<": linear in the field)
_LIST_ITEM_OPEN = re.compile(r"<li\b[^<>]*>", re.IGNORECASE)
_LIST_ITEM_CLOSE = re.compile(r"</li[ \t]*>", re.IGNORECASE)
_WHY_START = re.compile(r"<(?:ul|div)\b[^<>]*\bclass=\"why\"[^<>]*>", re.IGNORECASE)
_OPTION_WHY = re.compile(r"(\d+)（(?:正解|誤り)）:\s*(.+)", re.DOTALL)
_MEDIA = re.compile(r"<(?:img|audio|video|object)\b|\[sound:", re.IGNORECASE)
_ANSWER_NUMBER = re.compile(r"^[ \t]*(\d+)\.(?:[ \t]|$)", re.MULTILINE)
#: the most options of a 複数選択 question the deck allows
_MAX_MULTI = CHOICE_COUNTS["multi"][1]
#: The most tags of one row (Anki notes have a handful): with the row limit, this keeps
#: the deck's files far inside the validator's limits on values per file.
MAX_TAGS = 50
_HOW_TO_EXPORT = ("export again with 'Include notetype name' (or split the file by note "
                  "type) to import it")


@dataclass(frozen=True, slots=True)
class Choice:
    """An option of an imported question and, when the export has it, its ``why``."""

    text: str
    why: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedQuestion:
    """What a question item has beyond its prompt (which is the row's ``front``)."""

    type: str
    answer: int | tuple[int, ...] | bool
    explanation: str
    choices: tuple[Choice, ...] = ()


@dataclass(frozen=True, slots=True)
class TsvRow:
    """One note that becomes an item.

    Attributes
    ----------
    line : int
        1-based line of the file where the row starts.
    front : str
        The front, the cloze text when ``is_cloze``, or the prompt of a question.
    back : str
        The back, or a cloze card's extra note ("" for none and for a question).
    tags : tuple of str
    is_cloze : bool
    tex, unicode : str or None
        The formula of an ``E資格`` note (its Formula field).
    question : ImportedQuestion or None
        Set when the row becomes a question.
    """

    line: int
    front: str
    back: str
    tags: tuple[str, ...] = ()
    is_cloze: bool = False
    tex: str | None = None
    unicode: str | None = None
    question: ImportedQuestion | None = None


@dataclass
class _Row:
    """One note being read: its fields, and where its problems go."""

    note: RawNote
    fmt: TextFormat
    problems: list[str]
    skip_reason: str | None = None

    def field(self, index: int) -> str:
        fields = self.note.fields
        return fields[index] if index < len(fields) else ""

    def text(self, index: int, name: str) -> str | None:
        return field_text(self.field(index), self.fmt.html, name, self.problems)

    def skip(self, reason: str) -> None:
        self.skip_reason = reason


def note_item(path: Path, note: RawNote, fmt: TextFormat, bad: list[RowProblem],
              skipped: list[RowProblem]) -> TsvRow | None:
    """The item a note becomes, or None when it is bad (added to ``bad``) or has no place
    in a deck (added to ``skipped``).

    Parameters
    ----------
    path : Path
        The file, for the problems.
    note : RawNote
    fmt : TextFormat
    bad, skipped : list of RowProblem
        Where the row's problems go.

    Returns
    -------
    TsvRow or None
    """
    row = _Row(note, fmt, [])
    item = _read(row)
    if row.skip_reason is not None:
        skipped.append(RowProblem(path, note.line, f"skipped: {row.skip_reason}"))
        return None
    if len(note.tags) > MAX_TAGS:
        row.problems.append(f"{len(note.tags)} tags: at most {MAX_TAGS} per row")
    for tag in note.tags[:MAX_TAGS]:
        if texmath.latex_commands(tag):
            row.problems.append(f"tag {tag!r} holds a LaTeX command")
    bad.extend(RowProblem(path, note.line, message) for message in row.problems)
    return None if row.problems else item


def note_kind(name: str) -> tuple[str, int] | None:
    """How a note type is read, and how many fields it has; None for no counterpart."""
    return _NOTE_TYPES.get(name) or _NOTE_TYPES.get(_COPY_SUFFIX.sub("", name))


def _read(row: _Row) -> TsvRow | None:
    name = row.note.notetype
    if name is None:
        return _read_unnamed(row)
    if not name:
        row.problems.append("no note type in the note type column")
        return None
    kind = note_kind(name)
    if kind is None:
        row.skip(f"note type {name!r} has no counterpart in a deck (imported: Basic and its "
                 "variants, Cloze, and the E資格 note types)")
        return None
    reader, width = kind
    extra = [i + 1 for i, f in enumerate(row.note.fields) if i >= width and f.strip()]
    if extra:
        row.skip(f"field {extra[0]} of this {name!r} note holds text, but the note type "
                 f"has {width} fields: it is not Anki's own {name!r}")
        return None
    return _READERS[reader](row)


def _read_unnamed(row: _Row) -> TsvRow | None:
    """A row of a file that does not name note types: front, back and empty padding."""
    fields = [f.strip() for f in row.note.fields]
    if len(fields) >= 8 and fields[1] in QUESTION_TYPES and _ITEM_ID.match(fields[7]) \
            and not any(fields[8:]):
        return _app_question(row)
    if len(fields) >= 5 and _ITEM_ID.match(fields[4]) and not any(fields[5:]):
        return _app_card(row)
    if len(fields) == 1 and not _CLOZE.search(fields[0]):
        row.problems.append(columns_message(row.fmt, len(fields) + len(row.fmt.columns)))
        return None
    extra = [i + 1 for i, f in enumerate(fields) if i >= 2 and f]
    if extra:
        row.skip(f"field {extra[0]} holds text, and the file does not name the note type "
                 f"of its rows, so only front and back can be read; {_HOW_TO_EXPORT}")
        return None
    return _front_back(row, None)


def _basic(row: _Row) -> TsvRow | None:
    return _front_back(row, False)


def _cloze(row: _Row) -> TsvRow | None:
    return _front_back(row, True)


def _front_back(row: _Row, is_cloze: bool | None, **formula: str | None) -> TsvRow | None:
    """A card from the first two fields; ``is_cloze`` None: a cloze when it has gaps."""
    if is_cloze is None:
        is_cloze = _CLOZE.search(row.field(0)) is not None
    before = len(row.problems)
    front = row.text(0, "front")
    back = row.text(1, "back")
    if len(row.problems) > before or front is None or back is None:
        return None
    for index, (name, text) in enumerate((("front", front), ("back", back))):
        if not text and _MEDIA.search(row.field(index)):
            row.skip(f"its {name} is only an image or a sound, which a deck cannot show")
            return None
    if is_cloze:
        for message in cloze_gaps.problems(front):
            row.problems.append(f"front (a cloze text): {message}")
    else:
        if not front:
            row.problems.append("empty front")
        if not back:
            row.problems.append("empty back")
    if len(row.problems) > before:
        return None
    return TsvRow(row.note.line, front, back, row.note.tags, is_cloze, **formula)


def _formula(row: _Row, index: int) -> dict[str, str | None]:
    """The Formula field of an ``E資格`` note: ``tex`` when it is one MathJax formula
    (checked like a deck's ``tex``), else ``unicode`` (a hand-written rendering)."""
    raw = row.field(index)
    text = strip_html(raw) if row.fmt.html else raw.strip()
    if not text:
        return {}
    tex = formula_tex(text)
    if tex is None:
        unicode = row.text(index, "formula")
        return {"unicode": unicode} if unicode else {}
    for problem in texmath.render(tex).problems:
        row.problems.append(f"formula: {problem}")
    return {"tex": tex}


def _app_card(row: _Row, is_cloze: bool | None = None) -> TsvRow | None:
    """``E資格 Basic`` (Front, Back, Formula, …) or ``E資格 Cloze`` (Text, Back Extra, …);
    ``is_cloze`` None: the one its text says."""
    formula = _formula(row, 2)
    return _front_back(row, is_cloze, **formula)


def _app_question(row: _Row) -> TsvRow | None:
    """``E資格 Question``: Prompt, Type, Formula, Options, Answer, Explanation, …"""
    label = strip_html(row.field(1)) if row.fmt.html else row.field(1).strip()
    qtype = QUESTION_TYPES.get(label)
    if qtype is None:
        row.problems.append(f"question type {label!r} is not one of "
                            + ", ".join(QUESTION_TYPES))
        return None
    if qtype in ("choice", "multi", "code") and not row.fmt.html:
        row.skip(f"a {label} question's options cannot be told apart in a file without "
                 "HTML: export again with 'Include HTML and media references'")
        return None
    before = len(row.problems)
    prompt = row.text(0, "prompt")
    formula = _formula(row, 2)
    explanation, notes = _explanation(row)
    if len(row.problems) > before or prompt is None or explanation is None:
        return None
    if not prompt:
        row.problems.append("empty prompt")
    if not explanation:
        row.problems.append("empty explanation")
    if len(row.problems) > before:
        return None
    if qtype == "numeric":
        return _numeric_card(row, prompt, explanation, notes, formula)
    if qtype == "truefalse":
        answer = strip_html(row.field(4)) if row.fmt.html else row.field(4).strip()
        if not answer.startswith((_TRUE, _FALSE)):
            row.problems.append(f"answer {answer!r} of a {label} question is neither "
                                f"{_TRUE} nor {_FALSE}")
            return None
        question = ImportedQuestion("truefalse", answer.startswith(_TRUE), explanation)
        return TsvRow(row.note.line, prompt, "", row.note.tags, question=question, **formula)
    return _choice_question(row, qtype, prompt, explanation, notes, formula)


def _explanation(row: _Row) -> tuple[str | None, str]:
    """The explanation, and the HTML of the notes the export appends to it (each option's
    ``why``, a 計算 question's named wrong answers)."""
    raw = row.field(5)
    start = _WHY_START.search(raw) if row.fmt.html else None
    if start is None:
        return row.text(5, "explanation"), ""
    bad: list[str] = []
    text = field_text(raw[: start.start()], True, "explanation", bad)
    row.problems.extend(bad)
    return text, raw[start.start():]


def _numeric_card(row: _Row, prompt: str, explanation: str, notes: str,
                  formula: dict[str, str | None]) -> TsvRow | None:
    """A 計算 question as a card: its answer is computed by the engine from arguments the
    export does not carry, so the prompt is the front and the answer the back."""
    answer = row.text(4, "answer")
    wrong = field_text(notes, True, "explanation", row.problems) if notes else ""
    if answer is None or wrong is None:
        return None
    if not answer:
        row.problems.append("empty answer")
        return None
    back = "\n".join(part for part in (f"答え: {answer}", explanation, wrong) if part)
    return TsvRow(row.note.line, prompt, back, row.note.tags, **formula)


def _choice_question(row: _Row, qtype: str, prompt: str, explanation: str, notes: str,
                     formula: dict[str, str | None]) -> TsvRow | None:
    """A 4択, 複数選択 or コード question: the numbered options, the answer by number."""
    is_code = qtype == "code"
    texts = []
    for raw in _list_items(row.field(3)):
        text = code_text(raw) if is_code else field_text(raw, True, "option", row.problems)
        if text is None:
            return None
        texts.append(text)
    if not texts:
        row.problems.append("no options: expected a numbered list (<ol><li>…</li></ol>)")
        return None
    low, high = CHOICE_COUNTS[qtype]
    if not low <= len(texts) <= high:  # refused here, before a deck holds thousands
        want = f"exactly {low}" if low == high else f"{low} to {high}"
        row.problems.append(f"a {qtype} question has {want} choices, got {len(texts)}")
        return None
    if is_code and any(texmath.latex_commands(t) for t in texts):
        row.skip("a コード question whose snippets hold backslash commands cannot become a "
                 "4択 question (the test that checks its snippets is not in the export)")
        return None
    answer = _answer(row, texts, multi=qtype == "multi")
    if answer is None:
        return None
    whys, leftover = _option_whys(notes, len(texts))
    if leftover:
        explanation = f"{explanation}\n{leftover}"
    choices = tuple(Choice(text, whys.get(i)) for i, text in enumerate(texts))
    question = ImportedQuestion("multi" if qtype == "multi" else "choice",
                                answer, explanation, choices)
    return TsvRow(row.note.line, prompt, "", row.note.tags, question=question, **formula)


def _answer(row: _Row, options: list[str], *, multi: bool) -> int | tuple[int, ...] | None:
    """The 0-based right option(s) the Answer field names (``3. text``, one per line).

    The whole answer is matched against the options first, so an option text that itself
    starts with ``2.`` is not misread; an answer whose text was edited in Anki falls back
    on its numbers.
    """
    shown = strip_html(row.field(4))
    loose = " ".join(shown.split())
    # sets of options are tried only as many as a deck allows (at most 63 sets of 6):
    # a row with more options is refused by the validator, not searched
    if not multi:
        sizes = range(1, 2)
    elif len(options) <= _MAX_MULTI:
        sizes = range(1, len(options) + 1)
    else:
        sizes = range(0)
    for size in sizes:
        for chosen in itertools.combinations(range(len(options)), size):
            expected = " ".join(f"{i + 1}. {options[i]}" for i in chosen)
            if " ".join(expected.split()) == loose:
                return chosen if multi else chosen[0]
    numbers = [int(n) - 1 for n in _ANSWER_NUMBER.findall(shown)]
    valid = numbers and len(set(numbers)) == len(numbers) and all(
        0 <= n < len(options) for n in numbers)
    if valid and (multi or len(numbers) == 1):
        return tuple(sorted(numbers)) if multi else numbers[0]
    row.problems.append(f"answer {shown!r} names none of the {len(options)} options")
    return None


def _option_whys(notes: str, count: int) -> tuple[dict[int, str], str]:
    """Each option's ``why`` from the export's list (``2（誤り）: …``), by 0-based index;
    and the text of what is not such a list, to be kept in the explanation."""
    whys: dict[int, str] = {}
    for raw in _list_items(notes):
        match = _OPTION_WHY.fullmatch(strip_html(raw))
        index = int(match[1]) - 1 if match else -1
        if match is None or not 0 <= index < count or index in whys:
            return {}, strip_html(notes)  # not the export's list: keep it all as text
        whys[index] = match[2].strip()
    leftover = _without_list_items(notes)
    return whys, strip_html(leftover)


def _list_item_spans(raw: str) -> list[tuple[int, int, int]]:
    """Where each ``<li>`` of a list starts, where its text starts, and where it ends: at
    its ``</li>``, or at the next ``<li>`` when it is not closed. Each part of the text
    is looked at once."""
    opens = list(_LIST_ITEM_OPEN.finditer(raw))
    spans = []
    for number, match in enumerate(opens):
        end = opens[number + 1].start() if number + 1 < len(opens) else len(raw)
        close = _LIST_ITEM_CLOSE.search(raw, match.end(), end)
        spans.append((match.start(), match.end(), close.start() if close else end))
    return spans


def _list_items(raw: str) -> list[str]:
    """The HTML of each ``<li>`` of a list, in order."""
    return [raw[text: end] for _, text, end in _list_item_spans(raw)]


def _without_list_items(raw: str) -> str:
    """``raw`` with every ``<li>…</li>`` taken out (what is left around the lists)."""
    parts = []
    position = 0
    for start, _, end in _list_item_spans(raw):
        parts.append(raw[position: start])
        close = _LIST_ITEM_CLOSE.match(raw, end)
        position = close.end() if close else end
    parts.append(raw[position:])
    return "".join(parts)


_READERS: dict[str, Callable[[_Row], TsvRow | None]] = {
    "basic": _basic,
    "cloze": _cloze,
    "app-basic": lambda row: _app_card(row, False),
    "app-cloze": lambda row: _app_card(row, True),
    "app-question": _app_question,
}
