"""YAML files → plain Python values that remember their line numbers.

PyYAML's ``safe_load`` forgets where values came from and silently keeps the last of two
duplicate keys. Here a file is parsed (the C loader where present) and its events are
turned into :class:`YMap` / :class:`YSeq` (``dict`` / ``list`` subclasses carrying the
1-based lines the parser reported) and plain scalars resolved as the safe loader would,
reporting duplicate keys, unsupported tags, merge keys and non-text keys on the way.

An alias is the anchored value itself, not a copy, so a few kilobytes of anchors and
aliases can stand for billions of values (the "billion laughs"). Nothing is expanded
here, but the checks after this walk values, so a file is bounded while it is read: its
size in bytes, its values and nesting, each alias counted as all its anchor stands for
(:func:`expansion`, measured once per anchor), and the file refused at the line where a
count passes its limit. That is linear in the file, however much the aliases multiply.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from studyapp.content.models import DeckProblem

__all__ = [
    "LOADER",
    "MAX_DEPTH",
    "MAX_FILE_BYTES",
    "MAX_FILE_TEXT",
    "MAX_FILE_VALUES",
    "YMap",
    "YSeq",
    "expansion",
    "read_yaml",
]

#: The loader class: libyaml's C loader when PyYAML was built with it.
LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# The limits of one deck file, far above any real deck (the bundled deck's largest file is
# 33 KB and 710 values, nested 9 deep) and documented in docs/content-schema.md.
#: Bytes of a deck file; a larger file is refused unread. Room for the one file a TSV
#: import writes from the largest export it reads.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Values (numbers, texts, lists, mappings; not keys) of a file, every alias counted as
#: all the values it repeats, each time it is used.
MAX_FILE_VALUES = 2_000_000
#: Characters of a file: its text as written, and every alias counted as its anchor's
#: texts and keys, each time it is used. A character takes at least one byte, so only
#: aliases can reach it.
MAX_FILE_TEXT = MAX_FILE_BYTES
#: Lists and mappings inside one another, aliases expanded.
MAX_DEPTH = 32

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_MERGE = "tag:yaml.org,2002:merge"
_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)
# Plain scalars the resolver tags as dates or "=": kept as the text written.
_AS_TEXT = frozenset(("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value"))
_CONSTRUCTOR = SafeConstructor()
# PyYAML's implicit resolvers by first character ("" for the empty scalar), the wildcard
# ones appended: the same table ``Resolver.resolve`` walks for plain scalars.
_IMPLICIT: dict[str, tuple[tuple[str, Any], ...]] = {
    first: tuple(resolvers) + tuple(Resolver.yaml_implicit_resolvers.get(None, ()))
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
    if first is not None
}
_SCALAR_CONSTRUCTORS = {
    tag: SafeConstructor.yaml_constructors[tag] for tag in _SCALAR_TAGS if tag != _STR
}


# Parser messages of the classic slips, and what to do about them.
_SYNTAX_HINTS = (
    ("mapping values are not allowed",
     "a ': ' inside a value starts a new key: put the value in quotes"),
    ("block scalar", "a value starting with '|' or '>' must be put in quotes (e.g. \"|w| …\")"),
    ("scanning an alias", "a value starting with '*' must be put in quotes"),
    ("scanning an anchor", "a value starting with '&' must be put in quotes"),
    ("while scanning a quoted scalar", "a quote is not closed"),
)




def _syntax_hint(message: str, text: str, mark: Any) -> str | None:
    """Advice for a parser message; the C and Python loaders word them differently."""
    if mark is not None:
        lines = text.splitlines()
        if mark.line < len(lines) and mark.column < len(lines[mark.line]):
            char = lines[mark.line][mark.column]
            if char == "\t":
                return "indent with spaces, not tabs"
            if char in "@`" and "cannot start any token" in message:
                return "a value starting with '@' or '`' must be put in quotes"
    for clue, hint in _SYNTAX_HINTS:
        if clue in message:
            return hint
    return None


class YMap(dict[str, Any]):
    """A YAML mapping with the lines of its keys and values.

    Attributes
    ----------
    line : int
        Line where the mapping starts.
    key_lines, value_lines : dict of str to int
        Line of each key, and of each value.
    flow : bool
        Written in flow style ``{a: 1, b: 2}``.
    aliased : bool
        Set (to True) only on the mappings and lists that hold an alias, at any depth:
        those whose size is not what their text shows (see :func:`expansion`).
    """

    __slots__ = ("aliased", "flow", "key_lines", "line", "value_lines")

    def __init__(self, line: int, flow: bool = False) -> None:
        # dict.__new__ made the empty mapping; dict.__init__ would have nothing to do
        self.line = line
        self.flow = flow
        self.key_lines: dict[str, int] = {}
        self.value_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """Line of ``key``'s value, or of the mapping when the key is absent."""
        return self.value_lines.get(key, self.line)


