"""Time expressions and what they resolve to, given the publication date.

Candidates come from spaCy's DATE/TIME entities and from patterns for the
expressions news text uses most (weekdays, "yesterday", "last week",
"in March", "mid-June", "this summer", "19 May", "May 19, 2021"). The longest
candidate wins where they overlap.

Resolution follows news conventions rather than dateparser's where they
differ: a bare weekday means the most recent such day on or before the
publication date; a month without a year is in the publication year;
"in March", "last year", "mid-June", "this summer" are ranges
(``value``..``value_end``, inclusive, with a ``grain``). Absolute dates are
parsed with dateparser. Without a publication date, relative expressions
resolve to None and absolute ones still resolve; anything else (durations
such as "two days") resolves to None.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import cache

from ..model import TimeExpression

__all__ = ["find_times", "resolve_time", "parse_published"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")  # fmt: skip (calendar.month_name follows the locale)
MONTHS = {m.lower(): i for i, m in enumerate(MONTH_NAMES, 1)}
MONTHS.update({m[:3].lower(): i for i, m in enumerate(MONTH_NAMES, 1)})
MONTHS["sept"] = 9
SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}
PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}

_MONTH = "(?:" + "|".join(MONTH_NAMES) + r"|Jan\.|Feb\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_PATTERNS = [
    rf"(?:{_WEEKDAY},?\s+)?(?:{_DAY}\s+(?:of\s+)?{_MONTH}|{_MONTH}\s+{_DAY}\b)(?:,?\s+\d{{4}})?",
    r"\b\d{4}-\d{2}-\d{2}\b",
    rf"\b(?:(?:early|mid|late)[-\s]+)?{_MONTH}(?:,?\s+\d{{4}})?",
    rf"\b(?:(?:last|this|next|on)\s+)?{_WEEKDAY}\b",
    r"(?i:\b(?:yesterday|today|tomorrow|tonight)\b)",
    r"(?i:\b(?:last|this|next|past)\s+(?:week|month|year|weekend|spring|summer|autumn|fall|winter)\b)",
    r"(?i:\b(?:in|since|until|by)\s+(?:19|20)\d{2}\b)",
]
_MONTH_CONTEXT = re.compile(r"(?i)\b(?:in|of|since|until|early|mid|late|by)[-\s]+$")
_CANDIDATES = tuple(re.compile(p) for p in _PATTERNS)  # run one by one: the longest match wins


def parse_published(published: str | None) -> date | None:
    """The publication date of an ISO date or datetime string, else None."""
    if not published:
        return None
    try:
        return date.fromisoformat(published[:10])
    except ValueError:
        return None


def _candidates(text: str, ents) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Pattern matches and spaCy DATE/TIME spans, each trimmed of prepositions."""
    patterns = []
    for match in (m for pattern in _CANDIDATES for m in pattern.finditer(text)):
        start, end = match.span()
        lead = re.match(r"(?i)(?:on|in|since|until|by)\s+", match.group())
        if lead:
            start += lead.end()
        if text[start:end] == "May" and not _MONTH_CONTEXT.search(text[max(0, start - 12) : start]):
            continue  # the modal verb "May"
        patterns.append((start, end))
    model = [(e.start_char, e.end_char) for e in ents if e.label_ in ("DATE", "TIME")]
    return patterns, model


