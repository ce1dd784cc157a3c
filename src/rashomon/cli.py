"""The command line: parse, build settings, call one library function, render.

    rashomon ingest SOURCES...          store articles in the database (--db)
    rashomon articles [--json]          list the stored articles
    rashomon annotate SOURCES... -o F   sentences, entities, quotes, times, tone as JSONL
    rashomon cluster IN.jsonl -o F      one line per article: its story and duplicate_of
    rashomon compare IN.jsonl -o F      one line per story: facts, omissions, discrepancies, voices
    rashomon summarize IN.jsonl -o F    one line per story: its cited summary
    rashomon analyze SOURCES... -o OUT  write a briefing (.json, .md or .html)
    rashomon demo [-o DIR]              analyse the bundled demo corpus
    rashomon stories [--json]           list the stored stories
    rashomon serve [--host --port]      the local web app on the database
    rashomon batch INPUTS... --out DIR  the whole pipeline on Dask

Exit codes: 0 ok, 1 a user or data error (one line ``error: ...`` on
stderr), 2 a usage error. ``--strict`` makes any skipped input fatal.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import click
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .config import IngestSettings, Settings, SummarizeSettings, WebSettings
from .errors import ConfigError, RashomonError
from .model import Briefing
from .pipeline import RunSummary, analyze, annotate_sources, ingest_into
from .records import dumps, to_data
from .report import SUFFIXES, format_for_suffix, render
from .store import DEFAULT_PATH, Store

__all__ = ["cli", "main"]

_SHOWN_SOURCES = 5  # sources listed per skip reason before "and N more"


class _Failure(click.ClickException):
    """A RashomonError as the CLI shows it: ``error: <message>``, exit 1."""

    exit_code = 1

    def show(self, file: object = None) -> None:
        click.echo(f"error: {self.message}", err=True)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except RashomonError as exc:
            raise _Failure(str(exc)) from exc
        except BrokenPipeError:
            raise  # the reader went away (| head): click exits quietly
        except OSError as exc:
            raise _Failure(f"{exc.filename or 'file'}: {exc.strerror or exc}") from exc


@dataclass(frozen=True, slots=True)
class _Options:
    db: str
    db_given: bool
    quiet: bool


class _ProgressBar:
    """Renders the library's Progress callback; shows up only after ``delay`` seconds of work."""

    def __init__(self, enabled: bool, delay: float = 1.0) -> None:
        self.enabled = enabled
        self.delay = delay
        self._started = time.monotonic()
        self._bar: Progress | None = None
        self._tasks: dict[str, int] = {}

    def __call__(self, task: str, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self._started < self.delay:
                return
            self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._bar.start()
        if task not in self._tasks:
            self._tasks[task] = self._bar.add_task(task, total=total)
        self._bar.update(self._tasks[task], completed=done, total=total)

    def __enter__(self) -> _ProgressBar:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _configure_logging(quiet: bool, verbose: bool) -> None:
    logger = logging.getLogger("rashomon")
    logger.setLevel(logging.ERROR if quiet else logging.DEBUG if verbose else logging.WARNING)
    for handler in [h for h in logger.handlers if getattr(h, "_rashomon_cli", False)]:
        logger.removeHandler(handler)
    handler = RichHandler(console=Console(stderr=True), show_time=False, show_path=False)
    handler._rashomon_cli = True  # type: ignore[attr-defined]
    logger.addHandler(handler)


def _settings(strict: bool) -> Settings:
    return Settings(ingest=IngestSettings(strict=strict))


def _say(options: _Options, message: str) -> None:
    if not options.quiet:
        click.echo(message)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="rashomon")
@click.option("--db", type=click.Path(dir_okay=False), default=DEFAULT_PATH, show_default=True,
              help="The SQLite database of stored articles (analyze stores into it only when given).")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and results; no progress bars.")
@click.option("--verbose", "-v", is_flag=True, help="Log what each stage does.")
@click.pass_context
def cli(ctx: click.Context, db: str, quiet: bool, verbose: bool) -> None:
    """rashomon: one news event through every outlet's eyes."""
    given = ctx.get_parameter_source("db") is not click.core.ParameterSource.DEFAULT
    ctx.obj = _Options(db=db, db_given=given, quiet=quiet)
    _configure_logging(quiet, verbose)


