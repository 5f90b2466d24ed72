"""Numbers as the learner reads them, the same on the screens and on the command line."""

from __future__ import annotations


def percent(rate: float | None) -> str:
    """``"87%"`` (rounded half to even), or ``"—"`` before there is anything to measure.

    Parameters
    ----------
    rate : float or None
        A fraction in [0, 1] (a retention, an accuracy), ``None`` when nothing was counted.
    """
    return "—" if rate is None else f"{round(rate * 100)}%"
