"""The chapter topics of the regularization deck, held to the deck's writing rules.

Each group of topic files (part A: データ拡張, ノイズ付加, ラベル平滑化, マルチタスク学習,
パラメータ共有; part B: バギングとアンサンブル, 敵対的訓練, ノルム制約, Elastic Net,
バッチ正規化の正則化効果) must teach with a mix of card and question forms, ask in the exam's
own forms (「誤っているものを選べ」/「適切でないものを選べ」, (ア)(イ)(ウ)(エ) combinations),
compute every number with the functions that belong to the topic, and not give the answer
away: by position (options are shuffled), by length (the keyed option is rarely the longest,
rarely the shortest, and not almost always in the middle either: a learner who rules out
both extremes and guesses between the other two must not gain by it), or by the glossary's
unwanted spellings.

The counts (how many 「誤っているもの」 questions, how often the keyed option is the longest)
are held per group, as each group was written to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
import yaml

from studyapp.content import Card, Deck, Question, validate_content
from studyapp.content.cloze import parse
from studyapp.content.validation.checker import POSITION_WORDS as POSITIONAL
from studyapp.paths import bundled_content_dir

DECK_ID = "regularization"
CONTENT = bundled_content_dir() / DECK_ID
# group → keyword id → its file in content/regularization/, and the compute functions its
# numeric and code questions must use (empty: the topic computes nothing; a computing topic
# needs a numeric question).
GROUPS: dict[str, dict[str, tuple[str, frozenset[str]]]] = {
    "part-a": {
        "data-augmentation": ("data-augmentation.yaml", frozenset({"mixup"})),
        "noise-injection": ("noise-injection.yaml", frozenset({"noise_injection_loss"})),
        "label-smoothing": ("label-smoothing.yaml", frozenset({"label_smoothing"})),
        "multitask-learning": ("multitask.yaml", frozenset()),
        "parameter-sharing": (
            "parameter-sharing.yaml",
            frozenset({"conv_parameter_count", "dense_parameter_count"}),
        ),
    },
    "part-b": {
        "bagging-ensemble": (
            "bagging-ensemble.yaml",
            frozenset({"ensemble_error", "bootstrap_unique_fraction"}),
        ),
        "adversarial-training": ("adversarial-training.yaml", frozenset({"fgsm"})),
        "norm-constraint": ("norm-constraint.yaml", frozenset({"max_norm"})),
        "elastic-net": ("elastic-net.yaml", frozenset({"elastic_net"})),
        "batch-normalization": ("batch-normalization.yaml", frozenset()),
    },
}
TOPICS = {keyword: topic for group in GROUPS.values() for keyword, topic in group.items()}
MIN_CARDS = 5
MIN_QUESTIONS = 6
CARD_TAGS = {"定義", "解釈", "計算", "注意"}
MIN_NOT_CORRECT_FORM = 4
MIN_COMBINATION = 2
MAX_CLOZE_GAP = 20
# The keyed option may be the strictly longest of a 4-option question this often at most.
MAX_LONGEST_SHARE = 0.25
MAX_LONGEST_SHARE_PER_TOPIC = 0.5
# Nor should it mostly be the shortest, or mostly neither (that teaches ruling out both
# extremes instead of the topic).
MAX_SHORTEST_SHARE = 0.30
MAX_MIDDLE_SHARE = 0.70

# 「…誤っているものを選べ」 or 「…適切でないものはどれか」: either asks for the wrong one.
NOT_CORRECT_FORM = re.compile(r"(誤っている|適切でない)もの(を選べ|はどれか)")
COMBINATION_OPTION = re.compile(r"\(([アイウエ])\)と\(([アイウエ])\)")
# The glossary's unwanted spellings (the deck writes the term after the arrow).
UNWANTED = {
    "軟閾値": "ソフト閾値処理",
    "荷重減衰": "重み減衰",
    "L1 正則化": "L1正則化",
    "L2 正則化": "L2正則化",
    "過剰適合": "過学習",
    "チホノフ": "ティホノフ正則化",
    "菱形": "ひし形",
    "ダイヤ": "ひし形",
    "numpy": "NumPy",
}
LONE_BATSU = re.compile(r"罰(?!則)")

LIBRARY, PROBLEMS = validate_content()
_DECK = {deck.id: deck for deck in LIBRARY.decks}.get(DECK_ID)

by_group = pytest.mark.parametrize("group", list(GROUPS))
by_keyword = pytest.mark.parametrize("keyword", list(TOPICS))


@pytest.fixture(scope="module")
def deck() -> Deck:
    if _DECK is None:
        pytest.fail("the regularization deck did not load:\n" + "\n".join(map(str, PROBLEMS)))
    return _DECK


def _cards(deck: Deck, keyword: str) -> list[Card]:
    name = TOPICS[keyword][0]
    return [c for c in deck.cards_for(keyword) if c.source.file.name == name]


def _questions(deck: Deck, keyword: str) -> list[Question]:
    name = TOPICS[keyword][0]
    return [q for q in deck.questions_for(keyword) if q.source.file.name == name]


def _group_questions(deck: Deck, group: str) -> list[Question]:
    return [q for keyword in GROUPS[group] for q in _questions(deck, keyword)]


def _four_option(questions: list[Question]) -> list[Question]:
    return [q for q in questions if q.type in ("choice", "code")]


def _prose(item: Card | Question) -> Iterator[str]:
    """Every text a learner reads, code snippets excluded."""
    if isinstance(item, Card):
        yield from (t for t in (item.front, item.back, item.cloze, item.unicode) if t)
    else:
        yield item.prompt
        yield item.explanation
        for option in item.choices:
            if item.type != "code":
                yield option.text
            if option.why:
                yield option.why
        yield from (m.why for m in item.misconceptions)
    yield from item.tags


def _others(question: Question) -> tuple[int, list[int]]:
    """The keyed option's length and the other options' lengths."""
    assert isinstance(question.answer, int)
    lengths = [len(option.text) for option in question.choices]
    return lengths[question.answer], [n for i, n in enumerate(lengths) if i != question.answer]


def _strictly_longest(question: Question) -> bool:
    keyed, others = _others(question)
    return all(keyed > n for n in others)


def _strictly_shortest(question: Question) -> bool:
    keyed, others = _others(question)
    return all(keyed < n for n in others)


def _compute_functions(question: Question) -> set[str]:
    """The compute functions a numeric question (and its misconceptions) or a code
    question's check names."""
    if question.type == "numeric" and question.compute is not None:
        return {question.compute.fn} | {
            m.compute.fn for m in question.misconceptions if m.compute is not None
        }
    if question.type == "code" and question.check is not None:
        return {question.check.expect.fn}
    return set()


