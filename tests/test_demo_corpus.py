"""The demo corpus and its ground truth (tests/data/demo_expected.json) agree.

Other tests use demo_expected.json to check that ingestion, quotes, dates,
comparison and summary recover what was written into the demo articles; this
module checks that the expectations themselves are true of the files: every
substring is there, every date resolves as claimed, the facts, the omission
and the discrepancies have the structure the corpus promises.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

EXPECTED_PATH = Path(__file__).parent / "data" / "demo_expected.json"
MANIFEST_COLUMNS = ["file", "outlet", "url", "published"]
BLOCK_TAGS = {"p", "h1", "h2", "h3", "li", "figcaption"}
QUOTE_OPENERS = "\"“"
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
CLEANING_REASONS = {"photo-caption", "photo-credit", "promo", "share", "related-content"}


class _Page(HTMLParser):
    """What the tests need from a demo HTML page: head metadata and article blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang: str | None = None
        self.title = ""
        self.meta: dict[str, str] = {}
        self.tags: set[str] = set()
        self.blocks: list[str] = []  # text of each block element inside <article>
        self._stack: list[str] = []
        self._block: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.add(tag)
        if tag == "html":
            self.lang = values.get("lang")
        if tag == "meta" and values.get("content") is not None:
            key = values.get("name") or values.get("property")
            if key:
                self.meta[key] = values["content"] or ""
        if tag in ("meta", "img", "link", "br"):
            return
        self._stack.append(tag)
        if tag in BLOCK_TAGS and "article" in self._stack:
            self._block = []

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS and self._block is not None:
            self.blocks.append(" ".join("".join(self._block).split()))
            self._block = None
        if tag in self._stack:
            del self._stack[len(self._stack) - 1 - self._stack[::-1].index(tag):]

    def handle_data(self, data: str) -> None:
        if self._stack and self._stack[-1] == "title":
            self.title += data
        if self._block is not None:
            self._block.append(data)


