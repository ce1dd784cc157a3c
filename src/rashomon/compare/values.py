"""Values a sentence states: numbers (digits or words) and negations.

"thirteen", "13" and "13.0" read the same; "1,200" is 1200. Years stay
numbers too, which lets two sources disagree on one.
"""

from __future__ import annotations

import re

__all__ = ["NUMBER_WORDS", "numbers", "number_mentions", "is_negated", "NEGATIONS"]

NUMBER_WORDS = {
    word: n
    for n, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen twenty".split()
    )
}
NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
                     "ninety": 90, "hundred": 100, "dozen": 12})
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"
    r"(?:\s+(thousand|million|billion))?(?![\w])",
    re.IGNORECASE,
)
NEGATIONS = re.compile(r"\b(not|no|never|n't|neither|nor|without|refused|denied|declined)\b", re.IGNORECASE)
_SKIP_WORDS = {"one", "zero"}  # "one of", "no one": too often not a count


def number_mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, normalised value) of each number in ``text``."""
    found = []
    for match in _NUMBER.finditer(text):
        raw, scale = match.group(1).lower(), match.group(2)
        if raw in _SKIP_WORDS:
            continue
        value = float(NUMBER_WORDS[raw]) if raw in NUMBER_WORDS else float(raw.replace(",", ""))
        if scale:
            value *= _SCALES[scale.lower()]
        found.append((match.start(), match.end(), str(int(value)) if value.is_integer() else f"{value:g}"))
    return found


def numbers(text: str) -> list[str]:
    """The normalised values of the numbers in ``text``."""
    return [value for _s, _e, value in number_mentions(text)]


def is_negated(text: str) -> bool:
    """Whether ``text`` holds a negation word."""
    return NEGATIONS.search(text) is not None