def _is_combination(question: Question) -> bool:
    return (
        question.type == "choice"
        and all(f"({mark})" in question.prompt for mark in "アイウエ")
        and "正しいものの組み合わせはどれか" in question.prompt
        and all(COMBINATION_OPTION.fullmatch(o.text) for o in question.choices)
    )


@by_keyword
def test_each_topic_has_its_cards_in_both_forms_and_tags(deck: Deck, keyword: str) -> None:
    cards = _cards(deck, keyword)
    assert len(cards) >= MIN_CARDS, f"{keyword}: {len(cards)} cards"
    assert any(c.is_cloze for c in cards), f"{keyword}: no cloze card"
    assert any(not c.is_cloze for c in cards), f"{keyword}: no front/back card"
    tags = {tag for c in cards for tag in c.tags}
    assert tags >= CARD_TAGS, f"{keyword}: cards lack the tags {CARD_TAGS - tags}"


@by_keyword
def test_each_topic_asks_in_several_forms(deck: Deck, keyword: str) -> None:
    questions = _questions(deck, keyword)
    assert len(questions) >= MIN_QUESTIONS, f"{keyword}: {len(questions)} questions"
    types = {q.type for q in questions}
    assert {"choice", "multi", "truefalse"} <= types, f"{keyword}: only {types}"
    if TOPICS[keyword][1]:
        assert "numeric" in types, f"{keyword}: computes but has no numeric question"


@pytest.mark.parametrize("keyword", [k for k, (_, fns) in TOPICS.items() if fns])
def test_each_computing_topic_uses_its_own_functions(deck: Deck, keyword: str) -> None:
    """Every function pinned for the topic is used by one of its numeric or code questions
    (so a formula taught in the cards is also computed and checked by the engine)."""
    used = set().union(*(_compute_functions(q) for q in _questions(deck, keyword)))
    missing = TOPICS[keyword][1] - used
    assert not missing, f"{keyword}: no question computes with {sorted(missing)}"


@by_group
def test_numeric_questions_name_the_answers_learners_really_give(deck: Deck, group: str) -> None:
    bare = [
        q.id
        for q in _group_questions(deck, group)
        if q.type == "numeric" and not q.misconceptions
    ]
    assert not bare, f"numeric questions without misconceptions: {bare}"


