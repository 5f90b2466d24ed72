"""The LaTeX → Unicode converter: one test per construct, and properties over random
formulas built from what it supports."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from studyapp.content.texmath import LATEX_COMMAND, latex_commands, render, tex_to_unicode


def clean(tex: str) -> str:
    """The rendering, asserting that the converter reported no problem."""
    result = render(tex)
    assert result.problems == (), result.problems
    return result.text


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("x_i", "xᵢ"),
        ("x^2", "x²"),
        ("x_{ij}^{2}", "xᵢⱼ²"),
        ("w_{t+1}", "wₜ₊₁"),
        ("x^{-1}", "x⁻¹"),
        ("x^{(t)}", "x⁽ᵗ⁾"),
        ("w_q", "w_q"),  # no subscript q in Unicode: one character needs no parentheses
        ("w_{q1}", "w_(q1)"),
        ("e^{-\\lambda t}", "e^(−λt)"),  # no superscript λ
        ("x^*", "x*"),
        ("f'(x)", "f′(x)"),
        ("\\mathcal{L}_{\\text{total}}", "ℒ_(total)"),  # words stay legible
    ],
)
def test_sub_and_superscripts(tex: str, expected: str) -> None:
    assert clean(tex) == expected


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\|w\\|_2^2", "‖w‖₂²"),
        ("\\| \\boldsymbol{x} \\|_1", "‖x‖₁"),
        ("\\lVert x \\rVert", "‖x‖"),
        ("\\left\\| x \\right\\|", "‖x‖"),
        ("\\Vert x \\Vert_\\infty", "‖x‖_∞"),
        ("\\lvert w_j \\rvert", "|wⱼ|"),
        ("|x_i|", "|xᵢ|"),
    ],
)
def test_norm_bars(tex: str, expected: str) -> None:
    assert clean(tex) == expected


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\sqrt{2}", "√2"),
        ("\\sqrt{a + b}", "√(a + b)"),
        ("\\sqrt{ \\sum_{i=1}^{n} x_i^2 }", "√(∑ᵢ₌₁ⁿ xᵢ²)"),
        ("\\sqrt[3]{8}", "∛8"),
        ("\\sqrt[n]{x}", "ⁿ√x"),
    ],
)
def test_sqrt(tex: str, expected: str) -> None:
    assert clean(tex) == expected


def test_sum_with_limits() -> None:
    assert clean("\\sum_{j=1}^{d} |w_j|") == "∑ⱼ₌₁ᵈ |wⱼ|"
    assert clean("\\lambda \\sum_{j} w_j^2") == "λ ∑ⱼ wⱼ²"
    assert clean("\\prod_{i} p_i") == "∏ᵢ pᵢ"


def test_greek_letters() -> None:
    assert clean("\\lambda \\theta \\eta \\alpha \\sigma \\epsilon") == "λθηασε"
    assert clean("\\Delta w") == "Δw"
    for name in ("alpha", "beta", "gamma", "delta", "mu", "pi", "rho", "tau", "phi", "omega",
                 "Sigma", "Omega", "Lambda"):
        out = clean("\\" + name)
        assert len(out) == 1 and unicodedata.name(out).startswith("GREEK")


def test_bold_vectors() -> None:
    assert clean("\\boldsymbol{w}^\\top \\mathbf{x}_i") == "wᵀxᵢ"
    assert render("\\mathbf{w}", bold=True).text == "𝐰"
    assert render("\\boldsymbol{x}_1", bold=True).text == "𝐱₁"


def test_text_keeps_its_spaces() -> None:
    assert clean("\\text{if } x \\geq 0") == "if x ≥ 0"
    assert clean("\\operatorname{sign}(z)") == "sign(z)"
    assert clean("\\mathrm{d}x") == "dx"


def test_mathcal_and_mathbb() -> None:
    assert clean("\\mathcal{L}") == "ℒ"
    assert clean("\\mathcal{R}(\\theta)") == "ℛ(θ)"
    assert clean("w \\in \\mathbb{R}^{d}") == "w ∈ ℝᵈ"
    assert clean("\\mathbb{E}[x]") == "𝔼[x]"


def test_left_right() -> None:
    assert clean("\\left( y_i - \\boldsymbol{w}^\\top \\boldsymbol{x}_i \\right)^2") == (
        "(yᵢ − wᵀxᵢ)²"
    )
    assert clean("\\left\\{ a \\right\\}") == "{a}"
    assert clean("\\left. \\frac{a}{b} \\right|") == "a/b|"
    assert clean("\\bigl( x \\bigr)") == "(x)"


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\frac{1}{2}", "1/2"),
        ("\\frac{1}{1-p}", "1/(1 − p)"),
        ("\\frac{a+b}{c}", "(a + b)/c"),
        ("x = \\frac{a}{b}", "x = a/b"),
        ("\\frac{\\lambda}{2}\\|w\\|_2^2", "(λ/2)‖w‖₂²"),  # λ/2 applies to the norm
        ("2\\frac{a}{b}", "2(a/b)"),
        ("\\frac{a}{b}^2", "(a/b)²"),
        ("\\frac{\\partial L}{\\partial w}", "∂L/∂w"),
        ("\\dfrac{(a+b)}{2}", "(a + b)/2"),
        # an implicit product below the line is parenthesised: never the ambiguous 1/2n
        ("\\frac{1}{2n}", "1/(2n)"),
        ("\\frac{\\lambda}{2n}", "λ/(2n)"),
        ("\\frac{1}{\\tau\\epsilon}", "1/(τε)"),
        ("\\frac{\\mu_i}{\\mu_i+\\alpha}", "μᵢ/(μᵢ + α)"),
        ("\\frac{x}{\\|w\\|_2}", "x/‖w‖₂"),
        ("\\frac{1}{\\sqrt{v}}", "1/√v"),
        ("\\frac{a}{b_i}", "a/bᵢ"),
    ],
)
def test_frac(tex: str, expected: str) -> None:
    assert clean(tex) == expected


def test_top_and_hat() -> None:
    assert clean("X^\\top X") == "XᵀX"
    assert clean("\\boldsymbol{w}^{\\top}") == "wᵀ"
    assert clean("\\hat{w}") == "ŵ"  # precomposed U+0175
    assert clean("\\hat{\\theta}") == "θ\u0302"
    assert clean("\\hat{\\boldsymbol{w}}_{\\text{ridge}}") == "ŵ_(ridge)"
    assert clean("\\bar{x}") == "x̄"
    assert clean("\\tilde{y}") == "ỹ"


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\lambda \\cdot \\mathcal{R}(\\theta)", "λ·ℛ(θ)"),
        ("h \\odot m", "h ⊙ m"),
        ("a \\leq b \\geq c", "a ≤ b ≥ c"),
        ("a \\le b", "a ≤ b"),
        ("y \\approx 0", "y ≈ 0"),
        ("n \\to \\infty", "n → ∞"),
        ("\\partial L", "∂L"),
        ("\\nabla_w L", "∇_wL"),
        ("a \\quad b", "a  b"),
        ("a \\times b", "a × b"),
        ("w \\leftarrow w - \\eta g", "w ← w − ηg"),
    ],
)
def test_operators_and_symbols(tex: str, expected: str) -> None:
    assert clean(tex) == expected


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        ("\\min_{\\boldsymbol{w}} f(w)", "min_w f(w)"),
        ("\\max(0, |z| - t)", "max(0, |z| − t)"),
        ("\\arg\\min_{w} L", "argmin_w L"),
        ("\\operatorname*{argmax}_w L", "argmax_w L"),
        ("\\log x", "log x"),
        ("\\exp(-x)", "exp(−x)"),
    ],
)
def test_named_operators(tex: str, expected: str) -> None:
    assert clean(tex) == expected


def test_unary_and_binary_minus() -> None:
    assert clean("-x") == "−x"
    assert clean("a - b") == "a − b"
    assert clean("a = -b") == "a = −b"
    assert clean("(-1)^n") == "(−1)ⁿ"
    assert clean("z < -t") == "z < −t"


def test_source_formulas_of_the_notes() -> None:
    """The formulas of the learner's source notes, as written there."""
    assert clean(
        "\\mathcal{L}_{\\text{total}} = \\mathcal{L}_{\\text{data}} + \\lambda \\cdot "
        "\\mathcal{R}(\\theta)"
    ) == "ℒ_(total) = ℒ_(data) + λ·ℛ(θ)"
    assert clean(
        "\\min_{\\boldsymbol{w}} \\left\\{ \\sum_{i=1}^{N} \\left( y_i - \\boldsymbol{w}^\\top "
        "\\boldsymbol{x}_i \\right)^2 + \\lambda \\sum_{j=1}^{d} |w_j| \\right\\}"
    ) == "min_w {∑ᵢ₌₁ᴺ (yᵢ − wᵀxᵢ)² + λ ∑ⱼ₌₁ᵈ |wⱼ|}"
    assert clean("\\sum_{j=1}^{d} \\lvert\\theta_j\\lvert") == "∑ⱼ₌₁ᵈ |θⱼ|"
    assert clean("\\| \\boldsymbol{x} \\|_2 = \\sqrt{ \\sum_{i=1}^{n} x_i^2 }") == (
        "‖x‖₂ = √(∑ᵢ₌₁ⁿ xᵢ²)"
    )


