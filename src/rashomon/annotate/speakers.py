"""Who is speaking: turn the subject of a speech verb into a speaker mention.

A speaker is a span of the article (its surface text and offsets). The
subject of a speech verb becomes a speaker in one of four ways:

1. a name (a PERSON, ORG, GPE or NORP entity, or a proper noun) is the
   speaker itself: "Kremlin spokesman Dmitry Peskov said" -> "Dmitry Peskov";
2. a pronoun (he, she) is resolved, in this order, to a person named as a
   subject (or as the agent of a passive, "announced by Blinken") earlier in
   the same sentence, to the speaker of an attribution in
   the previous sentence, to a person who is the subject of the previous
   sentence, or to the last speaker if it was attributed at most
   ``RECENT_SENTENCES`` sentences before; otherwise the speaker is None;
3. a description ("the Kremlin spokesman") is resolved to the person it was
   tied to earlier in the article, by a compound ("Kremlin spokesman Dmitry
   Peskov") or an apposition ("Konstantin Kosachev, deputy speaker ..."): the
   description's head noun must be among that person's descriptive words, and
   among several such persons the one sharing most modifier words, then the
   most recent, wins;
4. any other noun phrase ("American experts", "the State Department") is the
   speaker as written.

Persons are recognised by spaCy's PERSON label; because the small model
sometimes labels a surname GPE or ORG ("Blinken"), a proper noun also counts
as a person when the same word is part of a PERSON entity elsewhere in the
article. A subject in apposition to a person ("Vice President of ..., Earl
Rasmussen") stands for that person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

__all__ = ["Mention", "SpeakerResolver", "subject_of", "noun_before", "name_after", "name_before", "name_before_colon", "same_paragraph"]

PRONOUNS = {"he", "she"}
POSSESSIVES = {"his", "her"}  # "his claim that ...": resolved like the subject pronoun
INDEFINITE_PRONOUNS = {"some", "someone", "somebody", "many", "few", "others", "several", "everyone", "everybody", "most"}
NAME_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "PRODUCT", "WORK_OF_ART", "LAW", "EVENT"}
SUBJECT_DEPS = ("nsubj", "nsubjpass")
DESCRIPTIVE_DEPS = {"compound", "amod", "nmod", "appos", "prep", "pobj"}
RECENT_SENTENCES = 3
DASHES = ("-", "—", "–", "--", "―")
MAX_NAME_AFTER = 8  # tokens of a noun phrase read after an inverted cue
NOUN_PHRASE_TAGS = {"DET", "ADJ", "NUM", "NOUN", "PROPN"}
INDEFINITE_DETERMINERS = {"a", "an", "one", "another", "some", "any"}
#: Abbreviated titles, read as the word a description would use ("Gov." -> "the governor").
TITLES = {"gov.": "governor", "sen.": "senator", "rep.": "representative", "pres.": "president", "gen.": "general"}


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention: its text and character offsets in ``doc.text``."""

    text: str
    start: int
    end: int
    person: bool = False


