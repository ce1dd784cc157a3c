"""Entity mentions from spaCy, cleaned and corrected across a story.

spaCy's small English model makes a few errors that matter when outlets are
compared by who they name. The corrections here are applied to all the
articles annotated together (a "story"), since one article often names a
person in full while another only gives the surname:

- a leading "the", a possessive "'s" and a title ("Sen.", "President") are
  trimmed from a mention; the title is kept as a role (see :func:`find_roles`);
- a bare surname tagged GPE/ORG/NORP becomes PERSON when a full name with that
  surname is a PERSON somewhere in the story;
- a span that ends with a known person's full name ("the Russian Federation
  Sergey Lavrov") is cut down to that name;
- a hyphenated pair of known surnames ("Blinken-Lavrov Talks") becomes two
  PERSON mentions.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace

from rapidfuzz import fuzz

from ..model import Mention

__all__ = [
    "ENTITY_TYPES",
    "TITLES",
    "extract_mentions",
    "correct_mentions",
    "find_roles",
    "name_tokens",
    "same_person",
    "trim_mention",
    "FIRST_NAME_MATCH",
    "SURNAME_MATCH",
]

#: spaCy labels that become entities; DATE, CARDINAL, MONEY ... do not.
ENTITY_TYPES = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})
#: Mislabelled kinds that a person's surname is often given.
_RELABEL = frozenset({"GPE", "ORG", "NORP", "FAC", "LOC", "PRODUCT", "WORK_OF_ART"})
#: Words that are a title, not part of a person's name.
TITLES = frozenset(
    "mr mr. mrs mrs. ms ms. dr dr. sen sen. senator rep rep. representative gov gov. governor "
    "president vice prime minister secretary chancellor ambassador general gen gen. "
    "spokesman spokeswoman spokesperson king queen prince princess pope sir lord judge justice "
    "mayor premier foreign deputy chairman chief director leader lt. col. col capt. captain".split()
)
#: Last words that make a "person" a company.
ORG_SUFFIXES = frozenset(
    "hydro energy power oil gas bank holdings group inc corp corporation co ltd llc plc ag gmbh sa "
    "company partners capital airlines motors systems technologies pharma media news".split()
)
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_HYPHEN_PAIR = re.compile(r"\b([A-Z][\w’']+)\s*[-–]\s*([A-Z][\w’']+)\b")


def name_tokens(text: str) -> tuple[str, ...]:
    """Lowercase, accent-free word tokens of a name, for matching."""
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    plain = re.sub(r"(?:'s|’s)\b", "", plain).replace(".", "")
    return tuple(re.findall(r"[^\W_]+", plain))


def trim_mention(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Offsets of a mention without spaces, a leading 'the', a possessive or titles."""
    span = text[start:end]
    while True:
        before = (start, end)
        stripped = span.lstrip(" \t\n\"“'‘([")
        start += len(span) - len(stripped)
        span = stripped.rstrip(" \t\n\"”'’,;:)]")
        end = start + len(span)
        lead = re.match(r"(?i)the\s+", span)
        if lead and len(span) > lead.end():
            start, span = start + lead.end(), span[lead.end() :]
        if _POSSESSIVE.search(span) and len(span) > 2:
            cut = _POSSESSIVE.search(span).start()
            span, end = span[:cut], start + cut
        if label == "PERSON" and "/" in span:  # a byline glued to its outlet: "Ann Lee/Daily News"
            span = span[: span.index("/")]
            end = start + len(span)
        if label == "PERSON":
            first = re.match(r"[\w.]+\s+", span)
            if first and first.group().strip().lower() in TITLES:
                start, span = start + first.end(), span[first.end() :]
        if (start, end) == before:
            return start, end


def extract_mentions(doc) -> list[Mention]:
    """Named-entity mentions of one spaCy Doc, trimmed, entity types only.

    A span broken by a line break keeps only its first line (headlines and
    captions are often glued to the next line by the model).
    """
    text = doc.text
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in ENTITY_TYPES and ent.label_ != "WORK_OF_ART":
            continue
        end = ent.end_char
        newline = text.find("\n", ent.start_char, end)
        if newline != -1:
            end = newline
        start, end = trim_mention(text, ent.start_char, end, ent.label_)
        if end - start < 2 or not any(c.isalpha() for c in text[start:end]):
            continue
        mentions.append(Mention(start, end, text[start:end], ent.label_))
    return mentions


FIRST_NAME_MATCH = 80.0  # rapidfuzz ratio: "sergey"/"sergei" 83, "john"/"jake" 25
SURNAME_MATCH = 85.0  # "navalny"/"navalni" 86, "lavrov"/"lavrova" 92


