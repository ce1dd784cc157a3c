"""The command line: commands, output files, exit codes 0/1/2, --strict, the demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from rashomon.cli import cli
from rashomon.model import Article
from rashomon.records import loads
from rashomon.store import Store

REPORT = """Harbour council approves new flood barrier

The harbour council voted on Monday to build a flood barrier at the river mouth, its chair said.

The barrier will cost 40 million euros and should be finished within three years, according to the plan.

Residents who opposed the project said the money would be better spent on housing.
"""

OTHER = """Flood barrier vote splits harbour town

Councillors backed the barrier by seven votes to four after a long debate on Monday evening.

Opponents promised to keep campaigning against the project until construction starts next spring.
"""


@pytest.fixture
def inputs(tmp_path: Path) -> dict[str, Path]:
    """Two readable reports and one file that is not text."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "council.txt").write_text(REPORT, encoding="utf-8")
    (folder / "vote.txt").write_text(OTHER, encoding="utf-8")
    (tmp_path / "photo.bin").write_bytes(bytes(range(256)) * 40)
    return {"good": folder, "bad": tmp_path / "photo.bin", "tmp": tmp_path}


def invoke(*args: str | Path):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_python_m_rashomon_help_runs_in_a_real_process():
    done = subprocess.run([sys.executable, "-m", "rashomon", "--help"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    for command in ("ingest", "articles", "analyze", "demo"):
        assert command in done.stdout


def test_ingest_stores_once_and_reports_the_run(inputs):
    db = inputs["tmp"] / "r.db"
    first = invoke("--db", db, "ingest", inputs["good"])
    assert first.exit_code == 0, first.output
    assert "2 added, 0 already stored, 0 skipped" in first.stdout
    again = invoke("--db", db, "ingest", inputs["good"])
    assert "0 added, 2 already stored, 0 skipped" in again.stdout
    with Store.open(db) as store:
        assert store.count() == 2 and len(store.runs()) == 2


def test_ingest_groups_skips_by_reason(inputs):
    result = invoke("--db", inputs["tmp"] / "r.db", "ingest", inputs["good"], inputs["bad"])
    assert result.exit_code == 0, result.output
    assert "2 added, 0 already stored, 1 skipped" in result.stdout
    assert "skipped, " in result.stdout and "photo.bin" in result.stdout


def test_strict_makes_a_skip_fatal(inputs):
    result = invoke("--db", inputs["tmp"] / "r.db", "ingest", "--strict", inputs["good"], inputs["bad"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "photo.bin" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_quiet_prints_nothing_on_success(inputs):
    result = invoke("--db", inputs["tmp"] / "r.db", "--quiet", "ingest", inputs["good"])
    assert result.exit_code == 0 and result.output == ""


def test_articles_lists_the_store_as_a_table_or_json(inputs):
    db = inputs["tmp"] / "r.db"
    invoke("--db", db, "ingest", inputs["good"])
    table = invoke("--db", db, "articles")
    assert table.exit_code == 0 and "2 articles in" in table.stdout
    lines = invoke("--db", db, "articles", "--json").stdout.splitlines()
    listed = [loads(Article, line) for line in lines]
    with Store.open(db) as store:
        assert tuple(listed) == store.articles()
    assert any("flood barrier" in a.text for a in listed)


def test_analyze_writes_json_and_markdown(inputs):
    out = inputs["tmp"] / "out"
    result = invoke("analyze", inputs["good"], "-o", out / "brief.json", "-o", out / "brief.md")
    assert result.exit_code == 0, result.output
    # The two reports are about different events: one briefing each, the second numbered.
    briefings = [json.loads((out / name).read_text(encoding="utf-8")) for name in ("brief.json", "brief-2.json")]
    assert sorted(len(b["articles"]) for b in briefings) == [1, 1]
    assert all(b["schema_version"] == "1.0" for b in briefings)
    for name in ("brief.md", "brief-2.md"):
        markdown = (out / name).read_text(encoding="utf-8")
        assert "## Sources" in markdown and "nothing to compare" in markdown
    assert result.stdout.count("wrote ") == 2


def test_analyze_is_deterministic(inputs):
    first, second = inputs["tmp"] / "1.json", inputs["tmp"] / "2.json"
    invoke("analyze", inputs["good"], "-o", first)
    invoke("analyze", inputs["good"], "-o", second)
    assert first.read_bytes() == second.read_bytes()


def test_analyze_stores_only_when_a_database_is_given(inputs, monkeypatch):
    monkeypatch.chdir(inputs["tmp"])
    invoke("analyze", inputs["good"], "-o", "b.json")
    assert not Path("rashomon.db").exists()
    invoke("--db", "given.db", "analyze", inputs["good"], "-o", "b.json")
    with Store.open("given.db") as store:
        assert store.count() == 2


def test_an_unknown_output_suffix_is_a_usage_error(inputs):
    result = invoke("analyze", inputs["good"], "-o", inputs["tmp"] / "brief.pdf")
    assert result.exit_code == 2
    assert ".json, .md, .html" in result.stderr
    assert not (inputs["tmp"] / "brief.pdf").exists()


@pytest.mark.parametrize("args", [["nonsense"], ["analyze", "x.txt"], ["ingest"], ["--no-such-flag", "articles"]])
def test_usage_errors_exit_2(args):
    assert invoke(*args).exit_code == 2


def test_nothing_readable_is_a_data_error(inputs):
    result = invoke("analyze", inputs["bad"], "-o", inputs["tmp"] / "b.json")
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "no article could be read" in result.stderr


def test_a_file_that_is_not_a_database_is_a_data_error(inputs):
    result = invoke("--db", inputs["bad"], "articles")
    assert result.exit_code == 1 and result.stderr.startswith("error: ")


def test_demo_writes_the_reports(tmp_path, demo_dir):
    files = [p for p in demo_dir.iterdir() if p.suffix in (".txt", ".html")]
    if not files:
        pytest.skip(f"the demo corpus is not in {demo_dir} yet")
    result = invoke("demo", "-o", tmp_path / "demo")
    assert result.exit_code == 0, result.output
    for name in ("brief.json", "brief.md", "brief.html"):
        assert (tmp_path / "demo" / name).stat().st_size > 0
    data = json.loads((tmp_path / "demo" / "brief.json").read_text(encoding="utf-8"))
    assert len(data["articles"]) == len(files)
    assert str(tmp_path / "demo" / "brief.html") in result.stdout


def test_the_progress_bar_appears_only_after_its_delay_and_not_when_quiet():
    from rashomon.cli import _ProgressBar

    with _ProgressBar(True, delay=0.0) as shown, _ProgressBar(True, delay=3600) as waiting, \
            _ProgressBar(False, delay=0.0) as quiet:
        for bar in (shown, waiting, quiet):
            bar("ingest", 1, 4)
            bar("ingest", 4, 4)
            bar("annotate", 2, None)
        assert list(shown._tasks) == ["ingest", "annotate"]
        assert shown._bar.tasks[0].completed == 4 and shown._bar.tasks[0].total == 4
        assert waiting._bar is None and quiet._bar is None


def test_a_manifest_alone_names_the_files_and_their_outlets(inputs):
    manifest = inputs["good"] / "manifest.csv"
    manifest.write_text("file,outlet,published\ncouncil.txt,Harbour Herald,2024-05-06\n", encoding="utf-8")
    out = inputs["tmp"] / "m.json"
    result = invoke("analyze", "--manifest", manifest, "-o", out)
    assert result.exit_code == 0, result.output
    [article] = json.loads(out.read_text(encoding="utf-8"))["articles"]
    assert (article["outlet"], article["published"]) == ("Harbour Herald", "2024-05-06")
    assert "Harbour Herald" in result.stdout


def test_stories_lists_the_stored_stories(tmp_path):
    from rashomon.model import Story

    db = tmp_path / "s.db"
    saved = (Story("s1", "Flood barrier approved", ("a1", "a2"), "2024-05-06", "2024-05-07"),
             Story("s2", "Storm cleanup", ("a3",)))
    with Store.open(db) as store:
        store.save_stories(saved, [("created", "s1", {}), ("created", "s2", {})])
    table = invoke("--db", db, "stories")
    assert table.exit_code == 0 and "2 stories in" in table.stdout and "Flood barrier approved" in table.stdout
    lines = invoke("--db", db, "stories", "--json").stdout.splitlines()
    assert tuple(loads(Story, line) for line in lines) == saved


def test_serve_runs_the_web_app_on_the_database(tmp_path, monkeypatch):
    import uvicorn

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.update(app=app, **options))
    result = invoke("--db", tmp_path / "web.db", "serve", "--port", "9911")
    assert result.exit_code == 0, result.output
    assert (served["host"], served["port"]) == ("127.0.0.1", 9911)
    assert {"/api/search", "/stories/{story_id}"} <= {route.path for route in served["app"].routes}
    assert (tmp_path / "web.db").exists()
    assert invoke("serve", "--port", "0").exit_code == 2


def test_serve_passes_its_add_limits_to_the_web_app(tmp_path, monkeypatch):
    import uvicorn

    from rashomon.config import WebSettings
    from rashomon.web import app as web_app

    made = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)
    monkeypatch.setattr(web_app, "create_app", lambda db, settings, web: made.update(web=web))
    result = invoke("--db", tmp_path / "web.db", "serve", "--max-queued-jobs", "0", "--adds-per-minute", "2.5")
    assert result.exit_code == 0, result.output
    assert made["web"] == WebSettings(max_queued_jobs=0, adds_per_minute=2.5)


def test_batch_passes_its_options_to_the_batch_runner(tmp_path, monkeypatch):
    from rashomon import scale

    calls = []

    def fake_run_batch(inputs, batch, settings, progress):
        calls.append((inputs, batch))
        return scale.BatchResult(out=batch.out, partitions=3, resumed=1, articles=40, skips=2,
                                 failed=(("p2", "worker died"),), stories=7, compared=5, seconds=1.5)

    monkeypatch.setattr(scale, "run_batch", fake_run_batch)
    result = invoke("batch", "a.jsonl", "b/", "--out", tmp_path / "out", "--workers", "3")
    assert result.exit_code == 0, result.output
    [(inputs, batch)] = calls
    assert inputs == ["a.jsonl", "b/"] and (batch.out, batch.workers, batch.scheduler) == (str(tmp_path / "out"), 3, None)
    assert "40 articles in 3 partitions (1 resumed), 2 skipped; 7 stories, 5 compared" in result.stdout
    assert "failed partition p2: worker died" in result.stderr
    assert invoke("batch", "a.jsonl").exit_code == 2  # --out is required
