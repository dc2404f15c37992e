"""The `mechanism` competency query on a built graph of invented monographs: steps, then
effects, and objects named as the document spells them."""

from __future__ import annotations

import pytest

from medkg.pipeline.build import build
from medkg.query import Store, load_store, named_queries, run_query

MONOGRAPH = """---
layout: minimal-medicine
title: Testadine
---

# Testadine
### Generic Name
Testadine

### How it Works
Testadine binds to quorum-sensing receptors (QSRs) on bacteria. It also inhibits Angiotensin \
III. This lowers the bacterial toxin production.
"""


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, str]]:
    sources = tmp_path_factory.mktemp("mechanism-sources")
    (sources / "testadine.md").write_text(MONOGRAPH, encoding="utf-8")
    out = tmp_path_factory.mktemp("mechanism") / "dist"
    build([sources], out)
    store = load_store(out)
    return run_query(store, named_queries()["mechanism"], {"drug": "testadine"}).values()


def test_steps_come_first_then_effects_numbered_on(rows: list[dict[str, str]]) -> None:
    assert [(r["step"], r["subject"], r["relation"]) for r in rows] == [
        ("1", "Testadine", "binds"),
        ("2", "Testadine", "inhibits"),
        ("3", "Testadine", "decreases"),
    ]


def test_an_object_without_identifiers_is_spelled_as_the_document_spells_it(
    rows: list[dict[str, str]],
) -> None:
    # the concepts' labels are normalised keys ("quorum sensing receptor", "angiotensin iii")
    assert [r["object"] for r in rows] == [
        "quorum-sensing receptors",
        "Angiotensin III",
        "bacterial toxin production",
    ]


ACTORS = """---
layout: minimal-medicine
title: Examplumab
---

# Examplumab
### Generic Name
Examplumab

### How it Works
Examplumab activates the Gamma signaling pathway. Testokine, a hormone of the gut, \
activates the Delta signaling pathway. Testokine also inhibits sclerostin. By blocking \
the Omega receptor, Examplumab stimulates the Epsilon signaling pathway.
"""


@pytest.fixture(scope="module")
def actors(tmp_path_factory: pytest.TempPathFactory) -> Store:
    sources = tmp_path_factory.mktemp("actor-sources")
    (sources / "examplumab.md").write_text(ACTORS, encoding="utf-8")
    out = tmp_path_factory.mktemp("actors") / "dist"
    build([sources], out)
    return load_store(out)


def test_the_steps_of_another_participant_list_no_drug(actors: Store) -> None:
    steps = run_query(actors, named_queries()["mechanism"], {}).values()
    subjects = {(r["subject"], r["object"]) for r in steps}
    # the document states what the hormone does: steps of the hormone, not of the drug
    assert ("testokine", "sclerostin") in subjects
    assert {
        r["target"] for r in run_query(actors, named_queries()["drugs-by-target"], {}).values()
    } == set()
    pathways = run_query(actors, named_queries()["drugs-by-pathway"], {}).values()
    assert sorted((r["pathway"], r["drug"]) for r in pathways) == [
        (
            "epsilon signaling pathway",
            "Examplumab",
        ),  # the drug's action "blocking the Omega receptor"
        ("gamma signaling pathway", "Examplumab"),
    ]
