"""Writing the decks out for other tools: an Anki package and a Markdown study sheet.

:mod:`studyapp.export.anki` builds the ``.apkg`` (``studyapp export anki OUT.apkg``) and
:mod:`studyapp.export.markdown` the printable sheet (``studyapp export md OUT.md``). Both
work on a loaded :class:`~studyapp.content.Library`; neither imports Textual, and genanki
is imported only by the Anki exporter. The formats are described in ``docs/ecosystem.md``.
"""

from __future__ import annotations

from studyapp.export.common import answer_text, option_notes, write_atomic
from studyapp.study.quiz import TYPE_LABELS

__all__ = ["TYPE_LABELS", "answer_text", "option_notes", "write_atomic"]