class YSeq(list[Any]):
    """A YAML sequence with its line and the line of each item.

    ``aliased`` is as for :class:`YMap`.
    """

    __slots__ = ("aliased", "item_lines", "line")

    def __init__(self, line: int) -> None:
        self.line = line
        self.item_lines: list[int] = []


def expansion(value: Any, memo: dict[int, tuple[int, int, int]]) -> tuple[int, int, int]:
    """What ``value`` stands for with every alias expanded, without expanding it.

    Parameters
    ----------
    value : Any
        A value read by :func:`read_yaml` (no cycles: a recursive alias is refused).
    memo : dict
        The counts of the lists and mappings already measured, by ``id``; pass the same
        dict for values of one file, so that what aliases share is measured once. The
        walk is then linear in the file, however often the aliases repeat a value.

    Returns
    -------
    (values, characters, levels)
        Values (scalars, lists and mappings; keys are not counted, each has a value),
        characters of the texts and keys, and the levels of lists and mappings inside one
        another (0 for a scalar).
    """
    if not isinstance(value, dict | list):
        return 1, len(value) if isinstance(value, str) else 1, 0
    pending: list[tuple[Any, bool]] = [(value, False)]
    while pending:  # post-order without recursion: a YAML file may nest 1,000 deep
        node, children_done = pending.pop()
        if id(node) in memo:
            continue
        items = node.values() if isinstance(node, dict) else node
        if not children_done:
            pending.append((node, True))
            pending.extend((item, False) for item in items
                           if isinstance(item, dict | list) and id(item) not in memo)
            continue
        values = 1
        chars = height = 0
        if isinstance(node, dict):
            chars += sum(map(len, node))
        for item in items:
            if isinstance(item, dict | list):
                size, text, levels = memo[id(item)]
                values += size
                chars += text
                height = max(height, levels)
            else:
                values += 1
                chars += len(item) if isinstance(item, str) else 1
        memo[id(node)] = (values, chars, height + 1)
    return memo[id(value)]


