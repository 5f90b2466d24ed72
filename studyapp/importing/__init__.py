"""Bringing cards in from other tools: Anki's "Notes in Plain Text" export becomes a new
deck folder. :mod:`studyapp.importing.anki_text` reads the file into notes,
:mod:`studyapp.importing.anki_notes` maps each note type to cards and questions, and
:mod:`studyapp.importing.tsv` writes and checks the deck. No Textual import here.
"""

from __future__ import annotations

from studyapp.importing.tsv import (
    ImportResult,
    RowProblem,
    TsvError,
    TsvFile,
    import_tsv,
    read_tsv,
)

__all__ = ["ImportResult", "RowProblem", "TsvError", "TsvFile", "import_tsv", "read_tsv"]
