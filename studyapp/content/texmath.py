"""LaTeX math → Unicode text for a terminal.

Decks write formulas in LaTeX under ``tex:``; a terminal cannot typeset, so the app shows
a one-line Unicode rendering instead::

    >>> tex_to_unicode(r"\\| \\boldsymbol{x} \\|_2 = \\sqrt{ \\sum_{i=1}^{n} x_i^2 }")
    '‖x‖₂ = √(∑ᵢ₌₁ⁿ xᵢ²)'
    >>> tex_to_unicode(r"\\mathcal{L}_{\\text{data}} + \\lambda \\cdot \\mathcal{R}(\\theta)")
    'ℒ_(data) + λ·ℛ(θ)'
    >>> tex_to_unicode(r"\\frac{\\lambda}{2} \\|w\\|_2^2")
    '(λ/2)‖w‖₂²'

What it does, in the manner of TeX's own math mode:

* Spaces in the source are ignored; spacing comes from the kind of each atom (spaces
  around ``+ − = ≤ ∈ …``, none around ``·``, a space after ``∑ₖ`` and named operators).
* Sub- and superscripts use Unicode glyphs when every character has one (``xᵢ²``,
  ``wᵀ``, ``∑ⱼ₌₁ᵈ``); otherwise ``_x`` for one character and ``_(…)`` for more (``ℒ_(data)``).
* ``\\frac{a}{b}`` becomes ``a/b``, with parentheses around a part that needs them and
  around the whole fraction when something is multiplied onto it.
* Commands it does not know are kept as written (``\\foo``) and reported by
  :func:`render`, so the validator and the tests can refuse them: no backslash command
  may reach a learner's screen.

The module has no third-party imports and never raises on any input string.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import Enum

__all__ = ["LATEX_COMMAND", "Rendering", "latex_commands", "render", "tex_to_unicode"]

#: A LaTeX command: a backslash followed by letters.
LATEX_COMMAND = re.compile(r"\\[A-Za-z]+")


def latex_commands(text: str) -> list[str]:
    """The backslash commands (``\\lambda``, ``\\frac`` …) present in ``text``, in order."""
    return LATEX_COMMAND.findall(text)


@dataclass(frozen=True, slots=True)
class Rendering:
    """The result of :func:`render`.

    Attributes
    ----------
    text : str
        The Unicode rendering (what :func:`tex_to_unicode` returns).
    problems : tuple of str
        What could not be rendered faithfully: unknown commands, unbalanced braces, an
        unclosed ``\\left`` or environment, ``$`` signs. Empty when the rendering is clean.
    """

    text: str
    problems: tuple[str, ...] = ()


def tex_to_unicode(tex: str, *, bold: bool = False) -> str:
    """Render a LaTeX math formula as Unicode text.

    Parameters
    ----------
    tex : str
        A formula in LaTeX math mode, without ``$`` delimiters.
    bold : bool, default False
        Render ``\\mathbf``/``\\boldsymbol`` Latin letters and digits with the Unicode
        "mathematical bold" glyphs (𝐰). Off by default: many terminal fonts lack them,
        and a plain letter reads just as well.

    Returns
    -------
    str
        The rendering; several lines only when the formula has line breaks (``\\\\``,
        ``aligned``).
    """
    return render(tex, bold=bold).text


def render(tex: str, *, bold: bool = False) -> Rendering:
    """Render ``tex`` like :func:`tex_to_unicode`, and list what could not be rendered.

    Parameters
    ----------
    tex : str
        A formula in LaTeX math mode, without ``$`` delimiters.
    bold : bool, default False
        See :func:`tex_to_unicode`.

    Returns
    -------
    Rendering
    """
    parser = _Parser(tex, bold=bold)
    try:
        text = parser.run()
    except RecursionError:
        # each level of nesting ({…}, \frac, \left … \right) is a level of the parser: a
        # formula nested deeper than Python's stack is a problem, not a crash
        return Rendering("", ("nested too deeply to show",))
    return Rendering(text, tuple(dict.fromkeys(parser.problems)))


# --------------------------------------------------------------------------- tables

_SUPERSCRIPT = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ",
        strict=True,
    )
)
# Characters that already read as raised: kept as they are inside a superscript.
_SUPERSCRIPT.update({c: c for c in "ᵀ′″‴*∗†‡∘"})

_SUBSCRIPT = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)

_SCRIPT_CAPITALS = dict(
    zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵", strict=True)
)
_DOUBLE_STRUCK = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        "𝔸𝔹ℂ𝔻𝔼𝔽𝔾ℍ𝕀𝕁𝕂𝕃𝕄ℕ𝕆ℙℚℝ𝕊𝕋𝕌𝕍𝕎𝕏𝕐ℤ𝟙",
        strict=True,
    )
)
_BOLD = {
    **{chr(ord("A") + i): chr(0x1D400 + i) for i in range(26)},
    **{chr(ord("a") + i): chr(0x1D41A + i) for i in range(26)},
    **{chr(ord("0") + i): chr(0x1D7CE + i) for i in range(10)},
}

_GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε",
    "varepsilon": "ε", "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ",
    "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "omicron": "ο", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ",
    "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}  # fmt: skip


class _Kind(Enum):
    """TeX's atom classes, reduced to what decides spacing here."""

    ORD = "ord"  # letters, numbers, groups
    OP = "op"  # big operators ∑ ∏ ∫ (space after)
    FN = "fn"  # named operators: min, log … (space after unless "(" follows)
    BIN = "bin"  # + − × ⊙ (spaces around; unary when nothing is on the left)
    TIGHT = "tight"  # · ∘ (binary, no spaces)
    REL = "rel"  # = ≤ ∈ → (spaces around)
    OPEN = "open"
    CLOSE = "close"
    PUNCT = "punct"  # , ; (space after)
    TEXT = "text"  # \text{…}: its own spaces, nothing added
    SPACE = "space"  # explicit space: \quad, \,


