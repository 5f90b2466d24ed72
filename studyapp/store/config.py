"""Settings of the store and the learner's calendar (time zone and the hour a day starts).

FSRS works in UTC; a learner's "today" is local. A study day runs from ``day_start_hour``
local time to the same hour the next day (4:00, as Anki does), so a late-night session
after midnight still counts for the evening before.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from types import MappingProxyType

from studyapp.store.errors import StoreError

UTC = timezone.utc
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MS = timedelta(milliseconds=1)


#: The orders new cards can come in (``StoreConfig.new_order``).
NEW_ORDERS = ("deck", "random")
#: What happens to a card that becomes a leech (``StoreConfig.leech_action``).
LEECH_ACTIONS = ("tag", "suspend")


@dataclass(frozen=True)
class StoreConfig:
    """How the store schedules and counts days.

    Attributes
    ----------
    timezone : str
        IANA time zone of the learner (default ``"Asia/Tokyo"``).
    day_start_hour : int
        Local hour (0–23) at which a study day begins (default 4).
    desired_retention : float
        FSRS target probability of recall at the due time (default 0.9).
    new_cards_per_day : int
        How many never-seen cards a study day may introduce (default 20).
    new_order : str
        The order new cards come in: ``"deck"`` (default), the order the last sync gave
        (the decks' teaching order), or ``"random"``, a shuffle fixed per database.
    reviews_per_day : int
        How many review cards a study day offers (default 200, as Anki's maximum
        reviews/day); ratings of review-state cards count, learning steps do not.
    leech_threshold : int
        A card becomes a leech when it has lapsed this many times (Again on a review
        card; default 8, as Anki), and again every half of it after (12, 16 …).
    leech_action : str
        ``"tag"`` (default): a leech is only marked; ``"suspend"``: it is also suspended.
    learning_steps_min : tuple of float
        FSRS learning steps in minutes (default 1 and 10, as Anki).
    relearning_steps_min : tuple of float
        FSRS relearning steps in minutes (default 10).
    maximum_interval_days : int
        Longest interval FSRS may give (default 36500).
    enable_fuzz : bool
        Spread review intervals of 3 days or more over the same range py-fsrs uses; the
        draw is seeded by the item and its review count, so a preview shows exactly the
        interval the rating will give.
    learn_ahead_min : float
        When nothing else is left, a learning card due within this many minutes is shown
        early (Anki's learn-ahead limit, default 20).
    parameters : tuple of float or None
        FSRS model weights; ``None`` uses py-fsrs's defaults.
    skill_expected_seconds : Mapping[str, float]
        Expected solving time per practice skill (generator kind); others use
        ``default_expected_seconds``.
    default_expected_seconds : float
        Expected solving time of a practice problem (default 60 s).
    synchronous : str
        SQLite ``PRAGMA synchronous`` (default ``"FULL"``: a rating survives a power cut,
        not only a killed process).
    busy_timeout_ms : int
        How long a write waits for another running copy of the app (default 10 s).
    exam_date : date or None
        The learner's exam date (default ``None``). With one, a review made before the
        final week whose next due day would fall on or after the exam is brought into the
        final week (``forecast.exam_review_day``), so every card is seen the week before.
    """

    timezone: str = "Asia/Tokyo"
    day_start_hour: int = 4
    desired_retention: float = 0.9
    new_cards_per_day: int = 20
    new_order: str = "deck"
    reviews_per_day: int = 200
    leech_threshold: int = 8
    leech_action: str = "tag"
    learning_steps_min: tuple[float, ...] = (1.0, 10.0)
    relearning_steps_min: tuple[float, ...] = (10.0,)
    maximum_interval_days: int = 36500
    enable_fuzz: bool = True
    learn_ahead_min: float = 20.0
    parameters: tuple[float, ...] | None = None
    skill_expected_seconds: Mapping[str, float] = field(
        default_factory=lambda: MappingProxyType({})
    )
    default_expected_seconds: float = 60.0
    synchronous: str = "FULL"
    busy_timeout_ms: int = 10_000
    exam_date: date | None = None

    def __post_init__(self) -> None:
        problems = []
        if not 0 <= self.day_start_hour <= 23:
            problems.append(f"day_start_hour must be 0..23, got {self.day_start_hour}")
        if not 0.0 < self.desired_retention < 1.0:
            problems.append(f"desired_retention must be in (0, 1), got {self.desired_retention}")
        if self.new_cards_per_day < 0:
            problems.append(f"new_cards_per_day must be >= 0, got {self.new_cards_per_day}")
        if self.new_order not in NEW_ORDERS:
            problems.append(f"new_order must be one of {'/'.join(NEW_ORDERS)}, "
                            f"got {self.new_order!r}")
        if self.reviews_per_day < 0:
            problems.append(f"reviews_per_day must be >= 0, got {self.reviews_per_day}")
        if self.leech_threshold < 1:
            problems.append(f"leech_threshold must be >= 1, got {self.leech_threshold}")
        if self.leech_action not in LEECH_ACTIONS:
            problems.append(f"leech_action must be one of {'/'.join(LEECH_ACTIONS)}, "
                            f"got {self.leech_action!r}")
        if any(s <= 0 for s in (*self.learning_steps_min, *self.relearning_steps_min)):
            problems.append("learning and relearning steps must be > 0 minutes")
        if self.maximum_interval_days < 1:
            problems.append(f"maximum_interval_days must be >= 1, got {self.maximum_interval_days}")
        if self.learn_ahead_min < 0:
            problems.append(f"learn_ahead_min must be >= 0, got {self.learn_ahead_min}")
        if self.default_expected_seconds <= 0:
            problems.append("default_expected_seconds must be > 0")
        if any(v <= 0 for v in self.skill_expected_seconds.values()):
            problems.append("skill_expected_seconds values must be > 0")
        if self.synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            problems.append(f"synchronous must be OFF/NORMAL/FULL/EXTRA, got {self.synchronous}")
        if self.parameters is not None and len(self.parameters) != 21:
            problems.append(f"parameters must hold 21 FSRS weights, got {len(self.parameters)}")
        if problems:
            raise ValueError("invalid StoreConfig: " + "; ".join(problems))

    def expected_ms(self, skill: str) -> int:
        """Expected solving time of ``skill`` in milliseconds."""
        seconds = self.skill_expected_seconds.get(skill, self.default_expected_seconds)
        return round(seconds * 1000)


def load_timezone(name: str) -> tzinfo:
    """The ``tzinfo`` for an IANA name.

    Japan has kept UTC+9 without daylight saving since 1951, so ``Asia/Tokyo`` works even
    where no time zone database is installed (Windows without the ``tzdata`` package).

    Raises
    ------
    StoreError
        When the name is unknown.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        if name in ("Asia/Tokyo", "Japan"):
            return timezone(timedelta(hours=9), "JST")
        raise StoreError(f"不明なタイムゾーンです: {name!r} (例: Asia/Tokyo)") from None


def to_ms(moment: datetime) -> int:
    """Milliseconds since the epoch of an aware datetime (exact integer arithmetic)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the clock must return timezone-aware datetimes")
    return (moment - _EPOCH) // _MS


def from_ms(ms: int) -> datetime:
    """The UTC datetime (``tzinfo=timezone.utc``, as FSRS requires) of epoch milliseconds."""
    return _EPOCH + timedelta(milliseconds=ms)


class Calendar:
    """Study days in the learner's time zone.

    Parameters
    ----------
    tz : tzinfo
        The learner's time zone.
    day_start_hour : int
        Local hour at which a study day begins.
    """

    def __init__(self, tz: tzinfo, day_start_hour: int) -> None:
        self.tz = tz
        self.day_start_hour = day_start_hour
        self._shift = timedelta(hours=day_start_hour)

    def day_of(self, ms: int) -> date:
        """The study day an instant belongs to."""
        return (from_ms(ms).astimezone(self.tz) - self._shift).date()

    def start_ms(self, day: date) -> int:
        """The instant the study day ``day`` begins (epoch ms)."""
        local = datetime.combine(day, time(self.day_start_hour), tzinfo=self.tz)
        return to_ms(local)

    def end_ms(self, day: date) -> int:
        """The instant the study day ``day`` ends (the next day's start)."""
        return self.start_ms(day + timedelta(days=1))
