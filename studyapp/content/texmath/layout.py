"""Layout of the LaTeX → Unicode converter: atoms, and how they join into one line.

The parser turns tokens into :class:`Atom` s; :func:`join` spaces them as TeX's math mode
would (spaces around ``+ − = ≤``, none around ``·``, a space after ``∑ₖ`` and named
operators), makes a leading ``−`` unary and puts a fraction that something is multiplied
onto in parentheses. The helpers here shape one piece of text: scripts, fractions' parts,
accents, font letters.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from studyapp.content.texmath.symbols import (
    BIN,
    CLOSE,
    FN,
    OP,
    OPEN,
    ORD,
    PUNCT,
    REL,
    SCRIPT_CHARS,
    SPACE,
    SUBSCRIPT,
    SUPERSCRIPT,
    TEXT,
    TIGHT,
    AtomKind,
)


@dataclass(slots=True)
class Atom:
    """One piece of a formula's rendering, with the kind that decides its spacing."""

    text: str
    kind: AtomKind
    scripted: bool = False  # has a sub- or superscript attached
    fraction: bool = False  # a/b: wrapped in parentheses when something is multiplied on


# Characters that make a fraction's numerator or denominator need parentheses.
_LOOSE = re.compile(r"[\s+\-−=<>≤≥±∓×·⊙/,;∈→←]")


def script(content: str, *, superscript: bool, wordy: bool) -> str:
    """``content`` as a sub- or superscript: Unicode glyphs, else ``_x`` / ``_(…)``."""
    table = SUPERSCRIPT if superscript else SUBSCRIPT
    if content and not wordy:
        glyphs = [table.get(ch) for ch in content]
        if all(g is not None for g in glyphs):
            return "".join(glyphs)  # type: ignore[arg-type]
    mark = "^" if superscript else "_"
    if len(content) == 1:
        return mark + content
    return f"{mark}({content})"


def wrap(text: str) -> str:
    """``text`` in parentheses when it is more than one term (for a/b and √)."""
    text = text.strip()
    if not _LOOSE.search(text):
        return text
    if text[0] == "(" and _matching_close(text) == len(text) - 1:
        return text
    return f"({text})"


_NUMBER = re.compile(r"\d+(?:\.\d+)?\Z")


def wrap_denominator(text: str) -> str:
    """A denominator in parentheses unless it is one number or one symbol (with its sub-
    and superscripts): 1/(2n), λ/(τε), 1/n, x/‖w‖₂ — so 1/2n is never written."""
    text = text.strip()
    core = text.rstrip(SCRIPT_CHARS)
    core = "".join(ch for ch in core if not unicodedata.combining(ch))
    if core[:1] in ("∂", "√", "∇", "−"):
        core = core[1:]  # ∂w, √v, ∇L: one term
    if _NUMBER.match(core) or len(core) == 1:
        return text
    if core and core[0] in "‖|" and core[-1] == core[0] and core.count(core[0]) == 2:
        return text  # a norm or an absolute value is one term
    return wrap(text) if _LOOSE.search(text) else f"({text})"


def _matching_close(text: str) -> int:
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i
    return -1


def map_letters(text: str, table: dict[str, str]) -> str:
    """``text`` with each character the table has replaced (𝒜 for A in ``\\mathcal``)."""
    return "".join(table.get(ch, ch) for ch in text)


def accent(text: str, mark: str) -> str:
    """``text`` with a combining accent on its last character (precomposed when possible)."""
    if not text:
        return mark.strip()
    if mark == "\u0305" or mark == "\u0332":  # overline/underline: every character
        return "".join(unicodedata.normalize("NFC", ch + mark) for ch in text)
    return text[:-1] + unicodedata.normalize("NFC", text[-1] + mark)


_NO_SPACE_AFTER_OP = (CLOSE, PUNCT, BIN, REL, TIGHT, SPACE)


def join(atoms: list[Atom]) -> str:
    """Concatenate atoms with TeX-like spacing; unary minus and wrapped fractions."""
    resolved: list[Atom] = []
    significant: Atom | None = None  # the last atom that is not a space
    for atom in atoms:
        if atom.kind is BIN and (
            significant is None
            or significant.kind in (BIN, TIGHT, REL, OPEN, PUNCT, OP, FN)
            or significant.text == "\n"
        ):
            atom = Atom(atom.text, ORD, atom.scripted)  # unary: −x
        resolved.append(atom)
        if atom.kind is not SPACE or atom.text == "\n":
            significant = atom
    count = len(resolved)
    for i, atom in enumerate(resolved):
        if not atom.fraction:
            continue
        before = resolved[i - 1] if i > 0 else None
        after = resolved[i + 1] if i + 1 < count else None
        if (before is not None and before.kind in (ORD, CLOSE, TEXT)) or (
            after is not None and after.kind in (ORD, OPEN, OP, FN, TEXT)
        ):
            atom.text = f"({atom.text})"
    parts: list[str] = []
    previous: Atom | None = None
    for atom in resolved:
        if previous is not None and _space_between(previous, atom):
            parts.append(" ")
        parts.append(atom.text)
        if atom.text or atom.kind is not SPACE:
            previous = atom
    return "".join(parts)


def _space_between(left: Atom, right: Atom) -> bool:
    if left.kind is SPACE or right.kind is SPACE:
        return False
    if left.kind in (BIN, REL) or right.kind in (BIN, REL):
        return not (right.kind is PUNCT or (left.kind is REL and right.kind is REL))
    if left.kind is PUNCT:
        return right.kind not in (CLOSE, PUNCT)
    if left.kind is OP:
        return right.kind not in _NO_SPACE_AFTER_OP
    if left.kind is FN:
        if right.kind in _NO_SPACE_AFTER_OP:
            return False
        return left.scripted or not right.text.startswith("(")
    if right.kind in (OP, FN):
        return left.kind in (ORD, CLOSE)
    return False