_ORD, _OP, _FN, _BIN, _TIGHT, _REL = (
    _Kind.ORD, _Kind.OP, _Kind.FN, _Kind.BIN, _Kind.TIGHT, _Kind.REL
)
_OPEN, _CLOSE, _PUNCT, _TEXT, _SPACE = (
    _Kind.OPEN, _Kind.CLOSE, _Kind.PUNCT, _Kind.TEXT, _Kind.SPACE
)

_SYMBOLS: dict[str, tuple[str, _Kind]] = {name: (glyph, _ORD) for name, glyph in _GREEK.items()}
_SYMBOLS.update({
    # binary operators
    "pm": ("±", _BIN), "mp": ("∓", _BIN), "times": ("×", _BIN), "div": ("÷", _BIN),
    "odot": ("⊙", _BIN), "otimes": ("⊗", _BIN), "oplus": ("⊕", _BIN), "cup": ("∪", _BIN),
    "cap": ("∩", _BIN), "setminus": ("∖", _BIN), "land": ("∧", _BIN), "lor": ("∨", _BIN),
    "wedge": ("∧", _BIN), "vee": ("∨", _BIN), "ast": ("∗", _BIN), "star": ("⋆", _BIN),
    "cdot": ("·", _TIGHT), "circ": ("∘", _TIGHT), "bullet": ("∙", _TIGHT),
    # relations and arrows
    "leq": ("≤", _REL), "le": ("≤", _REL), "leqslant": ("≤", _REL), "geq": ("≥", _REL),
    "ge": ("≥", _REL), "geqslant": ("≥", _REL), "neq": ("≠", _REL), "ne": ("≠", _REL),
    "approx": ("≈", _REL), "simeq": ("≃", _REL), "sim": ("∼", _REL), "cong": ("≅", _REL),
    "equiv": ("≡", _REL), "propto": ("∝", _REL), "ll": ("≪", _REL), "gg": ("≫", _REL),
    "in": ("∈", _REL), "notin": ("∉", _REL), "ni": ("∋", _REL), "subset": ("⊂", _REL),
    "subseteq": ("⊆", _REL), "supset": ("⊃", _REL), "supseteq": ("⊇", _REL),
    "triangleq": ("≜", _REL), "coloneqq": ("≔", _REL), "defeq": ("≝", _REL),
    "perp": ("⊥", _REL), "parallel": ("∥", _REL), "mid": ("|", _REL),
    "to": ("→", _REL), "rightarrow": ("→", _REL), "leftarrow": ("←", _REL),
    "gets": ("←", _REL), "leftrightarrow": ("↔", _REL), "Rightarrow": ("⇒", _REL),
    "Leftarrow": ("⇐", _REL), "Leftrightarrow": ("⇔", _REL), "implies": ("⇒", _REL),
    "iff": ("⇔", _REL), "mapsto": ("↦", _REL), "longrightarrow": ("⟶", _REL),
    "longmapsto": ("⟼", _REL), "uparrow": ("↑", _REL), "downarrow": ("↓", _REL),
    # big operators
    "sum": ("∑", _OP), "prod": ("∏", _OP), "coprod": ("∐", _OP), "int": ("∫", _OP),
    "iint": ("∬", _OP), "oint": ("∮", _OP), "bigcup": ("⋃", _OP), "bigcap": ("⋂", _OP),
    # ordinary symbols
    "infty": ("∞", _ORD), "partial": ("∂", _ORD), "nabla": ("∇", _ORD),
    "forall": ("∀", _ORD), "exists": ("∃", _ORD), "nexists": ("∄", _ORD),
    "emptyset": ("∅", _ORD), "varnothing": ("∅", _ORD), "neg": ("¬", _ORD), "lnot": ("¬", _ORD),
    "top": ("ᵀ", _ORD), "intercal": ("ᵀ", _ORD), "bot": ("⊥", _ORD), "prime": ("′", _ORD),
    "dagger": ("†", _ORD), "ell": ("ℓ", _ORD), "hbar": ("ℏ", _ORD), "Re": ("ℜ", _ORD),
    "Im": ("ℑ", _ORD), "aleph": ("ℵ", _ORD), "angle": ("∠", _ORD), "degree": ("°", _ORD),
    "ldots": ("…", _ORD), "dots": ("…", _ORD), "cdots": ("⋯", _ORD), "vdots": ("⋮", _ORD),
    "ddots": ("⋱", _ORD), "dotsc": ("…", _ORD), "dotsb": ("⋯", _ORD),
    "vert": ("|", _ORD), "Vert": ("‖", _ORD), "lvert": ("|", _ORD), "rvert": ("|", _ORD),
    "lVert": ("‖", _ORD), "rVert": ("‖", _ORD), "|": ("‖", _ORD),
    "langle": ("⟨", _OPEN), "rangle": ("⟩", _CLOSE), "lfloor": ("⌊", _OPEN),
    "rfloor": ("⌋", _CLOSE), "lceil": ("⌈", _OPEN), "rceil": ("⌉", _CLOSE),
    "lbrace": ("{", _OPEN), "rbrace": ("}", _CLOSE), "{": ("{", _OPEN), "}": ("}", _CLOSE),
    "lbrack": ("[", _OPEN), "rbrack": ("]", _CLOSE),
    "colon": (":", _PUNCT), "_": ("_", _ORD), "%": ("%", _ORD), "#": ("#", _ORD),
    "&": ("&", _ORD), "$": ("$", _ORD),
    # spacing
    "quad": ("  ", _SPACE), "qquad": ("    ", _SPACE), ",": (" ", _SPACE),
    ":": (" ", _SPACE), ";": (" ", _SPACE), ">": (" ", _SPACE), " ": (" ", _SPACE),
    "enspace": (" ", _SPACE), "thinspace": (" ", _SPACE), "medspace": (" ", _SPACE),
    "thickspace": (" ", _SPACE), "!": ("", _SPACE), "negthinspace": ("", _SPACE),
})  # fmt: skip

