"""Fact alignment against ECB+ cross-document event coreference (a proxy).

Gold: within one sub-topic (``<topic>_ecb`` or ``<topic>_ecbplus``), two
validated sentences (``ECBplus_coreference_sentences.csv``) of different
documents are aligned when they hold mentions of the same CROSS_DOC_COREF
event instance (source markables ``ACTION_*``/``NEG_ACTION_*``).

Predicted: rashomon's fact alignment (``rashomon.compare.facts``) over the
same sentences with MiniLM vectors and numbers (no entities): two sentences
are aligned when they end up in the same fact (grouping plus secondary
support, as ``compare`` does). Pairwise precision, recall
and F1 over all sub-topics, at the default threshold and a few around it;
also for the plain links (score >= threshold, before grouping).

The units are whole sentences (the benchmark has no spaCy parse or entities,
so clause splitting and the entity half of the event evidence are not
measured here). The table gives all sub-topics; a second table gives the
default threshold on topics 1-35 (where the event lexicon's weight and the
unanchored-pair penalty were chosen) and on topics 36-45 (held out).

Reads ``../shared/eval/ecbplus`` at run time; skips with a message when absent.

    python -m benchmarks.alignment_ecb
"""

from __future__ import annotations

import csv
import xml.etree.ElementTree as ET
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from rashomon.annotate.vectors import load_embedder
from rashomon.compare.facts import Unit, add_secondary, group_units, pair_scores
from rashomon.compare.values import numbers
from rashomon.config import CompareSettings

TITLE = "fact alignment vs ECB+ cross-document event coreference (pairwise P/R/F1)"
ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "ecbplus" / "ECB+_LREC2014"
THRESHOLDS = (0.5, 0.56, 0.62, 0.68, 0.74)


def _document(path: Path, keep: set[int]) -> dict[int, tuple[str, set[str]]]:
    """Sentence number -> (text, event instance ids) for the validated sentences."""
    root = ET.parse(path).getroot()
    tokens = {t.get("t_id"): (int(t.get("sentence")), t.text or "") for t in root.iter("token")}
    sentences: dict[int, list[str]] = defaultdict(list)
    for sentence, word in tokens.values():
        if sentence in keep:
            sentences[sentence].append(word)
    anchors = {}
    for markable in root.find("Markables"):
        if "ACTION" in markable.tag:
            anchors[markable.get("m_id")] = {tokens[a.get("t_id")][0] for a in markable.findall("token_anchor")}
    events: dict[int, set[str]] = defaultdict(set)
    for relation in root.find("Relations"):
        if relation.tag == "CROSS_DOC_COREF":
            for source in relation.findall("source"):
                for sentence in anchors.get(source.get("m_id"), ()):
                    events[sentence].add(relation.get("note"))
    return {n: (" ".join(words), events.get(n, set())) for n, words in sentences.items()}


def load_subtopics(limit: int | None = None) -> dict[str, list[tuple[str, str, set[str]]]]:
    """Sub-topic -> [(document, sentence text, event ids)]."""
    keep: dict[tuple[str, str], set[int]] = defaultdict(set)
    with (ROOT / "ECBplus_coreference_sentences.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            keep[(row["Topic"], row["File"])].add(int(row["Sentence Number"]))
    subtopics: dict[str, list] = defaultdict(list)
    for (topic, name), numbers_kept in sorted(keep.items()):
        path = ROOT / "ECB+" / topic / f"{topic}_{name}.xml"
        if not path.is_file():
            continue
        kind = "ecbplus" if name.endswith("ecbplus") else "ecb"
        for n, (text, events) in sorted(_document(path, numbers_kept).items()):
            subtopics[f"{topic}_{kind}"].append((name, text, events))
    names = sorted(subtopics, key=lambda s: (int(s.split("_")[0]), s))
    return {s: subtopics[s] for s in names[:limit] if len({d for d, _, _ in subtopics[s]}) > 1}


def _counts(predicted: set, gold: set) -> np.ndarray:
    return np.array([len(predicted & gold), len(predicted), len(gold)])


def _prf(counts: np.ndarray) -> tuple[float, float, float]:
    p = counts[0] / counts[1] if counts[1] else 0.0
    r = counts[0] / counts[2] if counts[2] else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def run(console: Console | None = None, limit: int | None = None) -> dict:
    console = console or Console()
    if not ROOT.is_dir():
        console.print(f"[yellow]skipped: ECB+ is not at {ROOT}[/]")
        return {}
    subtopics = load_subtopics(limit)
    embedder = load_embedder("minilm-onnx")
    totals = {("fact", t): np.zeros(3) for t in THRESHOLDS} | {("link", t): np.zeros(3) for t in THRESHOLDS}
    parts = {"topics 1-35": np.zeros(3), "topics 36-45 (held out)": np.zeros(3)}
    default = CompareSettings().fact_threshold
    for name, items in subtopics.items():
        units = [Unit(d, 0, len(s), s, 0.0, i, frozenset(), frozenset(numbers(s))) for i, (d, s, _) in enumerate(items)]
        scores = pair_scores(units, embedder.embed([s for _, s, _ in items]))
        gold = {(i, j) for i, j in combinations(range(len(items)), 2)
                if items[i][0] != items[j][0] and items[i][2] & items[j][2]}
        for threshold in THRESHOLDS:
            sources = [u.article for u in units]
            groups = group_units(scores, threshold, sources)
            extended = [sorted(g + extra) for g, extra in zip(groups, add_secondary(groups, scores, threshold, sources))]
            fact_pairs = {(i, j) for g in extended for i, j in combinations(g, 2) if items[i][0] != items[j][0]}
            links = {(int(i), int(j)) for i, j in np.argwhere(np.triu(scores >= threshold, k=1))}
            totals[("fact", threshold)] += _counts(fact_pairs, gold)
            if threshold == default:
                parts["topics 1-35" if int(name.split("_")[0]) <= 35 else "topics 36-45 (held out)"] += _counts(fact_pairs, gold)
            totals[("link", threshold)] += _counts(links, gold)
    table = Table(title=f"{TITLE}: {len(subtopics)} sub-topics")
    for column in ("method", "threshold", "precision", "recall", "F1", "gold pairs"):
        table.add_column(column, justify="left" if column == "method" else "right")
    results = {}
    for (method, threshold), counts in totals.items():
        p, r, f = _prf(counts)
        results[f"{method}@{threshold}"] = {"precision": p, "recall": r, "f1": f}
        mark = " (default)" if threshold == default else ""
        table.add_row(method, f"{threshold}{mark}", f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", str(int(counts[2])))
    console.print(table)
    split = Table(title=f"fact alignment at the default threshold {default}, by part of ECB+")
    for column in ("part", "precision", "recall", "F1", "gold pairs"):
        split.add_column(column, justify="left" if column == "part" else "right")
    for part, counts in parts.items():
        p, r, f = _prf(counts)
        results[part] = {"precision": p, "recall": r, "f1": f}
        split.add_row(part, f"{p:.3f}", f"{r:.3f}", f"{f:.3f}", str(int(counts[2])))
    console.print(split)
    return results


if __name__ == "__main__":
    run()
