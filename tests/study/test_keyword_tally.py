"""One tally of right answers per keyword for the quiz's and the exam's result pages."""

from __future__ import annotations

from studyapp.study.quiz import keyword_tally

GRADED = [(("l2", "norm"), True), (("l1",), False), (("norm",), False), (("l1",), True)]


def test_keywords_come_in_order_of_first_appearance() -> None:
    assert keyword_tally(GRADED) == [("l2", 1, 1), ("norm", 1, 2), ("l1", 1, 2)]


def test_the_decks_order_comes_first_then_the_others_as_seen() -> None:
    assert keyword_tally(GRADED, order=["l1", "l2"]) == [
        ("l1", 1, 2), ("l2", 1, 1), ("norm", 1, 2)]


def test_nothing_answered_is_an_empty_table() -> None:
    assert keyword_tally([], order=["l1"]) == []