_FUNCTIONS = frozenset((
    "min", "max", "argmin", "argmax", "arg", "sup", "inf", "lim", "liminf", "limsup", "log",
    "ln", "lg", "exp", "sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh",
    "arcsin", "arccos", "arctan", "det", "dim", "ker", "deg", "gcd", "Pr", "mod", "sgn",
    "sign", "tr", "diag", "rank", "softmax",
))

# Commands that change nothing on a terminal.
_IGNORED = frozenset((
    "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "limits", "nolimits",
    "nonumber", "notag", "mathstrut", "strut",
))
# Commands with one argument that is dropped (labels, colours, spacing boxes).
_DROP_ARG = frozenset((
    "label", "tag", "phantom", "hphantom", "vphantom",
))
# Text commands: the argument is copied as text, spaces included.
_TEXT_COMMANDS = frozenset((
    "text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox", "hbox",
))
# Font commands whose argument is rendered as math with the letters unchanged.
_PLAIN_FONTS = frozenset((
    "mathit", "mathsf", "mathtt", "mathnormal", "mathfrak", "mathrm",
))
_BOLD_FONTS = frozenset((
    "mathbf", "boldsymbol", "bm", "pmb", "mathbfit",
))
_ACCENTS = {
    "hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305",
    "tilde": "\u0303", "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308",
    "vec": "\u20d7", "check": "\u030c", "breve": "\u0306", "acute": "\u0301",
    "grave": "\u0300", "underline": "\u0332", "mathring": "\u030a",
}  # fmt: skip
_BIG = frozenset((
    "big", "Big", "bigg", "Bigg", "bigl", "Bigl", "biggl", "Biggl", "bigr", "Bigr", "biggr",
    "Biggr", "bigm", "Bigm",
))

_DELIMITERS = {
    "(": "(", ")": ")", "[": "[", "]": "]", "|": "|", "/": "/", "<": "⟨", ">": "⟩",
    ".": "", "\\{": "{", "\\}": "}", "\\|": "‖", "\\lvert": "|", "\\rvert": "|",
    "\\vert": "|", "\\lVert": "‖", "\\rVert": "‖", "\\Vert": "‖", "\\langle": "⟨",
    "\\rangle": "⟩", "\\lfloor": "⌊", "\\rfloor": "⌋", "\\lceil": "⌈", "\\rceil": "⌉",
    "\\lbrace": "{", "\\rbrace": "}", "\\lbrack": "[", "\\rbrack": "]", "\\backslash": "\\",
}  # fmt: skip
_OPENERS = frozenset("([{⟨⌊⌈")
_CLOSERS = frozenset(")]}⟩⌋⌉")

