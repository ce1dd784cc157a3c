"""Take out of a text what is not the article, and record every cut.

The text is read line by line. A line is either dropped whole (a photo
caption, a promo line, a related-content widget, a comment prompt, a share
line, a stray marker, an all-caps teaser of another story, a repeated pull
quote, the title or byline, which become metadata) or kept with small span
edits (markdown heading marks, ``**`` emphasis, ``[text](url)`` link syntax,
a leading ``date YYYY-MM-DD`` marker, a dateline such as
``LYON (Example Wire - 3rd June, 2024)`` or ``PARIS (AP) —``).

Every cut is a :class:`~rashomon.model.Removed`, so the raw text can be
rebuilt from the cleaned text and the cuts (modulo whitespace). Decisions:

- The title line and a byline are removed from ``text`` (they live in
  ``Article.title`` and ``Article.authors``), as HTML extraction does.
- A dateline is cut whole, place name included, so the first sentence starts
  with the reporting; the place stays in the ``Removed`` record and evidence.
- Section headings (``## What was agreed, and why?``, a plain ``A nod to
  the council``) are article structure: kept as their own paragraph, only
  their ``#`` and ``**`` marks cut. A heading in capitals
  (``# INSTITUTE SPOTLIGHT``) is a banner and is cut.
- A dateline is only a capitalised place followed by parentheses holding a
  full date or followed by a dash, so ``NATO (the alliance) said`` stays.
- Lines of one block are joined with a space (soft-wrapped text); a paragraph
  that stops mid-sentence (no final punctuation) and a next one that starts
  in lower case are one paragraph broken by the page layout: they are joined.

Reasons of whole-line cuts: ``title``, ``byline``, ``pull-quote``,
``photo-caption``, ``photo-credit``, ``promo``, ``related-content``,
``comment-prompt``, ``share``, ``stray-marker``, ``teaser-headline`` (all
capitals, four words or more), ``banner`` (all capitals, fewer). Reasons of
span edits: ``markdown-heading``, ``markdown-emphasis``, ``markdown-link``,
``date-marker``, ``dateline``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rashomon.ingest.dates import parse_date
from rashomon.model import Removed, Span

__all__ = ["Cleaned", "clean", "normalise_words"]


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Cleaned text, its paragraphs (spans of ``text``) and what was cut."""

    text: str
    paragraphs: tuple[Span, ...]
    removed: tuple[Removed, ...]


_QUOTES = "\"'“”‘’«»"
_FLAGS = re.IGNORECASE
_CREDIT_WORDS = r"photo|photos|photograph|getty|images|afp|ap|reuters|epa|pool|credit|courtesy|shutterstock"
_CAPTION = re.compile(rf"\(([^()]{{3,80}}?(?:/|\bvia\b|\bphoto\b|\bcredit\b)[^()]*)\)\s*$", _FLAGS)
_CREDIT_WORD = re.compile(rf"\b(?:{_CREDIT_WORDS})\b", _FLAGS)
_CREDIT_PREFIX = re.compile(r"^(?:photo|image|picture|credit|photo credit)s?\s*:", _FLAGS)
_PROMO = re.compile(
    r"^(?:click here|read more|read also|also read|see also|continue reading|"
    r"read the full (?:story|article)|more from (?:the )?\w)", _FLAGS)
_RELATED = re.compile(
    r"^(?:related(?: content| articles?| stories| coverage| news| links)?|recommended(?: for you)?|"
    r"you (?:may|might) also like|more (?:stories|news|coverage)|trending(?: now)?|most (?:read|popular))\s*:?$",
    _FLAGS)
_COMMENT = re.compile(
    r"(?:let us know if you['’]re having (?:issues|trouble|problems) with comment|"
    r"^(?:leave|post|add) a comment|^\d+\s+comments?$|^comments?$|^join the (?:conversation|discussion)|"
    r"^(?:view|show|load) (?:\d+ )?comments?)", _FLAGS)
_SOCIAL = r"facebook|twitter|linkedin|whatsapp|email|e-mail|print|reddit|telegram|x"
_SHARE = re.compile(
    rf"^(?:share(?: this(?: article| story| post| page)?)?(?: (?:on|via) \w+)?|tweet(?: this)?|"
    rf"follow us(?: on .+)?|subscribe(?: to .+| now| today)?|sign up(?: for .+)?|"
    rf"(?:{_SOCIAL})(?:[\s|,/·•]+(?:{_SOCIAL}))+)\s*[.!:]?$", _FLAGS)
