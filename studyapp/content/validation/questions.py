"""The checks of one question: the fields of its type, its choices and answer, a code
question's check (numeric questions' answers are in :mod:`.numeric`)."""

from __future__ import annotations

from typing import Any

from studyapp.content.compute import did_you_mean
from studyapp.content.models import QUESTION_TYPES, Check, Location, Option, Question
from studyapp.content.validation.checker import FileChecker, describe, entry_line
from studyapp.content.validation.numeric import numeric_parts
from studyapp.content.yamlnodes import YMap

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
CHECK_FIELDS = ("given", "expect")
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
    choices = _options(checker, obj, ctx, qtype)
    if choices is not None:
        out["choices"] = choices
    if qtype == "code":
        check = _code_check(checker, obj, ctx)
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
    return out


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
            if qtype == "code" or checker.no_latex(entry, item_line, where):
                option = Option(entry)
        elif isinstance(entry, YMap):
            before = len(checker.problems)
            checker.fields(entry, where, OPTION_FIELDS, ("text",))
            text = checker.text(entry, "text", where, latex_allowed=qtype == "code")
            why = checker.text(entry, "why", where)
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


def _code_check(checker: FileChecker, obj: YMap, ctx: str) -> Check | None:
    if "check" not in obj:
        return None
    value = obj["check"]
    line = obj.line_of("check")
    where = f"{ctx}: check"
    if not isinstance(value, YMap):
        checker.add(line, f"{where} must be a mapping {{given, expect}}, got {describe(value)}")
        return None
    before = len(checker.problems)
    checker.fields(value, where, CHECK_FIELDS, CHECK_FIELDS)
    given = value.get("given")
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
    return Check(dict(given), expect[0])