def _longest(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    for start, end in sorted(set(spans), key=lambda s: (-(s[1] - s[0]), s[0])):
        if not any(start < e and s < end for s, e in kept):
            kept.append((start, end))
    return sorted(kept)


def _expression(text: str, start: int, end: int, base: date | None) -> TimeExpression | None:
    while start < end and text[start] in " \n\t([\"“":
        start += 1
    while end > start and text[end - 1] in " \n\t.,;:)]\"”":
        end -= 1
    if start >= end:
        return None
    value, value_end, grain = resolve_time(text[start:end], base)
    return TimeExpression(text[start:end], start, end, value, value_end, grain)


def find_times(text: str, ents=(), published: str | None = None) -> tuple[TimeExpression, ...]:
    """Time expressions in ``text`` (plus spaCy's DATE/TIME ``ents``), resolved.

    The longest candidate wins; a spaCy span that cannot be resolved gives way
    to the pattern matches inside it ("June 29 to July 18" -> two dates).
    """
    base = parse_published(published)
    patterns, model = _candidates(text, ents)
    found = []
    for start, end in _longest(patterns + model):
        expression = _expression(text, start, end, base)
        if expression is None:
            continue
        inner = [(s, e) for s, e in patterns if start <= s and e <= end and (s, e) != (start, end)]
        if expression.value is None and inner:
            found.extend(x for s, e in _longest(inner) if (x := _expression(text, s, e, base)) is not None)
        else:
            found.append(expression)
    return tuple(found)


Resolved = tuple[str | None, str | None, str | None]


def resolve_time(expression: str, published: date | None) -> Resolved:
    """(value, value_end, grain) of one expression; values are ISO dates or None."""
    words = re.sub(r"\s+", " ", expression.strip().lower())
    words = re.sub(r"^(?:the|on|in|since|until|by) ", "", words)
    for rule in (_absolute, _relative, _named_period):
        result = rule(words, published)
        if result is not None:
            return result
    return None, None, None


def _iso(day: date) -> str:
    return day.isoformat()


def _month_range(year: int, month: int, first: int = 1, last: int = 31) -> Resolved:
    last = min(last, calendar.monthrange(year, month)[1])
    return _iso(date(year, month, first)), _iso(date(year, month, last)), "month"


def _absolute(words: str, published: date | None) -> Resolved | None:
    """Dates with a day or a year: dateparser, with our grain."""
    years = re.findall(r"\b(?:19|20)\d{2}\b", words)
    if re.fullmatch(r"(?:19|20)\d{2}", words):
        return f"{words}-01-01", f"{words}-12-31", "year"
    if re.fullmatch(r"(?:19|20)\d{2}\s*[-–]\s*(?:19|20)\d{2}", words):
        return f"{years[0]}-01-01", f"{years[1]}-12-31", "year"
    has_month = any(m in MONTHS for m in re.findall(r"[a-z]+", words))
    has_day = bool(re.search(r"\b\d{1,2}(?:st|nd|rd|th)?\b", words)) and has_month
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", words):
        return words, None, "day"
    if not has_month or not (has_day or years):
        return None
    if not years and published is None:
        return None, None, None  # "19 May" with no year and no publication date
    parsed = _read_date(words, published) or _dateparse(re.sub(r"^[a-z]+day,? ", "", words), published)
    if parsed is None:
        return None, None, None
    if has_day:
        return _iso(parsed), None, "day"
    return _month_range(parsed.year, parsed.month)


def _read_date(words: str, published: date | None) -> date | None:
    """The common news forms ("19 May", "May 19, 2021", "July 2018") without dateparser."""
    found = re.fullmatch(
        r"(?:[a-z]+day,? )?(?:(\d{1,2})(?:st|nd|rd|th)? (?:of )?([a-z]+)\.?|([a-z]+)\.?(?: (\d{1,2})(?:st|nd|rd|th)?)?),?"
        r"(?: ((?:19|20)\d{2}))?",
        words,
    )
    if not found or (found.group(2) or found.group(3)) not in MONTHS:
        return None
    month = MONTHS[found.group(2) or found.group(3)]
    year = int(found.group(5)) if found.group(5) else published.year if published else None
    day = int(found.group(1) or found.group(4) or 1)
    try:
        return date(year, month, day) if year else None
    except ValueError:  # "31 June"
        return None


@cache
def _dateparser_settings(base: date | None) -> dict:
    settings = {"PREFER_DATES_FROM": "current_period", "PREFER_DAY_OF_MONTH": "first"}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    return settings


def _dateparse(words: str, published: date | None) -> date | None:
    import dateparser

    parsed = dateparser.parse(words, languages=["en"], settings=dict(_dateparser_settings(published)))
    return parsed.date() if parsed else None


def _relative(words: str, published: date | None) -> Resolved | None:
    """Expressions relative to the publication date."""
    weekday = re.fullmatch(r"(last |this |next )?(" + "|".join(WEEKDAYS) + ")", words)
    offsets = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
    periods = re.fullmatch(r"(last|this|next|past) (week|month|year|weekend)", words)
    if not (weekday or words in offsets or periods):
        return None
    if published is None:
        return None, None, None
    if words in offsets:
        return _iso(published + timedelta(days=offsets[words])), None, "day"
    if weekday:
        target = WEEKDAYS.index(weekday.group(2))
        if weekday.group(1) == "next ":
            return _iso(published + timedelta(days=(target - published.weekday() - 1) % 7 + 1)), None, "day"
        back = (published.weekday() - target) % 7
        if weekday.group(1) == "last " and back == 0:
            back = 7
        return _iso(published - timedelta(days=back)), None, "day"
    return _period(periods.group(1), periods.group(2), published)


def _period(which: str, unit: str, published: date) -> Resolved:
    shift = {"last": -1, "past": -1, "this": 0, "next": 1}[which]
    if unit in ("week", "weekend"):
        monday = published - timedelta(days=published.weekday()) + timedelta(weeks=shift)
        if unit == "weekend":
            return _iso(monday + timedelta(days=5)), _iso(monday + timedelta(days=6)), "day"
        return _iso(monday), _iso(monday + timedelta(days=6)), "week"
    if unit == "month":
        index = published.year * 12 + published.month - 1 + shift
        return _month_range(index // 12, index % 12 + 1)
    year = published.year + shift
    return f"{year}-01-01", f"{year}-12-31", "year"


def _named_period(words: str, published: date | None) -> Resolved | None:
    """A month ("in March", "mid-June") or a season ("this summer") without a year."""
    month = re.fullmatch(r"(?:(early|mid|late)[- ])?([a-z]+)\.?", words)
    season = re.fullmatch(r"(last|this|next|past) (spring|summer|autumn|fall|winter)", words)
    if month and month.group(2) in MONTHS:
        if published is None:
            return None, None, None
        first, last = PARTS.get(month.group(1) or "", (1, 31))
        return _month_range(published.year, MONTHS[month.group(2)], first, last)
    if season:
        if published is None:
            return None, None, None
        shift = {"last": -1, "past": -1, "this": 0, "next": 1}[season.group(1)]
        first, last = SEASONS[season.group(2)]
        year = published.year + shift
        end_year = year + 1 if last < first else year
        end = date(end_year, last, calendar.monthrange(end_year, last)[1])
        return _iso(date(year, first, 1)), _iso(end), "season"
    return None
