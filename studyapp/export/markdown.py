"""The decks as a printable Markdown study sheet (``studyapp export md OUT.md``).

For each deck: its title and description, a table of its keywords (name, English term,
how many cards and questions list it), then one section per keyword with its cards and
its questions. An item that lists several keywords is printed once, under its first
keyword, and names the others (``関連: …``). Cards show front and back; a cloze card
shows its text with the answers in bold. Questions show their options, the answer and
the explanation (with each option's ``why`` and, for numeric questions, the engine's
answer and the named wrong answers). Formulas are LaTeX: ``$$…$$`` on their own lines
from ``tex``; a hand-written ``unicode`` rendering without ``tex`` is printed as text.

The same decks give the same bytes (no dates, no randomness).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from studyapp.content import Card, Deck, Library, Question
from studyapp.content import cloze as cloze_gaps
from studyapp.export.common import (
    answer_text,
    misconception_notes,
    option_notes,
    right_options,
)
from studyapp.study.quiz import TYPE_LABELS

_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>$~|])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+(?=[.)]))")


def escape(text: str) -> str:
    """Plain deck text as Markdown that renders as the same text.

    Backslash-escapes the characters that start emphasis, code, links, HTML, math,
    strikethrough and tables, and what would make a line a heading, quote or list.
    Line breaks are kept as hard breaks.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
    """
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        line = _ENTITY.sub(r"\\&", _INLINE_SPECIAL.sub(r"\\\1", line))
        match = _LINE_START.match(line)
        if match:
            lead, mark = match.group(1), match.group(2)
            if mark.isdigit():
                line = lead + mark + "\\" + line[match.end():]
            else:
                line = lead + "\\" + line[len(lead):]
        lines.append(line)
    return "\\\n".join(lines)


def bold(text: str, before: str = "", after: str = "") -> str:
    """``text`` (already escaped) in bold, between the characters ``before`` and ``after``.

    ``**…**`` only works where CommonMark's flanking rules let it (Japanese text often
    puts punctuation such as ``（`` next to a letter); elsewhere ``<strong>`` is used.
    """
    if not text.strip():
        return text
    opens = not _is_space(text[0]) and (
        not _is_punct(text[0]) or not before or _is_space(before) or _is_punct(before)
    )
    closes = not _is_space(text[-1]) and (
        not _is_punct(text[-1]) or not after or _is_space(after) or _is_punct(after)
    )
    return f"**{text}**" if opens and closes else f"<strong>{text}</strong>"


def cloze_text(text: str) -> str:
    """A cloze text with every gap replaced by its answer in bold (the hint dropped)."""
    parts: list[str] = []
    position = 0
    for gap in cloze_gaps.parse(text):
        parts.append(escape(text[position:gap.start]))
        before = text[gap.start - 1] if gap.start > 0 else ""
        after = text[gap.end] if gap.end < len(text) else ""
        parts.append(bold(escape(gap.answer), before, after))
        position = gap.end
    parts.append(escape(text[position:]))
    return "".join(parts)


def formula_block(tex: str | None, unicode: str | None) -> list[str]:
    """The lines of a formula: ``$$ tex $$`` as display math, or the Unicode text."""
    if tex is not None:
        return ["$$", tex.strip(), "$$", ""]
    if unicode is not None:
        return [escape(unicode), ""]
    return []


def study_sheet(library: Library) -> str:
    """The Markdown study sheet of every deck of ``library``.

    Parameters
    ----------
    library : Library
        Loaded and validated decks.

    Returns
    -------
    str
        Markdown ending in one newline.
    """
    lines: list[str] = []
    for deck in library.decks:
        if lines:
            lines += ["", "---", ""]
        lines += deck_sheet(deck)
    return "\n".join(lines).rstrip("\n") + "\n"


def deck_sheet(deck: Deck) -> list[str]:
    """The lines of one deck's sheet."""
    title = escape(deck.title) + (f"（{escape(deck.title_en)}）" if deck.title_en else "")
    lines = [f"# E資格 学習シート: {title}", ""]
    if deck.description:
        lines += [escape(deck.description), ""]
    lines += [
        f"キーワード {len(deck.keywords)} 個 · カード {len(deck.cards)} 枚 · "
        f"問題 {len(deck.questions)} 問",
        "",
    ]
    placed = _place_items(deck)
    lines += ["## キーワード", "", "| # | キーワード | English | カード | 問題 |",
              "|---:|---|---|---:|---:|"]
    for n, keyword in enumerate(deck.keywords, start=1):
        lines.append(
            f"| {n} | {_cell(keyword.name)} | {_cell(keyword.en)} | "
            f"{len(deck.cards_for(keyword.id))} | {len(deck.questions_for(keyword.id))} |"
        )
    lines.append("")
    card_number = question_number = 0
    for n, keyword in enumerate(deck.keywords, start=1):
        cards, questions = placed[keyword.id]
        lines += [f"## {n}. {escape(keyword.name)}（{escape(keyword.en)}）", ""]
        if keyword.description:
            lines += [escape(keyword.description), ""]
        if not cards and not questions:
            lines += ["（このキーワードのカードと問題はほかのキーワードの節にあります）", ""]
        if cards:
            lines += ["### カード", ""]
            for card in cards:
                card_number += 1
                lines += card_lines(deck, card, card_number, keyword.id)
        if questions:
            lines += ["### 問題", ""]
            for question in questions:
                question_number += 1
                lines += question_lines(deck, question, question_number, keyword.id)
    return lines


