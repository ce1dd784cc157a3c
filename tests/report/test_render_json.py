"""The JSON briefing: its sections, determinism, and records that read back."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest

from rashomon.errors import ConfigError
from rashomon.model import Article, Briefing, Skip, Tone
from rashomon.records import from_data
from rashomon.report import FORMATS, format_for_suffix, render

from briefing_factory import hostile_briefing

ALWAYS = {"schema_version", "generated_by", "story", "articles", "skips", "notes"}
OPTIONAL = {"entities", "quotes", "comparison", "summary"}


def articles_only() -> Briefing:
    full = hostile_briefing()
    return Briefing(articles=full.articles, skips=(Skip("x.pdf", "binary file"),), notes=("one note",))


def test_a_briefing_of_articles_has_only_the_base_sections():
    data = json.loads(render(articles_only(), "json"))
    assert set(data) == ALWAYS
    assert data["schema_version"] == "1.0" and data["generated_by"] == "rashomon 0.1.0"
    assert data["story"] is None
    assert data["skips"] == [{"source": "x.pdf", "reason": "binary file"}]
    assert data["notes"] == ["one note"]


def test_a_full_briefing_has_every_section():
    briefing = hostile_briefing()
    data = json.loads(render(briefing, "json"))
    assert set(data) == ALWAYS | OPTIONAL
    assert data["story"]["id"] == "s1"
    assert data["quotes"] == [{"article": "a1", "text": "We acted fast,", "start": 57, "end": 71, "kind": "direct",
                               "speaker": "Ana Ruiz", "speaker_start": 84, "speaker_end": 92, "cue": "said",
                               "cue_start": None, "cue_end": None}]
    assert [f["id"] for f in data["comparison"]["facts"]] == ["f1", "f2", "f3"]
    assert data["summary"]["sentences"][0]["citations"][1]["article"] == "a2"


def test_the_quote_offsets_point_at_the_quote():
    briefing = hostile_briefing()
    data = json.loads(render(briefing, "json"))
    text = {a["id"]: a["text"] for a in data["articles"]}
    for quote in data["quotes"]:
        assert text[quote["article"]][quote["start"]:quote["end"]] == quote["text"]


def test_articles_read_back_equal():
    briefing = hostile_briefing()
    data = json.loads(render(briefing, "json"))
    assert tuple(from_data(Article, a) for a in data["articles"]) == briefing.articles


def test_the_same_briefing_gives_the_same_bytes():
    first, second = render(hostile_briefing(), "json"), render(hostile_briefing(), "json")
    assert first == second
    assert first.endswith("}\n")
    keys = list(json.loads(first)["articles"][0])
    assert keys == sorted(keys)


def test_numpy_numbers_left_in_a_record_are_written_as_numbers():
    briefing = hostile_briefing()
    framing = replace(briefing.comparison.framing[0], tone=Tone(np.float32(0.25), 0.5, 0.0, np.int64(3)))
    comparison = replace(briefing.comparison, framing=(framing,))
    data = json.loads(render(replace(briefing, comparison=comparison), "json"))
    assert data["comparison"]["framing"][0]["tone"] == {"mean": 0.25, "positive": 0.5, "negative": 0.0, "sentences": 3}


def test_an_unknown_format_lists_the_valid_ones():
    with pytest.raises(ConfigError, match="'pdf'.*json, md, html"):
        render(articles_only(), "pdf")
    assert FORMATS == ("json", "md", "html")


def test_suffixes_pick_formats():
    assert [format_for_suffix(s) for s in (".json", ".MD", ".html")] == ["json", "md", "html"]
    with pytest.raises(ConfigError, match=r"'\.txt'.*\.json, \.md, \.html"):
        format_for_suffix(".txt")
