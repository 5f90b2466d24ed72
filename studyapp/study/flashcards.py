"""A flashcard session's tally: what the end of the session shows (cards, the Again rate,
the time), kept as the learner rates and undoes. The ratings themselves are in the store;
the tally only counts this session's, so the summary needs no query of its own."""

from __future__ import annotations

from dataclasses import dataclass, field

from studyapp.store import Rating


@dataclass
class SessionTally:
    """The ratings of one flashcard session, in order: (card, rating 1–4, time taken)."""

    entries: list[tuple[str, int, int]] = field(default_factory=list)

    def record(self, card: str, rating: int, duration_ms: int) -> None:
        """Count a rating the store recorded."""
        self.entries.append((card, int(rating), max(0, duration_ms)))

    def undo(self, card: str | None = None) -> None:
        """Take the last rating out (the store undid it); nothing when there is none, or
        when it is not of ``card`` (the store undid a rating of an earlier session)."""
        if self.entries and (card is None or self.entries[-1][0] == card):
            self.entries.pop()

    @property
    def ratings(self) -> int:
        """Ratings made (a card seen twice, after a learning step, counts twice)."""
        return len(self.entries)

    @property
    def cards(self) -> int:
        """Different cards rated."""
        return len({card for card, _, _ in self.entries})

    @property
    def again(self) -> int:
        """Ratings of Again."""
        return sum(rating == Rating.Again for _, rating, _ in self.entries)

    @property
    def again_rate(self) -> float | None:
        """Again among the ratings (``None`` before the first)."""
        return self.again / self.ratings if self.entries else None

    @property
    def duration_ms(self) -> int:
        """Time spent from showing each card to rating it."""
        return sum(ms for _, _, ms in self.entries)


__all__ = ["SessionTally"]