def listing_block(listing: str) -> list[str]:
    """A listing fill-in's code as a fenced Python block (a fence longer than any run of
    backticks inside it, so the code cannot close it)."""
    longest = max((len(run) for run in re.findall(r"`+", listing)), default=0)
    fence = "`" * max(3, longest + 1)
    return [f"{fence}python", *listing.rstrip("\n").split("\n"), fence, ""]


def card_lines(deck: Deck, card: Card, number: int, under: str) -> list[str]:
    """The lines of one card: a heading line, its text, its back, then its formula (a card's
    formula is part of its answer, so it follows the answer and never the question)."""
    head = f"**カード{number}**"
    if card.cloze is not None:
        lines = [f"{head} 〔穴埋め〕{_meta(deck, card.id, card.keywords, card.tags, under)}",
                 "", cloze_text(card.cloze), ""]
        if card.back:
            lines += [f"補足: {escape(card.back)}", ""]
        return lines + formula_block(card.tex, card.unicode)
    lines = [f"{head}{_meta(deck, card.id, card.keywords, card.tags, under)}", "",
             f"Q. {escape(card.front or '')}", ""]
    lines += [f"A. {escape(card.back or '')}", ""]
    return lines + formula_block(card.tex, card.unicode)


def question_lines(deck: Deck, question: Question, number: int, under: str) -> list[str]:
    """The lines of one question: prompt, formula, options, answer, explanation."""
    label = TYPE_LABELS.get(question.type, question.type)
    lines = [
        f"**問{number}** 〔{label}〕"
        f"{_meta(deck, question.id, question.keywords, question.tags, under)}",
        "",
        escape(question.prompt),
        "",
    ]
    lines += formula_block(question.tex, question.unicode)
    if question.listing:
        lines += listing_block(question.listing)
    if question.type == "truefalse":
        lines += ["- ○ 正しい", "- × 誤り", ""]
    elif question.choices:
        code = question.type == "code"
        for k, option in enumerate(question.choices, start=1):
            lines += _option_lines(k, option.text, code)
        lines.append("")
    options = right_options(question)
    if options:
        code = question.type == "code"
        shown = " / ".join(f"{k}. {_inline_code(t) if code else escape(t)}" for k, t in options)
        lines += [f"**答え:** {shown}", ""]
    else:
        lines += [f"**答え:** {escape(answer_text(question))}", ""]
    lines += [f"**解説:** {escape(question.explanation)}", ""]
    notes = option_notes(question)
    if notes:
        lines += [
            f"- 選択肢{n.number}（{'正解' if n.correct else '誤り'}）: {escape(n.why)}"
            for n in notes
        ]
        lines.append("")
    if question.type == "numeric":
        wrong = misconception_notes(question)
        if wrong:
            lines += ["よくある誤答:", ""]
            lines += [f"- {escape(value)}: {escape(why)}" for value, why in wrong]
            lines.append("")
    return lines


def _place_items(deck: Deck) -> dict[str, tuple[list[Card], list[Question]]]:
    placed: dict[str, tuple[list[Card], list[Question]]] = {
        k.id: ([], []) for k in deck.keywords
    }
    for card in deck.cards:
        placed[card.keywords[0]][0].append(card)
    for question in deck.questions:
        placed[question.keywords[0]][1].append(question)
    return placed


def _meta(deck: Deck, item_id: str, keywords: Iterable[str], tags: Iterable[str],
          under: str) -> str:
    parts = [f"`{item_id}`"]
    others = [k for k in keywords if k != under]
    if others:
        parts.append("関連: " + "、".join(escape(_keyword_name(deck, k)) for k in others))
    tags = list(tags)
    if tags:
        parts.append("タグ: " + "、".join(escape(t) for t in tags))
    return " · " + " · ".join(parts)


def _keyword_name(deck: Deck, keyword_id: str) -> str:
    try:
        return deck.keyword(keyword_id).name
    except KeyError:
        return keyword_id


def _option_lines(number: int, text: str, code: bool) -> list[str]:
    if not code:
        return [f"{number}. {escape(text)}"]
    if "\n" not in text:
        return [f"{number}. {_inline_code(text)}"]
    fence = "`" * max(3, _longest_backtick_run(text) + 1)
    body = [f"   {line}" if line else "" for line in text.split("\n")]
    return [f"{number}.", "", f"   {fence}python", *body, f"   {fence}"]


def _inline_code(text: str) -> str:
    ticks = "`" * (_longest_backtick_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _longest_backtick_run(text: str) -> int:
    return max((len(run) for run in re.findall(r"`+", text)), default=0)


def _cell(text: str) -> str:
    return escape(text).replace("\\\n", " ")


def _is_space(ch: str) -> bool:
    return ch.isspace()


def _is_punct(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "PS"