@dataclass(slots=True)
class SpeakerResolver:
    """Resolves speech-verb subjects to mentions, remembering earlier speakers.

    Call :meth:`resolve` for attributions in document order: pronouns look
    back at the speakers resolved before them.
    """

    doc: Doc
    inside: list[tuple[int, int]]  # quoted character spans, ignored when looking for subjects
    _descriptions: list[tuple[Mention, frozenset[str], int]] = field(default_factory=list)
    _history: list[tuple[int, Mention]] = field(default_factory=list)  # (sentence index, speaker)
    _sentence_of: dict[int, int] = field(default_factory=dict)
    _person_words: set[str] = field(default_factory=set)
    _sentences: list[Span] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._sentences.extend(self.doc.sents)
        self._person_words.update(t.text for e in self.doc.ents if e.label_ == "PERSON" for t in e)
        for index, sentence in enumerate(self.doc.sents):
            for token in sentence:
                self._sentence_of[token.i] = index
        for entity in self.doc.ents:
            if entity.label_ == "PERSON":
                words = _descriptive_words(entity)
                if words:
                    self._descriptions.append((_entity_mention(entity), words, entity.start))

    def resolve(self, subject: Token) -> Mention | None:
        """The speaker mention the subject ``subject`` stands for, or None."""
        if subject.lower_ in PRONOUNS or subject.lower_ in POSSESSIVES:
            found = self._antecedent(subject)
        elif subject.lower_ in INDEFINITE_PRONOUNS:
            found = _phrase(subject)  # "Some chanted ...", "someone in the audience shouted"
        elif subject.pos_ == "PRON":
            found = None
        else:
            found = self._named(subject) or self._described(subject) or _phrase(subject)
        if found is not None:
            self._history.append((self._sentence_of[subject.i], found))
        return found

    def remember(self, token: Token, mention: Mention) -> None:
        """Record a speaker found without a subject token (e.g. an inherited one)."""
        self._history.append((self._sentence_of[token.i], mention))

    def last_speaker(self) -> Mention | None:
        return self._history[-1][1] if self._history else None

    def _named(self, subject: Token) -> Mention | None:
        entity = _entity_of(subject)
        if entity is not None and entity.label_ in NAME_LABELS:
            return _entity_mention(entity)
        for child in subject.subtree:  # "Vice President of ..., Earl Rasmussen, said"
            appositive = _entity_of(child) if child.dep_ == "appos" else None
            if appositive is not None and appositive.label_ == "PERSON":
                return _entity_mention(appositive)
        if subject.pos_ == "PROPN":
            return _phrase(subject, person=subject.text in self._person_words)
        return None

    def _described(self, subject: Token) -> Mention | None:
        if subject.pos_ != "NOUN" or any(c.lower_ in INDEFINITE_DETERMINERS for c in subject.lefts):
            return None  # "a Nevada Democrat said" is somebody new, not a person named before
        modifiers = {t.lemma_.lower() for t in subject.subtree if t.i < subject.i and t.pos_ in ("NOUN", "PROPN", "ADJ")}
        best: tuple[int, int, Mention] | None = None
        for mention, words, at in self._descriptions:
            if at >= subject.i or subject.lemma_.lower() not in words:
                continue
            score = (len(modifiers & words), at)
            if best is None or score > best[:2]:
                best = (*score, mention)
        return best[2] if best else None

    def _antecedent(self, pronoun: Token) -> Mention | None:
        here = self._sentence_of[pronoun.i]
        same = self._subjects(here, before=pronoun.i)
        if same:
            return same[-1]
        previous = self._previous_sentence(here)
        if previous is not None:
            spoken = [m for s, m in self._history if s == previous and m.person]
            if spoken:
                return spoken[-1]
            subjects = self._subjects(previous)
            if subjects:
                return subjects[-1]
        recent = [m for s, m in self._history if here - s <= RECENT_SENTENCES and m.person]
        return recent[-1] if recent else None

    def _previous_sentence(self, index: int) -> int | None:
        """The nearest earlier sentence with words outside quotation marks."""
        sentences = self._sentences
        for earlier in range(index - 1, -1, -1):
            if any(not self._quoted(t.idx) for t in sentences[earlier] if not t.is_punct and not t.is_space):
                return earlier
        return None

    def _subjects(self, index: int, before: int | None = None) -> list[Mention]:
        """Persons that are subjects (outside quotes) in sentence ``index`` (before token ``before``)."""
        sentence = self._sentences[index]
        found: list[Mention] = []
        for token in sentence if before is None else sentence[: max(0, before - sentence.start)]:
            agent = token.dep_ == "pobj" and token.head.dep_ == "agent"  # "announced by Blinken"
            if (token.dep_ not in SUBJECT_DEPS and not agent) or self._quoted(token.idx):
                continue
            mention = self._person_in(token)
            if mention is not None and mention not in found:
                found.append(mention)
        return found

    def _person_in(self, subject: Token) -> Mention | None:
        if subject.lower_ in PRONOUNS:
            earlier = [m for s, m in self._history if m.person and m.start < subject.idx]
            return earlier[-1] if earlier else None
        for token in [subject] + [c for c in subject.subtree if c.dep_ == "appos"]:
            entity = _entity_of(token)
            if entity is not None and entity.label_ == "PERSON":
                return _entity_mention(entity)
        if subject.pos_ == "PROPN" and subject.text in self._person_words and subject.ent_type_ != "NORP":
            return _phrase(subject, person=True)
        return None

    def _quoted(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.inside)


