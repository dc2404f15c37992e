"""Generate a seeded corpus of document variations from the sample documents.

    python benchmarks/generate_corpus.py OUT_DIR --count 2000 [--seed 1]

Each generated file is one of the sample monographs or code pages
(tests/fixtures/corpus, data/sources) with the variations real documents
show: another drug name (and FDA suffix on code pages), another code, bullet
style (``*   ``, ``-``, ``*``), heading level (``##``/``###``), a missing
"Search all medical codes" line, mojibake (``’`` written as ``â€™``,
``°`` as ``Â°``), a dropped FAQs section, ``•`` bullets on code pages. The
same seed gives the same files, byte for byte.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [
    *sorted((ROOT / "tests" / "fixtures" / "corpus").rglob("*.md")),
    *sorted((ROOT / "tests" / "fixtures" / "corpus").rglob("*.txt")),
    *sorted((ROOT / "data" / "sources").glob("*.txt")),
]
SYLLABLES = ["ro", "ma", "zu", "li", "ve", "ne", "ta", "so", "bi", "qu", "de", "xa"]
STEMS = ["mab", "tinib", "cept", "parin", "stim", "zumab", "ximab", "lutide"]


def drug_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(STEMS)


def title_of(text: str) -> str | None:
    match = re.search(r"^title:\s*(.+?)\s*$", text, re.MULTILINE)
    if match:
        return match.group(1)
    match = re.search(r"^Injection,\s*([A-Za-z][\w-]*)", text, re.MULTILINE)
    return match.group(1) if match else None


def vary_monograph(text: str, rng: random.Random, name: str) -> str:
    old = title_of(text)
    if old and "+" not in old and len(old) > 3 and not old.endswith("-"):
        text = re.sub(re.escape(old), name.capitalize(), text, flags=re.IGNORECASE)
    if rng.random() < 0.3:
        text = re.sub(r"^### ", "## ", text, flags=re.MULTILINE)
    bullet = rng.choice(["*   ", "- ", "* "])
    text = re.sub(r"^\*   ", bullet, text, flags=re.MULTILINE)
    if rng.random() < 0.3:
        text = re.sub(r"\n#{2,3} FAQs.*?(?=\n\*\*Disclaimer|\Z)", "\n", text, flags=re.DOTALL)
    if rng.random() < 0.3:
        text = text.replace("'", "’").replace("’", "â€™", 2)
    return text


def vary_code_page(text: str, rng: random.Random, name: str) -> str:
    old = title_of(text)
    if old:
        base = re.sub(r"-[a-z]{4}$", "", old)
        suffix = "-" + "".join(rng.choice("abcdefghjkmnpqrstvwxyz") for _ in range(4))
        text = re.sub(re.escape(old), name + (suffix if rng.random() < 0.5 else ""), text)
        text = re.sub(re.escape(base), name, text, flags=re.IGNORECASE)
    code = re.search(r"\b([A-V])(\d{4})\b", text)
    if code:
        text = text.replace(code.group(0), f"{code.group(1)}{rng.randint(1000, 9999)}")
    if rng.random() < 0.3:
        text = text.replace("Search all medical codes\n", "", 1)
    if rng.random() < 0.3:
        text = re.sub(r"^- ", "• ", text, flags=re.MULTILINE)
    return text


def generate(out: Path, count: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for number in range(count):
        sample = SAMPLES[number % len(SAMPLES)]
        text = sample.read_text(encoding="utf-8")
        name = drug_name(rng)
        is_page = "HCPCS code" in text or "CPT4 code" in text
        varied = vary_code_page(text, rng, name) if is_page else vary_monograph(text, rng, name)
        path = out / f"{number:05d}-{sample.stem}{'.txt' if is_page else '.md'}"
        path.write_text(varied, encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    written = generate(args.out, args.count, args.seed)
    print(f"wrote {len(written)} documents to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
