"""Entities across articles: one canonical Entity per real-world referent.

People are linked by name: spelling variants and transliterations
("Sergey"/"Sergei", "Navalny"/"Navalni") match when both the first name and
the surname are close (rapidfuzz ratio on accent-free lowercase tokens); a
surname alone ("Lavrov") joins the one person in the story with that surname
and stays apart when several share it. Two people who share only a first name
or only a type are never merged.

Other names merge when their normalised forms are equal ("the Nord Stream 2"
and "Nord Stream 2"), or when one is the acronym of exactly one other
("EU" / "European Union", "NS2" / "Nord Stream 2"); a longer name is a
different entity ("Nord Stream 2 AG", the company, is not the pipeline).

A role the text ties to a person ("Russian Foreign Minister Sergey Lavrov")
becomes the entity's ``description``, and a later "the Russian foreign
minister" becomes a mention of that person when no one else holds the role.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from ..model import Entity, Mention
from .entities import ENTITY_TYPES, SURNAME_MATCH, name_tokens, same_person

__all__ = ["Document", "link_entities", "entity_id"]

_TYPE_ORDER = ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW")
_SKIP_IN_ACRONYM = frozenset({"of", "and", "the", "for"})


@dataclass(frozen=True, slots=True)
class Document:
    """What linking needs of one article: its text, mentions and people's roles."""

    article_id: str
    text: str
    mentions: tuple[Mention, ...]
    roles: tuple[tuple[int, int, str], ...] = ()  # (mention start, mention end, role)
    english: bool = True


def entity_id(entity_type: str, name: str) -> str:
    """A deterministic id: a hash of the type and the canonical name."""
    return hashlib.sha1(f"{entity_type}\x1f{name}".encode()).hexdigest()[:16]


class _Groups:
    """Union-find over keys; the first-seen key of a group is its root."""

    def __init__(self) -> None:
        self.parent: dict[object, object] = {}
        self.order: dict[object, int] = {}

    def add(self, key: object) -> None:
        if key not in self.parent:
            self.parent[key] = key
            self.order[key] = len(self.order)

    def find(self, key: object) -> object:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: object, b: object) -> None:
        first, second = self.find(a), self.find(b)
        if first != second:
            keep, drop = sorted((first, second), key=self.order.__getitem__)
            self.parent[drop] = keep


def _group_people(forms: list[tuple[str, ...]], groups: _Groups) -> None:
    full = [f for f in forms if len(f) >= 2]
    blocks: dict[tuple[str, str], list[tuple[str, ...]]] = {}
    for form in full:  # only names with the same initials can match
        blocks.setdefault((form[0][:1], form[-1][:1]), []).append(form)
    for block in blocks.values():
        for i, a in enumerate(block):
            for b in block[i + 1 :]:
                if same_person(a, b):
                    groups.union(("PERSON", a), ("PERSON", b))
    by_initial: dict[str, list[tuple[str, ...]]] = {}
    for form in full:
        by_initial.setdefault(form[-1][:1], []).append(form)
    for single in (f for f in forms if len(f) == 1):
        owners = {
            groups.find(("PERSON", f))
            for f in by_initial.get(single[0][:1], ())
            if fuzz.ratio(f[-1], single[0]) >= SURNAME_MATCH
        }
        if len(owners) == 1:
            groups.union(owners.pop(), ("PERSON", single))


def _acronym(tokens: tuple[str, ...]) -> str:
    return "".join(t if t.isdigit() else t[0] for t in tokens if t not in _SKIP_IN_ACRONYM)


def _group_others(forms: list[tuple[str, ...]], surfaces: dict[tuple[str, ...], set[str]], groups: _Groups) -> None:
    long_forms = [f for f in forms if len(f) >= 2]
    for form in forms:
        if len(form) != 1 or not 2 <= len(form[0]) <= 5:
            continue
        if not any(re.sub(r"[.\s]", "", s).isupper() for s in surfaces[form]):
            continue
        matches = [f for f in long_forms if _acronym(f) == form[0]]
        if len(matches) == 1:
            groups.union(("OTHER", matches[0]), ("OTHER", form))


def _key(mention: Mention) -> tuple[str, tuple[str, ...]]:
    return ("PERSON" if mention.label == "PERSON" else "OTHER", name_tokens(mention.text))