def _entity_of(token: Token) -> Span | None:
    """The named entity ``token`` is part of, read from its IOB tags."""
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=token.ent_type_)


def _entity_mention(entity: Span) -> Mention:
    entity = _after_dash(entity)
    return Mention(entity.text, entity.start_char, entity.end_char, entity.label_ == "PERSON")


def _after_dash(span: Span) -> Span:
    """A name the parse ran over a spaced dash ("STAY OPEN - Anna Lee") keeps what follows the dash, and
    one that starts with punctuation the tokenizer glued together ("”― Anna Lee") keeps what follows it."""
    dashes = [t.i for t in span[:-1] if t.text in DASHES and t.whitespace_]
    start = dashes[-1] + 1 if dashes else span.start
    while start < span.end - 1 and not any(c.isalnum() for c in span.doc[start].text):
        start += 1
    return Span(span.doc, start, span.end, label=span.label_) if start > span.start else span


def _phrase(head: Token, person: bool = False) -> Mention:
    """The noun phrase headed by ``head``: its left modifiers and the head itself."""
    left = [t for t in head.lefts if t.dep_ in ("compound", "amod", "det", "nmod", "poss", "nummod")]
    first = min([head.i] + [t.left_edge.i for t in left])
    last = head.i
    for token in head.rights:
        if token.dep_ in ("compound", "flat") or (token.dep_ == "prep" and token.lower_ == "of"):
            last = token.right_edge.i
    span = _after_dash(head.doc[first : last + 1]) if first < head.i else head.doc[first : last + 1]
    return Mention(span.text, span.start_char, span.end_char, person)


def _descriptive_words(entity: Span) -> frozenset[str]:
    """Lowercased lemmas of the nouns and adjectives that describe a person.

    They come from the entity head's compounds and modifiers outside the
    entity ("Kremlin spokesman"), its appositions ("..., deputy speaker of
    ..."), and a noun it stands in apposition to ("the minister, Sergey Lavrov").
    """
    head = entity.root
    tokens: list[Token] = []
    for child in head.children:
        if child.dep_ in DESCRIPTIVE_DEPS and not (entity.start <= child.i < entity.end):
            tokens.extend(child.subtree)
    if head.dep_ == "appos":
        tokens.extend(t for t in head.head.subtree if t.i < head.head.i or t.i == head.head.i)
    words = {
        TITLES.get(t.lemma_.lower(), t.lemma_.lower())
        for t in tokens
        if t.pos_ in ("NOUN", "PROPN", "ADJ") and not (entity.start <= t.i < entity.end)
    }
    left = entity.doc[entity.start - 1] if entity.start > 0 else None
    titles = [t for t in entity if t.lower_ in TITLES] + ([left] if left is not None and left.lower_ in TITLES else [])
    return frozenset(words | {TITLES[t.lower_] for t in titles})


def same_paragraph(doc: Doc, first: int, second: int) -> bool:
    """True when no line break separates tokens ``first`` and ``second`` (spaCy may parse across one)."""
    low, high = sorted((first, second))
    return not any("\n" in t.text_with_ws for t in doc[low:high])


