"""Coverage-guided fuzzing of ingestion with atheris.

Each input is split by its first byte into one of three targets:
``article_from_text`` (bytes decoded as UTF-8 with replacement),
``article_from_html`` (raw bytes) and the bulk record parser
(``iter_jsonl`` / ``iter_csv``). A target may raise ``SourceError`` (or its
subclass ``EmptyInput``), a named skip; anything else is a crash atheris
reports with the input that caused it.

    python benchmarks/fuzz_ingest.py -max_total_time=120 [corpus_dir]

atheris is not a dependency of rashomon: ``pip install atheris``.
"""

from __future__ import annotations

import sys

try:
    import atheris
except ImportError:  # a clear message, not a traceback
    sys.exit("benchmarks/fuzz_ingest.py needs atheris, which is not installed; run "
             "`pip install atheris` (it builds on Linux with a recent clang/libFuzzer) and retry")

with atheris.instrument_imports():
    from rashomon.errors import SourceError
    from rashomon.ingest import article_from_html, article_from_text
    from rashomon.ingest.bulk import iter_csv, iter_jsonl
    from rashomon.model import Article


def _check_article(article: Article) -> None:
    size = len(article.text)
    for span in article.paragraphs:
        if not 0 <= span.start <= span.end <= size:
            raise AssertionError(f"paragraph {span} outside a text of {size} characters")


def fuzz_one(data: bytes) -> None:
    """One input through one target; SourceError is an expected outcome."""
    if not data:
        return
    target, body = data[0] % 4, data[1:]
    text = body.decode("utf-8", errors="replace")
    try:
        if target == 0:
            _check_article(article_from_text(text, "fuzz.txt"))
        elif target == 1:
            _check_article(article_from_html(body, "fuzz.html"))
        else:
            parse = iter_jsonl if target == 2 else iter_csv
            for item in parse(text, "fuzz.dump"):
                if isinstance(item, Article):
                    _check_article(item)
    except SourceError:
        pass


def main() -> None:
    atheris.Setup(sys.argv, fuzz_one)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
