"""A listing fill-in's code as the screens show it: lines kept as written (indentation is
meaning in Python), the blank 【ア】 standing out so the eye finds what is asked."""

from __future__ import annotations

from rich.text import Text

from studyapp.content.models import LISTING_BLANK


def listing_text(listing: str) -> Text:
    """The listing as a Rich ``Text``: its lines unchanged, each blank in reverse bold.

    Parameters
    ----------
    listing : str
        The question's ``listing`` (one blank line ``【ア】``, possibly indented).

    Returns
    -------
    rich.text.Text
        Never wrapped at spaces (``no_wrap``): a folded line of code reads as another line.
    """
    text = Text(no_wrap=True, overflow="fold", end="")
    lines = listing.rstrip("\n").split("\n")
    for number, line in enumerate(lines):
        if number:
            text.append("\n")
        before, blank, after = line.partition(LISTING_BLANK)
        text.append(before)
        if blank:
            text.append(f" {LISTING_BLANK} ", style="reverse bold")
            text.append(after)
    return text
