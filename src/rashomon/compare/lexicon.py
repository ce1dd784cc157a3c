"""Words that carry judgement: VADER's strongly valenced words and loaded political terms.

The political list is rashomon's own, small on purpose: words a neutral wire
report would avoid, each one a judgement about a side.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

__all__ = ["LOADED_TERMS", "NEUTRAL_IN_NEWS", "STOPWORDS", "loaded_words", "content_words", "words"]

#: Loaded political terms (lower case), written for rashomon.
LOADED_TERMS = frozenset(
    """
    cave caved caving capitulation capitulate regime stunning shocking gift giveaway
    surrender surrendered appeasement appease puppet thug thugs dictator tyrant
    radical extremist extremists scandal disgrace disgraceful betrayal betray betrayed
    propaganda sham blunder fiasco debacle humiliating humiliation reckless
    head-spinning dubious malign aggression aggressive killer murderer lavish
    slammed blasted bombshell meddling undeserved celebrate celebrated
    """.split()
)

STOPWORDS = frozenset(
    """
    a an the and or but if of to in on at by for with from as into about over after before
    that this these those it its is are was were be been being has have had do does did
    will would can could may might must shall should he she they them his her their our we
    you your i me my mr ms mrs not no so than then there here which who whom whose what when
    where why how also said says say told according just very more most such both all any
    each other some one two up out off again further once only own same too s t
    """.split()
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d+(?:[.,]\d+)*")


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters, inner hyphens/apostrophes, numbers)."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


@lru_cache(maxsize=8192)
def content_words(text: str) -> frozenset[str]:
    """Words of ``text`` that are not stopwords and have three letters or more."""
    return frozenset(w for w in words(text) if w not in STOPWORDS and len(w) > 2)


@cache
def _vader_lexicon() -> dict[str, float]:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return dict(SentimentIntensityAnalyzer().lexicon)


#: VADER words that are names or plain news vocabulary more often than opinion.
NEUTRAL_IN_NEWS = frozenset(
    "united party parties interest interests like fight thanks please wish agreement peace free "
    "importance offensive defensive help protect security".split()
)


def loaded_words(text: str, valence: float = 1.5) -> list[str]:
    """Opinion words in ``text``: VADER words with |valence| >= ``valence`` and loaded terms.

    A capitalised VADER word inside a sentence is taken for part of a name
    ("United States") and skipped; loaded terms count however they are written.
    """
    lexicon = _vader_lexicon()
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0).lower().replace("’", "'")
        if word in LOADED_TERMS:
            found.append(word)
        elif abs(lexicon.get(word, 0.0)) >= valence and word not in NEUTRAL_IN_NEWS:
            if not (match.group(0)[0].isupper() and match.start() > 0):
                found.append(word)
    return found