@by_group
def test_the_not_correct_form_is_asked(deck: Deck, group: str) -> None:
    not_correct = [
        q.id
        for q in _group_questions(deck, group)
        if q.type == "choice" and NOT_CORRECT_FORM.search(q.prompt)
    ]
    assert len(not_correct) >= MIN_NOT_CORRECT_FORM, not_correct


@by_group
def test_combination_questions_are_asked_with_distinct_pairs(deck: Deck, group: str) -> None:
    combination = [q for q in _group_questions(deck, group) if _is_combination(q)]
    assert len(combination) >= MIN_COMBINATION, [q.id for q in combination]
    for question in combination:
        pairs = [
            frozenset(COMBINATION_OPTION.fullmatch(o.text).groups())  # type: ignore[union-attr]
            for o in question.choices
        ]
        assert all(len(pair) == 2 for pair in pairs), f"{question.id}: a pair names one mark twice"
        assert len(set(pairs)) == len(pairs), f"{question.id}: two options name the same pair"


@by_keyword
def test_no_text_points_at_an_option_by_position(deck: Deck, keyword: str) -> None:
    bad = [
        f"{item.id}: {POSITIONAL.search(text).group()!r}"  # type: ignore[union-attr]
        for item in [*_cards(deck, keyword), *_questions(deck, keyword)]
        for text in _prose(item)
        if POSITIONAL.search(text)
    ]
    assert not bad, "\n".join(bad)


@by_group
def test_the_keyed_option_is_rarely_the_longest(deck: Deck, group: str) -> None:
    overall: list[bool] = []
    heavy = []
    for keyword in GROUPS[group]:
        four = _four_option(_questions(deck, keyword))
        longest = [_strictly_longest(q) for q in four]
        overall += longest
        if four and sum(longest) > MAX_LONGEST_SHARE_PER_TOPIC * len(four):
            heavy.append(f"{keyword}: {sum(longest)}/{len(four)}")
    assert overall
    assert sum(overall) <= MAX_LONGEST_SHARE * len(overall), f"{sum(overall)}/{len(overall)}"
    assert not heavy, heavy


@by_group
def test_the_keyed_option_is_neither_mostly_shortest_nor_mostly_in_the_middle(
    deck: Deck, group: str
) -> None:
    four = _four_option(_group_questions(deck, group))
    assert four
    shortest = [q.id for q in four if _strictly_shortest(q)]
    middle = [q.id for q in four if not _strictly_shortest(q) and not _strictly_longest(q)]
    assert len(shortest) <= MAX_SHORTEST_SHARE * len(four), (
        f"{len(shortest)}/{len(four)}: {shortest}"
    )
    assert len(middle) <= MAX_MIDDLE_SHARE * len(four), f"{len(middle)}/{len(four)}: {middle}"


@by_keyword
def test_cloze_gaps_are_short_enough_to_recall(deck: Deck, keyword: str) -> None:
    long_gaps = [
        f"{card.id}: {gap.answer!r}"
        for card in _cards(deck, keyword)
        if card.cloze
        for gap in parse(card.cloze)
        if len(gap.answer) > MAX_CLOZE_GAP
    ]
    assert not long_gaps, "\n".join(long_gaps)


def _file_prose(file_name: str) -> Iterator[tuple[str, str]]:
    """(item id, text) for every prose text of a topic file, read from the file itself: an
    item the validator refuses is left out of the deck, but not out of this check."""
    data = yaml.safe_load((CONTENT / file_name).read_text(encoding="utf-8"))
    for card in data.get("cards", []):
        for name in ("front", "back", "cloze"):
            if card.get(name):
                yield card["id"], card[name]
    for question in data.get("questions", []):
        yield question["id"], question["prompt"]
        yield question["id"], question["explanation"]
        for option in question.get("choices", []):
            if isinstance(option, str):
                text, why = option, None
            else:
                text, why = option["text"], option.get("why")
            if question["type"] != "code":
                yield question["id"], text
            if why:
                yield question["id"], why
        for misconception in question.get("misconceptions", []):
            yield question["id"], misconception["why"]


@by_keyword
def test_the_glossary_spellings_are_used(keyword: str) -> None:
    bad = []
    for item_id, text in _file_prose(TOPICS[keyword][0]):
        bad += [f"{item_id}: {w} → {use}" for w, use in UNWANTED.items() if w in text]
        if LONE_BATSU.search(text):
            bad.append(f"{item_id}: 罰 → 罰則 / ペナルティ")
    assert not bad, "\n".join(bad)
