"""``studyapp stats [--json]``: the learner's progress, as a summary or one JSON object.

The decks are loaded (``--content``, default the bundled ones) and synced to the store
as the app syncs them (:func:`studyapp.context.sync_store`), so that both count the same
cards (new ones, retired ones) and skills, and keywords get their names. ``--json``
prints the pinned keys (``reviews``, ``quiz_attempts``, ``due``; ``docs/store.md``) and
the rest of :meth:`studyapp.store.Store.stats`, plus ``database`` and keyword names.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from rich.cells import cell_len

from studyapp.commands._output import write_report
from studyapp.errors import UserError
from studyapp.render.bars import bar, pad
from studyapp.render.heatmap import heatmap_text
from studyapp.render.numbers import percent
from studyapp.study.ordering import keyword_order, sort_by_keyword_order

#: Weeks of the heatmap: 12 fit 80 columns beside the weekday labels.
HEATMAP_WEEKS = 12


def _load_library(roots: Sequence[Path]) -> Any:
    """The decks (the numeric answers are not needed here, so none is computed)."""
    from studyapp.content import ContentError, validate_roots

    library, problems = validate_roots(roots, evaluate=False)
    if problems:
        raise UserError(f"デッキを読み込めません: {ContentError(problems).message}", 2)
    return library


def _keyword_names(library: Any) -> dict[str, tuple[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    for deck in library.decks:
        for keyword in deck.keywords:
            names.setdefault(keyword.id, (keyword.name, keyword.en))
    return names


def collect(args: argparse.Namespace) -> dict[str, Any]:
    """Load the settings and the decks, open the store, and return the ``--json`` object.

    The settings give the day's limits (``today.new_left`` honours ``new_per_day``) and
    the exam date (``exam``: ``null`` without one); a damaged settings file stops here,
    before the database is opened.
    """
    from studyapp.context import deck_stamp, sync_store
    from studyapp.paths import content_roots
    from studyapp.settings import load_settings
    from studyapp.store import open_store

    settings = load_settings(args.data_dir)
    roots = content_roots(args.content, args.data_dir)
    stamp = deck_stamp(roots)  # before reading, as the app does: a later edit shows next time
    library = _load_library(roots)
    with open_store(args.data_dir, config=settings.store_config()) as store:
        sync_store(store, library, stamp)
        data = store.stats(exam_date=settings.exam_date).to_dict()
        data["exercises"] = _exercises(store)
        data["database"] = str(store.path)
    names = _keyword_names(library)
    # the decks' keywords only (a practice skill also counts toward the deck keywords it
    # trains, but a keyword no loaded deck teaches is not listed)
    data["keywords"] = sort_by_keyword_order(data["keywords"], keyword_order(library.decks),
                                             key=lambda e: e["keyword"], drop_unknown=True)
    for entry in data["keywords"]:
        name, en = names.get(entry["keyword"], (entry["keyword"], None))
        entry["name"], entry["en"] = name, en
    return data


def _exercises(store: Any) -> dict[str, Any]:
    """The code exercises: how many, in each state, and the checks kept."""
    from studyapp.exercises.catalog import EXERCISES

    statuses = store.exercise_statuses([e.id for e in EXERCISES])
    counts = {state: sum(s.status == state for s in statuses)
              for state in ("new", "attempted", "solved", "due")}
    return {"total": len(statuses), **counts, "checks": sum(s.attempts for s in statuses),
            "due_ids": [s.exercise for s in statuses if s.status == "due"]}


LABEL_CELLS = 40  # keyword labels are cut to this many cells: the table fits 80 columns


def _month_day(day: date) -> str:
    return f"{day.month}/{day.day}"


def _heatmap(per_day: list[dict[str, Any]], today: date) -> list[str]:
    """The stats screen's heatmap, as plain lines: the same shade for the same day."""
    counts = {date.fromisoformat(d["date"]): d["reviews"] + d["answers"] for d in per_day}
    text = heatmap_text(counts, today, HEATMAP_WEEKS).plain
    return [f"  {line}".rstrip() for line in text.splitlines()]