def _print_run(options: _Options, summary: RunSummary) -> None:
    _say(options, f"run {summary.run}: {summary.added} added, {summary.already_stored} already stored, "
                  f"{summary.skipped} skipped ({options.db})")
    for reason, sources in summary.reasons().items():
        shown = ", ".join(sources[:_SHOWN_SOURCES])
        more = f" and {len(sources) - _SHOWN_SOURCES} more" if len(sources) > _SHOWN_SOURCES else ""
        _say(options, f"  skipped, {reason} ({len(sources)}): {shown}{more}")


_sources_argument = click.argument("sources", nargs=-1)


def _require_input(sources: tuple[str, ...], manifest: str | None) -> None:
    if not sources and not manifest:
        raise click.UsageError("give SOURCES to read, or a --manifest whose files are read")


_manifest_option = click.option("--manifest", type=click.Path(exists=True, dir_okay=False),
                                help="CSV of file,outlet,title,published,... that overrides inferred metadata.")
_strict_option = click.option("--strict", is_flag=True, help="Fail (exit 1) on any input that cannot be read.")


@cli.command()
@_sources_argument
@_manifest_option
@_strict_option
@click.pass_obj
def ingest(options: _Options, sources: tuple[str, ...], manifest: str | None, strict: bool) -> None:
    """Read SOURCES (files, folders, URLs, feeds, JSONL/CSV dumps) into the database."""
    _require_input(sources, manifest)
    with Store.open(options.db) as store, _ProgressBar(not options.quiet) as progress:
        summary = ingest_into(store, sources, _settings(strict), manifest, progress)
    _print_run(options, summary)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON line per article instead of a table.")
@click.pass_obj
def articles(options: _Options, as_json: bool) -> None:
    """List the stored articles."""
    with Store.open(options.db) as store:
        stored = store.articles()
    if as_json:
        for article in stored:
            click.echo(dumps(article))
        return
    console = Console()
    outlet_width = 20 if console.width >= 100 else 12
    room = max(10, console.width - _FIXED_COLUMNS - outlet_width)  # the title takes what the others leave
    table = Table(title=f"{len(stored)} articles in {options.db}")
    for name in ("id", "outlet", "date", "lang", "title", "words"):
        table.add_column(name, no_wrap=True, justify="right" if name == "words" else "left")
    for a in stored:
        table.add_row(a.id, _clip(a.outlet or "", outlet_width), (a.published or "")[:10], a.language or "",
                      _clip(a.title or "", room), str(len(a.text.split())))
    console.print(table)


_FIXED_COLUMNS = 16 + 10 + 4 + 5 + 19  # id, date, lang, words, borders and padding


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _check_outputs(outputs: tuple[str, ...]) -> list[tuple[Path, str]]:
    checked = []
    for out in outputs:
        try:
            checked.append((Path(out), format_for_suffix(Path(out).suffix)))
        except ConfigError:
            raise click.BadParameter(f"{out!r} has no known suffix; valid suffixes: {', '.join(SUFFIXES.values())}",
                                     param_hint="-o/--output") from None
    return checked


def _write(briefing: Briefing, outputs: list[tuple[Path, str]]) -> None:
    for path, fmt in outputs:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(briefing, fmt), encoding="utf-8")


def _describe(briefing: Briefing) -> str:
    outlets = sorted({a.outlet for a in briefing.articles if a.outlet})
    dates = sorted(a.published[:10] for a in briefing.articles if a.published)
    named = f" from {', '.join(outlets)}" if outlets else ""
    span = f", {dates[0]} to {dates[-1]}" if dates else ""
    skipped = f"; {len(briefing.skips)} inputs skipped" if briefing.skips else ""
    return f"{len(briefing.articles)} articles{named}{span}{skipped}"


@cli.command("analyze")
@_sources_argument
@click.option("-o", "--output", "outputs", multiple=True, required=True,
              help=f"Where to write the briefing; the suffix picks the format ({', '.join(SUFFIXES.values())}).")
