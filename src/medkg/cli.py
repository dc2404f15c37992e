"""The command line: a thin layer over the library's public functions.

Exit codes (also in README):
  0  success
  1  the graph does not conform to the SHACL shapes, or an export does not validate
     against its schema (nothing written); ``--check``: medkg.jsonld does not validate
     against medkg.schema.json
  2  usage error (bad option or argument)
  3  a source could not be read or parsed, or an output folder is unusable (nothing written;
     every document is still processed and each failed one listed with its error)
  4  ``--check``: the output folder is not what the sources build
     (``medkg query``: dist/ no longer matches the sources it records)
  5  ``--keep-going``: built with failures — the built documents were published and the
     failed ones are listed on the terminal and in build-report.json
  6  ``medkg publish``: the store refused a request or could not be reached (the previous
     publication, if any, is still what the store serves when an update endpoint is used)
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from medkg import __version__
from medkg.errors import ExportInvalid, MedkgError, ValidationFailed

if TYPE_CHECKING:
    from medkg.pipeline.document_stage import DocumentStatus
    from medkg.pipeline.progress import Progress

EXIT_INVALID = 1
EXIT_SOURCE = 3
EXIT_STALE = 4
EXIT_PARTIAL = 5
EXIT_PUBLISH = 6
STATUS_LINES_MAX = 20  # one line per document up to this many documents


F = TypeVar("F", bound=Callable[..., Any])


def folder_option(name: str, help: str, default: Path | None = None) -> Callable[[F], F]:
    """A command's option naming a folder (``--out``, ``--data``, ``--cache-dir``); a
    default is shown in the help."""
    return click.option(
        name,
        type=click.Path(path_type=Path, file_okay=False),
        default=default,
        show_default=default is not None,
        help=help,
    )


@click.group()
@click.version_option(__version__, prog_name="medkg")
def main() -> None:
    """medkg: drug monographs and billing-code pages -> a validated RDF knowledge graph."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@folder_option(
    "--out", "Folder the dataset is written to (replaced as a whole).", default=Path("dist")
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing; exit 4 when --out is not what the sources build, "
    "1 when its medkg.jsonld does not validate against medkg.schema.json.",
)
@click.option(
    "--fhir-version",
    type=click.Choice(["R5", "R4B"]),
    default="R5",
    show_default=True,
    help="FHIR version of the resources in fhir/ (R4B drops what R4B cannot hold; see README).",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Publish the documents that built even when others failed (exit 5; see README).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes [default: the CPU cores available]. Output is the same for any number.",
)
@folder_option(
    "--cache-dir",
    "Where unchanged documents' results are kept between builds "
    "[default: $XDG_CACHE_HOME/medkg or ~/.cache/medkg].",
)
@click.option("--no-cache", is_flag=True, help="Process every document again; keep nothing.")
@click.option(
    "--cache-max",
    default="5G",
    show_default=True,
    help="After the build, remove the least recently used cache entries and query stores "
    "until the cache folder holds at most this much (e.g. 500M, 20G; never what this "
    "build used); 'none' keeps everything.",
)
@click.option(
    "--no-query-store",
    is_flag=True,
    help="Do not ready the query store after the build (the first medkg query then builds it).",
)
@click.option(
    "--shacl-engine",
    type=click.Choice(["sparql", "pyshacl"]),
    default="sparql",
    show_default=True,
    help="SHACL engine: medkg's compiled SPARQL checks, or pySHACL (the reference; slow).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show each stage's progress on stderr [default: when stderr is a terminal].",
)
def build(
    sources: tuple[Path, ...],
    out: Path,
    check: bool,
    fhir_version: str,
    keep_going: bool,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    cache_max: str,
    no_query_store: bool,
    shacl_engine: str,
    progress: bool | None,
) -> None:
    """Build the knowledge graph from SOURCES (files or folders; default data/sources)."""
    import time

    from medkg.export.build_report import summary_lines
    from medkg.pipeline.build import build as run_build
    from medkg.pipeline.build_summary import summary_lines as closing_lines
    from medkg.pipeline.cache import default_folder
    from medkg.pipeline.document_stage import DocumentsFailed
    from medkg.pipeline.options import BuildOptions
    from medkg.pipeline.pool import default_jobs
    from medkg.pipeline.progress import TerminalProgress

    paths = list(sources) or [Path("data/sources")]
    stages = TerminalProgress(sys.stderr, sys.stderr.isatty() if progress is None else progress)
    options = BuildOptions(
        fhir_version=fhir_version,
        validator=shacl_engine,
        keep_going=keep_going,
        jobs=jobs or default_jobs(),
        cache_folder=None if no_cache else (cache_dir or default_folder()),
        query_store=not no_query_store,
        cache_max=cache_size_option(cache_max),
    )
    started = time.time()
    clock = time.monotonic()
    try:
        outcome = run_build(paths, out, options, check=check, progress=stages)
    except DocumentsFailed as failure:
        stages.close()
        echo_statuses(failure.statuses)
        for line in summary_lines(failure.statuses, None):
            click.echo(line, err=True)
        click.echo(
            f"medkg build: {len([s for s in failure.statuses if s.status == 'failed'])} "
            f"document(s) failed; {out}/ was left as it was. Fix or remove them, "
            "or rerun with --keep-going to publish the others.",
            err=True,
        )
        sys.exit(EXIT_SOURCE)
    except (ValidationFailed, ExportInvalid) as failure:
        click.echo(f"medkg build: {failure}", err=True)
        click.echo(
            f"{out}/ was left as it was. Fix the extractor or the shapes, then rebuild.", err=True
        )
        sys.exit(EXIT_INVALID)
    except MedkgError as error:
        click.echo(f"medkg build: {error}", err=True)
        click.echo(f"{out}/ was left as it was.", err=True)
        sys.exit(EXIT_SOURCE)
    finally:
        stages.close()
    echo_statuses(outcome.statuses)
    for line in summary_lines(outcome.statuses, outcome.mapping):
        click.echo(line, err=True)
    if check:
        if outcome.changed:
            click.echo(f"medkg build --check: {out}/ is not what the sources build:", err=True)
            for line in outcome.changed:
                click.echo(f"  {line}", err=True)
            click.echo("Run `medkg build` to rebuild it.", err=True)
            sys.exit(EXIT_STALE)
        from medkg.export.jsonld_schema import folder_problems

        problems = folder_problems(out)
        if problems:
            click.echo(
                f"medkg build --check: {out}/medkg.jsonld does not validate against "
                "medkg.schema.json:",
                err=True,
            )
            for line in problems:
                click.echo(f"  {line}", err=True)
            click.echo("Fix the JSON-LD writer or the schema, then rebuild.", err=True)
            sys.exit(EXIT_INVALID)
        click.echo(f"{out}/ is up to date.", err=True)
    elif outcome.reused:
        click.echo(
            f"{out}/ is already what these sources build (same sources, options and medkg; "
            "its files untouched): nothing written.",
            err=True,
        )
    if not check and options.query_store and options.cache_folder is not None:
        ready_query_store(out, options.cache_folder, stages)
    if options.cache_folder is not None and options.cache_max is not None:
        keep_cache_bounded(options.cache_folder, options.cache_max, started)
    if not check:
        built = sum(1 for status in outcome.statuses if status.status == "built")
        default_out = out.resolve() == Path("dist").resolve()
        written = None if outcome.reused else len(outcome.files)
        elapsed = time.monotonic() - clock
        for line in closing_lines(out, built, elapsed, written, default_out=default_out):
            click.echo(line, err=True)
    if outcome.failed:
        click.echo(
            f"medkg build: built with {len(outcome.failed)} failed document(s) (--keep-going); "
            f"see {out}/build-report.json",
            err=True,
        )
        sys.exit(EXIT_PARTIAL)


