"""The checks of one card: front and back, or a cloze text with its gaps."""

from __future__ import annotations

from typing import Any

from studyapp.content import cloze as cloze_gaps
from studyapp.content.models import Card, Location
from studyapp.content.validation.checker import FileChecker, describe
from studyapp.content.validation.strict import gap_problems
from studyapp.content.yamlnodes import YMap

CARD_FIELDS = ("id", "keywords", "front", "back", "cloze", "tex", "unicode", "tags")


def check_card(checker: FileChecker, obj: Any, index: int, line: int) -> Card | None:
    """Check one entry of ``cards:``."""
    ctx = checker.item_context("card", obj, index)
    if not isinstance(obj, YMap):
        checker.add(line, f"{ctx}: expected a mapping with id, keywords and front/back or "
                          f"cloze, got {describe(obj)}")
        return None
    if checker.too_large(obj, ctx):
        return None
    before = len(checker.problems)
    required = ["id", "keywords"]
    if "cloze" not in obj:
        required += ["front", "back"]
    checker.fields(obj, ctx, CARD_FIELDS, required)
    if "cloze" in obj and "front" in obj:
        checker.add(obj.key_lines["front"], f"{ctx}: a cloze card has no 'front' (the cloze "
                                            "text is the front); use 'back' for an extra note")
    card_id = checker.item_id(obj, ctx)
    keywords = checker.keyword_refs(obj, ctx)
    front = checker.text(obj, "front", ctx)
    back = checker.text(obj, "back", ctx)
    cloze = checker.text(obj, "cloze", ctx)
    if cloze is not None:
        for message in cloze_gaps.problems(cloze):
            checker.add(obj.line_of("cloze"), f"{ctx}: 'cloze': {message}")
    for key, value in (("front", front), ("back", back), ("cloze", cloze)):
        checker.prose(value, obj.line_of(key), f"{ctx}: {key!r}")
    tex = checker.tex(obj, ctx)
    unicode = checker.text(obj, "unicode", ctx)
    tags = checker.string_list(obj, "tags", ctx)
    if len(checker.problems) > before or card_id is None or keywords is None or tags is None:
        return None
    if checker.strict and cloze is not None:  # refused by --strict; the card still loads
        for start, end, message in gap_problems(cloze):
            checker.add(checker.occurrence_line(obj.line_of("cloze"), cloze, start,
                                                cloze[start:end]), f"{ctx}: {message}")
    return Card(card_id, keywords, Location(checker.file, obj.line), front=front, back=back,
                cloze=cloze, tex=tex, unicode=unicode, tags=tags)
