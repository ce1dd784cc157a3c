from collections import Counter

from rashomon.compare.framing import headline_support, log_odds, terms
from rashomon.compare.lexicon import loaded_words


def test_terms_are_content_unigrams_and_bigrams():
    found = terms("The pipeline waiver was a gift to the regime.")
    assert found["pipeline waiver"] == 1 and found["gift"] == 1 and "the" not in found


def test_log_odds_ranks_what_one_source_says_more():
    mine = Counter({"cave": 5, "pipeline": 5, "waiver": 2})
    rest = Counter({"pipeline": 20, "waiver": 8, "dialogue": 6})
    ranked = log_odds(mine, rest, mine + rest, top=5)
    assert ranked[0][0] == "cave"
    assert "dialogue" not in dict(ranked)


def test_loaded_words_take_the_political_list_and_strong_vader_words():
    found = loaded_words("Russians Celebrate After Pipeline Cave, a stunning gift to the regime, a terrible mess.")
    assert {"cave", "stunning", "gift", "regime", "terrible"} <= set(found)


def test_names_are_not_opinions():
    assert loaded_words("The United States met Russia.") == []


def test_headline_support():
    assert headline_support("Dam spillway fails", ["The spillway of the dam failed on Tuesday"]) == round(2 / 3, 3)
