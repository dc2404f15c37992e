"""The framed JSON-LD of a graph, written directly: what pyld's fromRdf + frame + compact give.

`medkg.export.jsonld` frames one object per drug with pyld (fromRdf, frame with
``frame.jsonld``, compaction with ``context.jsonld``), adds a flat node for
every subject whose triples the drug objects lack, orders every array, and
expands the document back to RDF to check it. This module writes the same
``@graph`` without pyld, following the same algorithms on the graph itself:

* **Context.** Term definitions are read from ``context.jsonld`` when the
  writer is made (`medkg.export.jsonld_context.Context`); IRIs, types and
  values are compacted by the JSON-LD 1.1 rules pyld follows (inverse
  context, term selection by container and by type or language of the value,
  CURIEs from prefix terms, value compaction by the term's ``@type``). Only
  the features the context uses are read; anything else stops the writer at
  load time (`Unsupported`).
* **Values** are what pyld's fromRdf makes of a literal with native types:
  ``xsd:integer`` and ``xsd:boolean`` in their lexical forms as JSON numbers
  and booleans, ``xsd:string`` as a plain string, language-tagged strings
  with ``@language`` (lowercased, as pyld's expansion writes it), any other
  datatype as a typed value.
* **Frame.** ``frame.jsonld`` is read into `Frame` objects (``@type``,
  ``@embed`` ``@always``/``@never``, property and reverse-property
  subframes). Top-level objects are the nodes of the frame's types, by id.
  A node met under a property is embedded with all its values (a wildcard
  subframe with the parent's ``@embed`` unless the frame names the
  property); a subframe with ``@type`` keeps only nodes of those types and
  no literals; ``@never``, or a node already embedded further up than its
  parent (pyld's cycle rule), gives a reference. Nodes met through a reverse
  property are embedded whatever their ``@embed`` (pyld does so). Nodes of
  the reference-only types lend no triples to framing. Inside a top-level
  object another drug is written as its IRI.
* **The rest.** Every subject with a triple the top-level objects do not
  carry follows as a flat node object with all its triples.
* **Order.** Every array is ordered as `medkg.export.jsonld.ordered` orders
  it: by ``position``, then ``id``, then JSON text.
* **Nothing lost, nothing invented.** Written nodes are read back to triples
  by the context's rules, as pyld's toRdf reads them (`Context.node_triples`),
  and compared with the graph's: as they are written (`JsonLdWriter.written`,
  against the triples the writer read, one key per triple of the graph), or
  for any document (`JsonLdWriter.differences`, reading the graph again).

Whatever the writer cannot write exactly as pyld would (a blank node, an RDF
list, an ``xsd:double``, two values pyld would merge, an array whose order
pyld leaves to chance, a context or frame feature not listed above) raises
`Unsupported`; the caller then takes the pyld path for that graph.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from medkg.export.jsonld_context import (
    NO_VALUE,
    RDF_TYPE,
    XSD,
    XSD_BOOLEAN,
    XSD_INTEGER,
    Context,
    JsonObject,
    Lit,
    ObjectKey,
    TripleKey,
    Unsupported,
    Value,
)
from medkg.graph.reader import GraphReader

Triple = tuple[Node, Node, Node]

RDF_FIRST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#first"
RDF_REST = "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest"
RDF_NIL = "http://www.w3.org/1999/02/22-rdf-syntax-ns#nil"
RDF_JSON = "http://www.w3.org/1999/02/22-rdf-syntax-ns#JSON"
LIST_PREDICATES = (RDF_FIRST, RDF_REST)
XSD_STRING = XSD + "string"
XSD_DOUBLE = XSD + "double"

INTEGER = re.compile(r"^[+-]?\d+$")  # pyld's test for a native xsd:integer
NULL = "@null"  # pyld's framing drops this string wherever it appears


# --- the frame -----------------------------------------------------------------------------------


@dataclass
class Frame:
    """One (expanded) frame object: which nodes it matches and how it embeds their values."""

    types: frozenset[str] | None  # None: every node matches
    never: bool  # @embed: @never (else @always)
    properties: dict[str, Frame] = field(default_factory=dict)
    reverse: dict[str, Frame] = field(default_factory=dict)  # by property IRI, sorted

    @property
    def keeps_literals(self) -> bool:
        """pyld's `_value_match`: a subframe naming types matches no literal."""
        return self.types is None

    def implicit(self) -> Frame:
        """The wildcard subframe of a property the frame does not name (same @embed)."""
        return IMPLICIT_NEVER if self.never else IMPLICIT_ALWAYS

    def matches(self, types: list[str] | None) -> bool:
        if self.types is None:
            return True
        return any(t in self.types for t in types or ())


