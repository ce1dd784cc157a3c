"""Tests of sentence selection for summaries: the neutral-wording penalty and support citations.

The sentences are invented for these tests.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rashomon.model import Citation
from rashomon.selection import WEIGHTS, Candidate, scores, select


def test_first_or_second_person_and_questions_lower_the_score():
    texts = ["Drivers will find the bridge closed until April.", "You will find the bridge closed until April.",
             "Will the bridge stay closed until April?", "The US closed its bridge until April.",
             '"We will reopen the bridge in April," the mayor said.']
    candidates = [Candidate(article="a", start=0, end=len(t), position=0.0, index=0, words=len(t.split()), sources=1,
                            fact=f"a:{i}", consensus=False, penalty=0.0, published="",
                            citations=(Citation("a", 0, len(t)),), text=t) for i, t in enumerate(texts)]
    vectors = np.ones((len(texts), 4), dtype=np.float32) / 2.0
    drop = scores(candidates, vectors, replace(WEIGHTS, personal=0.0)) - scores(candidates, vectors, WEIGHTS)
    assert drop.tolist() == pytest.approx([0.0, WEIGHTS.personal, WEIGHTS.personal, 0.0, 0.0])  # quoted "we" is reported


def _candidate(article: str, start: int, text: str, support: tuple[Citation, ...] = ()) -> Candidate:
    return Candidate(article=article, start=start, end=start + len(text), position=0.0, index=0,
                     words=len(text.split()), sources=1 + len(support), fact=f"{article}:{start}", consensus=False,
                     penalty=0.0, published="", citations=(Citation(article, start, start + len(text)),) + support,
                     text=text)


def test_a_sentence_cited_as_support_is_not_taken_but_one_sharing_support_is():
    backed = Citation("c", 0, 40)
    first = _candidate("a", 0, "Valmora closed the bridge on Monday after cracks.", (backed,))
    sharing = _candidate("b", 0, "Repairs of the cracked piers will take six weeks.", (backed,))
    cited = _candidate("c", 0, "The city shut the bridge on Monday over cracks.")
    vectors = np.eye(3, dtype=np.float32)  # no two alike: only the citation rule can refuse
    chosen = select([first, sharing, cited], vectors, words=100, weights=replace(WEIGHTS, position=5.0))
    assert 0 in chosen and 1 in chosen and 2 not in chosen


def test_the_titles_of_the_story_raise_the_sentences_that_share_their_words():
    texts = ["Valmora closed the harbour bridge after engineers found cracks.",
             "Tourists filled the cafes along the river promenade on Sunday.",
             "The weather office expects light rain for most of the week."]
    candidates = [_candidate("a", 100 * i, t) for i, t in enumerate(texts)]
    vectors = np.eye(3, dtype=np.float32)
    titles = ("Valmora closes cracked harbour bridge", "Harbour bridge shut over cracks")
    rise = scores(candidates, vectors, WEIGHTS, titles) - scores(candidates, vectors, WEIGHTS)
    assert rise[0] > 0.2 * WEIGHTS.title and rise[1] == pytest.approx(0.0, abs=1e-9) and rise[2] < rise[0]
    assert select(candidates, vectors, words=10, weights=WEIGHTS, titles=titles) == [0]
    assert scores(candidates, vectors, WEIGHTS, ("", "  ")).tolist() == pytest.approx(
        scores(candidates, vectors, WEIGHTS).tolist())  # blank titles count as none


def test_a_long_article_does_not_pull_the_centre_of_the_story_towards_itself():
    texts = [f"The long report adds detail number {n} about the harbour." for n in range(5)]
    texts += ["Valmora closed the bridge after engineers found cracks.", "The city shut its bridge over cracked piers."]
    candidates = [_candidate("long" if i < 5 else f"short{i}", 100 * i, t) for i, t in enumerate(texts)]
    vectors = np.array([[1.0, 0.0]] * 5 + [[0.0, 1.0]] * 2, dtype=np.float32)
    only_centrality = replace(WEIGHTS, support=0.0, consensus=0.0, lexical=0.0, title=0.0, position=0.0,
                              neutrality=0.0, personal=0.0)
    value = scores(candidates, vectors, only_centrality)
    assert value[5] == value[6] > value[0]  # two sources of one sentence each outweigh one source of five


def test_a_question_is_never_a_summary_sentence():
    from rashomon.selection import eligible

    asked = _candidate("a", 0, "What was the purpose of the meeting of the two ministers?")
    quoted = _candidate("a", 0, 'The mayor asked, "Who will pay for the repairs of the bridge?"')
    told = _candidate("a", 0, "The ministers met to discuss the purpose of the talks.")
    assert not eligible(asked) and not eligible(quoted) and eligible(told)


def test_a_sentence_repeating_the_words_of_a_chosen_one_gives_way_to_new_content():
    texts = ["Valmora closed the harbour bridge on Monday after cracks appeared.",
             "Valmora closed the harbour bridge on Monday, officials confirmed.",
             "Tourists filled the cafes along the river promenade."]
    candidates = [replace(_candidate("a", 100 * i, t), index=i) for i, t in enumerate(texts)]
    vectors = np.eye(3, dtype=np.float32)  # MiniLM sees no overlap: only the TF-IDF share of redundancy can
    only_position = replace(WEIGHTS, support=0.0, consensus=0.0, centrality=0.0, lexical=0.0, title=0.0,
                            position=1.0, neutrality=0.0, personal=0.0)
    assert select(candidates, vectors, words=20, weights=replace(only_position, lexical_redundancy=0.0)) == [0, 1]
    assert select(candidates, vectors, words=20, weights=only_position) == [0, 2]


def test_an_article_far_from_the_others_is_left_out_of_the_centre_of_the_story():
    texts = ["Valmora closed the harbour bridge after engineers found cracks.",
             "The harbour bridge of Valmora is shut over cracked piers.",
             "Subscribers can read every story of the archive for one low price."]
    candidates = [_candidate(article, 0, t) for article, t in zip("abc", texts)]
    vectors = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]], dtype=np.float32)  # c: cosine 0.45 to the mean
    only_centrality = replace(WEIGHTS, support=0.0, consensus=0.0, lexical=0.0, title=0.0, position=0.0,
                              neutrality=0.0, personal=0.0)
    value = scores(candidates, vectors, only_centrality)
    assert value.tolist() == pytest.approx([WEIGHTS.centrality, WEIGHTS.centrality, 0.0])
    kept_all = scores(candidates, vectors, replace(only_centrality, on_topic=-1.0))
    assert kept_all[2] == pytest.approx(WEIGHTS.centrality / np.sqrt(5.0))  # centre (2, 1) / sqrt(5)
