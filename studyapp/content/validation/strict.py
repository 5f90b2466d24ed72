"""What ``studyapp validate --strict`` refuses beyond the schema, and the share it reports.

Learners who cannot tell the answer pick the longest option; a deck whose keyed options
are often the longest teaches that habit instead of the topic. For every four-option
question (``choice`` and ``code``) :func:`keyed_strictly_longest` says whether the keyed
option's text has more characters than every other option's; ``studyapp validate`` prints
the share (:func:`longest_share`), and with ``--strict`` :func:`strict_problems` refuses
a deck above :data:`MAX_DECK_SHARE` and a keyword above half of its questions. (A cloze
gap longer than :data:`MAX_GAP_CHARS` is refused with ``--strict`` too, at its line, while
the card is checked: :func:`gap_problems`.)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from studyapp.content import cloze as cloze_gaps
from studyapp.content.models import Deck, DeckProblem, Question

#: The share of four-option questions whose keyed option is strictly the longest that a
#: deck may have, in percent (a guess at random would hit the longest 25 % of the time).
MAX_DECK_SHARE = 30
#: Characters a cloze gap's answer may have: longer ones cannot be recalled word for word.
MAX_GAP_CHARS = 20
#: A keyword is judged on at least this many four-option questions.
MIN_KEYWORD_QUESTIONS = 2

_ADVICE = "shorten the keyed options or lengthen the wrong ones"


@dataclass(frozen=True, slots=True)
class LongestShare:
    """Of ``total`` four-option questions, the ids of those whose keyed option is strictly
    the longest (``longest``), in order."""

    longest: tuple[str, ...]
    total: int

    @property
    def count(self) -> int:
        return len(self.longest)

    @property
    def percent(self) -> int:
        """The share in whole percent (0 when there are no four-option questions)."""
        return round(100 * self.count / self.total) if self.total else 0

    def above(self, percent: int) -> bool:
        """Whether the share is above ``percent`` (exactly, not rounded)."""
        return self.count * 100 > percent * self.total

    def summary(self) -> str:
        """The line ``studyapp validate`` prints."""
        return (f"keyed option strictly longest: {self.count} of {self.total} four-option "
                f"questions ({self.percent}%)")


def is_four_option(question: Question) -> bool:
    """A ``choice`` or ``code`` question (both have exactly four options)."""
    return question.type in ("choice", "code") and len(question.choices) == 4


def keyed_strictly_longest(question: Question) -> bool:
    """Whether the keyed option of a four-option question has more characters than each
    of the others (a tie for the longest is not)."""
    if not is_four_option(question) or not isinstance(question.answer, int):
        return False
    keyed = len(question.choices[question.answer].text)
    return all(keyed > len(option.text)
               for i, option in enumerate(question.choices) if i != question.answer)


def longest_share(questions: Iterable[Question]) -> LongestShare:
    """The share of four-option questions among ``questions`` whose keyed option is
    strictly the longest."""
    four = [q for q in questions if is_four_option(q)]
    return LongestShare(tuple(q.id for q in four if keyed_strictly_longest(q)), len(four))


def strict_problems(deck: Deck) -> list[DeckProblem]:
    """What ``--strict`` refuses in ``deck`` as a whole, at lines of its deck.yaml: the
    deck's share above :data:`MAX_DECK_SHARE`, and each keyword (with at least
    :data:`MIN_KEYWORD_QUESTIONS` four-option questions; a question counts under each of
    its keywords) whose keyed option is strictly the longest in more than half."""
    file = deck.path / "deck.yaml"
    found: list[DeckProblem] = []
    share = longest_share(deck.questions)
    if share.above(MAX_DECK_SHARE):
        found.append(DeckProblem(file, deck.line, (
            f"deck {deck.id!r}: the keyed option is strictly the longest in {share.count} of "
            f"{share.total} four-option questions ({share.percent}%), above {MAX_DECK_SHARE}%: "
            f"learners learn to pick the longest option; {_ADVICE} "
            f"({', '.join(share.longest)})")))
    for keyword in deck.keywords:
        mine = longest_share(deck.questions_for(keyword.id))
        if mine.total >= MIN_KEYWORD_QUESTIONS and mine.count * 2 > mine.total:
            found.append(DeckProblem(file, keyword.line, (
                f"keyword {keyword.id!r}: the keyed option is strictly the longest in "
                f"{mine.count} of its {mine.total} four-option questions, more than half: "
                f"{_ADVICE} ({', '.join(mine.longest)})")))
    return found


def gap_problems(text: str) -> list[tuple[int, int, str]]:
    """The gaps of a cloze text whose answer is longer than :data:`MAX_GAP_CHARS`:
    (start, end of the gap in ``text``, message)."""
    try:
        gaps = cloze_gaps.parse(text)
    except cloze_gaps.ClozeError:
        return []
    return [(gap.start, gap.end, f"cloze gap c{gap.number} is {len(gap.answer)} characters; "
                                 f"at most {MAX_GAP_CHARS} can be recalled word for word")
            for gap in gaps if len(gap.answer) > MAX_GAP_CHARS]
