"""Suspending, flagging and leeches (schema v5 ``item_marks``), and the histories the card
browser shows. Each test checks the database itself, not only what the store returns."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from studyapp.store import ItemRef, Rating, Store, StoreConfig
from studyapp.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

from .conftest import Clock, cards

QUESTIONS = [ItemRef("reg", "q0", ("l1",)), ItemRef("reg", "q1", ("l2",))]


def marks(store: Store, item: str) -> dict[str, int | None] | None:
    """The ``item_marks`` row of an item, read straight from the file."""
    row = store.conn.execute(
        "SELECT m.suspended_at, m.suspended_review, m.flagged_at, m.leech_at, m.leech_review "
        "FROM item_marks m JOIN items i ON i.id = m.item_id WHERE i.item = ?", (item,)
    ).fetchone()
    if row is None:
        return None
    return dict(zip(("suspended_at", "suspended_review", "flagged_at", "leech_at",
                     "leech_review"), row, strict=True))


def queued(store: Store) -> list[str]:
    queue = store.due_queue("reg")
    return [c.item for c in (*queue.learning, *queue.review, *queue.new, *queue.ahead)]


def to_review(store: Store, clock: Clock, item: str) -> None:
    """Take a new card to the review state: Good, 10 minutes, Good."""
    store.rate_card("reg", item, Rating.Good)
    clock.advance(minutes=10)
    store.rate_card("reg", item, Rating.Good)
    assert store.card_state("reg", item).state == "review"


def lapse(store: Store, clock: Clock, item: str) -> None:
    """Wait until the review card is due, forget it (Again: a lapse), relearn it (Good)."""
    state = store.card_state("reg", item)
    assert state is not None and state.state == "review"
    clock.current = state.due + timedelta(minutes=1)
    store.rate_card("reg", item, Rating.Again)
    clock.advance(minutes=10)
    store.rate_card("reg", item, Rating.Good)


@pytest.fixture
def synced(store: Store) -> Store:
    store.sync_content(cards(3), QUESTIONS)
    return store


# ---------------------------------------------------------------------- schema
def test_a_version_4_database_migrates_to_5_with_its_history(tmp_path: Path,
                                                             clock: Clock) -> None:
    from studyapp.store.db import _statements

    path = tmp_path / "progress.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for script in MIGRATIONS[:4]:
        for statement in _statements(script):
            conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("PRAGMA user_version = 4")
    conn.execute("INSERT INTO items (kind, deck, item, active, added_at) "
                 "VALUES ('card', 'reg', 'c0', 1, 0)")
    conn.close()

    with Store(path, now=clock) as store:
        assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert store.conn.execute("SELECT COUNT(*) FROM item_marks").fetchone()[0] == 0
        assert queued(store) == ["c0"]
        assert store.set_suspended("card", "reg", "c0", True) is True
        assert queued(store) == []


def test_leech_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="leech_action"):
        StoreConfig(leech_action="delete")
    with pytest.raises(ValueError, match="leech_threshold"):
        StoreConfig(leech_threshold=0)


# ---------------------------------------------------------------------- suspend
def test_a_suspended_card_leaves_the_queue_until_it_is_unsuspended(synced: Store,
                                                                   clock: Clock) -> None:
    assert queued(synced) == ["c0", "c1", "c2"]
    assert synced.set_suspended("card", "reg", "c0", True) is True
    row = marks(synced, "c0")
    assert row is not None and row["suspended_at"] == synced.now_ms()
    assert row["suspended_review"] is None  # the learner's own, not a leech's
    assert queued(synced) == ["c1", "c2"]
    assert synced.next_card("reg").item == "c1"
    assert synced.home("reg").new_available == 2
    assert synced.stats().cards.suspended == 1
    assert synced.suspended_items("reg", "card") == frozenset({"c0"})

    assert synced.set_suspended("card", "reg", "c0", False) is False
    assert marks(synced, "c0") is None  # nothing left to mark: the row is gone
    assert queued(synced) == ["c0", "c1", "c2"]
    assert synced.stats().cards.suspended == 0


def test_a_suspended_review_card_is_not_due_nor_forecast(synced: Store, clock: Clock) -> None:
    to_review(synced, clock, "c0")
    due = synced.card_state("reg", "c0").due
    clock.current = due + timedelta(minutes=1)
    assert "c0" in [c.item for c in synced.due_queue("reg").review]
    before = synced.stats()
    synced.set_suspended("card", "reg", "c0", True)
    after = synced.stats()
    assert after.due == before.due - 1
    assert after.forecast[0].due == before.forecast[0].due - 1
    assert "c0" not in queued(synced)
    # the schedule itself is kept: unsuspended, the card is due again as it was
    synced.set_suspended("card", "reg", "c0", False)
    assert synced.card_state("reg", "c0").due == due
    assert "c0" in [c.item for c in synced.due_queue("reg").review]


def test_suspending_is_idempotent_and_keeps_the_first_time(synced: Store,
                                                           clock: Clock) -> None:
    synced.set_suspended("card", "reg", "c1", True)
    first = marks(synced, "c1")["suspended_at"]
    clock.advance(minutes=5)
    synced.set_suspended("card", "reg", "c1", True)
    assert marks(synced, "c1")["suspended_at"] == first


def test_an_unknown_item_cannot_be_marked(synced: Store) -> None:
    with pytest.raises(KeyError):
        synced.set_suspended("card", "reg", "no-such-card", True)
    with pytest.raises(ValueError):
        synced.set_flagged("skill", "", "lasso", True)
    assert synced.conn.execute("SELECT COUNT(*) FROM item_marks").fetchone()[0] == 0


def test_a_question_can_be_suspended(synced: Store) -> None:
    synced.set_suspended("question", "reg", "q1", True)
    assert synced.suspended_items("reg", "question") == frozenset({"q1"})
    assert synced.suspended_items("reg", "card") == frozenset()
    assert synced.stats().cards.suspended == 0  # cards.suspended counts cards only


# ---------------------------------------------------------------------- flags
def test_a_flag_is_kept_with_its_time_and_cleared(synced: Store, clock: Clock) -> None:
    assert synced.set_flagged("card", "reg", "c2", True) is True
    assert marks(synced, "c2")["flagged_at"] == synced.now_ms()
    synced.set_suspended("card", "reg", "c2", True)
    synced.set_flagged("card", "reg", "c2", False)
    row = marks(synced, "c2")
    assert row["flagged_at"] is None and row["suspended_at"] is not None
    status = {s.item: s for s in synced.item_statuses("reg")}
    assert status["c2"].suspended and not status["c2"].flagged
    assert queued(synced) == ["c0", "c1"]  # a flag does not take a card out of the queue


# ---------------------------------------------------------------------- leeches
def test_eight_lapses_make_a_leech_that_is_tagged_by_default(synced: Store,
                                                             clock: Clock) -> None:
    to_review(synced, clock, "c0")
    for _ in range(7):
        lapse(synced, clock, "c0")
    assert synced.card_state("reg", "c0").lapses == 7
    assert marks(synced, "c0") is None
    lapse(synced, clock, "c0")
    assert synced.card_state("reg", "c0").lapses == 8
    row = marks(synced, "c0")
    assert row is not None and row["leech_at"] is not None and row["suspended_at"] is None
    last_again = synced.conn.execute(
        "SELECT MAX(id) FROM reviews WHERE rating = 1").fetchone()[0]
    assert row["leech_review"] == last_again
    assert synced.home("reg").leeches == 1
    assert synced.stats().cards.leeches == 1
    status = {s.item: s for s in synced.item_statuses("reg")}
    assert status["c0"].leech and not status["c0"].suspended
    # tagged, not suspended: it still comes up when due
    clock.current = synced.card_state("reg", "c0").due + timedelta(minutes=1)
    assert "c0" in queued(synced)


def test_with_leech_action_suspend_the_eighth_lapse_suspends_the_card(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    store = make_store(StoreConfig(leech_action="suspend"))
    store.sync_content(cards(2), [])
    to_review(store, clock, "c0")
    for _ in range(8):
        state = store.card_state("reg", "c0")
        clock.current = state.due + timedelta(minutes=1)
        result = store.rate_card("reg", "c0", Rating.Again)
        if state.lapses < 7:
            assert not result.leech
            clock.advance(minutes=10)
            store.rate_card("reg", "c0", Rating.Good)
    assert result.leech  # the eighth Again says so
    row = marks(store, "c0")
    assert row["leech_at"] == row["suspended_at"] == store.now_ms()
    assert row["suspended_review"] == result.review_id
    assert "c0" not in queued(store)
    clock.advance(minutes=10)  # its relearning step is due: still not offered
    assert "c0" not in queued(store)
    counted = store.stats().cards
    assert (counted.suspended, counted.leeches) == (1, 1)


def test_undoing_the_rating_that_made_a_leech_takes_the_leech_back(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    store = make_store(StoreConfig(leech_action="suspend", leech_threshold=2))
    store.sync_content(cards(1), [])
    to_review(store, clock, "c0")
    lapse(store, clock, "c0")
    state = store.card_state("reg", "c0")
    clock.current = state.due + timedelta(minutes=1)
    store.rate_card("reg", "c0", Rating.Again)
    assert marks(store, "c0")["suspended_at"] is not None
    undone = store.undo_last_rating()
    assert undone is not None and undone.state.lapses == 1
    assert marks(store, "c0") is None
    assert "c0" in queued(store)


def test_undo_keeps_a_suspension_the_learner_made(make_store: Callable[..., Store],
                                                  clock: Clock) -> None:
    store = make_store(StoreConfig(leech_threshold=1))
    store.sync_content(cards(1), [])
    to_review(store, clock, "c0")
    clock.current = store.card_state("reg", "c0").due + timedelta(minutes=1)
    store.rate_card("reg", "c0", Rating.Again)  # a leech at once (tag)
    store.set_suspended("card", "reg", "c0", True)
    store.undo_last_rating()
    row = marks(store, "c0")
    assert row["leech_at"] is None and row["suspended_at"] is not None


def test_a_leech_the_learner_unsuspended_is_suspended_again_every_half_threshold(
    make_store: Callable[..., Store], clock: Clock
) -> None:
    # Anki's rule: a leech at the threshold, then again every half of it (8, 12, 16 …)
    store = make_store(StoreConfig(leech_action="suspend", leech_threshold=4))
    store.sync_content(cards(1), [])
    to_review(store, clock, "c0")
    suspended_at = []
    for lapses in range(1, 9):
        state = store.card_state("reg", "c0")
        clock.current = state.due + timedelta(minutes=1)
        store.rate_card("reg", "c0", Rating.Again)
        if marks(store, "c0") and marks(store, "c0")["suspended_at"] is not None:
            suspended_at.append(lapses)
            store.set_suspended("card", "reg", "c0", False)
        clock.advance(minutes=10)
        store.rate_card("reg", "c0", Rating.Good)
    assert suspended_at == [4, 6, 8]
    assert marks(store, "c0")["leech_at"] is not None  # still tagged after unsuspending


def test_skills_never_become_leeches(make_store: Callable[..., Store], clock: Clock) -> None:
    store = make_store(StoreConfig(leech_threshold=1, leech_action="suspend"))
    store.sync_skills(["lasso"])
    for seed in range(6):
        store.record_practice(f"lasso#{seed}", answer=0, correct=seed % 2 == 0,
                              duration_ms=20_000)
        clock.advance(days=30)
    assert store.conn.execute("SELECT COUNT(*) FROM item_marks").fetchone()[0] == 0


# ---------------------------------------------------------------------- what the browser reads
def test_item_statuses_list_the_decks_cards_and_questions(synced: Store, clock: Clock) -> None:
    synced.rate_card("reg", "c1", Rating.Again)
    synced.record_answer("reg", "q0", answer=2, correct=False)
    synced.sync_content(cards(2), QUESTIONS)  # c2 retired: not listed
    statuses = synced.item_statuses("reg")
    assert [(s.kind, s.item) for s in statuses] == [
        ("card", "c0"), ("card", "c1"), ("question", "q0"), ("question", "q1")]
    by_item = {s.item: s for s in statuses}
    assert by_item["c0"].state is None and by_item["c0"].last_rating is None
    assert by_item["c1"].state == "learning" and by_item["c1"].last_rating == Rating.Again
    assert by_item["c1"].due is not None
    q0 = by_item["q0"]
    assert (q0.attempts, q0.correct, q0.last_correct, q0.in_mistakes) == (1, 0, False, True)
    assert by_item["q1"].attempts == 0 and by_item["q1"].last_correct is None
    assert synced.item_statuses("other") == []


def test_review_history_gives_rating_interval_and_elapsed(synced: Store, clock: Clock) -> None:
    start = synced.now_ms()
    synced.rate_card("reg", "c0", Rating.Good, duration_ms=4_000)
    clock.advance(minutes=10)
    synced.rate_card("reg", "c0", Rating.Good)
    history = synced.review_history("card", "reg", "c0")
    assert [h.rating for h in history] == [Rating.Good, Rating.Good]
    first, second = history
    assert first.reviewed_at.timestamp() * 1000 == start
    assert first.state_before is None and first.state_after == "learning"
    assert first.elapsed is None and first.duration_ms == 4_000
    assert first.interval == timedelta(minutes=10)
    assert second.elapsed == timedelta(minutes=10)
    assert second.state_before == "learning" and second.state_after == "review"
    assert second.interval >= timedelta(days=1)
    assert synced.review_history("card", "reg", "c2") == []
    assert synced.review_history("card", "reg", "unknown") == []


def test_answer_history_keeps_each_answer_and_the_last_wrong_one(synced: Store,
                                                                 clock: Clock) -> None:
    synced.record_answer("reg", "q0", answer=2, correct=False, duration_ms=9_000)
    clock.advance(minutes=1)
    synced.record_answer("reg", "q0", answer=[0, 3], correct=False, mode="exam")
    clock.advance(minutes=1)
    synced.record_answer("reg", "q0", answer=1, correct=True)
    history = synced.answer_history("reg", "q0")
    assert [(h.answer, h.correct, h.mode) for h in history] == [
        (2, False, "quiz"), ([0, 3], False, "exam"), (1, True, "quiz")]
    assert history[0].duration_ms == 9_000
    assert synced.answer_history("reg", "q1") == []


def test_the_browsers_reads_are_one_snapshot_each(synced: Store) -> None:
    synced.rate_card("reg", "c0", Rating.Good)
    synced.record_answer("reg", "q0", answer=0, correct=False)
    synced.set_flagged("card", "reg", "c0", True)
    reads: list[Callable[[Store], object]] = [
        lambda s: s.item_statuses("reg"),
        lambda s: s.review_history("card", "reg", "c0"),
        lambda s: s.answer_history("reg", "q0"),
        lambda s: s.suspended_items("reg", "card"),
    ]
    for read in reads:
        statements: list[str] = []
        synced.conn.set_trace_callback(statements.append)
        try:
            read(synced)
        finally:
            synced.conn.set_trace_callback(None)
        words = [sql.split(None, 1)[0].upper() for sql in statements]
        assert words[0] == "BEGIN" and words[-1] == "COMMIT", statements
        assert all(w in ("SELECT", "WITH") for w in words[1:-1]), statements


def test_the_learners_leech_action_setting_suspends_a_leech(
        make_store: Callable[..., Store], clock: Clock) -> None:
    from studyapp.settings import Settings

    config = Settings(leech_action="suspend").store_config(StoreConfig(leech_threshold=1))
    store = make_store(config)
    store.sync_content(cards(1), [])
    to_review(store, clock, "c0")
    lapse(store, clock, "c0")
    assert marks(store, "c0")["suspended_at"] is not None and queued(store) == []


def test_stats_counts_suspended_cards_and_leeches(tmp_path: Path) -> None:
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    deck = root / "tests" / "study" / "fixtures" / "browse"

    def stats(*flags: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "studyapp", "stats", *flags, "--content", str(deck),
             "--data-dir", str(tmp_path)], cwd=root, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert json.loads(stats("--json"))["cards"]["suspended"] == 0
    assert "休止" not in stats()
    with Store(tmp_path / "progress.sqlite3") as store:
        store.set_suspended("card", "browse", "dropout-rate", True)
        store.set_suspended("question", "browse", "dropout-choice", True)
    cards = json.loads(stats("--json"))["cards"]
    assert (cards["suspended"], cards["leeches"]) == (1, 0)
    assert "休止 1" in stats()