IMPLICIT_ALWAYS = Frame(None, never=False)
IMPLICIT_NEVER = Frame(None, never=True)


def read_frame(frame: JsonObject, context: Context, top: bool = True) -> Frame:
    """The frame as `Frame` objects; `Unsupported` for a feature the writer does not follow."""
    allowed = {"@type", "@embed"} | ({"@context"} if top else set())
    keywords = {key for key in frame if key.startswith("@")}
    if keywords - allowed:
        raise Unsupported(f"frame: {sorted(keywords - allowed)} is not read by the direct writer")
    embed = frame.get("@embed")
    if embed not in ("@always", "@never"):
        raise Unsupported(f"frame: @embed {embed!r} (only @always and @never are followed)")
    types: frozenset[str] | None = None
    if "@type" in frame:
        written = frame["@type"] if isinstance(frame["@type"], list) else [frame["@type"]]
        if not written or not all(isinstance(t, str) for t in written):
            raise Unsupported(f"frame: @type {frame['@type']!r}")
        types = frozenset(context.expand_vocab(t) for t in written)
    elif top or any(not key.startswith("@") for key in frame):
        raise Unsupported("frame: a frame without @type matches by duck typing")
    result = Frame(types, embed == "@never")
    reverse: dict[str, Frame] = {}
    for key, subframe in frame.items():
        if key.startswith("@"):
            continue
        if not isinstance(subframe, dict):
            raise Unsupported(f"frame: {key} is matched by value, not by a subframe")
        term = context.terms.get(key)
        iri = term.iri if term is not None else context.expand_vocab(key)
        into = reverse if term is not None and term.reverse else result.properties
        if iri in into:
            raise Unsupported(f"frame: two keys for {iri}")
        into[iri] = read_frame(subframe, context, top=False)
    result.reverse = dict(sorted(reverse.items()))
    return result


# --- the graph, as framing sees it ---------------------------------------------------------------


def _literal(term: Literal) -> tuple[Lit, ObjectKey]:
    """A literal as pyld's fromRdf (native types) makes it, and its triple key."""
    lexical = str(term)
    if lexical == NULL:
        raise Unsupported(f"{term.n3()}: pyld's framing drops the string {NULL}")
    if term.language is not None:  # pyld's expansion lowercases it; rdflib compares it so
        language = term.language.lower()
        return Lit(lexical, None, language), (lexical, None, language)
    datatype = str(term.datatype) if term.datatype is not None else None
    key = (lexical, datatype, None)
    kind = datatype or XSD_STRING
    if kind in (XSD_DOUBLE, RDF_JSON):
        raise Unsupported(f"{term.n3()}: an {kind} literal")
    if kind == XSD_STRING:
        return Lit(lexical, None, None), key
    if kind == XSD_BOOLEAN and lexical in ("true", "1", "false", "0"):
        return Lit(lexical in ("true", "1"), None, None), key
    if kind == XSD_INTEGER and INTEGER.match(lexical):
        number = int(lexical)
        if abs(number) >= 10**21:
            raise Unsupported(f"{term.n3()}: pyld writes this integer back as a double")
        return Lit(number, None, None), key
    return Lit(lexical, datatype, None), key


