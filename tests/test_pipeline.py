"""The pipeline: analyze and ingest_into compose ingest and the store."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon import pipeline
from rashomon.config import IngestSettings, Settings
from rashomon.errors import EmptyInput, SourceError, StoreError
from rashomon.model import Skip
from rashomon.pipeline import RunSummary, analyze, ingest_into
from rashomon.store import Store

PLACES = ["harbour", "valley", "market square", "old bridge", "rail depot", "north pier", "school yard"]


class BatchRecordingStore(Store):
    """A real store that also remembers the size of every batch it was given."""

    batches: list[int]

    def add_articles(self, articles):
        articles = list(articles)
        self.batches = getattr(self, "batches", []) + [len(articles)]
        return super().add_articles(articles)


@pytest.fixture
def reports(tmp_path: Path) -> Path:
    """Seven short, distinct reports written for this test, plus one binary file."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for number, place in enumerate(PLACES):
        (folder / f"report{number}.txt").write_text(
            f"Cleanup begins at the {place}\n\nVolunteers gathered at the {place} on Saturday to clear debris left by "
            f"the storm, organisers said.\n\nThe work at the {place} is expected to last {number + 2} days.\n",
            encoding="utf-8")
    (tmp_path / "broken.bin").write_bytes(bytes(range(256)) * 40)
    return folder


def test_analyze_gives_one_briefing_per_story_covering_every_article(reports):
    result = analyze([reports, reports.parent / "broken.bin"])
    ids = [a.id for b in result.briefings for a in b.articles]
    assert len(ids) == len(set(ids)) == len(PLACES)  # the stories partition the articles
    for briefing in result.briefings:
        assert set(briefing.story.articles) == {a.id for a in briefing.articles}
        assert [s.source for s in briefing.skips] == [s.source for s in result.skips]
        assert (briefing.comparison is None) == (len(briefing.articles) == 1)
        assert briefing.summary is not None
    assert len(result.skips) == 1 and "broken.bin" in result.skips[0].source


def test_analyze_follows_the_story_field_when_given(tmp_path):
    lines = [f'{{"text": "Volunteers cleared the {p} after the storm on Saturday, organisers said. The work will last days.", '
             f'"story": "{"north" if i % 2 else "south"}"}}' for i, p in enumerate(PLACES)]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines), encoding="utf-8")
    result = analyze([tmp_path / "dump.jsonl"])
    assert sorted(b.story.id for b in result.briefings) == ["north", "south"]
    assert sorted(len(b.articles) for b in result.briefings) == [3, 4]


def test_analyze_stores_articles_and_skips_when_given_a_store(reports, tmp_path):
    with Store.open(tmp_path / "p.db") as store:
        result = analyze([reports, reports.parent / "broken.bin"], store=store)
        analysed = [a for b in result.briefings for a in b.articles]
        assert store.articles() == tuple(sorted(analysed, key=lambda a: a.id))
        assert store.skips() == result.skips
        assert store.runs()[0]["added"] == len(PLACES)


def test_analyze_of_nothing_readable_raises(tmp_path, reports):
    with pytest.raises(EmptyInput, match="no article could be read.*broken.bin"):
        analyze([reports.parent / "broken.bin"])


def test_ingest_into_commits_in_batches(reports, tmp_path, monkeypatch):
    monkeypatch.setattr(pipeline, "BATCH_SIZE", 3)
    with BatchRecordingStore.open(tmp_path / "b.db") as store:
        summary = ingest_into(store, [reports])
        assert store.batches == [3, 3, 1]
        assert (summary.added, summary.already_stored, summary.skipped) == (7, 0, 0)
        again = ingest_into(store, [reports])
        assert (again.added, again.already_stored) == (0, 7)
        assert [r["id"] for r in store.runs()] == [summary.run, again.run]


def test_strict_ingest_stops_at_the_first_skip(reports, tmp_path):
    strict = Settings(ingest=IngestSettings(strict=True))
    with Store.open(tmp_path / "s.db") as store:
        with pytest.raises(SourceError, match="broken.bin"):
            ingest_into(store, [reports.parent / "broken.bin", reports], strict)
        assert store.runs()[0]["finished"] is None
        assert store.count() == 0


def test_run_summary_groups_reasons_most_frequent_first():
    summary = RunSummary(1, 0, 0, (Skip("a", "empty"), Skip("b", "binary"), Skip("c", "binary")))
    assert summary.reasons() == {"binary": ("b", "c"), "empty": ("a",)}
    assert summary.skipped == 3


def test_add_annotates_new_articles_and_keeps_stories_a_partition(reports, tmp_path):
    from rashomon.config import AnnotateSettings
    from rashomon.pipeline import add, story_briefing
    from rashomon.report import render

    fake_vectors = Settings(annotate=AnnotateSettings(embedder="hashing"))  # the composition, not model quality
    pasted = {"text": "Volunteers cleared the harbour after the storm, organisers said on Saturday.",
              "source": "pasted:test", "known": {"outlet": "Pasted Post"}}
    with Store.open(tmp_path / "add.db") as store:
        first = add(store, [reports], fake_vectors, pasted=[pasted])
        assert (first.added, first.already_stored) == (len(PLACES) + 1, 0)
        ids = {a.id for a in store.articles()}
        assert store.annotated(ids) == ids
        members = [a for story in store.stories() for a in story.articles]
        assert sorted(members) == sorted(ids)  # every article in exactly one story
        assert first.stories and set(first.stories) <= {e["story_id"] for e in store.story_history()}
        assert {action for action, _, _ in first.events} <= {"created", "joined", "merged", "split"}

        again = add(store, [reports], fake_vectors)
        assert (again.added, again.already_stored, again.events) == (0, len(PLACES), ())
        assert sorted(a for s in store.stories() for a in s.articles) == sorted(ids)


def test_add_places_articles_an_interrupted_add_annotated_but_never_placed(reports, tmp_path):
    from rashomon.annotate import annotate
    from rashomon.config import AnnotateSettings
    from rashomon.pipeline import add

    fake_vectors = Settings(annotate=AnnotateSettings(embedder="hashing"))
    with Store.open(tmp_path / "orphans.db") as store:
        ingest_into(store, [reports], fake_vectors)
        store.put_annotations(annotate(store.articles(), fake_vectors.annotate))  # then the process died
        assert len(store.unplaced()) == len(PLACES) and store.stories() == ()

        result = add(store, [], fake_vectors)  # the next add, even of nothing, finishes the job
        assert store.unplaced() == ()
        assert sorted(a for s in store.stories() for a in s.articles) == sorted(a.id for a in store.articles())
        assert result.stories


def test_story_briefing_compares_and_summarises_a_stored_story(reports, tmp_path):
    from rashomon.config import AnnotateSettings
    from rashomon.pipeline import add, story_briefing
    from rashomon.report import render

    fake_vectors = Settings(annotate=AnnotateSettings(embedder="hashing"))
    with Store.open(tmp_path / "brief.db") as store:
        add(store, [reports], fake_vectors)
        story = max(store.stories(), key=lambda s: len(s.articles))
        briefing = story_briefing(store, story.id, fake_vectors)
        assert tuple(a.id for a in briefing.articles) == story.articles
        assert briefing.summary is not None
        assert (briefing.comparison is not None) == (len(story.articles) > 1)
        assert '"summary"' in render(briefing, "json")
        with pytest.raises(StoreError, match="no story 'nope'"):
            story_briefing(store, "nope", fake_vectors)
