"""The records that flow through rashomon's pipeline.

Every record is a frozen dataclass built from tuples, so a stage can never
change what an earlier stage produced: it returns a new, richer record.

Positions are character offsets into the cleaned ``Article.text`` unless a
field says otherwise, so every claim in a report traces back to its words.

    Article  --annotate-->  Annotated  --cluster-->  Story
    Story + Annotated  --compare-->  Comparison  --summarize-->  Summary
    all of it  -->  Briefing (JSON, Markdown, HTML)

Serialisation lives in :mod:`rashomon.records`; this module only declares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "Evidence",
    "Span",
    "Removed",
    "Article",
    "Skip",
    "Sentence",
    "Mention",
    "Entity",
    "Quote",
    "TimeExpression",
    "Tone",
    "Annotated",
    "Annotation",
    "Story",
    "Citation",
    "Fact",
    "Variant",
    "Discrepancy",
    "Voice",
    "Framing",
    "Similarity",
    "Coverage",
    "Comparison",
    "SummarySentence",
    "Angle",
    "TimelineEvent",
    "Summary",
    "Briefing",
]


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why rashomon believes a metadata value: the words it was read from.

    ``field`` names the Article field (``outlet``, ``published``, ``title``,
    ``authors``, ``language``); ``method`` names the rule that read it
    (``dateline``, ``promo-line``, ``date-line``, ``html-meta``, ``manifest``,
    ``bulk-field``, ``heading``, ``langid``, ...).
    """

    field: str
    value: str
    text: str
    method: str


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)``."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Removed:
    """Text cleaning took out, kept so nothing is silently lost.

    ``start``/``end`` are offsets into the text as it was read (before
    cleaning); ``at`` is where the removed text stood in the cleaned text.
    """

    text: str
    reason: str
    start: int
    end: int
    at: int


