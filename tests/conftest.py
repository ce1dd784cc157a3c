"""Shared fixtures: where the seeds, the evaluation data and the demo corpus live.

The seeds and ../shared/eval are read at run time from beside the checkout
(never copied into the repository); tests that need them skip with a clear
message when they are absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
EVAL = SHARED / "eval"
DEMO = REPO / "src" / "rashomon" / "data" / "demo"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"the seed articles are not at {SEEDS}")
    return SEEDS


@pytest.fixture(scope="session")
def seed_texts(seeds_dir: Path) -> dict[str, str]:
    """File name -> raw text of each seed article."""
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))}


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL.is_dir():
        pytest.skip(f"the evaluation data are not at {EVAL}")
    return EVAL


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO
