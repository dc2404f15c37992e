"""The node-level vocabulary of the graph: evidence, concepts, quantities, text nodes.

`GraphWriter` holds the quads being built (`medkg.graph.quads.Quads`: one
named graph per source document, one for links and derived facts) and knows how to write the small
nodes every fact uses. All IRIs are minted from content, never from counters
over the whole corpus, so adding a document does not renumber another one.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from rdflib import Dataset, Literal, URIRef
from rdflib.term import Node

from medkg.graph.labels import display_label
from medkg.graph.quads import NamedGraph, Quads
from medkg.link.lexicon import Identifier, Lexicon
from medkg.link.linker import ConceptRef, Linker, drug_key
from medkg.model import FILE_NAME_SECTION, Evidence, Extraction, FactRef, Mention, Quantity
from medkg.namespaces import ID, MEDKG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from medkg.text import SLUG_LENGTH, normalise_term, readable_slug, slug, unique_slug

LINKS_GRAPH = ID["graph/links"]

_MAPPING_PROPERTIES = {
    "exactMatch": SKOS.exactMatch,
    "closeMatch": SKOS.closeMatch,
    "broadMatch": SKOS.broadMatch,
    "narrowMatch": SKOS.narrowMatch,
}


def document_slug(document_key: str, shared: bool = False) -> str:
    """IRI segment for a document: its file name without the extension, when that is
    already a readable slug in any case (``A1234-code-page.txt`` -> ``a1234-code-page``)
    and no other source of the build has a name with that segment (`shared`: names that
    differ only in case or extension, ``foo.md`` and ``Foo.txt``; see
    `medkg.pipeline.sources.shared_names`); otherwise the slug of the name (cut to `SLUG_LENGTH`)
    with the `digest` of the whole file name appended, so two names that differ in case,
    extension, a dropped character (non-Latin names) or after the cut never share it."""
    stem = document_key.rsplit(".", 1)[0] if "." in document_key else document_key
    readable = readable_slug(stem)
    if not shared and readable == stem.lower() and len(readable) <= SLUG_LENGTH:
        return readable
    return unique_slug(readable, document_key)


def document_iri(document_key: str) -> URIRef:
    return ID[f"document/{document_slug(document_key)}"]


def graph_iri(document_key: str) -> URIRef:
    return ID[f"graph/{document_slug(document_key)}"]


def local(node: URIRef) -> str:
    """The path of a node under id/ ("drug/x" for <…/id/drug/x>)."""
    return str(node)[len(str(ID)) :]


def concept_iri(key: str) -> URIRef:
    return ID[f"concept/{key}"]


def decimal_literal(value: Decimal) -> Literal:
    """xsd:decimal in its canonical form (210.0, 0.5), the same in Turtle and N-Quads."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return Literal(f"{text}.0" if "." not in text else text, datatype=XSD.decimal)