class GraphView:
    """The graph's nodes as pyld's fromRdf gives them: types and values by predicate."""

    def __init__(self, graph: GraphReader, reference_only: frozenset[str]):
        self.types: dict[str, list[str]] = {}
        self.values: dict[str, dict[str, list[Value]]] = {}
        self.keys: set[TripleKey] = set()
        merged: set[tuple[str, str]] = set()  # (subject, predicate) with a value that lost
        # its datatype: pyld compares values with == (so 1 == True, "a" == "a"^^xsd:string)
        for s, p, o in graph:
            if not isinstance(s, URIRef) or not isinstance(p, URIRef):
                raise Unsupported(f"{s.n3()} {p.n3()}: a blank node or odd term")
            subject, predicate = str(s), str(p)
            if predicate in LIST_PREDICATES or subject == NULL:
                raise Unsupported(f"{s.n3()} {p.n3()} {o.n3()}: an RDF list or {NULL}")
            value: Value
            if isinstance(o, URIRef):
                value = str(o)
                if value == RDF_NIL:
                    raise Unsupported(f"{s.n3()} {p.n3()} {o.n3()}: an RDF list")
                self.keys.add((subject, predicate, value))
                if predicate == RDF_TYPE:
                    self.types.setdefault(subject, []).append(value)
                    continue
            elif isinstance(o, Literal):
                if predicate == RDF_TYPE:
                    raise Unsupported(f"{s.n3()}: a literal rdf:type")
                value, key = _literal(o)
                self.keys.add((subject, predicate, key))
                if key[1] is not None and value.datatype is None:  # native, or xsd:string
                    merged.add((subject, predicate))
            else:
                raise Unsupported(f"{s.n3()} {p.n3()} {o.n3()}: a blank node")
            by_predicate = self.values.get(subject)
            if by_predicate is None:
                by_predicate = self.values[subject] = {}
            listed = by_predicate.get(predicate)
            if listed is None:
                by_predicate[predicate] = [value]
            else:
                listed.append(value)
        for subject, predicate in merged:
            values = self.values[subject][predicate]
            if len({("@id", v) if isinstance(v, str) else tuple(v) for v in values}) < len(values):
                raise Unsupported(f"<{subject}> <{predicate}>: two values pyld would merge")
        self.hidden = frozenset(s for s, types in self.types.items() if reference_only & set(types))

    def subjects(self) -> set[str]:
        return set(self.values) | set(self.types)

    def framed_types(self, node: str) -> list[str] | None:
        return None if node in self.hidden else self.types.get(node)

    def framed_values(self, node: str) -> dict[str, list[Value]]:
        return {} if node in self.hidden else self.values.get(node, {})

    def referrers(self, predicates: Iterable[str]) -> dict[tuple[str, str], list[str]]:
        """(predicate, node) -> the framed subjects with that predicate to node."""
        wanted = set(predicates)
        found: dict[tuple[str, str], list[str]] = {}
        if not wanted:
            return found
        for subject, by_predicate in self.values.items():
            if subject in self.hidden:
                continue
            for predicate in wanted & by_predicate.keys():
                for value in by_predicate[predicate]:
                    if not isinstance(value, str):
                        raise Unsupported(
                            f"<{subject}> <{predicate}>: a literal pyld's framing follows backwards"
                        )
                    found.setdefault((predicate, value), []).append(subject)
        return found


# --- ordering ---------------------------------------------------------------------------------


def _head(item: object) -> tuple[int, int, int, str]:
    """`medkg.export.jsonld._order_key` without its last part (the JSON text of a dict)."""
    if isinstance(item, dict):
        position = item.get("position")
        if not isinstance(position, int) or isinstance(position, bool):
            position = None
        return (0, 0 if position is not None else 1, position or 0, str(item.get("id", "")))
    return (1, 0, 0, str(item))


def _text(item: object) -> str:
    return json.dumps(item, sort_keys=True, ensure_ascii=False)


def ordered_items(items: list[Any]) -> list[Any]:
    """`items` as `medkg.export.jsonld.ordered` orders an array of ordered values.

    The JSON text of a dict is only made for dicts that tie on the rest of the
    key. Two different non-dict values that tie (``1`` and ``"1"``) would stay
    in pyld's order: `Unsupported`.
    """
    if len(items) < 2:
        return items
    heads = [_head(item) for item in items]
    order = sorted(range(len(items)), key=heads.__getitem__)
    result: list[Any] = []
    start = 0
    while start < len(order):
        end = start + 1
        while end < len(order) and heads[order[end]] == heads[order[start]]:
            end += 1
        run = [items[i] for i in order[start:end]]
        if len(run) > 1:
            if heads[order[start]][0] == 1:
                if any(item != run[0] or type(item) is not type(run[0]) for item in run):
                    raise Unsupported(f"values {run!r} would stay in pyld's order")
            else:
                run.sort(key=_text)
        result += run
        start = end
    return result


class NodeBuilder:
    """The keys and values of one compacted node object, as pyld's `add_value` gathers them."""

    __slots__ = ("entries", "sets")

    def __init__(self) -> None:
        self.entries: dict[str, list[Any]] = {}
        self.sets: set[str] = set()

    def open(self, key: str, is_set: bool) -> None:
        """A key with no value yet: kept as ``[]`` only when its term is a set."""
        if is_set:
            self.sets.add(key)
        self.entries.setdefault(key, [])

    def add(self, key: str, is_set: bool, value: Any) -> None:
        if is_set:
            self.sets.add(key)
        self.entries.setdefault(key, []).append(value)

    def finish(self, node: JsonObject) -> JsonObject:
        for key, values in self.entries.items():
            if key in self.sets or len(values) > 1:
                node[key] = ordered_items(values)
            elif values:
                node[key] = values[0]
        return node


