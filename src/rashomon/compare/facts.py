"""Facts: sentences, or clauses, of different sources that report the same thing, grouped.

Every sentence of every source is a *unit*, and a sentence that carries
separate propositions is replaced by its clauses (:mod:`.units`,
:mod:`.clauses`). Two units of different sources are linked when a combined
score passes ``CompareSettings.fact_threshold``:

    score = cosine(vectors) + 0.10 * Jaccard(entities, weighted) + 0.10 * Jaccard(numbers, "thirteen" = "13")
            + 0.10 if they name an event of one class (lexicon: "apologised" /
                   "asked forgiveness") and share an anchor (entity or number), or
                   are each other's best match between their two sources
            - 0.08 if both name entities but share no anchor and their cosine
                   is under 0.8 (only the story's own subjects in common)
            - 0.10 if they share no lower-case word stem, event class or
                   number and their cosine is under 0.8 (only names in common)
            - 0.10 if one is negated and the other not, cosine under 0.8

An entity's weight falls with the share of the story's sources that name it
(:func:`entity_weights`: 1 for one source, 0 for all; with three sources or
more): sentences about one meeting all name "Blinken" and "Lavrov", which says
nothing about which claim they make. An *anchor* is an entity or number at most
about half the sources name, or an event class few sentences carry.

Links are merged strongest first into groups (one source may support a fact
with several units); a merge must keep the mean score between the two
groups within ``LINKAGE_SLACK`` of the threshold, so chains of loosely
similar sentences do not snowball into one giant fact; a group holds at most
``PER_SOURCE`` units of one source. A unit may also *support* other groups
it matches well (:func:`add_secondary`) without merging them, when it shares
an anchor with the group (:func:`build_facts` checks). A unit no
other source matches becomes a single-source fact, so coverage and omissions
can be told. A group that repeats a larger one through secondary support
is folded into it (:func:`drop_repeats`). A fact is worded by the
support that covers the others best, in a neutral tone, stands alone (no
"However, he ..."), names no person only it names, and says the event most
supports name.

Measured against ECB+ cross-document event coreference (a proxy, see
``benchmarks/alignment_ecb.py``, sentence level, no entities): pairwise
precision 0.85, recall 0.50 at the default threshold 0.62 before the event
and word evidence; see the benchmark for the current numbers.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

import numpy as np

from ..model import Citation, Fact
from .lexicon import common_stems, content_words, event_classes, loaded_words, words
from .units import MIN_WORDS, Unit, units_of
from .values import is_negated

__all__ = ["Unit", "units_of", "pair_scores", "group_units", "add_secondary", "drop_repeats", "build_facts", "fact_id", "MIN_WORDS"]

LINKAGE_SLACK = 0.0
SECONDARY_SLACK = 0.12
PER_SOURCE = 2  # at most this many units of one source support one fact
ENTITY_WEIGHT = 0.10
NUMBER_WEIGHT = 0.10
UNANCHORED_PENALTY = 0.10  # two sentences that share only names ("Tarvos Hydro") rarely report one fact
STRONG_COSINE = 0.8
POLARITY_PENALTY = 0.10  # "the pipeline was not raised" is not "sanctions on the pipeline were waived"
EVENT_WEIGHT = 0.10  # same event class in other words, about the same entity or number
MIN_SOURCES_FOR_FREQUENCY = 3  # with fewer sources, how many name an entity tells nothing
DISTINCTIVE_WEIGHT = 0.5  # an entity at most about half the sources name
RARE_EVENT_SHARE = 0.10
GENERIC_PENALTY = 0.08  # two sentences that share only the story's own subjects ("Blinken", "the meeting")


def _jaccard_matrix(sets: Sequence[frozenset[str]], weights: dict[str, float] | None = None) -> np.ndarray:
    """Jaccard index of every pair of sets (0 where both are empty), each item
    counted with its weight (1 unless ``weights`` says otherwise)."""
    vocabulary = {item: i for i, item in enumerate(sorted(set().union(*sets)))} if sets else {}
    incidence = np.zeros((len(sets), max(len(vocabulary), 1)), dtype=np.float32)
    for row, items in enumerate(sets):
        incidence[row, [vocabulary[x] for x in items]] = 1.0
    weighted = incidence * np.array([weights.get(x, 1.0) for x in sorted(vocabulary)] or [1.0], dtype=np.float32) if weights else incidence
    shared = weighted @ incidence.T
    sizes = weighted.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def _mutual_best(scores: np.ndarray, articles: np.ndarray) -> np.ndarray:
    """True where two units of different sources are each other's best match in the other's source."""
    best = np.full(scores.shape, False)
    for article in np.unique(articles):
        columns = np.flatnonzero(articles == article)
        rows = np.flatnonzero(articles != article)
        if len(rows):
            best[rows, columns[np.argmax(scores[np.ix_(rows, columns)], axis=1)]] = True
    return best & best.T


def _event_evidence(units: Sequence[Unit], scores: np.ndarray, articles: np.ndarray) -> np.ndarray:
    """1 where two units name an event of the same class and either share an entity few
    sources name or a number few sources name, or are each other's best match between their two sources."""
    events = _jaccard_matrix([event_classes(u.text) for u in units]) > 0
    weights = entity_weights(units)
    anchored = _jaccard_matrix([anchors(u, weights) for u in units]) > 0
    return (events & (anchored | _mutual_best(scores, articles))).astype(np.float32)


