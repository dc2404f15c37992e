"""The command line: a thin layer over the library's public functions.

Exit codes (also in README):
  0  success
  1  the graph does not conform to the SHACL shapes, or an export does not validate
     against its schema (nothing written)
  2  usage error (bad option or argument)
  3  a source could not be read or parsed, or an output folder is unusable (nothing written)
  4  ``--check``: the output folder is not what the sources build
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from medkg import __version__
from medkg.errors import ExportInvalid, MedkgError, ValidationFailed

EXIT_INVALID = 1
EXIT_SOURCE = 3
EXIT_STALE = 4


@click.group()
@click.version_option(__version__, prog_name="medkg")
def main() -> None:
    """medkg: drug monographs and billing-code pages -> a validated RDF knowledge graph."""


@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("dist"),
    show_default=True,
    help="Folder the dataset is written to (replaced as a whole).",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 4 when --out is not what the sources build."
)
def build(sources: tuple[Path, ...], out: Path, check: bool) -> None:
    """Build the knowledge graph from SOURCES (files or folders; default data/sources)."""
    from medkg.build import build as run_build

    paths = list(sources) or [Path("data/sources")]
    try:
        outcome = run_build(paths, out, check=check)
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
    for status in outcome.statuses:
        note = f" ({status.reason})" if status.reason else ""
        click.echo(f"{status.status:8} {status.format or '-':10} {status.file}{note}", err=True)
    if check:
        if outcome.changed:
            click.echo(f"medkg build --check: {out}/ is not what the sources build:", err=True)
            for line in outcome.changed:
                click.echo(f"  {line}", err=True)
            click.echo("Run `medkg build` to rebuild it.", err=True)
            sys.exit(EXIT_STALE)
        click.echo(f"{out}/ is up to date.", err=True)
        return
    click.echo(f"wrote {len(outcome.files)} files to {out}/", err=True)


@main.command()
@click.argument("graph", required=False, type=click.Path(path_type=Path, dir_okay=False),
                default=Path("dist/medkg.ttl"))
def validate(graph: Path) -> None:
    """Validate a built graph (default dist/medkg.ttl) against the bundled SHACL shapes."""
    from medkg.validate import validate_file

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


if __name__ == "__main__":
    main()
