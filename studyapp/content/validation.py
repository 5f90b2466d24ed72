"""Schema checks: YAML values (with lines) → deck models, collecting every problem.

The schema is documented in ``docs/content-schema.md``. Each check appends a
:class:`~studyapp.content.models.Problem` naming the item (``card 'l1-def'``), the field
and what was expected, at the line the YAML parser gave; an item with any problem is
left out of the deck, everything else is still checked.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from studyapp.content import cloze as cloze_gaps
from studyapp.content import texmath
from studyapp.content.compute import (
    ComputeError,
    checked_arguments,
    did_you_mean,
    evaluate,
    evaluate_raw,
    is_number,
)
from studyapp.content.models import (
    QUESTION_TYPES,
    Card,
    Check,
    Compute,
    Keyword,
    Misconception,
    Number,
    Option,
    Problem,
    Question,
    Source,
    numbers_match,
)
from studyapp.content.yamlnodes import YMap, YSeq, expansion

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")

DECK_FIELDS = ("id", "title", "title_en", "description", "keywords")
KEYWORD_FIELDS = ("id", "name", "en", "description")
FILE_FIELDS = ("cards", "questions")
CARD_FIELDS = ("id", "keywords", "front", "back", "cloze", "tex", "unicode", "tags")
QUESTION_COMMON = ("id", "type", "keywords", "prompt", "explanation", "tex", "unicode", "tags")
QUESTION_FIELDS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "choice": ("choices", "answer"),
    "multi": ("choices", "answer"),
    "truefalse": ("answer",),
    "numeric": ("compute", "answer", "tolerance", "decimals", "misconceptions"),
    "code": ("choices", "answer", "check"),
}
QUESTION_FIELDS = QUESTION_COMMON + tuple(
    dict.fromkeys(f for fields in QUESTION_FIELDS_BY_TYPE.values() for f in fields)
)
OPTION_FIELDS = ("text", "why")
COMPUTE_FIELDS = ("fn", "args")
CHECK_FIELDS = ("given", "expect")
MISCONCEPTION_FIELDS = ("value", "compute", "why")
#: How many choices each type takes: (fewest, most).
CHOICE_COUNTS = {"choice": (4, 4), "code": (4, 4), "multi": (3, 6)}
DEFAULT_DECIMALS = 2
MAX_DECIMALS = 6
#: Values (numbers, texts, lists, mappings; not keys) a card or question that holds an
#: alias may stand for, the alias counted as all it repeats each time it is used (the
#: bundled deck's largest item, with no alias: 79).
MAX_ITEM_VALUES = 20_000
#: Characters of the texts and keys such an item may stand for, counted the same way
#: (the bundled deck's largest: 1,727).
MAX_ITEM_TEXT = 1_000_000


def _question_schema(qtype: str) -> tuple[tuple[str, ...], tuple[str, ...], dict[str, str]]:
    """Allowed fields, required fields, and notes on the fields of other types."""
    allowed = QUESTION_COMMON + QUESTION_FIELDS_BY_TYPE[qtype]
    required = ("id", "type", "keywords", "prompt", "explanation") + {
        "choice": ("choices", "answer"), "multi": ("choices", "answer"),
        "truefalse": ("answer",), "numeric": ("compute",),
        "code": ("choices", "answer", "check"),
    }[qtype]
    elsewhere = {
        f: f"is not used by {qtype} questions (only by "
           f"{', '.join(t for t, fs in QUESTION_FIELDS_BY_TYPE.items() if f in fs)})"
        for f in QUESTION_FIELDS if f not in allowed
    }
    return allowed, required, elsewhere


_QUESTION_SCHEMA = {qtype: _question_schema(qtype) for qtype in QUESTION_FIELDS_BY_TYPE}


def default_tolerance(decimals: int) -> float:
    """Half a unit of the last decimal shown, at least 1e-6."""
    return max(0.5 * 10.0 ** (-decimals), 1e-6)


def describe(value: Any) -> str:
    """A short description of a YAML value for "expected X, got Y" messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true/false)"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    if isinstance(value, str):
        shown = value if len(value) <= 30 else value[:27] + "..."
        return f"the text {shown!r}"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class FileChecker:
    """Checks the values of one YAML file, appending problems with this file's path.

    Parameters
    ----------
    file : Path
    problems : list of Problem
        Shared list the problems are appended to.
    keyword_ids : collection of str, optional
        The deck's keyword ids (for item files); None when deck.yaml could not be read,
        and then keyword references are not checked.
    evaluate : bool, default True
        Evaluate every ``compute`` with the engine (and compare literal answers and
        misconceptions with it). False checks the function names and arguments only and
        leaves the values to be computed when first needed: the app's start-up path,
        which must not import numpy. ``studyapp validate`` and the tests evaluate.
    """

    def __init__(
        self, file: Path, problems: list[Problem], keyword_ids: Iterable[str] | None = (),
        *, evaluate: bool = True,
    ) -> None:
        self.file = file
        self.problems = problems
        self.keyword_ids = frozenset(keyword_ids) if keyword_ids is not None else None
        self.evaluate = evaluate
        self.measured: dict[int, tuple[int, int, int]] = {}  # memo of expansion()

    # -- basics --------------------------------------------------------------------
    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.file, line, message))

    def fields(
        self,
        obj: YMap,
        ctx: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        *,
        elsewhere: Mapping[str, str] | None = None,
    ) -> None:
        """Report unknown fields (with "did you mean") and missing required ones.

        ``elsewhere`` maps a field that exists in the schema but not here to a note on
        where it belongs (e.g. ``compute`` on a choice question).
        """
        allowed = tuple(allowed)
        suggested: set[str] = set()
        for key in obj:
            if key in allowed:
                continue
            line = obj.key_lines.get(key, obj.line)
            if elsewhere and key in elsewhere:
                self.add(line, f"{ctx}: field {key!r} {elsewhere[key]}")
                continue
            matches = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
            hint = f" (did you mean {matches[0]!r}?)" if matches else ""
            suggested.update(matches)
            if not matches and elsewhere:
                other = difflib.get_close_matches(key, list(elsewhere), n=1, cutoff=0.6)
                if other:
                    hint = f" (did you mean {other[0]!r}? that field {elsewhere[other[0]]})"
            if obj.flow and obj[key] is None:
                hint += (" (a ',' inside {…} starts a new field: put a value that holds a "
                         "comma in quotes)")
            self.add(line, f"{ctx}: unknown field {key!r}{hint}; "
                           f"expected fields: {', '.join(allowed)}")
        for key in required:
            if key not in obj and key not in suggested:
                self.add(obj.line, f"{ctx}: missing required field {key!r}")

    def text(
        self, obj: YMap, key: str, ctx: str, *, latex_allowed: bool = False
    ) -> str | None:
        """A non-empty text field; a LaTeX command in it is a problem unless allowed."""
        if key not in obj:
            return None
        value = obj[key]
        line = obj.line_of(key)
        if not isinstance(value, str):
            hint = " (put it in quotes)" if is_number(value) or isinstance(value, bool) else ""
            self.add(line, f"{ctx}: {key!r} must be text, got {describe(value)}{hint}")
            return None
        if not value.strip():
            self.add(line, f"{ctx}: {key!r} is empty")
            return None
        if not latex_allowed:
            self.no_latex(value, line, f"{ctx}: {key!r}")
        return value

    def no_latex(self, value: str, line: int | None, where: str) -> bool:
        """Report LaTeX commands in a plain text field; True when there are none."""
        commands = texmath.latex_commands(value)
        if not commands:
            return True
        distinct = list(dict.fromkeys(commands))
        replacements = []
        for command in distinct:
            rendered = texmath.render(command)
            if not rendered.problems and rendered.text:
                replacements.append(f"{rendered.text} for {command}")
        advice = f" (write {', '.join(replacements)})" if replacements else ""
        noun = "command" if len(distinct) == 1 else "commands"
        self.add(line, f"{where} contains the LaTeX {noun} {', '.join(distinct)}: text fields "
                       f"are plain text with Unicode math{advice}; LaTeX goes under 'tex:' only")
        return False

    def tex(self, obj: YMap, ctx: str) -> str | None:
        """The ``tex`` field: text the converter renders with no problem."""
        value = self.text(obj, "tex", ctx, latex_allowed=True)
        if value is None:
            return None
        rendering = texmath.render(value)
        for problem in rendering.problems:
            self.add(obj.line_of("tex"), f"{ctx}: 'tex': {problem}")
        return value

    def string_list(self, obj: YMap, key: str, ctx: str) -> tuple[str, ...] | None:
        """A list of non-empty texts (``tags``)."""
        if key not in obj:
            return ()
        value = obj[key]
        if not isinstance(value, list):
            self.add(obj.line_of(key), f"{ctx}: {key!r} must be a list of text, "
                                       f"got {describe(value)}")
            return None
        out: list[str] = []
        ok = True
        for i, item in enumerate(value):
            line = _item_line(value, i, obj.line_of(key))
            if not isinstance(item, str) or not item.strip():
                self.add(line, f"{ctx}: {key}[{i}] must be text, got {describe(item)}")
                ok = False
            elif self.no_latex(item, line, f"{ctx}: {key}[{i}]"):
                out.append(item)
            else:
                ok = False
        return tuple(out) if ok else None

    def item_id(self, obj: YMap, ctx: str) -> str | None:
        """The ``id`` field: text of the form ``[a-z0-9][a-z0-9-]*``."""
        if "id" not in obj:
            return None
        value = obj["id"]
        line = obj.line_of("id")
        if not isinstance(value, str):
            self.add(line, f"{ctx}: 'id' must be text, got {describe(value)}")
            return None
        if not ID_PATTERN.match(value):
            self.add(line, f"{ctx}: id {value!r} must be lowercase letters, digits and "
                           "hyphens, starting with a letter or digit")
            return None
        return value

    def keyword_refs(self, obj: YMap, ctx: str) -> tuple[str, ...] | None:
        """The ``keywords`` of an item: a non-empty list of the deck's keyword ids."""
        if "keywords" not in obj:
            return None
        value = obj["keywords"]
        line = obj.line_of("keywords")
        if not isinstance(value, list) or not value:
            self.add(line, f"{ctx}: 'keywords' must be a non-empty list of keyword ids, "
                           f"got {describe(value)}")
            return None
        out: list[str] = []
        ok = True
        for i, kw in enumerate(value):
            kw_line = _item_line(value, i, line)
            if not isinstance(kw, str):
                self.add(kw_line, f"{ctx}: keywords[{i}] must be a keyword id, "
                                  f"got {describe(kw)}")
                ok = False
            elif self.keyword_ids is not None and kw not in self.keyword_ids:
                self.add(kw_line, f"{ctx}: unknown keyword {kw!r}"
                                  f"{did_you_mean(kw, sorted(self.keyword_ids))}; "
                                  "keyword ids are listed in deck.yaml")
                ok = False
            elif kw in out:
                self.add(kw_line, f"{ctx}: keyword {kw!r} is listed twice")
                ok = False
            else:
                out.append(kw)
        return tuple(out) if ok else None

    def whole_number(
        self, obj: YMap, key: str, ctx: str, low: int, high: int | None = None
    ) -> int | None:
        value = obj[key]
        line = obj.line_of(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(line, f"{ctx}: {key!r} must be a whole number, got {describe(value)}")
            return None
        if value < low or (high is not None and value > high):
            bound = f"from {low} to {high}" if high is not None else f">= {low}"
            self.add(line, f"{ctx}: {key!r} must be {bound}, got {value}")
            return None
        return value

    def number_value(self, value: Any, line: int, where: str) -> Number | None:
        """A literal number or non-empty list of numbers (a numeric answer or value).

        A list of one number is that number (as the engine's values are).
        """
        if is_number(value):
            return float(value)
        if isinstance(value, list) and value and all(is_number(v) for v in value):
            return float(value[0]) if len(value) == 1 else tuple(float(v) for v in value)
        self.add(line, f"{where} must be a number or a list of numbers, got {describe(value)}")
        return None

    def compute(
        self, value: Any, line: int, ctx: str, *, raw: bool = False
    ) -> tuple[Compute, Any] | None:
        """A ``{fn, args}`` mapping evaluated through the compute table.

        Returns the model and the engine's value (a float or tuple of floats; with
        ``raw`` a float or an array; None when this checker does not evaluate), or None
        after reporting the problem.
        """
        if not isinstance(value, YMap):
            self.add(line, f"{ctx} must be a mapping {{fn: NAME, args: {{...}}}}, "
                           f"got {describe(value)}")
            return None
        before = len(self.problems)
        self.fields(value, ctx, COMPUTE_FIELDS, COMPUTE_FIELDS)
        fn = value.get("fn")
        args = value.get("args")
        if "fn" in value and not isinstance(fn, str):
            self.add(value.line_of("fn"), f"{ctx}: 'fn' must be a function name, "
                                          f"got {describe(fn)}")
        if "args" in value and not isinstance(args, YMap):
            self.add(value.line_of("args"), f"{ctx}: 'args' must be a mapping of argument "
                                            f"names to values, got {describe(args)}")
        if len(self.problems) > before or not isinstance(fn, str) or not isinstance(args, YMap):
            return None
        try:
            if not self.evaluate:
                checked_arguments(fn, args)
                result = None
            else:
                result = evaluate_raw(fn, args) if raw else evaluate(fn, args)
        except ComputeError as exc:
            message = str(exc)
            where = value.line_of("fn") if message.startswith("unknown compute") else (
                value.line_of("args"))
            self.add(where, f"{ctx}: {message}")
            return None
        return Compute(fn, dict(args)), result

    # -- deck.yaml -------------------------------------------------------------------
    def deck(self, data: Any) -> tuple[dict[str, Any] | None, list[str]]:
        """Check ``deck.yaml``.

        Returns
        -------
        (header, keyword_ids)
            ``header`` holds the deck's fields with :class:`Keyword` models, or is None
            when deck.yaml has a problem; ``keyword_ids`` are the well-formed keyword ids
            found either way (so the item files can still be checked).
        """
        if not isinstance(data, YMap):
            self.add(getattr(data, "line", None), "deck.yaml must be a mapping with id, title "
                                                  f"and keywords, got {describe(data)}")
            return None, []
        before = len(self.problems)
        ctx = "deck"
        self.fields(data, ctx, DECK_FIELDS, ("id", "title", "keywords"))
        deck_id = self.item_id(data, ctx)
        title = self.text(data, "title", ctx)
        title_en = self.text(data, "title_en", ctx)
        description = self.text(data, "description", ctx)
        keywords, keyword_ids = self.keyword_defs(data)
        if len(self.problems) > before or deck_id is None or title is None or keywords is None:
            return None, keyword_ids
        header = {"id": deck_id, "title": title, "title_en": title_en,
                  "description": description, "keywords": keywords}
        return header, keyword_ids

    def keyword_defs(self, data: YMap) -> tuple[list[Keyword] | None, list[str]]:
        if "keywords" not in data:
            return None, []
        value = data["keywords"]
        if not isinstance(value, list) or not value:
            self.add(data.line_of("keywords"), "deck: 'keywords' must be a non-empty list of "
                                               f"{{id, name, en}}, got {describe(value)}")
            return None, []
        out: list[Keyword] = []
        seen: dict[str, int] = {}
        for i, entry in enumerate(value):
            line = _item_line(value, i, data.line_of("keywords"))
            ctx = f"deck: keywords[{i}]"
            if not isinstance(entry, YMap):
                self.add(line, f"{ctx} must be a mapping {{id, name, en}}, got {describe(entry)}")
                continue
            before = len(self.problems)
            kw_id = self.item_id(entry, ctx)
            if kw_id is not None:
                ctx = f"keyword {kw_id!r}"
                if kw_id in seen:
                    self.add(entry.line_of("id"), f"{ctx}: duplicate keyword id "
                                                  f"(first at line {seen[kw_id]})")
                else:
                    seen[kw_id] = entry.line_of("id")
            self.fields(entry, ctx, KEYWORD_FIELDS, ("id", "name", "en"))
            name = self.text(entry, "name", ctx)
            en = self.text(entry, "en", ctx)
            description = self.text(entry, "description", ctx)
            if len(self.problems) == before and kw_id and name and en:
                out.append(Keyword(kw_id, name, en, description))
        return (out if len(out) == len(value) else None), list(seen)

    # -- item files ------------------------------------------------------------------
    def item_file(self, data: Any) -> tuple[YSeq | list[Any], YSeq | list[Any]]:
        """Check the top level of an item file; returns its ``cards`` and ``questions``."""
        if data is None:
            return [], []
        if not isinstance(data, YMap):
            self.add(getattr(data, "line", None), "an item file must be a mapping with 'cards:' "
                                                  f"and/or 'questions:', got {describe(data)}")
            return [], []
        self.fields(data, "file", FILE_FIELDS)
        lists: list[YSeq | list[Any]] = []
        for key in FILE_FIELDS:
            value = data.get(key)
            if key in data and not isinstance(value, list):
                self.add(data.line_of(key), f"{key!r} must be a list, got {describe(value)}")
                value = None
            lists.append(value if isinstance(value, list) else [])
        return lists[0], lists[1]

    def too_large(self, obj: YMap, ctx: str) -> bool:
        """Report an item holding aliases past :data:`MAX_ITEM_VALUES` or
        :data:`MAX_ITEM_TEXT` (a true answer leaves it unchecked, never walked).

        An item without an alias is as large as its text, which the file's limits bound;
        one with aliases is measured without expanding them (:func:`expansion`).
        """
        if not getattr(obj, "aliased", False):
            return False
        size, chars, _ = expansion(obj, self.measured)
        if size > MAX_ITEM_VALUES:
            self.add(obj.line, f"{ctx}: more than {MAX_ITEM_VALUES:,} values (numbers, texts, "
                               "lists; an alias counts all it repeats, each time it is "
                               "used); an item holds at most that")
        elif chars > MAX_ITEM_TEXT:
            self.add(obj.line, f"{ctx}: more than {MAX_ITEM_TEXT:,} characters of text (an "
                               "alias counts the text it repeats, each time it is used); an "
                               "item holds at most that")
        else:
            return False
        return True

    def item_context(self, kind: str, obj: Any, index: int) -> str:
        if isinstance(obj, YMap) and isinstance(obj.get("id"), str):
            return f"{kind} {obj['id']!r}"
        return f"{kind} #{index + 1}"

    def card(self, obj: Any, index: int, line: int) -> Card | None:
        """Check one entry of ``cards:``."""
        ctx = self.item_context("card", obj, index)
        if not isinstance(obj, YMap):
            self.add(line, f"{ctx}: expected a mapping with id, keywords and front/back or "
                           f"cloze, got {describe(obj)}")
            return None
        if self.too_large(obj, ctx):
            return None
        before = len(self.problems)
        required = ["id", "keywords"]
        if "cloze" not in obj:
            required += ["front", "back"]
        self.fields(obj, ctx, CARD_FIELDS, required)
        if "cloze" in obj and "front" in obj:
            self.add(obj.key_lines["front"], f"{ctx}: a cloze card has no 'front' (the cloze "
                                             "text is the front); use 'back' for an extra note")
        card_id = self.item_id(obj, ctx)
        keywords = self.keyword_refs(obj, ctx)
        front = self.text(obj, "front", ctx)
        back = self.text(obj, "back", ctx)
        cloze = self.text(obj, "cloze", ctx)
        if cloze is not None:
            for message in cloze_gaps.problems(cloze):
                self.add(obj.line_of("cloze"), f"{ctx}: 'cloze': {message}")
        tex = self.tex(obj, ctx)
        unicode = self.text(obj, "unicode", ctx)
        tags = self.string_list(obj, "tags", ctx)
        if len(self.problems) > before or card_id is None or keywords is None or tags is None:
            return None
        return Card(card_id, keywords, Source(self.file, obj.line), front=front, back=back,
                    cloze=cloze, tex=tex, unicode=unicode, tags=tags)

    def question(self, obj: Any, index: int, line: int) -> Question | None:
        """Check one entry of ``questions:``."""
        ctx = self.item_context("question", obj, index)
        if not isinstance(obj, YMap):
            self.add(line, f"{ctx}: expected a mapping with id, type, keywords, prompt, "
                           f"explanation, got {describe(obj)}")
            return None
        if self.too_large(obj, ctx):
            return None
        before = len(self.problems)
        qtype = obj.get("type")
        if "type" in obj and qtype not in QUESTION_TYPES:
            self.add(obj.line_of("type"), f"{ctx}: 'type' must be one of "
                                          f"{', '.join(QUESTION_TYPES)}, got {describe(qtype)}"
                                          f"{did_you_mean(str(qtype), QUESTION_TYPES)}")
        if qtype in QUESTION_FIELDS_BY_TYPE:
            allowed, required, elsewhere = _QUESTION_SCHEMA[qtype]
            self.fields(obj, ctx, allowed, required, elsewhere=elsewhere)
        else:
            self.fields(obj, ctx, QUESTION_FIELDS,
                        [] if "type" in obj else ["type"])
        qid = self.item_id(obj, ctx)
        keywords = self.keyword_refs(obj, ctx)
        prompt = self.text(obj, "prompt", ctx)
        explanation = self.text(obj, "explanation", ctx)
        tex = self.tex(obj, ctx)
        unicode = self.text(obj, "unicode", ctx)
        tags = self.string_list(obj, "tags", ctx)
        if qtype not in QUESTION_FIELDS_BY_TYPE:
            return None
        parts: dict[str, Any] = {}
        if qtype in ("choice", "multi", "code"):
            parts = self.choice_parts(obj, ctx, qtype)
        elif qtype == "truefalse":
            answer = obj.get("answer")
            if "answer" in obj and not isinstance(answer, bool):
                self.add(obj.line_of("answer"), f"{ctx}: 'answer' of a truefalse question "
                                                f"must be true or false, got {describe(answer)}")
            else:
                parts = {"answer": obj.get("answer")}
        else:
            parts = self.numeric_parts(obj, ctx)
        if (len(self.problems) > before or qid is None or keywords is None or prompt is None
                or explanation is None or tags is None):
            return None
        return Question(qid, qtype, keywords, prompt, explanation, Source(self.file, obj.line),
                        tex=tex, unicode=unicode, tags=tags, **parts)

    def choice_parts(self, obj: YMap, ctx: str, qtype: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        choices = self.options(obj, ctx, qtype)
        if choices is not None:
            out["choices"] = choices
        if qtype == "code":
            check = self.code_check(obj, ctx)
            if check is not None:
                out["check"] = check
        if "answer" not in obj:
            return out
        answer = obj["answer"]
        line = obj.line_of("answer")
        count = len(choices) if choices is not None else None
        span = f"{count} choices, indices 0–{count - 1}" if count else ""
        if qtype == "multi":
            if not isinstance(answer, list) or not answer or not all(
                isinstance(a, int) and not isinstance(a, bool) for a in answer
            ):
                self.add(line, f"{ctx}: 'answer' of a multi question must be a non-empty list "
                               f"of 0-based choice indices, got {describe(answer)}")
                return out
            if len(set(answer)) != len(answer):
                self.add(line, f"{ctx}: 'answer' lists an index twice: {answer}")
                return out
            bad = [a for a in answer if count is not None and not 0 <= a < count]
            if bad:
                self.add(line, f"{ctx}: answer {bad[0]} is out of range: {span}")
                return out
            out["answer"] = tuple(sorted(answer))
            return out
        if isinstance(answer, bool) or not isinstance(answer, int):
            self.add(line, f"{ctx}: 'answer' of a {qtype} question must be the 0-based index "
                           f"of the right choice, got {describe(answer)}")
            return out
        if count is not None and not 0 <= answer < count:
            self.add(line, f"{ctx}: answer {answer} is out of range: {span} (answers are "
                           "0-based)")
            return out
        out["answer"] = answer
        return out

    def options(self, obj: YMap, ctx: str, qtype: str) -> tuple[Option, ...] | None:
        if "choices" not in obj:
            return None
        value = obj["choices"]
        line = obj.line_of("choices")
        low, high = CHOICE_COUNTS[qtype]
        if not isinstance(value, list):
            self.add(line, f"{ctx}: 'choices' must be a list, got {describe(value)}")
            return None
        if not low <= len(value) <= high:
            want = f"exactly {low}" if low == high else f"{low} to {high}"
            self.add(line, f"{ctx}: a {qtype} question has {want} choices, "
                           f"got {len(value)}")
            return None
        out: list[Option] = []
        texts: dict[str, int] = {}
        for i, entry in enumerate(value):
            item_line = _item_line(value, i, line)
            where = f"{ctx}: choices[{i}]"
            option: Option | None = None
            if isinstance(entry, str) and entry.strip():
                if qtype == "code" or self.no_latex(entry, item_line, where):
                    option = Option(entry)
            elif isinstance(entry, YMap):
                before = len(self.problems)
                self.fields(entry, where, OPTION_FIELDS, ("text",))
                text = self.text(entry, "text", where, latex_allowed=qtype == "code")
                why = self.text(entry, "why", where)
                if len(self.problems) == before and text is not None:
                    option = Option(text, why)
            else:
                self.add(item_line, f"{where} must be text or {{text, why}}, "
                                    f"got {describe(entry)}")
            if option is not None:
                key = option.text.strip()
                if key in texts:
                    self.add(item_line, f"{where} repeats choices[{texts[key]}]")
                else:
                    texts[key] = i
                    out.append(option)
        return tuple(out) if len(out) == len(value) else None

    def code_check(self, obj: YMap, ctx: str) -> Check | None:
        if "check" not in obj:
            return None
        value = obj["check"]
        line = obj.line_of("check")
        where = f"{ctx}: check"
        if not isinstance(value, YMap):
            self.add(line, f"{where} must be a mapping {{given, expect}}, got {describe(value)}")
            return None
        before = len(self.problems)
        self.fields(value, where, CHECK_FIELDS, CHECK_FIELDS)
        given = value.get("given")
        if "given" in value:
            if not isinstance(given, YMap):
                self.add(value.line_of("given"), f"{where}: 'given' must be a mapping of "
                                                 f"names to values, got {describe(given)}")
            else:
                for name in given:
                    if not name.isidentifier() or name in ("np", "out"):
                        self.add(given.key_lines.get(name, given.line),
                                 f"{where}: 'given' name {name!r} must be a Python identifier "
                                 "other than np and out")
        expect = None
        if "expect" in value:
            expect = self.compute(value["expect"], value.line_of("expect"),
                                  f"{where}: expect", raw=True)
        if len(self.problems) > before or expect is None or not isinstance(given, YMap):
            return None
        return Check(dict(given), expect[0])

    def numeric_parts(self, obj: YMap, ctx: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        decimals = DEFAULT_DECIMALS
        if "decimals" in obj:
            given = self.whole_number(obj, "decimals", ctx, 0, MAX_DECIMALS)
            decimals = given if given is not None else decimals
        tolerance = default_tolerance(decimals)
        if "tolerance" in obj:
            value = obj["tolerance"]
            if not is_number(value) or not math.isfinite(value) or value <= 0:
                self.add(obj.line_of("tolerance"), f"{ctx}: 'tolerance' must be a finite "
                                                   f"number > 0, got {describe(value)}")
            else:
                tolerance = float(value)
        out["decimals"] = decimals
        out["tolerance"] = tolerance
        computed = None
        if "compute" in obj:
            result = self.compute(obj["compute"], obj.line_of("compute"), f"{ctx}: compute")
            if result is not None:
                out["compute"], computed = result
                out["computed"] = computed
        if "answer" in obj:
            literal = self.number_value(obj["answer"], obj.line_of("answer"), f"{ctx}: 'answer'")
            if literal is not None:
                out["answer"] = literal
                if computed is not None and not numbers_match(literal, computed, tolerance):
                    fn = out["compute"].fn
                    self.add(obj.line_of("answer"),
                             f"{ctx}: answer {_show(literal)} disagrees with the engine: "
                             f"{fn} gives {_show(computed)} (tolerance {tolerance:g}); "
                             "fix the literal or drop it (the engine's value is used)")
        if "misconceptions" in obj:
            misconceptions = self.misconceptions(obj, ctx, computed, tolerance)
            if misconceptions is not None:
                out["misconceptions"] = misconceptions
        return out

    def misconceptions(
        self, obj: YMap, ctx: str, answer: Number | None, tolerance: float
    ) -> tuple[Misconception, ...] | None:
        value = obj["misconceptions"]
        line = obj.line_of("misconceptions")
        if not isinstance(value, list):
            self.add(line, f"{ctx}: 'misconceptions' must be a list of {{value or compute, why}}, "
                           f"got {describe(value)}")
            return None
        out: list[Misconception] = []
        for i, entry in enumerate(value):
            where = f"{ctx}: misconceptions[{i}]"
            item_line = _item_line(value, i, line)
            if not isinstance(entry, YMap):
                self.add(item_line, f"{where} must be a mapping {{value or compute, why}}, "
                                    f"got {describe(entry)}")
                continue
            before = len(self.problems)
            self.fields(entry, where, MISCONCEPTION_FIELDS, ("why",))
            if ("value" in entry) == ("compute" in entry):
                self.add(entry.line, f"{where}: give exactly one of 'value' and 'compute'")
            why = self.text(entry, "why", where)
            wrong: Number | None = None
            compute: Compute | None = None
            if "value" in entry:
                wrong = self.number_value(entry["value"], entry.line_of("value"),
                                          f"{where}: 'value'")
            elif "compute" in entry:
                result = self.compute(entry["compute"], entry.line_of("compute"),
                                      f"{where}: compute")
                if result is not None:
                    compute, wrong = result
            if wrong is not None and answer is not None:
                if isinstance(wrong, tuple) != isinstance(answer, tuple):
                    self.add(entry.line, f"{where}: the value {_show(wrong)} can never match a "
                                         f"typed answer shaped like {_show(answer)}")
                elif numbers_match(wrong, answer, tolerance):
                    self.add(entry.line, f"{where}: the value {_show(wrong)} equals the right "
                                         f"answer {_show(answer)}")
            resolved = wrong is not None or (compute is not None and not self.evaluate)
            if len(self.problems) == before and resolved and why is not None:
                out.append(Misconception(wrong, why, compute))
        return tuple(out) if len(out) == len(value) else None


def _item_line(seq: list[Any], index: int, default: int) -> int:
    if isinstance(seq, YSeq) and index < len(seq.item_lines):
        return seq.item_lines[index]
    return default


def _show(value: Number) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(f"{v:.6g}" for v in value) + "]"
    return f"{value:.6g}"
