"""The ``search-service`` command line: index, reindex, search, export, stats, evaluate, serve.

Every command reports problems as one clear line on stderr and a non-zero exit
status, never a traceback. spaCy is imported only by the commands that run NER.
"""
from __future__ import annotations

import itertools
import json
import sys
from contextlib import contextmanager
from pathlib import Path

import click
from werkzeug.datastructures import MultiDict

from .backends import BackendError, open_backend
from .config import ConfigError, Settings, load_settings
from .models import ENTITY_TYPES
from .search import SearchRequest
from .search.export import FORMATS as EXPORT_FORMATS
from .search.export import cap_message, document_path, export_lines, search_path


class Context:
    def __init__(self, overrides: dict, config_file: str | None):
        self.overrides = overrides
        self.config_file = config_file

    def settings(self, **extra) -> Settings:
        return load_settings({**self.overrides, **extra}, file=self.config_file)


@contextmanager
def _clear_errors():
    """Turn expected failures into one line on stderr and exit status 1."""
    try:
        yield
    except (ConfigError, BackendError, OSError) as exc:
        raise click.ClickException(str(exc)) from None
    except Exception as exc:
        if type(exc).__name__ in {"EnrichmentError", "CurationError", "GoldError"}:
            raise click.ClickException(str(exc)) from None
        raise


def sample_corpus_dir() -> Path:
    """The bundled sample corpus (shipped inside the ``indexer`` package)."""
    import indexer

    return Path(indexer.__file__).resolve().parent / "sample_corpus"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--data-dir", envvar="SEARCH_DATA_DIR", help="Index directory (default: ~/.local/share/search-service).")