@_manifest_option
@_strict_option
@click.pass_obj
def analyze_command(options: _Options, sources: tuple[str, ...], outputs: tuple[str, ...],
                    manifest: str | None, strict: bool) -> None:
    """Analyse SOURCES and write a briefing. Articles are stored too when --db is given."""
    _require_input(sources, manifest)
    checked = _check_outputs(outputs)
    store = Store.open(options.db) if options.db_given else None
    try:
        with _ProgressBar(not options.quiet) as progress:
            result = analyze(sources, _settings(strict), manifest=manifest, store=store, progress=progress)
    finally:
        if store is not None:
            store.close()
    for number, briefing in enumerate(result.briefings, 1):
        numbered = [(p if number == 1 else p.with_stem(f"{p.stem}-{number}"), fmt) for p, fmt in checked]
        _write(briefing, numbered)
        _say(options, f"wrote {', '.join(str(p) for p, _ in numbered)}: {_describe(briefing)}")


_jsonl_output = click.option("-o", "--output", "output", type=click.File("w", encoding="utf-8"), required=True,
                             help="Where to write the JSON lines ('-' for standard output).")


def _write_lines(output, lines) -> int:
    count = 0
    for line in lines:
        output.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


@cli.command("annotate")
@_sources_argument
@_jsonl_output
@click.option("--vectors", is_flag=True, help="Include each sentence's vector (384 numbers).")
@_manifest_option
@_strict_option
@click.pass_obj
def annotate_command(options: _Options, sources: tuple[str, ...], output, vectors: bool, manifest: str | None,
                     strict: bool) -> None:
    """Annotate SOURCES: one JSON line per article with sentences, entities, quotes, times and tone."""
    from .annotate import to_lines

    _require_input(sources, manifest)
    with _ProgressBar(not options.quiet) as progress:
        annotation, skips = annotate_sources(sources, _settings(strict), manifest=manifest, progress=progress)
    count = _write_lines(output, to_lines(annotation, vectors))
    _say_stderr(options, f"annotated {count} articles; {len(skips)} inputs skipped")


@cli.command("cluster")
@_sources_argument
@_jsonl_output
@_strict_option
@click.pass_obj
def cluster_command(options: _Options, sources: tuple[str, ...], output, strict: bool) -> None:
    """Group the articles of SOURCES (e.g. a bulk JSONL) into stories: one line per article."""
    from .cluster import cluster

    _require_input(sources, None)
    settings = _settings(strict)
    with _ProgressBar(not options.quiet) as progress:
        annotation, _ = annotate_sources(sources, settings, progress=progress)
        found = cluster(annotation, settings.cluster, progress=progress)
    duplicates = {article: original for story in found for article, original in story.duplicates}
    lines = ({"id": a, "story": story.id, "duplicate_of": duplicates.get(a)} for story in found for a in story.articles)
    count = _write_lines(output, lines)
    _say_stderr(options, f"{count} articles in {len(found)} stories")


@cli.command("compare")
@_sources_argument
@_jsonl_output
@_strict_option
@click.pass_obj
def compare_command(options: _Options, sources: tuple[str, ...], output, strict: bool) -> None:
    """Compare the sources of each story in SOURCES: one line per story."""
    _require_input(sources, None)
    with _ProgressBar(not options.quiet) as progress:
        result = analyze(sources, _settings(strict), progress=progress)
    lines = ({"story": b.story.id, "label": b.story.label, "comparison": to_data(b.comparison), "notes": list(b.notes)}
             for b in result.briefings)
    _say_stderr(options, f"compared {_write_lines(output, lines)} stories")


@cli.command("summarize")
@_sources_argument
@_jsonl_output
@click.option("--words", default=SummarizeSettings().words, show_default=True, type=click.IntRange(1),
              help="Length of each summary in words.")
@_strict_option
@click.pass_obj
def summarize_command(options: _Options, sources: tuple[str, ...], output, words: int, strict: bool) -> None:
    """Summarise each story in SOURCES (grouped by their story field, else clustered): one line per story."""
    _require_input(sources, None)
    settings = replace(_settings(strict), summarize=SummarizeSettings(words=words))
    with _ProgressBar(not options.quiet) as progress:
        result = analyze(sources, settings, progress=progress)
    lines = ({"story": b.story.id, "label": b.story.label, "summary": to_data(b.summary.sentences),
              "notes": list(b.summary.notes) + list(b.notes)} for b in result.briefings)
    _say_stderr(options, f"summarised {_write_lines(output, lines)} stories")