def link_entities(documents: Sequence[Document]) -> tuple[tuple[Entity, ...], dict[str, tuple[Mention, ...]]]:
    """Link the mentions of all documents into entities.

    Returns the entities (sorted by type, then name) and, per article id, its
    mentions including those found through a person's role.
    """
    groups, surfaces = _Groups(), {}
    for doc in documents:
        for mention in doc.mentions:
            key = _key(mention)
            groups.add(key)
            surfaces.setdefault(key[1], set()).add(mention.text)
    forms = {kind: [k[1] for k in groups.parent if k[0] == kind] for kind in ("PERSON", "OTHER")}
    _group_people(forms["PERSON"], groups)
    _group_others(forms["OTHER"], surfaces, groups)
    members: dict[object, list[tuple[str, Mention]]] = {}
    for doc in documents:
        for mention in doc.mentions:
            members.setdefault(groups.find(_key(mention)), []).append((doc.article_id, mention))
    roles = _roles_by_group(documents, groups)
    extra = _role_mentions(documents, roles, members)
    entities = [_entity(found, roles.get(root, Counter())) for root, found in members.items()]
    entities = _merge_same_ids(entities)
    mentions = {
        doc.article_id: tuple(sorted({*doc.mentions, *extra.get(doc.article_id, ())}, key=lambda m: (m.start, m.end)))
        for doc in documents
    }
    return tuple(sorted(entities, key=lambda e: (_TYPE_ORDER.index(e.type), e.name, e.id))), mentions


def _roles_by_group(documents: Sequence[Document], groups: _Groups) -> dict[object, Counter]:
    roles: dict[object, Counter] = {}
    for doc in documents:
        by_span = {(m.start, m.end): m for m in doc.mentions}
        for start, end, role in doc.roles:
            mention = by_span.get((start, end))
            if mention is not None and mention.label == "PERSON":
                roles.setdefault(groups.find(_key(mention)), Counter())[role] += 1
    return roles


def _role_key(role: str) -> str:
    return " ".join(name_tokens(role))


def _role_mentions(documents, roles, members) -> dict[str, list[Mention]]:
    """Mentions of a person through a role only they hold ("the Russian foreign minister")."""
    holders: dict[str, set] = {}
    for root, counter in roles.items():
        for role in counter:
            holders.setdefault(_role_key(role), set()).add(root)
    extra: dict[str, list[Mention]] = {}
    for key, roots in sorted(holders.items()):
        if len(roots) != 1 or len(key.split()) < 2:
            continue
        root = next(iter(roots))
        words = r"\W+".join(re.escape(w) for w in key.split())
        pattern = re.compile(rf"(?i)\bthe\s+({words})\b")
        for doc in documents:
            if not doc.english:
                continue
            taken = [(m.start, m.end) for m in doc.mentions if m.label == "PERSON"]  # "Russian" may stay inside
            for match in pattern.finditer(doc.text):
                start, end = match.span(1)
                if any(s < end and start < e for s, e in taken) or any(end <= s <= end + 3 for s, _ in taken):
                    continue
                mention = Mention(start, end, doc.text[start:end], "PERSON")
                extra.setdefault(doc.article_id, []).append(mention)
                members[root].append((doc.article_id, mention))
    return extra


def _entity(found: list[tuple[str, Mention]], roles: Counter) -> Entity:
    names = [m for _, m in found if not _is_role_mention(m, roles)] or [m for _, m in found]
    counts = Counter(m.text for m in names)
    first = {text: i for i, text in reversed(list(enumerate(m.text for m in names)))}
    name = min(counts, key=lambda t: (-len(name_tokens(t)), -counts[t], first[t]))
    labels = Counter(m.label for _, m in found if m.label in ENTITY_TYPES)
    entity_type = min(labels or Counter({"ORG": 1}), key=lambda t: (-labels[t], _TYPE_ORDER.index(t)))
    description = min(roles, key=lambda r: (-roles[r], -len(r), r)) if roles else None
    return Entity(
        id=entity_id(entity_type, name),
        name=name,
        type=entity_type,
        aliases=tuple(sorted({m.text for m in names})),
        mentions=tuple(sorted({(a, m.start, m.end) for a, m in found})),
        description=description,
    )


def _is_role_mention(mention: Mention, roles: Counter) -> bool:
    key = _role_key(mention.text)
    return any(key.endswith(_role_key(r)) for r in roles)


def _merge_same_ids(entities: list[Entity]) -> list[Entity]:
    """Two groups that end with the same type and name are one entity."""
    merged: dict[str, Entity] = {}
    for entity in entities:
        seen = merged.get(entity.id)
        if seen is None:
            merged[entity.id] = entity
            continue
        merged[entity.id] = Entity(
            seen.id,
            seen.name,
            seen.type,
            tuple(sorted(set(seen.aliases) | set(entity.aliases))),
            tuple(sorted(set(seen.mentions) | set(entity.mentions))),
            seen.description or entity.description,
        )
    return list(merged.values())
