"""What ``studyapp validate --strict`` refuses beyond the schema, and the share it reports.

Learners who cannot tell the answer pick the longest option; a deck whose keyed options
are often the longest teaches that habit instead of the topic. The cure must not become
the next cue: a deck whose keyed option is almost never the longest nor the shortest
teaches "rule out the extremes". For every four-option question (``choice`` and
``code``) :func:`keyed_strictly_longest` and :func:`keyed_strictly_shortest` say whether
the keyed option's text has more (fewer) characters than every other option's;
``studyapp validate`` prints the shares (:func:`longest_share`), and with ``--strict``
:func:`strict_problems` refuses a deck whose keyed option is the longest, or the
shortest, above :data:`MAX_DECK_SHARE`, or neither above :data:`MAX_MIDDLE_SHARE`, and a
keyword whose keyed option is the longest (or the shortest) in more than half. (A cloze
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
#: The share (percent) of four-option questions whose keyed option is neither the longest
#: nor the shortest that a deck may have. At random it is 50 %; at 70 % a learner who rules
#: out the two extremes and guesses between the other two scores 35 %, not 25 %.
MAX_MIDDLE_SHARE = 70
#: A keyword is judged on at least this many four-option questions.
MIN_KEYWORD_QUESTIONS = 2
#: The middle share is judged on a deck with at least this many four-option questions.
MIN_MIDDLE_QUESTIONS = 10

_ADVICE = "shorten the keyed options or lengthen the wrong ones"


@dataclass(frozen=True, slots=True)
class LongestShare:
    """Of ``total`` four-option questions, the ids of those whose keyed option is strictly
    the longest (``longest``) and strictly the shortest (``shortest``), in order."""

    longest: tuple[str, ...]
    total: int
    shortest: tuple[str, ...] = ()

    @property
    def middle(self) -> int:
        """How many have their keyed option neither strictly longest nor strictly shortest."""
        return self.total - len(self.longest) - len(self.shortest)

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
        """The lines ``studyapp validate`` prints (no final newline)."""
        return (f"keyed option strictly longest: {self.count} of {self.total} four-option "
                f"questions ({self.percent}%)\n"
                f"keyed option strictly shortest: {len(self.shortest)} "
                f"({_percent(len(self.shortest), self.total)}%), neither: {self.middle} "
                f"({_percent(self.middle, self.total)}%)")


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0


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


def keyed_strictly_shortest(question: Question) -> bool:
    """Whether the keyed option of a four-option question has fewer characters than each
    of the others (a tie for the shortest is not)."""
    if not is_four_option(question) or not isinstance(question.answer, int):
        return False
    keyed = len(question.choices[question.answer].text)
    return all(keyed < len(option.text)
               for i, option in enumerate(question.choices) if i != question.answer)


def longest_share(questions: Iterable[Question]) -> LongestShare:
    """The shares of four-option questions among ``questions`` whose keyed option is
    strictly the longest, and strictly the shortest."""
    four = [q for q in questions if is_four_option(q)]
    return LongestShare(tuple(q.id for q in four if keyed_strictly_longest(q)), len(four),
                        tuple(q.id for q in four if keyed_strictly_shortest(q)))


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
    shortest = len(share.shortest)
    if shortest * 100 > MAX_DECK_SHARE * share.total:
        found.append(DeckProblem(file, deck.line, (
            f"deck {deck.id!r}: the keyed option is strictly the shortest in {shortest} of "
            f"{share.total} four-option questions ({_percent(shortest, share.total)}%), above "
            f"{MAX_DECK_SHARE}%: learners learn to pick the shortest option; lengthen the "
            f"keyed options or shorten the wrong ones ({', '.join(share.shortest)})")))
    if (share.total >= MIN_MIDDLE_QUESTIONS
            and share.middle * 100 > MAX_MIDDLE_SHARE * share.total):
        found.append(DeckProblem(file, deck.line, (
            f"deck {deck.id!r}: the keyed option is neither the longest nor the shortest in "
            f"{share.middle} of {share.total} four-option questions "
            f"({_percent(share.middle, share.total)}%), above {MAX_MIDDLE_SHARE}%: learners "
            "learn to rule out the longest and the shortest option; let the keyed option be "
            "the longest or the shortest more often")))
    for keyword in deck.keywords:
        mine = longest_share(deck.questions_for(keyword.id))
        if mine.total < MIN_KEYWORD_QUESTIONS:
            continue
        for which, ids in (("longest", mine.longest), ("shortest", mine.shortest)):
            if len(ids) * 2 > mine.total:
                found.append(DeckProblem(file, keyword.line, (
                    f"keyword {keyword.id!r}: the keyed option is strictly the {which} in "
                    f"{len(ids)} of its {mine.total} four-option questions, more than half: "
                    + (_ADVICE if which == "longest" else
                       "lengthen the keyed options or shorten the wrong ones")
                    + f" ({', '.join(ids)})")))
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