def _parse_page(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    page.close()
    return page


def _article_text(path: Path) -> str:
    """The article as written: a text file whole, an HTML page's <article> blocks."""
    if path.suffix == ".html":
        return "\n\n".join(_parse_page(path).blocks)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def expected() -> dict:
    return json.loads(EXPECTED_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def manifest_rows(demo_dir: Path) -> list[dict[str, str]]:
    with (demo_dir / "manifest.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == MANIFEST_COLUMNS, f"manifest.csv columns are {reader.fieldnames}"
        return list(reader)


@pytest.fixture(scope="module")
def texts(demo_dir: Path, expected: dict) -> dict[str, str]:
    return {name: _article_text(demo_dir / name) for name in expected["files"]}


def _published(expected: dict, name: str) -> dt.date:
    return dt.date.fromisoformat(expected["files"][name]["published"])


# --- files and manifest -------------------------------------------------------------------------


def test_manifest_lists_the_five_files_with_their_metadata(demo_dir: Path, manifest_rows, expected):
    assert sorted(row["file"] for row in manifest_rows) == sorted(expected["files"])
    for row in manifest_rows:
        assert (demo_dir / row["file"]).is_file(), f"{row['file']} is in manifest.csv but not in {demo_dir}"
        want = expected["files"][row["file"]]
        assert (row["outlet"], row["url"], row["published"]) == (want["outlet"], want["url"], want["published"])
        host = urlsplit(row["url"]).hostname or ""
        assert host.endswith((".example.org", ".example.com")), f"{row['url']} is not on an example domain"
    assert len({row["outlet"] for row in manifest_rows}) == 5


def test_corpus_has_three_text_files_and_two_html_pages(demo_dir: Path, expected):
    suffixes = Counter(Path(name).suffix for name in expected["files"])
    assert suffixes == {".txt": 3, ".html": 2}
    on_disk = {p.name for p in demo_dir.iterdir() if p.suffix in (".txt", ".html")}
    assert on_disk == set(expected["files"]), "every article file is described in demo_expected.json"
    readme = (demo_dir / "README.md").read_text(encoding="utf-8")
    assert "invented" in readme and "Apache" in readme


def test_publication_dates_span_two_or_three_consecutive_days(expected):
    days = sorted({_published(expected, name) for name in expected["files"]})
    assert 2 <= len(days) <= 3
    assert all((later - earlier).days == 1 for earlier, later in zip(days, days[1:]))
    assert all(day > dt.date.fromisoformat(expected["event_date"]) for day in days)


@pytest.mark.parametrize("name", ["asb_kesh_dam.html", "ledger_tarvos_shares.html",
                                  "clarion_dam_disaster.txt", "lipp_dam_safety.txt",
                                  "meridian_wire_kesh.txt"])
def test_each_article_has_250_to_450_words(texts, name):
    words = len(texts[name].split())
    assert 250 <= words <= 450, f"{name} has {words} words; keep each article between 250 and 450"


def test_html_pages_carry_realistic_metadata(demo_dir: Path, expected):
    for name, meta in expected["files"].items():
        if meta["format"] != "html":
            continue
        page = _parse_page(demo_dir / name)
        assert page.lang == "en"
        assert {"nav", "article", "footer", "p"} <= page.tags, f"{name} lacks a nav, article or footer"
        assert meta["title"] in page.title
        assert page.meta["og:site_name"] == meta["outlet"]
        assert page.meta["author"] == ", ".join(meta["authors"])
        assert page.meta["article:published_time"].startswith(meta["published"])
        assert page.blocks[0] == meta["title"], f"{name}: the article starts with its <h1> title"


def test_text_files_have_title_lines_a_heading_and_a_dateline(demo_dir: Path, expected):
    firsts = {}
    for name, meta in expected["files"].items():
        if meta["format"] == "txt":
            first = (demo_dir / name).read_text(encoding="utf-8").splitlines()[0]
            firsts[name] = first
            assert first.lstrip("# ") == meta["title"]
    assert sum(first.startswith("# ") for first in firsts.values()) == 1, "one file starts with a heading"
    wire = next(meta for meta in expected["files"].values() if "dateline" in meta)
    wire_name = next(name for name, meta in expected["files"].items() if "dateline" in meta)
    line = (demo_dir / wire_name).read_text(encoding="utf-8").splitlines()[2]
    assert line.startswith(wire["dateline"] + " ")
    day = re.search(r"(\d+)\w\w (\w+), (\d{4})", wire["dateline"])
    assert day, f"the dateline {wire['dateline']!r} has no date"
    assert dt.datetime.strptime(" ".join(day.groups()), "%d %B %Y").date().isoformat() == wire["published"]


def test_no_sentence_of_the_seed_articles_is_copied(seed_texts, texts):
    def shingles(text: str) -> set[str]:
        words = re.findall(r"\w+", text.lower())
        return {" ".join(words[i:i + 8]) for i in range(len(words) - 7)}
    demo = set().union(*(shingles(text) for text in texts.values()))
    for name, seed in seed_texts.items():
        assert not demo & shingles(seed), f"demo text shares an 8-word run with seed {name}"


# --- facts, discrepancies, omission -------------------------------------------------------------


def test_consensus_facts_are_reported_by_at_least_three_outlets(expected, texts):
    facts = expected["consensus_facts"]
    assert len(facts) >= 4 and len({fact["id"] for fact in facts}) == len(facts)
    for fact in facts:
        assert len(fact["support"]) >= 3, f"fact {fact['id']} has fewer than 3 outlets"
        for name, passage in fact["support"].items():
            assert passage in texts[name], f"fact {fact['id']}: {passage!r} is not in {name}"
        assert len(set(fact["support"].values())) >= 3, f"fact {fact['id']} must be worded differently"


def test_the_omission_is_a_fact_every_other_outlet_reports(expected):
    omission = expected["omission"]
    fact = next(f for f in expected["consensus_facts"] if f["id"] == omission["fact"])
    assert omission["file"] not in fact["support"]
    assert set(fact["support"]) | {omission["file"]} == set(expected["files"])
    others = [f["id"] for f in expected["consensus_facts"] if len(f["support"]) < len(expected["files"])]
    assert others == [omission["fact"]], "only the omitted fact may be missing from an outlet"


def test_one_number_and_one_attribute_discrepancy_with_a_lone_dissenter(expected, texts):
    discrepancies = expected["discrepancies"]
    assert sorted(d["kind"] for d in discrepancies) == ["attribute", "number"]
    for discrepancy in discrepancies:
        values = Counter(v["value"] for v in discrepancy["variants"])
        assert len(values) == 2 and values[discrepancy["majority"]] >= 3
        assert min(values.values()) == 1, f"{discrepancy['id']}: exactly one outlet differs"
        for variant in discrepancy["variants"]:
            assert variant["text"] in texts[variant["file"]], f"{variant['text']!r} not in {variant['file']}"
            if discrepancy["kind"] == "number":
                numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", variant["text"])]
                assert numbers == [variant["value"]]
            else:
                assert variant["value"] in variant["text"]


def test_the_dissenting_value_appears_nowhere_else(expected, texts):
    for discrepancy in expected["discrepancies"]:
        rare = next(v for v in discrepancy["variants"] if v["value"] != discrepancy["majority"])
        word = f"{rare['value']:,}" if discrepancy["kind"] == "number" else str(rare["value"])
        holders = [name for name, text in texts.items() if re.search(rf"(?<![\d,]){re.escape(word)}\b", text)]
        assert holders == [rare["file"]]


# --- quotes, people -----------------------------------------------------------------------------


def test_every_quote_is_in_its_file_once(expected, texts):
    for quote in expected["quotes"]:
        for part in quote.get("parts", [quote["text"]]):
            assert texts[quote["file"]].count(part) == 1, f"{part!r} is not exactly once in {quote['file']}"
        assert quote["kind"] in {"direct", "indirect", "scare"}


def test_direct_and_scare_quotes_sit_inside_quote_marks(expected, texts):
    marks = set()
    for quote in expected["quotes"]:
        if quote["kind"] == "indirect":
            continue
        for part in quote.get("parts", [quote["text"]]):
            text = texts[quote["file"]]
            at = text.index(part)
            opener, closer = text[at - 1], text[at + len(part)]
            assert opener in QUOTE_OPENERS and closer in "\"”", f"{part!r} is not in quote marks"
            marks.add(opener)
    assert marks == set(QUOTE_OPENERS), "both straight and curly quote marks are used"


def test_quote_kinds_cover_what_the_corpus_promises(expected, texts):
    quotes = expected["quotes"]
    assert [q["kind"] for q in quotes].count("scare") == 1
    assert all(q["speaker"] is None for q in quotes if q["kind"] == "scare")
    split = [q for q in quotes if "parts" in q]
    assert len(split) == 1 and len(split[0]["parts"]) == 2 and split[0]["text"] == split[0]["parts"][0]
    text = texts[split[0]["file"]]
    first, second = (text.index(part) for part in split[0]["parts"])
    assert split[0]["cue"] in text[first:second], "the attribution stands between the two parts"
    assert any(q["pronoun"] and q["cue"] == "he added" for q in quotes)
    cues = " | ".join(q["cue"].lower() for q in quotes if q["kind"] == "indirect")
    assert "said that" in cues and "according to" in cues and "told reporters" in cues


def test_each_quote_cue_is_beside_its_quote(expected, texts):
    for quote in expected["quotes"]:
        if not quote["cue"]:
            continue
        text = texts[quote["file"]]
        at = text.index(quote["text"])
        window = text[max(0, at - 120):at + len(quote["text"]) + 60]
        assert quote["cue"] in window, f"cue {quote['cue']!r} is not next to {quote['text']!r}"


def test_people_spellings_occur_and_speakers_are_known(expected, texts):
    names = {person["name"] for person in expected["people"]}
    for quote in expected["quotes"]:
        assert quote["speaker"] is None or quote["speaker"] in names
    for person in expected["people"]:
        for name, spellings in person["spellings"].items():
            for spelling in spellings:
                assert spelling in texts[name], f"{spelling!r} ({person['name']}) is not in {name}"
    variants = [p for p in expected["people"]
                if len({s for spellings in p["spellings"].values() for s in spellings if " " in s}) > 1]
    assert {p["name"] for p in variants} == {"Mikhail Dorin", "Tomas Reyk"}


# --- dates, boilerplate -------------------------------------------------------------------------


def _resolve(text: str, published: dt.date) -> tuple[dt.date, dt.date]:
    """A small independent resolver for the expressions the corpus uses."""
    words = text.lower().split()
    if words[-1] in ("night", "morning"):
        words = words[:-1]
    if words in (["this"], ["today"]):
        return published, published
    if words == ["yesterday"]:
        day = published - dt.timedelta(days=1)
        return day, day
    if words[-1] in WEEKDAYS:  # the latest such day on or before publication
        back = (published.weekday() - WEEKDAYS.index(words[-1])) % 7
        day = published - dt.timedelta(days=back)
        return day, day
    if words == ["last", "year"]:
        return dt.date(published.year - 1, 1, 1), dt.date(published.year - 1, 12, 31)
    if words == ["last", "month"]:
        end = published.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    if words == ["next", "week"]:
        start = published + dt.timedelta(days=7 - published.weekday())
        return start, start + dt.timedelta(days=6)
    month = dt.datetime.strptime(text, "%B %Y").date()
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return month, following - dt.timedelta(days=1)


def test_time_expressions_resolve_against_their_publication_date(expected, texts):
    for time in expected["times"]:
        assert texts[time["file"]].count(time["text"]) == 1, f"{time['text']!r} not once in {time['file']}"
        start, end = _resolve(time["text"], _published(expected, time["file"]))
        assert (time["value"], time["value_end"]) == (start.isoformat(), end.isoformat()), time
        grain = {0: "day", 6: "week"}.get((end - start).days) or ("month" if end.month == start.month else "year")
        assert time["grain"] == grain
    event = expected["event_date"]
    assert {t["file"] for t in expected["times"] if t["value"] == event} == set(expected["files"])


def test_boilerplate_lines_are_whole_lines_or_blocks(demo_dir: Path, expected):
    for item in expected["boilerplate"]:
        path = demo_dir / item["file"]
        if path.suffix == ".html":
            assert item["line"] in _parse_page(path).blocks, f"{item['line']!r} is no block of {path.name}"
        else:
            lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
            assert item["line"] in lines, f"{item['line']!r} is no line of {path.name}"
        assert item["reason"] in CLEANING_REASONS
    assert 2 <= len({item["file"] for item in expected["boilerplate"]}) <= 3
    assert {"photo-caption", "promo", "share", "related-content"} <= {i["reason"] for i in expected["boilerplate"]}


def test_expected_passages_avoid_boilerplate(expected):
    lines = [item["line"] for item in expected["boilerplate"]]
    passages = [p for fact in expected["consensus_facts"] for p in fact["support"].values()]
    passages += [q["text"] for q in expected["quotes"]] + [t["text"] for t in expected["times"]]
    assert not [p for p in passages if any(p in line for line in lines if len(p) > 12)]
