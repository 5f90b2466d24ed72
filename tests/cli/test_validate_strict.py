"""``studyapp validate`` and ``--strict``: the shares of four-option questions whose keyed
option is strictly the longest, the shortest or neither, per deck and per keyword, and
cloze gaps too long to recall word for word. Run as the learner runs it: a subprocess."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.content.conftest import DECK_YAML
from tests.running import studyapp

# the keyed option (index 0) strictly the longest; between the others in length (SHORT:
# neither the longest nor the shortest); strictly the shortest; tied for the longest
LONGEST = ["絶対値の総和をとる", "二乗和", "最大値", "個数"]
SHORT = ["絶対値の和", "二乗の総和たち", "成分の最大値の値", "個数"]
SHORTEST = ["和", "二乗の総和", "成分の最大値", "非零の成分の個数"]
TIED = ["絶対値の和", "二乗の総和", "最大値", "個数"]


def choice(qid: str, keywords: str, options: list[str], qtype: str = "choice") -> str:
    lines = [f"  - id: {qid}", f"    type: {qtype}", f"    keywords: [{keywords}]",
             "    prompt: L1ノルムの定義は?", "    choices:"]
    lines += [f"      - {text}" for text in options]
    lines += ["    answer: 0", "    explanation: 各成分の絶対値を足す。"]
    if qtype == "multi":
        lines[-2] = "    answer: [0]"
    return "\n".join(lines) + "\n"


def code(qid: str, keywords: str, longest: bool) -> str:
    keyed = "out = np.abs(x).sum()" if longest else "out = abs(x).sum()"
    return (f"  - id: {qid}\n    type: code\n    keywords: [{keywords}]\n"
            "    prompt: L1ノルムを求めるコードは?\n    choices:\n"
            f'      - "{keyed}"\n      - "out = (x ** 2).sum()"\n'
            '      - "out = np.max(x)"\n      - "out = x.sum()"\n    answer: 0\n'
            "    check:\n      given: {x: [1.0, -2.0]}\n"
            "      expect: {fn: l1_norm, args: {x: [1.0, -2.0]}}\n"
            "    explanation: 絶対値の和。\n")


def make(tmp_path: Path, questions: list[str], cards: str = "") -> Path:
    folder = tmp_path / "content" / "t"
    folder.mkdir(parents=True)
    (folder / "deck.yaml").write_text(DECK_YAML, encoding="utf-8")
    (folder / "items.yaml").write_text(cards + "questions:\n" + "".join(questions),
                                       encoding="utf-8")
    return tmp_path / "content"


def validate(root: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return studyapp("validate", "--content", str(root), *flags, cwd=root)


def test_the_share_is_printed_after_the_ok_line(tmp_path: Path) -> None:
    root = make(tmp_path, [choice("q1", "norm", LONGEST), choice("q2", "dropout", SHORT),
                           choice("q3", "lasso", TIED), code("q4", "norm", True),
                           choice("q5", "norm", LONGEST, "multi")])
    result = validate(root)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [
        "OK: 1 deck, 0 cards, 5 questions (3 choice, 1 code, 1 multi), 3 keywords",
        "keyed option strictly longest: 2 of 4 four-option questions (50%)",
        "keyed option strictly shortest: 0 (0%), neither: 2 (50%)",
    ]
    assert result.stderr == ""


def test_the_share_is_printed_before_the_count_of_problems(tmp_path: Path) -> None:
    root = make(tmp_path, [choice("q1", "norm", LONGEST), choice("q2", "dropout", SHORT),
                           choice("q3", "nope", SHORT)])
    result = validate(root)
    assert result.returncode == 2
    # stdout keeps one FILE:LINE line per problem; the share goes before the count
    assert len(result.stdout.splitlines()) == 1
    assert result.stdout.startswith("t/items.yaml:")
    assert result.stderr.splitlines() == [
        "keyed option strictly longest: 1 of 2 four-option questions (50%)",
        "keyed option strictly shortest: 0 (0%), neither: 1 (50%)",
        "1 problem in 1 file",
    ]


def test_strict_refuses_a_deck_above_thirty_percent(tmp_path: Path) -> None:
    # 4 of 10 (40 %), while each keyword holds at most half of its own
    questions = [choice(f"q{i}", kw, LONGEST if i < 4 else SHORT)
                 for i, kw in enumerate(["norm", "dropout", "lasso", "norm", "norm",
                                         "dropout", "lasso", "norm", "dropout", "lasso"])]
    root = make(tmp_path, questions)
    assert validate(root).returncode == 0
    result = validate(root, "--strict")
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "t/deck.yaml:1: deck 't': the keyed option is strictly the longest in 4 of 10 "
        "four-option questions (40%), above 30%: learners learn to pick the longest option; "
        "shorten the keyed options or lengthen the wrong ones (q0, q1, q2, q3)",
    ]
    assert result.stderr == (
        "keyed option strictly longest: 4 of 10 four-option questions (40%)\n"
        "keyed option strictly shortest: 0 (0%), neither: 6 (60%)\n"
        "1 problem in 1 file\n")


def test_strict_accepts_thirty_percent(tmp_path: Path) -> None:
    questions = [choice(f"q{i}", ["norm", "dropout", "lasso"][i % 3],
                        LONGEST if i in (0, 1, 2) else SHORT) for i in range(10)]
    result = validate(make(tmp_path, questions), "--strict")
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-2:] == [
        "keyed option strictly longest: 3 of 10 four-option questions (30%)",
        "keyed option strictly shortest: 0 (0%), neither: 7 (70%)"]


def test_strict_refuses_a_keyword_with_more_than_half(tmp_path: Path) -> None:
    # norm: q0, q1 and the code question q9 of its 4; dropout: 1 of its 10 (q3 is a tie);
    # lasso: 1 of 8; the deck: 4 of 14 (29 %, not above 30 %); r0 strictly the shortest,
    # so the deck's middle share is 9 of 14 (64 %, not above 70 %)
    questions = [choice("q0", "norm", LONGEST), choice("q1", "norm, dropout", LONGEST),
                 choice("q2", "norm", SHORT), choice("q3", "dropout", TIED),
                 choice("q4", "lasso", LONGEST)]
    questions += [choice(f"r{i}", "lasso, dropout" if i else "dropout",
                         SHORT if i else SHORTEST) for i in range(8)]
    questions += [code("q9", "norm", True)]
    root = make(tmp_path, questions)
    result = validate(root, "--strict")
    assert result.returncode == 2, result.stdout
    assert result.stdout.splitlines() == [
        "t/deck.yaml:4: keyword 'norm': the keyed option is strictly the longest in 3 of its "
        "4 four-option questions, more than half: shorten the keyed options or lengthen the "
        "wrong ones (q0, q1, q9)",
    ]
    assert result.stderr.splitlines()[0] == (
        "keyed option strictly longest: 4 of 14 four-option questions (29%)")


def test_a_keyword_at_exactly_half_is_fine(tmp_path: Path) -> None:
    root = make(tmp_path, [choice("q0", "norm", LONGEST), choice("q1", "norm", SHORT)] + [
        choice(f"r{i}", "dropout", SHORT) for i in range(3)])
    assert validate(root, "--strict").returncode == 0


CARDS = """\
cards:
  - id: c1
    keywords: [norm]
    cloze: L1ノルムは{{c1::各成分の絶対値を全部足し合わせたもの重みを疎にする}}。
  - id: c2
    keywords: [norm]
    cloze: |
      L2ノルムは
      {{c1::二乗和の平方根}}、その二乗は
      {{c2::各成分の二乗を全部足し合わせたものでリッジの罰則}}。
  - id: c3
    keywords: [norm]
    cloze: L∞ノルムは{{c1::各成分の絶対値のうちで最大のもの、最大値}}。
