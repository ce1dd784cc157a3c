"""The pipeline: composes the stages, with no logic of its own.

    annotate_sources(sources)     ingest -> annotate -> Annotation
    analyze(sources)              ingest -> annotate -> stories -> compare -> summarize -> [Briefing]
    ingest_into(store, ...)       ingest -> store, committed in batches of BATCH_SIZE
    add(store, sources)           ingest -> store -> annotate the new -> join stories (incremental)
    story_briefing(store, story)  a stored story -> compare -> summarize -> Briefing

Each stage is one call here. Stage modules are imported where they are first
used, so that a command that only reads the store starts without loading models.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import Progress, Settings
from .errors import EmptyInput, SourceError, StoreError
from .ingest import article_from_text, iter_ingest
from .model import Annotation, Article, Briefing, Skip, Story
from .store import Store

__all__ = ["analyze", "annotate_sources", "ingest_into", "add", "story_briefing", "find_stories", "brief", "AnalyzeResult", "RunSummary", "AddResult", "BATCH_SIZE"]

log = logging.getLogger(__name__)

#: Articles committed to the store per transaction.
BATCH_SIZE = 200

Sources = Sequence[str | Path]


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What one ingest run did."""

    run: int
    added: int
    already_stored: int
    skips: tuple[Skip, ...]

    @property
    def skipped(self) -> int:
        return len(self.skips)

    def reasons(self) -> dict[str, tuple[str, ...]]:
        """Skip reason -> the sources skipped for it, most frequent reason first."""
        grouped: dict[str, list[str]] = {}
        for skip in self.skips:
            grouped.setdefault(skip.reason, []).append(skip.source)
        ordered = sorted(grouped.items(), key=lambda item: (-len(item[1]), item[0]))
        return {reason: tuple(sources) for reason, sources in ordered}


@dataclass(frozen=True, slots=True)
class AddResult:
    """What :func:`add` did: the ingest run and the stories it touched."""

    run: int
    added: int
    already_stored: int
    skips: tuple[Skip, ...]
    stories: tuple[str, ...]  # ids of the stories created, joined, merged or split
    events: tuple[tuple[str, str, dict], ...]  # (action, story id, detail), as stored in story_history


@dataclass(frozen=True, slots=True, eq=False)
class AnalyzeResult:
    briefings: tuple[Briefing, ...]
    skips: tuple[Skip, ...]


class _Writer:
    """Stores ingested articles batch by batch, and the run's skips."""

    def __init__(self, store: Store, batch_size: int | None = None) -> None:
        self.store = store
        self.run = store.start_run()
        self.batch_size = batch_size or BATCH_SIZE
        self.added = self.already_stored = 0
        self.skips: list[Skip] = []
        self._batch: list[Article] = []

    def add(self, article: Article) -> None:
        self._batch.append(article)
        if len(self._batch) >= self.batch_size:
            self.flush()

    def skip(self, skip: Skip) -> None:
        self.skips.append(skip)
        self.store.record_skips(self.run, [skip])

    def flush(self) -> None:
        if self._batch:
            added, already = self.store.add_articles(self._batch)
            self.added += added
            self.already_stored += already
            self._batch = []

    def finish(self) -> RunSummary:
        self.flush()
        self.store.finish_run(self.run, added=self.added, already_stored=self.already_stored, skipped=len(self.skips))
        return RunSummary(self.run, self.added, self.already_stored, tuple(self.skips))


def _ingested(sources: Sources, settings: Settings, manifest: str | Path | None,
              progress: Progress | None, writer: _Writer | None) -> Iterator[Article | Skip]:
    """Ingest, storing as we go when a writer is given; ``--strict`` turns a skip into an error."""
    given = str(manifest) if manifest is not None else None
    for item in iter_ingest([str(s) for s in sources], settings.ingest, manifest=given, progress=progress):
        if isinstance(item, Skip):
            log.info("skipped %s: %s", item.source, item.reason)
            if writer is not None:
                writer.skip(item)
            if settings.ingest.strict:
                raise SourceError(item.source, f"{item.reason} (--strict makes any skipped input fatal)")
        elif writer is not None:
            writer.add(item)
        yield item


def ingest_into(store: Store, sources: Sources, settings: Settings = Settings(),
                manifest: str | Path | None = None, progress: Progress | None = None) -> RunSummary:
    """Ingest ``sources`` into ``store``, committing every :data:`BATCH_SIZE` articles.

    A run that fails (``--strict`` and a skip, or an error) keeps the batches
    committed before it and stays unfinished in the ``runs`` table.
    """
    writer = _Writer(store)
    for _ in _ingested(sources, settings, manifest, progress, writer):
        pass
    return writer.finish()


def annotate_sources(sources: Sources, settings: Settings = Settings(), *, manifest: str | Path | None = None,
                     store: Store | None = None, progress: Progress | None = None) -> tuple[Annotation, tuple[Skip, ...]]:
    """Ingest the sources (storing them when a store is given) and annotate every article read."""
    from .annotate import annotate

    writer = _Writer(store) if store is not None else None
    items = list(_ingested(sources, settings, manifest, progress, writer))
    if writer is not None:
        writer.finish()
    articles = tuple(i for i in items if isinstance(i, Article))
    skips = tuple(i for i in items if isinstance(i, Skip))
    if not articles:
        reasons = "; ".join(f"{s.source}: {s.reason}" for s in skips[:3]) or "no input found"
        given = ", ".join(str(s) for s in sources) or str(manifest)
        raise EmptyInput(given, f"no article could be read ({reasons}); "
                         "pass text, HTML or JSONL files, folders of them, or URLs")
    return annotate(articles, settings.annotate, progress), skips