def _exam_line(exam: dict[str, Any] | None) -> list[str]:
    """The exam date, the days left and the recall predicted for it (nothing without)."""
    if exam is None:
        return []
    days = exam["days_left"]
    when = (f"あと {days} 日" if days > 0 else "今日" if days == 0
            else f"{-days} 日前に終了")
    return [f"試験      {exam['date']} ({when}) · 予定の復習を続ければ試験日の想起率 "
            f"{percent(exam['predicted_recall'])} (カード {exam['cards']} 枚、"
            f"未学習 {exam['new_cards']} 枚を 0 として)"]


def render(data: dict[str, Any]) -> str:
    """The readable summary (Japanese) of a ``--json`` object."""
    today = date.fromisoformat(data["today"]["date"])
    t, cards, streak = data["today"], data["cards"], data["streak"]
    forecast = " · ".join(
        ("今日" if k == 0 else _month_day(date.fromisoformat(f["date"]))) + f" {f['due']}"
        for k, f in enumerate(data["forecast"])
    )
    retention, accuracy = data["retention"], data["accuracy"]
    lines = [
        f"studyapp の進捗 — {today.isoformat()} "
        f"({data['calendar']['timezone']}、1日の始まり {data['calendar']['day_start_hour']}:00)",
        f"データ: {data['database']}",
        "",
        f"今日      復習待ち {data['due']} 枚 (学習中 {t['learning_due']} · 復習 {t['review_due']})"
        f" · 新規の残り {t['new_left']} 枚",
        f"          今日の記録: 評価 {t['reviews']} 回 (新規 {t['new_cards']}) · "
        f"解答 {t['answers']} 回 · {t['study_minutes']:g} 分",
        f"予定      {forecast}",
        *_exam_line(data["exam"]),
        f"記録      カード評価 {data['reviews']} 回 · 解答 {data['quiz_attempts']} 回 "
        f"(正答率 {percent(accuracy['rate'])}) · 間違いノート {data['mistakes']} 問",
        f"定着率    {percent(retention['rate'])} "
        f"(直近{retention['days']}日の復習 {retention['reviews']} 回中 "
        f"{retention['passed']} 回正解)",
        f"連続学習  {streak['current']} 日 (最長 {streak['longest']} 日)"
        + ("" if streak["studied_today"] or not streak["current"] else " — 今日はまだです"),
        f"カード    {cards['total']} 枚: 新規 {cards['new']} · 学習中 "
        f"{cards['learning'] + cards['relearning']} · 復習 {cards['review']} "
        f"(うち成熟 {cards['mature']})"
        # suspended cards and leeches (card browser, leech_action) when there are any
        + "".join(f" · {label} {cards[key]}" for key, label in
                  (("suspended", "休止"), ("leeches", "リーチ")) if cards.get(key)),
        f"スキル    {data['skills']['total']} 種: 期限 {len(data['skills']['due'])} · "
        f"未練習 {data['skills']['new']}",
        # the kinds listed are the due ones (studyapp generate KIND draws one)
        *([f"          期限のスキル: {', '.join(data['skills']['due'])}"]
          if data["skills"]["due"] else []),
        *([f"コード演習 {ex['total']} 問: 正解済み {ex['solved']} · 挑戦中 {ex['attempted']} · "
           f"期限 {ex['due']} · 未着手 {ex['new']}（採点 {ex['checks']} 回）"]
          if (ex := data.get("exercises")) else []),
    ]
    if data["keywords"]:
        labels = [
            pad(e["name"] + (f" ({e['en']})" if e.get("en") and e["en"] != e["name"] else ""),
                LABEL_CELLS).rstrip()
            for e in data["keywords"]
        ]
        width = max(cell_len(label) for label in labels) + 2
        lines += ["", pad("キーワード別", width + 2) + "習熟度            正答率"]
        for label, e in zip(labels, data["keywords"], strict=True):
            accuracy_text = percent(e["accuracy"])
            if e["attempts"]:
                accuracy_text += f" ({e['correct']}/{e['attempts']})"
            lines.append(
                f"  {pad(label, width)}{bar(e['mastery'], 10)} {e['mastery'] * 100:3.0f}%   "
                f"{accuracy_text}"
            )
    lines += ["", f"直近{HEATMAP_WEEKS}週の学習 (カード評価と解答の回数):"]
    lines += _heatmap(data["reviews_per_day"], today)
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the progress summary (``--json``: one JSON object)."""
    write_report(collect(args), render, getattr(args, "json", False))
    return 0