_MATRIX_DELIMITERS = {
    "matrix": ("", ""), "smallmatrix": ("", ""), "pmatrix": ("(", ")"),
    "bmatrix": ("[", "]"), "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"),
    "Vmatrix": ("‖", "‖"),
}  # fmt: skip
_LINE_ENVIRONMENTS = frozenset((
    "aligned", "align", "align*", "alignat", "alignat*", "gathered", "gather", "gather*",
    "split", "eqnarray", "eqnarray*", "equation", "equation*", "multline", "multline*",
    "array", "subarray",
))

# Characters of plain source text: kind and glyph.
_CHARS: dict[str, tuple[str, _Kind]] = {
    "+": ("+", _BIN), "-": ("−", _BIN), "*": ("*", _BIN), "=": ("=", _REL),
    "<": ("<", _REL), ">": (">", _REL), ":": (":", _REL), ",": (",", _PUNCT),
    ";": (";", _PUNCT), "(": ("(", _OPEN), "[": ("[", _OPEN), ")": (")", _CLOSE),
    "]": ("]", _CLOSE), "~": (" ", _SPACE), "'": ("′", _ORD),
}  # fmt: skip

# Sub- and superscript characters (they belong to the symbol before them).
_SCRIPT_CHARS = "₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₔₕₖₗₘₙₚₛₜᵢᵣᵤᵥᵦᵧᵨᵩᵪⱼ⁰¹²³⁴⁵⁶⁷⁸⁹ⁱⁿ⁺⁻⁼⁽⁾₊₋₌₍₎ᵀ′″*"

# Characters that make a fraction's numerator or denominator need parentheses.
_LOOSE = re.compile(r"[\s+\-−=<>≤≥±∓×·⊙/,;∈→←]")

_TOKEN = re.compile(
    r"""\\(?P<cmd>[A-Za-z]+)      # \command
      | \\(?P<sym>.)              # \| \{ \, \\ …
      | (?P<space>\s+)
      | (?P<run>[^\\{}^_&$'\s+\-*=<>:,;()\[\]~|]+)   # letters, digits …: ordinary atoms
      | (?P<char>.)""",
    re.VERBOSE | re.DOTALL,
)


# --------------------------------------------------------------------------- parser


@dataclass(slots=True)
class _Atom:
    text: str
    kind: _Kind
    scripted: bool = False  # has a sub- or superscript attached
    fraction: bool = False  # a/b: wrapped in parentheses when something is multiplied on


# A token: (kind, value, start, end) with kind "cmd" (\\name: value is the name), "sym"
# (\\ and one character), "run" (ordinary characters), "char" (one special character);
# start and end are offsets in the source. Whitespace makes no token: math mode ignores it,
# and text mode (\\text{…}) recovers it from the gaps between offsets.
_Token = tuple[str, str, int, int]
_KIND, _VALUE, _START, _END = 0, 1, 2, 3