def _held(unit: Unit) -> frozenset[str]:
    """The unit's entity ids and its numbers ("#13")."""
    return unit.entities | {f"#{v}" for v in unit.values}


def entity_weights(units: Sequence[Unit]) -> dict[str, float]:
    """How much sharing each entity (or number, "#13") tells, by how many of the story's
    sources name it: 1 for one only one source names, down to 0 for one every source
    names (the story's own subjects, "Blinken", "Lavrov", say nothing about which claim
    two sentences make). Every weight is 1 when there are fewer than three sources."""
    named: dict[str, set[str]] = {}
    for unit in units:
        for item in _held(unit):
            named.setdefault(item, set()).add(unit.article)
    total = len({u.article for u in units})
    if total < MIN_SOURCES_FOR_FREQUENCY:
        return {e: 1.0 for e in named}
    return {e: 1.0 - (len(articles) - 1) / (total - 1) for e, articles in named.items()}


def anchors(unit: Unit, weights: dict[str, float], rare_events: frozenset[str] = frozenset()) -> frozenset[str]:
    """What two units can share that says they make one claim: an entity or a number
    few sources name, or an event class few of the story's sentences carry."""
    distinctive = {e for e in _held(unit) if weights.get(e, 1.0) >= DISTINCTIVE_WEIGHT}
    return frozenset(distinctive | {f"@{c}" for c in event_classes(unit.text) & rare_events})


def rare_events(units: Sequence[Unit]) -> frozenset[str]:
    """Event classes carried by under ``RARE_EVENT_SHARE`` of the units."""
    counts = Counter(c for u in units for c in event_classes(u.text))
    return frozenset(c for c, n in counts.items() if n < RARE_EVENT_SHARE * len(units))


def _unanchored(units: Sequence[Unit], cosines: np.ndarray) -> np.ndarray:
    """1 where two units share no common word (names aside), no event class and no
    number, and their vectors are not close enough to speak for themselves."""
    shared = _jaccard_matrix([common_stems(u.text) | event_classes(u.text) | {f"#{v}" for v in u.values} for u in units]) > 0
    return ((~shared) & (cosines < STRONG_COSINE)).astype(np.float32)


def _generic(units: Sequence[Unit], cosines: np.ndarray) -> np.ndarray:
    """1 where two units that both name entities share no anchor (:func:`anchors`): only
    the story's own subjects, which every source's sentences about it name, and
    their vectors are not close enough to speak for themselves."""
    weights, rare = entity_weights(units), rare_events(units)
    held = [anchors(u, weights, rare) for u in units]
    named = np.array([bool(u.entities) for u in units])
    shared = _jaccard_matrix(held) > 0
    return ((~shared) & named[:, None] & named[None, :] & (cosines < STRONG_COSINE)).astype(np.float32)


def _opposite_polarity(units: Sequence[Unit], cosines: np.ndarray) -> np.ndarray:
    """1 where one unit is negated and the other is not, and their vectors are not
    close enough to be one claim told both ways ("were not raised" / "were raised")."""
    negated = np.array([is_negated(u.text) for u in units])
    return ((negated[:, None] != negated[None, :]) & (cosines < STRONG_COSINE)).astype(np.float32)


def pair_scores(units: Sequence[Unit], matrix: np.ndarray) -> np.ndarray:
    """Combined scores of every pair of units; pairs of the same source get -1."""
    if not units:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = matrix[[u.row for u in units]]
    scores = vectors @ vectors.T
    scores -= UNANCHORED_PENALTY * _unanchored(units, scores)
    scores -= POLARITY_PENALTY * _opposite_polarity(units, scores)
    scores -= GENERIC_PENALTY * _generic(units, scores)
    scores += ENTITY_WEIGHT * _jaccard_matrix([u.entities for u in units], entity_weights(units))
    scores += NUMBER_WEIGHT * _jaccard_matrix([u.values for u in units])
    articles = np.array([u.article for u in units])
    scores[articles[:, None] == articles[None, :]] = -1.0
    scores += EVENT_WEIGHT * _event_evidence(units, scores, articles)
    scores[articles[:, None] == articles[None, :]] = -1.0
    return scores


