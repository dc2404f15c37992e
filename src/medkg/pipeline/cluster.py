"""Clusters: the groups of documents that can only be graphed together.

Everything one document's triples depend on from other documents — glosses
(`medkg.link.linker`: only from documents about a drug in common), a drug's preferred
label, the billing units derived from a code page and a monograph of the same
drug, cross-source comparisons — stays among documents that share a drug or a
billing code. So the documents fall into clusters (connected components of
"shares a drug key or a code"), and the graph of a cluster is exactly its part
of the corpus graph: nodes shared across clusters (concepts, code nodes,
frequency bands) get the same triples, or more of them, from each.

That is what lets the build graph, validate and render clusters separately (in
parallel, and from a cache when none of a cluster's documents changed).
"""

from __future__ import annotations

from collections.abc import Sequence

from medkg.link.linker import drug_key
from medkg.model import Extraction


def linking_keys(extraction: Extraction) -> frozenset[str]:
    """What a document can share with others: its drugs (every name, generic name and
    component, as `drug_key`s) and the billing codes it describes."""
    keys: set[str] = set()
    for drug in extraction.drugs:
        names = [drug.name, *drug.other_names, *drug.components]
        if drug.generic_name is not None:
            names.append(drug.generic_name)
        keys.update(f"drug:{drug_key(name.text)}" for name in names)
    # by notation alone (a procedure names its code without the system): a cluster that is
    # coarser than needed is still correct, a finer one would not be
    for code in extraction.billing_codes:
        keys.add(f"code:{code.code.text}")
        keys.update(f"drug:{drug_key(name.text)}" for name in code.drug_names)
    keys.update(f"code:{procedure.code.text}" for procedure in extraction.procedures)
    return frozenset(keys)


def clusters(keys: Sequence[frozenset[str]]) -> list[list[int]]:
    """Indexes of documents (given by their `linking_keys`) grouped into clusters: each
    cluster in input order, clusters ordered by their first member (so the same documents
    always give the same clusters)."""
    parent = list(range(len(keys)))

    def root(index: int) -> int:
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    owner: dict[str, int] = {}
    for index, document_keys in enumerate(keys):
        for key in sorted(document_keys):
            other = owner.setdefault(key, index)
            first, second = root(other), root(index)
            if first != second:
                parent[max(first, second)] = min(first, second)
    groups: dict[int, list[int]] = {}
    for index in range(len(keys)):
        groups.setdefault(root(index), []).append(index)
    return sorted(groups.values(), key=lambda members: members[0])
