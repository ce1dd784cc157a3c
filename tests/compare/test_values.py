from hypothesis import given, strategies as st

from rashomon.compare.values import is_negated, number_mentions, numbers


def test_words_and_digits_read_the_same():
    assert numbers("The US will sanction thirteen vessels") == numbers("The US will sanction 13 vessels") == ["13"]


def test_thousands_separators_and_scales():
    assert numbers("Some 1,200 families left") == ["1200"]
    assert numbers("a loan of 2.5 million euros") == ["2500000"]


def test_one_is_not_a_count():
    assert numbers("one of the two ministers") == ["2"]


def test_negation():
    assert is_negated("The issue was not raised")
    assert not is_negated("The issue was raised")


@given(st.integers(min_value=0, max_value=10**9))
def test_any_integer_round_trips(value):
    text = f"about {value:,} people"
    [(start, end, found)] = number_mentions(text)
    assert found == str(value) and text[start:end] == f"{value:,}"
