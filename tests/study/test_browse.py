"""The card browser's rules without a terminal: its rows, the search (full-width and
half-width alike, Japanese and English), the filters, the texts of answers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from studyapp.content import load_content
from studyapp.store import ItemStatus, Rating, Store, items_from_library
from studyapp.study.browse import (
    STATE_FILTERS,
    BrowseFilter,
    RowSearch,
    answer_text,
    build_rows,
    due_label,
    filter_rows,
    last_wrong,
    normalize,
    search_terms,
)

FIXTURE = Path(__file__).parent / "fixtures" / "browse"
NOW = datetime(2026, 11, 27, 1, 0, tzinfo=timezone.utc)  # 10:00 in Tokyo


@pytest.fixture(scope="module")
def deck():
    return load_content(FIXTURE).deck("browse")


@pytest.fixture
def store(tmp_path: Path, deck) -> Store:
    store = Store(tmp_path / "progress.sqlite3", now=lambda: NOW)
    library = type("L", (), {"decks": [deck]})()
    store.sync_content(*items_from_library(library))
    yield store
    store.close()


def rows_of(deck, store: Store):
    return build_rows(deck, store.item_statuses(deck.id), now_ms=store.now_ms(),
                      calendar=store.calendar)


def ids(rows) -> list[str]:
    return [row.item for row in rows]


# ---------------------------------------------------------------------- normalising
def test_full_width_and_half_width_normalise_alike() -> None:
    assert normalize("ＬＡＳＳＯ") == normalize("lasso") == "lasso"
    assert normalize("ﾐﾆﾊﾞｯﾁ") == normalize("ミニバッチ")
    assert normalize("Ｌ１正則化") == normalize("l1正則化")
    assert search_terms("  ﾄﾞﾛｯﾌﾟｱｳﾄ\u3000Dropout ") == ("ドロップアウト", "dropout")
    assert search_terms("") == ()


# ---------------------------------------------------------------------- rows
def test_rows_list_cards_then_questions_in_teaching_order(deck, store: Store) -> None:
    # as new cards are taught: by the first keyword's place in deck.yaml, then file order
    rows = rows_of(deck, store)
    assert ids(rows) == ["dropout-rate", "halfwidth-kana", "lasso-fullwidth", "decay-cloze",
                         "dropout-choice", "lasso-truefalse"]
    first = rows[0]
    assert (first.kind, first.type, first.keyword, first.state) == (
        "card", "card", "ドロップアウト", "new")
    assert first.key == "card:dropout-rate"
    cloze = next(r for r in rows if r.item == "decay-cloze")
    assert cloze.type == "cloze" and "{{" not in cloze.summary
    assert "L2正則化" in cloze.summary
    question = next(r for r in rows if r.item == "dropout-choice")
    assert (question.kind, question.type, question.state) == ("question", "choice", "unanswered")


def test_a_row_follows_its_schedule_marks_and_answers(deck, store: Store) -> None:
    store.rate_card("browse", "dropout-rate", Rating.Again)
    store.set_flagged("card", "browse", "lasso-fullwidth", True)
    store.set_suspended("card", "browse", "decay-cloze", True)
    store.record_answer("browse", "dropout-choice", answer=1, correct=False)
    store.record_answer("browse", "lasso-truefalse", answer=True, correct=True)
    rows = {r.item: r for r in rows_of(deck, store)}
    learning = rows["dropout-rate"]
    assert (learning.state, learning.last, learning.shown_state) == (
        "learning", "もう一度", "learning")
    assert learning.due_text == "10:01"  # a learning step: its local minute today
    assert rows["lasso-fullwidth"].flagged
    assert rows["decay-cloze"].shown_state == "suspended"
    wrong = rows["dropout-choice"]
    assert (wrong.state, wrong.last, wrong.lapses, wrong.in_mistakes) == (
        "mistake", "誤答", 1, True)
    assert rows["lasso-truefalse"].state == "answered"
    assert rows["lasso-truefalse"].last == "正答"


def test_due_labels_read_as_a_learner_counts_days(store: Store) -> None:
    now_ms = store.now_ms()
    calendar = store.calendar
    assert due_label(None, None, now_ms, calendar) == "—"
    today = NOW + timedelta(hours=3)
    assert due_label(today, "review", now_ms, calendar) == "今日"
    assert due_label(NOW - timedelta(days=4), "review", now_ms, calendar) == "今日"
    assert due_label(NOW + timedelta(days=3), "review", now_ms, calendar) == "11/30"
    assert due_label(NOW + timedelta(minutes=10), "learning", now_ms, calendar) == "10:10"


# ---------------------------------------------------------------------- search
@pytest.mark.parametrize(("query", "expected"), [
    ("lasso", ["lasso-fullwidth", "lasso-truefalse"]),        # half-width finds full-width
    ("ＬＡＳＳＯ", ["lasso-fullwidth", "lasso-truefalse"]),     # and the other way round
    ("ﾄﾞﾛｯﾌﾟｱｳﾄ", ["dropout-rate", "halfwidth-kana", "dropout-choice"]),
    ("ミニバッチ", ["halfwidth-kana"]),                          # full-width finds half-width kana
    ("Weight Decay", ["decay-cloze"]),                         # the keyword's English term
    ("inverted dropout", ["dropout-choice"]),                  # every word, anywhere
    ("l2正則化", ["decay-cloze"]),                              # the cloze's answer
    ("1/(1 − p)", ["dropout-choice"]),                         # a choice
    ("期待値", ["dropout-choice"]),                             # an explanation
    ("halfwidth-kana", ["halfwidth-kana"]),                    # an id
    ("推論時", ["dropout-rate", "dropout-choice"]),             # a back, a choice's why
    ("no such text", []),
])
def test_search_finds_every_text_of_an_item(deck, store: Store, query: str,
                                            expected: list[str]) -> None:
    rows = rows_of(deck, store)
    assert ids(filter_rows(rows, BrowseFilter(query=query))) == expected


# ---------------------------------------------------------------------- filters
def test_filters_by_keyword_state_flag_suspension_leech_and_mistakes(deck,
                                                                     store: Store) -> None:
    store.rate_card("browse", "dropout-rate", Rating.Good)
    store.set_flagged("question", "browse", "lasso-truefalse", True)
    store.set_suspended("card", "browse", "halfwidth-kana", True)
    store.record_answer("browse", "dropout-choice", answer=2, correct=False)
    rows = rows_of(deck, store)
    rows = [r._replace(leech=True) if r.item == "lasso-fullwidth" else r for r in rows]

    def only(**kw) -> list[str]:
        return ids(filter_rows(rows, BrowseFilter(**kw)))

    assert only(keyword="dropout") == ["dropout-rate", "halfwidth-kana", "dropout-choice"]
    assert only(state="learning") == ["dropout-rate"]
    assert only(state="new") == ["halfwidth-kana", "lasso-fullwidth", "decay-cloze",
                                 "lasso-truefalse"]
    assert only(state="flagged") == ["lasso-truefalse"]
    assert only(state="suspended") == ["halfwidth-kana"]
    assert only(state="leech") == ["lasso-fullwidth"]
    assert only(state="mistakes") == ["dropout-choice"]
    assert only(keyword="dropout", state="new") == ["halfwidth-kana"]
    assert only(keyword="dropout", query="訓練") == ["dropout-rate", "halfwidth-kana",
                                                    "dropout-choice"]
    assert only(keyword="lasso", query="ﾐﾆﾊﾞｯﾁ") == []
    assert set(STATE_FILTERS) >= {"new", "learning", "review", "suspended", "leech",
                                  "flagged", "mistakes"}


# ---------------------------------------------------------------------- answers
def test_a_stored_answer_reads_as_the_option_the_learner_picked(deck) -> None:
    choice = deck.item("dropout-choice")
    assert answer_text(choice, 1) == "p"
    assert answer_text(choice, [0, 3]) == "1/(1 − p)、1/p"
    truefalse = deck.item("lasso-truefalse")
    assert answer_text(truefalse, False) == "× 誤り"
    assert answer_text(truefalse, True) == "○ 正しい"
    assert answer_text(choice, 9) == "9"  # an option the deck no longer has: as stored
    assert answer_text(choice, None) == "—"


def test_last_wrong_is_the_latest_wrong_answer(store: Store) -> None:
    assert last_wrong([]) is None
    store.record_answer("browse", "dropout-choice", answer=1, correct=False)
    store.record_answer("browse", "dropout-choice", answer=3, correct=False)
    store.record_answer("browse", "dropout-choice", answer=0, correct=True)
    entry = last_wrong(store.answer_history("browse", "dropout-choice"))
    assert entry is not None and entry.answer == 3


def test_rows_of_items_the_store_does_not_know_yet_start_new(deck) -> None:
    statuses: list[ItemStatus] = []
    rows = build_rows(deck, statuses, now_ms=0, calendar=None)
    assert [r.state for r in rows][:4] == ["new"] * 4 and rows[-1].state == "unanswered"
    assert all(r.due_text == "—" and r.last == "" for r in rows)


def test_a_row_search_remembers_and_narrows_what_it_found(deck, store: Store) -> None:
    rows = rows_of(deck, store)
    search = RowSearch(rows)
    scanned: list[int] = []
    original = search._scan

    def counting(base, browse_filter):
        scanned.append(len(base))
        return original(base, browse_filter)

    search._scan = counting  # type: ignore[method-assign]
    assert ids(search(BrowseFilter(query="ド"))) == ids(filter_rows(rows, BrowseFilter(query="ド")))
    wider = len(search(BrowseFilter(query="ド")))
    narrower = search(BrowseFilter(query="ドロ"))  # typed on: only the rows found before
    assert ids(narrower) == ids(filter_rows(rows, BrowseFilter(query="ドロ")))
    assert scanned == [len(rows), wider]
    search(BrowseFilter(query="ド"))  # erased again: remembered
    assert scanned == [len(rows), wider]
    search(BrowseFilter(query="ﾄﾞ"))  # normalised, ﾄﾞ is ド: narrowed from its rows
    assert scanned == [len(rows), wider, wider]
    search(BrowseFilter(query="ロ"))  # not a longer query of any: every row
    assert scanned[-1] == len(rows)
    search(BrowseFilter(query="ドロ", keyword="dropout"))  # another keyword: every row
    assert scanned[-1] == len(rows)
    # a mark changes a row: nothing remembered is used again
    flagged = rows[0]._replace(flagged=True)
    search.replace(rows[0], flagged)
    assert search.rows[0] is flagged
    assert ids(search(BrowseFilter(state="flagged"))) == [flagged.item]
    assert search(BrowseFilter(query="ドロ"))[0] is flagged