def ready_query_store(out: Path, cache_folder: Path, progress: Progress) -> None:
    """Ready the on-disk query store of the just-published `out` under `cache_folder` (see
    `medkg.query.persistent`; stage ``query store`` of `progress`), saying where it is; a
    failure is a warning, never a failed build (`out` is already published)."""
    from medkg.query.persistent import StoreUnavailable, ready_store

    progress.start("query store")
    try:
        folder = ready_store(out / "medkg.nq", cache_folder)
    except StoreUnavailable as unavailable:
        progress.finish("query store", "not readied")
        click.echo(
            f"medkg build: warning: the query store was not readied ({unavailable.reason}); "
            "the first `medkg query` will build it.",
            err=True,
        )
        return
    progress.finish("query store")
    click.echo(f"query store ready: {folder}", err=True)


def cache_size_option(text: str) -> int | None:
    """``--cache-max``/``--max`` as bytes (None for 'none'); a usage error (exit 2) otherwise."""
    from medkg.pipeline.cache_eviction import parse_size

    if text.strip().lower() == "none":
        return None
    try:
        return parse_size(text)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--cache-max") from error


def keep_cache_bounded(folder: Path, max_bytes: int, started: float) -> None:
    """Evict the cache folder down to `max_bytes`, keeping what the build since `started`
    used; one line says what was removed (nothing when there was nothing to remove)."""
    from medkg.pipeline.cache_eviction import evict, human

    done = evict(folder, max_bytes, used_since=started)
    if done.removed:
        click.echo(
            f"cache {folder}/: removed {done.removed} least recently used entries "
            f"({human(done.before)} -> {human(done.after)}; --cache-max {human(max_bytes)})",
            err=True,
        )


