"""A small hand-built briefing with every section filled, for report tests.

Its text is hostile on purpose (a script tag, an onerror attribute) so the
tests can prove the reports escape it.
"""

from __future__ import annotations

import numpy as np

from rashomon.model import (
    Angle, Annotated, Annotation, Article, Briefing, Citation, Comparison, Discrepancy, Evidence, Fact,
    Framing, Mention, Quote, Removed, Sentence, Skip, Span, Story, Summary, SummarySentence, TimelineEvent,
    Tone, Variant, Voice,
)

HOSTILE_SCRIPT = "<script>alert('x')</script>"
HOSTILE_IMG = "<img src=x onerror=alert('y')>"


def _article(article_id: str, outlet: str, paragraphs: list[str], **fields) -> Article:
    text = "\n\n".join(paragraphs)
    spans, at = [], 0
    for p in paragraphs:
        spans.append(Span(at, at + len(p)))
        at += len(p) + 2
    return Article(id=article_id, source=f"{article_id}.txt", text=text, outlet=outlet, paragraphs=tuple(spans), **fields)


def _cite(article: Article, phrase: str) -> Citation:
    start = article.text.index(phrase)
    return Citation(article.id, start, start + len(phrase))


def hostile_briefing() -> Briefing:
    one = _article(
        "a1", "Valley Wire",
        ["Officials said 120 families were evacuated on Tuesday.", '"We acted fast," said Mayor Ana Ruiz.',
         f"The gas dam {HOSTILE_SCRIPT} failed at night."],
        title="Dam fails", published="2025-03-14",
        removed=(Removed("Share this article", "share line", 0, 18, 0),),
        evidence=(Evidence("outlet", "Valley Wire", "PORT (Valley Wire)", "dateline"),),
    )
    two = _article(
        "a2", "The Tabloid",
        ["Some 1,200 families were evacuated, officials said.", f"The oil dam {HOSTILE_IMG} failed at night."],
    )
    s1 = [_cite(one, t) for t in (one.text.split("\n\n"))]
    s2 = [_cite(two, t) for t in (two.text.split("\n\n"))]
    quote_start = one.text.index("We acted")
    speaker_start = one.text.index("Ana Ruiz")
    d1 = Annotated(
        one, tuple(Sentence(c.start, c.end, 0.1) for c in s1), (Mention(speaker_start, speaker_start + 8, "Ana Ruiz", "PERSON"),),
        (Quote("We acted fast,", quote_start, quote_start + 14, "direct", "Ana Ruiz", speaker_start, speaker_start + 8, "said"),),
        (), Tone(0.1, 0.3, 0.0, 3),
    )
    d2 = Annotated(two, tuple(Sentence(c.start, c.end, -0.2) for c in s2), (), (), (), Tone(-0.2, 0.0, 0.5, 2))
    annotation = Annotation((d1, d2), (), np.zeros((5, 384), dtype=np.float32))
    evacuated = Fact("f1", "Families were evacuated.", (s1[0], s2[0]))
    failed = Fact("f2", "The dam failed at night.", (s1[2], s2[1]))
    quoted = Fact("f3", '"We acted fast," said Mayor Ana Ruiz.', (s1[1],))
    story = Story("s1", "Dam fails in the valley", ("a1", "a2"), "2025-03-14", "2025-03-14")
    number = Discrepancy("f1", "number", (Variant("a1", s1[0].start + 15, s1[0].start + 18, "120"), Variant("a2", 5, 10, "1,200")), "families evacuated")
    comparison = Comparison(
        story, (evacuated, failed, quoted), ("f1", "f2"), (("a1", ()), ("a2", ())), (("a1", ("f3",)),), (number,),
        (Voice("Ana Ruiz", "Mayor", (("a1", quote_start, quote_start + 14, "direct"),)),),
        (Framing("a1", d1.tone, (("Ana Ruiz", 0.3),), (("gas", 2.1),), (("fast", s1[1].start, s1[1].end),), "Dam fails", 0.0),
         Framing("a2", d2.tone, (), (("oil", 2.0),), (), None, None)),
        (),
    )
    summary = Summary(
        (SummarySentence(one.text[s1[0].start:s1[0].end], (s1[0], s2[0])),),
        (Angle("a2", (SummarySentence(two.text[s2[1].start:s2[1].end], (s2[1],)),)),),
        (TimelineEvent("2025-03-11", None, one.text[s1[0].start:s1[0].end], (s1[0],), ("on Tuesday",)),),
    )
    return Briefing((one, two), story, annotation, comparison, summary, (Skip("bad.bin", "binary file"),))
