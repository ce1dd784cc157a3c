from rashomon.compare.coverage import consensus, distinct_sources, omissions, singletons, source_of
from rashomon.model import Citation, Fact, Story


def _fact(name, *articles):
    return Fact(name, name, tuple(Citation(a, 0, 1) for a in articles))


FACTS = (_fact("f1", "a", "b", "c"), _fact("f2", "a", "b"), _fact("f3", "c"), _fact("f4", "a", "d"))


def test_consensus_needs_half_the_sources_and_two():
    assert consensus(FACTS, ("a", "b", "c", "d")) == ("f1", "f2", "f4")
    assert consensus(FACTS, ("a", "b", "c", "d", "e")) == ("f1",)
    assert consensus((_fact("solo", "a"),), ("a", "b")) == ()


def test_omissions_are_consensus_facts_a_source_lacks():
    found = dict(omissions(FACTS, ("a", "b", "c", "d", "e"), ("f1",)))
    assert found == {"a": (), "b": (), "c": (), "d": ("f1",), "e": ("f1",)}


def test_singletons():
    assert dict(singletons(FACTS, ("a", "c")))["c"] == ("f3",)


def test_duplicates_count_as_one_source():
    story = Story("s", "label", ("a", "b", "c"), duplicates=(("c", "a"),))
    assert source_of(story) == {"a": "a", "b": "b", "c": "a"}
    assert distinct_sources(story) == ("a", "b")


def test_coverage_matrix_marks_each_fact():
    from rashomon.compare.coverage import coverage

    sources = ("a", "b", "c", "d", "e")
    found = coverage(FACTS, sources, consensus(FACTS, sources))
    assert found.articles == sources and found.facts == ("f1", "f2", "f3", "f4")
    assert found.reported[0] == (True, True, True, False, False)
    assert found.reported[2] == (False, False, True, False, False)
    assert found.marks == ("consensus", "shared", "singleton", "shared")


def test_comparison_carries_its_coverage(seed_comparison):
    matrix = seed_comparison.coverage
    assert matrix.facts == tuple(f.id for f in seed_comparison.facts)
    assert len(matrix.articles) == 5 and all(len(row) == 5 for row in matrix.reported)
    consensus_rows = [row for row, mark in zip(matrix.reported, matrix.marks) if mark == "consensus"]
    assert consensus_rows and all(sum(row) >= 3 for row in consensus_rows)
    assert {f for f, m in zip(matrix.facts, matrix.marks) if m == "consensus"} == set(seed_comparison.consensus)
