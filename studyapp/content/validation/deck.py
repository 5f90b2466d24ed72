"""The checks of ``deck.yaml``: the deck's id, titles, keywords and practice skills."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from studyapp.content.compute import did_you_mean
from studyapp.content.generators import GENERATORS
from studyapp.content.models import Keyword, Term
from studyapp.content.validation.checker import FileChecker, describe, entry_line
from studyapp.content.yamlnodes import YMap

DECK_FIELDS = ("id", "title", "title_en", "description", "keywords", "skills", "terms")
KEYWORD_FIELDS = ("id", "name", "en", "description")
TERM_FIELDS = ("term", "variants")


def check_deck(checker: FileChecker, data: Any) -> tuple[dict[str, Any] | None, list[str]]:
    """Check ``deck.yaml``.

    Returns
    -------
    (header, keyword_ids)
        ``header`` holds the deck's fields with :class:`Keyword` models, the
        ``skills`` (generator -> keyword ids), the ``terms`` (:class:`Term`) and the
        ``line`` of its id, or is None when deck.yaml has a problem;
        ``keyword_ids`` are the well-formed keyword ids found either way (so the item
        files can still be checked).
    """
    if not isinstance(data, YMap):
        checker.add(getattr(data, "line", None), "deck.yaml must be a mapping with id, title "
                                                 f"and keywords, got {describe(data)}")
        return None, []
    before = len(checker.problems)
    ctx = "deck"
    checker.fields(data, ctx, DECK_FIELDS, ("id", "title", "keywords"))
    deck_id = checker.item_id(data, ctx)
    title = checker.text(data, "title", ctx)
    title_en = checker.text(data, "title_en", ctx)
    description = checker.text(data, "description", ctx)
    keywords, keyword_ids = _keyword_defs(checker, data)
    # with the keywords broken, which of them a skill may name is unknown: not checked
    skills = _skills(checker, data, keyword_ids if keywords is not None else None)
    terms = _terms(checker, data)
    if (len(checker.problems) > before or deck_id is None or title is None or keywords is None
            or skills is None or terms is None):
        return None, keyword_ids
    header = {"id": deck_id, "title": title, "title_en": title_en,
              "description": description, "keywords": keywords, "skills": skills,
              "terms": terms, "line": data.line_of("id")}
    return header, keyword_ids


def _keyword_defs(checker: FileChecker, data: YMap) -> tuple[list[Keyword] | None, list[str]]:
    if "keywords" not in data:
        return None, []
    value = data["keywords"]
    if not isinstance(value, list) or not value:
        checker.add(data.line_of("keywords"), "deck: 'keywords' must be a non-empty list of "
                                              f"{{id, name, en}}, got {describe(value)}")
        return None, []
    out: list[Keyword] = []
    seen: dict[str, int] = {}
    for i, entry in enumerate(value):
        line = entry_line(value, i, data.line_of("keywords"))
        ctx = f"deck: keywords[{i}]"
        if not isinstance(entry, YMap):
            checker.add(line, f"{ctx} must be a mapping {{id, name, en}}, got {describe(entry)}")
            continue
        before = len(checker.problems)
        kw_id = checker.item_id(entry, ctx)
        if kw_id is not None:
            ctx = f"keyword {kw_id!r}"
            if kw_id in seen:
                checker.add(entry.line_of("id"), f"{ctx}: duplicate keyword id "
                                                 f"(first at line {seen[kw_id]})")
            else:
                seen[kw_id] = entry.line_of("id")
        checker.fields(entry, ctx, KEYWORD_FIELDS, ("id", "name", "en"))
        name = checker.text(entry, "name", ctx)
        en = checker.text(entry, "en", ctx)
        description = checker.text(entry, "description", ctx)
        if len(checker.problems) == before and kw_id and name and en:
            out.append(Keyword(kw_id, name, en, description, line))
    return (out if len(out) == len(value) else None), list(seen)


def _skills(
    checker: FileChecker, data: YMap, keyword_ids: Collection[str] | None
) -> dict[str, tuple[str, ...]] | None:
    """``skills:``: generator -> the deck's keyword ids it trains (empty when absent);
    None after reporting a problem. ``keyword_ids`` None: keywords are not checked."""
    if "skills" not in data:
        return {}
    value = data["skills"]
    if not isinstance(value, YMap):
        checker.add(data.line_of("skills"), "deck: 'skills' must be a mapping of generator "
                                            "names to lists of keyword ids "
                                            f"({GENERATORS[0]}: [keyword, ...]), "
                                            f"got {describe(value)}")
        return None
    out: dict[str, tuple[str, ...]] = {}
    ok = True
    for generator, listed in value.items():
        line = value.key_lines.get(generator, value.line)
        ctx = f"deck: skills: {generator!r}"
        if generator not in GENERATORS:
            checker.add(line, f"deck: skills: unknown generator {generator!r}"
                              f"{did_you_mean(generator, GENERATORS)}; known: "
                              f"{', '.join(GENERATORS)} (studyapp generate --list)")
            ok = False
        if not isinstance(listed, list) or not listed:
            checker.add(value.value_lines.get(generator, line),
                        f"{ctx} must be a non-empty list of keyword ids, got {describe(listed)}")
            ok = False
            continue
        trained = checker.keyword_list(listed, line, ctx, ctx, keyword_ids,
                                       "a skill trains keywords listed under 'keywords:'")
        if trained is None:
            ok = False
        else:
            out[generator] = trained
    return out if ok else None


def _terms(checker: FileChecker, data: YMap) -> tuple[Term, ...] | None:
    """``terms:``, the deck's glossary: a list of ``{term, variants}`` (empty when absent);
    None after reporting a problem."""
    if "terms" not in data:
        return ()
    value = data["terms"]
    if not isinstance(value, list):
        checker.add(data.line_of("terms"), "deck: 'terms' must be a list of {term, variants} "
                                           f"({{term: 重み減衰, variants: [荷重減衰]}}), "
                                           f"got {describe(value)}")
        return None
    out: list[Term] = []
    ok = True
    for i, entry in enumerate(value):
        line = entry_line(value, i, data.line_of("terms"))
        ctx = f"deck: terms[{i}]"
        if not isinstance(entry, YMap):
            checker.add(line, f"{ctx} must be a mapping {{term, variants}}, "
                              f"got {describe(entry)}")
            ok = False
            continue
        before = len(checker.problems)
        checker.fields(entry, ctx, TERM_FIELDS, TERM_FIELDS)
        term = checker.text(entry, "term", ctx)
        variants = _variants(checker, entry, ctx)
        if len(checker.problems) > before or term is None or variants is None:
            ok = False
            continue
        out.append(Term(term, variants))
    return tuple(out) if ok else None


def _variants(checker: FileChecker, entry: YMap, ctx: str) -> tuple[str, ...] | None:
    value = checker.nonempty_list(entry, "variants", ctx,
                                  "text (the forms the deck does not write)")
    if value is None:
        return None
    line = entry.line_of("variants")
    variants = checker.string_list(entry, "variants", ctx)
    if variants is None:
        return None
    term = entry.get("term")
    for i, variant in enumerate(variants):
        if variant == term:
            checker.add(entry_line(value, i, line), f"{ctx}: variants[{i}] is the term itself")
            return None
        if variants.index(variant) != i:
            checker.add(entry_line(value, i, line), f"{ctx}: variant {variant!r} is listed "
                                                    "twice")
            return None
    return variants