def subject_of(cue: Token) -> Token | None:
    """The subject of a speech verb; for a participle ("..., saying") the subject of its head.

    A subject in another paragraph is a parse that ran over a paragraph break
    (spaCy does not always split sentences there), so it is not trusted.
    """
    if cue.lower_ == "according":
        to = next((c for c in cue.children if c.lower_ == "to"), None)
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    verb = cue
    for _ in range(4):
        # a dash the tagger read as a noun ("... made public ― Trump boasted") is no subject
        subjects = (c for c in verb.children if c.dep_ in SUBJECT_DEPS and not c.is_punct and c.text not in DASHES)
        subject = next(subjects, None)
        if subject is not None:
            return subject if same_paragraph(cue.doc, subject.i, cue.i) else noun_before(cue)
        if verb.dep_ not in ("advcl", "conj", "xcomp", "acl", "pcomp", "acomp") or verb.head.i == verb.i:
            break
        # "by saying": the preposition, then its verb; "posted a message reading": the object, then its verb
        two_up = verb.dep_ == "pcomp" or (verb.dep_ == "acl" and verb.head.dep_ == "dobj")
        verb = verb.head.head if two_up else verb.head
    return noun_before(cue) if cue.dep_ in ("ROOT", "ccomp", "parataxis", "dep") else None


def noun_before(cue: Token) -> Token | None:
    """For a parse that gave the verb no subject ("House Speaker Paul Ryan says ..." after a headline line):
    the noun right before it in its paragraph (an adverb, auxiliary or "not" may sit between)."""
    doc, at = cue.doc, cue.i - 1
    while at >= 0 and doc[at].pos_ in ("ADV", "AUX", "PART") and doc[at].lower_ not in ("to", "'s", "’s"):
        at -= 1
    if at > 0 and doc[at].text == "," and (doc[at - 1].text == ")" or doc[at - 1].dep_ == "appos"):
        at -= 1  # "Gov. Ann Lee (D-OH), said", "her adviser, Jake Sullivan, said"
    if at >= 0 and doc[at].text == ")":
        opening = next((t.i for t in reversed(doc[max(0, at - 8) : at]) if t.text == "("), None)
        at = opening - 1 if opening is not None else at
    if at < 0 or not same_paragraph(doc, at, cue.i):
        return None
    before = doc[at]
    return before if before.pos_ in ("NOUN", "PROPN") or before.lower_ in PRONOUNS else None


def name_before(cue: Token, after: int) -> Token | None:
    """For '"...," Ramos, 58, told AFP' parsed without a subject: the name between quote and cue."""
    between = [t for t in cue.doc[: cue.i] if t.idx >= after]
    names = [t for t in between if t.pos_ == "PROPN" or t.ent_type_ == "PERSON"]
    if not names or any(t.text in (".", "!", "?") for t in between):
        return None
    head = names[0]
    while head.i + 1 < cue.i and cue.doc[head.i + 1].pos_ == "PROPN":
        head = cue.doc[head.i + 1]
    return head


def name_after(cue: Token) -> Token | None:
    """For an inverted cue parsed without a subject ("said Bolton.", "added a Nevada Democrat", "Stated Stone:"):
    the head of the noun phrase right after it (its last noun before anything that is not part of a noun phrase)."""
    if cue.pos_ not in ("VERB", "AUX"):
        return None
    head = None
    for token in cue.doc[cue.i + 1 : cue.i + 1 + MAX_NAME_AFTER]:
        if not same_paragraph(cue.doc, cue.i, token.i) or token.pos_ not in NOUN_PHRASE_TAGS:
            break
        if token.pos_ in ("NOUN", "PROPN"):
            head = token
    return head


def name_before_colon(cue: Token) -> Token | None:
    """The proper noun right before a colon cue ("Philip Bump: ..."), else None."""
    if cue.text != ":" or cue.i == 0:
        return None
    before = cue.doc[cue.i - 1]
    return before if before.pos_ == "PROPN" or (before.pos_ == "NOUN" and before.text[:1].isupper()) else None
