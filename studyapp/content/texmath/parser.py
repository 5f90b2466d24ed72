"""The parser of the LaTeX → Unicode converter: tokens → atoms, command by command.

A recursive-descent reading of TeX's math mode: :meth:`Parser.parse_list` reads atoms up
to a closing token, :meth:`Parser.command` renders one command (taking its arguments),
and everything the parser cannot render faithfully is added to :attr:`Parser.problems`
(the text then keeps the command as written). Each level of nesting is a level of Python
recursion; :func:`studyapp.content.texmath.render` turns a ``RecursionError`` into a
problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from studyapp.content.texmath.layout import (
    Atom,
    accent,
    join,
    map_letters,
    script,
    wrap,
    wrap_denominator,
)
from studyapp.content.texmath.symbols import (
    ACCENTS,
    BIG,
    BIN,
    BOLD,
    BOLD_FONTS,
    CHARS,
    CLOSE,
    CLOSERS,
    DELIMITERS,
    DOUBLE_STRUCK,
    DROP_ARG,
    FN,
    FUNCTIONS,
    IGNORED,
    LINE_ENVIRONMENTS,
    MATRIX_DELIMITERS,
    OPEN,
    OPENERS,
    ORD,
    PLAIN_FONTS,
    PUNCT,
    REL,
    SCRIPT_CAPITALS,
    SPACE,
    SYMBOLS,
    TEXT,
    TEXT_COMMANDS,
    TIGHT,
)
from studyapp.content.texmath.tokens import END, KIND, START, VALUE, Token, tokenize


@dataclass(slots=True)
class Parser:
    """Renders one formula: call :meth:`run` once; :attr:`problems` then lists what
    could not be rendered faithfully."""

    source: str
    bold: bool = False
    problems: list[str] = field(default_factory=list)
    tokens: list[Token] = field(default_factory=list)
    pos: int = 0
    words_in_text: int = 0  # \text{…} arguments of 2+ letters rendered so far
    open_lefts: int = 0  # \left delimiters still waiting for their \right

    def run(self) -> str:
        if "$" in self.source.replace("\\$", ""):
            self.problems.append("'$' signs: write the formula without math delimiters")
        self.tokens = tokenize(self.source)
        atoms = self.parse_list(stops=())
        while self.pos < len(self.tokens):  # a stray "}" or "&" stopped the list
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok[KIND] == "char" and tok[VALUE] == "}":
                self.problems.append("unbalanced braces: '}' without '{'")
            atoms.extend(self.parse_list(stops=()))
        text = join(atoms)
        return "\n".join(line.strip() for line in text.split("\n")).strip()

    # -- token helpers ------------------------------------------------------------
    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def at_stop(self, tok: Token, stops: tuple[str, ...]) -> bool:
        if tok[KIND] == "char":
            return tok[VALUE] in stops
        if tok[KIND] == "sym":
            return tok[VALUE] == "\\" and "\\\\" in stops
        if tok[KIND] == "cmd":
            return tok[VALUE] in ("end", "right") and tok[VALUE] in stops
        return False

    # -- lists of atoms -------------------------------------------------------------
    def parse_list(self, stops: tuple[str, ...]) -> list[Atom]:
        """Atoms up to (not including) a stop token: "}", "&", "\\\\", "end", "right".

        A "}" always ends the list: inside a group it is the group's end, at the top
        level a stray one that the caller reports.
        """
        atoms: list[Atom] = []
        tokens = self.tokens
        count = len(tokens)
        while self.pos < count:
            kind, value = tokens[self.pos][:2]
            if kind == "run":
                self.pos += 1
                atoms.append(Atom(value, ORD))
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
                    atoms.append(Atom("\n", SPACE))
                else:
                    glyph, atom_kind = SYMBOLS.get(value, (value, ORD))
                    atoms.append(Atom(glyph, atom_kind))
                self.pos += 1
            else:  # one special character
                if value == "}" or value in stops:
                    return atoms
                self.pos += 1
                if value == "^" or value == "_":
                    self.attach_script(atoms, superscript=value == "^")
                elif value == "{":
                    atoms.append(Atom(self.render_group(), ORD))
                elif value == "'":
                    self.attach_text(atoms, "′")
                elif value != "&":  # "&" outside an environment: an alignment point
                    glyph, atom_kind = CHARS.get(value, (value, ORD))
                    atoms.append(Atom(glyph, atom_kind))
        return atoms

    def render_group(self) -> str:
        """The rest of a ``{…}`` group (after its "{"), rendered; consumes the "}"."""
        atoms = self.parse_list(stops=("}",))
        self.expect_close()
        return join(atoms)

    def group_atoms(self) -> list[Atom]:
        atoms = self.parse_list(stops=("}",))
        self.expect_close()
        return atoms

    def expect_close(self) -> None:
        tok = self.peek()
        if tok is not None and tok[KIND] == "char" and tok[VALUE] == "}":
            self.pos += 1
        else:
            self.problems.append("unbalanced braces: '{' without '}'")

    def argument_atoms(self, what: str) -> list[Atom]:
        """One argument: a ``{…}`` group or a single token."""
        tok = self.peek()
        if tok is None or (tok[KIND] == "char" and tok[VALUE] in "}&") or self.at_stop(
            tok, ("\\\\", "end", "right")
        ):
            self.problems.append(f"{what}: missing argument")
            return []
        if tok[KIND] == "run":
            return [Atom(self.take_char(), ORD)]
        self.pos += 1
        if tok[KIND] == "char" and tok[VALUE] == "{":
            return self.group_atoms()
        if tok[KIND] == "char":
            glyph, kind = CHARS.get(tok[VALUE], (tok[VALUE], ORD))
            return [Atom(glyph, kind)]
        if tok[KIND] == "sym":
            glyph, kind = SYMBOLS.get(tok[VALUE], (tok[VALUE], ORD))
            return [Atom(glyph, kind)]
        atom = self.command(tok[VALUE])
        return [atom] if atom is not None else []

    def take_char(self) -> str:
        """The first character of the current run token, leaving the rest of the run.

        ``x^ab`` is x to the a, times b: an argument without braces is one character.
        """
        tok = self.tokens[self.pos]
        if len(tok[VALUE]) == 1:
            self.pos += 1
        else:
            self.tokens[self.pos] = ("run", tok[VALUE][1:], tok[START] + 1, tok[END])
        return tok[VALUE][0]

    def argument(self, what: str) -> str:
        return join(self.argument_atoms(what))

    def raw_argument(self, what: str) -> str:
        """A text-mode argument: characters as written, spaces kept, commands rendered."""
        tok = self.peek()
        if tok is None:
            self.problems.append(f"{what}: missing argument")
            return ""
        if not (tok[KIND] == "char" and tok[VALUE] == "{"):
            return self.argument(what)
        self.pos += 1
        parts: list[str] = []
        depth = 0
        previous_end = tok[END]
        while self.pos < len(self.tokens):
            tok = self.tokens[self.pos]
            self.pos += 1
            if tok[START] > previous_end:  # whitespace between the tokens, as written
                parts.append(re.sub(r"[\t\r\n]", " ", self.source[previous_end:tok[START]]))
            previous_end = tok[END]
            if tok[KIND] == "char" and tok[VALUE] == "{":
                depth += 1
            elif tok[KIND] == "char" and tok[VALUE] == "}":
                if depth == 0:
                    return "".join(parts)
                depth -= 1
            elif tok[KIND] in ("char", "run"):
                parts.append(tok[VALUE])
            elif tok[KIND] == "sym" and tok[VALUE] == "\\":  # \\, a line break: a space here
                parts.append(" ")
            elif tok[KIND] == "sym":
                parts.append(SYMBOLS.get(tok[VALUE], (tok[VALUE], ORD))[0])
            else:
                atom = self.command(tok[VALUE])
                if atom is not None:
                    parts.append(atom.text)
                previous_end = max(previous_end, self.tokens[self.pos - 1][END])
        self.problems.append("unbalanced braces: '{' without '}'")
        return "".join(parts)

    # -- scripts --------------------------------------------------------------------
    def attach_script(self, atoms: list[Atom], *, superscript: bool) -> None:
        words_before = self.words_in_text
        content = "".join(a.text for a in self.argument_atoms("^" if superscript else "_"))
        wordy = self.words_in_text > words_before
        self.attach_text(atoms, script(content, superscript=superscript, wordy=wordy))

    def attach_text(self, atoms: list[Atom], text: str) -> None:
        if not atoms or atoms[-1].kind in (SPACE, BIN, TIGHT, REL, PUNCT, OPEN):
            atoms.append(Atom("", ORD))
        base = atoms[-1]
        if base.fraction:
            base.text = f"({base.text})"
            base.fraction = False
        base.text += text
        base.scripted = True

    # -- commands -------------------------------------------------------------------
    def command(self, name: str) -> Atom | None:
        symbol = SYMBOLS.get(name)
        if symbol is not None:
            return Atom(symbol[0], symbol[1])
        if name in FUNCTIONS:
            if name == "arg":  # \arg\min, \arg\max: one operator
                tok = self.peek()
                if tok is not None and tok[KIND] == "cmd" and tok[VALUE] in ("min", "max"):
                    self.pos += 1
                    return Atom("arg" + tok[VALUE], FN)
            return Atom(name, FN)
        if name in IGNORED:
            return None
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            numerator = self.argument(f"\\{name} numerator")
            denominator = self.argument(f"\\{name} denominator")
            return Atom(f"{wrap(numerator)}/{wrap_denominator(denominator)}", ORD,
                         fraction=True)
        if name == "sqrt":
            return self.sqrt()
        if name in TEXT_COMMANDS or name == "operatorname":
            if name == "operatorname":
                star = self.peek()
                if star is not None and star[KIND] == "char" and star[VALUE] == "*":
                    self.pos += 1
            text = self.raw_argument(f"\\{name}")
            if sum(ch.isalpha() for ch in text) >= 2:
                self.words_in_text += 1
            return Atom(text, FN if name == "operatorname" else TEXT)
        if name in PLAIN_FONTS:
            text = self.argument(f"\\{name}")
            if name == "mathrm" and sum(ch.isalpha() for ch in text) >= 2:
                self.words_in_text += 1
            return Atom(text, ORD)
        if name in BOLD_FONTS:
            text = self.argument(f"\\{name}")
            return Atom(map_letters(text, BOLD) if self.bold else text, ORD)
        if name in ("mathcal", "mathscr"):
            return Atom(map_letters(self.argument(f"\\{name}"), SCRIPT_CAPITALS), ORD)
        if name == "mathbb":
            return Atom(map_letters(self.argument("\\mathbb"), DOUBLE_STRUCK), ORD)
        if name in ACCENTS:
            return Atom(accent(self.argument(f"\\{name}"), ACCENTS[name]), ORD)
        if name in ("left", "right", "middle") or name in BIG:
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
            kind = {"mathop": FN, "mathbin": BIN, "mathrel": REL}.get(name, ORD)
            return Atom(text, kind)
        if name in ("underset", "overset", "stackrel"):
            over = self.argument(f"\\{name}")
            base = self.argument(f"\\{name}")
            return Atom(base + script(over, superscript=name != "underset", wordy=False), REL
                         if base in "=≈≤≥→←" else ORD)
        if name in ("binom", "dbinom", "tbinom"):
            n = self.argument(f"\\{name}")
            k = self.argument(f"\\{name}")
            return Atom(f"C({n}, {k})", ORD)
        if name == "substack":
            return Atom(self.raw_argument("\\substack").replace("\n", ","), ORD)
        if name == "not":
            following = self.argument_atoms("\\not")
            text = join(following)
            negated = {"=": "≠", "∈": "∉", "⊂": "⊄", "⊆": "⊈", "≡": "≢", "∃": "∄"}
            kind = following[0].kind if len(following) == 1 else REL
            return Atom(negated.get(text, text + "\u0338"), kind)
        if name in DROP_ARG:
            self.raw_argument(f"\\{name}")
            return None
        if name in ("color", "textcolor"):
            self.raw_argument(f"\\{name}")
            return Atom(self.argument(f"\\{name}"), ORD) if name == "textcolor" else None
        if name in ("pmod", "bmod"):
            if name == "bmod":
                return Atom("mod", BIN)
            return Atom(f"(mod {self.argument('pmod')})", ORD)
        self.problems.append(f"unknown command \\{name}")
        return Atom(f"\\{name}", ORD)

    def sqrt(self) -> Atom:
        index = ""
        tok = self.peek()
        if tok is not None and tok[KIND] == "char" and tok[VALUE] == "[":
            self.pos += 1
            atoms = self.parse_list(stops=("]",))
            closing = self.peek()
            if closing is not None and closing[KIND] == "char" and closing[VALUE] == "]":
                self.pos += 1
            else:
                self.problems.append("\\sqrt[: missing ']'")
            index = join(atoms)
        radicand = self.argument("\\sqrt")
        root = {"": "√", "2": "√", "3": "∛", "4": "∜"}.get(index)
        if root is None:
            root = script(index, superscript=True, wordy=False) + "√"
        return Atom(root + wrap(radicand), ORD)

    def delimiter(self, name: str) -> Atom | None:
        tok = self.peek()
        if tok is None:
            self.problems.append(f"\\{name}: missing delimiter")
            return None
        if tok[KIND] == "run":
            key = tok[VALUE][0]
        elif tok[KIND] in ("cmd", "sym"):
            key = "\\" + tok[VALUE]
        else:
            key = tok[VALUE]
        if key not in DELIMITERS:
            self.problems.append(f"\\{name}: '{key}' is not a delimiter")
            return None
        if tok[KIND] == "run":
            self.take_char()
        else:
            self.pos += 1
        glyph = DELIMITERS[key]
        if name == "left" or name.endswith("l"):
            kind = OPEN
        elif name == "right" or name.endswith("r"):
            kind = CLOSE
        elif glyph in OPENERS:
            kind = OPEN
        elif glyph in CLOSERS:
            kind = CLOSE
        else:
            kind = ORD
        if name == "left":
            self.check_right()
            self.open_lefts += 1
        elif name == "right":
            if self.open_lefts == 0:
                self.problems.append("\\right without a matching \\left")
            else:
                self.open_lefts -= 1
        return Atom(glyph, kind) if glyph else None

    def check_right(self) -> None:
        """Report a ``\\left`` with no ``\\right`` after it at the same depth."""
        depth = 0
        braces = 0
        for tok in self.tokens[self.pos:]:
            if tok[KIND] == "char" and tok[VALUE] == "{":
                braces += 1
            elif tok[KIND] == "char" and tok[VALUE] == "}":
                braces -= 1
                if braces < 0:
                    break
            elif tok[KIND] == "cmd" and tok[VALUE] == "left":
                depth += 1
            elif tok[KIND] == "cmd" and tok[VALUE] == "right":
                if depth == 0:
                    return
                depth -= 1
        self.problems.append("\\left without a matching \\right")

    def environment(self) -> Atom:
        env = self.raw_argument("\\begin").strip()
        if env in ("array", "subarray", "alignat", "alignat*"):
            self.raw_argument(f"{env} column spec")
        rows: list[list[str]] = []
        cells: list[str] = []
        while True:
            cells.append(join(self.parse_list(stops=("&", "\\\\", "end", "}"))))
            tok = self.peek()
            if tok is None:
                self.problems.append(f"\\begin{{{env}}} without \\end{{{env}}}")
                break
            self.pos += 1
            if tok[KIND] == "char" and tok[VALUE] == "&":
                continue
            if tok[KIND] == "sym":  # \\ : next row
                rows.append(cells)
                cells = []
                continue
            if tok[KIND] == "char":  # a stray "}" inside the environment
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
            return Atom("{ " + body, ORD)
        if env in MATRIX_DELIMITERS:
            left, right = MATRIX_DELIMITERS[env]
            body = "; ".join(", ".join(c.strip() for c in r) for r in rows)
            return Atom(left + body + right, ORD)
        if env not in LINE_ENVIRONMENTS:
            self.problems.append(f"unknown environment {env!r}")
        return Atom("\n".join(" ".join(c.strip() for c in r if c.strip()) for r in rows), TEXT)
