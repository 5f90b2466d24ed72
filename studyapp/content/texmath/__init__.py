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

The package has no third-party imports and never raises on any input string. This module
is its whole interface; the work is split by what it does: the tables of glyphs and
commands (:mod:`~studyapp.content.texmath.symbols`), the tokenizer
(:mod:`~studyapp.content.texmath.tokens`), the parser
(:mod:`~studyapp.content.texmath.parser`) and the spacing of the result
(:mod:`~studyapp.content.texmath.layout`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from studyapp.content.texmath.parser import Parser

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
    parser = Parser(tex, bold=bold)
    try:
        text = parser.run()
    except RecursionError:
        # each level of nesting ({…}, \frac, \left … \right) is a level of the parser: a
        # formula nested deeper than Python's stack is a problem, not a crash
        return Rendering("", ("nested too deeply to show",))
    return Rendering(text, tuple(dict.fromkeys(parser.problems)))