def same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether two full names (tokens from :func:`name_tokens`) name one person.

    The surnames must be close and the first names close too (or one an
    initial); the initials must agree, so "John Sullivan" and "Jake Sullivan"
    stay two people, as do "Joe Biden" and "Joe Manchin".
    """
    if len(a) < 2 or len(b) < 2 or a[0][:1] != b[0][:1] or a[-1][:1] != b[-1][:1]:
        return False
    if fuzz.ratio(a[-1], b[-1]) < SURNAME_MATCH:
        return False
    return len(a[0]) == 1 or len(b[0]) == 1 or fuzz.ratio(a[0], b[0]) >= FIRST_NAME_MATCH


def _known_people(all_mentions: Sequence[Sequence[Mention]]) -> tuple[set[tuple[str, ...]], dict[str, int]]:
    """Full PERSON names (token tuples) and how many full names share each surname."""
    full = {name_tokens(m.text) for ms in all_mentions for m in ms if m.label == "PERSON"}
    full = {t for t in full if 2 <= len(t) <= 4}
    surnames: dict[str, int] = {}
    for tokens in full:
        surnames[tokens[-1]] = surnames.get(tokens[-1], 0) + 1
    return full, surnames


def correct_mentions(
    all_mentions: Sequence[Sequence[Mention]], texts: Sequence[str] | None = None
) -> list[list[Mention]]:
    """Fix the small model's known errors using everything the story names.

    ``all_mentions`` holds one list of mentions per article (``texts`` their
    texts, when given, to find surname pairs the model missed); the result
    keeps that shape. WORK_OF_ART spans not corrected into people are dropped.
    """
    full, surnames = _known_people(all_mentions)
    corrected = []
    for index, mentions in enumerate(all_mentions):
        fixed: list[Mention] = []
        for mention in mentions:
            fixed.extend(_correct(mention, full, surnames))
        if texts is not None:
            fixed.extend(_missed_pairs(texts[index], fixed, surnames))
        corrected.append(sorted(set(fixed), key=lambda m: (m.start, m.end)))
    return corrected


def _missed_pairs(text: str, mentions: Sequence[Mention], surnames: dict[str, int]) -> list[Mention]:
    """Surnames in a hyphenated pair ("the Blinken-Lavrov meeting") no mention covers."""
    found = []
    for pair in _HYPHEN_PAIR.finditer(text):
        if not all(name_tokens(pair.group(i))[-1:] and name_tokens(pair.group(i))[-1] in surnames for i in (1, 2)):
            continue
        for i in (1, 2):
            start, end = pair.span(i)
            if not any(m.start < end and start < m.end for m in mentions):
                found.append(Mention(start, end, pair.group(i), "PERSON"))
    return found


def _correct(mention: Mention, full: set[tuple[str, ...]], surnames: dict[str, int]) -> list[Mention]:
    tokens = name_tokens(mention.text)
    if mention.label != "PERSON" and len(tokens) >= 3:
        for length in (3, 2):  # "the Russian Federation Sergey Lavrov" -> "Sergey Lavrov"
            if tokens[-length:] in full:
                words = list(re.finditer(r"[^\W_][\w.’'-]*", mention.text))[-length:]
                if len(words) == length:
                    start = mention.start + words[0].start()
                    return [Mention(start, mention.end, mention.text[words[0].start() :], "PERSON")]
    pair = _HYPHEN_PAIR.search(mention.text)
    if pair and all(name_tokens(pair.group(i))[-1:] and name_tokens(pair.group(i))[-1] in surnames for i in (1, 2)):
        return [
            Mention(mention.start + pair.start(i), mention.start + pair.end(i), pair.group(i), "PERSON")
            for i in (1, 2)
        ]
    if mention.label in _RELABEL and len(tokens) == 1 and tokens[0] in surnames and mention.text[:1].isupper():
        return [replace(mention, label="PERSON")]
    if mention.label in _RELABEL and 2 <= len(tokens) <= 4 and any(same_person(tokens, f) for f in full):
        return [replace(mention, label="PERSON")]  # a full name tagged ORG ("Alexei Navalny")
    if mention.label == "PERSON" and len(tokens) >= 2 and tokens[-1] in ORG_SUFFIXES:
        return [replace(mention, label="ORG")]  # "Tarvos Hydro", "Acme Holdings"
    if mention.label == "WORK_OF_ART":
        return []
    return [mention]


def find_roles(doc, mentions: Sequence[Mention]) -> dict[tuple[int, int], str]:
    """The role written just before each PERSON mention, by mention offsets.

    "Russian Foreign Minister Sergey Lavrov" gives "Russian Foreign Minister";
    "State Department spokesman Ned Price" gives "State Department spokesman".
    The role is the run of capitalised words (joined by "of", "for", "the")
    and title nouns right before the name.
    """
    roles = {}
    starts = [token.idx for token in doc]
    for mention in mentions:
        if mention.label != "PERSON":
            continue
        role = _role_before(doc, bisect.bisect_left(starts, mention.start))
        if role:
            roles[(mention.start, mention.end)] = role
    return roles


_JOINERS = frozenset({"of", "for", "the", "and"})


def _role_before(doc, index: int) -> str | None:
    """The role in the tokens before token ``index``, where a name begins."""
    words = []
    position = index - 1
    while position >= 0 and index - position <= 8:
        token = doc[position]
        word = token.text
        title_like = word[:1].isupper() or word.lower() in TITLES
        if (token.ent_type_ == "PERSON" and word.lower() not in TITLES) or "\n" in token.whitespace_ + word:
            break
        if not (title_like or (word.lower() in _JOINERS and words)) or token.is_punct:
            break
        words.insert(0, token)
        position -= 1
    while words and words[0].text.lower() in _JOINERS:
        words.pop(0)
    if not words or not any(w.text.lower() in TITLES for w in words):
        return None
    return doc[words[0].i : words[-1].i + 1].text
