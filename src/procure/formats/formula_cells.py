"""Spreadsheet formula injection: cells procure writes never run as formulas.

A text cell that starts with = + - @ tab or CR is a formula to Excel and LibreOffice
(`=cmd|' /C calc'!A0`, `=HYPERLINK(...)`). Procure writes such a cell with a leading
apostrophe, which spreadsheets show as text. Procure also reads its own files back (the
placements.csv of a report is re-evaluated by `procure evaluate`), so the reader drops
that apostrophe again: `restore(neutralise(v)) == v` for every text, including texts that
themselves begin with apostrophes (those are escaped with one more).
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_escape(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_TRIGGERS)


def neutralise(text: str) -> str:
    """The text as a cell no spreadsheet evaluates."""
    return "'" + text if _needs_escape(text) else text


def restore(text: str) -> str:
    """The text `neutralise` was given: one leading apostrophe dropped where it added one."""
    return text[1:] if text.startswith("'") and _needs_escape(text[1:]) else text
