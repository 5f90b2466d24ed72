"""Keywords listed as the decks list them (home, statistics, ``studyapp stats``, results)."""

from types import SimpleNamespace

from studyapp.study.ordering import keyword_order, sort_by_keyword_order


def deck(*ids: str) -> SimpleNamespace:
    return SimpleNamespace(keywords=[SimpleNamespace(id=i) for i in ids])


def test_keyword_order_follows_the_decks_and_keeps_a_repeated_id_first() -> None:
    assert keyword_order([deck("b", "a"), deck("c", "a")]) == ["b", "a", "c"]
    assert keyword_order([]) == []


def test_unknown_keywords_follow_in_their_own_order() -> None:
    items = [("x", 1), ("a", 2), ("y", 3), ("b", 4)]
    assert sort_by_keyword_order(items, ["b", "a"], key=lambda i: i[0]) == [
        ("b", 4), ("a", 2), ("x", 1), ("y", 3)]


def test_unknown_keywords_can_be_left_out() -> None:
    assert sort_by_keyword_order(["x", "a", "b"], ["b", "a"], drop_unknown=True) == ["b", "a"]
