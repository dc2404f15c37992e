"""``context.jsonld`` read for the direct JSON-LD writer: compacting and reading back.

`Context` holds the term definitions of a JSON-LD 1.1 context and does what
pyld does with them, for the values medkg's graphs hold:

* **Compacting** (`Context.key`, `Context.literal`, `Context.reference`,
  `Context.node_id`): IRI compaction with pyld's inverse context and term
  selection (a term whose container, and ``@type`` or ``@language``, suit
  the value, preferring ``@set`` containers, then ``@vocab`` or ``@id`` terms
  as pyld does), else a CURIE from a prefix term (the shortest, then the
  least), else the IRI itself; value compaction by the term's ``@type``.
* **Reading back** (`Context.node_triples`): the triples a compacted node
  object expands to, as pyld's toRdf gives them (native numbers as
  ``xsd:integer``, booleans as ``xsd:boolean``, language tags lowercased).

Only the features medkg's context uses are read: ``@version`` 1.1, simple
terms (an IRI, a CURIE, or a keyword alias of ``@id``/``@type``), and
expanded terms with ``@id`` or ``@reverse``, ``@type`` (``@id``, ``@vocab``
or a datatype) and ``@container: @set``. Anything else raises `Unsupported`
when the context is read; a written value the reader does not know raises
it too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from medkg.errors import MedkgError

JsonObject = dict[str, Any]

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"

KEYWORD = re.compile(r"^@[a-zA-Z]+$")
ABSOLUTE_IRI = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")  # pyld's test
PREFIX_END = re.compile(r".*[:/\?#\[\]@]$")  # a simple term ending so is a prefix
MEMO_LIMIT = 50_000  # entries a memo of node IRIs keeps before it starts again


class Unsupported(MedkgError):
    """The graph, context or frame holds something the direct writer does not write
    exactly as pyld would; the message says what."""


class Lit(NamedTuple):
    """A literal as pyld's fromRdf (native types) gives it: ``@value`` and its
    ``@type`` or ``@language`` (both None for a plain string or a native value)."""

    value: str | int | bool
    datatype: str | None
    language: str | None


Value = str | Lit  # an IRI (a node) or a literal
ObjectKey = str | tuple[str, str | None, str | None]  # an IRI, or (lexical, datatype, language)
TripleKey = tuple[str, str, ObjectKey]

# Term-selection kinds of a value (pyld's `_compact_iri` looks at these and nothing else).
NO_VALUE = ("",)
PLAIN = ("@value",)


@dataclass(frozen=True)
class Term:
    """One term definition of the context."""

    name: str
    iri: str  # an absolute IRI, or the keyword it aliases
    reverse: bool = False
    coercion: str | None = None  # "@id", "@vocab" or a datatype IRI
    is_set: bool = False  # @container: @set
    prefix: bool = False  # usable as the prefix of a CURIE


class Context:
    """A JSON-LD 1.1 context with the features medkg's context uses, ready to compact with."""

    def __init__(self, definitions: JsonObject):
        self.terms: dict[str, Term] = {}
        self._raw = definitions
        for key, value in definitions.items():
            if key == "@version":
                if value != 1.1:
                    raise Unsupported(f"context: @version {value!r}")
                continue
            if key.startswith("@"):
                raise Unsupported(f"context: {key} is not read by the direct writer")
            if ":" in key or "/" in key:
                raise Unsupported(f"context: term {key!r} has the form of an IRI")
            self._define(key)
        self.prefixes = sorted((t.name, t.iri) for t in self.terms.values() if t.prefix)
        self.inverse = self._inverse()
        self.id_key = self.keyword_alias("@id")
        self.type_key = self.keyword_alias("@type")
        self.value_key = self.keyword_alias("@value")
        self.language_key = self.keyword_alias("@language")
        # Memos: node IRIs come and go with the graphs, so those memos are bounded.
        self._compacted: dict[tuple[str, bool, tuple[Any, ...], bool], str] = {}
        self._selected: dict[tuple[str, tuple[Any, ...], bool], str | None] = {}
        self._expanded: dict[tuple[str, bool], str] = {}

    # --- reading the context ----------------------------------------------------------------

    def _define(self, name: str, defining: frozenset[str] = frozenset()) -> Term:
        known = self.terms.get(name)
        if known is not None:
            return known
        if name in defining:
            raise Unsupported(f"context: term {name!r} is defined through itself")
        value = self._raw[name]
        inner = defining | {name}
        if isinstance(value, str):
            iri = self._context_iri(value, inner)
            term = Term(name, iri, prefix=bool(PREFIX_END.match(iri)))
        elif isinstance(value, dict):
            unknown = set(value) - {"@id", "@reverse", "@type", "@container"}
            if unknown:
                raise Unsupported(f"context: term {name!r} uses {sorted(unknown)}")
            if ("@id" in value) == ("@reverse" in value):
                raise Unsupported(f"context: term {name!r} needs exactly one of @id, @reverse")
            iri = self._context_iri(value.get("@id", value.get("@reverse")), inner)
            if iri.startswith("@"):
                raise Unsupported(f"context: term {name!r} maps to a keyword in a definition")
            container = value.get("@container")
            if container not in (None, "@set", ["@set"]):
                raise Unsupported(f"context: term {name!r} has @container {container!r}")
            coercion = value.get("@type")
            if coercion is not None:
                if not isinstance(coercion, str):
                    raise Unsupported(f"context: term {name!r} has @type {coercion!r}")
                if coercion not in ("@id", "@vocab"):
                    coercion = self._context_iri(coercion, inner)
                    if coercion.startswith("@"):
                        raise Unsupported(f"context: term {name!r} has @type {coercion!r}")
            term = Term(
                name,
                iri,
                reverse="@reverse" in value,
                coercion=coercion,
                is_set=container is not None,
            )
        else:
            raise Unsupported(f"context: term {name!r} is {value!r}")
        self.terms[name] = term
        return term

    def _context_iri(self, value: object, defining: frozenset[str]) -> str:
        """An IRI written in the context: a keyword, a term, a CURIE or an absolute IRI."""
        if not isinstance(value, str):
            raise Unsupported(f"context: {value!r} is not an IRI")
        if value in ("@id", "@type"):
            return value
        if value.startswith("@"):
            raise Unsupported(f"context: keyword {value} is not read by the direct writer")
        if value in self._raw:
            return self._define(value, defining).iri
        prefix, colon, suffix = value.partition(":")
        if colon and prefix != "_" and not suffix.startswith("//") and prefix in self._raw:
            term = self._define(prefix, defining)
            if term.prefix:
                return term.iri + suffix
        if ABSOLUTE_IRI.match(value):
            return value
        raise Unsupported(f"context: {value!r} is neither a term, a CURIE nor an absolute IRI")

    def _inverse(self) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
        """pyld's inverse context: IRI -> container -> @language/@type/@any -> value -> term."""
        inverse: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
        for name in sorted(self.terms, key=lambda n: (len(n), n)):
            term = self.terms[name]
            container = "@set" if term.is_set else "@none"
            entry = inverse.setdefault(term.iri, {}).setdefault(
                container, {"@language": {}, "@type": {}, "@any": {}}
            )
            entry["@any"].setdefault("@none", name)
            if term.reverse:
                entry["@type"].setdefault("@reverse", name)
            elif term.coercion is not None:
                entry["@type"].setdefault(term.coercion, name)
            else:
                entry["@language"].setdefault("@none", name)
                entry["@type"].setdefault("@none", name)
        return inverse

    def keyword_alias(self, keyword: str) -> str:
        """The term standing for `keyword` (``id`` for ``@id``), or the keyword itself."""
        return self.inverse.get(keyword, {}).get("@none", {}).get("@type", {}).get("@none", keyword)

    # --- compacting ---------------------------------------------------------------------------

    def kind(self, value: Value) -> tuple[Any, ...]:
        """What term selection looks at in a value (pyld `_compact_iri`)."""
        if isinstance(value, str):
            if value not in self.inverse:  # a CURIE or an IRI, never a term
                return ("@id", False)
            definition = self.terms.get(self.compact_iri(value, vocab=True))
            return ("@id", definition is not None and definition.iri == value)
        if value.language is not None:
            return ("@language", value.language)
        if value.datatype is not None:
            return ("@type", value.datatype)
        return PLAIN

    def compact_iri(
        self, iri: str, vocab: bool, kind: tuple[Any, ...] = NO_VALUE, reverse: bool = False
    ) -> str:
        """pyld `_compact_iri`: a term (when `vocab`), else a CURIE, else the IRI itself."""
        key = (iri, vocab, kind, reverse)
        found = self._compacted.get(key)
        if found is None:
            found = self._compact_iri(iri, vocab, kind, reverse)
            if len(self._compacted) >= MEMO_LIMIT:
                self._compacted.clear()
            self._compacted[key] = found
        return found

    def _compact_iri(self, iri: str, vocab: bool, kind: tuple[Any, ...], reverse: bool) -> str:
        if vocab and iri in self.inverse:
            term = self.select(iri, kind, reverse)
            if term is not None:
                return term
        candidate: str | None = None
        for name, prefix_iri in self.prefixes:
            if prefix_iri != iri and iri.startswith(prefix_iri):
                curie = f"{name}:{iri[len(prefix_iri) :]}"
                if curie not in self.terms and (
                    candidate is None or (len(curie), curie) < (len(candidate), candidate)
                ):
                    candidate = curie
        if candidate is not None:
            return candidate
        for name, _ in self.prefixes:
            if iri.startswith(name + ":"):
                raise Unsupported(f"{iri}: an IRI that reads as a CURIE with prefix {name!r}")
        return iri

    def select(self, iri: str, kind: tuple[Any, ...], reverse: bool) -> str | None:
        """pyld `_select_term` with the containers and preferences `_compact_iri` gives it."""
        key = (iri, kind, reverse)
        if key in self._selected:
            return self._selected[key]
        containers: list[str] = []
        prefs: list[str]
        if kind[0] == "@id":  # a node object or reference
            containers += ["@id", "@id@set", "@type", "@set@type", "@set", "@none"]
            containers += ["@index", "@index@set"]
            order = ["@vocab", "@id"] if kind[1] else ["@id", "@vocab"]
            prefs = (["@reverse"] if reverse else []) + order + ["@none"]
            table = "@type"
        elif kind == NO_VALUE:  # no value, or an empty array
            containers += ["@set", "@none"]
            prefs, table = ["@reverse" if reverse else "@id", "@none"], "@type"
        elif reverse:
            raise Unsupported(f"<{iri}>: a literal under a reverse property")
        elif kind[0] == "@language":
            containers += ["@language", "@language@set", "@set", "@none", "@index", "@index@set"]
            prefs, table = _with_direction(kind[1]), "@language"
        elif kind[0] == "@type":
            containers += ["@set", "@none", "@index", "@index@set"]
            prefs, table = _with_direction(kind[1]), "@type"
        else:  # a plain or native value
            containers += ["@set", "@none", "@index", "@index@set", "@language", "@language@set"]
            prefs, table = ["@null", "@none"], "@language"
        by_container = self.inverse[iri]
        chosen: str | None = None
        for container in containers:
            if container not in by_container:
                continue
            candidates = by_container[container][table]
            chosen = next((candidates[p] for p in prefs if p in candidates), None)
            if chosen is not None:
                break
        self._selected[key] = chosen
        return chosen

    def node_id(self, iri: str) -> str:
        """A node's ``id``: compacted without terms (a CURIE or the IRI)."""
        return self.compact_iri(iri, vocab=False)

    def key(self, predicate: str, value: Value, reverse: bool = False) -> str:
        """The key a value of `predicate` is written under (a term, a CURIE or the IRI)."""
        return self.compact_iri(predicate, True, self.kind(value), reverse)

    def literal(self, key: str, value: Lit) -> Any:
        """pyld `_compact_value` of a value object under `key`."""
        term = self.terms.get(key)
        coercion = term.coercion if term is not None else None
        if value.datatype is not None and value.datatype == coercion:
            return value.value
        if value.datatype is None and value.language is None:
            return value.value
        if value.datatype is not None:
            datatype = self.compact_iri(value.datatype, vocab=True)
            return {self.type_key: datatype, self.value_key: value.value}
        return {self.language_key: value.language, self.value_key: value.value}

    def reference(self, key: str, iri: str) -> Any:
        """pyld `_compact_value` of a node reference under `key`."""
        term = self.terms.get(key)
        coercion = term.coercion if term is not None else None
        compacted = self.compact_iri(iri, vocab=coercion == "@vocab")
        if coercion in ("@id", "@vocab"):
            return compacted
        return {self.id_key: compacted}

    # --- reading written JSON back to triples ----------------------------------------------------

    def expand_id(self, value: object) -> str:
        """An IRI in ``@id`` position (pyld `_expand_iri`, not vocabulary-relative)."""
        if not isinstance(value, str):
            raise Unsupported(f"{value!r} where an IRI was written")
        return self._expand_memo(value, vocab=False)

    def expand_vocab(self, value: object) -> str:
        """An IRI in vocabulary position: a key, a type, a ``@vocab`` value."""
        if not isinstance(value, str):
            raise Unsupported(f"{value!r} where an IRI was written")
        return self._expand_memo(value, vocab=True)

    def _expand_memo(self, value: str, vocab: bool) -> str:
        key = (value, vocab)
        found = self._expanded.get(key)
        if found is None:
            found = self._expand(value, vocab)
            if len(self._expanded) >= MEMO_LIMIT:
                self._expanded.clear()
            self._expanded[key] = found
        return found

    def _expand(self, value: str, vocab: bool) -> str:
        if KEYWORD.match(value):
            raise Unsupported(f"{value}: a keyword where an IRI was written")
        if vocab and value in self.terms:
            term = self.terms[value]
            if term.reverse or term.iri.startswith("@"):
                raise Unsupported(f"{value}: a reverse term or keyword alias as an IRI")
            return term.iri
        prefix, colon, suffix = value.partition(":")
        if colon and prefix and prefix != "_" and not suffix.startswith("//"):
            defined = self.terms.get(prefix)
            if defined is not None and defined.prefix:
                return defined.iri + suffix
        if prefix == "_" or not ABSOLUTE_IRI.match(value):
            raise Unsupported(f"{value}: a blank node or relative IRI was written")
        return value

    def node_triples(self, node: JsonObject, into: set[TripleKey]) -> str:
        """Add the triples a written node object says (pyld toRdf of it) to `into`; its IRI."""
        subject = self.expand_id(node.get(self.id_key))
        for key, value in node.items():
            if key == self.id_key:
                continue
            if key == self.type_key:
                for written in value if isinstance(value, list) else [value]:
                    into.add((subject, RDF_TYPE, self.expand_vocab(written)))
                continue
            term = self.terms.get(key)
            if term is not None:
                predicate, reverse, coercion = term.iri, term.reverse, term.coercion
            else:
                predicate, reverse, coercion = self.expand_vocab(key), False, None
            for item in value if isinstance(value, list) else [value]:
                found = self._object(item, coercion, into)
                if not reverse:
                    into.add((subject, predicate, found))
                elif isinstance(found, str):
                    into.add((found, predicate, subject))
                else:
                    raise Unsupported(f"{key}: a literal under a reverse property")
        return subject

    def _object(self, item: object, coercion: str | None, into: set[TripleKey]) -> ObjectKey:
        if isinstance(item, dict):
            if self.value_key in item:
                return self._value_object(item)
            if self.id_key in item:
                if len(item) == 1:
                    return self.expand_id(item[self.id_key])
                return self.node_triples(item, into)
            raise Unsupported(f"{item!r}: neither a value nor a node object")
        if isinstance(item, str):
            if coercion == "@id":
                return self.expand_id(item)
            if coercion == "@vocab":
                return self.expand_vocab(item)
            return (item, coercion, None)
        if coercion is None and isinstance(item, bool):
            return ("true" if item else "false", XSD_BOOLEAN, None)
        if coercion is None and isinstance(item, int) and abs(item) < 10**21:
            return (str(item), XSD_INTEGER, None)
        raise Unsupported(f"{item!r} under a term with @type {coercion}")

    def _value_object(self, item: JsonObject) -> ObjectKey:
        value = item[self.value_key]
        if not isinstance(value, str) or len(item) != 2:
            raise Unsupported(f"{item!r}: a value object the writer does not write")
        if self.type_key in item:
            return (value, self.expand_vocab(item[self.type_key]), None)
        language = item.get(self.language_key)
        if not isinstance(language, str):
            raise Unsupported(f"{item!r}: a value object the writer does not write")
        return (value, None, language.lower())


def _with_direction(value: str) -> list[str]:
    """pyld's preferences for a typed or language-tagged value (it also tries a
    direction, which it reads from anything holding an underscore)."""
    prefs = [value]
    if "_" in value:
        prefs.append("_" + value.split("_")[-1])
    return [*prefs, "@none"]
