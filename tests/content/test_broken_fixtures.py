"""Each file of fixtures/broken/ holds exactly one kind of problem: the validator must
report it with the right file, line and message, alone and alongside the others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from studyapp.content import ContentError, load_content, validate_content

BROKEN = Path(__file__).parent / "fixtures" / "broken"

# file -> (line, substrings the message must contain)
EXPECTED: dict[str, tuple[int, tuple[str, ...]]] = {
    "yaml_syntax.yaml": (4, ("YAML syntax error", "mapping values are not allowed",
                             "put the value in quotes")),
    "duplicate_key.yaml": (6, ("duplicate key 'front'", "first at line 4")),
    "duplicate_id.yaml": (6, ("card 'dupid-card'", "duplicate id", "first defined at line 2")),
    "unknown_field.yaml": (4, ("card 'unknown-field-card'", "unknown field 'fornt'",
                               "did you mean 'front'?")),
    "missing_field.yaml": (2, ("question 'missing-field-q'",
                               "missing required field 'explanation'")),
    "wrong_type.yaml": (3, ("card 'wrong-type-card'", "'keywords' must be a non-empty list",
                            "got the text 'norm'")),
    "unknown_keyword.yaml": (5, ("card 'unknown-keyword-card'",
                                 "unknown keyword 'l1-regularisation'",
                                 "did you mean 'l1-regularization'?")),
    "answer_out_of_range.yaml": (11, ("question 'out-of-range-q'", "answer 4 is out of range",
                                      "4 choices, indices 0–3")),
    "unknown_compute.yaml": (7, ("question 'unknown-compute-q'",
                                 "unknown compute function 'l2norm'",
                                 "did you mean 'l2_norm'?")),
    "numeric_disagrees.yaml": (7, ("question 'disagree-q'", "answer 7 disagrees with the engine",
                                   "l2_norm gives 5")),
    "latex_in_text.yaml": (5, ("question 'latex-q'", "'prompt'", "LaTeX commands \\lambda, \\sum",
                               "λ for \\lambda", "tex:")),
}


def test_every_fixture_file_is_listed() -> None:
    files = {p.name for p in BROKEN.glob("*.yaml")} - {"deck.yaml"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_alone_gives_its_problem(name: str, tmp_path: Path) -> None:
    deck = tmp_path / "deck"
    deck.mkdir()
    shutil.copy(BROKEN / "deck.yaml", deck / "deck.yaml")
    shutil.copy(BROKEN / name, deck / name)

    library, problems = validate_content(tmp_path)

    assert len(problems) == 1, "\n".join(map(str, problems))
    problem = problems[0]
    line, fragments = EXPECTED[name]
    assert problem.file == deck / name
    assert problem.line == line
    for fragment in fragments:
        assert fragment in problem.message
    assert str(problem).startswith(f"{deck / name}:{line}: ")
    # The broken item is left out; the deck itself (its header is valid) is kept.
    assert [d.id for d in library.decks] == ["broken"]
    with pytest.raises(ContentError) as caught:
        load_content(tmp_path)
    assert caught.value.problems == problems


def test_whole_broken_folder_reports_each_file_once() -> None:
    _, problems = validate_content(BROKEN)
    by_file = {p.file.name: p for p in problems}
    assert len(problems) == len(EXPECTED)
    assert set(by_file) == set(EXPECTED)
    for name, (line, fragments) in EXPECTED.items():
        assert by_file[name].line == line
        assert all(f in by_file[name].message for f in fragments)
    # Problems come out in file order, each file's in line order.
    assert [p.file.name for p in problems] == sorted(by_file)

