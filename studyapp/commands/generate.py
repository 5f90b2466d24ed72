"""``studyapp generate KIND [--count N] [--seed S] [--format json|md] [--level hand|calc]``.

Prints generated practice problems: a JSON list (the pinned form, one object per problem,
seeds S, S+1, …) or a printable Markdown worksheet (the problems with their 4択 options
first, then an answer key with the worked steps). ``--list`` prints the kinds, one per line.
The same arguments print the same bytes.
"""

from __future__ import annotations

import argparse
import json
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from studyapp.commands._output import write_stdout
from studyapp.errors import UserError

if TYPE_CHECKING:
    from engine.problems import Problem

EXIT_USAGE = 2
#: problems one call prints at most (a worksheet, not a data dump)
MAX_COUNT = 100_000


def run(args: argparse.Namespace) -> int:
    """Print the problems ``args`` ask for.

    Parameters
    ----------
    args : argparse.Namespace
        ``kind`` (str or None), ``list`` (bool), ``count`` (int >= 1), ``seed`` (int or
        None: a random first seed), ``format`` ("json" or "md"), ``level`` ("hand"/"calc").

    Returns
    -------
    int
        0.

    Raises
    ------
    UserError
        No KIND, an unknown KIND (with a did-you-mean hint), or seeds past 2³² − 1 (exit 2).
    """
    from engine.problems import KINDS, MAX_SEED, generate, unknown_kind_message

    if args.list:
        write_stdout("".join(f"{kind}\n" for kind in KINDS))
        return 0
    if not args.kind:
        raise UserError(
            "generate: KIND is required; see 'studyapp generate --list' for the kinds",
            EXIT_USAGE,
        )
    if args.kind not in KINDS:
        raise UserError(
            f"generate: {unknown_kind_message(args.kind)}; "
            "see 'studyapp generate --list' for the kinds",
            EXIT_USAGE,
        )
    count = int(args.count)
    if count > MAX_COUNT:
        raise UserError(f"generate: --count is at most {MAX_COUNT:,} per call, got {count:,}",
                        EXIT_USAGE)
    first = secrets.randbelow(MAX_SEED - count + 2) if args.seed is None else int(args.seed)
    last = first + count - 1
    if last > MAX_SEED:
        raise UserError(
            f"generate: seeds {first}..{last} go past {MAX_SEED}; use a smaller --seed or --count",
            EXIT_USAGE,
        )
    problems = [generate(args.kind, seed, args.level) for seed in range(first, last + 1)]
    if args.format == "md":
        write_stdout(worksheet(problems))
    else:
        items = [p.to_dict() for p in problems]
        write_stdout(json.dumps(items, ensure_ascii=False, allow_nan=False, indent=2) + "\n")
    return 0


def worksheet(problems: Sequence[Problem]) -> str:
    """A printable Markdown worksheet: questions with options, then the answer key.

    Parameters
    ----------
    problems : sequence of engine.problems.Problem
        All of one kind and level, as ``generate`` makes them.

    Returns
    -------
    str
        Markdown text ending in a newline.
    """
    from engine.problems import TITLES

    first = problems[0]
    seeds = f"{first.seed}" if len(problems) == 1 else f"{first.seed}–{problems[-1].seed}"
    level = "手計算" if first.level == "hand" else "電卓"
    lines = [
        f"# 練習問題: {TITLES[first.kind]}",
        "",
        f"種類 `{first.kind}` · レベル {level}（{first.level}） · シード {seeds} · "
        f"{len(problems)} 問",
        "",
        "## 問題",
        "",
    ]
    for n, p in enumerate(problems, start=1):
        lines += [f"### 問{n}（`{p.id}`）", "", p.prompt, ""]
        lines += [f"{k}. {choice}" for k, choice in enumerate(p.choices, start=1)]
        lines.append("")
    lines += ["---", "", "## 解答と解説", ""]
    for n, p in enumerate(problems, start=1):
        lines += [
            f"### 問{n}（`{p.id}`）",
            "",
            f"**答え: {p.answer_index + 1}. {p.choices[p.answer_index]}**",
            "",
        ]
        lines += [f"{k}. {step}" for k, step in enumerate(p.steps, start=1)]
        lines.append("")
        if p.distractors:
            lines += ["ほかの選択肢（よくある誤り）:", ""]
            lines += [
                f"- 選択肢{m.choice_index + 1} {p.choices[m.choice_index]} — "
                f"{m.label}: {m.feedback}"
                for m in p.distractors
                if m.choice_index is not None
            ]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"

