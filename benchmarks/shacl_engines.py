"""Compare three SHACL engines on medkg's shapes: agreement and speed.

    python benchmarks/shacl_engines.py agree [--generated 300] [--out FILE.json]
    python benchmarks/shacl_engines.py time [--generated 1000] [--runs 5] [--corpus-runs 3]
        [--reference-every 1] [--graphs /tmp/medkg-shacl-graphs]
    python benchmarks/shacl_engines.py probe   # pyrudof and a SHACL-AF SPARQL target
    python benchmarks/shacl_engines.py process ENGINE GRAPHS.nt...   # one whole process

The engines: ``ours`` (medkg.shacl, the shapes compiled to SPARQL on pyoxigraph),
``pyshacl`` (the reference, called as medkg.shacl.validate calls it) and ``pyrudof``
(rudof's Rust engine, native mode). Each gets the same N-Triples bytes, plus the
ontology triples pySHACL mixes into the data (medkg.shacl.mixin), and each result
is reduced to (focus node, path, constraint component, source shape); a blank
focus node is ``_:``, a blank source shape ``_:property-shape``.

The graphs: every broken graph of tests/test_shapes.py; the seed graph
(dist/medkg.nq, as one graph); the cluster graphs the build validates for a
generated corpus (benchmarks/generate_corpus.py, captured from
medkg.pipeline.cluster_build), each also with one triple deleted (seeded) to make
violations of every kind. Needs ``pip install pyrudof`` (not a medkg dependency).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Result = tuple[str, str, str, str]  # focus, path, component, source shape
SH = "http://www.w3.org/ns/shacl#"
BLANK_SHAPE = "_:property-shape"


# --- the engines: N-Triples bytes -> set of results ------------------------------------------


def ours(data: bytes) -> set[Result]:
    from medkg.shacl import bundled_shapes
    from medkg.shacl.engine import MIXIN_GRAPH, _run
    from medkg.shacl.validate import load_shapes

    prefixes = {prefix: str(namespace) for prefix, namespace in load_shapes().namespaces()}

    compiled = bundled_shapes()
    store = ox.Store()
    store.load(data, format=ox.RdfFormat.N_TRIPLES)
    store.load(compiled.mixin, format=ox.RdfFormat.N_TRIPLES, to_graph=MIXIN_GRAPH)

    def expand(name: str) -> str:
        if name == "-":
            return name
        inverse = name.startswith("^")
        prefix, _, local = name.lstrip("^").partition(":")
        iri = prefixes[prefix] + local if prefix in prefixes else name.lstrip("^").strip("<>")
        return ("^" if inverse else "") + iri

    return {
        (
            "_:" if isinstance(f.focus, ox.BlankNode) else f.focus.value,
            expand(f.path),
            f.component,
            expand(f.origin.shape) if ":" in f.origin.shape else BLANK_SHAPE,
        )
        for f in _run(store, compiled, {})
    }


def pyshacl(data: bytes) -> set[Result]:
    from pyshacl import validate

    from medkg.namespaces import SH as SH_NS
    from medkg.shacl.validate import load_ontology, load_shapes

    graph = Graph().parse(data=data, format="nt")
    _conforms, report, _text = validate(
        graph,
        shacl_graph=load_shapes(),
        ont_graph=load_ontology(),
        inference="none",
        advanced=True,
        allow_warnings=True,
    )
    assert isinstance(report, Graph)

    def path(node: Any) -> str:
        if node is None:
            return "-"
        if isinstance(node, BNode):
            return "^" + str(report.value(node, SH_NS.inversePath))
        return str(node)

    results = set()
    for result in report.subjects(SH_NS.resultSeverity, None):
        focus = report.value(result, SH_NS.focusNode)
        shape = report.value(result, SH_NS.sourceShape)
        component = str(report.value(result, SH_NS.sourceConstraintComponent))
        results.add(
            (
                str(focus) if isinstance(focus, URIRef) else "_:",
                path(report.value(result, SH_NS.resultPath)),
                component.removeprefix(SH),
                str(shape) if isinstance(shape, URIRef) else BLANK_SHAPE,
            )
        )
    return results


@cache
def _rudof() -> Any:
    import pyrudof

    from medkg.shacl.validate import load_shapes

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_shacl(load_shapes().serialize(format="nt"), pyrudof.ShaclFormat.NTriples)
    return rudof


def pyrudof(data: bytes) -> set[Result]:
    import pyrudof as rd

    from medkg.shacl import bundled_shapes

    rudof = _rudof()
    rudof.reset_data()
    text = (bundled_shapes().mixin + data).decode("utf-8")
    rudof.read_data(text, rd.RDFFormat.NTriples, reader_mode=rd.ReaderMode.Strict)
    report = rudof.validate_shacl(rd.ShaclValidationMode.Native)

    def path(text: str | None) -> str:
        if text is None or text == "None":
            return "-"
        if text.startswith("^(") and text.endswith(")"):
            return "^" + text[2:-1]
        return text

    return {
        (
            "_:" if v.focus_node.startswith("_:") else v.focus_node,
            path(v.path),
            str(v.constraint_component).removeprefix(SH),
            BLANK_SHAPE if str(v.source_shape).startswith("_:") else str(v.source_shape),
        )
        for v in report.violations
    }


ENGINES: dict[str, Callable[[bytes], set[Result]]] = {
    "ours": ours,
    "pyshacl": pyshacl,
    "pyrudof": pyrudof,
}


# --- the graphs --------------------------------------------------------------------------------


def broken_graphs() -> Iterator[tuple[str, bytes]]:
    from tests.test_shapes import CASES, FRAGMENTS, graph_of, update

    for name in sorted(FRAGMENTS):
        yield f"minimal/{name}", graph_of(name).serialize(format="nt", encoding="utf-8")
    for case in CASES:
        graph = update(graph_of(case.fragment), case.sparql)
        yield f"broken/{case.name}", graph.serialize(format="nt", encoding="utf-8")


def seed_graph() -> bytes:
    """dist/medkg.nq as one graph (the union of its named graphs), as N-Triples."""
    store = ox.Store()
    store.load(path=str(ROOT / "dist" / "medkg.nq"), format=ox.RdfFormat.N_QUADS)
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in store}
    return ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES)


def cluster_graphs(count: int, seed: int = 1) -> list[bytes]:
    """The union graph of every cluster the build validates, for `count` generated documents
    (`--monographs count/2 --code-pages count/2`), in the build's order."""
    from benchmarks.generate_corpus import generate_corpus

    import medkg.pipeline.cluster_build
    from medkg.pipeline.build import run

    captured: list[bytes] = []
    real = medkg.pipeline.cluster_build.validate_graph

    def capture(graph: Graph, *args: Any, **kwargs: Any) -> Any:
        captured.append(graph.serialize(format="nt", encoding="utf-8"))
        return real(graph, *args, **kwargs)

    with tempfile.TemporaryDirectory() as folder:
        generate_corpus(Path(folder), count - count // 2, count // 2, seed=seed)
        medkg.pipeline.cluster_build.validate_graph = capture  # type: ignore[assignment]
        try:
            run([Path(folder)], jobs=1, keep_going=True).discard()
        finally:
            medkg.pipeline.cluster_build.validate_graph = real
    return captured


def one_triple_deleted(data: bytes, rng: random.Random) -> bytes:
    lines = [line for line in data.splitlines(keepends=True) if line.strip()]
    del lines[rng.randrange(len(lines))]
    return b"".join(lines)


# --- commands ----------------------------------------------------------------------------------


def agree(generated: int) -> dict[str, Any]:
    graphs = list(broken_graphs())
    graphs.append(("seed/dist-medkg.nq", seed_graph()))
    rng = random.Random(7)
    for number, data in enumerate(cluster_graphs(generated)):
        graphs.append((f"generated/cluster-{number}", data))
        graphs.append(
            (f"generated/cluster-{number}-one-triple-deleted", one_triple_deleted(data, rng))
        )
    cases = []
    for name, data in graphs:
        found = {engine: run(data) for engine, run in ENGINES.items()}
        everything = set().union(*found.values())
        differ = {
            "|".join(r): sorted(engine for engine in ENGINES if r in found[engine])
            for r in sorted(everything)
            if any(r not in found[engine] for engine in ENGINES)
        }
        cases.append({"graph": name, "results": len(found["pyshacl"]), "differ": differ})
        if differ:
            print(name, json.dumps(differ, indent=1), flush=True)
    disagreeing = [c for c in cases if c["differ"]]
    print(f"{len(cases)} graphs, {len(disagreeing)} with a disagreement", flush=True)
    return {"graphs": len(cases), "disagreeing": len(disagreeing), "cases": cases}


def graph_files(folder: Path, generated: int) -> dict[str, list[Path]]:
    """The seed graph and the corpus's cluster graphs as N-Triples files under `folder`,
    written once (a later run with the same folder reuses them)."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = folder / "seed.nt"
    if not seed.exists():
        seed.write_bytes(seed_graph())
    clusters = sorted(folder.glob("cluster-*.nt"))
    if not clusters:
        for number, data in enumerate(cluster_graphs(generated)):
            (folder / f"cluster-{number:05d}.nt").write_bytes(data)
        clusters = sorted(folder.glob("cluster-*.nt"))
    return {"seed": [seed], "corpus": clusters}


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def timed(
    folder: Path, generated: int, runs: int, corpus_runs: int, reference_every: int
) -> dict[str, Any]:
    """Wall and CPU seconds of each engine: in this process per graph (shapes loaded once,
    before), and as whole processes (`process`: import, load shapes, validate every graph).
    pySHACL is timed on every `reference_every`-th cluster only, and once as a process."""
    files = graph_files(folder, generated)
    seed = files["seed"][0].read_bytes()
    clusters = [path.read_bytes() for path in files["corpus"]]
    figures: dict[str, Any] = {"clusters": len(clusters), "triples": _triples(clusters)}
    for engine, validate in ENGINES.items():
        validate(seed)  # warm up: shapes compiled / loaded once per process
        every = reference_every if engine == "pyshacl" else 1
        walls, cpus = [], []
        for data in clusters[::every]:
            wall, cpu = _clock()
            validate(data)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        wall, cpu = _clock()
        validate(seed)
        seed_wall, seed_cpu = time.perf_counter() - wall, time.process_time() - cpu
        whole = {}
        for label, paths in files.items():
            repeat = runs if label == "seed" else (1 if engine == "pyshacl" else corpus_runs)
            if label == "corpus" and every > 1:
                paths = paths[::every]
            process_walls, process_cpus = [], []
            for _ in range(repeat):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                wall = time.perf_counter()
                command = [sys.executable, __file__, "process", engine, *map(str, paths)]
                subprocess.run(command, check=True)
                process_walls.append(time.perf_counter() - wall)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                process_cpus.append(
                    after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
                )
            whole[label] = {
                "graphs": len(paths),
                "median_wall_s": statistics.median(process_walls),
                "median_cpu_s": statistics.median(process_cpus),
                "wall_s": process_walls,
                "cpu_s": process_cpus,
            }
        figures[engine] = {
            "clusters_timed": len(walls),
            "seed_wall_ms": 1000 * seed_wall,
            "seed_cpu_ms": 1000 * seed_cpu,
            "cluster_wall_total_s": sum(walls),
            "cluster_cpu_total_s": sum(cpus),
            "cluster_cpu_median_ms": 1000 * statistics.median(cpus),
            "cluster_cpu_max_ms": 1000 * max(cpus),
            "whole_process": whole,
        }
        print(engine, json.dumps(figures[engine]), flush=True)
    return figures


def _triples(graphs: list[bytes]) -> int:
    return sum(data.count(b"\n") for data in graphs)


PROBE_SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:p sh:declare [ sh:prefix "ex" ; sh:namespace "http://example.org/"^^xsd:anyURI ] .
ex:S a sh:NodeShape ; TARGET ; sh:sparql [ a sh:SPARQLConstraint ; sh:message "bad" ;
    sh:prefixes ex:p ; sh:select "SELECT $this WHERE { $this ex:q 1 }" ] .
"""
PROBE_TARGETS = {
    "sh:targetClass": "sh:targetClass ex:Thing",
    "sh:target [ a sh:SPARQLTarget ]": "sh:target [ a sh:SPARQLTarget ; sh:prefixes ex:p ; "
    'sh:select "SELECT ?this WHERE { ?this ex:q 1 }" ]',
}


def probe() -> dict[str, Any]:
    """One SPARQL-based constraint, focus node ex:a, under a class target and under a SHACL-AF
    SPARQL target: which focus nodes pyrudof reports, in both its modes."""
    import pyrudof as rd

    found = {}
    for label, target in PROBE_TARGETS.items():
        for mode in (rd.ShaclValidationMode.Native, rd.ShaclValidationMode.Sparql):
            rudof = rd.Rudof(rd.RudofConfig())
            rudof.read_shacl(PROBE_SHAPES.replace("TARGET", target), rd.ShaclFormat.Turtle)
            rudof.read_data(
                "<http://example.org/a> a <http://example.org/Thing> ; <http://example.org/q> 1 .",
                rd.RDFFormat.Turtle,
            )
            report = rudof.validate_shacl(mode)
            found[f"{label}, {mode}"] = sorted(v.focus_node for v in report.violations)
    print(json.dumps(found, indent=1))
    return found


def process(engine: str, paths: list[str]) -> None:
    """One whole process: import the engine, load the shapes, validate each graph file."""
    for path in paths:
        ENGINES[engine](Path(path).read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("probe")
    for name in ("agree", "time"):
        command = commands.add_parser(name)
        command.add_argument("--generated", type=int, default=300 if name == "agree" else 1000)
        command.add_argument("--out", type=Path)
        if name == "time":
            command.add_argument("--runs", type=int, default=5)
            command.add_argument("--corpus-runs", type=int, default=3)
            command.add_argument("--reference-every", type=int, default=1)
            command.add_argument("--graphs", type=Path, default=Path("/tmp/medkg-shacl-graphs"))
    one = commands.add_parser("process")
    one.add_argument("engine", choices=sorted(ENGINES))
    one.add_argument("graphs", nargs="+")
    args = parser.parse_args()
    if args.command == "process":
        process(args.engine, args.graphs)
        return
    if args.command == "probe":
        probe()
        return
    load = os.getloadavg()
    agreeing = args.command == "agree"
    figures = (
        agree(args.generated)
        if agreeing
        else timed(args.graphs, args.generated, args.runs, args.corpus_runs, args.reference_every)
    )
    import pyrudof
    import pyshacl as reference

    figures["load_average_start_end"] = [load, os.getloadavg()]
    figures["versions"] = {
        "python": sys.version.split()[0],
        "pyrudof": pyrudof.__version__,
        "pyshacl": reference.__version__,
        "pyoxigraph": ox.__version__,
    }
    if args.out:
        args.out.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