# --- the writer -------------------------------------------------------------------------------


class _Reference:
    """The framing result "write a reference to this node"."""


REFERENCE = _Reference()
Embedded = JsonObject | str | _Reference | None


@dataclass(frozen=True)
class Written:
    """The nodes written, and the triples the graph has that they do not say (`lost`) and
    those they say that it lacks (`extra`): both empty when the nodes are right."""

    nodes: list[JsonObject]
    lost: list[Triple]
    extra: list[Triple]


class JsonLdWriter:
    """Writes the framed document's nodes from a graph (see the module docstring)."""

    def __init__(
        self,
        context: JsonObject,
        frame: JsonObject,
        reference_only_types: Iterable[str],
        is_drug: Callable[[JsonObject], bool],
    ):
        self.context = Context(context)
        self.frame = read_frame(frame, self.context)
        self.reference_only = frozenset(reference_only_types)
        self.is_drug = is_drug
        self.reverse_predicates = sorted(set(_reverse_predicates(self.frame)))

    def write(self, graph: GraphReader) -> list[JsonObject]:
        """The ``@graph`` of the framed document of `graph`, or `Unsupported`."""
        return self.written(graph).nodes

    def written(self, graph: GraphReader) -> Written:
        """`write`, with the written nodes read back by the context's rules and compared
        with the graph's triples (what `differences` finds, without reading the graph or
        the top-level objects a second time)."""
        view = GraphView(graph, self.reference_only)
        run = _Run(self, view)
        id_key = self.context.id_key
        tops = (
            s
            for s in sorted(view.subjects() - view.hidden)
            if self.frame.matches(view.types.get(s))
        )
        drugs = sorted((run.top(subject) for subject in tops), key=lambda n: str(n[id_key]))
        said: set[TripleKey] = set()
        for node in drugs:
            self.context.node_triples(node, said)
        missing = {subject for subject, _, _ in view.keys - said}
        rest = sorted((run.flat(subject) for subject in missing), key=lambda n: str(n[id_key]))
        for node in rest:
            self.context.node_triples(node, said)
        lost = [_triple(key) for key in view.keys - said]
        return Written(drugs + rest, lost, [_triple(key) for key in said - view.keys])

    def differences(
        self, nodes: list[JsonObject], graph: GraphReader
    ) -> tuple[list[Triple], list[Triple]]:
        """The triples of `graph` that `nodes` do not say, and those they say that it lacks.

        The nodes are read with the context's rules as pyld's toRdf reads them
        (`Unsupported` for anything the writer never writes)."""
        said: set[TripleKey] = set()
        for node in nodes:
            if not isinstance(node, dict):
                raise Unsupported(f"{node!r}: not a node object")
            self.context.node_triples(node, said)
        lost: list[Triple] = []
        seen: set[TripleKey] = set()
        for triple in graph:
            key = _triple_key(triple)
            seen.add(key)
            if key not in said:
                lost.append(triple)
        return lost, [_triple(key) for key in said - seen]


def _reverse_predicates(frame: Frame) -> Iterator[str]:
    yield from frame.reverse
    for subframe in (*frame.properties.values(), *frame.reverse.values()):
        yield from _reverse_predicates(subframe)


def _triple_key(triple: Triple) -> TripleKey:
    s, p, o = triple
    if not isinstance(s, URIRef) or not isinstance(p, URIRef):
        raise Unsupported(f"{s.n3()} {p.n3()}: a blank node or odd term")
    if isinstance(o, Literal):
        datatype = str(o.datatype) if o.datatype is not None else None
        language = o.language.lower() if o.language is not None else None
        return (str(s), str(p), (str(o), datatype, language))
    if not isinstance(o, URIRef):
        raise Unsupported(f"{o.n3()}: a blank node")
    return (str(s), str(p), str(o))


def _triple(key: TripleKey) -> Triple:
    """A triple key as rdflib terms (as `medkg.export.jsonld.triples_of` makes them)."""
    s, p, o = key
    if isinstance(o, str):
        return (URIRef(s), URIRef(p), URIRef(o))
    lexical, datatype, language = o
    if language is not None:
        literal = Literal(lexical, lang=language)
    elif datatype is not None:
        literal = Literal(lexical, datatype=URIRef(datatype))
    else:
        literal = Literal(lexical)
    return (URIRef(s), URIRef(p), literal)


