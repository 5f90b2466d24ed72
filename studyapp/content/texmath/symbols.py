"""The tables of the LaTeX → Unicode converter: glyphs, commands and atom kinds.

Plain data, read by :mod:`~studyapp.content.texmath.parser` (which command does what) and
:mod:`~studyapp.content.texmath.layout` (script glyphs, spacing). A command the converter
learns is one entry here, plus a branch in the parser when it takes arguments.
"""

from __future__ import annotations

from enum import Enum

SUPERSCRIPT = dict(
    zip(
        "0123456789+-−=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ",
        "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡ",
        strict=True,
    )
)
# Characters that already read as raised: kept as they are inside a superscript.
SUPERSCRIPT.update({c: c for c in "ᵀ′″‴*∗†‡∘"})

SUBSCRIPT = dict(
    zip(
        "0123456789+-−=()aehijklmnoprstuvxβγρφχ",
        "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
        strict=True,
    )
)

SCRIPT_CAPITALS = dict(
    zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "𝒜ℬ𝒞𝒟ℰℱ𝒢ℋℐ𝒥𝒦ℒℳ𝒩𝒪𝒫𝒬ℛ𝒮𝒯𝒰𝒱𝒲𝒳𝒴𝒵", strict=True)
)
DOUBLE_STRUCK = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ1",
        "𝔸𝔹ℂ𝔻𝔼𝔽𝔾ℍ𝕀𝕁𝕂𝕃𝕄ℕ𝕆ℙℚℝ𝕊𝕋𝕌𝕍𝕎𝕏𝕐ℤ𝟙",
        strict=True,
    )
)
BOLD = {
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


class AtomKind(Enum):
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


ORD, OP, FN, BIN, TIGHT, REL = (
    AtomKind.ORD, AtomKind.OP, AtomKind.FN, AtomKind.BIN, AtomKind.TIGHT, AtomKind.REL
)
OPEN, CLOSE, PUNCT, TEXT, SPACE = (
    AtomKind.OPEN, AtomKind.CLOSE, AtomKind.PUNCT, AtomKind.TEXT, AtomKind.SPACE
)

SYMBOLS: dict[str, tuple[str, AtomKind]] = {name: (glyph, ORD) for name, glyph in _GREEK.items()}
SYMBOLS.update({
    # binary operators
    "pm": ("±", BIN), "mp": ("∓", BIN), "times": ("×", BIN), "div": ("÷", BIN),
    "odot": ("⊙", BIN), "otimes": ("⊗", BIN), "oplus": ("⊕", BIN), "cup": ("∪", BIN),
    "cap": ("∩", BIN), "setminus": ("∖", BIN), "land": ("∧", BIN), "lor": ("∨", BIN),
    "wedge": ("∧", BIN), "vee": ("∨", BIN), "ast": ("∗", BIN), "star": ("⋆", BIN),
    "cdot": ("·", TIGHT), "circ": ("∘", TIGHT), "bullet": ("∙", TIGHT),
    # relations and arrows
    "leq": ("≤", REL), "le": ("≤", REL), "leqslant": ("≤", REL), "geq": ("≥", REL),
    "ge": ("≥", REL), "geqslant": ("≥", REL), "neq": ("≠", REL), "ne": ("≠", REL),
    "approx": ("≈", REL), "simeq": ("≃", REL), "sim": ("∼", REL), "cong": ("≅", REL),
    "equiv": ("≡", REL), "propto": ("∝", REL), "ll": ("≪", REL), "gg": ("≫", REL),
    "in": ("∈", REL), "notin": ("∉", REL), "ni": ("∋", REL), "subset": ("⊂", REL),
    "subseteq": ("⊆", REL), "supset": ("⊃", REL), "supseteq": ("⊇", REL),
    "triangleq": ("≜", REL), "coloneqq": ("≔", REL), "defeq": ("≝", REL),
    "perp": ("⊥", REL), "parallel": ("∥", REL), "mid": ("|", REL),
    "to": ("→", REL), "rightarrow": ("→", REL), "leftarrow": ("←", REL),
    "gets": ("←", REL), "leftrightarrow": ("↔", REL), "Rightarrow": ("⇒", REL),
    "Leftarrow": ("⇐", REL), "Leftrightarrow": ("⇔", REL), "implies": ("⇒", REL),
    "iff": ("⇔", REL), "mapsto": ("↦", REL), "longrightarrow": ("⟶", REL),
    "longmapsto": ("⟼", REL), "uparrow": ("↑", REL), "downarrow": ("↓", REL),
    # big operators
    "sum": ("∑", OP), "prod": ("∏", OP), "coprod": ("∐", OP), "int": ("∫", OP),
    "iint": ("∬", OP), "oint": ("∮", OP), "bigcup": ("⋃", OP), "bigcap": ("⋂", OP),
    # ordinary symbols
    "infty": ("∞", ORD), "partial": ("∂", ORD), "nabla": ("∇", ORD),
    "forall": ("∀", ORD), "exists": ("∃", ORD), "nexists": ("∄", ORD),
    "emptyset": ("∅", ORD), "varnothing": ("∅", ORD), "neg": ("¬", ORD), "lnot": ("¬", ORD),
    "top": ("ᵀ", ORD), "intercal": ("ᵀ", ORD), "bot": ("⊥", ORD), "prime": ("′", ORD),
    "dagger": ("†", ORD), "ell": ("ℓ", ORD), "hbar": ("ℏ", ORD), "Re": ("ℜ", ORD),
    "Im": ("ℑ", ORD), "aleph": ("ℵ", ORD), "angle": ("∠", ORD), "degree": ("°", ORD),
    "ldots": ("…", ORD), "dots": ("…", ORD), "cdots": ("⋯", ORD), "vdots": ("⋮", ORD),
    "ddots": ("⋱", ORD), "dotsc": ("…", ORD), "dotsb": ("⋯", ORD),
    "vert": ("|", ORD), "Vert": ("‖", ORD), "lvert": ("|", ORD), "rvert": ("|", ORD),
    "lVert": ("‖", ORD), "rVert": ("‖", ORD), "|": ("‖", ORD),
    "langle": ("⟨", OPEN), "rangle": ("⟩", CLOSE), "lfloor": ("⌊", OPEN),
    "rfloor": ("⌋", CLOSE), "lceil": ("⌈", OPEN), "rceil": ("⌉", CLOSE),
    "lbrace": ("{", OPEN), "rbrace": ("}", CLOSE), "{": ("{", OPEN), "}": ("}", CLOSE),
    "lbrack": ("[", OPEN), "rbrack": ("]", CLOSE),
    "colon": (":", PUNCT), "_": ("_", ORD), "%": ("%", ORD), "#": ("#", ORD),
    "&": ("&", ORD), "$": ("$", ORD),
    # spacing
    "quad": ("  ", SPACE), "qquad": ("    ", SPACE), ",": (" ", SPACE),
    ":": (" ", SPACE), ";": (" ", SPACE), ">": (" ", SPACE), " ": (" ", SPACE),
    "enspace": (" ", SPACE), "thinspace": (" ", SPACE), "medspace": (" ", SPACE),
    "thickspace": (" ", SPACE), "!": ("", SPACE), "negthinspace": ("", SPACE),
})  # fmt: skip

FUNCTIONS = frozenset((
    "min", "max", "argmin", "argmax", "arg", "sup", "inf", "lim", "liminf", "limsup", "log",
    "ln", "lg", "exp", "sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh",
    "arcsin", "arccos", "arctan", "det", "dim", "ker", "deg", "gcd", "Pr", "mod", "sgn",
    "sign", "tr", "diag", "rank", "softmax",
))

# Commands that change nothing on a terminal.
IGNORED = frozenset((
    "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", "limits", "nolimits",
    "nonumber", "notag", "mathstrut", "strut",
))
# Commands with one argument that is dropped (labels, colours, spacing boxes).
DROP_ARG = frozenset((
    "label", "tag", "phantom", "hphantom", "vphantom",
))
# Text commands: the argument is copied as text, spaces included.
TEXT_COMMANDS = frozenset((
    "text", "textrm", "textit", "textbf", "textsf", "texttt", "textnormal", "mbox", "hbox",
))
# Font commands whose argument is rendered as math with the letters unchanged.
PLAIN_FONTS = frozenset((
    "mathit", "mathsf", "mathtt", "mathnormal", "mathfrak", "mathrm",
))
BOLD_FONTS = frozenset((
    "mathbf", "boldsymbol", "bm", "pmb", "mathbfit",
))
ACCENTS = {
    "hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305",
    "tilde": "\u0303", "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308",
    "vec": "\u20d7", "check": "\u030c", "breve": "\u0306", "acute": "\u0301",
    "grave": "\u0300", "underline": "\u0332", "mathring": "\u030a",
}  # fmt: skip
BIG = frozenset((
    "big", "Big", "bigg", "Bigg", "bigl", "Bigl", "biggl", "Biggl", "bigr", "Bigr", "biggr",
    "Biggr", "bigm", "Bigm",
))

DELIMITERS = {
    "(": "(", ")": ")", "[": "[", "]": "]", "|": "|", "/": "/", "<": "⟨", ">": "⟩",
    ".": "", "\\{": "{", "\\}": "}", "\\|": "‖", "\\lvert": "|", "\\rvert": "|",
    "\\vert": "|", "\\lVert": "‖", "\\rVert": "‖", "\\Vert": "‖", "\\langle": "⟨",
    "\\rangle": "⟩", "\\lfloor": "⌊", "\\rfloor": "⌋", "\\lceil": "⌈", "\\rceil": "⌉",
    "\\lbrace": "{", "\\rbrace": "}", "\\lbrack": "[", "\\rbrack": "]", "\\backslash": "\\",
}  # fmt: skip
OPENERS = frozenset("([{⟨⌊⌈")
CLOSERS = frozenset(")]}⟩⌋⌉")

MATRIX_DELIMITERS = {
    "matrix": ("", ""), "smallmatrix": ("", ""), "pmatrix": ("(", ")"),
    "bmatrix": ("[", "]"), "Bmatrix": ("{", "}"), "vmatrix": ("|", "|"),
    "Vmatrix": ("‖", "‖"),
}  # fmt: skip
LINE_ENVIRONMENTS = frozenset((
    "aligned", "align", "align*", "alignat", "alignat*", "gathered", "gather", "gather*",
    "split", "eqnarray", "eqnarray*", "equation", "equation*", "multline", "multline*",
    "array", "subarray",
))

# Characters of plain source text: kind and glyph.
CHARS: dict[str, tuple[str, AtomKind]] = {
    "+": ("+", BIN), "-": ("−", BIN), "*": ("*", BIN), "=": ("=", REL),
    "<": ("<", REL), ">": (">", REL), ":": (":", REL), ",": (",", PUNCT),
    ";": (";", PUNCT), "(": ("(", OPEN), "[": ("[", OPEN), ")": (")", CLOSE),
    "]": ("]", CLOSE), "~": (" ", SPACE), "'": ("′", ORD),
}  # fmt: skip

# Sub- and superscript characters (they belong to the symbol before them).
SCRIPT_CHARS = "₀₁₂₃₄₅₆₇₈₉ₐₑₒₓₔₕₖₗₘₙₚₛₜᵢᵣᵤᵥᵦᵧᵨᵩᵪⱼ⁰¹²³⁴⁵⁶⁷⁸⁹ⁱⁿ⁺⁻⁼⁽⁾₊₋₌₍₎ᵀ′″*"
