"""The code of a listing fill-in beside a question (quiz, exam); hidden when it has none."""

from __future__ import annotations

from textual.widgets import Static

from studyapp.render.listing import listing_text


class Listing(Static):
    """A question's ``listing`` with its blank 【ア】 standing out (styles: ``.listing``)."""

    def show(self, listing: str | None) -> None:
        """Draw ``listing``, or hide the widget when the question has none."""
        self.update(listing_text(listing) if listing else "")
        self.display = bool(listing)