def group_units(scores: np.ndarray, threshold: float, sources: Sequence[str]) -> list[list[int]]:
    """Groups of unit indexes: strongest links merged first, under average linkage."""
    group_of = list(range(len(scores)))
    members = {i: [i] for i in range(len(scores))}
    pairs = np.argwhere(np.triu(scores >= threshold, k=1))
    order = sorted(pairs.tolist(), key=lambda p: (-scores[p[0], p[1]], p[0], p[1]))
    for i, j in order:
        a, b = group_of[i], group_of[j]
        if a == b:
            continue
        counts = Counter(sources[k] for k in members[a] + members[b])
        if max(counts.values()) > PER_SOURCE:
            continue
        block = scores[np.ix_(members[a], members[b])]
        if float(block[block > -1].mean()) < threshold - LINKAGE_SLACK:
            continue
        for k in members[b]:
            group_of[k] = a
        members[a].extend(members.pop(b))
    return [sorted(m) for _, m in sorted(members.items())]


def add_secondary(groups: list[list[int]], scores: np.ndarray, threshold: float, sources: Sequence[str]) -> list[list[int]]:
    """For each group, the units of other sources that also support it (see below)."""
    return [sorted(_secondary(group, scores, threshold, sources)) for group in groups]


def _secondary(group: list[int], scores: np.ndarray, threshold: float, sources: Sequence[str]) -> list[int]:
    """Let a sentence also support other facts it matches well enough.

    A long sentence often carries two facts, but grouping puts it in one. A
    unit of a source a multi-source group lacks joins that group too when it
    links to one member (score >= ``threshold``) and its mean score to the
    members is at least ``threshold - SECONDARY_SLACK``. Groups are only extended, never merged.
    """
    present = {sources[i] for i in group}
    if len(present) < 2:
        return []
    block = scores[:, group]
    means, strongest = block.mean(axis=1), block.max(axis=1)
    best: dict[str, tuple[float, int]] = {}
    for unit in np.flatnonzero((means >= threshold - SECONDARY_SLACK) & (strongest >= threshold)):
        source = sources[unit]
        if source not in present and (source not in best or means[unit] > best[source][0]):
            best[source] = (float(means[unit]), int(unit))
    return [u for _, u in best.values()]


def fact_id(support: Sequence[Citation]) -> str:
    """A deterministic id: a hash of the sorted support spans."""
    key = "|".join(f"{c.article}:{c.start}:{c.end}" for c in sorted(support, key=lambda c: (c.article, c.start)))
    return hashlib.sha1(key.encode()).hexdigest()[:16]


#: First words that make a sentence lean on the one before it ("However, he said ...",
#: "That decision ...", "It was ..."): a fact worded by it does not stand alone.
LEANING_OPENERS = frozenset(
    "he she it they we this that these those his her its their them however but and also yet so "
    "still meanwhile moreover furthermore besides instead then thus hence therefore nevertheless such".split()
)
LEANING_COST = 0.5
LONE_PERSON_COST = 0.3  # per person the wording names and no other support does
MISSING_EVENT_COST = 0.6  # the wording leaves out the event (class) most supports name


def leans_on_previous(text: str) -> bool:
    """True when ``text`` opens with a pronoun or connective that points back to its previous sentence."""
    first = words(text[:40])
    return bool(first) and first[0] in LEANING_OPENERS


def lone_people(unit: Unit, others: Sequence[Unit], common: frozenset[str] = frozenset()) -> frozenset[str]:
    """Persons ``unit`` names that none of ``others`` names (someone only this source
    quotes), the story's ``common`` entities aside."""
    named = set().union(*(o.entities for o in others)) if others else set()
    return unit.people - named - common


def _missing_events(unit: Unit, others: Sequence[Unit]) -> float:
    """Share of the event classes most of ``others`` name that ``unit`` does not."""
    counts = Counter(c for o in others for c in event_classes(o.text))
    shared = {c for c, n in counts.items() if 2 * n > len(others)}
    return len(shared - event_classes(unit.text)) / len(shared) if shared else 0.0