_STRAY = re.compile(r"^[\W_]+$")
_HEADING = re.compile(r"^#{1,6}[ \t]*")
_EMPHASIS = re.compile(r"\*\*|__")
_LINK = re.compile(r"\[([^\[\]\n]*)\]\(([^()\s]*)\)")
_DATE_MARKER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b[ \t]*", _FLAGS)
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’-]{1,40}?\s*\((?P<inside>[^()\n]{2,80})\)\s*(?P<dash>[-–—:]?)\s*")
_BYLINE = re.compile(r"^by\s+[A-Z]", _FLAGS)
_NAME_WORD = re.compile(r"^(?:[A-Z][a-zà-ÿ'’-]+|[A-Z]\.)$")
_NOT_NAMES = {"News", "Press", "Staff", "Update", "Updated", "Analysis", "Opinion", "Exclusive", "Live",
              "Breaking", "Editorial", "Comment", "Report", "Reports", "Wire", "Agency", "Desk"}
_SENTENCE_END = re.compile(r"[.!?:;…]['\"”’)\]]*$")
_CONTINUES = re.compile(r"^[a-zà-ÿ]")
_NON_ALNUM = re.compile(r"[\W_]+")
_ODD_SPACE = re.compile("[\u00a0\t\u2009\u200a\u2002\u2003\u202f\u3000\f\v]")
_HEADER_LINES = 5  # title, byline, pull quote and dateline live in the first lines


def normalise_words(text: str) -> str:
    """Lowercase words only, single-spaced: for matching repeated passages."""
    return " ".join(_NON_ALNUM.sub(" ", text.lower()).split())


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    text: str
    index: int  # among non-blank lines
    drop: str | None = None
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # raw offsets
    heading: bool = False
    block: int = 0


def _read_lines(raw: str) -> list[_Line]:
    lines, offset, block, index = [], 0, 0, 0
    for piece in raw.splitlines(keepends=True):
        body = piece.rstrip("\r\n")
        stripped = body.strip()
        if not stripped:
            block += 1
        else:
            lead = len(body) - len(body.lstrip())
            start = offset + lead
            lines.append(_Line(start, start + len(stripped), stripped, index, block=block))
            index += 1
        offset += len(piece)
    return lines


def _content(line: _Line) -> str:
    """The line without markdown heading and emphasis marks, for tests."""
    return _EMPHASIS.sub("", _HEADING.sub("", line.text)).strip()


def _is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and not any(c.islower() for c in letters)


def _boilerplate(text: str, first: bool) -> str | None:
    """Why a whole line is not article text, or None when it is."""
    words = len(text.split())
    if _STRAY.match(text):
        return "stray-marker"
    caption = _CAPTION.search(text)
    if caption and _CREDIT_WORD.search(caption.group(1)):
        return "photo-caption"
    if words <= 10 and not _SENTENCE_END.search(text) and (
            _CREDIT_PREFIX.match(text) or (_CREDIT_WORD.search(text) and re.search(r"/|\bvia\b", text))):
        return "photo-credit"
    if words <= 15 and _PROMO.match(text):
        return "promo"
    if _RELATED.match(text):
        return "related-content"
    if words <= 20 and _COMMENT.search(text):
        return "comment-prompt"
    if words <= 12 and _SHARE.match(text):
        return "share"
    if not first and words <= 20 and _is_all_caps(text):
        return "teaser-headline" if words >= 4 else "banner"
    return None


def _is_title(text: str) -> bool:
    words = text.split()
    bare = text.rstrip(_QUOTES)
    return 1 <= len(words) <= 30 and len(text) <= 250 and not re.search(r"[.,;:]$", bare)


def _is_byline(text: str) -> bool:
    if _BYLINE.match(text) and len(text.split()) <= 12:
        return True
    words = text.split()
    return (2 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words)
            and not _NOT_NAMES.intersection(words))


def _is_pull_quote(line: _Line, raw: str) -> bool:
    if not line.text or line.text[0] not in _QUOTES:
        return False
    words = normalise_words(line.text)
    return len(words.split()) >= 5 and words in normalise_words(raw[line.end:])


def _decide(line: _Line, raw: str, state: dict[str, bool], last: bool) -> None:
    text = line.text
    marker = _DATE_MARKER.match(text) if line.index == 0 else None
    if marker:
        line.edits.append((line.start, line.start + marker.end(), "date-marker"))
        text = text[marker.end():]
    content = _content(_Line(0, 0, text, line.index))
    header = not state["body"] and line.index < _HEADER_LINES
    if line.index == 0 and not marker and state["title"] and not last and _is_title(content):
        line.drop = "title"
    elif header and state["after_title"] and _is_byline(content):
        line.drop = "byline"
    elif header and _is_pull_quote(line, raw):
        line.drop = "pull-quote"
    else:
        line.drop = _boilerplate(content, first=line.index == 0 and state["title"])
    if line.drop:
        state["after_title"] = state["after_title"] or line.drop == "title"
        return
    _span_edits(line, text, header)
    state["body"] = state["body"] or not line.heading


