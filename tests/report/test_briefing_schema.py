"""briefing.schema.json: documented, in step with the records, and met by real briefings."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources

import pytest

from rashomon import model
from rashomon.model import Briefing
from rashomon.report import render

from briefing_factory import hostile_briefing
from schema_check import errors

#: schema $defs -> the record each describes (quote adds "article", see report/json.py)
RECORDS = {
    "span": model.Span, "removed": model.Removed, "evidence": model.Evidence, "article": model.Article,
    "skip": model.Skip, "story": model.Story, "entity": model.Entity, "quote": model.Quote,
    "citation": model.Citation, "fact": model.Fact, "variant": model.Variant, "discrepancy": model.Discrepancy,
    "voice": model.Voice, "tone": model.Tone, "framing": model.Framing, "similarity": model.Similarity,
    "comparison": model.Comparison, "summary_sentence": model.SummarySentence, "angle": model.Angle,
    "timeline_event": model.TimelineEvent, "summary": model.Summary,
}


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads((resources.files("rashomon") / "schema" / "briefing.schema.json").read_text("utf-8"))


def _properties(node, where="$"):
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            yield f"{where}.{name}", value
        for key, value in node.items():
            yield from _properties(value, f"{where}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}[{index}]")


def test_the_schema_is_draft_2020_12_and_every_property_is_described(schema):
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    undocumented = [where for where, value in _properties(schema) if not value.get("description")]
    assert undocumented == []


def test_the_schema_names_every_field_of_every_record(schema):
    for name, record in RECORDS.items():
        fields = {f.name for f in dataclasses.fields(record)} | ({"article"} if name == "quote" else set())
        definition = schema["$defs"][name]
        assert set(definition["properties"]) == fields, name
        assert set(definition["required"]) == fields, name


@pytest.mark.parametrize("briefing", [hostile_briefing(), Briefing(articles=hostile_briefing().articles)],
                         ids=["full", "articles-only"])
def test_briefings_meet_the_schema(schema, briefing):
    assert errors(schema, json.loads(render(briefing, "json"))) == []


def test_the_checker_finds_what_breaks_the_schema(schema):
    data = json.loads(render(hostile_briefing(), "json"))
    del data["articles"][0]["text"]
    data["articles"][1]["authors"] = "Ana Ruiz"
    data["quotes"][0]["kind"] = "rumour"
    data["comparison"]["voices"][0]["quotes"][0].append("extra")
    data["surprise"] = 1
    assert sorted(errors(schema, data)) == sorted([
        "$: unexpected property 'surprise'",
        "$.articles[0]: missing 'text'",
        "$.articles[1].authors: 'Ana Ruiz' is not of type array",
        "$.comparison.voices[0].quotes[0]: unexpected item 4",
        "$.quotes[0].kind: 'rumour' is not one of ['direct', 'indirect', 'scare']",
    ])


def test_the_demo_briefing_meets_the_schema(schema, demo_dir):
    from rashomon.pipeline import analyze

    manifest = demo_dir / "manifest.csv"
    if not manifest.is_file():
        pytest.skip(f"the demo corpus is not in {demo_dir} yet")
    [briefing] = analyze([], manifest=manifest).briefings
    data = json.loads(render(briefing, "json"))
    assert errors(schema, data) == []
    assert len(data["articles"]) >= 3
