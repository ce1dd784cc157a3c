"""Dates as news texts write them: ``20th May, 2021``, ``May 20, 2021``, ``2021-05-20``.

A small reader of full dates only (day, month and year): a text that gives
less does not date an article, so nothing is guessed.
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["parse_date"]

_MONTHS = {name: n for n, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
_MONTH = r"(?P<month>[A-Za-z]{3,9})\.?"
_ORDINAL = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DATES = [re.compile(p) for p in (
    r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})",
    rf"{_ORDINAL}\s+(?:of\s+)?{_MONTH},?\s+(?P<year>\d{{4}})",
    rf"{_MONTH}\s+{_ORDINAL},?\s+(?P<year>\d{{4}})",
)]


def parse_date(text: str) -> str | None:
    """The first full date (day, month, year) in ``text`` as ``YYYY-MM-DD``."""
    for pattern in _DATES:
        match = pattern.search(text)
        if not match:
            continue
        month = match["month"]
        number = int(month) if month.isdigit() else _MONTHS.get(month.lower())
        try:
            return dt.date(int(match["year"]), number or 0, int(match["day"])).isoformat()
        except ValueError:
            continue
    return None
