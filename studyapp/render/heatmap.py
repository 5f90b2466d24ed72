"""The activity heatmap: weeks across, weekdays down, each day shaded by its count.

One drawing for both the stats screen (``widgets.heatmap.Heatmap``) and ``studyapp
stats``, so a day has the same shade in the app and on the command line.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from rich.text import Text

WEEKDAYS = "月火水木金土日"
#: Shades from least to most; ``EMPTY`` marks a day without activity.
SHADES = "░▒▓█"
EMPTY = "·"
SHADE_STYLE = "green"
LABEL_CELLS = 3  # "月 " before each row: a wide character and a space
MAX_WEEKS = 53


def level(count: int, peak: int) -> int:
    """0 for no activity, else 1–4: the count's quarter of the busiest day (``peak``).

    Parameters
    ----------
    count : int
        Ratings and answers of the day.
    peak : int
        The busiest day's count among the days shown.
    """
    if count <= 0:
        return 0
    return min(len(SHADES), max(1, -(-len(SHADES) * count // max(peak, 1))))


def heatmap_text(counts: Mapping[date, int], today: date, weeks: int = MAX_WEEKS) -> Text:
    """The grid of the last ``weeks`` weeks (Monday first) up to ``today``, with the month
    number above the week a month starts in, and a legend below.

    Parameters
    ----------
    counts : mapping of date to int
        Ratings and answers per study day (days without activity may be left out).
    today : date
        The current study day: the last column ends with it, later days stay blank.
    weeks : int
        How many weeks to show (at least one).

    Returns
    -------
    Text
        Dim labels, days shaded by :func:`level` relative to the busiest day shown.
    """
    weeks = max(1, weeks)
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    peak = max([n for d, n in counts.items() if start <= d <= today] + [1])
    header = [" "] * (LABEL_CELLS + weeks)
    free = 0  # first column where a label may start
    for week in range(weeks):
        sunday = start + timedelta(days=7 * week + 6)
        if sunday.day > 7:  # the 1st of a month is not in this week
            continue
        label = str(sunday.month)
        col = LABEL_CELLS + week
        if col >= free and col + len(label) <= len(header):
            for k, ch in enumerate(label):
                header[col + k] = ch
            free = col + len(label) + 1
    text = Text("".join(header).rstrip(), style="dim")
    for weekday in range(7):
        text.append("\n")
        text.append(f"{WEEKDAYS[weekday]} ", style="dim")
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day > today:
                text.append(" ")
                continue
            lv = level(counts.get(day, 0), peak)
            if lv == 0:
                text.append(EMPTY, style="dim")
            else:
                text.append(SHADES[lv - 1], style=SHADE_STYLE)
    text.append("\n")
    text.append(" " * LABEL_CELLS + "少 ", style="dim")
    text.append(EMPTY + " ", style="dim")
    for shade in SHADES:
        text.append(shade + " ", style=SHADE_STYLE)
    text.append("多", style="dim")
    text.append(f"（最多の日 {peak} 回）" if any(counts.values()) else "", style="dim")
    return text
