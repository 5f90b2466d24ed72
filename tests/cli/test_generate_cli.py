"""``studyapp generate`` as a learner runs it: a subprocess from the repository root."""

from __future__ import annotations

import json
import subprocess

import pytest

from engine.problems import KINDS, generate
from tests.running import studyapp

PINNED_KEYS = ["id", "kind", "seed", "prompt", "data", "answer", "steps", "choices",
               "answer_index"]


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return studyapp("generate", *args, env=env, text=False)


def _refuse(constant: str) -> None:
    raise AssertionError(f"{constant} in the JSON output")


def test_list_prints_one_kind_per_line() -> None:
    result = run("--list")
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().splitlines() == list(KINDS)
    for pinned in ("l1-norm", "l2-norm", "l1-penalty", "l2-penalty", "soft-threshold", "lasso",
                   "ridge", "weight-decay", "dropout", "dropconnect", "early-stopping"):
        assert pinned in KINDS


def test_json_list_with_consecutive_seeds_round_trips() -> None:
    result = run("lasso", "--seed", "42", "--count", "3", "--format", "json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout.decode("utf-8"), parse_constant=_refuse)
    assert [item["id"] for item in items] == ["lasso#42", "lasso#43", "lasso#44"]
    assert [item["seed"] for item in items] == [42, 43, 44]
    for item in items:
        assert list(item)[: len(PINNED_KEYS)] == PINNED_KEYS
        assert item == generate("lasso", item["seed"]).to_dict()
        assert item["choices"][item["answer_index"]]
    assert "ラッソ" in items[0]["prompt"]  # ensure_ascii=False: Japanese as UTF-8, not \\u escapes
    assert b"\\u" not in result.stdout


def test_same_arguments_print_the_same_bytes() -> None:
    for fmt in ("json", "md"):
        first = run("dropout", "--seed", "7", "--count", "4", "--format", fmt)
        second = run("dropout", "--seed", "7", "--count", "4", "--format", fmt)
        assert first.returncode == 0 and first.stdout == second.stdout


def test_default_is_one_json_item_from_a_random_seed() -> None:
    result = run("l2-norm")
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["kind"] == "l2-norm" and 0 <= item["seed"] < 2**32
    assert item == generate("l2-norm", item["seed"]).to_dict()


def test_calc_level_names_its_problems() -> None:
    result = run("ridge", "--seed", "5", "--level", "calc")
    assert result.returncode == 0, result.stderr
    (item,) = json.loads(result.stdout)
    assert item["id"] == "ridge#5@calc" and item["level"] == "calc"


def test_markdown_worksheet_questions_first_then_answer_key() -> None:
    result = run("weight-decay", "--seed", "10", "--count", "3", "--format", "md")
    assert result.returncode == 0, result.stderr
    text = result.stdout.decode("utf-8")
    assert text.startswith("# 練習問題")
    questions, _, key = text.partition("## 解答と解説")
    assert "## 問題" in questions and key
    for n, seed in enumerate(range(10, 13), start=1):
        p = generate("weight-decay", seed)
        assert f"### 問{n}（`weight-decay#{seed}`）" in questions
        assert p.prompt in questions
        for k, choice in enumerate(p.choices, start=1):
            assert f"{k}. {choice}" in questions
        assert f"**答え: {p.answer_index + 1}. {p.choices[p.answer_index]}**" in key
        for step in p.steps:
            assert step in key and step not in questions
        for m in p.distractors:
            assert m.feedback in key
    assert "\\" not in text


def test_output_is_utf8_whatever_the_locale() -> None:
    result = run("l1-norm", "--seed", "1", env={"PYTHONIOENCODING": "ascii", "LC_ALL": "C"})
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.decode("utf-8"))[0]["id"] == "l1-norm#1"


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("lasoo",), "unknown problem kind 'lasoo' (did you mean 'lasso'?)"),
        (("no-such-kind",), "unknown problem kind 'no-such-kind'"),
        ((), "KIND is required"),
        (("l1-norm", "--seed", "4294967295", "--count", "2"), "go past 4294967295"),
        (("l1-norm", "--seed", "-1"), "expected a seed from 0"),
        (("l1-norm", "--seed", "abc"), "expected a whole-number seed"),
        (("l1-norm", "--count", "0"), "at least 1"),
        (("l1-norm", "--format", "xml"), "invalid choice"),
        (("l1-norm", "--level", "exam"), "invalid choice"),
    ],
)
def test_errors_are_one_line_and_exit_2(args: tuple[str, ...], fragment: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    err = result.stderr.decode("utf-8")
    assert err.count("\n") == 1 and fragment in err, err
    assert "Traceback" not in err and result.stdout == b""
