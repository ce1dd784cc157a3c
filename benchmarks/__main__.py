"""``python -m benchmarks [NAME ...]``: run the registered benchmarks and print their tables.

To add a benchmark, write a module with ``TITLE`` and ``show(console)`` (or
``run(console)``) that prints its tables on the rich console it is given, and
add one line to :data:`BENCHMARKS`. Benchmarks that need ../shared/eval say so
and skip when it is absent.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

from rich.console import Console

#: name -> module; run in this order by ``python -m benchmarks``.
BENCHMARKS: list[tuple[str, str]] = [
    ("ingest", "benchmarks.ingest_speed"),
    ("annotate", "benchmarks.annotate_speed"),
    ("quotes", "benchmarks.quotes_polnear"),
    ("cluster", "benchmarks.cluster_eval"),
    ("cluster-speed", "benchmarks.cluster_speed"),
    ("similarity", "benchmarks.similarity_semeval"),
    ("alignment", "benchmarks.alignment_ecb"),
    ("compare-speed", "benchmarks.compare_speed"),
    ("summary", "benchmarks.summary_rouge"),
    ("crash-safety", "benchmarks.crash_safety"),
    ("crash-safety-add", "benchmarks.crash_safety_add"),
    ("batch-scale", "benchmarks.batch_scale"),  # long: 20,000 articles with 1 and 2 workers
]


def main(argv: list[str] | None = None) -> int:
    names = [name for name, _ in BENCHMARKS]
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description="Run rashomon's benchmarks.")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"benchmarks to run (default: all of {', '.join(names)})")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    args = parser.parse_args(argv)
    if args.list:
        print("\n".join(f"{name}\t{module}" for name, module in BENCHMARKS))
        return 0
    unknown = [n for n in args.names if n not in names]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; valid names: {', '.join(names)}")
    console = Console()
    for name, module_name in BENCHMARKS:
        if args.names and name not in args.names:
            continue
        module = importlib.import_module(module_name)
        console.rule(f"[bold]{name}[/]: {getattr(module, 'TITLE', module_name)}")
        started = time.perf_counter()
        show = getattr(module, "show", None) or module.run
        show(console)
        console.print(f"[dim]{name} took {time.perf_counter() - started:.1f} s[/]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