def test_environments() -> None:
    assert clean(
        "S(z, t) = \\begin{cases} z - t & z > t \\\\ 0 & |z| \\leq t \\\\ z + t & z < -t "
        "\\end{cases}"
    ) == "S(z, t) = { z − t, z > t; 0, |z| ≤ t; z + t, z < −t"
    assert clean("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}") == "(1, 2; 3, 4)"
    assert clean("\\begin{aligned} a &= b \\\\ c &= d \\end{aligned}") == "a = b\nc = d"


@pytest.mark.parametrize(
    ("tex", "problem"),
    [
        ("\\foo x", "unknown command \\foo"),
        ("\\frac{1}{2", "unbalanced braces: '{' without '}'"),
        ("x}", "unbalanced braces: '}' without '{'"),
        ("\\left( x", "\\left without a matching \\right"),
        ("x \\right)", "\\right without a matching \\left"),
        ("$x$", "'$' signs"),
        ("\\begin{cases} a", "\\begin{cases} without \\end{cases}"),
        ("\\begin{foo} a \\end{foo}", "unknown environment 'foo'"),
        ("\\frac{1}", "missing argument"),
        ("\\left\\foo x \\right)", "is not a delimiter"),
    ],
)
def test_problems_are_reported(tex: str, problem: str) -> None:
    result = render(tex)
    assert any(problem in p for p in result.problems), result.problems


