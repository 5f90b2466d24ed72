"""YAML files → plain Python values that remember their line numbers.

PyYAML's ``safe_load`` forgets where values came from and silently keeps the last of two
duplicate keys. Here a file is *composed* (the C loader where present) and the node tree
is turned into :class:`YMap` / :class:`YSeq` (``dict`` / ``list`` subclasses carrying
the 1-based lines the parser reported) and plain scalars, reporting duplicate keys,
unsupported tags and non-text keys on the way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from studyapp.content.models import Problem

__all__ = ["LOADER", "YMap", "YSeq", "read_yaml"]

#: The loader class: libyaml's C loader when PyYAML was built with it.
LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
    """

    __slots__ = ("flow", "key_lines", "line", "value_lines")

    def __init__(self, line: int, flow: bool = False) -> None:
        super().__init__()
        self.line = line
        self.flow = flow
        self.key_lines: dict[str, int] = {}
        self.value_lines: dict[str, int] = {}

    def line_of(self, key: str) -> int:
        """Line of ``key``'s value, or of the mapping when the key is absent."""
        return self.value_lines.get(key, self.line)


class YSeq(list[Any]):
    """A YAML sequence with its line and the line of each item."""

    __slots__ = ("item_lines", "line")

    def __init__(self, line: int) -> None:
        super().__init__()
        self.line = line
        self.item_lines: list[int] = []


class _Converter:
    def __init__(self, file: Path, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.active: set[int] = set()  # nodes being converted: guards recursive aliases

    def problem(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.file, node.start_mark.line + 1, message))

    def value(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if id(node) in self.active:
            self.problem(node, "a recursive alias (an anchor used inside itself)")
            return None
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return self.sequence(node)
            if isinstance(node, MappingNode):
                return self.mapping(node)
        finally:
            self.active.discard(id(node))
        self.problem(node, f"unsupported YAML node {type(node).__name__}")
        return None

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        construct = _SCALAR_CONSTRUCTORS.get(tag)
        if construct is None:
            if tag in _AS_TEXT:
                return node.value
            self.problem(node, f"unsupported YAML tag {tag!r}: use plain text, numbers, "
                               "true/false, lists and mappings")
            return node.value
        try:
            return construct(_CONSTRUCTOR, node)
        except (ConstructorError, ValueError) as exc:
            self.problem(node, f"cannot read {node.value!r} as {tag.rsplit(':', 1)[-1]}: {exc}")
            return node.value

    def sequence(self, node: SequenceNode) -> YSeq:
        if node.tag != _SEQ:
            self.problem(node, f"unsupported YAML tag {node.tag!r} on a list")
        seq = YSeq(node.start_mark.line + 1)
        for child in node.value:
            seq.append(self.value(child))
            seq.item_lines.append(child.start_mark.line + 1)
        return seq

    def mapping(self, node: MappingNode) -> YMap:
        if node.tag != _MAP:
            self.problem(node, f"unsupported YAML tag {node.tag!r} on a mapping")
        out = YMap(node.start_mark.line + 1, bool(node.flow_style))
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self.problem(key_node, "a key must be plain text, not a list or mapping")
                continue
            if key_node.tag == _MERGE:
                self.problem(key_node, "merge keys '<<' are not supported: write the fields out")
                continue
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in out:
                self.problem(
                    key_node,
                    f"duplicate key {key!r} (first at line {out.key_lines[key]}); "
                    "YAML would silently keep only the last one",
                )
                continue
            out[key] = self.value(value_node)
            out.key_lines[key] = line
            out.value_lines[key] = value_node.start_mark.line + 1
        return out


def read_yaml(path: Path, problems: list[Problem]) -> tuple[bool, Any]:
    """Read one YAML file.

    Parameters
    ----------
    path : Path
    problems : list of Problem
        Problems found are appended: unreadable file, syntax error (with its line),
        duplicate keys, unsupported tags.

    Returns
    -------
    (ok, value)
        ``ok`` is False when the file could not be parsed at all; ``value`` is the
        document as :class:`YMap`/:class:`YSeq`/scalars (None for an empty file).
    """
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.append(Problem(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})"))
        return False, None
    except OSError as exc:
        problems.append(Problem(path, None, f"cannot read the file: {exc.strerror or exc}"))
        return False, None
    try:
        node = yaml.compose(text, Loader=LOADER)
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
        problems.append(Problem(path, line, message))
        return False, None
    except yaml.YAMLError as exc:
        problems.append(Problem(path, None, f"YAML error: {exc}"))
        return False, None
    if node is None:
        return True, None
    return True, _Converter(path, problems).value(node)
