"""Proof by simulation: studying to an exam date with the plan, against Anki's defaults.

``python -m bench.plan`` simulates a learner whose memory follows FSRS with py-fsrs's
default weights: at every review the card is recalled with its retrievability (a draw),
rated Good when recalled, else Again and Good at the 10-minute relearning step. A new
card is rated Good at both learning steps (1 and 10 minutes). The learner studies at
20:00 every day before the exam (days 0 to 59 of 60: the exam is on the morning of day
60) and does every review the day's limit (200, Anki's) offers, then the new cards.

Two policies, both with desired retention 0.9 and the store's own scheduling
(``studyapp.store.scheduling.Scheduling``: py-fsrs, the store's seeded fuzz):

(a) Anki's defaults: 20 new cards a day, no exam date.
(b) this plan: new cards paced by ``studyapp.study.plan`` (spread to the 7th day before
    the exam; when 20 a day cannot finish, the learner takes the plan's offer and raises
    ``new_per_day`` to what it needs), and the store's final-week policy (exam date set:
    a review due after the exam, or in the 7 days before the final week, is made in the
    final week instead).

Measured per run: exam-day recall (mean FSRS retrievability over every card on the exam
morning, an unseen card counting 0), total ratings (every rating, learning steps
included: the learner's effort), the busiest day's ratings. Each scenario runs with
several seeds (``--seeds``, default 5) and the table shows their mean. The plan's own
day-0 forecast for (b) (``planned_recall``) is printed beside the simulated result.

Scenarios: the bundled deck; a deck twice what 20 a day introduces in 60 days (2,400
cards); the bundled deck with a learner who skips one day in seven (a random day of each
week). Then a plot of the daily load of the first scenario (mean over seeds).

What the model leaves out: cards are independent (related cards — a cloze and a 4択 on
the same fact — help each other in real memory, so real recall is higher for both
policies); the learner rates honestly (a learner who rates Good on a half-remembered card
gets longer intervals than memory warrants, and the final week then matters more);
memory follows FSRS's default weights exactly (a real learner's differ, and an optimised
model would be fitted to them); recall on the exam is the same as recall of a card, while
an exam question asks a fact in another form; no time of day, fatigue or sleep effects;
learning steps always succeed.
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import NamedTuple

from studyapp.store.config import Calendar, StoreConfig, load_timezone, to_ms
from studyapp.store.exam import ExamCard, ExamInputs
from studyapp.store.models import REVIEW, Rating
from studyapp.store.scheduling import Scheduling, SrsRow, retrievability
from studyapp.study.plan import build_plan, new_cards_on_days

DAY_MS = 86_400_000
MINUTE_MS = 60_000
START = date(2026, 1, 5)
ANKI_NEW = 20
REVIEW_LIMIT = 200


class Run(NamedTuple):
    recall: float
    ratings: int
    busiest: int
    introduced: int
    load: list[int]
    planned: float | None


def bundled_card_count() -> int:
    from studyapp.content import validate_roots
    from studyapp.paths import content_roots

    library, _ = validate_roots(content_roots(None, None), evaluate=False)
    return sum(len(deck.cards) for deck in library.decks)


def simulate(cards: int, days: int, seed: int, planned: bool, skip_weekly: bool) -> Run:
    """One learner, one policy, ``days`` study days before the exam."""
    rng = random.Random(seed)
    calendar = Calendar(load_timezone("Asia/Tokyo"), 4)
    exam = START + timedelta(days=days)
    config = StoreConfig(exam_date=exam if planned else None)
    scheduling = Scheduling(config)
    keys = [f"card/bench/{seed}-{i}" for i in range(cards)]
    state: list[SrsRow | None] = [None] * cards
    skipped = set()
    if skip_weekly:
        skipped = {week * 7 + rng.randrange(7) for week in range(days // 7 + 1)}
    new_per_day = ANKI_NEW
    forecast = None
    if planned:
        inputs = ExamInputs(START, exam, [ExamCard(k, "bench", k, ("k",), None, False)
                                          for k in keys], 0, ANKI_NEW, config)
        first = build_plan(inputs)
        if first.new_needed_per_day is not None:  # the learner takes home's offer
            new_per_day = first.new_needed_per_day
            first = build_plan(inputs._replace(
                new_limit_left=new_per_day,
                config=replace(config, new_cards_per_day=new_per_day)))
        forecast = first.planned_recall
    introduced = 0
    load = [0] * days
    for offset in range(days):
        if offset in skipped:
            continue
        today = START + timedelta(days=offset)
        now = to_ms(datetime.combine(today, datetime.min.time().replace(hour=20),
                                     tzinfo=calendar.tz))
        end = calendar.end_ms(today)
        due = sorted((s.due, i) for i, s in enumerate(state)
                     if s is not None and s.state == REVIEW and s.due < end)
        ratings = 0
        for _due, i in due[:REVIEW_LIMIT]:
            before = state[i]
            assert before is not None
            recalled = rng.random() < retrievability(before.stability, before.last_review,
                                                     now, scheduling.decay)
            after = scheduling.review(keys[i], before, Rating.Good if recalled
                                      else Rating.Again, now)
            ratings += 1
            if not recalled:  # the relearning step, 10 minutes later
                after = scheduling.review(keys[i], after, Rating.Good, now + 10 * MINUTE_MS)
                ratings += 1
            state[i] = after
            now += 20_000
        if planned:
            counts, _ = new_cards_on_days(cards - introduced, 0, new_per_day,
                                          days - offset, new_per_day)
            new = counts[0] if counts else 0
        else:
            new = min(new_per_day, cards - introduced)
        for i in range(introduced, introduced + new):
            first_step = scheduling.review(keys[i], None, Rating.Good, now)
            state[i] = scheduling.review(keys[i], first_step, Rating.Good,
                                         now + 10 * MINUTE_MS)
            ratings += 2
            now += 20_000
        introduced += new
        load[offset] = ratings
    exam_ms = calendar.start_ms(exam)
    recall = sum(retrievability(s.stability, s.last_review, exam_ms, scheduling.decay)
                 for s in state if s is not None) / cards
    return Run(recall, sum(load), max(load), introduced, load, forecast)


class Row(NamedTuple):
    name: str
    a: list[Run]
    b: list[Run]


def mean(values: Sequence[float]) -> float:
    return statistics.fmean(values)


def plot(a: list[Run], b: list[Run], days: int) -> str:
    """The daily load (ratings, mean over seeds) of both policies, as a terminal plot."""
    import plotext as plt

    xs = list(range(days))
    plt.clear_figure()
    plt.plot_size(100, 22)
    plt.theme("clear")
    plt.plot(xs, [mean([r.load[d] for r in a]) for d in xs], label="(a) Anki defaults",
             marker="dot")
    plt.plot(xs, [mean([r.load[d] for r in b]) for d in xs], label="(b) plan",
             marker="braille")
    plt.title("Daily load: ratings per study day (bundled deck, mean over seeds)")
    plt.xlabel(f"study day (the exam is on the morning of day {days})")
    return plt.uncolorize(plt.build())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.plan", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=5, help="seeds averaged (default 5)")
    parser.add_argument("--seed", type=int, default=1, help="first seed (default 1)")
    parser.add_argument("--days", type=int, default=60)
    parser.add_argument("--no-plot", action="store_true")
    args = parser.parse_args(argv)
    seeds = range(args.seed, args.seed + args.seeds)
    bundled = bundled_card_count()
    big = 2 * ANKI_NEW * args.days
    scenarios = [
        (f"bundled deck ({bundled} cards), every day", bundled, False),
        (f"{big} cards (twice what 20/day introduces), every day", big, False),
        (f"bundled deck ({bundled} cards), skips 1 day in 7", bundled, True),
    ]
    rows = []
    for name, cards, skip in scenarios:
        a = [simulate(cards, args.days, s, planned=False, skip_weekly=skip) for s in seeds]
        b = [simulate(cards, args.days, s, planned=True, skip_weekly=skip) for s in seeds]
        rows.append(Row(name, a, b))

    print(f"Simulated learner, FSRS default weights, {args.days} days to the exam, "
          f"seeds {seeds.start}..{seeds.stop - 1} (mean)")
    print()
    print("| scenario | policy | exam-day recall | cards introduced | total ratings "
          "| busiest day | plan's day-0 forecast |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for row in rows:
        for label, runs in (("(a) Anki defaults", row.a), ("(b) plan", row.b)):
            forecast = ("—" if runs[0].planned is None
                        else f"{mean([r.planned for r in runs if r.planned is not None]):.3f}")
            print(f"| {row.name} | {label} | {mean([r.recall for r in runs]):.3f} "
                  f"| {mean([r.introduced for r in runs]):.0f} "
                  f"| {mean([r.ratings for r in runs]):.0f} "
                  f"| {mean([r.busiest for r in runs]):.0f} | {forecast} |")
    print()
    first, second, third = rows
    checks = [
        ("bundled: (b) recall >= (a)",
         mean([r.recall for r in first.b]) >= mean([r.recall for r in first.a])),
        ("bundled: (b) ratings <= 90% of (a)",
         mean([r.ratings for r in first.b]) <= 0.9 * mean([r.ratings for r in first.a])),
        ("bundled: (b) busiest day <= 1.5x (a)",
         mean([r.busiest for r in first.b]) <= 1.5 * mean([r.busiest for r in first.a])),
        ("big deck: (b) introduces every card",
         all(r.introduced == big for r in second.b)),
        ("big deck: (b) recall >= (a) + 0.10",
         mean([r.recall for r in second.b]) >= mean([r.recall for r in second.a]) + 0.10),
        ("skipping learner: (b) recall > (a)",
         mean([r.recall for r in third.b]) > mean([r.recall for r in third.a])),
    ]
    for label, passed in checks:
        print(f"{'PASS' if passed else 'MISS'}  {label}")
    if not args.no_plot:
        print()
        print(plot(first.a, first.b, args.days))
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