@main.command()
@folder_option(
    "--cache-dir", "The cache folder [default: $XDG_CACHE_HOME/medkg or ~/.cache/medkg]."
)
@click.option("--clear", is_flag=True, help="Remove every entry and query store.")
@click.option(
    "--max",
    "max_size",
    default=None,
    help="Remove the least recently used entries until it holds at most this much (e.g. 2G).",
)
def cache(cache_dir: Path | None, clear: bool, max_size: str | None) -> None:
    """Show the build cache's size by kind; --clear or --max to shrink it."""
    from medkg.pipeline.cache import default_folder
    from medkg.pipeline.cache_eviction import evict, human, usage

    folder = cache_dir or default_folder()
    limit = 0 if clear else (cache_size_option(max_size) if max_size is not None else None)
    if not folder.is_dir():  # never made by looking: a mistyped --cache-dir stays a mistake
        if cache_dir is not None:
            click.echo(
                f"medkg cache: {folder}/ is not a folder; check --cache-dir "
                "(it is the folder given to medkg build --cache-dir).",
                err=True,
            )
            sys.exit(EXIT_SOURCE)
        click.echo(f"{folder}/: nothing cached yet")
        return
    if limit is not None:
        done = evict(folder, limit)
        if done.skipped:
            click.echo(f"medkg cache: a build is using {folder}/; try again after it.", err=True)
            sys.exit(EXIT_SOURCE)
        click.echo(f"removed {done.removed} entries: {human(done.before)} -> {human(done.after)}")
    total = 0
    for kind, (count, size) in sorted(usage(folder).items()):
        total += size
        click.echo(f"{kind:<14} {count:>8} {human(size):>11}")
    click.echo(f"{folder}/: {human(total)}")


def echo_statuses(statuses: Sequence[DocumentStatus]) -> None:
    """One line per document for small builds; above `STATUS_LINES_MAX` only the summary
    (which lists every failed and skipped file) is printed — build-report.json has them all."""
    if len(statuses) > STATUS_LINES_MAX:
        return
    for status in statuses:
        note = f" ({status.reason or status.error})" if status.reason or status.error else ""
        click.echo(f"{status.status:8} {status.format or '-':10} {status.file}{note}", err=True)


@main.command()
@click.argument(
    "graph",
    required=False,
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("dist/medkg.ttl"),
)
def validate(graph: Path) -> None:
    """Validate a built graph (default dist/medkg.ttl) against the bundled SHACL shapes."""
    from medkg.shacl.validate import validate_file

    try:
        outcome = validate_file(graph)
    except MedkgError as error:
        click.echo(f"medkg validate: {error}", err=True)
        sys.exit(EXIT_SOURCE)
    if outcome.conforms:
        click.echo(f"{graph}: conforms to the shapes.")
        return
    click.echo(f"{graph}: does not conform to the shapes:", err=True)
    for violation in outcome.violations:
        click.echo(str(violation), err=True)
    sys.exit(EXIT_INVALID)


@main.command()
@click.argument("name", required=False, metavar="[NAME|FILE.rq]")
@click.option("--sparql", help="SPARQL 1.1 query text (instead of NAME or FILE.rq).")
@click.option(
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="Bind a query parameter (repeatable); names match ignoring case and extra spaces.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "jsonld", "ntriples"]),
    help="Output format [default: table; turtle for graphs].",
)
@folder_option(
    "--data", "Folder written by `medkg build` [default: dist, checked against data/sources]."
)
@click.option("--list", "list_queries", is_flag=True, help="List the named queries and exit.")
@folder_option(
    "--cache-dir",
    "Where the dataset's query store is kept, built on first use "
    "[default: $XDG_CACHE_HOME/medkg or ~/.cache/medkg].",
)
def query(
    name: str | None,
    sparql: str | None,
    params: tuple[str, ...],
    fmt: str | None,
    data: Path | None,
    list_queries: bool,
    cache_dir: Path | None,
) -> None:
    """Ask the built graph a named competency query, a .rq file, or --sparql TEXT.

    Exit 2 for a usage or SPARQL syntax error (line:column shown), 3 when the
    dataset is missing or unreadable, 4 when dist/ is stale (run `medkg build`)."""
    from medkg.query import DataMissing, DataStale, QueryError
    from medkg.query.command import answer, choose_query, list_text, parse_params

    if list_queries:
        click.echo(list_text(), nl=False)
        return
    try:
        chosen = choose_query(name, sparql)
        answered = answer(
            chosen,
            parse_params(params),
            fmt,
            data or Path("dist"),
            sources_dir=None if data else Path("data/sources"),
            cache_folder=cache_dir,
        )
    except DataMissing as error:
        click.echo(f"medkg query: {error}", err=True)
        sys.exit(EXIT_SOURCE)
    except DataStale as error:
        click.echo(f"medkg query: {error}", err=True)
        sys.exit(EXIT_STALE)
    except QueryError as error:
        click.echo(f"medkg query: {error}", err=True)
        sys.exit(2)
    click.echo(answered.text, nl=False)
    for note in answered.notes:
        click.echo(f"medkg query: note: {note}", err=True)


