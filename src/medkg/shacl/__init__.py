"""A fast SHACL engine: the shapes compiled to set-based SPARQL, run on pyoxigraph.

pySHACL (medkg.shacl.validate, ``engine="pyshacl"``) is the reference: for the
constructs shapes/*.ttl use, this engine gives the same violations (focus,
path, message, severity, shape, and as many of each) and the same conformance,
as tests/test_shacl_engine.py checks; any other construct is refused when the
shapes are compiled (`ShapeCompileError`, naming the shape and the construct).

- `compile_shapes(shapes, ontology)` -> `CompiledShapes` (medkg.shacl.compile);
  `compiled_for(shapes, ontology)` remembers it per graph object, and
  `bundled_shapes()` is shapes/*.ttl and the ontology, compiled once per process;
- `validate_store(store)`: validate the union of a pyoxigraph store's graphs
  (medkg.shacl.engine);
- `validate_rdflib(graph)`: validate an rdflib graph, loaded into a new store
  (`store_from_graph`, medkg.shacl.loading).

Where it still differs from pySHACL, on data medkg does not write:

- an explicit ``"x"^^xsd:string`` is the same term as ``"x"`` in RDF 1.1 and in
  oxigraph, but not in rdflib: pySHACL rejects it in sh:in, sh:hasValue and
  sh:equals against a plain ``"x"``, this engine accepts it;
- rdflib rewrites an ill-typed xsd:boolean (``"yes"``, ``"TRUE"``) to
  ``"false"`` / ``"true"`` and only remembers that it was ill-typed on the
  Python object: pySHACL rejects it (sh:datatype), the store sees a valid boolean;
- a valid literal written non-canonically (``"210.0"^^xsd:decimal``) is
  canonical in the store (``"210"``), so ``{?value}`` in a SPARQL constraint's
  message shows the canonical form;
- where pySHACL stops with an error (a blank node or an ill-typed literal
  compared by sh:lessThan, a NaN decimal compared by sh:minInclusive), this
  engine reports a violation; a literal as subject, which rdflib allows and RDF
  does not, cannot be loaded (`MedkgError`);
- the report text has pySHACL's form but names shapes instead of writing them
  out as Turtle.
"""

from medkg.shacl.compile import CompiledShapes, bundled_shapes, compile_shapes, compiled_for
from medkg.shacl.engine import validate_rdflib, validate_store
from medkg.shacl.errors import ShapeCompileError
from medkg.shacl.loading import store_from_graph

__all__ = [
    "CompiledShapes",
    "ShapeCompileError",
    "bundled_shapes",
    "compile_shapes",
    "compiled_for",
    "store_from_graph",
    "validate_rdflib",
    "validate_store",
]
