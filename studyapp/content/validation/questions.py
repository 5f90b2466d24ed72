"""The checks of one question: the fields of its type, its choices and answer, a code
question's check (numeric questions' answers are in :mod:`.numeric`)."""

from __future__ import annotations

import ast
from typing import Any

from studyapp.content.compute import did_you_mean
from studyapp.content.models import (
    LISTING_BLANK,
    QUESTION_TYPES,
    Check,
    Location,
    Option,
    Question,
)
from studyapp.content.validation.checker import FileChecker, describe, entry_line
from studyapp.content.validation.numeric import numeric_parts
from studyapp.content.yamlnodes import YMap

QUESTION_COMMON = ("id", "type", "keywords", "prompt", "explanation", "tex", "unicode", "tags")
QUESTION_FIELDS_BY_TYPE: dict[str, tuple[str, ...]] = {
    "choice": ("choices", "answer"),
    "multi": ("choices", "answer"),
    "truefalse": ("answer",),
    "numeric": ("compute", "answer", "tolerance", "decimals", "misconceptions"),
    "code": ("listing", "choices", "answer", "check"),
}
QUESTION_FIELDS = QUESTION_COMMON + tuple(
    dict.fromkeys(f for fields in QUESTION_FIELDS_BY_TYPE.values() for f in fields)
)
OPTION_FIELDS = ("text", "why")
CHECK_FIELDS = ("given", "run", "expect")
#: Lines a listing has at least (a listing fill-in is the exam's multi-line code question).
MIN_LISTING_LINES = 4
#: The most lines a listing or a ``check.run`` may have (an exam listing fits on a screen;
#: the bound keeps ``ast.parse`` of a deck's code quick and small).
MAX_LISTING_LINES = 200
#: How many choices each type takes: (fewest, most).
CHOICE_COUNTS = {"choice": (4, 4), "code": (4, 4), "multi": (3, 6)}


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



def check_question(checker: FileChecker, obj: Any, index: int, line: int) -> Question | None:
    """Check one entry of ``questions:``."""
    ctx = checker.item_context("question", obj, index)
    if not isinstance(obj, YMap):
        checker.add(line, f"{ctx}: expected a mapping with id, type, keywords, prompt, "
                          f"explanation, got {describe(obj)}")
        return None
    if checker.too_large(obj, ctx):
        return None
    before = len(checker.problems)
    qtype = obj.get("type")
    if "type" in obj and qtype not in QUESTION_TYPES:
        checker.add(obj.line_of("type"), f"{ctx}: 'type' must be one of "
                                         f"{', '.join(QUESTION_TYPES)}, got {describe(qtype)}"
                                         f"{did_you_mean(str(qtype), QUESTION_TYPES)}")
    if qtype in QUESTION_FIELDS_BY_TYPE:
        allowed, required, elsewhere = _QUESTION_SCHEMA[qtype]
        checker.fields(obj, ctx, allowed, required, elsewhere=elsewhere)
    else:
        checker.fields(obj, ctx, QUESTION_FIELDS,
                       [] if "type" in obj else ["type"])
    qid = checker.item_id(obj, ctx)
    keywords = checker.keyword_refs(obj, ctx)
    prompt = checker.text(obj, "prompt", ctx)
    explanation = checker.text(obj, "explanation", ctx)
    checker.prose(prompt, obj.line_of("prompt"), f"{ctx}: 'prompt'")
    checker.prose(explanation, obj.line_of("explanation"), f"{ctx}: 'explanation'",
                  f"{ctx}: explanation")
    tex = checker.tex(obj, ctx)
    unicode = checker.text(obj, "unicode", ctx)
    tags = checker.string_list(obj, "tags", ctx)
    if qtype not in QUESTION_FIELDS_BY_TYPE:
        return None
    parts: dict[str, Any] = {}
    if qtype in ("choice", "multi", "code"):
        parts = _choice_parts(checker, obj, ctx, qtype)
    elif qtype == "truefalse":
        answer = obj.get("answer")
        if "answer" in obj and not isinstance(answer, bool):
            checker.add(obj.line_of("answer"), f"{ctx}: 'answer' of a truefalse question "
                                               f"must be true or false, got {describe(answer)}")
        else:
            parts = {"answer": obj.get("answer")}
    else:
        parts = numeric_parts(checker, obj, ctx)
    if (len(checker.problems) > before or qid is None or keywords is None or prompt is None
            or explanation is None or tags is None):
        return None
    return Question(qid, qtype, keywords, prompt, explanation, Location(checker.file, obj.line),
                    tex=tex, unicode=unicode, tags=tags, **parts)