@main.command()
@folder_option("--data", "Folder written by `medkg build` to serve.", default=Path("dist"))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds a query may run; then it is stopped and answered 503.",
)
@click.option(
    "--max-results",
    type=click.IntRange(min=1),
    default=10_000,
    show_default=True,
    help="Most rows (SELECT) or triples (CONSTRUCT/DESCRIBE) in one answer.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Query worker processes (queries running at the same time).",
)
@click.option(
    "--queue",
    type=click.IntRange(min=0),
    default=8,
    show_default=True,
    help="Queries that may wait for a busy worker; beyond them a request is answered 503.",
)
@click.option(
    "--idle-timeout",
    type=click.IntRange(min=1),
    default=30,
    show_default=True,
    help="Seconds a connection may send nothing (idle, or stalled mid-request) before it "
    "is closed.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    default=(),
    metavar="ORIGIN",
    help="A web origin (e.g. http://localhost:3000) whose pages may query the server and read "
    "the answers; repeat for several. Default: none (same-origin only).",
)
def serve(
    data: Path,
    host: str,
    port: int,
    timeout: float,
    max_results: int,
    workers: int,
    queue: int,
    idle_timeout: int,
    cors_origins: tuple[str, ...],
) -> None:
    """Serve the built graph: a read-only SPARQL 1.1 endpoint at /sparql, linked-data
    pages at /id/..., and a query page at /. Updates and SERVICE are refused."""
    from medkg.serve import ServeConfig
    from medkg.serve import serve as run_server

    config = ServeConfig(
        data_dir=data,
        host=host,
        port=port,
        timeout=timeout,
        max_results=max_results,
        workers=workers,
        queue=queue,
        idle_timeout=idle_timeout,
        cors_origins=tuple(cors_origins),
    )
    try:
        run_server(config)
    except MedkgError as error:
        click.echo(f"medkg serve: {error}", err=True)
        sys.exit(EXIT_SOURCE)
    except OSError as error:
        click.echo(
            f"medkg serve: cannot listen on {host}:{port} ({error}); "
            "choose another --port or --host.",
            err=True,
        )
        sys.exit(EXIT_SOURCE)


@main.command()
@folder_option("--data", "Folder written by `medkg build` to publish.", default=Path("dist"))
@click.option(
    "--endpoint",
    required=True,
    help="The store's SPARQL 1.1 Graph Store HTTP Protocol URL (Oxigraph: http://HOST:7878/store).",
)
@click.option(
    "--update-endpoint",
    help="Its SPARQL 1.1 Update URL (Oxigraph: http://HOST:7878/update): the new version then "
    "replaces the old one in one request; without it, graph by graph.",
)
@click.option(
    "--single-graph",
    metavar="IRI",
    help="Publish the union of the dataset as this one graph instead of a graph per document.",
)
@click.option(
    "--credentials-file",
    type=click.Path(path_type=Path, dir_okay=False),
    help="File holding user:password or Bearer TOKEN (else $MEDKG_PUBLISH_CREDENTIALS).",
)
def publish(
    data: Path,
    endpoint: str,
    update_endpoint: str | None,
    single_graph: str | None,
    credentials_file: Path | None,
) -> None:
    """Publish a built dataset to a triple store: a named graph per source document plus
    the links graph (or one graph), replacing what medkg published there before."""
    from medkg.publish import PublishFailed
    from medkg.publish import publish as run_publish
    from medkg.publish.credentials import authorization
    from medkg.publish.graph_store import GraphStore

    try:
        store = GraphStore(endpoint, update_endpoint, authorization(credentials_file))
        report = run_publish(data, store, single_graph)
    except PublishFailed as failure:
        click.echo(f"medkg publish: {failure}", err=True)
        sys.exit(EXIT_PUBLISH)
    except MedkgError as error:
        click.echo(f"medkg publish: {error}", err=True)
        sys.exit(EXIT_SOURCE)
    for line in report.lines():
        click.echo(line, err=True)


if __name__ == "__main__":
    main()