def analyze(sources: Sources, settings: Settings = Settings(), *, manifest: str | Path | None = None,
            store: Store | None = None, progress: Progress | None = None) -> AnalyzeResult:
    """Everything rashomon says about the sources: one briefing per story found in them."""
    annotation, skips = annotate_sources(sources, settings, manifest=manifest, store=store, progress=progress)
    briefings = tuple(brief(story, annotation, settings, skips) for story in find_stories(annotation, settings, progress))
    return AnalyzeResult(briefings=briefings, skips=skips)


def find_stories(annotation: Annotation, settings: Settings = Settings(), progress: Progress | None = None) -> tuple[Story, ...]:
    """The stories of the annotated articles: as the input's ``story`` fields say, else clustered."""
    from .cluster import cluster_features, features_from_annotation, make_story

    features = features_from_annotation(annotation, settings.cluster)
    given: dict[str, list] = {}
    loose = []
    for feature, doc in zip(features, annotation.documents, strict=True):
        (given.setdefault(doc.article.story, []) if doc.article.story else loose).append(feature)
    stories = [make_story(members, settings.cluster, story=name) for name, members in sorted(given.items())]
    stories += cluster_features(loose, settings.cluster, progress=progress) if loose else ()
    return tuple(sorted(stories, key=lambda s: (-len(s.articles), s.id)))


def brief(story: Story, annotation: Annotation, settings: Settings = Settings(), skips: tuple[Skip, ...] = ()) -> Briefing:
    """Compare and summarise one story (a story of one source is summarised, not compared)."""
    from .compare import compare
    from .summarize import summarize, summarize_annotation

    annotation = annotation.subset(story.articles)
    comparison = compare(story, annotation, settings.compare) if len(story.articles) > 1 else None
    summary = (summarize(comparison, annotation, settings.summarize) if comparison is not None
               else summarize_annotation(annotation, settings.summarize))
    notes = () if comparison is not None else ("One source only: nothing to compare.",)
    articles = tuple(d.article for d in annotation.documents)
    return Briefing(articles, story, annotation, comparison, summary, skips, notes)


def _pasted_articles(pasted: Sequence[dict], writer: _Writer) -> list[Article]:
    """Pasted texts (``{"text", "source", "known"}``) become articles, stored with the run."""
    articles = [article_from_text(p["text"], p["source"], known=p.get("known")) for p in pasted]
    for article in articles:
        writer.add(article)
    return articles


def add(store: Store, sources: Sources, settings: Settings = Settings(), *, pasted: Sequence[dict] = (),
        manifest: str | Path | None = None, progress: Progress | None = None) -> AddResult:
    """Ingest into the store, annotate what is new, and let it join (or start) stories."""
    from .annotate import annotate
    from .cluster import features_from_annotation
    from .storyindex import StoryIndex

    writer = _Writer(store)
    items = list(_ingested(sources, settings, manifest, progress, writer)) if sources or manifest else []
    articles = [i for i in items if isinstance(i, Article)] + _pasted_articles(pasted, writer)
    summary = writer.finish()
    # To place: what was given and is in no story yet, and what an earlier add
    # annotated but was killed before placing (a crash between its transactions).
    placed = {a for story in store.stories() for a in story.articles}
    new = list({a.id: a for a in articles if a.id not in placed}.values())
    done = store.annotated(a.id for a in new)
    fresh = [a for a in new if a.id not in done]
    unplaced = [a for a in store.unplaced() if a not in {f.id for f in fresh}]
    events: tuple = ()
    if fresh or unplaced:
        joining = features_from_annotation(store.annotations(unplaced), settings.cluster) if unplaced else []
        if fresh:
            annotation = annotate(fresh, settings.annotate, progress)
            store.put_annotations(annotation)
            joining += features_from_annotation(annotation, settings.cluster)
        ids, matrix = store.document_vectors()
        keep = [row for row, article in enumerate(ids) if article in placed]  # vectors saved before a kill are redone
        ids, matrix = tuple(ids[row] for row in keep), matrix[keep]
        index = StoryIndex.from_state(store.stories(), ids, matrix, settings=settings.cluster,
                                      load=_stored_features(store, ids, matrix, settings))
        events = tuple((e.action, e.story, e.detail) for e in index.add(joining))
        store.put_document_vectors(*index.vectors([f.id for f in joining]))
        store.save_stories(index.stories(), events)
    touched = tuple(dict.fromkeys(story for _, story, _ in events))
    return AddResult(summary.run, summary.added, summary.already_stored, summary.skips, touched, events)


def _stored_features(store: Store, ids: Sequence[str], matrix, settings: Settings):
    """A loader of stored articles' cluster features (entities, dates, titles weigh in, not
    their vectors alone), read from the store only for the articles an add touches."""
    from .cluster import features_from_annotation

    row = {article: n for n, article in enumerate(ids)}

    def load(wanted: Sequence[str]):
        wanted = [a for a in wanted if a in row]
        stored = (wanted, matrix[[row[a] for a in wanted]])
        return features_from_annotation(store.annotations(wanted), settings.cluster, stored=stored) if wanted else []
    return load


def story_briefing(store: Store, story_id: str, settings: Settings = Settings()) -> Briefing:
    """Everything rashomon says about one stored story."""
    story = next((s for s in store.stories() if s.id == story_id), None)
    if story is None:
        raise StoreError(f"no story {story_id!r} in {store.path!r}; add articles first or pick one of its stories")
    return brief(story, store.annotations(story.articles), settings)
