from __future__ import annotations

from rashomon.annotate.tone import aggregate_tone, entity_tone, sentence_tone
from rashomon.model import Annotated, Article, Entity, Sentence, Tone


def test_sentence_tone_has_the_sign_of_the_words():
    assert sentence_tone("The talks were a wonderful, friendly success.") > 0.5
    assert sentence_tone("The attack was a horrible, deadly disaster.") < -0.5
    assert sentence_tone("   ") == 0.0


def test_aggregate_counts_shares_of_positive_and_negative_sentences():
    tone = aggregate_tone([0.5, -0.5, 0.0, 0.8])
    assert tone == Tone(mean=0.2, positive=0.5, negative=0.25, sentences=4)
    assert aggregate_tone([]) == Tone(0.0, 0.0, 0.0, 0)


def test_entity_tone_uses_only_the_sentences_that_mention_the_entity():
    text = "Anna praised the deal. Boris hated it. Anna and Boris left."
    sentences = (Sentence(0, 22, 0.6), Sentence(23, 38, -0.6), Sentence(39, 59, 0.0))
    article = Article(id="a1", source="x", text=text)
    doc = Annotated(article, sentences, (), (), (), aggregate_tone(s.tone for s in sentences))
    anna = Entity("e1", "Anna", "PERSON", ("Anna",), (("a1", 0, 4), ("a1", 39, 43)))
    boris = Entity("e2", "Boris", "PERSON", ("Boris",), (("a1", 23, 28), ("a1", 48, 53), ("other", 0, 5)))
    assert entity_tone([doc], anna) == Tone(mean=0.3, positive=0.5, negative=0.0, sentences=2)
    assert entity_tone([doc], boris) == Tone(mean=-0.3, positive=0.0, negative=0.5, sentences=2)