@click.option("--backend", type=click.Choice(["tantivy", "elasticsearch"]), envvar="SEARCH_BACKEND", help="Search engine.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), envvar="SEARCH_CONFIG", help="TOML settings file.")
@click.pass_context
def main(ctx, data_dir, backend, config_file):
    """Faceted full-text search over folders of articles."""
    overrides = {}
    if data_dir:
        overrides["DATA_DIR"] = data_dir
    if backend:
        overrides["BACKEND"] = backend
    ctx.obj = Context(overrides, config_file)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--sample", is_flag=True, help="Index the bundled sample corpus.")
@click.option("--prune", is_flag=True, help="Remove documents whose files no longer exist.")
@click.option("--entities-file", type=click.Path(dir_okay=False), help="Curation file (overrides SEARCH_ENTITIES_FILE).")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.pass_obj
def index(obj: Context, paths, sample, prune, entities_file, as_json):
    """Index files and folders (incremental: unchanged files are skipped)."""
    from indexer.pipeline import index_paths

    paths = list(paths) + ([sample_corpus_dir()] if sample else [])
    if not paths:
        raise click.UsageError("Give at least one file or folder to index (or --sample).")
    with _clear_errors():
        settings = obj.settings(**({"ENTITIES_FILE": entities_file} if entities_file else {}))
        backend = open_backend(settings)
        summary = index_paths(paths, backend, settings, prune=prune)
    _print_summary(summary, as_json)


@main.command()
@click.option("--rollback", is_flag=True, help="Switch back to the index generation before the last reindex.")
@click.option("--entities-file", type=click.Path(dir_okay=False), help="Curation file (overrides SEARCH_ENTITIES_FILE).")
@click.option("--json", "as_json", is_flag=True, help="Print the run summary as JSON.")
@click.pass_obj
def reindex(obj: Context, rollback, entities_file, as_json):
    """Rebuild the whole index from stored sources and switch to it atomically."""
    with _clear_errors():
        settings = obj.settings(**({"ENTITIES_FILE": entities_file} if entities_file else {}))
        backend = open_backend(settings)
        if rollback:
            click.echo(f"Searches now use generation {backend.rollback()}.")
            return
        from indexer.pipeline import reindex as run_reindex

        summary = run_reindex(backend, settings)
    _print_summary(summary, as_json)


@main.group()
def entities():
    """Curate entity facet values: review suspicious ones, apply the curation file."""


_ENTITIES_FILE = click.option("--entities-file", type=click.Path(dir_okay=False),
                              help="Curation file (overrides SEARCH_ENTITIES_FILE).")


@entities.command("review")
@click.option("--type", "entity_type", type=click.Choice(list(ENTITY_TYPES)), help="Only values of this type.")
@_ENTITIES_FILE
@click.option("--limit", type=int, default=50, show_default=True, help="Suggestions to list (0 = all).")
@click.option("--json", "as_json", is_flag=True, help="Print the suggestions as JSON.")
@click.pass_obj
def entities_review(obj: Context, entity_type, entities_file, limit, as_json):
    """List suspicious facet values, most documents first, each with a reason and the
    curation table to paste into the curation file (then run 'entities apply')."""
    with _clear_errors():
        settings = obj.settings(**({"ENTITIES_FILE": entities_file} if entities_file else {}))
        from indexer.curate import review_corpus
        from indexer.entities.review import format_suggestions

        suggestions = review_corpus(open_backend(settings), settings, entity_type)
    shown = suggestions[:limit] if limit > 0 else suggestions
    if as_json:
        click.echo(json.dumps([s.to_dict() for s in shown], indent=2, ensure_ascii=False))
    else:
        click.echo(format_suggestions(shown))
        if len(shown) < len(suggestions):
            click.echo(f"\n… {len(suggestions) - len(shown)} more (--limit 0 lists all).")


@entities.command("apply")
@_ENTITIES_FILE
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_obj
def entities_apply(obj: Context, entities_file, as_json):
    """Apply the curation file to the live index from the stored NER output (no NER run),
    rewriting only the articles whose values change; switches atomically."""
    with _clear_errors():
        settings = obj.settings(**({"ENTITIES_FILE": entities_file} if entities_file else {}))
        from indexer.curate import apply_curation

        summary = apply_curation(open_backend(settings), settings)
    _print_summary(summary, as_json)


def _print_summary(summary, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
    else:
        click.echo(summary.format())
    if summary.failed:
        sys.exit(1)


@main.command()
@click.argument("query", required=False, default="")
@click.option("--person", multiple=True, help="Only documents mentioning this person (repeat for OR).")
@click.option("--organisation", multiple=True, help="Only documents mentioning this organisation.")
@click.option("--place", multiple=True, help="Only documents mentioning this place.")
@click.option("--year", multiple=True, type=int, help="Only documents published in this year.")
@click.option("--mentioned-year", multiple=True, type=int, help="Only documents mentioning this year.")
@click.option("--not-person", multiple=True, help="Leave out documents mentioning this person.")
@click.option("--not-organisation", multiple=True, help="Leave out documents mentioning this organisation.")
@click.option("--not-place", multiple=True, help="Leave out documents mentioning this place.")
@click.option("--all-of", "all_of", multiple=True, type=click.Choice(["person", "organisation", "place", "mentioned-year"]),
              help="Documents mentioning every selected value of this facet, not any (repeatable).")
@click.option("--year-from", type=int, help="Published in this year or later.")
@click.option("--year-to", type=int, help="Published in this year or earlier.")
@click.option("--mentioned-year-from", type=int, help="Mentioning a year from this one on.")
@click.option("--mentioned-year-to", type=int, help="Mentioning a year up to this one.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]),
              help="Result order (default: relevance with a query, newest without).")
@click.option("--page", type=int, default=1)
@click.option("--size", type=int, default=10)
@click.option("--json", "as_json", is_flag=True, help="Print results and facets as JSON.")
@click.option("--format", "fmt", type=click.Choice(["text", *EXPORT_FORMATS]), default="text",
              help="csv or jsonl: write the documents as an export file (the page's documents, or every one with --all).")
@click.option("--all", "every", is_flag=True, help="With --format csv|jsonl: every matching document (up to EXPORT_MAX_DOCUMENTS).")
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File for --format csv|jsonl (default stdout).")
@click.pass_obj
def search(obj: Context, query, person, organisation, place, year, mentioned_year, not_person, not_organisation,
           not_place, all_of, year_from, year_to, mentioned_year_from, mentioned_year_to, sort, page, size, as_json,
           fmt, every, output):
    """Search the index and print the best documents with their passages."""
    # The search page's own parsing (SearchRequest.from_args): the same defaults
    # (newest first without a query) and the same clamping.
    args = MultiDict([("q", query), ("page", str(page)), ("size", str(size))])
    for param, values in (("person", person), ("organisation", organisation), ("place", place),
                          ("year", year), ("mentioned_year", mentioned_year), ("not_person", not_person),
                          ("not_organisation", not_organisation), ("not_place", not_place)):
        for value in values:
            args.add(param, str(value))
    for facet in all_of:
        args.add(facet.replace("-", "_") + "_mode", "all")
    for param, bound in (("year_from", year_from), ("year_to", year_to), ("mentioned_year_from", mentioned_year_from),
                         ("mentioned_year_to", mentioned_year_to)):
        if bound is not None:
            args.add(param, str(bound))
    if sort:
        args.add("sort", sort)
    if every and fmt == "text":
        raise click.UsageError("--all needs --format csv or --format jsonl.")
    with _clear_errors():
        settings = obj.settings()
        backend = open_backend(settings)
        request = SearchRequest.from_args(args, limits=settings.limits)
        if fmt != "text":
            _export(backend, request, fmt, settings.export_max_documents if every else None, output)
            return
        result = backend.search(request)
    if as_json:
        data = result.to_dict()
        data["warnings"] = list(request.warnings)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        return
    for warning in list(request.warnings) + list(result.query_errors):
        click.echo(f"Note: {warning}", err=True)
    click.echo(f"{result.total} documents")
    for n, hit in enumerate(result.hits, start=request.offset + 1):
        date = hit.published.isoformat() if hit.published else "undated"
        click.echo(f"\n{n}. {hit.title}  [{date}]  id={hit.id}")
        click.echo(f"   {hit.shown_source}")
        for passage in hit.passages:
            click.echo("   > " + _terminal_highlight(passage))
        if hit.more_matches:
            click.echo(f"   ({hit.more_matches} more matches in this document)")
    if result.facets:
        click.echo("")
        for facet, values in result.facets.items():
            shown = ", ".join(f"{v.value} ({v.count})" for v in values[:8])
            if shown:
                click.echo(f"{facet}: {shown}")


def _export(backend, request: SearchRequest, fmt: str, cap: int | None, output) -> None:
    """Write ``request``'s documents as CSV / JSON Lines: every one up to ``cap``,
    or (cap None) those of the requested page only."""
    for warning in request.warnings:
        click.echo(f"Note: {warning}", err=True)
    limit = cap if cap is not None else request.offset + request.size
    stream = backend.iter_hits(request, limit)
    try:
        if cap is None:  # one page: skip the documents of the pages before it
            stream.hits = itertools.islice(stream.hits, request.offset, None)
            stream.total = min(stream.total, limit)  # no "limit reached" line for a page
            cap = limit
        for chunk in export_lines(stream, fmt, cap, document_path):
            output.write(chunk)
    finally:
        stream.close()
    if stream.total > cap:
        click.echo(f"Note: {cap_message(stream.total, cap)}", err=True)


def _terminal_highlight(passage, width: int = 300) -> str:
    """Passage text with matches in bold (only when stdout is a terminal)."""
    text, bold = passage.text, sys.stdout.isatty()
    out, pos = [], 0
    for start, end in passage.highlights:
        out.append(text[pos:start])
        out.append(click.style(text[start:end], bold=True) if bold else f"[{text[start:end]}]")
        pos = end
    out.append(text[pos:])
    flat = " ".join("".join(out).split())
    return flat if len(flat) <= width else flat[:width].rsplit(" ", 1)[0] + " …"


@main.command()
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="File to write (default stdout).")
@click.pass_obj
def export(obj: Context, output):
    """Write every document as JSON Lines (id, source, title, published, entities, years)."""
    with _clear_errors():
        backend = open_backend(obj.settings())
        for article in backend.iter_articles():
            output.write(json.dumps(article.export_record(), ensure_ascii=False) + "\n")


@main.command()
@click.argument("list_file", metavar="NAMES", type=click.File("rb"))
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv", show_default=True)
@click.option("--output", "-o", type=click.File("w", encoding="utf-8"), default="-",
              help="File to write (default stdout).")
@click.option("--words", is_flag=True, help="Match each query's words anywhere instead of as one phrase.")
@click.option("--top", type=click.IntRange(1, 50), default=None, help="Best documents listed per query (default BATCH_TOP_DOCUMENTS).")
@click.pass_obj
def batch(obj: Context, list_file, fmt, output, words, top):
    """Run a list of names or queries (one per line, or CSV with a `query` column
    and filter columns) and write one row per query: documents, best ones, first passage."""
    from indexer.progress import Progress

    from .search.batch import BatchError, batch_lines, decode, parse_batch, run_batch

    with _clear_errors():
        settings = obj.settings()
        try:
            queries, warnings = parse_batch(decode(list_file.read()), max_queries=10**9, phrase=not words)
        except BatchError as exc:
            raise click.ClickException(str(exc)) from None
        for warning in warnings:
            click.echo(f"Note: {warning}", err=True)
        backend = open_backend(settings)
        with Progress(len(queries), "Batch search", unit="query") as progress:
            def counted(rows):
                for row in rows:
                    progress.update()
                    yield row

            rows = counted(run_batch(backend, queries, top=top or settings.batch_top_documents, limits=settings.limits))
            for chunk in batch_lines(rows, fmt, search_path):
                output.write(chunk)


@main.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_obj
def stats(obj: Context, as_json):
    """Show the engine, document and passage counts."""
    with _clear_errors():
        info = open_backend(obj.settings()).stats()
    if as_json:
        click.echo(json.dumps(info, indent=2, default=str))
    else:
        for key, value in info.items():
            click.echo(f"{key}: {value}")


@main.command()
@click.argument("corpus", required=False, type=click.Path(exists=True, path_type=Path))
@click.option("--gold", type=click.Path(exists=True, dir_okay=False), help="Gold annotations (JSON Lines).")
@click.option("--details", is_flag=True, help="List every false positive and false negative.")
@click.option("--baseline", is_flag=True, help="Score raw NER with basic clean-up only (the 'before' figures).")
@click.pass_obj
def evaluate(obj: Context, corpus, gold, details, baseline):
    """Entity precision / recall / F1 per type against a gold file (default: the sample corpus)."""
    from indexer.evaluate import evaluate as run_evaluation, format_report

    corpus = corpus or sample_corpus_dir()
    gold = gold or (sample_corpus_dir().parent / "sample_gold.jsonl")
    with _clear_errors():
        settings = obj.settings(**({"entity_rules": "basic"} if baseline else {}))
        click.echo(format_report(run_evaluation(gold, corpus, settings), details=details))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int, help="gunicorn worker processes.")
@click.option("--dev", is_flag=True, help="Use Flask's reloading development server instead of gunicorn.")
@click.pass_obj
def serve(obj: Context, host, port, workers, dev):
    """Serve the web UI and JSON API."""
    with _clear_errors():
        settings = obj.settings()
        if dev:
            from . import create_app

            create_app(settings).run(host=host, port=port, debug=True)
        else:
            from .web.serve import run_gunicorn

            click.echo(f"Serving {settings.backend} index from {settings.data_dir} at http://{host}:{port}/", err=True)
            run_gunicorn(settings, bind=f"{host}:{port}", workers=workers)


if __name__ == "__main__":
    main()
