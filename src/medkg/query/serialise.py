"""Query results as text: table, CSV, TSV, SPARQL JSON/XML for rows; RDF syntaxes for graphs.

- ``json``: SPARQL 1.1 Query Results JSON (https://www.w3.org/TR/sparql11-results-json/).
- ``xml``: SPARQL Query Results XML (https://www.w3.org/TR/rdf-sparql-XMLres/).
- ``csv``/``tsv``: SPARQL 1.1 Query Results CSV and TSV
  (https://www.w3.org/TR/sparql11-results-csv-tsv/): CSV gives plain values
  (IRIs and lexical forms, CRLF line ends), TSV gives terms in Turtle form.
- ``table``: aligned columns for people, IRIs shortened with the medkg
  prefixes, followed by a ``(N rows)`` line.
- ASK answers print ``true``/``false`` in table, csv and tsv.
- Graphs (CONSTRUCT/DESCRIBE): ``turtle``, ``jsonld`` (compacted with the
  medkg prefixes as a local context, nodes sorted by ``@id``), ``ntriples``
  (lines sorted).

Every serialiser is deterministic: the same result gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

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

ROW_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "jsonld", "ntriples")
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
        if result.graph is None:
            from rdflib import Graph

            return _GRAPH_WRITERS[chosen](Graph())
        return _GRAPH_WRITERS[chosen](result.graph)
    if chosen not in ROW_FORMATS:
        raise FormatMismatch(
            f"a SELECT/ASK result is a table: use one of {', '.join(ROW_FORMATS)}, not {chosen}"
        )
    return _ROW_WRITERS[chosen](result)


# --- terms -----------------------------------------------------------------------------


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


def plain(term: Value | None) -> str:
    """A term's plain value: the IRI, the literal's lexical form, ``_:id``; '' when unbound."""
    if term is None:
        return ""
    if term.kind == "bnode":
        return f"_:{term.value}"
    return term.value


def turtle_term(term: Value | None) -> str:
    """A term in N-Triples/Turtle form with escapes (tabs and newlines never raw); '' if unbound."""
    if term is None:
        return ""
    if term.kind == "uri":
        return f"<{term.value}>"
    if term.kind == "bnode":
        return f"_:{term.value}"
    escaped = (
        term.value.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\r", "\\r")
        .replace("\t", "\\t")
    )
    if term.language:
        return f'"{escaped}"@{term.language}'
    if term.datatype is not None:
        return f'"{escaped}"^^<{term.datatype}>'
    return f'"{escaped}"'


def json_term(term: Value) -> dict[str, str]:
    """A term as a SPARQL 1.1 JSON results binding value."""
    if term.kind == "uri":
        return {"type": "uri", "value": term.value}
    if term.kind == "bnode":
        return {"type": "bnode", "value": term.value}
    value: dict[str, str] = {"type": "literal", "value": term.value}
    if term.language:
        value["xml:lang"] = term.language
    elif term.datatype is not None:
        value["datatype"] = term.datatype
    return value


def _table_cell(term: Value | None) -> str:
    if term is not None and term.kind == "uri":
        return compact(term.value)
    return " ".join(plain(term).split())


# --- rows ------------------------------------------------------------------------------


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


def to_csv(result: Result) -> str:
    """SPARQL 1.1 CSV: a header of variable names, plain values, CRLF line ends."""
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.cells:
        writer.writerow([plain(term) for term in row])
    return out.getvalue()


def to_tsv(result: Result) -> str:
    """SPARQL 1.1 TSV: a header of ``?variables``, terms in Turtle form, LF line ends."""
    if result.kind == "ask":
        return "true\n" if result.boolean else "false\n"
    lines = ["\t".join(f"?{name}" for name in result.variables)]
    lines.extend("\t".join(turtle_term(term) for term in row) for row in result.cells)
    return "\n".join(lines) + "\n"


def to_json(result: Result) -> str:
    """SPARQL 1.1 Query Results JSON (pretty-printed, keys sorted)."""
    document: dict[str, Any]
    if result.kind == "ask":
        document = {"head": {}, "boolean": bool(result.boolean)}
    else:
        document = {
            "head": {"vars": list(result.variables)},
            "results": {
                "bindings": [
                    {name: json_term(term) for name, term in row.items()}
                    for row in result.value_dicts()
                ]
            },
        }
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def to_xml(result: Result) -> str:
    """SPARQL Query Results XML."""
    from xml.sax.saxutils import quoteattr  # imports urllib: only when XML is asked for

    out = ['<?xml version="1.0" encoding="UTF-8"?>']
    out.append('<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    if result.kind == "ask":
        out.append("  <head/>")
        out.append(f"  <boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("  <head>")
        out.extend(f"    <variable name={quoteattr(name)}/>" for name in result.variables)
        out.append("  </head>")
        out.append("  <results>")
        for row in result.value_dicts():
            out.append("    <result>")
            for name, term in row.items():
                out.append(f"      <binding name={quoteattr(name)}>{_xml_term(term)}</binding>")
            out.append("    </result>")
        out.append("  </results>")
    out.append("</sparql>")
    return "\n".join(out) + "\n"


def _xml_term(term: Value) -> str:
    from xml.sax.saxutils import escape, quoteattr

    if term.kind == "uri":
        return f"<uri>{escape(term.value)}</uri>"
    if term.kind == "bnode":
        return f"<bnode>{escape(term.value)}</bnode>"
    attribute = ""
    if term.language:
        attribute = f" xml:lang={quoteattr(term.language)}"
    elif term.datatype is not None:
        attribute = f" datatype={quoteattr(term.datatype)}"
    return f"<literal{attribute}>{escape(term.value)}</literal>"


# --- graphs ----------------------------------------------------------------------------


def to_turtle(graph: Graph) -> str:
    """Turtle with the medkg prefixes (rdflib's serialiser sorts subjects and predicates)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph.serialize(format="turtle")


def to_ntriples(graph: Graph) -> str:
    """N-Triples, one triple per line, lines sorted."""
    from medkg.query.store import value_from_rdflib

    lines = sorted(
        " ".join(turtle_term(value_from_rdflib(term)) for term in triple) + " ." for triple in graph
    )
    return "".join(line + "\n" for line in lines)


def to_jsonld(graph: Graph) -> str:
    """JSON-LD compacted with the medkg prefixes as a local context; nodes sorted by ``@id``."""
    text = graph.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True)
    document = json.loads(text)
    if isinstance(document, dict) and isinstance(document.get("@graph"), list):
        document["@graph"] = sorted(document["@graph"], key=lambda node: str(node.get("@id", "")))
    return json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


_ROW_WRITERS: dict[str, Callable[[Result], str]] = {
    "table": to_table,
    "csv": to_csv,
    "tsv": to_tsv,
    "json": to_json,
    "xml": to_xml,
}
_GRAPH_WRITERS: dict[str, Callable[[Graph], str]] = {
    "turtle": to_turtle,
    "jsonld": to_jsonld,
    "ntriples": to_ntriples,
}