def _say_stderr(options: _Options, message: str) -> None:
    if not options.quiet:
        click.echo(message, err=True)


@cli.command()
@click.option("-o", "--output", "directory", type=click.Path(file_okay=False), default="rashomon-demo",
              show_default=True, help="Folder for brief.json, brief.md and brief.html.")
@click.pass_obj
def demo(options: _Options, directory: str) -> None:
    """Analyse the bundled demo corpus (five reports of one invented event)."""
    corpus = resources.files("rashomon") / "data" / "demo"
    with resources.as_file(corpus) as folder:
        if not folder.is_dir() or not any(p.suffix != ".csv" for p in folder.iterdir()):
            raise ConfigError(f"the demo corpus is missing at {folder}; reinstall rashomon")
        manifest = folder / "manifest.csv"  # lists the corpus files, so the folder's README is not read
        sources = [] if manifest.is_file() else [folder]
        with _ProgressBar(not options.quiet) as progress:
            result = analyze(sources, Settings(), manifest=manifest if manifest.is_file() else None, progress=progress)
    out = Path(directory)
    _write(result.briefings[0], [(out / f"brief{suffix}", fmt) for fmt, suffix in SUFFIXES.items()])
    _say(options, f"demo report: {out / 'brief.html'} (also brief.json, brief.md)")
    _say(options, _describe(result.briefings[0]))


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="One JSON line per story instead of a table.")
@click.pass_obj
def stories(options: _Options, as_json: bool) -> None:
    """List the stored stories (built by the web app's add, or by the pipeline's add)."""
    with Store.open(options.db) as store:
        stored = store.stories()
    if as_json:
        for story in stored:
            click.echo(dumps(story))
        return
    table = Table(title=f"{len(stored)} stories in {options.db}")
    for name in ("id", "articles", "first", "last", "label"):
        table.add_column(name, no_wrap=name != "label", justify="right" if name == "articles" else "left")
    for s in stored:
        table.add_row(s.id, str(len(s.articles)), s.first or "", s.last or "", s.label)
    Console().print(table)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--max-queued-jobs", default=WebSettings().max_queued_jobs, show_default=True, type=click.IntRange(0),
              help="Add jobs that may wait behind the running one; more get HTTP 503.")
@click.option("--adds-per-minute", default=WebSettings().adds_per_minute, show_default=True,
              type=click.FloatRange(0, min_open=True), help="Add requests per client address a minute; more get HTTP 429.")
@click.pass_obj
def serve(options: _Options, host: str, port: int, max_queued_jobs: int, adds_per_minute: float) -> None:
    """Run the local web app on the database (--db)."""
    import uvicorn

    from .web.app import create_app

    app = create_app(options.db, Settings(), web=WebSettings(max_queued_jobs=max_queued_jobs, adds_per_minute=adds_per_minute))
    _say(options, f"rashomon on http://{host}:{port}/ (database {options.db}); Ctrl-C stops it")
    uvicorn.run(app, host=host, port=port, log_level="warning" if options.quiet else "info")


@cli.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for every result; a rerun resumes.")
@click.option("--workers", default=2, show_default=True, type=click.IntRange(1), help="Worker processes of a local cluster.")
@click.option("--scheduler", help="Address of a running dask.distributed scheduler (instead of a local cluster).")
@click.pass_obj
def batch(options: _Options, inputs: tuple[str, ...], out: str, workers: int, scheduler: str | None) -> None:
    """Run the whole pipeline over INPUTS on Dask, writing results under --out."""
    from . import scale

    settings = scale.BatchSettings(out=out, workers=workers, scheduler=scheduler)
    with _ProgressBar(not options.quiet) as progress:
        result = scale.run_batch(list(inputs), settings, Settings(), progress)
    _say(options, f"{result.articles} articles in {result.partitions} partitions ({result.resumed} resumed), "
                  f"{result.skips} skipped; {result.stories} stories, {result.compared} compared; "
                  f"{result.seconds:.1f} s; results in {result.out}")
    for partition, reason in result.failed:
        click.echo(f"failed partition {partition}: {reason}", err=True)


def main() -> None:
    """The ``rashomon`` console script."""
    cli(prog_name="rashomon")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