@dataclass(slots=True)
class _Parser:
    source: str
    bold: bool = False
    problems: list[str] = field(default_factory=list)
    tokens: list[_Token] = field(default_factory=list)
    pos: int = 0
    words_in_text: int = 0  # \text{…} arguments of 2+ letters rendered so far
    open_lefts: int = 0  # \left delimiters still waiting for their \right

    def run(self) -> str:
        if "$" in self.source.replace("\\$", ""):
            self.problems.append("'$' signs: write the formula without math delimiters")
        self.tokens = [
            (kind, m.group(kind), m.start(), m.end())
            for m in _TOKEN.finditer(self.source)
            if (kind := m.lastgroup) != "space"  # type: ignore[assignment]
        ]
        atoms = self.parse_list(stops=())
        while self.pos < len(self.tokens):  # a stray "}" or "&" stopped the list
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok[_KIND] == "char" and tok[_VALUE] == "}":
                self.problems.append("unbalanced braces: '}' without '{'")
            atoms.extend(self.parse_list(stops=()))
        text = _join(atoms)
        return "\n".join(line.strip() for line in text.split("\n")).strip()

    # -- token helpers ------------------------------------------------------------
    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def at_stop(self, tok: _Token, stops: tuple[str, ...]) -> bool:
        if tok[_KIND] == "char":
            return tok[_VALUE] in stops
        if tok[_KIND] == "sym":
            return tok[_VALUE] == "\\" and "\\\\" in stops
        if tok[_KIND] == "cmd":
            return tok[_VALUE] in ("end", "right") and tok[_VALUE] in stops
        return False

    # -- lists of atoms -------------------------------------------------------------
    def parse_list(self, stops: tuple[str, ...]) -> list[_Atom]:
        """Atoms up to (not including) a stop token: "}", "&", "\\\\", "end", "right".

        A "}" always ends the list: inside a group it is the group's end, at the top
        level a stray one that the caller reports.
        """
        atoms: list[_Atom] = []
        tokens = self.tokens
        count = len(tokens)
        while self.pos < count:
            kind, value = tokens[self.pos][:2]
            if kind == "run":
                self.pos += 1
                atoms.append(_Atom(value, _ORD))
            elif kind == "cmd":
                if value in stops:  # "end", "right"
                    return atoms
                self.pos += 1
                atom = self.command(value)
                if atom is not None:
                    atoms.append(atom)
            elif kind == "sym":
                if value == "\\":
                    if "\\\\" in stops:
                        return atoms
                    atoms.append(_Atom("\n", _SPACE))
                else:
                    glyph, atom_kind = _SYMBOLS.get(value, (value, _ORD))
                    atoms.append(_Atom(glyph, atom_kind))
                self.pos += 1
            else:  # one special character
                if value == "}" or value in stops:
                    return atoms
                self.pos += 1
                if value == "^" or value == "_":
                    self.attach_script(atoms, superscript=value == "^")
                elif value == "{":
                    atoms.append(_Atom(self.render_group(), _ORD))
                elif value == "'":
                    self.attach_text(atoms, "′")
                elif value != "&":  # "&" outside an environment: an alignment point
                    glyph, atom_kind = _CHARS.get(value, (value, _ORD))
                    atoms.append(_Atom(glyph, atom_kind))
        return atoms

    def render_group(self) -> str:
        """The rest of a ``{…}`` group (after its "{"), rendered; consumes the "}"."""
        atoms = self.parse_list(stops=("}",))
        self.expect_close()
        return _join(atoms)

    def group_atoms(self) -> list[_Atom]:
        atoms = self.parse_list(stops=("}",))
        self.expect_close()
        return atoms

    def expect_close(self) -> None:
        tok = self.peek()
        if tok is not None and tok[_KIND] == "char" and tok[_VALUE] == "}":
            self.pos += 1
        else:
            self.problems.append("unbalanced braces: '{' without '}'")

    def argument_atoms(self, what: str) -> list[_Atom]:
        """One argument: a ``{…}`` group or a single token."""
        tok = self.peek()
        if tok is None or (tok[_KIND] == "char" and tok[_VALUE] in "}&") or self.at_stop(
            tok, ("\\\\", "end", "right")
        ):
            self.problems.append(f"{what}: missing argument")
            return []
        if tok[_KIND] == "run":
            return [_Atom(self.take_char(), _ORD)]
        self.pos += 1
        if tok[_KIND] == "char" and tok[_VALUE] == "{":
            return self.group_atoms()
        if tok[_KIND] == "char":
            glyph, kind = _CHARS.get(tok[_VALUE], (tok[_VALUE], _ORD))
            return [_Atom(glyph, kind)]
        if tok[_KIND] == "sym":
            glyph, kind = _SYMBOLS.get(tok[_VALUE], (tok[_VALUE], _ORD))
            return [_Atom(glyph, kind)]
        atom = self.command(tok[_VALUE])
        return [atom] if atom is not None else []

    def take_char(self) -> str:
        """The first character of the current run token, leaving the rest of the run.

        ``x^ab`` is x to the a, times b: an argument without braces is one character.
        """
        tok = self.tokens[self.pos]
        if len(tok[_VALUE]) == 1:
            self.pos += 1
        else:
            self.tokens[self.pos] = ("run", tok[_VALUE][1:], tok[_START] + 1, tok[_END])
        return tok[_VALUE][0]

    def argument(self, what: str) -> str:
        return _join(self.argument_atoms(what))

    def raw_argument(self, what: str) -> str:
        """A text-mode argument: characters as written, spaces kept, commands rendered."""
        tok = self.peek()
        if tok is None:
            self.problems.append(f"{what}: missing argument")
            return ""
        if not (tok[_KIND] == "char" and tok[_VALUE] == "{"):
            return self.argument(what)
        self.pos += 1
        parts: list[str] = []
        depth = 0
        previous_end = tok[_END]
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok[_START] > previous_end:  # whitespace between the tokens, as written
                parts.append(re.sub(r"[\t\r\n]", " ", self.source[previous_end:tok[_START]]))
            previous_end = tok[_END]
            if tok[_KIND] == "char" and tok[_VALUE] == "{":
                depth += 1
            elif tok[_KIND] == "char" and tok[_VALUE] == "}":
                if depth == 0:
                    return "".join(parts)
                depth -= 1
            elif tok[_KIND] in ("char", "run"):
                parts.append(tok[_VALUE])
            elif tok[_KIND] == "sym":
                parts.append(_SYMBOLS.get(tok[_VALUE], (tok[_VALUE], _ORD))[0])
            else:
                atom = self.command(tok[_VALUE])
                if atom is not None:
                    parts.append(atom.text)
                previous_end = max(previous_end, self.tokens[self.pos - 1][_END])
        self.problems.append("unbalanced braces: '{' without '}'")
        return "".join(parts)

    # -- scripts --------------------------------------------------------------------
    def attach_script(self, atoms: list[_Atom], *, superscript: bool) -> None:
        words_before = self.words_in_text
        content = "".join(a.text for a in self.argument_atoms("^" if superscript else "_"))
        wordy = self.words_in_text > words_before
        self.attach_text(atoms, _script(content, superscript=superscript, wordy=wordy))

    def attach_text(self, atoms: list[_Atom], text: str) -> None:
        if not atoms or atoms[-1].kind in (_SPACE, _BIN, _TIGHT, _REL, _PUNCT, _OPEN):
            atoms.append(_Atom("", _ORD))
        base = atoms[-1]
        if base.fraction:
            base.text = f"({base.text})"
            base.fraction = False
        base.text += text
        base.scripted = True

    # -- commands -------------------------------------------------------------------
    def command(self, name: str) -> _Atom | None:
        symbol = _SYMBOLS.get(name)
        if symbol is not None:
            return _Atom(symbol[0], symbol[1])
        if name in _FUNCTIONS:
            if name == "arg":  # \arg\min, \arg\max: one operator
                tok = self.peek()
                if tok is not None and tok[_KIND] == "cmd" and tok[_VALUE] in ("min", "max"):
                    self.pos += 1
                    return _Atom("arg" + tok[_VALUE], _FN)
            return _Atom(name, _FN)
        if name in _IGNORED:
            return None
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            numerator = self.argument(f"\\{name} numerator")
            denominator = self.argument(f"\\{name} denominator")
            return _Atom(f"{_wrap(numerator)}/{_wrap_denominator(denominator)}", _ORD,
                         fraction=True)
        if name == "sqrt":
            return self.sqrt()
        if name in _TEXT_COMMANDS or name == "operatorname":
            if name == "operatorname":
                star = self.peek()
                if star is not None and star[_KIND] == "char" and star[_VALUE] == "*":
                    self.pos += 1
            text = self.raw_argument(f"\\{name}")
            if sum(ch.isalpha() for ch in text) >= 2:
                self.words_in_text += 1
            return _Atom(text, _FN if name == "operatorname" else _TEXT)
        if name in _PLAIN_FONTS:
            text = self.argument(f"\\{name}")
            if name == "mathrm" and sum(ch.isalpha() for ch in text) >= 2:
                self.words_in_text += 1
            return _Atom(text, _ORD)
        if name in _BOLD_FONTS:
            text = self.argument(f"\\{name}")
            return _Atom(_map_letters(text, _BOLD) if self.bold else text, _ORD)
        if name in ("mathcal", "mathscr"):
            return _Atom(_map_letters(self.argument(f"\\{name}"), _SCRIPT_CAPITALS), _ORD)
        if name == "mathbb":
            return _Atom(_map_letters(self.argument("\\mathbb"), _DOUBLE_STRUCK), _ORD)
        if name in _ACCENTS:
            return _Atom(_accent(self.argument(f"\\{name}"), _ACCENTS[name]), _ORD)
        if name in ("left", "right", "middle") or name in _BIG:
            return self.delimiter(name)
        if name == "begin":
            return self.environment()
        if name == "end":
            env = self.raw_argument("\\end")
            self.problems.append(f"\\end{{{env}}} without \\begin{{{env}}}")
            return None
        if name in ("mathop", "mathbin", "mathrel", "mathord", "boxed", "displaylines",
                    "underbrace", "overbrace"):
            text = self.argument(f"\\{name}")
            kind = {"mathop": _FN, "mathbin": _BIN, "mathrel": _REL}.get(name, _ORD)
            return _Atom(text, kind)
        if name in ("underset", "overset", "stackrel"):
            over = self.argument(f"\\{name}")
            base = self.argument(f"\\{name}")
            return _Atom(base + _script(over, superscript=name != "underset", wordy=False), _REL
                         if base in "=≈≤≥→←" else _ORD)
        if name in ("binom", "dbinom", "tbinom"):
            n = self.argument(f"\\{name}")
            k = self.argument(f"\\{name}")
            return _Atom(f"C({n}, {k})", _ORD)
        if name == "substack":
            return _Atom(self.raw_argument("\\substack").replace("\n", ","), _ORD)
        if name == "not":
            following = self.argument_atoms("\\not")
            text = _join(following)
            negated = {"=": "≠", "∈": "∉", "⊂": "⊄", "⊆": "⊈", "≡": "≢", "∃": "∄"}
            kind = following[0].kind if len(following) == 1 else _REL
            return _Atom(negated.get(text, text + "\u0338"), kind)
        if name in _DROP_ARG:
            self.raw_argument(f"\\{name}")
            return None
        if name in ("color", "textcolor"):
            self.raw_argument(f"\\{name}")
            return _Atom(self.argument(f"\\{name}"), _ORD) if name == "textcolor" else None
        if name in ("pmod", "bmod"):
            if name == "bmod":
                return _Atom("mod", _BIN)
            return _Atom(f"(mod {self.argument('pmod')})", _ORD)
        self.problems.append(f"unknown command \\{name}")
        return _Atom(f"\\{name}", _ORD)

    def sqrt(self) -> _Atom:
        index = ""
        tok = self.peek()
        if tok is not None and tok[_KIND] == "char" and tok[_VALUE] == "[":
            self.pos += 1
            atoms = self.parse_list(stops=("]",))
            closing = self.peek()
            if closing is not None and closing[_KIND] == "char" and closing[_VALUE] == "]":
                self.pos += 1
            else:
                self.problems.append("\\sqrt[: missing ']'")
            index = _join(atoms)
        radicand = self.argument("\\sqrt")
        root = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(index)
        if root is None:
            root = _script(index, superscript=True, wordy=False) + "√"
        return _Atom(root + _wrap(radicand), _ORD)

    def delimiter(self, name: str) -> _Atom | None:
        tok = self.peek()
        if tok is None:
            self.problems.append(f"\\{name}: missing delimiter")
            return None
        if tok[_KIND] == "run":
            key = tok[_VALUE][0]
        elif tok[_KIND] in ("cmd", "sym"):
            key = "\\" + tok[_VALUE]
        else:
            key = tok[_VALUE]
        if key not in _DELIMITERS:
            self.problems.append(f"\\{name}: '{key}' is not a delimiter")
            return None
        if tok[_KIND] == "run":
            self.take_char()
        else:
            self.pos += 1
        glyph = _DELIMITERS[key]
        if name == "left" or name.endswith("l"):
            kind = _OPEN
        elif name == "right" or name.endswith("r"):
            kind = _CLOSE
        elif glyph in _OPENERS:
            kind = _OPEN
        elif glyph in _CLOSERS:
            kind = _CLOSE
        else:
            kind = _ORD
        if name == "left":
            self.check_right()
            self.open_lefts += 1
        elif name == "right":
            if self.open_lefts == 0:
                self.problems.append("\\right without a matching \\left")
            else:
                self.open_lefts -= 1
        return _Atom(glyph, kind) if glyph else None

    def check_right(self) -> None:
        """Report a ``\\left`` with no ``\\right`` after it at the same depth."""
        depth = 0
        braces = 0
        for tok in self.tokens[self.pos:]:
            if tok[_KIND] == "char" and tok[_VALUE] == "{":
                braces += 1
            elif tok[_KIND] == "char" and tok[_VALUE] == "}":
                braces -= 1
                if braces < 0:
                    break
            elif tok[_KIND] == "cmd" and tok[_VALUE] == "left":
                depth += 1
            elif tok[_KIND] == "cmd" and tok[_VALUE] == "right":
                if depth == 0:
                    return
                depth -= 1
        self.problems.append("\\left without a matching \\right")

    def environment(self) -> _Atom:
        env = self.raw_argument("\\begin").strip()
        if env in ("array", "subarray", "alignat", "alignat*"):
            self.raw_argument(f"{env} column spec")
        rows: list[list[str]] = []
        cells: list[str] = []
        while True:
            cells.append(_join(self.parse_list(stops=("&", "\\\\", "end", "}"))))
            tok = self.peek()
            if tok is None:
                self.problems.append(f"\\begin{{{env}}} without \\end{{{env}}}")
                break
            self.pos += 1
            if tok[_KIND] == "char" and tok[_VALUE] == "&":
                continue
            if tok[_KIND] == "sym":  # \\ : next row
                rows.append(cells)
                cells = []
                continue
            if tok[_KIND] == "char":  # a stray "}" inside the environment
                self.problems.append("unbalanced braces: '}' without '{'")
                continue
            end = self.raw_argument("\\end").strip()
            if end != env:
                self.problems.append(f"\\begin{{{env}}} closed by \\end{{{end}}}")
            break
        if any(c.strip() for c in cells) or not rows:
            rows.append(cells)
        rows = [r for r in rows if any(c.strip() for c in r)]
        if env == "cases":
            body = "; ".join(", ".join(c.strip() for c in r if c.strip()) for r in rows)
            return _Atom("{ " + body, _ORD)
        if env in _MATRIX_DELIMITERS:
            left, right = _MATRIX_DELIMITERS[env]
            body = "; ".join(", ".join(c.strip() for c in r) for r in rows)
            return _Atom(left + body + right, _ORD)
        if env not in _LINE_ENVIRONMENTS:
            self.problems.append(f"unknown environment {env!r}")
        return _Atom("\n".join(" ".join(c.strip() for c in r if c.strip()) for r in rows), _TEXT)