class _Run:
    """One graph being written: pyld's `_match_frame`, compacting as it goes."""

    def __init__(self, writer: JsonLdWriter, view: GraphView):
        self.context = writer.context
        self.frame = writer.frame
        self.is_drug = writer.is_drug
        self.view = view
        self.referrers = view.referrers(writer.reverse_predicates)
        self.stack: list[str] = []

    def top(self, subject: str) -> JsonObject:
        node = self.embed(subject, self.frame, embedded=False, inside=False)
        if not isinstance(node, dict):
            raise Unsupported(f"<{subject}>: a top-level match without values")
        return node

    def embed(self, subject: str, frame: Frame, embedded: bool, inside: bool) -> Embedded:
        """What framing `subject` with `frame` gives: None (no match), `REFERENCE`, the
        compacted node object, or (a drug inside a top-level object) its id."""
        view, context = self.view, self.context
        types = view.framed_types(subject)
        if not frame.matches(types):
            return None
        if embedded and (frame.never or subject in self.stack[:-1]):
            return REFERENCE
        values = view.framed_values(subject)
        reverse = [(p, f) for p, f in frame.reverse.items() if (p, subject) in self.referrers]
        if not types and not values and not reverse:
            return REFERENCE  # only an @id: pyld compacts it as a reference
        node: JsonObject = {context.id_key: context.node_id(subject)}
        if types:
            written = [context.compact_iri(t, vocab=True) for t in types]
            node[context.type_key] = written[0] if len(written) == 1 else sorted(written)
        if inside and self.is_drug(node):
            return str(node[context.id_key])
        self.stack.append(subject)
        builder = NodeBuilder()
        for predicate, objects in values.items():
            subframe = frame.properties.get(predicate) or frame.implicit()
            for value in objects:
                key = context.key(predicate, value)
                is_set = _is_set(context, key)
                if isinstance(value, str):
                    found = self.embed(value, subframe, embedded=True, inside=True)
                    if found is None:
                        continue
                    if found is REFERENCE:
                        builder.add(key, is_set, context.reference(key, value))
                    else:
                        builder.add(key, is_set, found)
                elif subframe.keeps_literals:
                    builder.add(key, is_set, self._literal(key, value))
        for predicate, subframe in reverse:
            self._reverse(builder, predicate, subframe, subject, embedded)
        self.stack.pop()
        return builder.finish(node)

    def _reverse(
        self, builder: NodeBuilder, predicate: str, subframe: Frame, subject: str, embedded: bool
    ) -> None:
        """Nodes with `predicate` to `subject`, embedded under the reverse term (pyld passes
        its own embedded state on, so at the top they are embedded whatever @embed says)."""
        context = self.context
        keys: set[str] = set()
        for referrer in self.referrers[(predicate, subject)]:
            found = self.embed(referrer, subframe, embedded=embedded, inside=True)
            if found is None:
                continue
            key = context.key(predicate, referrer, reverse=True)
            keys.add(key)
            value = context.reference(key, referrer) if found is REFERENCE else found
            builder.add(key, _is_set(context, key), value)
        if not keys:  # pyld keeps the (empty) array of the reverse property
            empty = context.compact_iri(predicate, True, NO_VALUE, reverse=True)
            builder.open(empty, _is_set(context, empty))
            keys.add(empty)
        for key in keys:
            term = context.terms.get(key)
            if term is None or not term.reverse:
                raise Unsupported(f"<{predicate}>: no reverse term to write it backwards")

    def _literal(self, key: str, value: Lit) -> Any:
        compacted = self.context.literal(key, value)
        if isinstance(compacted, dict) and self.is_drug(compacted):
            raise Unsupported(f"{compacted!r}: a value typed as a drug")
        return compacted

    def flat(self, subject: str) -> JsonObject:
        """The flat node object of `subject`: every triple, nodes as references."""
        context = self.context
        node: JsonObject = {context.id_key: context.node_id(subject)}
        types = self.view.types.get(subject)
        if types:
            written = [context.compact_iri(t, vocab=True) for t in types]
            node[context.type_key] = written[0] if len(written) == 1 else sorted(written)
        builder = NodeBuilder()
        for predicate, objects in self.view.values.get(subject, {}).items():
            for value in objects:
                key = context.key(predicate, value)
                is_set = _is_set(context, key)
                if isinstance(value, str):
                    builder.add(key, is_set, context.reference(key, value))
                else:
                    builder.add(key, is_set, context.literal(key, value))
        return builder.finish(node)


def _is_set(context: Context, key: str) -> bool:
    term = context.terms.get(key)
    return term is not None and term.is_set