class GraphWriter:
    """Writes facts of all documents into one collection of quads."""

    def __init__(self, linker: Linker, lexicon: Lexicon, shared: frozenset[str] = frozenset()):
        self.quads = Quads()
        # file names another source's name would share a document segment with (see
        # `document_slug`): their IRIs carry the digest of the whole name
        self.shared = shared
        self.linker = linker
        self.lexicon = lexicon
        self.links = self.quads.graph(LINKS_GRAPH)
        self._minted: set[URIRef] = set()
        # (graph, node) pairs whose evidence / concept triples are already written: those
        # nodes are shared by many facts, and re-adding their triples only costs time
        self._written: set[tuple[Node, URIRef]] = set()
        # drug key -> the one spelling used as the drug's label: a monograph's before a code
        # page's, then by file name (filled by `prefer_drug_labels`)
        self.drug_labels: dict[str, str] = {}
        # fact node -> (document, the extraction facts it was written from): lets a fact the
        # shapes refuse be taken back out of its document (`medkg.graph.origins`)
        self.origins: dict[URIRef, tuple[str, tuple[FactRef, ...]]] = {}

    @property
    def dataset(self) -> Dataset:
        """The quads as a new rdflib `Dataset` (the reference path and tests)."""
        return self.quads.to_dataset()

    def written_from(self, node: URIRef, document: str, *refs: FactRef) -> None:
        """Record that `node` (and every node minted under its IRI) states the facts
        `refs` of `document`'s extraction (added to those recorded before)."""
        _, before = self.origins.get(node, (document, ()))
        self.origins[node] = (document, (*before, *(r for r in refs if r not in before)))

    def prefer_drug_labels(self, extractions: list[Extraction]) -> None:
        """Choose each drug's label once for the corpus, so documents never disagree on it."""
        ranked = sorted(
            extractions,
            key=lambda x: (x.document.format != "monograph", x.document.source),
        )
        for extraction in ranked:
            for drug in extraction.drugs:
                for name in (drug.name, *drug.components):
                    self.drug_labels.setdefault(drug_key(name.text), name.text)

    def segment(self, document_key: str) -> str:
        """The IRI segment of a document of this build (`document_slug`)."""
        return document_slug(document_key, document_key in self.shared)

    def document_iri(self, document_key: str) -> URIRef:
        return ID[f"document/{self.segment(document_key)}"]

    def graph_iri(self, document_key: str) -> URIRef:
        return ID[f"graph/{self.segment(document_key)}"]

    def graph(self, document_key: str) -> NamedGraph:
        return self.quads.graph(self.graph_iri(document_key))

    def mint(self, path: str) -> URIRef:
        """A new IRI under id/ for `path`; a clash gets -2, -3 … (in document order)."""
        iri = ID[path]
        number = 1
        while iri in self._minted:
            number += 1
            iri = ID[f"{path}-{number}"]
        self._minted.add(iri)
        return iri

    # -- evidence ----------------------------------------------------------

    def evidence(self, graph: NamedGraph, ev: Evidence) -> URIRef:
        """The Evidence node for a span (shared by every fact read from it); a span of
        the file name (`FILE_NAME_SECTION`) has its own path, apart from the text's."""
        where = "file-name/" if ev.section == FILE_NAME_SECTION else ""
        node = ID[f"evidence/{self.segment(ev.document)}/{where}{ev.start}-{ev.end}"]
        if (graph.identifier, node) in self._written:
            return node
        self._written.add((graph.identifier, node))
        graph.add((node, RDF.type, MEDKG.Evidence))
        graph.add((node, MEDKG.document, self.document_iri(ev.document)))
        graph.add((node, MEDKG.sectionName, Literal(ev.section)))
        graph.add((node, MEDKG.quote, Literal(ev.quote)))
        graph.add((node, MEDKG.start, Literal(ev.start, datatype=XSD.integer)))
        graph.add((node, MEDKG.end, Literal(ev.end, datatype=XSD.integer)))
        return node

    def cite(self, graph: NamedGraph, node: Node, ev: Evidence) -> None:
        graph.add((node, MEDKG.evidence, self.evidence(graph, ev)))

    # -- concepts ----------------------------------------------------------

    def concept(self, graph: NamedGraph, mention: Mention) -> URIRef:
        """The concept node a mention names; the wording is kept as a label."""
        return self._named(graph, self.linker.concept(mention), mention)

    def route(self, graph: NamedGraph, node: URIRef, prop: URIRef, mention: Mention) -> None:
        """`node` `prop` the route concept a route word names, cited; a word the route
        vocabulary lacks is kept as written (medkg:routeText), never a made-up concept."""
        ref = self.linker.route(mention)
        if ref is None:
            graph.add((node, MEDKG.routeText, Literal(mention.text)))
        else:
            graph.add((node, prop, self._named(graph, ref, mention)))
        self.cite(graph, node, mention.evidence)

    def _named(self, graph: NamedGraph, ref: ConceptRef, mention: Mention) -> URIRef:
        node = self.concept_node(ref)
        if mention.text.lower() != ref.label.lower():
            graph.add((node, SKOS.altLabel, Literal(mention.text)))
        for gloss in mention.glosses:
            if "," not in gloss and len(gloss.split()) <= 4:
                graph.add((node, MEDKG.glossedAs, Literal(gloss)))
        if ref.basis != "local" and normalise_term(mention.text) != normalise_term(ref.label):
            self.alignment(ref, mention)
        return node

    def part_of(self, mention: Mention, text: str) -> Mention | None:
        """A mention of `text` where it occurs in `mention`'s quote (glosses, examples)."""
        at = mention.evidence.quote.find(text)
        if at < 0:
            return None
        ev = mention.evidence
        start = ev.start + at
        return Mention(text, Evidence(ev.document, ev.section, text, start, start + len(text)))

    def concept_node(self, ref: ConceptRef) -> URIRef:
        node = concept_iri(ref.key)
        if (LINKS_GRAPH, node) in self._written:
            return node
        self._written.add((LINKS_GRAPH, node))
        self.links.add((node, RDF.type, SKOS.Concept))
        self.links.add((node, SKOS.prefLabel, Literal(display_label(ref.label))))
        self.identifiers(node, ref.key)
        return node

    def identifiers(self, node: URIRef, concept_key: str) -> None:
        """Attach the lexicon's confirmed identifiers of `concept_key` to `node`, each
        with a mapping node that records where it was confirmed."""
        self.mappings(node, self.lexicon.identifiers.get(concept_key, ()))

    def drug_identifiers(self, node: URIRef, name: str) -> None:
        """Attach the confirmed identifiers of the drug a document names `name` to its node
        (`Lexicon.drug_identifiers`), as `identifiers` does."""
        self.mappings(node, self.lexicon.drug_identifiers(name))

    def mappings(self, node: URIRef, found: Iterable[Identifier]) -> None:
        """`node` skos:*Match each identifier, with its mapping node (where it was confirmed)."""
        for identifier in found:
            target = URIRef(identifier.iri)
            prop = _MAPPING_PROPERTIES[identifier.match]
            self.links.add((node, prop, target))
            mapping = ID[f"mapping/{local(node)}/{slug(identifier.curie)}"]  # node: drug or concept
            self.links.add((mapping, RDF.type, MEDKG.IdentifierMapping))
            self.links.add((mapping, MEDKG.mappedNode, node))
            self.links.add((mapping, MEDKG.mappingProperty, prop))
            self.links.add((mapping, MEDKG.mappedIdentifier, target))
            self.links.add((mapping, SKOS.notation, Literal(identifier.curie)))
            self.links.add((mapping, MEDKG.scheme, Literal(identifier.scheme)))
            self.links.add((mapping, MEDKG.confirmedIn, Literal(identifier.source)))
            self.links.add((mapping, MEDKG.confirmationQuality, Literal(identifier.quality)))

    def alignment(self, ref: ConceptRef, mention: Mention) -> None:
        """Record why a wording was taken to name a concept defined elsewhere."""
        node = ID[
            f"alignment/{ref.key}/{self.segment(mention.evidence.document)}/"
            f"{mention.evidence.start}-{mention.evidence.end}"
        ]
        links = self.links
        links.add((node, RDF.type, MEDKG.ConceptAlignment))
        links.add((node, MEDKG.derived, Literal(True)))
        links.add((node, MEDKG.alignedConcept, concept_iri(ref.key)))
        links.add((node, MEDKG.termAsWritten, Literal(mention.text)))
        links.add((node, MEDKG.alignmentBasis, Literal(ref.basis)))
        links.add((node, RDFS.comment, Literal(ref.basis_source)))
        links.add((node, PROV.wasDerivedFrom, self.evidence(links, mention.evidence)))
        if ref.basis_evidence is not None:
            links.add((node, PROV.wasDerivedFrom, self.evidence(links, ref.basis_evidence)))

    # -- values ------------------------------------------------------------

    def quantity(self, graph: NamedGraph, node: URIRef, quantity: Quantity) -> URIRef:
        graph.add((node, RDF.type, SCHEMA.QuantitativeValue))
        if quantity.value is not None:
            graph.add((node, SCHEMA.value, decimal_literal(quantity.value)))
        if quantity.low is not None:
            graph.add((node, SCHEMA.minValue, decimal_literal(quantity.low)))
        if quantity.high is not None:
            graph.add((node, SCHEMA.maxValue, decimal_literal(quantity.high)))
        graph.add((node, SCHEMA.unitCode, Literal(quantity.unit)))
        if quantity.approximate:
            graph.add((node, MEDKG.approximate, Literal(True)))
        if quantity.maximum:
            graph.add((node, MEDKG.isMaximum, Literal(True)))
        if "/kg" in quantity.unit:  # mg/kg, mg/kg/d
            graph.add((node, MEDKG.perKilogram, Literal(True)))
        self.cite(graph, node, quantity.evidence)
        return node

    def statement(self, graph: NamedGraph, node: URIRef, kind: str, mention: Mention) -> URIRef:
        """A text node: a sentence or phrase kept as written, with its kind."""
        graph.add((node, RDF.type, MEDKG.Statement))
        graph.add((node, MEDKG.statementKind, Literal(kind)))
        graph.add((node, SCHEMA.text, Literal(mention.text)))
        self.cite(graph, node, mention.evidence)
        return node

    def statements(
        self,
        graph: NamedGraph,
        subject: URIRef,
        prop: URIRef,
        base: str,
        kind: str,
        mentions: tuple[Mention, ...],
    ) -> None:
        """One ordered Statement node per mention, linked from `subject` by `prop`."""
        for position, mention in enumerate(mentions, start=1):
            node = self.statement(graph, self.mint(f"{base}/{kind}-{position}"), kind, mention)
            graph.add((node, SCHEMA.position, Literal(position, datatype=XSD.integer)))
            graph.add((subject, prop, node))
