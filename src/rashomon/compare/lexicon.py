"""Words that carry judgement: VADER's strongly valenced words and loaded political terms.

The political list is rashomon's own, small on purpose: words a neutral wire
report would avoid, each one a judgement about a side.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

__all__ = ["LOADED_TERMS", "NEUTRAL_IN_NEWS", "STOPWORDS", "EVENT_CLASSES", "event_classes", "common_stems", "loaded_words", "content_words", "words"]

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


#: Event classes: words news reports use for one kind of event, written for
#: rashomon (stems: a word belongs to a class when it starts with one). Two
#: sentences that name the same entities and an event of the same class in
#: different words ("apologised" / "asked forgiveness") likely report one fact.
EVENT_CLASSES: dict[str, tuple[str, ...]] = {
    "apologise": ("apologi", "apology", "forgiveness", "sorry", "pardon"),
    "investigate": ("inquir", "enquir", "investigat", "probe"),
    "die": ("death", "dead", "died", "dies", "killed", "kills", "killing", "fatalit", "lives", "perish", "casualt"),
    "injure": ("injur", "wound", "hurt", "hospitali"),
    "evacuate": ("evacuat", "fled", "flee", "displaced", "homeless", "shelter"),
    "collapse": ("collaps", "ruptur", "breach", "burst", "failed", "failure", "gave way", "give way", "gives way"),
    "flood": ("flood", "inundat", "submerg", "water"),
    "arrest": ("arrest", "detain", "custody", "apprehend", "captur"),
    "charge": ("charged", "indict", "prosecut", "accused"),
    "convict": ("convict", "sentenc", "guilty", "jailed", "imprison"),
    "resign": ("resign", "quit", "step down", "stepped down", "steps down", "stood down"),
    "dismiss": ("dismiss", "fired", "sacked", "ousted", "removed"),
    "elect": ("elect", "voted", "won", "wins", "victory", "defeat"),
    "meet": ("meet", "met", "talks", "summit", "meeting"),
    "agree": ("agree", "deal", "accord", "pact", "treaty"),
    "sanction": ("sanction", "penal", "embargo", "blacklist"),
    "waive": ("waive", "waiver", "exempt", "lift", "spare", "relief"),
    "attack": ("attack", "strike", "struck", "bomb", "shell", "assault", "raid", "shoot", "shot"),
    "earthquake": ("earthquake", "quake", "tremor", "seismic"),
    "fire": ("blaze", "fire", "burn", "flame"),
    "announce": ("announc", "unveil", "declare", "ordered", "launch"),
    "warn": ("warn", "alarm", "alert"),
    "protest": ("protest", "demonstrat", "rally", "march"),
    "sue": ("sued", "sues", "lawsuit", "litigat"),
    "acquire": ("acquir", "acquisition", "takeover", "buy", "bought", "purchas", "merger"),
    "rise": ("rose", "rise", "raised", "increas", "climb", "jump", "surge", "soar"),
    "fall": ("fell", "fall", "drop", "dropp", "declin", "slump", "plunge", "slid", "slide", "cut"),
    "release": ("releas", "launch", "unveil", "debut"),
    "return": ("return", "came back", "come back", "recall"),
    "repair": ("repair", "fix", "restor", "mend"),
    "crack": ("crack", "fissur", "defect", "flaw"),
}

SHORT_STEM = 4  # a stem this short names a word (and its plural), not a prefix
_EVENT_WORDS = {stem: name for name, stems in EVENT_CLASSES.items() for stem in stems if " " not in stem}
_EVENT_PHRASES = {stem: name for name, stems in EVENT_CLASSES.items() for stem in stems if " " in stem}


STEM = 6  # letters kept of a word: "inquiry" and "inquiries" meet, "shares" and "shareholders" do not
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z-]{2,}")


@lru_cache(maxsize=16384)
def common_stems(text: str) -> frozenset[str]:
    """Stems of the lower-case content words of ``text`` (capitalised names left out)."""
    return frozenset(w[:STEM] for w in _LOWER_WORD.findall(text) if w not in STOPWORDS)


@lru_cache(maxsize=16384)
def event_classes(text: str) -> frozenset[str]:
    """The event classes whose words occur in ``text``."""
    found = set()
    for word in words(text):
        for stem, name in _EVENT_WORDS.items():
            if word in (stem, stem + "s") or (len(stem) > SHORT_STEM and word.startswith(stem)):
                found.add(name)
    lowered = text.lower()
    found.update(name for phrase, name in _EVENT_PHRASES.items() if phrase in lowered)
    return frozenset(found)
