"""CSV cells that spreadsheets would run as formulas are defused: one rule for every export.

A text cell starting with = + - @ (or their full-width forms, which some spreadsheets
also read as formulas), a tab or a carriage return gets a leading apostrophe: the
spreadsheet shows the text instead of evaluating it. Numbers are left as they are: a
negative number is a number, not a formula.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def defused(value: Any) -> Any:
    """The value as a spreadsheet should show it; only text can turn into a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def defused_row(values: Iterable[Any]) -> list[Any]:
    return [defused(value) for value in values]