class _TooLarge(Exception):
    """A file past one of the limits: reading stops at ``line``."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_SKIP = object()  # a mapping key whose value is dropped (duplicate, merge key, non-text key)


class _Frame:
    """An open mapping or sequence while the events are turned into values."""

    __slots__ = ("anchor", "container", "key", "key_line", "mapping")

    def __init__(self, container: YMap | YSeq, anchor: str | None) -> None:
        self.container = container
        self.mapping = isinstance(container, YMap)
        self.anchor = anchor
        self.key: Any = None  # in a mapping: the key waiting for its value
        self.key_line = 0


class _Builder:
    """Builds :class:`YMap`/:class:`YSeq` values straight from the parser's events.

    This does what ``yaml.compose`` followed by a walk over the nodes would, about three
    times faster: no node objects, and plain scalars are resolved with PyYAML's own
    implicit-resolver table without its per-node path bookkeeping.

    It counts the document's values on the way and raises :class:`_TooLarge` as soon
    as a count passes a limit. An anchor is measured once, when it closes
    (:func:`expansion`); each alias to it then adds those counts, so the count costs the
    same whatever the aliases stand for, and nothing is spent on a file without them.
    """

    def __init__(self, file: Path, problems: list[DeckProblem]) -> None:
        self.file = file
        self.problems = problems
        self.anchors: dict[str, Any] = {}
        self.open_anchors: set[str] = set()
        # anchor → (values, characters, levels) of what it stands for; memo of expansion()
        self.expansions: dict[str, tuple[int, int, int]] = {}
        self.measured: dict[int, tuple[int, int, int]] = {}

    def problem(self, line: int, message: str) -> None:
        self.problems.append(DeckProblem(self.file, line, message))

    def build(self, parser: Any) -> Any:
        """Consume every event of ``parser``; returns the document's value."""
        stack: list[_Frame] = []
        frame: _Frame | None = None  # stack[-1]
        document: Any = None
        documents = 0
        # The document's values so far (keys not counted: each has a value), each alias
        # counted as all it stands for; the characters the aliases added to the text.
        values = extra = 0
        max_values, max_depth = MAX_FILE_VALUES, MAX_DEPTH
        get_event = parser.get_event
        implicit_resolvers = _IMPLICIT
        while True:
            event = get_event()
            cls = event.__class__
            if cls is ScalarEvent:
                line = event.start_mark.line + 1
                if frame is not None and frame.mapping and frame.key is None:
                    self.key(frame, event, line)
                    continue
                value = event.value
                # the common cases inline: quoted text, and plain text no resolver claims
                if event.tag is not None or (
                    event.implicit[0] and value[:1] in implicit_resolvers
                ):
                    value = self.scalar(event, line)
                if event.anchor is not None:
                    self.anchored_scalar(event, value)
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                line = event.start_mark.line + 1
                if len(stack) >= max_depth:
                    raise _TooLarge(line, f"lists and mappings nested more than {MAX_DEPTH} "
                                          "levels deep")
                tag = event.tag
                is_map = cls is MappingStartEvent
                if tag is not None and tag != "!" and tag != (_MAP if is_map else _SEQ):
                    what = "a mapping" if is_map else "a list"
                    self.problem(line, f"unsupported YAML tag {tag!r} on {what}")
                container: YMap | YSeq = (
                    YMap(line, bool(event.flow_style)) if is_map else YSeq(line)
                )
                if event.anchor is not None:
                    self.anchors[event.anchor] = container
                    self.open_anchors.add(event.anchor)
                if frame is not None and frame.mapping and frame.key is None:
                    self.problem(line, "a key must be plain text, not a list or mapping")
                    frame.key = _SKIP
                    frame.key_line = line
                frame = _Frame(container, event.anchor)
                stack.append(frame)
                continue
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                done = stack.pop()
                frame = stack[-1] if stack else None
                value = done.container
                if done.anchor is not None:
                    self.open_anchors.discard(done.anchor)
                    self.expansions[done.anchor] = expansion(value, self.measured)
                line = value.line
            elif cls is AliasEvent:
                line = event.start_mark.line + 1
                if event.anchor in self.open_anchors:
                    self.problem(line, "a recursive alias (an anchor used inside itself)")
                    value = None
                elif event.anchor not in self.anchors:
                    self.problem(line, f"unknown alias *{event.anchor}")
                    value = None
                else:
                    value = self.anchors[event.anchor]
                    size, text, levels = self.expansions[event.anchor]
                    extra += text
                    self.check_alias(event.anchor, line, values + size,
                                     event.end_mark.index + extra, len(stack) + levels)
                    values += size - 1  # and one below, as for any value
                    _mark_aliased(stack)
                if frame is not None and frame.mapping and frame.key is None:
                    if isinstance(value, str):
                        self.key(frame, ScalarEvent(None, None, (True, False), value), line)
                    else:
                        self.problem(line, "a key must be plain text, not a list or mapping")
                        frame.key = _SKIP
                    continue
            elif cls is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise yaml.composer.ComposerError(
                        None, None, "expected a single document in the stream, but found "
                        "another document", event.start_mark)
                continue
            elif cls is StreamEndEvent:
                return document
            else:  # stream start, document end
                continue
            # a value (not a key) is complete: counted here, once whatever its kind
            values += 1
            if values > max_values:
                raise _TooLarge(line, _too_many_values())
            if frame is None:
                document = value
            elif not frame.mapping:
                frame.container.append(value)
                frame.container.item_lines.append(line)  # type: ignore[union-attr]
            elif frame.key is None:  # a container used as a key
                self.problem(line, "a key must be plain text, not a list or mapping")
                frame.key = _SKIP
            else:
                key = frame.key
                frame.key = None
                if key is not _SKIP:
                    mapping: YMap = frame.container  # type: ignore[assignment]
                    mapping[key] = value
                    mapping.key_lines[key] = frame.key_line
                    mapping.value_lines[key] = line

    @staticmethod
    def check_alias(anchor: str, line: int, values: int, chars: int, depth: int) -> None:
        """Raise :class:`_TooLarge` when using ``*anchor`` here passes a limit."""
        if values > MAX_FILE_VALUES:
            raise _TooLarge(line, f"the alias *{anchor} makes this file stand for more than "
                                  f"{MAX_FILE_VALUES:,} values (an alias counts every value "
                                  "it repeats, each time it is used); write fewer aliases")
        if chars > MAX_FILE_TEXT:
            raise _TooLarge(line, f"the alias *{anchor} makes this file stand for more than "
                                  f"{MAX_FILE_TEXT:,} characters of text (an alias counts "
                                  "the text it repeats, each time it is used); write fewer "
                                  "aliases")
        if depth > MAX_DEPTH:
            raise _TooLarge(line, f"the alias *{anchor} nests lists and mappings more than "
                                  f"{MAX_DEPTH} levels deep")

    def anchored_scalar(self, event: Any, value: Any) -> None:
        """Remember an anchored scalar: its value, and what an alias to it adds."""
        self.anchors[event.anchor] = value
        self.expansions[event.anchor] = expansion(value, self.measured)

    def key(self, frame: _Frame, event: Any, line: int) -> None:
        """Take a scalar event as the next key of a mapping."""
        key = event.value
        mapping: YMap = frame.container  # type: ignore[assignment]
        frame.key_line = line
        if event.anchor is not None:
            self.anchored_scalar(event, key)
        if event.tag is None and event.implicit[0] and key == "<<":
            self.problem(line, "merge keys '<<' are not supported: write the fields out")
            frame.key = _SKIP
        elif key in mapping:
            self.problem(line, f"duplicate key {key!r} (first at line {mapping.key_lines[key]}); "
                               "YAML would silently keep only the last one")
            frame.key = _SKIP
        else:
            frame.key = key

    def scalar(self, event: Any, line: int) -> Any:
        value = event.value
        tag = event.tag
        if tag is None or tag == "!":
            if not event.implicit[0]:
                return value  # quoted or block text
            for candidate, regexp in _IMPLICIT.get(value[:1], ()):
                if regexp.match(value):
                    tag = candidate
                    break
            else:
                return value
        if tag == _STR:
            return value
        construct = _SCALAR_CONSTRUCTORS.get(tag)
        if construct is None:
            if tag in _AS_TEXT:
                return value
            self.problem(line, f"unsupported YAML tag {tag!r}: use plain text, numbers, "
                               "true/false, lists and mappings")
            return value
        try:
            return construct(_CONSTRUCTOR, ScalarNode(tag, value))
        except (ConstructorError, ValueError) as exc:
            self.problem(line, f"cannot read {value!r} as {tag.rsplit(':', 1)[-1]}: {exc}")
            return value