@dataclass(frozen=True, slots=True)
class Article:
    """One report of one outlet, cleaned, with its metadata and evidence."""

    id: str
    source: str
    text: str
    outlet: str | None = None
    title: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None  # ISO date, YYYY-MM-DD (or full ISO datetime)
    language: str | None = None
    url: str | None = None
    story: str | None = None  # a story id given by the input, if any
    paragraphs: tuple[Span, ...] = ()
    removed: tuple[Removed, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    extras: tuple[tuple[str, str], ...] = ()  # unknown input fields, kept as given

    def evidence_for(self, name: str) -> Evidence | None:
        """The evidence behind field ``name``, or None when it was not inferred."""
        return next((e for e in self.evidence if e.field == name), None)


@dataclass(frozen=True, slots=True)
class Skip:
    """An input that could not become an article, and why."""

    source: str
    reason: str


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    tone: float = 0.0  # VADER compound score in [-1, 1]


@dataclass(frozen=True, slots=True)
class Mention:
    """A named-entity mention inside one article."""

    start: int
    end: int
    text: str
    label: str  # spaCy label after correction: PERSON, ORG, GPE, ...


@dataclass(frozen=True, slots=True)
class Entity:
    """One real-world referent across all articles analysed together."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    mentions: tuple[tuple[str, int, int], ...]  # (article id, start, end)
    description: str | None = None  # a role or affiliation the text ties to it


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    start: int
    end: int
    kind: str  # "direct", "indirect" or "scare"
    speaker: str | None = None  # canonical entity name
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None


@dataclass(frozen=True, slots=True)
class TimeExpression:
    """A time expression and what it resolves to (None when it cannot be)."""

    text: str
    start: int
    end: int
    value: str | None  # ISO date of the start of the range
    value_end: str | None = None  # ISO date of the end (inclusive) for ranges
    grain: str | None = None  # "day", "week", "month", "year"


@dataclass(frozen=True, slots=True)
class Tone:
    """Sentence tone aggregated over an article (or an entity's sentences)."""

    mean: float
    positive: float  # share of sentences with compound >= 0.05
    negative: float  # share of sentences with compound <= -0.05
    sentences: int


@dataclass(frozen=True, slots=True)
class Annotated:
    """An article with the evidence later stages align across sources.

    Sentence vectors are not here: they live in one matrix beside the
    records (see :class:`rashomon.annotate.Annotation`).
    """

    article: Article
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    quotes: tuple[Quote, ...]
    times: tuple[TimeExpression, ...]
    tone: Tone
    notes: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.article.id


@dataclass(frozen=True, slots=True, eq=False)
class Annotation:
    """Articles annotated together: their records, the entities that link
    them, and one matrix of sentence vectors beside the records.

    Row ``i`` of ``vectors`` belongs to the ``i``-th sentence when the
    sentences of ``documents`` are taken in order (document by document).
    ``vectors`` has zero rows when vectors were not asked for.
    """

    documents: tuple[Annotated, ...]
    entities: tuple[Entity, ...]
    vectors: "np.ndarray"

    def rows(self, article_id: str) -> range:
        """The rows of ``vectors`` that hold one article's sentences."""
        begin = 0
        for doc in self.documents:
            if doc.id == article_id:
                return range(begin, begin + len(doc.sentences))
            begin += len(doc.sentences)
        raise KeyError(article_id)

    def sentence_vectors(self, article_id: str) -> "np.ndarray":
        span = self.rows(article_id)
        return self.vectors[span.start : span.stop]

    def document(self, article_id: str) -> Annotated:
        return next(d for d in self.documents if d.id == article_id)

    def subset(self, article_ids: "tuple[str, ...] | list[str]") -> "Annotation":
        """The same annotation restricted to some articles (entities filtered too)."""
        import numpy as np

        keep = set(article_ids)
        docs = tuple(d for d in self.documents if d.id in keep)
        rows = [i for d in docs for i in self.rows(d.id)]
        entities = tuple(
            Entity(e.id, e.name, e.type, e.aliases, tuple(m for m in e.mentions if m[0] in keep), e.description)
            for e in self.entities
            if any(m[0] in keep for m in e.mentions)
        )
        vectors = self.vectors[rows] if len(self.vectors) else np.zeros((0, 384), dtype=np.float32)
        return Annotation(docs, entities, vectors)


@dataclass(frozen=True, slots=True)
class Story:
    """Articles reporting one event."""

    id: str
    label: str
    articles: tuple[str, ...]  # article ids, sorted
    first: str | None = None  # earliest publication date
    last: str | None = None
    duplicates: tuple[tuple[str, str], ...] = ()  # (article id, duplicate of)


@dataclass(frozen=True, slots=True)
class Citation:
    article: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Fact:
    id: str
    text: str
    support: tuple[Citation, ...]

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({c.article for c in self.support}))


@dataclass(frozen=True, slots=True)
class Variant:
    article: str
    start: int
    end: int
    value: str


@dataclass(frozen=True, slots=True)
class Discrepancy:
    fact: str
    kind: str  # "number", "date", "name", "place", "negation", "attribute", "spelling"
    variants: tuple[Variant, ...]
    note: str = ""


@dataclass(frozen=True, slots=True)
class Voice:
    """A speaker and what each source quotes of them."""

    speaker: str
    affiliation: str | None
    quotes: tuple[tuple[str, int, int, str], ...]  # (article id, start, end, kind)

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(sorted({q[0] for q in self.quotes}))


@dataclass(frozen=True, slots=True)
class Framing:
    """How one source frames the story."""

    article: str
    tone: Tone
    entity_tone: tuple[tuple[str, float], ...]  # (entity name, mean compound)
    distinctive: tuple[tuple[str, float], ...]  # (term, z-score of log-odds)
    loaded: tuple[tuple[str, int, int], ...]  # (word, sentence start, sentence end)
    headline: str | None = None
    headline_tone: float | None = None


@dataclass(frozen=True, slots=True)
class Similarity:
    """SemEval-2022 Task 8 dimensions for a pair, 1 (very similar) to 4."""

    first: str
    second: str
    scores: tuple[tuple[str, float], ...]  # (dimension, score)


@dataclass(frozen=True, slots=True)
class Coverage:
    """Which source reports which fact: one row per fact, one column per distinct source.

    ``reported[i][j]`` is True when ``facts[i]`` is reported by ``articles[j]``;
    ``marks[i]`` is "consensus" (at least half the sources), "singleton" (one
    source) or "shared" (more than one, fewer than half).
    """

    articles: tuple[str, ...] = ()  # article ids, the columns
    facts: tuple[str, ...] = ()  # fact ids, the rows, in the comparison's order
    reported: tuple[tuple[bool, ...], ...] = ()
    marks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Comparison:
    story: Story
    facts: tuple[Fact, ...]
    consensus: tuple[str, ...]  # fact ids
    omissions: tuple[tuple[str, tuple[str, ...]], ...]  # (article id, fact ids)
    singletons: tuple[tuple[str, tuple[str, ...]], ...]  # (article id, fact ids)
    discrepancies: tuple[Discrepancy, ...]
    voices: tuple[Voice, ...]
    framing: tuple[Framing, ...]
    similarity: tuple[Similarity, ...]
    notes: tuple[str, ...] = ()
    coverage: Coverage = field(default_factory=Coverage)


@dataclass(frozen=True, slots=True)
class SummarySentence:
    text: str
    citations: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class Angle:
    article: str
    sentences: tuple[SummarySentence, ...]


@dataclass(frozen=True, slots=True)
class TimelineEvent:
    date: str
    date_end: str | None
    text: str
    sources: tuple[Citation, ...]
    evidence: tuple[str, ...]  # the time expressions the date was resolved from


@dataclass(frozen=True, slots=True)
class Summary:
    sentences: tuple[SummarySentence, ...]
    angles: tuple[Angle, ...]
    timeline: tuple[TimelineEvent, ...]
    notes: tuple[str, ...] = field(default=())


@dataclass(frozen=True, slots=True, eq=False)
class Briefing:
    """Everything rashomon says about one story, ready to render.

    Later stages fill later fields; a field is None when its stage did not run
    (for example ``comparison`` for a story of one article).
    """

    articles: tuple[Article, ...]
    story: Story | None = None
    annotation: Annotation | None = None
    comparison: Comparison | None = None
    summary: Summary | None = None
    skips: tuple[Skip, ...] = ()
    notes: tuple[str, ...] = ()
