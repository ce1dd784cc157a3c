from rashomon.compare.voices import find_voices, speaker_matrix
from rashomon.model import Annotated, Annotation, Article, Entity, Quote, Tone

import numpy as np


def _doc(name, quotes):
    return Annotated(Article(name, name, "x" * 200), (), (), tuple(quotes), (), Tone(0, 0, 0, 0))


def test_speaker_by_source_matrix_without_scare_quotes():
    docs = (
        _doc("a", [Quote("We will act now", 0, 17, "direct", "Ada Brook"), Quote("gift", 30, 36, "scare"),
                   Quote("it was fine", 60, 75, "direct", "the council")]),
        _doc("b", [Quote("the bridge is safe", 5, 25, "indirect", "Ada Brook"),
                   Quote("no comment at all", 40, 58, "direct", "Tom Reed")]),
    )
    people = (Entity("e1", "Ada Brook", "PERSON", ("Ada Brook",), (), "Mayor"),
              Entity("e2", "Tom Reed", "PERSON", ("Tom Reed",), ()))
    voices = find_voices(Annotation(docs, people, np.zeros((0, 384), dtype=np.float32)), ("a", "b"))
    assert [v.speaker for v in voices] == ["Ada Brook", "Tom Reed"]
    assert voices[0].affiliation == "Mayor" and voices[0].sources == ("a", "b")
    assert speaker_matrix(voices, ("a", "b")) == [[1, 1], [0, 1]]
    assert all(q[3] != "scare" for v in voices for q in v.quotes)  # and "the council" is not a name


def test_a_role_between_commas_after_the_name_is_the_affiliation():
    from rashomon.compare.voices import appositive

    text = "Ada Brook, the mayor of Orlen, said the bridge was safe. Tom Reed, who lives nearby, agreed."
    docs = (Annotated(Article("a", "a", text), (), (), (), (), Tone(0, 0, 0, 0)),)
    ada = Entity("e1", "Ada Brook", "PERSON", (), (("a", 0, 9),))
    tom = Entity("e2", "Tom Reed", "PERSON", (), (("a", 57, 65),))
    annotation = Annotation(docs, (ada, tom), np.zeros((0, 384), dtype=np.float32))
    assert appositive(annotation, ada) == "the mayor of Orlen"
    assert appositive(annotation, tom) is None