"""


def test_strict_refuses_long_cloze_gaps_at_their_line(tmp_path: Path) -> None:
    root = make(tmp_path, [choice("q0", "norm", SHORT)], cards=CARDS)
    assert validate(root).returncode == 0
    result = validate(root, "--strict")
    assert result.returncode == 2
    assert result.stdout.splitlines()[:2] == [
        "t/items.yaml:4: card 'c1': cloze gap c1 is 25 characters; at most 20 can be "
        "recalled word for word",
        "t/items.yaml:10: card 'c2': cloze gap c2 is 24 characters; at most 20 can be "
        "recalled word for word",
    ]
    assert len(result.stdout.splitlines()) == 2  # c3's gap is 20 characters: fine


def test_strict_refuses_a_deck_whose_keyed_option_is_mostly_in_the_middle(tmp_path: Path) -> None:
    """Ruling out the longest and the shortest option must not pay: 8 of 10 in the middle
    (80 %) is refused, while each keyword and the longest share are fine."""
    questions = [choice(f"q{i}", ["norm", "dropout", "lasso"][i % 3],
                        LONGEST if i == 0 else SHORTEST if i == 1 else SHORT)
                 for i in range(10)]
    root = make(tmp_path, questions)
    assert validate(root).returncode == 0
    result = validate(root, "--strict")
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "t/deck.yaml:1: deck 't': the keyed option is neither the longest nor the shortest "
        "in 8 of 10 four-option questions (80%), above 70%: learners learn to rule out the "
        "longest and the shortest option; let the keyed option be the longest or the "
        "shortest more often",
    ]


def test_strict_refuses_a_deck_and_a_keyword_whose_keyed_option_is_mostly_the_shortest(
        tmp_path: Path) -> None:
    questions = [choice(f"q{i}", "norm" if i < 3 else ["dropout", "lasso"][i % 2],
                        SHORTEST if i < 4 else LONGEST if i < 6 else SHORT)
                 for i in range(10)]
    result = validate(make(tmp_path, questions), "--strict")
    assert result.returncode == 2
    assert result.stdout.splitlines() == [
        "t/deck.yaml:1: deck 't': the keyed option is strictly the shortest in 4 of 10 "
        "four-option questions (40%), above 30%: learners learn to pick the shortest option; "
        "lengthen the keyed options or shorten the wrong ones (q0, q1, q2, q3)",
        "t/deck.yaml:4: keyword 'norm': the keyed option is strictly the shortest in 3 of "
        "its 3 four-option questions, more than half: lengthen the keyed options or shorten "
        "the wrong ones (q0, q1, q2)",
    ]
