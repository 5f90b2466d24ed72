"""Benchmark of the progress store on a heavy history.

``python -m bench.store`` builds a database of 1,000,000 synthetic flashcard reviews over
10,000 cards (two years, spread uniformly over every quarter hour: the worst case for the
per-day tables), 500 questions with 50,000 answers and 11 practice skills, then times the
operations the app waits on and prints the median of several runs of each:

- the due queue (``Store.due_queue``: learning, review and new cards), target < 100 ms;
- the stats summary (``Store.stats``: everything ``studyapp stats`` shows), target < 100 ms;
- recording one rating (``Store.rate_card``, committed with ``synchronous=FULL``), < 5 ms;

and, for information, the home screen summary, undo and opening the file.

Options: ``--reviews N``, ``--cards N``, ``--runs N``, ``--keep DIR`` (keep the database
there instead of a temporary folder).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from studyapp.store import ItemRef, Rating, Store
from studyapp.store.config import to_ms
from studyapp.store.schema import BUCKET_MS

DAY_MS = 86_400_000
KEYWORDS = (
    "regularization-term", "l1-regularization", "lasso", "l2-regularization", "ridge", "norm",
    "weight-decay", "dropout", "dropconnect", "sparse-representation", "early-stopping",
    "implicit-regularization",
)
SKILLS = ("l1-norm", "l2-norm", "l1-penalty", "l2-penalty", "soft-threshold", "lasso", "ridge",
          "weight-decay", "dropout", "dropconnect", "early-stopping")


def build(path: Path, n_reviews: int, n_cards: int, now_ms: int, seed: int = 0) -> None:
    """Write the synthetic history straight into a fresh store (bulk SQL, no FSRS per row)."""
    rng = np.random.default_rng(seed)
    kw = rng.integers(0, len(KEYWORDS), size=(n_cards, 2))
    cards = [ItemRef("bench", f"card-{i:05d}", tuple({KEYWORDS[a], KEYWORDS[b]}))
             for i, (a, b) in enumerate(kw)]
    questions = [ItemRef("bench", f"question-{i:04d}", (KEYWORDS[i % len(KEYWORDS)],))
                 for i in range(500)]
    with Store(path) as store:
        store.sync_content(cards, questions)
        store.sync_skills([ItemRef("", s, (KEYWORDS[i % len(KEYWORDS)],))
                           for i, s in enumerate(SKILLS)])
        conn = store.conn
        card_ids = np.array([r[0] for r in conn.execute(
            "SELECT id FROM items WHERE kind = 'card' ORDER BY id")])
        question_ids = [r[0] for r in conn.execute(
            "SELECT id FROM items WHERE kind = 'question' ORDER BY id")]
        start = now_ms - 730 * DAY_MS
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN")
        # reviews: each card gets its share, in time order, the first one from "new"
        owner = np.sort(rng.integers(0, n_cards, size=n_reviews))
        times = rng.integers(start, now_ms - DAY_MS, size=n_reviews)
        order = np.lexsort((times, owner))
        owner, times = owner[order], times[order]
        first = np.ones(n_reviews, dtype=bool)
        first[1:] = owner[1:] != owner[:-1]
        rating = rng.choice([1, 2, 3, 4], p=[0.1, 0.1, 0.7, 0.1], size=n_reviews)
        stability = rng.gamma(2.0, 15.0, size=n_reviews) + 0.1
        difficulty = rng.uniform(1, 10, size=n_reviews)
        duration = rng.integers(2_000, 30_000, size=n_reviews)
        chunk = 100_000
        for lo in range(0, n_reviews, chunk):
            hi = min(lo + chunk, n_reviews)
            rows = []
            for k in range(lo, hi):
                is_first = bool(first[k])
                t = int(times[k])
                rows.append((
                    int(card_ids[owner[k]]), t, int(rating[k]), int(duration[k]), "bench",
                    None if is_first else 2, None, None if is_first else float(stability[k]),
                    None if is_first else float(difficulty[k]), None if is_first else t,
                    None if is_first else t - DAY_MS,
                    2, None, float(stability[k]), float(difficulty[k]),
                    t + int(stability[k] * DAY_MS),
                ))
            conn.executemany(
                "INSERT INTO reviews (item_id, reviewed_at, rating, duration_ms, session, "
                "state_before, step_before, stability_before, difficulty_before, due_before, "
                "last_review_before, state_after, step_after, stability_after, "
                "difficulty_after, due_after) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                "?, ?)", rows,
            )
        # current state: the last review of each card; due dates from 10 days ago to 90 ahead
        last = np.ones(n_reviews, dtype=bool)
        last[:-1] = owner[1:] != owner[:-1]
        count = np.bincount(owner, minlength=n_cards)
        state_rows = []
        for k in np.flatnonzero(last):
            c = int(owner[k])
            due = now_ms + int(rng.uniform(-10, 90) * DAY_MS)
            state_rows.append((
                int(card_ids[c]), 2, None, float(stability[k]), float(difficulty[k]), due,
                int(times[k]), int(count[c]), int(rng.integers(0, 5)),
            ))
        conn.executemany(
            "INSERT INTO srs_state (item_id, state, step, stability, difficulty, due, "
            "last_review, reps, lapses, review_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
            "(SELECT MAX(id) FROM reviews WHERE item_id = ?1))", state_rows,
        )
        # answers to questions, and the per-question totals and mistake list they imply
        n_attempts = 50_000
        a_item = rng.choice(question_ids, size=n_attempts)
        a_time = rng.integers(start, now_ms - DAY_MS, size=n_attempts)
        a_ok = rng.random(n_attempts) < 0.75
        conn.executemany(
            "INSERT INTO attempts (item_id, answered_at, answer, correct, duration_ms, "
            "session, mode) VALUES (?, ?, '0', ?, 20000, 'bench', 'quiz')",
            [(int(i), int(t), int(ok)) for i, t, ok in zip(a_item, a_time, a_ok, strict=True)],
        )
        conn.execute(
            "INSERT INTO item_stats (item_id, attempts, correct, last_correct, "
            "last_answered_at) SELECT item_id, COUNT(*), SUM(correct), 1, MAX(answered_at) "
            "FROM attempts GROUP BY item_id"
        )
        conn.execute(
            "INSERT INTO mistakes (item_id, added_at, wrong, right_streak) "
            "SELECT id, ?, 1, 0 FROM items WHERE kind = 'question' AND id % 7 = 0", (now_ms,),
        )
        conn.execute(
            "INSERT INTO activity (bucket, card_reviews, card_new, recall_reviews, "
            "recall_passed, study_ms) SELECT reviewed_at / ?, COUNT(*), "
            "SUM(state_before IS NULL), COALESCE(SUM(state_before = 2), 0), "
            "COALESCE(SUM(state_before = 2 AND rating > 1), 0), SUM(duration_ms) FROM reviews "
            "GROUP BY reviewed_at / ?", (BUCKET_MS, BUCKET_MS),
        )
        conn.execute(
            "INSERT INTO activity (bucket, answers, answers_correct) "
            "SELECT answered_at / ?, COUNT(*), SUM(correct) FROM attempts "
            "GROUP BY answered_at / ? ON CONFLICT (bucket) DO UPDATE SET "
            "answers = excluded.answers, answers_correct = excluded.answers_correct",
            (BUCKET_MS, BUCKET_MS),
        )
        # per-day totals are rebuilt from ``activity`` when a store next opens
        conn.execute("DELETE FROM daily")
        conn.execute("DELETE FROM calendars")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("ANALYZE")


def timed(fn: Callable[[], object], runs: int) -> list[float]:
    """Wall times of ``runs`` calls, in milliseconds."""
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.store", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--reviews", type=int, default=1_000_000)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15, help="runs per read operation")
    parser.add_argument("--keep", type=Path, default=None, metavar="DIR",
                        help="build (or reuse) the database in DIR and keep it")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "progress.sqlite3"
        now_ms = to_ms(datetime.now(timezone.utc))
        if not path.exists():
            t0 = time.perf_counter()
            build(path, args.reviews, args.cards, now_ms)
            print(f"built {path} in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        size_mb = path.stat().st_size / 1e6

        results: list[tuple[str, list[float], str]] = []
        results.append(("first open (fills the per-day totals)",
                        timed(lambda: Store(path).close(), 1), "—"))
        results.append(("open the store", timed(lambda: Store(path).close(), args.runs), "—"))
        with Store(path) as store:
            reviews = store.stats().reviews
            queue = store.due_queue()
            results.append(("due queue (Store.due_queue)",
                            timed(store.due_queue, args.runs), "< 100"))
            results.append(("stats summary (Store.stats)", timed(store.stats, args.runs),
                            "< 100"))
            results.append(("home summary (Store.home)", timed(store.home, args.runs), "—"))
            due = [c.item for c in queue.review] or [f"card-{i:05d}" for i in range(200)]
            ratings = iter(range(10**9))

            def rate() -> None:
                k = next(ratings)
                store.rate_card("bench", due[k % len(due)], Rating(k % 4 + 1),
                                duration_ms=4000)

            results.append(("record one rating (Store.rate_card)", timed(rate, 200), "< 5"))
            results.append(("undo it (Store.undo_last_rating)",
                            timed(store.undo_last_rating, 100), "—"))

    print(f"\nprogress store: {reviews:,} reviews over {args.cards:,} cards, "
          f"{len(queue.review):,} reviews and {len(queue.new)} new cards due, "
          f"file {size_mb:.0f} MB, SQLite {__import__('sqlite3').sqlite_version}\n")
    print("| operation | median ms | min ms | max ms | runs | target ms |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, times, target in results:
        print(f"| {name} | {statistics.median(times):.2f} | {min(times):.2f} | "
              f"{max(times):.2f} | {len(times)} | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
