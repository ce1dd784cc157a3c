"""Fixtures for compare: the seed story annotated with the real models."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.compare import compare

from .build import build_annotation, read_articles, story_of


@pytest.fixture(scope="session")
def seed_articles(seeds_dir: Path):
    return read_articles(sorted(seeds_dir.glob("*.txt")))


@pytest.fixture(scope="session")
def seed_annotation(seed_articles):
    return build_annotation(seed_articles)


@pytest.fixture(scope="session")
def seed_story(seed_articles):
    return story_of(seed_articles)


@pytest.fixture(scope="session")
def seed_comparison(seed_story, seed_annotation):
    return compare(seed_story, seed_annotation)


@pytest.fixture(scope="session")
def by_file(seed_articles) -> dict[str, str]:
    """Seed file name prefix ("001") -> article id."""
    return {Path(a.source).name[:3]: a.id for a in seed_articles}


@pytest.fixture(scope="session")
def demo_articles(demo_dir: Path):
    paths = sorted(p for p in demo_dir.glob("*") if p.suffix in (".txt", ".html"))
    if len(paths) < 5:
        pytest.skip(f"the demo corpus is not complete in {demo_dir}")
    return read_articles(paths, demo_dir / "manifest.csv")


@pytest.fixture(scope="session")
def demo_comparison(demo_articles):
    annotation = build_annotation(demo_articles)
    return compare(story_of(demo_articles), annotation), annotation
