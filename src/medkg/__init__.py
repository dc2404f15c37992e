"""medkg: drug documents to a validated RDF knowledge graph.

The public API, for programs that build or query the graph without the command line::

    import medkg
    outcome = medkg.build(["data/sources"], "dist", medkg.BuildOptions(jobs=2))
    report = medkg.validate("dist/medkg.ttl")          # report.conforms, report.violations
    store = medkg.load_store("dist")
    result = medkg.run_query(store, "billing", {"drug": drug_name})
    for row in result.rows: ...

Each function imports its stage only when called, so ``import medkg`` stays cheap.
Errors are `medkg.errors.MedkgError`s (`medkg.query.QueryError`s for queries).
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medkg.pipeline.options import BuildOptions
    from medkg.pipeline.staging import BuildOutcome
    from medkg.query.result import Result
    from medkg.query.store import Store
    from medkg.shacl.validate import ValidationOutcome

__version__ = "0.1.0"
__all__ = ["BuildOptions", "build", "load_store", "run_query", "validate"]

StrPath = str | PathLike[str]


def build(
    sources: Sequence[StrPath],
    out: StrPath,
    options: BuildOptions | None = None,
    *,
    check: bool = False,
) -> BuildOutcome:
    """Build the graph from `sources` (files or folders) into the folder `out`, as
    ``medkg build`` does: nothing in `out` changes unless the build succeeds. With
    `check`, only compare (`BuildOutcome.changed` lists what differs).

    After a build (not a check) with a `cache_folder` and `query_store` (the default),
    the on-disk query store of `out` is readied there, so `load_store(out,
    cache_folder=...)` opens it at once; when that fails, a `RuntimeWarning` says why
    and the build still stands. Then the cache folder is brought back to
    `BuildOptions.cache_max` (`medkg.pipeline.cache_eviction`)."""
    import time

    from medkg.pipeline.build import build as build_into
    from medkg.pipeline.cache_eviction import evict
    from medkg.pipeline.options import BuildOptions

    chosen = options or BuildOptions()
    started = time.time()
    outcome = build_into([Path(source) for source in sources], Path(out), chosen, check=check)
    if not check and chosen.query_store and chosen.cache_folder is not None:
        from medkg.query.persistent import StoreUnavailable, ready_store

        try:
            ready_store(Path(out) / "medkg.nq", chosen.cache_folder)
        except StoreUnavailable as unavailable:
            warnings.warn(
                f"the query store of {out} was not readied ({unavailable.reason}); "
                "the first load_store will build it",
                RuntimeWarning,
                stacklevel=2,
            )
    if chosen.cache_folder is not None and chosen.cache_max is not None:
        evict(chosen.cache_folder, chosen.cache_max, used_since=started)
    return outcome


def validate(graph_file: StrPath) -> ValidationOutcome:
    """Validate a Turtle file against medkg's shapes with pySHACL (the reference engine)."""
    from medkg.shacl.validate import validate_file

    return validate_file(Path(graph_file))


def load_store(data_dir: StrPath = "dist", *, cache_folder: StrPath | None = None) -> Store:
    """The built dataset in `data_dir` as a query store (on disk under the cache folder,
    built on first use)."""
    from medkg.query.store import load_store as open_store

    return open_store(
        Path(data_dir), cache_folder=None if cache_folder is None else Path(cache_folder)
    )


def run_query(store: Store, query: str, params: Mapping[str, str] | None = None) -> Result:
    """Run a competency query by name (``medkg query --list``), a ``.rq`` file, or SPARQL
    text starting with a keyword or prologue, with `params` bound as RDF terms."""
    from medkg.query.catalog import resolve_query
    from medkg.query.run import run_query as run_on

    named_or_text: Any = query
    if not _looks_like_sparql(query):
        named_or_text = resolve_query(query)
    return run_on(store, named_or_text, params)


def _looks_like_sparql(text: str) -> bool:
    words = text.split(None, 1)
    return bool(words) and words[0].upper() in {
        "SELECT",
        "CONSTRUCT",
        "ASK",
        "DESCRIBE",
        "PREFIX",
        "BASE",
    }


def __getattr__(name: str) -> Any:
    if name == "BuildOptions":
        from medkg.pipeline.options import BuildOptions

        return BuildOptions
    raise AttributeError(f"module 'medkg' has no attribute {name!r}")
