"""Characters that Python's str.splitlines() treats as line ends (U+2028, U+2029, U+0085,
vertical tab, form feed, FS/GS/RS) inside body text never split an N-Triples line: the build
publishes, and every output keeps the text."""

from __future__ import annotations

import json
from pathlib import Path

from rdflib import Dataset, Graph, Literal

from medkg.namespaces import MEDKG
from medkg.pipeline.build import build
from medkg.pipeline.options import BuildOptions

from .conftest import FIXTURES

SEPARATORS = "\u2028\u2029\u0085\x0b\x0c\x1c\x1d\x1e"
ODD = "Odd" + "".join(f"{c}part{n}" for n, c in enumerate(SEPARATORS)) + " end. "
MONOGRAPHS = ("ibuprofen.md", "burosumab.md")  # two drugs: two clusters, shared concepts


def with_separators(source: Path, target: Path) -> None:
    blocks = source.read_text(encoding="utf-8").split("\n\n")
    for k in range(2, len(blocks), 3):  # body blocks, after the front matter
        blocks[k] = ODD + blocks[k]
    target.write_text("\n\n".join(blocks), encoding="utf-8")


def test_separators_in_body_text_build_and_survive_every_format(tmp_path: Path) -> None:
    sources = tmp_path / "src"
    sources.mkdir()
    for name in MONOGRAPHS:
        with_separators(FIXTURES / "corpus" / "monographs" / name, sources / name)
    out = tmp_path / "dist"
    outcome = build([sources], out, BuildOptions(jobs=1))
    assert not outcome.failed

    quads = Dataset()
    quads.parse(out / "medkg.nq", format="nquads")
    turtle = Graph().parse(out / "medkg.ttl", format="turtle")
    quotes = {str(o) for _, _, o, _ in quads.quads((None, MEDKG.quote, None, None))}
    quotes = {q for q in quotes if "part0" in q}
    assert quotes and all(SEPARATORS[0] in q for q in quotes)
    kept = SEPARATORS.replace("\u0085", "")  # U+0085 is the mojibake of "…": ftfy repairs it
    assert any(all(c in q for c in kept) and "…part2" in q for q in quotes)
    assert {o for o in turtle.objects(None, MEDKG.quote) if isinstance(o, Literal)} >= {
        Literal(q) for q in quotes
    }
    assert len(turtle) == len({(s, p, o) for s, p, o, _ in quads.quads((None, None, None, None))})
    text = json.dumps(json.loads((out / "medkg.jsonld").read_text(encoding="utf-8")))
    assert "\\u2028part0" in text


def test_an_incremental_update_with_separators_matches_a_full_build(tmp_path: Path) -> None:
    sources = tmp_path / "src"
    sources.mkdir()
    for name in MONOGRAPHS:
        with_separators(FIXTURES / "corpus" / "monographs" / name, sources / name)
    out, cache = tmp_path / "dist", tmp_path / "cache"
    assert not build([sources], out, BuildOptions(jobs=1, cache_folder=cache)).failed
    changed = sources / MONOGRAPHS[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\x0cA new\u2028closing note.\n")
    assert not build([sources], out, BuildOptions(jobs=1, cache_folder=cache)).failed
    fresh = tmp_path / "fresh"
    assert not build([sources], fresh, BuildOptions(jobs=1)).failed
    for path in sorted(fresh.rglob("*")):
        if path.is_file():
            assert (out / path.relative_to(fresh)).read_bytes() == path.read_bytes(), path.name