def _choice_parts(checker: FileChecker, obj: YMap, ctx: str, qtype: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    listing: str | None = None
    choices = _options(checker, obj, ctx, qtype)
    if choices is not None:
        out["choices"] = choices
    if qtype == "code":
        listing = _listing(checker, obj, ctx)
        if listing is not None:
            out["listing"] = listing
        check = _code_check(checker, obj, ctx, "listing" in obj)
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
            checker.add(line, f"{ctx}: 'answer' of a multi question must be a non-empty list "
                              f"of 0-based choice indices, got {describe(answer)}")
            return out
        if len(set(answer)) != len(answer):
            checker.add(line, f"{ctx}: 'answer' lists an index twice: {answer}")
            return out
        bad = [a for a in answer if count is not None and not 0 <= a < count]
        if bad:
            checker.add(line, f"{ctx}: answer {bad[0]} is out of range: {span}")
            return out
        out["answer"] = tuple(sorted(answer))
        return out
    if isinstance(answer, bool) or not isinstance(answer, int):
        checker.add(line, f"{ctx}: 'answer' of a {qtype} question must be the 0-based index "
                          f"of the right choice, got {describe(answer)}")
        return out
    if count is not None and not 0 <= answer < count:
        checker.add(line, f"{ctx}: answer {answer} is out of range: {span} (answers are "
                          "0-based)")
        return out
    out["answer"] = answer
    if listing is not None and choices is not None:
        _listing_parses(checker, obj, ctx, listing, choices[answer].text)
    return out


def _listing(checker: FileChecker, obj: YMap, ctx: str) -> str | None:
    """A code question's ``listing``: text of at least :data:`MIN_LISTING_LINES` lines,
    with the blank :data:`LISTING_BLANK` exactly once, on a line of its own."""
    if "listing" not in obj:
        return None
    value = checker.text(obj, "listing", ctx, latex_allowed=True)
    if value is None:
        return None
    line = obj.line_of("listing")
    lines = value.rstrip("\n").split("\n")
    count = value.count(LISTING_BLANK)
    if count == 0:
        checker.add(line, f"{ctx}: 'listing' has no blank {LISTING_BLANK}: write it on the line "
                          "the choices fill in")
        return None
    if count > 1:
        checker.add(line, f"{ctx}: 'listing' has {count} blanks {LISTING_BLANK}; a listing has "
                          "exactly one")
        return None
    if not any(text.strip() == LISTING_BLANK for text in lines):
        checker.add(line, f"{ctx}: 'listing': the blank {LISTING_BLANK} stands on a line of its "
                          "own (indented like the code around it); the choices fill in the "
                          "whole line")
        return None
    if len(lines) > MAX_LISTING_LINES:
        checker.add(line, f"{ctx}: 'listing' has {len(lines):,} lines; a listing has at most "
                          f"{MAX_LISTING_LINES}")
        return None
    if len(lines) < MIN_LISTING_LINES:
        checker.add(line, f"{ctx}: 'listing' has {len(lines)} lines; a listing has at least "
                          f"{MIN_LISTING_LINES} (a shorter snippet is a plain code question)")
        return None
    return value


def fill_blank(listing: str, snippet: str) -> str:
    """``listing`` with ``snippet`` in its blank, each line of the snippet indented like the
    blank (what the test suite runs for a listing fill-in)."""
    lines = listing.split("\n")
    for i, text in enumerate(lines):
        if text.strip() == LISTING_BLANK:
            indent = text[: len(text) - len(text.lstrip())]
            lines[i:i + 1] = [indent + part if part.strip() else part
                              for part in snippet.split("\n")]
            break
    return "\n".join(lines)


def _python_error(source: str) -> str | None:
    """Why ``source`` is not valid Python, or None when it parses (it is never run)."""
    try:
        ast.parse(source)
    except SyntaxError as exc:
        return f"{exc.msg} (line {exc.lineno})" if exc.lineno else exc.msg
    except (ValueError, RecursionError, MemoryError) as exc:
        return type(exc).__name__
    return None


def _listing_parses(
    checker: FileChecker, obj: YMap, ctx: str, listing: str, snippet: str
) -> None:
    error = _python_error(fill_blank(listing, snippet))
    if error is not None:
        checker.add(obj.line_of("listing"), f"{ctx}: the listing with the answer's snippet in "
                                            f"the blank is not valid Python: {error}")


def _options(checker: FileChecker, obj: YMap, ctx: str, qtype: str) -> tuple[Option, ...] | None:
    if "choices" not in obj:
        return None
    value = obj["choices"]
    line = obj.line_of("choices")
    low, high = CHOICE_COUNTS[qtype]
    if not isinstance(value, list):
        checker.add(line, f"{ctx}: 'choices' must be a list, got {describe(value)}")
        return None
    if not low <= len(value) <= high:
        want = f"exactly {low}" if low == high else f"{low} to {high}"
        checker.add(line, f"{ctx}: a {qtype} question has {want} choices, "
                          f"got {len(value)}")
        return None
    out: list[Option] = []
    texts: dict[str, int] = {}
    for i, entry in enumerate(value):
        item_line = entry_line(value, i, line)
        where = f"{ctx}: choices[{i}]"
        option: Option | None = None
        if isinstance(entry, str) and entry.strip():
            if qtype == "code" or (checker.no_latex(entry, item_line, where)
                                   and checker.prose(entry, item_line, where)):
                option = Option(entry)
        elif isinstance(entry, YMap):
            before = len(checker.problems)
            checker.fields(entry, where, OPTION_FIELDS, ("text",))
            text = checker.text(entry, "text", where, latex_allowed=qtype == "code")
            if qtype != "code":
                checker.prose(text, entry.line_of("text"), f"{where}: 'text'")
            why = checker.text(entry, "why", where)
            checker.prose(why, entry.line_of("why"), f"{where}: 'why'", f"{where}: 'why'")
            if len(checker.problems) == before and text is not None:
                option = Option(text, why)
        else:
            checker.add(item_line, f"{where} must be text or {{text, why}}, "
                                   f"got {describe(entry)}")
        if option is not None:
            key = option.text.strip()
            if key in texts:
                checker.add(item_line, f"{where} repeats choices[{texts[key]}]")
            else:
                texts[key] = i
                out.append(option)
    return tuple(out) if len(out) == len(value) else None


def _code_check(checker: FileChecker, obj: YMap, ctx: str, listed: bool) -> Check | None:
    """``check``: ``given`` (optional with a listing), ``run`` (with a listing only),
    ``expect``."""
    if "check" not in obj:
        return None
    value = obj["check"]
    line = obj.line_of("check")
    where = f"{ctx}: check"
    if not isinstance(value, YMap):
        checker.add(line, f"{where} must be a mapping {{given, expect}}, got {describe(value)}")
        return None
    before = len(checker.problems)
    checker.fields(value, where, CHECK_FIELDS, ("expect",) if listed else ("given", "expect"))
    run = _run(checker, value, where, listed)
    given = value.get("given", YMap(value.line) if listed else None)
    if "given" in value:
        if not isinstance(given, YMap):
            checker.add(value.line_of("given"), f"{where}: 'given' must be a mapping of "
                                                f"names to values, got {describe(given)}")
        else:
            for name in given:
                if not name.isidentifier() or name in ("np", "out"):
                    checker.add(given.key_lines.get(name, given.line),
                                f"{where}: 'given' name {name!r} must be a Python identifier "
                                "other than np and out")
    expect = None
    if "expect" in value:
        expect = checker.compute(value["expect"], value.line_of("expect"),
                                 f"{where}: expect", raw=True)
    if len(checker.problems) > before or expect is None or not isinstance(given, YMap):
        return None
    return Check(dict(given), expect[0], run)


def _run(checker: FileChecker, value: YMap, where: str, listed: bool) -> str | None:
    """``check.run``: Python text that assigns ``out``, only with a listing."""
    if "run" not in value:
        return None
    line = value.line_of("run")
    if not listed:
        checker.add(line, f"{where}: 'run' is only used with a 'listing' (it runs after the "
                          "listing); a plain snippet assigns out itself")
        return None
    run = checker.text(value, "run", where, latex_allowed=True)
    if run is None:
        return None
    count = run.count("\n") + (not run.endswith("\n"))
    if count > MAX_LISTING_LINES:
        checker.add(line, f"{where}: 'run' has {count:,} lines; at most {MAX_LISTING_LINES}")
        return None
    error = _python_error(run)
    if error is not None:
        checker.add(line, f"{where}: 'run' is not valid Python: {error}")
        return None
    tree = ast.parse(run)
    if not any(isinstance(node, ast.Name) and node.id == "out" and isinstance(node.ctx, ast.Store)
               for node in ast.walk(tree)):
        checker.add(line, f"{where}: 'run' must assign out (the value compared with "
                          "'expect')")
        return None
    return run
