"""Local sources: text, HTML, folders, bulk dumps, feeds, manifests, bad input."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from rashomon.config import IngestSettings
from rashomon.errors import SourceError
from rashomon.ingest import IngestResult, ingest, iter_ingest
from rashomon.model import Article, Skip

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"


def one(path: Path | str, **kwargs) -> IngestResult:
    return ingest([str(path)], **kwargs)


def test_plain_text_with_byline_dateline_and_share_line():
    [article] = one(DATA / "ferry.txt").articles
    assert article.title == "Ferry timetable returns to normal"
    assert article.authors == ("Ilse Marten", "Per Dahl")
    assert (article.outlet, article.published) == ("Lakeside Courier", "2024-03-21")
    assert article.text.startswith("The ferry company restored")
    assert [c.reason for c in article.removed] == ["title", "byline", "dateline", "share"]
    assert [article.text[p.start:p.end][:20] for p in article.paragraphs] == [
        "The ferry company re", "The company said pas"]


def test_html_page():
    [article] = one(DATA / "harbour.html").articles
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.outlet == "The Lakeside Courier"
    assert article.evidence_for("outlet").method == "html-meta"
    assert (article.published, article.authors, article.language) == ("2024-03-14", ("Ilse Marten",), "en")
    assert article.text.startswith("The harbour bridge in Lakeside reopened")
    assert "Ferry operators" in article.text and "Share this" not in article.text
    assert "CLICK HERE" not in article.text and "Home" not in article.text
    assert len(article.paragraphs) == 4


def test_html_without_article_is_skipped():
    result = one(DATA / "index.html")
    assert result.articles == ()
    assert "no article" in result.skips[0].reason and result.skips[0].source.endswith("index.html")


def test_jsonl_dump():
    result = one(DATA / "records.jsonl")
    first, second = result.articles
    assert first.id == "rec-1" and first.story == "dam-2024" and first.url == "https://valley.example/dam"
    assert first.extras == (("section", "Region"), ("wordcount", "27"))
    assert first.evidence_for("outlet").method == "bulk-field"
    assert second.outlet is None and len(second.id) == 16
    reasons = {s.source.rsplit(":", 1)[1]: s.reason for s in result.skips}
    assert set(reasons) == {"3", "4", "5"}
    assert "not valid JSON" in reasons["3"] and "no 'text'" in reasons["4"] and "JSON list" in reasons["5"]


def test_csv_dump():
    result = one(DATA / "records.csv")
    [article] = result.articles
    assert (article.id, article.outlet, article.published) == ("csv-1", "North Gazette", "2024-05-08")
    assert article.extras == (("desk", "Culture"),)
    assert [s.source.rsplit(":", 1)[1] for s in result.skips] == ["3"]


def test_feed_file_with_full_text_entries():
    result = one(DATA / "wire.rss")
    [article] = result.articles
    assert article.url == "https://valley.example/spillway" and article.outlet == "Valley Post"
    assert (article.title, article.published, article.authors) == (
        "Spillway checked after heavy rain", "2024-04-03", ("Noor Vance",))
    assert len(article.paragraphs) == 3 and "teaser" not in article.text
    assert "neither full text nor a link" in result.skips[0].reason


def test_not_a_feed_is_skipped():
    [skip] = one(DATA / "not_a_feed.xml").skips
    assert "not an RSS or Atom feed" in skip.reason


def test_non_utf8_text_is_decoded():
    [article] = one(DATA / "cafe_cp1252.txt").articles
    assert article.text.startswith("Café owners in Málaga")


def test_directory_is_read_recursively_in_sorted_order(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "two.txt").write_text("The second article of the folder is here.", encoding="utf-8")
    (tmp_path / "a.md").write_text("The first article of the folder is here.", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("Never read.", encoding="utf-8")
    (tmp_path / "notes.docx").write_bytes(b"PK\x03\x04")
    items = list(iter_ingest([str(tmp_path)]))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "Skip"]
    assert items[0].source.endswith("a.md") and items[1].source.endswith("two.txt")
    assert "unsupported file type '.docx'" in items[2].reason


def test_bad_inputs_are_skipped_and_the_batch_goes_on(tmp_path):
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n  \n", encoding="utf-8")
    only_boilerplate = tmp_path / "promo.txt"
    only_boilerplate.write_text("Share this article\n\nRelated Content\n", encoding="utf-8")
    sources = [str(tmp_path / "missing.txt"), str(binary), str(empty), str(only_boilerplate),
               str(DATA / "ferry.txt"), "ftp://example.com/a.txt", "file:///etc/passwd"]
    result = ingest(sources)
    assert [a.source for a in result.articles] == [str(DATA / "ferry.txt")]
    reasons = [s.reason for s in result.skips]
    assert [s.source for s in result.skips] == [s for s in sources if not s.endswith("ferry.txt")]
    assert "no such file" in reasons[0] and "binary" in reasons[1]
    assert "no article text" in reasons[2] and "no article text" in reasons[3]
    assert "scheme 'ftp'" in reasons[4] and "scheme 'file'" in reasons[5]


def test_strict_raises_the_first_problem(tmp_path):
    with pytest.raises(SourceError, match="no such file"):
        ingest([str(tmp_path / "missing.txt"), str(DATA / "ferry.txt")], IngestSettings(strict=True))


def test_large_file_is_skipped_without_reading_it(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    started = time.perf_counter()
    [skip] = one(big).skips
    assert time.perf_counter() - started < 1.0
    assert "over the cap of 10485760" in skip.reason
    [small_cap] = one(DATA / "ferry.txt", settings=IngestSettings(max_bytes=100)).skips
    assert "over the cap of 100" in small_cap.reason


def test_manifest_gives_metadata_and_refuses_paths_outside():
    result = ingest([], manifest=str(DATA / "manifested" / "manifest.csv"))
    [article] = result.articles
    assert (article.outlet, article.url, article.published) == (
        "Lakeside Courier", "https://courier.example/bridge", "2024-03-14")
    assert article.title == "Harbour bridge open again" and article.authors == ("Ilse Marten",)
    assert article.evidence_for("outlet").method == "manifest"
    [skip] = result.skips
    assert "outside the manifest's folder" in skip.reason


def test_json_manifest_applies_to_named_sources():
    folder = DATA / "manifested"
    result = ingest([str(folder / "sub")], manifest=str(folder / "manifest.json"))
    [article] = result.articles
    assert article.authors == ("Ilse Marten", "Per Dahl") and article.published == "2024-03-14"
    assert result.skips == ()


def test_progress_is_reported():
    calls = []
    ingest([str(DATA / "records.jsonl")], progress=lambda *args: calls.append(args))
    assert calls == [("ingest", n, None) for n in range(1, 6)]


def test_items_are_articles_or_skips(seeds_dir):
    items = list(iter_ingest([str(seeds_dir), str(DATA)]))
    assert all(isinstance(i, (Article, Skip)) for i in items)
    assert sum(isinstance(i, Article) for i in items) >= 12


def test_feed_bytes_are_never_taken_for_a_path():
    from rashomon.ingest.feeds import iter_feed

    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        list(iter_feed(str(DATA / "wire.rss").encode(), "server", lambda url, given: None))


def test_folder_with_its_own_manifest_reads_the_listed_files():
    result = ingest(str(DATA / "manifested"))  # one string is one source
    [article] = result.articles
    assert article.source.endswith("bridge.txt") and article.outlet == "Lakeside Courier"
    [skip] = result.skips
    assert "outside the manifest's folder" in skip.reason


def test_demo_corpus_when_present(demo_dir):
    if not (demo_dir / "manifest.csv").is_file():
        pytest.skip(f"the demo corpus is not at {demo_dir}")
    result = ingest([str(demo_dir)])
    assert result.skips == () and len(result.articles) >= 5
    assert all(a.outlet and a.published and a.url for a in result.articles)


def test_atom_feed_with_html_content():
    [article] = one(DATA / "harbour.atom").articles
    assert (article.outlet, article.title, article.authors, article.published) == (
        "Lakeside Courier", "Bridge traffic back to normal", ("Per Dahl",), "2024-03-15")
    assert article.url == "https://courier.example/bridge-traffic" and len(article.paragraphs) == 3
    assert "<p>" not in article.text


def test_fragment_text():
    from rashomon.ingest.feeds import fragment_text

    assert fragment_text("<p>One <b>two</b></p><blockquote><p>Three</p></blockquote>") == "One two\n\nThree"
    assert fragment_text("") == "" and fragment_text("just words") == "just words"
