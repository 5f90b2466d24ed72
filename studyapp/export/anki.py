"""The decks as an Anki package (``.apkg``), built with genanki.

One Anki deck per deck of the library, named ``E資格::<title>`` (``E資格::正則化``); one
note per card and per question:

=================  ==========================================================  =========
model              fields                                                      from
=================  ==========================================================  =========
``E資格 Basic``    Front, Back, Formula, Keywords, ID                          a front/back card
``E資格 Cloze``    Text, Back Extra, Formula, Keywords, ID                     a cloze card
``E資格 Question`` Type, Prompt, Formula, Options, Answer, Explanation,        a question
                   Keywords, ID
=================  ==========================================================  =========

* Fields are HTML: the deck's plain text is escaped and its line breaks become ``<br>``.
  A formula's ``tex`` is written for Anki's MathJax as ``\\( … \\)``; a cloze text keeps its
  ``{{c1::…}}`` gaps, which is Anki's own cloze syntax (Anki makes one card per ``cN``).
* Tags: ``E資格::<title>::<keyword id>`` for every keyword of the item, and
  ``E資格::<title>::タグ::<tag>`` for its free tags (spaces become ``_``: Anki tags
  cannot hold spaces).
* Note guids are ``genanki.guid_for("studyapp", deck id, item id)``, deck and model ids
  are fixed integers derived from their names: importing a later export into Anki updates
  the notes it already has instead of adding copies, and keeps their review history.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import genanki

from studyapp.content import Card, Deck, Library, Question
from studyapp.export.common import (
    answer_text,
    misconception_notes,
    option_notes,
    right_options,
    write_atomic,
)
from studyapp.study.quiz import TYPE_LABELS

#: The root of every deck name and tag.
ROOT = "E資格"
#: Bumped when a model's fields or templates change, so Anki sees a new note type.
MODEL_VERSION = 1
#: The first part of every note guid.
GUID_NAMESPACE = "studyapp"

BASIC_MODEL_NAME = f"{ROOT} Basic"
CLOZE_MODEL_NAME = f"{ROOT} Cloze"
QUESTION_MODEL_NAME = f"{ROOT} Question"

CSS = """\
.card {
  font-family: "Hiragino Sans", "Noto Sans CJK JP", "Yu Gothic", sans-serif;
  font-size: 20px; line-height: 1.6; text-align: left;
  color: #1b1b1b; background-color: #ffffff;
}
.nightMode.card, .night_mode .card { color: #e8e8e8; background-color: #1e1e1e; }
.type, .keywords, .item-id { font-size: 0.7em; color: #888888; }
.formula { margin: 0.8em 0; text-align: center; }
.answer { font-weight: bold; margin-bottom: 0.6em; }
.why { font-size: 0.9em; }
.cloze { font-weight: bold; color: #1565c0; }
.nightMode .cloze, .night_mode .cloze { color: #90caf9; }
code, pre { font-family: "Menlo", "Consolas", monospace; font-size: 0.9em; }
"""

_FOOTER = '<div class="keywords">{{Keywords}}</div>'
_FORMULA = '{{#Formula}}<div class="formula">{{Formula}}</div>{{/Formula}}'


def stable_id(key: str) -> int:
    """A fixed Anki id in ``[2**30, 2**31)`` derived from ``key`` (never random).

    Parameters
    ----------
    key : str
        A name that identifies the deck or model for good.

    Returns
    -------
    int
    """
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(deck_id: str, item_id: str) -> str:
    """The guid of the note of an item: ``genanki.guid_for("studyapp", deck_id, item_id)``."""
    return genanki.guid_for(GUID_NAMESPACE, deck_id, item_id)


def deck_name(deck: Deck) -> str:
    """``E資格::<title>``, the Anki deck of a deck."""
    return f"{ROOT}::{deck.title.strip()}"


def tag_prefix(deck: Deck) -> str:
    """``E資格::<title>`` with spaces as ``_``: the start of every tag of the deck."""
    return f"{ROOT}::{_tag_part(deck.title)}"


def _model_id(name: str) -> int:
    return stable_id(f"studyapp:model:{name}:v{MODEL_VERSION}")


BASIC_MODEL = genanki.Model(
    _model_id(BASIC_MODEL_NAME),
    BASIC_MODEL_NAME,
    fields=[{"name": n} for n in ("Front", "Back", "Formula", "Keywords", "ID")],
    templates=[{
        "name": "カード",
        # A card's formula is part of its answer: on the answer side only.
        "qfmt": '<div class="front">{{Front}}</div>',
        "afmt": '{{FrontSide}}<hr id="answer"><div class="back">{{Back}}</div>'
                + _FORMULA + _FOOTER,
    }],
    css=CSS,
)

CLOZE_MODEL = genanki.Model(
    _model_id(CLOZE_MODEL_NAME),
    CLOZE_MODEL_NAME,
    fields=[{"name": n} for n in ("Text", "Back Extra", "Formula", "Keywords", "ID")],
    templates=[{
        "name": "穴埋め",
        "qfmt": "{{cloze:Text}}",
        "afmt": '{{cloze:Text}}<hr id="answer">'
                '{{#Back Extra}}<div class="back">{{Back Extra}}</div>{{/Back Extra}}'
                + _FORMULA + _FOOTER,
    }],
    css=CSS,
    model_type=genanki.Model.CLOZE,
)

QUESTION_MODEL = genanki.Model(
    _model_id(QUESTION_MODEL_NAME),
    QUESTION_MODEL_NAME,
    fields=[{"name": n} for n in (
        "Prompt", "Type", "Formula", "Options", "Answer", "Explanation", "Keywords", "ID",
    )],
    templates=[{
        "name": "問題",
        "qfmt": '<div class="type">{{Type}}</div><div class="prompt">{{Prompt}}</div>'
                + _FORMULA + '{{#Options}}<div class="options">{{Options}}</div>{{/Options}}',
        "afmt": '{{FrontSide}}<hr id="answer"><div class="answer">正解: {{Answer}}</div>'
                '<div class="explanation">{{Explanation}}</div>' + _FOOTER,
    }],
    css=CSS,
)

MODELS = (BASIC_MODEL, CLOZE_MODEL, QUESTION_MODEL)


@dataclass(frozen=True, slots=True)
class ExportSummary:
    """What an export wrote: note counts per model name, and the Anki deck names."""

    notes: dict[str, int]
    decks: list[str]

    @property
    def total(self) -> int:
        """All notes."""
        return sum(self.notes.values())


def build_package(library: Library) -> tuple[genanki.Package, ExportSummary]:
    """The Anki package of every deck of ``library``.

    Parameters
    ----------
    library : Library
        Loaded and validated decks (numeric answers are computed here if not yet).

    Returns
    -------
    (genanki.Package, ExportSummary)
    """
    counts: Counter[str] = Counter()
    anki_decks = []
    for deck in library.decks:
        anki_deck = genanki.Deck(
            stable_id(f"studyapp:deck:{deck.id}"), deck_name(deck), description=_html(
                deck.description or ""
            ),
        )
        for note in deck_notes(deck):
            anki_deck.add_note(note)
            counts[note.model.name] += 1
        anki_decks.append(anki_deck)
    summary = ExportSummary({m.name: counts[m.name] for m in MODELS},
                            [d.name for d in anki_decks])
    return genanki.Package(anki_decks), summary


def write_apkg(library: Library, out: Path, *, timestamp: float | None = None) -> ExportSummary:
    """Write the package of ``library`` to ``out`` (through a temporary file).

    Parameters
    ----------
    library : Library
    out : Path
        The ``.apkg`` to create or replace.
    timestamp : float, optional
        Modification time of the notes (seconds since the epoch; default now). Anki
        updates a note it already has when the imported one is newer.

    Returns
    -------
    ExportSummary

    Raises
    ------
    studyapp.errors.UserError
        When ``out`` cannot be written.
    """
    package, summary = build_package(library)
    write_atomic(out, lambda path: package.write_to_file(str(path), timestamp=timestamp),
                 "export anki")
    return summary


def deck_notes(deck: Deck) -> Iterable[genanki.Note]:
    """One note per card (Basic or Cloze) and per question (Question), in deck order."""
    for card in deck.cards:
        yield card_note(deck, card)
    for question in deck.questions:
        yield question_note(deck, question)


def card_note(deck: Deck, card: Card) -> genanki.Note:
    """The Basic or Cloze note of a card."""
    common = [_formula(card.tex, card.unicode), _keywords(deck, card.keywords),
              _html(f"{deck.id}/{card.id}")]
    if card.cloze is not None:
        model = CLOZE_MODEL
        fields = [_html(card.cloze), _html(card.back or ""), *common]
    else:
        model = BASIC_MODEL
        fields = [_html(card.front or ""), _html(card.back or ""), *common]
    return genanki.Note(model=model, fields=fields, tags=item_tags(deck, card.keywords, card.tags),
                        guid=note_guid(deck.id, card.id))


def question_note(deck: Deck, question: Question) -> genanki.Note:
    """The Question note of a question: options numbered, the answer, the explanation."""
    fields = [
        _html(question.prompt) + (_listing(question.listing) if question.listing else ""),
        _html(TYPE_LABELS.get(question.type, question.type)),
        _formula(question.tex, question.unicode),
        _options(question),
        _answer(question),
        _explanation(question),
        _keywords(deck, question.keywords),
        _html(f"{deck.id}/{question.id}"),
    ]
    return genanki.Note(model=QUESTION_MODEL, fields=fields,
                        tags=item_tags(deck, question.keywords, question.tags),
                        guid=note_guid(deck.id, question.id))


def item_tags(deck: Deck, keywords: Iterable[str], tags: Iterable[str] = ()) -> list[str]:
    """``E資格::<title>::<keyword id>`` per keyword, ``E資格::<title>::タグ::<tag>`` per tag."""
    base = tag_prefix(deck)
    out = [f"{base}::{_tag_part(k)}" for k in keywords]
    out += [f"{base}::タグ::{_tag_part(t)}" for t in tags]
    return list(dict.fromkeys(out))


def _tag_part(text: str) -> str:
    return re.sub(r"\s+", "_", text.strip())


def _html(text: str) -> str:
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def _formula(tex: str | None, unicode: str | None) -> str:
    if tex is not None:
        return rf"\({html.escape(tex, quote=False)}\)"
    return _html(unicode or "")


def _keywords(deck: Deck, keyword_ids: Iterable[str]) -> str:
    names = []
    for keyword_id in keyword_ids:
        try:
            keyword = deck.keyword(keyword_id)
        except KeyError:
            names.append(keyword_id)
            continue
        same = keyword.en.casefold() == keyword.name.casefold()
        names.append(keyword.name if same else f"{keyword.name}（{keyword.en}）")
    return _html(" · ".join(names))


def _listing(listing: str) -> str:
    """A listing fill-in's code under the prompt, as a block (its blank 【ア】 kept)."""
    return f"<pre><code>{html.escape(listing.rstrip(), quote=False)}</code></pre>"


def _code(text: str) -> str:
    code = html.escape(text, quote=False)
    return f"<pre><code>{code}</code></pre>" if "\n" in text else f"<code>{code}</code>"


def _options(question: Question) -> str:
    if question.type == "truefalse":
        return "<ol><li>○ 正しい</li><li>× 誤り</li></ol>"
    if not question.choices:
        return ""
    render = _code if question.type == "code" else _html
    items = "".join(f"<li>{render(option.text)}</li>" for option in question.choices)
    return f"<ol>{items}</ol>"


def _answer(question: Question) -> str:
    options = right_options(question)
    if not options:
        return _html(answer_text(question))
    render = _code if question.type == "code" else _html
    return "<br>".join(f"{number}. {render(text)}" for number, text in options)


def _explanation(question: Question) -> str:
    parts = [_html(question.explanation)]
    notes = option_notes(question)
    if notes:
        items = "".join(
            f"<li>{n.number}（{'正解' if n.correct else '誤り'}）: {_html(n.why)}</li>"
            for n in notes
        )
        parts.append(f'<ul class="why">{items}</ul>')
    if question.type == "numeric":
        wrong = misconception_notes(question)
        if wrong:
            items = "".join(f"<li>{_html(value)}: {_html(why)}</li>" for value, why in wrong)
            parts.append(f'<div class="why">よくある誤答</div><ul class="why">{items}</ul>')
    return "".join(parts)