def _mark_aliased(stack: list[_Frame]) -> None:
    """Mark the open lists and mappings as holding an alias (the outer ones already are
    when the innermost is)."""
    for frame in reversed(stack):
        container = frame.container
        if getattr(container, "aliased", False):
            return
        container.aliased = True


def _too_many_values() -> str:
    return (f"more than {MAX_FILE_VALUES:,} values (numbers, texts, lists) in one file: "
            "split it into several files")


def _read_text(path: Path) -> str:
    """The file's text, as ``Path.read_text`` gives it, or :class:`_TooLarge` unread."""
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)  # never more, whatever the file is
    if len(data) > MAX_FILE_BYTES:
        raise _TooLarge(None, f"larger than {MAX_FILE_BYTES // 2**20} MiB, the most a deck "
                              "file may be: split it into several files")
    text = data.decode("utf-8")
    if "\r" in text:  # universal newlines, as read_text
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def read_yaml(path: Path, problems: list[DeckProblem]) -> tuple[bool, Any]:
    """Read one YAML file.

    Parameters
    ----------
    path : Path
    problems : list of DeckProblem
        Problems found are appended: unreadable file, syntax error (with its line),
        duplicate keys, unsupported tags, a file past a limit (``MAX_FILE_BYTES``,
        ``MAX_FILE_VALUES``, ``MAX_FILE_TEXT``, ``MAX_DEPTH``; then nothing of it is kept).

    Returns
    -------
    (ok, value)
        ``ok`` is False when the file could not be parsed at all; ``value`` is the
        document as :class:`YMap`/:class:`YSeq`/scalars (None for an empty file).
    """
    try:
        text = _read_text(path)
    except _TooLarge as exc:
        problems.append(DeckProblem(path, exc.line, exc.message))
        return False, None
    except UnicodeDecodeError as exc:
        problems.append(DeckProblem(path, None,
                                    f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return False, None
    except OSError as exc:
        problems.append(DeckProblem(path, None, f"cannot read the file: {exc.strerror or exc}"))
        return False, None
    parser = LOADER(text)
    try:
        value = _Builder(path, problems).build(parser)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        what = exc.problem or exc.context or "malformed YAML"
        message = f"YAML syntax error: {what}"
        if exc.context and exc.problem and exc.context_mark is not None:
            message += f" ({exc.context} at line {exc.context_mark.line + 1})"
        hint = _syntax_hint(message, text, mark)
        if hint:
            message += f"; {hint}"
        problems.append(DeckProblem(path, line, message))
        return False, None
    except yaml.YAMLError as exc:
        problems.append(DeckProblem(path, None, f"YAML error: {exc}"))
        return False, None
    except _TooLarge as exc:
        problems.append(DeckProblem(path, exc.line, exc.message))
        return False, None
    finally:
        parser.dispose()
    return True, value
