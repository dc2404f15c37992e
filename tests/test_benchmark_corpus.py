"""The benchmark corpus (generate_corpus --monographs/--code-pages) is shaped like a real one."""

from __future__ import annotations

from pathlib import Path

from medkg.link.linker import drug_key
from medkg.pipeline.document_stage import process_one

from .test_generated_corpus import generator


def test_same_seed_same_bytes_other_seed_other_corpus(tmp_path: Path) -> None:
    module = generator()
    first = module.generate_corpus(tmp_path / "a", 12, 9, seed=4)
    second = module.generate_corpus(tmp_path / "b", 12, 9, seed=4)
    other = module.generate_corpus(tmp_path / "c", 12, 9, seed=5)
    assert [d.path.relative_to(tmp_path / "a") for d in first.documents] == [
        d.path.relative_to(tmp_path / "b") for d in second.documents
    ]
    assert [d.path.read_bytes() for d in first.documents] == [
        d.path.read_bytes() for d in second.documents
    ]
    assert [d.path.name for d in first.documents] != [d.path.name for d in other.documents]


def test_exact_counts_unique_codes_and_names(tmp_path: Path) -> None:
    corpus = generator().generate_corpus(tmp_path, 40, 25, seed=2)
    assert len(corpus.monographs) == 40
    assert len(corpus.code_pages) == 25
    assert sorted(p.name for p in (tmp_path / "monographs").iterdir()) == sorted(
        d.path.name for d in corpus.monographs
    )
    assert len(list((tmp_path / "hcpcs").iterdir())) == 25
    codes = [d.code for d in corpus.code_pages]
    assert None not in codes and len(set(codes)) == len(codes)
    drugs = [name.lower() for d in corpus.monographs for name in d.drugs]
    assert len(set(drugs)) == len(drugs)


def test_paired_code_page_names_the_monograph_drug(tmp_path: Path) -> None:
    """Every paired page bills the drug of exactly one monograph, which it names (suffix or not);
    every document builds except the refusals, which are skipped."""
    corpus = generator().generate_corpus(tmp_path, 20, 20, seed=6)
    monograph_drugs: dict[str, str] = {}
    for document in corpus.monographs:
        status, built = process_one(document.path, document.path.name)
        if "pyridoxal" in document.template:
            assert status.status == "skipped"
            continue
        assert status.status == "built", status.error
        assert built is not None
        for drug in built[1].drugs:
            monograph_drugs[drug_key(drug.name.text)] = document.path.name
    paired = [d for d in corpus.code_pages if d.paired]
    assert paired
    for page in corpus.code_pages:
        status, built = process_one(page.path, page.path.name)
        assert status.status == "built", status.error
        assert built is not None
        assert [b.code.text for b in built[1].billing_codes] == [page.code]
        keys = {drug_key(d.name.text) for d in built[1].drugs} | {
            drug_key(m.text) for d in built[1].drugs for m in d.other_names
        }
        if page.paired:
            assert drug_key(page.drugs[0]) in keys
            assert drug_key(page.drugs[0]) in monograph_drugs
        else:
            assert not keys & set(monograph_drugs)
