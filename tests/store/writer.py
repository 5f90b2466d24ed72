"""A separate process that records flashcard ratings (for the kill and concurrency tests).

``python -m tests.store.writer DB COUNT SESSION [CARDS [wait]]`` rates ``COUNT`` times,
cycling over ``CARDS`` cards of deck ``reg``, and prints each review id on its own line once
``rate_card`` has returned (that is, once it is committed). With ``wait`` it prints
``ready`` and waits for a line on stdin before it starts (so two writers start together).
"""

from __future__ import annotations

import sys
from pathlib import Path

from studyapp.store import Rating, Store


def main(argv: list[str]) -> int:
    path, count, session = Path(argv[0]), int(argv[1]), argv[2]
    n_cards = int(argv[3]) if len(argv) > 3 else 20
    wait = len(argv) > 4 and argv[4] == "wait"
    ratings = (Rating.Good, Rating.Again, Rating.Hard, Rating.Easy)
    with Store(path) as store:
        print("ready", flush=True)
        if wait:
            sys.stdin.readline()
        for i in range(count):
            result = store.rate_card("reg", f"c{i % n_cards}", ratings[i % 4], session=session)
            print(result.review_id, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
