"""The checks every deck file shares: fields, texts, ids, keywords, numbers, ``compute``.

:class:`FileChecker` collects the problems of one YAML file; the checks of each kind of
entry are functions of a checker: ``deck.yaml`` in :mod:`.deck`, cards in :mod:`.cards`,
questions in :mod:`.questions` (numeric ones in :mod:`.numeric`).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from studyapp.content import texmath
from studyapp.content.compute import (
    ComputeError,
    checked_arguments,
    did_you_mean,
    evaluate,
    evaluate_raw,
    is_number,
)
from studyapp.content.models import Compute, DeckProblem, Number, Term
from studyapp.content.yamlnodes import YMap, YSeq, expansion

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*\Z")

FILE_FIELDS = ("cards", "questions")
COMPUTE_FIELDS = ("fn", "args")
#: Values (numbers, texts, lists, mappings; not keys) a card or question that holds an
#: alias may stand for, the alias counted as all it repeats each time it is used (the
#: bundled deck's largest item, with no alias: 79).
MAX_ITEM_VALUES = 20_000
#: Characters of the texts and keys such an item may stand for, counted the same way
#: (the bundled deck's largest: 1,727).
MAX_ITEM_TEXT = 1_000_000
#: Words that point at an option by its position: options are shuffled for every attempt.
_DIGITS = "0-9０-９一二三四五六七八九十"
POSITION_WORDS = re.compile(
    rf"[上下]から[{_DIGITS}]+(?:番目|つ目)|[{_DIGITS}]+つ目|最初の選択肢|最後の選択肢"
    r"|選択肢[0-9０-９]"
)
#: A file larger than this is not parsed a second time to find the line of a flagged
#: word inside a text: the problem is reported at the text's first line.
_MAX_RESCAN_CHARS = 2_000_000


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
    problems : list of DeckProblem
        Shared list the problems are appended to.
    keyword_ids : collection of str, optional
        The deck's keyword ids (for item files); None when deck.yaml could not be read,
        and then keyword references are not checked.
    evaluate : bool, default True
        Evaluate every ``compute`` with the engine (and compare literal answers and
        misconceptions with it). False checks the function names and arguments only and
        leaves the values to be computed when first needed: the app's start-up path,
        which must not import numpy. ``studyapp validate`` and the tests evaluate.
    terms : sequence of Term
        The deck's glossary: a variant in a prose text is a problem (:meth:`prose`).
    strict : bool, default False
        Also report what ``studyapp validate --strict`` refuses (a cloze gap too long to
        recall word for word).
    """

    def __init__(
        self, file: Path, problems: list[DeckProblem], keyword_ids: Iterable[str] | None = (),
        *, evaluate: bool = True, terms: Sequence[Term] = (), strict: bool = False,
    ) -> None:
        self.file = file
        self.problems = problems
        self.keyword_ids = frozenset(keyword_ids) if keyword_ids is not None else None
        self.evaluate = evaluate
        self.terms = tuple(terms)
        self.strict = strict
        self.measured: dict[int, tuple[int, int, int]] = {}  # memo of expansion()
        # the file's texts as written, by first line (read again on the first word flagged)
        self._scalars: dict[int, list[tuple[str, str, int]]] | None = None

    # -- basics --------------------------------------------------------------------
    def add(self, line: int | None, message: str) -> None:
        self.problems.append(DeckProblem(self.file, line, message))

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

    # -- prose: the deck's terms, position words -------------------------------------
    def prose(self, value: str | None, line: int | None, where: str,
              pointer: str | None = None) -> bool:
        """Check a prose text (not code, tex or ids) that begins at ``line``.

        Every occurrence of a variant of the deck's terms is a problem, and with
        ``pointer`` (an explanation or a ``why``, named so in the message) every word that
        points at an option by its position; each at the line of the occurrence. ``where``
        names the text (``question 'q1': 'explanation'``). True when there is none.
        """
        if value is None:
            return True
        found: list[tuple[int, int, str]] = []  # (offset, length, message)
        for term in self.terms:
            for start, variant in _variant_occurrences(value, term):
                found.append((start, len(variant), f"{where}: 「{variant}」 is a variant of the "
                                                   f"deck's term 「{term.term}」"))
        if pointer is not None:
            for match in POSITION_WORDS.finditer(value):
                found.append((match.start(), len(match.group()),
                              f"{pointer} points at an option by its position "
                              f"(「{match.group()}」); options are shuffled for every attempt: "
                              "name the option's content"))
        for start, length, message in sorted(found, key=lambda f: f[0]):
            self.add(self.occurrence_line(line, value, start, value[start:start + length]),
                     message)
        return not found

    def occurrence_line(self, line: int | None, value: str, start: int, needle: str) -> int | None:
        """The line of the occurrence of ``needle`` at offset ``start`` of the text
        ``value``, which begins at ``line``.

        A text written over several lines (a ``|`` or ``>`` block, a long quoted text) is
        matched with its source; when the occurrences there do not correspond one to one
        (an escape, a word folded across two lines), or the file is too large to read
        again, it is ``line``.
        """
        if line is None:
            return None
        candidates = [c for c in self._texts().get(line, ()) if c[0] == value]
        if len(candidates) != 1:
            return line
        _, raw, raw_line = candidates[0]
        in_value = _find_all(value, needle)
        in_raw = _find_all(raw, needle)
        if len(in_value) != len(in_raw) or start not in in_value:
            return line
        return raw_line + raw[: in_raw[in_value.index(start)]].count("\n")

    def _texts(self) -> dict[int, list[tuple[str, str, int]]]:
        """The file's texts written over several lines, by their first line: (value, text
        as written, that line). The file is parsed again for it once, and only when a word
        was flagged."""
        if self._scalars is not None:
            return self._scalars
        self._scalars = {}
        try:
            text = self.file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return self._scalars
        if len(text) > _MAX_RESCAN_CHARS:
            return self._scalars
        try:
            for event in yaml.parse(text, Loader=yaml.SafeLoader):
                if isinstance(event, yaml.ScalarEvent) and "\n" in text[
                        event.start_mark.index:event.end_mark.index]:
                    raw = text[event.start_mark.index:event.end_mark.index]
                    self._scalars.setdefault(event.start_mark.line + 1, []).append(
                        (event.value, raw, event.start_mark.line + 1))
        except yaml.YAMLError:
            pass
        return self._scalars

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
            line = entry_line(value, i, obj.line_of(key))
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

    def nonempty_list(self, obj: YMap, key: str, ctx: str, what: str) -> list[Any] | None:
        """``obj[key]`` when it is a non-empty list; None when it is absent, or (with a
        problem at its line: ``'KEY' must be a non-empty list of WHAT``) not such a list."""
        if key not in obj:
            return None
        value = obj[key]
        if not isinstance(value, list) or not value:
            self.add(obj.line_of(key), f"{ctx}: '{key}' must be a non-empty list of {what}, "
                                       f"got {describe(value)}")
            return None
        return value

    def keyword_refs(self, obj: YMap, ctx: str) -> tuple[str, ...] | None:
        """The ``keywords`` of an item: a non-empty list of the deck's keyword ids."""
        value = self.nonempty_list(obj, "keywords", ctx, "keyword ids")
        if value is None:
            return None
        line = obj.line_of("keywords")
        return self.keyword_list(value, line, ctx, f"{ctx}: keywords", self.keyword_ids,
                                 "keyword ids are listed in deck.yaml")

    def keyword_list(self, value: list[Any], line: int | None, ctx: str, entries: str,
                     known: Iterable[str] | None, where_listed: str) -> tuple[str, ...] | None:
        """Each entry of ``value`` a keyword id of ``known`` (None: not checked), none twice.

        ``entries`` names the list in messages (``entries[i] must be …``); ``where_listed``
        ends the message of an unknown id. Returns None after adding the problems.
        """
        known_ids = None if known is None else sorted(known)
        out: list[str] = []
        ok = True
        for i, kw in enumerate(value):
            kw_line = entry_line(value, i, line)
            if not isinstance(kw, str):
                self.add(kw_line, f"{entries}[{i}] must be a keyword id, got {describe(kw)}")
                ok = False
            elif known_ids is not None and kw not in known_ids:
                self.add(kw_line, f"{ctx}: unknown keyword {kw!r}"
                                  f"{did_you_mean(kw, known_ids)}; {where_listed}")
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



def _find_all(text: str, needle: str) -> list[int]:
    """Offsets of every occurrence of ``needle`` in ``text``, overlapping ones included."""
    out: list[int] = []
    at = text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


def _variant_occurrences(value: str, term: Term) -> list[tuple[int, str]]:
    """Where the variants of ``term`` occur in ``value``: (offset, variant), in order.

    An occurrence inside an occurrence of the term itself is none (罰 in 罰則), and one
    inside a longer variant's occurrence is that one's (軟閾値 in 軟閾値処理).
    """
    taken = [(at, at + len(term.term)) for at in _find_all(value, term.term)]
    found: list[tuple[int, str]] = []
    for variant in sorted(term.variants, key=len, reverse=True):
        for at in _find_all(value, variant):
            end = at + len(variant)
            if any(lo <= at and end <= hi for lo, hi in taken):
                continue
            taken.append((at, end))
            found.append((at, variant))
    return sorted(found)


def entry_line(seq: list[Any], index: int, default: int) -> int:
    """The line of ``seq[index]`` as the YAML parser gave it, else ``default``."""
    if isinstance(seq, YSeq) and index < len(seq.item_lines):
        return seq.item_lines[index]
    return default

