"""Hostile inputs, generated here: each becomes a Skip naming its source (or a
clean article), the rest of the batch is stored, nothing stored is lost, and
``analyze -o`` writes nowhere but its output folder."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon import pipeline
from rashomon.cli import cli
from rashomon.config import IngestSettings, Settings
from rashomon.ingest import article_from_html, ingest
from rashomon.model import Article, Skip
from rashomon.store import Store

from .conftest import PAGE, REPORT

SCRIPTED = """<!doctype html><html><head><title>Bridge reopens</title>
<script>var stolen = document.cookie; fetch('/steal?c=' + stolen);</script></head>
<body onload="alert('onload-handler')"><iframe src="javascript:alert('iframe-code')"></iframe>
<article><h1>Bridge reopens</h1>
<p>The old bridge reopened to traffic on Friday after repairs that lasted two years, the city said.</p>
<script>document.write('injected-by-script')</script>
<p onclick="alert('click-handler')">Drivers said the queues at the ferry had been the worst part of the closure.</p>
<img src="x" onerror="alert('error-handler')">
<p>The repairs cost twelve million euros, more than twice the first estimate, officials said.</p>
</article></body></html>"""
SCRIPT_CODE = ("document.cookie", "alert(", "injected-by-script", "fetch(", "onerror", "onclick")

#: name -> (bytes written, fragment of the skip reason; None: an article is fine too)
HOSTILE: dict[str, tuple[bytes, str | None]] = {
    "empty.txt": (b"", "holds no article text"),
    "blank.txt": ("   \n\t\n  \r\n \u00a0".encode(), "holds no article text"),
    "binary.txt": (bytes(range(256)) * 64, "binary file"),
    "random.html": (os.urandom(4096).replace(b"\x00", b"\x01") + b"\x00", "binary file"),
    "invalid_utf8.txt": (b"The mayor said \xff\xfe\xfd the dam \xc3\x28 is safe \xa0\xe9 today.\n" * 20, None),
    "mixed_encodings.txt": ("Caf\u00e9 owners in M\u00fcnchen said ".encode() + "na\u00efve pri\u00e8re".encode("latin-1")
                            + b" the rents rose again this year.\n" * 5, None),
    "feed.xml": (b"<?xml version='1.0'?><rss><channel><item><title>Unclosed", None),
    "garbage.rss": (b"<<<>>> not a feed at all &&&;", None),
    "no_text_column.csv": (b"title,body\nA,B\n", "without a 'text' column"),
}


def _write_hostile(folder: Path) -> None:
    folder.mkdir()
    for name, (data, _) in HOSTILE.items():
        (folder / name).write_bytes(data)
    (folder / "broken.jsonl").write_text("\n".join([
        json.dumps({"id": "jsonl-good", "title": "Good", "text": REPORT}), '{"id": "half", "text": "unterminated',
        "[1, 2, 3]", '{"id": "no-text", "title": "Nothing"}', '{"text": 42}', "\x01\x02 garbage", "null"]), encoding="utf-8")
    (folder / "ragged.csv").write_text(
        'id,title,text\ncsv-missing,Only a title\ncsv-extra,Extra,"' + REPORT.replace('"', "'")
        + '",surplus,more\ncsv-empty,,\n', encoding="utf-8")
    (folder / "scripted.html").write_text(SCRIPTED, encoding="utf-8")
    (folder / "nested.html").write_text("<html><body>" + "<div>" * 5000 + "<p>Deep text here.</p>"
                                        + "</div>" * 5000 + "</body></html>", encoding="utf-8")
    (folder / "long.html").write_text("<html><body><article>" + "".join(
        f"<p>Line {n} of a very long page says the council met again.</p>\n" for n in range(10_000))
        + "</article></body></html>", encoding="utf-8")


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory) -> dict:
    """A store with two good files, then a hostile batch ingested into it."""
    root = tmp_path_factory.mktemp("hostile")
    good = root / "good"
    good.mkdir()
    (good / "council.txt").write_text(REPORT, encoding="utf-8")
    (good / "ferry.html").write_text(PAGE, encoding="utf-8")
    _write_hostile(root / "bad")
    (root / "late.txt").write_text(REPORT.replace("Monday", "Thursday"), encoding="utf-8")
    with Store.open(root / "r.db") as store:
        pipeline.ingest_into(store, [good])
        before = store.articles()
        started = time.monotonic()
        summary = pipeline.ingest_into(store, [root / "bad", root / "late.txt"])
        seconds = time.monotonic() - started
        return {"root": root, "before": before, "after": store.articles(), "summary": summary,
                "seconds": seconds, "skips": {s.source: s.reason for s in summary.skips}}


def test_nothing_stored_is_lost_and_the_rest_of_the_batch_is_stored(hostile_run):
    after = {a.id: a for a in hostile_run["after"]}
    assert all(after[a.id] == a for a in hostile_run["before"]), "an article stored before changed"
    sources = {a.source for a in hostile_run["after"]}
    assert str(hostile_run["root"] / "late.txt") in sources
    assert hostile_run["seconds"] < 30, f"the hostile batch took {hostile_run['seconds']:.1f} s"


@pytest.mark.parametrize("name", [n for n, (_, reason) in HOSTILE.items() if reason])
def test_a_hostile_file_is_skipped_with_its_reason(hostile_run, name):
    source = str(hostile_run["root"] / "bad" / name)
    assert source in hostile_run["skips"], f"{name} was not skipped: {hostile_run['skips']}"
    assert HOSTILE[name][1] in hostile_run["skips"][source]


@pytest.mark.parametrize("name", [n for n, (_, reason) in HOSTILE.items() if reason is None]
                         + ["nested.html", "long.html"])
def test_a_hostile_file_is_an_article_or_a_named_skip(hostile_run, name):
    source = str(hostile_run["root"] / "bad" / name)
    stored = [a for a in hostile_run["after"] if a.source == source]
    named = [s for s in hostile_run["skips"] if s.startswith(source)]  # a feed entry is "<file>#entry-1"
    assert stored or named, f"{name} vanished without a skip"
    for article in stored:
        assert article.text.strip() and "\x00" not in article.text


@pytest.mark.parametrize("line, reason", [(2, "not valid JSON"), (3, "JSON list"), (4, "no 'text'"),
                                          (5, "no 'text'"), (6, "not valid JSON"), (7, "JSON NoneType")])
def test_each_broken_jsonl_line_is_its_own_skip(hostile_run, line, reason):
    source = f"{hostile_run['root'] / 'bad' / 'broken.jsonl'}:{line}"
    assert reason in hostile_run["skips"].get(source, ""), hostile_run["skips"]
    assert any(a.id == "jsonl-good" for a in hostile_run["after"])


def test_ragged_csv_rows_are_skipped_or_read(hostile_run):
    csv_file = str(hostile_run["root"] / "bad" / "ragged.csv")
    rows = [reason for source, reason in hostile_run["skips"].items() if source.startswith(f"{csv_file}:")]
    assert len(rows) == 2 and all("no 'text'" in reason for reason in rows)  # the short row and the empty one
    extra = next(a for a in hostile_run["after"] if a.id == "csv-extra")
    assert "flood barrier" in extra.text and "surplus" not in extra.text


def test_scripts_iframes_and_handlers_never_reach_the_text(hostile_run):
    article = next(a for a in hostile_run["after"] if a.source.endswith("scripted.html"))
    assert "bridge reopened" in article.text
    assert not [code for code in SCRIPT_CODE if code in article.text], article.text


def test_deep_nesting_does_not_crash_the_html_reader():
    page = "<html><body>" + "<div>" * 5000 + "<p>Deep text here.</p>" + "</div>" * 5000 + "</body></html>"
    try:
        article = article_from_html(page, "deep.html")
    except Exception as error:  # only a named SourceError is acceptable
        assert type(error).__name__ in ("SourceError", "EmptyInput") and "deep.html" in str(error)
    else:
        assert "Deep text" in article.text


def test_a_50_megabyte_file_is_skipped_by_the_cap_without_being_read(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, written instantly
    started = time.monotonic()
    result = ingest([str(huge)])
    assert time.monotonic() - started < 3.0
    assert result.articles == () and "over the cap" in result.skips[0].reason
    assert result.skips[0].source == str(huge)


@pytest.mark.parametrize("manifest, name", [("manifest.csv", "../../etc/passwd"), ("manifest.csv", "/etc/passwd"),
                                            ("manifest.json", "../outside.txt"), ("manifest.json", "sub/../../outside.txt")])
def test_manifest_paths_cannot_leave_their_folder(tmp_path, manifest, name):
    folder = tmp_path / "docs"
    folder.mkdir()
    (tmp_path / "outside.txt").write_text(REPORT, encoding="utf-8")
    (folder / "inside.txt").write_text(REPORT.replace("Monday", "Friday"), encoding="utf-8")
    if manifest.endswith(".csv"):
        (folder / manifest).write_text(f"file,outlet\ninside.txt,Inside\n{name},Evil\n", encoding="utf-8")
    else:
        (folder / manifest).write_text(json.dumps([{"file": "inside.txt"}, {"file": name}]), encoding="utf-8")
    result = ingest([str(folder)])
    assert [a.source for a in result.articles] == [str((folder / "inside.txt").resolve())]
    assert len(result.skips) == 1 and "outside the manifest's folder" in result.skips[0].reason
    assert "row 2" in result.skips[0].source


@pytest.mark.parametrize("path, reason", [("/loop-a", "in a loop"), ("/never", "did not answer"),
                                          ("/huge", "more than the cap")])
def test_hostile_servers_are_skipped_and_the_batch_goes_on(base_url, tmp_path, path, reason):
    settings = IngestSettings(timeout=1.0, max_bytes=1_000_000)
    started = time.monotonic()
    with Store.open(tmp_path / "r.db") as store:
        summary = pipeline.ingest_into(store, [f"{base_url}{path}", f"{base_url}/plain.txt"],
                                       Settings(ingest=settings))
        assert store.count() == 1
    assert time.monotonic() - started < 10
    assert summary.added == 1 and len(summary.skips) == 1
    assert summary.skips[0].source == f"{base_url}{path}" and reason in summary.skips[0].reason


def _tree(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*")}


def test_analyze_writes_only_into_its_output_folder_and_escapes_scripts(tmp_path, monkeypatch):
    sources = tmp_path / "in"
    sources.mkdir()
    (sources / "council.txt").write_text(REPORT, encoding="utf-8")
    (sources / "vote.txt").write_text(REPORT.replace("harbour council voted", "council members voted")
                                      + "\nA protester held a sign reading <script>alert('xss')</script> outside.\n",
                                      encoding="utf-8")
    (sources / "scripted.html").write_text(SCRIPTED, encoding="utf-8")
    (sources / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (sources / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    result = CliRunner().invoke(cli, ["analyze", str(sources), "-o", str(out / "b.html"), "-o", str(out / "b.md")],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    after = _tree(tmp_path)
    outside = {p for p in after if not p.startswith("out")}
    assert outside == {p for p in before if not p.startswith("out")}, "analyze wrote outside its output folder"
    assert all(after[p] == before[p] for p in outside)
    html = "".join(p.read_text(encoding="utf-8") for p in out.glob("*.html"))
    assert "&lt;script&gt;alert(" in html and "<script>alert('xss')" not in html  # shown, escaped
    assert not [code for code in ("document.cookie", "injected-by-script") if code in html]