def test_unknown_command_survives_so_tests_can_see_it() -> None:
    assert latex_commands(tex_to_unicode("a + \\foo")) == ["\\foo"]


def test_latex_commands_finds_commands_only() -> None:
    assert latex_commands("λ = 0.1, \\lambda \\| x") == ["\\lambda"]


# --------------------------------------------------------------------------- properties

_ATOMS = st.sampled_from(
    ["x", "w", "y", "1", "2", "0.5", "\\lambda", "\\theta", "\\eta", "\\alpha", "\\infty",
     "\\partial L", "\\nabla f", "\\|w\\|_2", "|z|", "\\mathcal{L}", "\\mathbb{R}",
     "\\boldsymbol{w}", "\\mathbf{x}", "\\hat{w}", "\\text{data}", "\\top", "\\cdots"]
)
_BINARY = st.sampled_from(
    ["+", "-", "=", "\\cdot", "\\odot", "\\leq", "\\geq", "\\in", "\\approx", "\\times", ",",
     "\\quad", "\\to"]
)


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, _BINARY, inner).map(" ".join),
        st.tuples(inner, inner).map(lambda t: f"\\frac{{{t[0]}}}{{{t[1]}}}"),
        inner.map(lambda a: f"\\sqrt{{{a}}}"),
        st.tuples(inner, inner).map(lambda t: f"{{{t[0]}}}_{{{t[1]}}}"),
        st.tuples(inner, inner).map(lambda t: f"{{{t[0]}}}^{{{t[1]}}}"),
        inner.map(lambda a: f"\\left( {a} \\right)"),
        inner.map(lambda a: f"\\sum_{{i=1}}^{{n}} {a}"),
        inner.map(lambda a: f"\\min_{{w}} {a}"),
        inner.map(lambda a: f"\\boldsymbol{{{a}}}"),
    )


FORMULAS = st.recursive(_ATOMS, _extend, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(FORMULAS)
def test_supported_formulas_render_without_backslash_or_braces(tex: str) -> None:
    result = render(tex)
    assert result.problems == ()
    assert not LATEX_COMMAND.search(result.text)
    assert "{" not in result.text and "}" not in result.text
    assert "\\" not in result.text


_PIECES = st.sampled_from(
    [*"\\{}^_&$ ax1()[]|-+=", "\\frac", "\\left", "\\right", "\\begin{cases}",
     "\\end{cases}", "\\\\", "\\sqrt", "\\text{", "\\hat", "\\mathcal"]
)


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(max_size=40), st.lists(_PIECES, max_size=30).map("".join)))
def test_any_input_renders_without_raising(tex: str) -> None:
    result = render(tex)
    assert isinstance(result.text, str)
    if not result.problems:
        assert not LATEX_COMMAND.search(result.text)


def test_a_line_break_inside_text_is_a_space_not_a_backslash() -> None:
    """Hypothesis found ``\\text{\\\\A}`` printing ``\\A``: a backslash on screen."""
    assert render(r"\text{\\A}") == render(r"\text{ A}")
    assert render(r"\text{x\\y}").text == "x y"


@given(st.text(alphabet="0123456789+-=()", min_size=1, max_size=6))
def test_script_digits_use_unicode_glyphs(digits: str) -> None:
    sub = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
    sup = str.maketrans("0123456789+-=()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾")
    assert render(f"x_{{{digits}}}").text == "x" + digits.translate(sub)
    assert render(f"x^{{{digits}}}").text == "x" + digits.translate(sup)


@given(st.text(alphabet=st.one_of(st.characters(categories=("L", "N")), st.just(" ")),
               max_size=20))
def test_text_argument_is_kept_verbatim(words: str) -> None:
    """Letters, digits and spaces of \\text{…} come out as written (ends trimmed)."""
    assert tex_to_unicode(f"\\text{{{words}}}") == words.strip()


def test_schema_doc_examples_are_what_the_converter_shows() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "content-schema.md"
    pairs = re.findall(r"^tex:   (.+)\nshown: (.+)$", doc.read_text(encoding="utf-8"),
                       flags=re.MULTILINE)
    assert len(pairs) >= 5
    for tex, shown in pairs:
        assert clean(tex) == shown
