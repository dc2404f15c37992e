"""Query results as text: pyoxigraph's SPARQL results and RDF writers, and a table for people.

- ``json``, ``xml``, ``csv``, ``tsv``: SPARQL 1.1 Query Results JSON, XML,
  CSV and TSV as pyoxigraph writes them (``QuerySolutions.serialize``).
  ASK answers are ``{"head":{},"boolean":…}`` in JSON, ``<boolean>`` in XML
  and a bare ``true``/``false`` line in CSV and TSV.
- ``table``: aligned columns for people, IRIs shortened with the medkg
  prefixes, followed by a ``(N rows)`` line (ASK: ``true``/``false``).
- Graphs (CONSTRUCT/DESCRIBE): ``turtle`` (with the medkg prefixes),
  ``jsonld`` (expanded JSON-LD) and ``ntriples``, written by
  ``pyoxigraph.serialize`` from the triples sorted by their N-Triples form.

Every text ends with a newline and is deterministic: the same result gives the
same bytes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyoxigraph as ox

from medkg.query.errors import FormatMismatch
from medkg.query.result import Result, Value

if TYPE_CHECKING:
    from rdflib import Graph

# medkg.namespaces.PREFIXES as plain strings, so that printing rows does not import rdflib
# (tests/test_query_store.py checks the two are equal).
PREFIXES: dict[str, str] = {
    "medkg": "https://w3id.org/medkg/vocab#",
    "id": "https://w3id.org/medkg/id/",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "biolink": "https://w3id.org/biolink/vocab/",
    "sh": "http://www.w3.org/ns/shacl#",
}

RESULTS_FORMATS: dict[str, ox.QueryResultsFormat] = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}
ROW_FORMATS = ("table", *RESULTS_FORMATS)
GRAPH_FORMATS = tuple(RDF_FORMATS)
FORMATS = ROW_FORMATS + GRAPH_FORMATS

MEDIA_TYPES: dict[str, str] = {
    "table": "text/plain; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "turtle": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "ntriples": "application/n-triples",
}


def default_format(result: Result) -> str:
    """``table`` for SELECT/ASK, ``turtle`` for graphs."""
    return "turtle" if result.kind == "graph" else "table"


def serialise(result: Result, fmt: str | None = None) -> str:
    """`result` in format `fmt` (default: `default_format`); `FormatMismatch` if it does not fit."""
    chosen = fmt or default_format(result)
    if chosen not in FORMATS:
        raise FormatMismatch(f"unknown format {chosen!r}; choose one of {', '.join(FORMATS)}")
    if result.kind == "graph":
        if chosen not in GRAPH_FORMATS:
            raise FormatMismatch(
                f"a CONSTRUCT/DESCRIBE result is a graph: use one of {', '.join(GRAPH_FORMATS)}, "
                f"not {chosen}"
            )
        text = ox.serialize(
            oxigraph_triples(result.graph), format=RDF_FORMATS[chosen], prefixes=PREFIXES
        )
    elif chosen not in ROW_FORMATS:
        raise FormatMismatch(
            f"a SELECT/ASK result is a table: use one of {', '.join(ROW_FORMATS)}, not {chosen}"
        )
    elif chosen == "table":
        return to_table(result)
    else:
        text = oxigraph_solutions(result).serialize(format=RESULTS_FORMATS[chosen])
    assert text is not None  # no output file given: pyoxigraph returns the bytes
    decoded = text.decode("utf-8")
    return decoded if decoded.endswith("\n") else decoded + "\n"


# --- terms -----------------------------------------------------------------------------


def oxigraph_term(value: Value) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """`value` as the equal pyoxigraph term."""
    if value.kind == "uri":
        return ox.NamedNode(value.value)
    if value.kind == "bnode":
        return ox.BlankNode(value.value)
    if value.language:
        return ox.Literal(value.value, language=value.language)
    if value.datatype is None:
        return ox.Literal(value.value)
    return ox.Literal(value.value, datatype=ox.NamedNode(value.datatype))


def oxigraph_solutions(result: Result) -> ox.QuerySolutions | ox.QueryBoolean:
    """`result`'s rows (or ASK answer) as pyoxigraph's own results object, ready to serialise.

    pyoxigraph serialises only results objects it made (they have no
    constructor) and a `Result` is already cut to its row cap, so the rows
    are handed to pyoxigraph's SPARQL TSV results parser: a header of
    ``?variables``, then each term in the N-Triples form pyoxigraph itself
    writes (``str(term)``: tabs and line breaks escaped), empty where unbound.
    """
    if result.kind == "ask":
        answer = "true" if result.boolean else "false"
        return ox.parse_query_results(
            f'{{"head":{{}},"boolean":{answer}}}', ox.QueryResultsFormat.JSON
        )
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines.extend(
        "\t".join("" if cell is None else str(oxigraph_term(cell)) for cell in row)
        for row in result.cells
    )
    return ox.parse_query_results("\n".join(lines) + "\n", ox.QueryResultsFormat.TSV)


def oxigraph_triples(graph: Graph | None) -> list[ox.Triple]:
    """The triples of an rdflib `graph` as pyoxigraph triples sorted by their N-Triples form."""
    from medkg.query.store import value_from_rdflib

    triples = []
    for subject, predicate, object_ in graph or ():
        node = oxigraph_term(value_from_rdflib(subject))
        assert not isinstance(node, ox.Literal), "rdflib graphs have no literal subjects"
        triples.append(
            ox.Triple(
                node,
                ox.NamedNode(str(predicate)),
                oxigraph_term(value_from_rdflib(object_)),
            )
        )
    return sorted(triples, key=str)


def compact(iri: str) -> str:
    """`iri` as ``prefix:local`` with a medkg prefix when one fits cleanly, else ``<iri>``."""
    best = ""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and all(ch.isalnum() or ch in "-_./" for ch in local) and local[-1] != ".":
            return f"{best}:{local}"
    return f"<{iri}>"


def _table_cell(term: Value | None) -> str:
    if term is None:
        return ""
    if term.kind == "uri":
        return compact(term.value)
    if term.kind == "bnode":
        return f"_:{term.value}"
    return " ".join(term.value.split())


# --- the table -------------------------------------------------------------------------


def to_table(result: Result) -> str:
    """Aligned columns for a terminal, then ``(N rows)``; ASK gives ``true``/``false``."""
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    header = list(result.variables)
    cells = [[_table_cell(term) for term in row] for row in result.cells]
    widths = [max([len(name), *(len(row[i]) for row in cells)]) for i, name in enumerate(header)]
    lines = [
        "  ".join(value.ljust(width) for value, width in zip(line, widths, strict=True)).rstrip()
        for line in [header, ["-" * width for width in widths], *cells]
    ]
    count = len(result.cells)
    more = ", truncated" if result.truncated else ""
    lines.append(f"({count} row{'s' if count != 1 else ''}{more})")
    return "\n".join(lines) + "\n"