def _wording_cost(unit: Unit, others: Sequence[Unit], common: frozenset[str] = frozenset()) -> tuple[float, int, str]:
    """Lower is better: tone, loaded words, leaning openers, persons only it names,
    the shared event left unsaid, minus how much of the others it covers."""
    mine = content_words(unit.text)
    theirs = set().union(*(content_words(o.text) for o in others)) if others else set()
    coverage = len(mine & theirs) / len(theirs) if theirs else 0.0
    cost = abs(unit.tone) + 0.25 * len(loaded_words(unit.text)) - 0.5 * coverage
    quoted = 0.2 if any(q in unit.text for q in "\"“”") else 0.0
    fragment = 0.0 if unit.subject and unit.text[:1].isupper() else 0.5  # a clause without its subject reads badly
    leaning = LEANING_COST if leans_on_previous(unit.text) else 0.0
    lone = LONE_PERSON_COST * len(lone_people(unit, others, common))
    unsaid = MISSING_EVENT_COST * _missing_events(unit, others)
    return (round(cost + quoted + fragment + leaning + lone + unsaid, 6), len(unit.text), unit.article)


def _anchored_secondary(units: Sequence[Unit], groups: Sequence[Sequence[int]],
                        secondary: Sequence[Sequence[int]]) -> list[list[int]]:
    """Secondary supports that share an anchor (:func:`anchors`) with their group:
    a sentence that only names the story's own subjects ("the meeting", "Blinken")
    is similar to many facts and makes none of them. Units without entities (no
    evidence either way) are kept."""
    weights, rare = entity_weights(units), rare_events(units)
    held = [anchors(u, weights, rare) for u in units]
    result = []
    for group, extra in zip(groups, secondary):
        theirs = set().union(*(held[j] for j in group))
        named = any(units[j].entities for j in group)
        result.append([i for i in extra if held[i] & theirs or not (named and units[i].entities)])
    return result


def drop_repeats(groups: Sequence[Sequence[int]], secondary: Sequence[Sequence[int]],
                 sources: Sequence[str]) -> tuple[list[list[int]], list[list[int]]]:
    """Tell each fact once: a group that shares units of two or more sources with a
    larger group (more sources among its own units, then with secondary support)
    repeats it. Its other units still report that fact in other words, so they
    join the larger group as further support when they are of two sources or
    more; one source's units fall apart into single-unit groups."""
    order = sorted(range(len(groups)), key=lambda n: (-len({sources[i] for i in groups[n]}), -len({sources[i] for i in [*groups[n], *secondary[n]]}), n))
    owner: dict[int, int] = {}  # unit -> the kept group it supports
    kept: dict[int, tuple[list[int], list[int]]] = {}
    alone: list[list[int]] = []
    for n in order:
        group, extra = list(groups[n]), list(secondary[n])
        shared = [i for i in group + extra if i in owner]
        if len({sources[i] for i in shared}) >= 2:
            rest = [i for i in group + extra if i not in owner]
            if len({sources[i] for i in rest}) < 2:
                alone += [[i] for i in group if i not in owner]
                continue
            target = Counter(owner[i] for i in shared).most_common(1)[0][0]
            kept[target][1].extend(rest)
            owner.update((i, target) for i in rest)
            continue
        if len({sources[i] for i in group + extra}) > 1:
            owner.update((i, n) for i in group + extra)
        kept[n] = (group, extra)
    pairs = [kept[n] for n in sorted(kept)] + [(g, []) for g in alone]
    return [g for g, _ in pairs], [sorted(e) for _, e in pairs]


def build_facts(units: Sequence[Unit], groups: Sequence[Sequence[int]],
                secondary: Sequence[Sequence[int]] | None = None) -> tuple[Fact, ...]:
    """One Fact per group, worded by its most neutral, most complete support.

    ``secondary[i]`` are further supports of group ``i``; they count for
    coverage but do not word the fact.
    """
    secondary = _anchored_secondary(units, groups, secondary) if secondary else [[] for _ in groups]
    groups, secondary = drop_repeats(groups, secondary, [u.article for u in units])
    weights = entity_weights(units)
    common = frozenset(e for e, w in weights.items() if w < DISTINCTIVE_WEIGHT)
    facts = []
    for n, group in enumerate(groups):
        members = [units[i] for i in group]
        extra = [units[i] for i in secondary[n]]
        support = tuple(sorted((Citation(u.article, u.start, u.end) for u in members + extra), key=lambda c: (c.article, c.start)))
        best = min(members, key=lambda u: _wording_cost(u, [o for o in members if o.article != u.article], common))
        facts.append(Fact(fact_id(support), best.text, support))
    facts.sort(key=lambda f: (-len(f.sources), f.support[0].article, f.support[0].start))
    return tuple(facts)
