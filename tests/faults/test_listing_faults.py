"""A code question's ``listing:`` and ``check.run:`` as untrusted text: ``validate`` only
parses them (never runs them), in bounded time, and refuses what it cannot parse in one
``FILE:LINE`` line; no path of the app or the command line executes them.

Failed first: a listing of 150,000 lines (2.4 MB, under the item text limit) was parsed
whole by ``ast.parse``: eight of them took 13 s and 430 MB at every ``validate`` (and
every start of the app on that deck). The bound is now :data:`MAX_LISTING_LINES` lines for
a listing and for ``check.run``. The other cases held already.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.running import ROOT, ok, studyapp

DECK = (ROOT / "content" / "regularization" / "deck.yaml").read_text(encoding="utf-8")

QUESTION = """\
  - id: {id}
    type: code
    keywords: [dropout]
    prompt: 次のリストの【ア】に入るものとして正しいものはどれか。
    listing: |
{listing}
    choices:
      - "y = x * mask"
      - "y = x + mask"
      - "y = x - mask"
      - "y = x / mask"
    answer: 0
    check:
      given:
        x: [1.0, 2.0]
        mask: [1.0, 0.0]
      run: |
{run}
      expect:
        fn: dropout_apply
        args: {{x: [1.0, 2.0], mask: [1.0, 0.0], p: 0.0, inverted: false}}
    explanation: マスクを掛けて落とすユニットを 0 にする。
"""

LISTING = ["def forward(x, mask):", "    【ア】", "    return y", "", "z = 0"]


def deck_with(root: Path, listing: list[str], run: list[str], count: int = 1) -> Path:
    items = "".join(
        QUESTION.format(id=f"listing-{k}",
                        listing="\n".join("      " + line for line in listing),
                        run="\n".join("        " + line for line in run))
        for k in range(count))
    (root / "mini").mkdir(parents=True)
    (root / "mini" / "deck.yaml").write_text(DECK, encoding="utf-8")
    (root / "mini" / "items.yaml").write_text("questions:\n" + items, encoding="utf-8")
    return root


def problems(result) -> list[str]:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = (result.stdout + result.stderr).strip().splitlines()
    found = [line for line in lines if re.match(r"\S*items\.yaml:\d+: ", line)]
    assert found, lines
    return found


def test_a_sound_listing_validates(tmp_path: Path) -> None:
    ok(studyapp("validate", "--content", str(deck_with(tmp_path, LISTING,
                                                          ["out = forward(x, mask)"]))))


def test_a_listing_of_thousands_of_lines_is_refused_with_its_line(tmp_path: Path) -> None:
    listing = [*LISTING[:3], *["x = 1"] * 150_000]
    result = studyapp("validate", "--content",
                      str(deck_with(tmp_path, listing, ["out = forward(x, mask)"], count=8)),
                      limit_memory=True)
    found = problems(result)
    assert len(found) == 8 and all("listing" in line and "lines" in line for line in found)


def test_a_run_of_thousands_of_lines_is_refused(tmp_path: Path) -> None:
    run = ["out = forward(x, mask)"] + ["w = 1"] * 150_000
    found = problems(studyapp("validate", "--content", str(deck_with(tmp_path, LISTING, run)),
                              limit_memory=True))
    assert any("run" in line and "lines" in line for line in found)


@pytest.mark.parametrize(("where", "text"), [
    ("run", "out = " + "-" * 50_000 + "1"),            # MemoryError in the parser
    ("run", "out = a" + "[0]" * 50_000),              # RecursionError building the tree
    ("run", "out = " + "(" * 300 + "1" + ")" * 300),  # too many nested parentheses
    ("run", "out = 1 +" + " 1 +" * 100_000 + " 1"),
    ("run", "out = lambda: " * 20_000 + "1"),
    ("run", 'out = f"{' * 200 + "1" + '}"' * 200),
    ("run", "out = __import__('os').system('touch PWNED')\nout = 1\n" + "(" * 10),
    ("listing", "x = " + "[" * 300 + "]" * 300),
], ids=lambda value: repr(value[:20]))
def test_code_python_cannot_parse_is_one_line_and_nothing_runs(
    tmp_path: Path, where: str, text: str
) -> None:
    listing, run = LISTING, ["out = forward(x, mask)"]
    if where == "run":
        run = text.splitlines()
    else:
        listing = [*LISTING[:3], text, *LISTING[3:]]
    result = studyapp("validate", "--content", str(deck_with(tmp_path / "c", listing, run)),
                      cwd=tmp_path)
    found = problems(result)
    assert any("not valid Python" in line for line in found)
    assert not (tmp_path / "PWNED").exists()


def test_a_listing_that_would_write_a_file_is_never_run(tmp_path: Path) -> None:
    """validate, export md and anki show the listing and the harness; none runs them."""
    marker = tmp_path / "PWNED"
    listing = ["def forward(x, mask):", "    【ア】", "    return y", "",
               f"open({str(marker)!r}, 'w').write('ran')"]
    run = [f"open({str(marker)!r}, 'w').write('ran')", "out = forward(x, mask)"]
    content = deck_with(tmp_path / "c", listing, run)
    ok(studyapp("validate", "--content", str(content)))
    for command in (("export", "md", str(tmp_path / "out.md")),
                    ("export", "anki", str(tmp_path / "out.apkg"))):
        result = studyapp("--content", str(content), *command, data=tmp_path / "data")
        assert "Traceback" not in result.stderr
    assert not marker.exists()
