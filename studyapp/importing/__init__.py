"""Bringing cards in from other tools: :mod:`studyapp.importing.tsv` reads Anki's
"Notes in Plain Text" export (tab-separated front/back) into a new deck folder.
No Textual import here.
"""

from __future__ import annotations

from studyapp.importing.tsv import ImportResult, RowProblem, TsvError, import_tsv, read_tsv

__all__ = ["ImportResult", "RowProblem", "TsvError", "import_tsv", "read_tsv"]