# --------------------------------------------------------------------------- helpers


def _script(content: str, *, superscript: bool, wordy: bool) -> str:
    """``content`` as a sub- or superscript: Unicode glyphs, else ``_x`` / ``_(…)``."""
    table = _SUPERSCRIPT if superscript else _SUBSCRIPT
    if content and not wordy:
        glyphs = [table.get(ch) for ch in content]
        if all(g is not None for g in glyphs):
            return "".join(glyphs)  # type: ignore[arg-type]
    mark = "^" if superscript else "_"
    if len(content) == 1:
        return mark + content
    return f"{mark}({content})"


def _wrap(text: str) -> str:
    """``text`` in parentheses when it is more than one term (for a/b and √)."""
    text = text.strip()
    if not _LOOSE.search(text):
        return text
    if text[0] == "(" and _matching_close(text) == len(text) - 1:
        return text
    return f"({text})"


_NUMBER = re.compile(r"\d+(?:\.\d+)?\Z")


def _wrap_denominator(text: str) -> str:
    """A denominator in parentheses unless it is one number or one symbol (with its sub-
    and superscripts): 1/(2n), λ/(τε), 1/n, x/‖w‖₂ — so 1/2n is never written."""
    text = text.strip()
    core = text.rstrip(_SCRIPT_CHARS)
    core = "".join(ch for ch in core if not unicodedata.combining(ch))
    if core[:1] in ("∂", "√", "∇", "−"):
        core = core[1:]  # ∂w, √v, ∇L: one term
    if _NUMBER.match(core) or len(core) == 1:
        return text
    if core and core[0] in "‖|" and core[-1] == core[0] and core.count(core[0]) == 2:
        return text  # a norm or an absolute value is one term
    return _wrap(text) if _LOOSE.search(text) else f"({text})"


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


