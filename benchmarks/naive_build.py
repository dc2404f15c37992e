"""The naive baseline of issue 6: the straightforward rdflib pipeline, timed stage by stage.

    python benchmarks/naive_build.py build SOURCES... --out OUT
    python benchmarks/naive_build.py query OUT NAME [--param NAME=VALUE ...]

``build`` reads, parses and extracts every document with medkg's own code
(`medkg.pipeline.sources.collect_sources`,
`medkg.pipeline.document_stage.process_one`), builds medkg's
graph (`medkg.graph.build_dataset`), then does what a first version would:
ONE rdflib graph holding every triple (the union of the dataset's named
graphs), ONE whole-graph pySHACL validation against medkg's shapes
(`medkg.shacl.validate.load_shapes()`, same options as ``medkg validate``), and
rdflib's serialisers: ``OUT/medkg.ttl`` (Turtle) and ``OUT/medkg.nt``
(N-Triples). It does no JSON-LD, FHIR, N-Quads, metadata or build report, so it
does less than ``medkg build``. It prints one JSON object on stdout: documents,
triples, conformance and the seconds of each stage (time.perf_counter).

``query`` is what a command that re-parses the graph does: parse
``OUT/medkg.nt`` into one rdflib graph, run a bundled competency query with
rdflib's SPARQL engine, print the rows; the timings go to stderr as JSON.
"""

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pyshacl import validate
from rdflib import Graph

from medkg.export.turtle import union_graph
from medkg.graph import build_dataset
from medkg.link.lexicon import bundled_lexicon
from medkg.model import Extraction
from medkg.pipeline.document_stage import process_one
from medkg.pipeline.sources import collect_sources, relative_name
from medkg.query.catalog import named_queries
from medkg.query.run import bind_parameters, check_parameters
from medkg.read.decode import SourceText
from medkg.shacl.validate import load_ontology, load_shapes


class Stages:
    """Seconds per named stage, in the order they ran."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] = round(time.perf_counter() - started, 4)


def extract_all(
    paths: Sequence[Path],
) -> tuple[list[tuple[SourceText, Extraction]], dict[str, int]]:
    """Every document read, parsed and extracted, one after the other; counts by status."""
    documents: list[tuple[SourceText, Extraction]] = []
    counts = {"built": 0, "skipped": 0, "failed": 0}
    for path in collect_sources(paths):
        status, document = process_one(path, relative_name(path, paths))
        counts[status.status] += 1
        if document is not None:
            documents.append(document)
    return documents, counts


def naive_build(paths: Sequence[Path], out: Path) -> dict[str, object]:
    """The whole baseline; returns what it prints."""
    started = time.perf_counter()
    stages = Stages()
    with stages.stage("read_parse_extract"):
        documents, counts = extract_all(paths)
    with stages.stage("graph"):
        dataset = build_dataset(documents, bundled_lexicon())
    with stages.stage("union_graph"):
        union = union_graph(dataset)
    del dataset
    with stages.stage("load_shapes"):
        shapes, ontology = load_shapes(), load_ontology()
    with stages.stage("pyshacl_validate"):
        conforms, _, _ = validate(
            union,
            shacl_graph=shapes,
            ont_graph=ontology,
            inference="none",
            advanced=True,
            allow_warnings=True,
        )
    out.mkdir(parents=True, exist_ok=True)
    with stages.stage("serialise_turtle"):
        union.serialize(destination=str(out / "medkg.ttl"), format="turtle", encoding="utf-8")
    with stages.stage("serialise_ntriples"):
        union.serialize(destination=str(out / "medkg.nt"), format="nt", encoding="utf-8")
    total = time.perf_counter() - started
    return {
        "documents": sum(counts.values()),
        "statuses": counts,
        "triples": len(union),
        "conforms": bool(conforms),
        "stages": stages.seconds,
        "total": round(total, 4),  # the stages; the process adds start-up and imports
    }


def load_graph(out: Path) -> Graph:
    """``OUT/medkg.nt`` parsed into one rdflib graph."""
    graph = Graph()
    graph.parse(out / "medkg.nt", format="nt")
    return graph


def naive_query(graph: Graph, name: str, params: dict[str, str]) -> list[tuple[str, ...]]:
    """Run bundled query `name` with `params` bound (as medkg binds them); its rows as text."""
    query = named_queries()[name]
    check_parameters(query, params)
    return [
        tuple("" if value is None else str(value) for value in row)  # type: ignore[union-attr]
        for row in graph.query(bind_parameters(query.text, params))
    ]


def pairs(values: Sequence[str]) -> dict[str, str]:
    """``["drug=X"]`` -> ``{"drug": "X"}``."""
    return dict(value.partition("=")[::2] for value in values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="the naive build, timed by stage")
    build.add_argument("sources", nargs="+", type=Path)
    build.add_argument("--out", type=Path, required=True)
    query = commands.add_parser("query", help="parse OUT/medkg.nt with rdflib and run one query")
    query.add_argument("out", type=Path)
    query.add_argument("name")
    query.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    if args.command == "build":
        print(json.dumps(naive_build(args.sources, args.out)))
        return 0
    stages = Stages()
    with stages.stage("parse_ntriples"):
        graph = load_graph(args.out)
    with stages.stage("query"):
        rows = naive_query(graph, args.name, pairs(args.param))
    for row in rows:
        print("\t".join(row))
    timings = {"triples": len(graph), "rows": len(rows), "stages": stages.seconds}
    print(json.dumps(timings), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
