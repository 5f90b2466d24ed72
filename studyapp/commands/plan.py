"""``studyapp plan [--json]``: the study plan to the exam date (:mod:`studyapp.study.plan`).

The decks are loaded and synced as ``studyapp stats`` does, so both count the same cards;
the settings give the exam date and the daily limit. ``--json`` prints one object with
``exam_date``, ``days_left``, ``new_left``, ``new_per_day``, ``predicted_recall``,
``keywords`` (``{keyword, predicted_recall, …}``, with the keywords' names) and ``days``
(``{date, new, reviews}`` from today to the day before the exam), then the rest.

Without an exam date, or with one already past, one line and exit 2.
"""

from __future__ import annotations

import argparse
from typing import Any

from studyapp.commands._output import write_report
from studyapp.errors import UserError
from studyapp.render.numbers import percent

NO_EXAM_DATE = ("試験日が設定されていません: studyapp config exam_date YYYY-MM-DD で "
                "exam_date を設定してください")


def collect(args: argparse.Namespace) -> dict[str, Any]:
    """The ``--json`` object (settings, decks and store as ``studyapp stats`` reads them)."""
    from studyapp.commands.stats import _keyword_names, _load_library
    from studyapp.context import deck_stamp, sync_store
    from studyapp.paths import content_roots
    from studyapp.settings import load_settings
    from studyapp.store import open_store
    from studyapp.study.ordering import keyword_order, sort_by_keyword_order
    from studyapp.study.plan import plan_for

    settings = load_settings(args.data_dir)
    if settings.exam_date is None:
        raise UserError(NO_EXAM_DATE, 2)
    roots = content_roots(args.content, args.data_dir)
    stamp = deck_stamp(roots)
    library = _load_library(roots)
    with open_store(args.data_dir, config=settings.store_config()) as store:
        today = store.today()
        if settings.exam_date < today:
            raise UserError(f"試験日 {settings.exam_date.isoformat()} は過ぎています "
                            f"(今日は {today.isoformat()}): studyapp config exam_date で"
                            " 次の試験日を設定してください", 2)
        sync_store(store, library, stamp)
        data = plan_for(store, settings.exam_date).to_dict()
    names = _keyword_names(library)
    data["keywords"] = sort_by_keyword_order(data["keywords"], keyword_order(library.decks),
                                             key=lambda e: e["keyword"], drop_unknown=True)
    for entry in data["keywords"]:
        entry["name"] = names.get(entry["keyword"], (entry["keyword"], None))[0]
    return data


def render(data: dict[str, Any]) -> str:
    """The readable plan (Japanese)."""
    days_left = data["days_left"]
    lines = [
        f"試験日    {data['exam_date']} (" + ("今日" if days_left == 0
                                              else f"試験まで {days_left} 日") + ")",
        f"新規      残り {data['new_left']} 枚 · 計画 1日 {data['new_pace']} 枚"
        f" (new_per_day = {data['new_per_day']})",
    ]
    if data["new_needed_per_day"] is not None:
        lines.append(f"          このままでは間に合いません: 1日 {data['new_needed_per_day']} 枚"
                     f"必要です (studyapp config new_per_day {data['new_needed_per_day']})")
    if data["asap"] and days_left > 0 and data["new_left"]:
        lines.append("          試験まで7日を切っています: 新規カードはできるだけ早く")
    if data["new_unplanned"]:
        lines.append(f"          試験までに出せない新規カード: {data['new_unplanned']} 枚")
    lines.append(f"想起率    試験日の予測 {percent(data['predicted_recall'])}"
                 f" (未学習を 0 として) · 計画どおりなら {percent(data['planned_recall'])}")
    weakest = sorted(data["keywords"], key=lambda k: k["predicted_recall"])[:3]
    if weakest:
        lines.append("弱い分野  " + " · ".join(
            f"{k['name']} {percent(k['predicted_recall'])}" for k in weakest))
    if data["days"]:
        lines += ["", "日付         新規   復習"]
        lines += [f"{d['date']}  {d['new']:5d}  {d['reviews']:5d}" for d in data["days"]]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print the plan (``--json``: one JSON object)."""
    write_report(collect(args), render, getattr(args, "json", False))
    return 0