def _span_edits(line: _Line, text: str, header: bool) -> None:
    base = line.end - len(text)
    heading = _HEADING.match(text)
    if heading:
        line.heading = True
        line.edits.append((base, base + heading.end(), "markdown-heading"))
    dateline = _DATELINE.match(text) if header else None
    if dateline and len(text) > dateline.end() and (dateline["dash"] or parse_date(dateline["inside"])):
        line.edits.append((base, base + dateline.end(), "dateline"))
    for match in _EMPHASIS.finditer(text):
        line.edits.append((base + match.start(), base + match.end(), "markdown-emphasis"))
    for match in _LINK.finditer(text):
        line.edits.append((base + match.start(), base + match.start(1), "markdown-link"))
        line.edits.append((base + match.end(1), base + match.end(), "markdown-link"))
    line.edits.sort()


def _merge_edits(edits: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Overlapping edits (emphasis inside a dateline) fold into the first."""
    merged: list[tuple[int, int, str]] = []
    for start, end, reason in edits:
        if merged and start < merged[-1][1]:
            prev = merged[-1]
            merged[-1] = (prev[0], max(prev[1], end), prev[2])
        else:
            merged.append((start, end, reason))
    return merged


@dataclass(slots=True)
class _Paragraph:
    text: str = ""
    heading: bool = False
    cuts: list[tuple[int, int, str, int]] = field(default_factory=list)  # start, end, reason, local at


def _line_text(line: _Line, raw: str, para: _Paragraph) -> str:
    """The kept text of ``line``; its cuts are recorded in ``para``."""
    pieces, pos, at = [], line.start, len(para.text)
    for start, end, reason in _merge_edits(line.edits):
        pieces.append(raw[pos:start])
        at += start - pos
        para.cuts.append((start, end, reason, at))
        pos = end
    pieces.append(raw[pos:line.end])
    return _ODD_SPACE.sub(" ", "".join(pieces))


def _paragraphs(lines: list[_Line], raw: str) -> tuple[list[_Paragraph], list[tuple[int, int, str]]]:
    paras: list[_Paragraph] = []
    pending: list[tuple[int, int, str]] = []  # whole lines cut before the next paragraph
    current: _Paragraph | None = None
    block = -1
    for line in lines:
        if line.drop:
            if current is not None and line.block == block and current.text:
                current.cuts.append((line.start, line.end, line.drop, len(current.text)))
            else:
                pending.append((line.start, line.end, line.drop))
            continue
        if current is None or line.block != block or line.heading or current.heading:
            current = _Paragraph(heading=line.heading)
            paras.append(current)
            current.cuts.extend((s, e, r, 0) for s, e, r in pending)
            pending = []
        elif current.text:
            current.text += " "
        block = line.block
        current.text += _line_text(line, raw, current)
    return paras, pending


def _join_broken(paras: list[_Paragraph]) -> list[_Paragraph]:
    """Join a paragraph broken mid-sentence by the page layout to its rest."""
    joined: list[_Paragraph] = []
    for para in paras:
        prev = joined[-1] if joined else None
        if (prev and not prev.heading and not para.heading and prev.text
                and not _SENTENCE_END.search(prev.text) and _CONTINUES.match(para.text)):
            shift = len(prev.text) + 1
            prev.cuts.extend((s, e, r, at + shift) for s, e, r, at in para.cuts)
            prev.text += " " + para.text
        else:
            joined.append(para)
    return joined


def clean(raw: str, *, title: bool = True) -> Cleaned:
    """Clean ``raw``; with ``title`` a short first line is taken as the title."""
    lines = _read_lines(raw)
    state = {"body": False, "title": title, "after_title": not title}
    for n, line in enumerate(lines):
        _decide(line, raw, state, last=n == len(lines) - 1)
        if line.index == 0 and line.drop != "title":
            state["after_title"] = True
    paras, trailing = _paragraphs(lines, raw)
    paras = [p for p in _join_broken(paras) if p.text.strip() or p.cuts]
    texts, spans, cuts, offset = [], [], [], 0
    for para in paras:
        cuts.extend((s, e, r, offset + at) for s, e, r, at in para.cuts)
        if para.text.strip():
            texts.append(para.text)
            spans.append(Span(offset, offset + len(para.text)))
            offset += len(para.text) + 2
    text = "\n\n".join(texts)
    cuts.extend((s, e, r, len(text)) for s, e, r in trailing)
    removed = sorted((Removed(raw[s:e], r, s, e, min(at, len(text))) for s, e, r, at in cuts),
                     key=lambda cut: cut.start)
    return Cleaned(text, tuple(spans), tuple(removed))
