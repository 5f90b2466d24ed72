"""The store's parts together: every read of several queries sees one snapshot, and every
public method of every part is serialised and refuses a closed store."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from studyapp.store import ItemRef, Rating, Store

from .conftest import Clock, cards

#: Every read the screens and ``studyapp stats`` make, as they call it.
READS: dict[str, Callable[[Store], object]] = {
    "home": lambda s: s.home("reg"),
    "stats": lambda s: s.stats(),
    "due_queue": lambda s: s.due_queue("reg"),
    "next_card": lambda s: s.next_card(),
    "new_cards_left": lambda s: s.new_cards_left(),
    "card_state": lambda s: s.card_state("reg", "c0"),
    "preview": lambda s: s.preview("reg", "c1"),
    "mistakes": lambda s: s.mistakes("reg"),
    "skills": lambda s: s.skills(),
    "skills_due": lambda s: s.skills_due(include_new=True),
    "streak": lambda s: s.streak(),
    "keyword_progress": lambda s: s.keyword_progress(),
    "content_index": lambda s: s.content_index("print"),
}


@pytest.fixture
def studied(store: Store, clock: Clock) -> Store:
    store.sync_library(cards(3), [ItemRef("reg", "q1", ("l1",))],
                       [ItemRef("", "lasso", ("l1",))], fingerprint="print", index="[]")
    store.rate_card("reg", "c0", Rating.Good)
    store.record_answer("reg", "q1", answer=0, correct=False)
    store.record_practice("lasso#1", answer=[0.5], correct=True, duration_ms=20_000)
    clock.advance(minutes=30)
    return store


def transactions(store: Store, read: Callable[[Store], object]
                 ) -> tuple[list[list[str]], list[str]]:
    """The statements ``read`` runs, grouped by transaction, and those run outside one."""
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    try:
        read(store)
    finally:
        store.conn.set_trace_callback(None)
    groups: list[list[str]] = []
    outside: list[str] = []
    current: list[str] | None = None
    for sql in statements:
        word = sql.split(None, 1)[0].upper()
        if word == "BEGIN":
            current = []
        elif word in ("COMMIT", "ROLLBACK"):
            assert current is not None
            groups.append(current)
            current = None
        elif current is not None:
            current.append(sql)
        else:
            outside.append(sql)
    assert current is None, "a transaction was left open"
    return groups, outside


@pytest.mark.parametrize("name", READS)
def test_each_read_is_one_snapshot(studied: Store, name: str) -> None:
    groups, outside = transactions(studied, READS[name])
    assert outside == [], f"{name} queried outside a transaction"
    assert len(groups) == 1, f"{name} read in {len(groups)} parts: {groups}"
    assert groups[0], f"{name} read nothing"
    assert all(sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql in groups[0])


def test_the_new_transaction_claim_covers_the_reads_that_used_to_escape(studied: Store) -> None:
    # the three reads that once queried outside a transaction give the same answers inside
    assert studied.card_state("reg", "c0").state == "learning"
    assert studied.card_state("reg", "c1") is None
    assert [m.item for m in studied.mistakes("reg")] == ["q1"]
    assert studied.mistakes("other") == []
    assert set(studied.preview("reg", "c0")) == set(Rating)


def test_every_part_refuses_a_closed_store(studied: Store) -> None:
    studied.close()
    writes: list[Callable[[Store], object]] = [
        lambda s: s.rate_card("reg", "c1", Rating.Good),
        lambda s: s.undo_last_rating(),
        lambda s: s.record_answer("reg", "q1", answer=0, correct=True),
        lambda s: s.record_practice("lasso#2", answer=1, correct=True),
        lambda s: s.sync_content(cards(3), []),
        lambda s: s.sync_skills(["lasso"]),
    ]
    for call in [*READS.values(), *writes]:
        with pytest.raises(RuntimeError, match="closed"):
            call(studied)


def test_an_item_ref_names_its_item_as_every_record_does() -> None:
    ref = ItemRef("reg", "c0", ("l1",))
    assert (ref.deck, ref.item, ref.keywords) == ("reg", "c0", ("l1",))
    assert ItemRef("", "lasso").keywords == ()