def _map_letters(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(ch, ch) for ch in text)


def _accent(text: str, mark: str) -> str:
    """``text`` with a combining accent on its last character (precomposed when possible)."""
    if not text:
        return mark.strip()
    if mark == "\u0305" or mark == "\u0332":  # overline/underline: every character
        return "".join(unicodedata.normalize("NFC", ch + mark) for ch in text)
    return text[:-1] + unicodedata.normalize("NFC", text[-1] + mark)


_NO_SPACE_AFTER_OP = (_CLOSE, _PUNCT, _BIN, _REL, _TIGHT, _SPACE)


def _join(atoms: list[_Atom]) -> str:
    """Concatenate atoms with TeX-like spacing; unary minus and wrapped fractions."""
    resolved: list[_Atom] = []
    significant: _Atom | None = None  # the last atom that is not a space
    for atom in atoms:
        if atom.kind is _BIN and (
            significant is None
            or significant.kind in (_BIN, _TIGHT, _REL, _OPEN, _PUNCT, _OP, _FN)
            or significant.text == "\n"
        ):
            atom = _Atom(atom.text, _ORD, atom.scripted)  # unary: −x
        resolved.append(atom)
        if atom.kind is not _SPACE or atom.text == "\n":
            significant = atom
    count = len(resolved)
    for i, atom in enumerate(resolved):
        if not atom.fraction:
            continue
        before = resolved[i - 1] if i > 0 else None
        after = resolved[i + 1] if i + 1 < count else None
        if (before is not None and before.kind in (_ORD, _CLOSE, _TEXT)) or (
            after is not None and after.kind in (_ORD, _OPEN, _OP, _FN, _TEXT)
        ):
            atom.text = f"({atom.text})"
    parts: list[str] = []
    previous: _Atom | None = None
    for atom in resolved:
        if previous is not None and _space_between(previous, atom):
            parts.append(" ")
        parts.append(atom.text)
        if atom.text or atom.kind is not _SPACE:
            previous = atom
    return "".join(parts)


def _space_between(left: _Atom, right: _Atom) -> bool:
    if left.kind is _SPACE or right.kind is _SPACE:
        return False
    if left.kind in (_BIN, _REL) or right.kind in (_BIN, _REL):
        return not (right.kind is _PUNCT or (left.kind is _REL and right.kind is _REL))
    if left.kind is _PUNCT:
        return right.kind not in (_CLOSE, _PUNCT)
    if left.kind is _OP:
        return right.kind not in _NO_SPACE_AFTER_OP
    if left.kind is _FN:
        if right.kind in _NO_SPACE_AFTER_OP:
            return False
        return left.scripted or not right.text.startswith("(")
    if right.kind in (_OP, _FN):
        return left.kind in (_ORD, _CLOSE)
    return False
