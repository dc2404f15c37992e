"""`BuildOptions`: every choice a build takes, in one frozen value."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from medkg.link.lexicon import Lexicon
from medkg.pipeline.cache_eviction import DEFAULT_MAX_BYTES

FHIR_VERSIONS = ("R5", "R4B")
SHACL_ENGINES = ("sparql", "pyshacl")


@dataclass(frozen=True)
class BuildOptions:
    """How to build: the FHIR version of ``fhir/``, the SHACL engine, whether failed
    documents stop the build, the worker processes, the cache folder (None: a temporary
    one, kept for no other build), the lexicon (None: the bundled one) and whether a
    build with a cache folder readies the query store of its output there (see
    `medkg.query.persistent.ready_store`), and the size the cache folder is brought
    back to after the build (`cache_max` bytes, least recently used first, never what
    the build used; None: nothing is evicted; see `medkg.pipeline.cache_eviction`).

    `output_key` is the part that decides the bytes of the output: the cache keys
    of a build hold it; `jobs`, `cache_folder`, `query_store` and `cache_max` change how, never
    what, is built.
    """

    fhir_version: str = "R5"
    validator: str = "sparql"
    keep_going: bool = False
    jobs: int = 1
    cache_folder: Path | None = None
    lexicon: Lexicon | None = None
    query_store: bool = True
    cache_max: int | None = DEFAULT_MAX_BYTES

    def __post_init__(self) -> None:
        if self.fhir_version not in FHIR_VERSIONS:
            raise ValueError(
                f"fhir_version must be one of {FHIR_VERSIONS}, not {self.fhir_version!r}"
            )
        if self.validator not in SHACL_ENGINES:
            raise ValueError(f"validator must be one of {SHACL_ENGINES}, not {self.validator!r}")
        if self.cache_max is not None and self.cache_max < 0:
            raise ValueError(f"cache_max must be at least 0 bytes, not {self.cache_max}")
        if self.jobs < 1:
            raise ValueError(f"jobs must be at least 1, not {self.jobs}")

    @property
    def output_key(self) -> tuple[str, ...]:
        """What decides the output's bytes: FHIR version, engine, exit policy, lexicon."""
        lexicon = "bundled" if self.lexicon is None else self.lexicon.fingerprint
        return (self.fhir_version, self.validator, str(self.keep_going), lexicon)


DEFAULT_OPTIONS = BuildOptions()  # what `medkg build` does without options
