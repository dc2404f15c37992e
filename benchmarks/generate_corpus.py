"""Generate a seeded corpus of document variations from the sample documents.

    python benchmarks/generate_corpus.py OUT_DIR --count 2000 [--seed 1]
    python benchmarks/generate_corpus.py OUT_DIR --monographs 1000 --code-pages 1000 [--seed 1]

Both modes read only the samples under tests/fixtures/corpus and data/sources,
and the same seed gives the same files, byte for byte.

``--count N`` (used by tests/test_generated_corpus.py): N files, cycling
through the samples, each with the variations real documents show: another
drug name (and FDA suffix on code pages), another code, bullet style
(``*   ``, ``-``, ``*``), heading level (``##``/``###``), a missing "Search
all medical codes" line, mojibake (``’`` written as ``â€™``, ``°`` as
``Â°``), a dropped FAQs section, ``•`` bullets on code pages.

``--monographs N --code-pages P`` (the benchmark corpus; a count left out is
0): exactly N monographs (under ``monographs/``) and P code pages (under
``hcpcs/``), built like a real corpus so the work per document is like the
real thing:

* every generated drug has its own name (unique in the corpus), and at most
  ONE billing code, unique per drug; supply and CPT pages get codes of their
  own too, so no two pages share a code;
* most monographs of injected drugs come with the code page of the same drug
  (the page names it with an FDA-like four-letter suffix where its template
  does, and on half of the others), so cross-document linking, derived
  billing units and cross-source comparisons happen as in a real corpus; the
  other pages are drugs without a monograph, supplies and CPT procedures;
* combination products get new component names, brand names and synonyms
  new unique names, so no two documents share a drug by accident;
* doses and billing units vary within each template, consistently inside a
  document (a total dose stays twice the single dose), and layouts vary:
  heading level, blank lines after headings, text on the heading line,
  bullet style, numbered-list spacing, mojibake, dropped FAQs and
  disclaimers, compact and spaced code pages, ``•`` bullets, a missing
  "Search all medical codes" line, refusals instead of a monograph (~2%).
"""

import argparse
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = [
    *sorted((ROOT / "tests" / "fixtures" / "corpus").rglob("*.md")),
    *sorted((ROOT / "tests" / "fixtures" / "corpus").rglob("*.txt")),
    *sorted((ROOT / "data" / "sources").glob("*.txt")),
]
SYLLABLES = ["ro", "ma", "zu", "li", "ve", "ne", "ta", "so", "bi", "qu", "de", "xa"]
STEMS = ["mab", "tinib", "cept", "parin", "stim", "zumab", "ximab", "lutide"]


# --- the --count mode (kept as it was: tests/test_generated_corpus.py relies on it) ----------


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


# --- the --monographs/--code-pages mode: a corpus shaped like a real one ----------------------

CORPUS = "tests/fixtures/corpus"
PAIRED_SHARE = 0.9  # monographs of injected drugs that come with their drug's code page
STUB_WEIGHT = 0.3  # refusals instead of a monograph: about 2% of monographs


@dataclass(frozen=True)
class Knob:
    """One quantity of a template that takes other values. Each option maps literal texts of
    the template to their replacements, all applied together so the document stays consistent
    (the first option is the template's own text)."""

    options: tuple[dict[str, str], ...]


def scaled(literals: dict[str, int], factors: Sequence[float], unit: str) -> Knob:
    """Doses that move together: ``{"105": 1, "210": 2}`` with factor 70 gives 70 and 140."""
    options = []
    for factor in factors:
        option = {}
        for literal, multiple in literals.items():
            option[f"{literal} {unit}"] = f"{_number(factor * multiple)} {unit}"
        options.append(option)
    return Knob(tuple(options))


def choices(literal: str, values: Sequence[str]) -> Knob:
    """One literal that takes one of `values` (the template's own text first)."""
    return Knob(tuple({literal: value} for value in (literal, *values)))


def _number(value: float) -> str:
    """70.0 -> "70", 0.4 -> "0.4" (doses as documents write them)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@dataclass(frozen=True)
class MonographTemplate:
    path: str  # relative to the project root
    names: tuple[str, ...]  # the drug names in the text (a combination: its components)
    family: str  # the kind of names generated for it (STEM_FAMILIES)
    page: str | None  # the code page template about the same drug, if it is billed by code
    weight: float
    knobs: tuple[Knob, ...] = ()
    aliases: tuple[str, ...] = ()  # other names of the drug (synonyms), made unique too
    stub: bool = False  # a refusal, not a monograph (its file name keeps the trailing hyphen)


@dataclass(frozen=True)
class CodePageTemplate:
    path: str
    name: str | None  # the drug the page bills (None: a supply or a procedure)
    family: str
    code: str  # the template's code, replaced by a unique one of the same kind
    code_kind: str  # "drug", "supply", "cpt" (CODE_SPACES)
    weight: float  # share among the pages without a monograph
    knobs: tuple[Knob, ...] = ()
    aliases: tuple[str, ...] = ()  # brand names, made unique too


STEM_FAMILIES = {
    "antibody": ("mab", "zumab", "ximab", "umab", "tamab", "limab"),
    "peptide": ("stim", "plostim", "glutide", "tide", "relin"),
    "small": ("profen", "olol", "pril", "statin", "azole", "oxacin", "idine", "afil"),
    "brand": ("", "a", "o", "ex", "ia", "ra"),
}
NAME_CONSONANTS = "bcdfgklmnprstvz"
NAME_VOWELS = "aeiou"

# A code space is letters x 10,000 numbers (or a numeric range for CPT); codes are drawn
# without replacement, so a code never names two drugs or two pages.
CODE_SPACES: dict[str, tuple[str, int, int]] = {
    "drug": ("JQCS", 0, 10_000),  # HCPCS Level II letters used for drugs and biologicals
    "supply": ("AE", 0, 10_000),  # medical and surgical supplies, equipment
    "cpt": ("", 10_000, 100_000),  # five-digit CPT codes
}

MONOGRAPHS: tuple[MonographTemplate, ...] = (
    MonographTemplate(
        "data/sources/romosozumab-monograph.txt",
        ("Romosozumab",),
        "antibody",
        "data/sources/j3111-code-page.txt",
        3,
        (
            scaled({"105": 1, "210": 2}, (105, 70, 90, 120, 140), "mg"),
            Knob(
                tuple(
                    {"12 months": f"{m} months", "12-month": f"{m}-month"} for m in (12, 6, 18, 24)
                )
            ),
        ),
    ),
    MonographTemplate(
        f"{CORPUS}/monographs/burosumab.md",
        ("Burosumab",),
        "antibody",
        f"{CORPUS}/hcpcs/J0584.txt",
        3,
        (
            choices("0.8 mg/kg", ("0.4 mg/kg", "1.2 mg/kg")),
            choices("1 mg/kg", ("0.5 mg/kg", "2 mg/kg")),
            scaled({"90": 1}, (90, 60, 120), "mg"),
        ),
    ),
    MonographTemplate(
        f"{CORPUS}/monographs/ocrelizumab.md",
        ("Ocrelizumab",),
        "antibody",
        f"{CORPUS}/hcpcs/J2350.txt",
        3,
        (
            scaled({"300": 1, "600": 2}, (300, 150, 200, 400), "mg"),
            scaled({"100": 1}, (100, 125), "mg"),
        ),
    ),
    MonographTemplate(
        f"{CORPUS}/monographs/romiplostim.md",
        ("Romiplostim",),
        "peptide",
        f"{CORPUS}/hcpcs/J2796.txt",
        3,
        (scaled({"10": 1}, (10, 8, 12), "mcg/kg"),),
    ),
    MonographTemplate(
        f"{CORPUS}/monographs/ibuprofen.md",
        ("Ibuprofen",),
        "small",
        None,
        2,
        (
            choices("200 mg to 400 mg", ("100 mg to 200 mg", "400 mg to 800 mg")),
            scaled({"1200": 1}, (1200, 1000, 1600), "mg"),
            scaled({"3200": 1}, (3200, 2400), "mg"),
        ),
    ),
    MonographTemplate(
        f"{CORPUS}/monographs/paracetamol-codeine.md",
        ("Paracetamol", "Codeine"),
        "small",
        None,
        1,
        (
            scaled({"500": 1}, (500, 325), "mg"),
            scaled({"30": 1}, (30, 8, 15, 60), "mg"),
            scaled({"4000": 1}, (4000, 3000), "mg"),
            choices("8 tablets", ("6 tablets", "10 tablets")),
        ),
        aliases=("acetaminophen",),
    ),
    MonographTemplate(
        f"{CORPUS}/monographs/pyridoxal-.md",
        ("Pyridoxal",),
        "small",
        None,
        STUB_WEIGHT,
        stub=True,
    ),
)

CODE_PAGES: tuple[CodePageTemplate, ...] = (
    CodePageTemplate(
        "data/sources/j3111-code-page.txt",
        "romosozumab",
        "antibody",
        "J3111",
        "drug",
        1,
        (choices("1 mg", ("5 mg", "10 mg")), choices("30 minutes", ("20 minutes", "45 minutes"))),
    ),
    CodePageTemplate(
        f"{CORPUS}/hcpcs/J0584.txt",
        "burosumab",
        "antibody",
        "J0584",
        "drug",
        1,
        (choices("1 mg", ("5 mg", "10 mg")),),
    ),
    CodePageTemplate(
        f"{CORPUS}/hcpcs/J2350.txt",
        "ocrelizumab",
        "antibody",
        "J2350",
        "drug",
        1,
        (choices("1 mg", ("10 mg",)), choices("2 to 4 hours", ("3 to 4 hours",))),
    ),
    CodePageTemplate(
        f"{CORPUS}/hcpcs/J2796.txt",
        "romiplostim",
        "peptide",
        "J2796",
        "drug",
        1,
        (choices("10 micrograms", ("5 micrograms", "1 microgram")),),
        aliases=("Nplate",),
    ),
    CodePageTemplate(
        f"{CORPUS}/hcpcs/A4206.txt",
        None,
        "brand",
        "A4206",
        "supply",
        2,
        (choices("1 cc", ("3 cc", "5 cc")),),
    ),
    CodePageTemplate(f"{CORPUS}/hcpcs/96372.txt", None, "brand", "96372", "cpt", 2),
)


@dataclass(frozen=True)
class GeneratedDocument:
    """One written file: what it is, which template it varies, and what it is about."""

    path: Path
    kind: str  # "monograph" or "code-page"
    template: str  # the sample's path relative to the project root
    drugs: tuple[str, ...]  # names of the drugs it is about (as written in it)
    code: str | None  # the billing code of a code page
    paired: bool  # a monograph and the code page of the same drug are both in the corpus


@dataclass(frozen=True)
class GeneratedCorpus:
    folder: Path
    documents: tuple[GeneratedDocument, ...]

    @property
    def monographs(self) -> list[GeneratedDocument]:
        return [d for d in self.documents if d.kind == "monograph"]

    @property
    def code_pages(self) -> list[GeneratedDocument]:
        return [d for d in self.documents if d.kind == "code-page"]


class NameMaker:
    """Pronounceable names with a stem of their family, never the same name twice."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def make(self, family: str) -> str:
        while True:
            syllables = self.rng.choice((2, 3, 3))
            stem = "".join(
                self.rng.choice(NAME_CONSONANTS) + self.rng.choice(NAME_VOWELS)
                for _ in range(syllables)
            )
            name = (stem + self.rng.choice(STEM_FAMILIES[family])).capitalize()
            if name.lower() not in self.used:
                self.used.add(name.lower())
                return name


def fda_suffix(rng: random.Random) -> str:
    """Four lower-case letters, as the FDA appends to biologic names (``-aqqg``)."""
    return "".join(rng.choice("abcdefghjkmnpqrstvwxyz") for _ in range(4))


def draw_codes(rng: random.Random, kind: str, count: int) -> list[str]:
    """`count` distinct codes of `kind`; ValueError when its code space is too small."""
    letters, low, high = CODE_SPACES[kind]
    size = max(len(letters), 1) * (high - low)
    if count > size:
        raise ValueError(f"{count} {kind} codes asked for, only {size} exist")
    codes = []
    for number in rng.sample(range(size), count):
        if letters:
            codes.append(f"{letters[number // (high - low)]}{low + number % (high - low):04d}")
        else:
            codes.append(f"{low + number:05d}")
    return codes


@cache
def sample_text(path: str) -> str:
    return (ROOT / path).read_text(encoding="utf-8")


def read_template(path: str, knobs: Sequence[Knob], names: Sequence[str]) -> str:
    """The sample's text; ValueError when a literal the generator varies is not in it."""
    text = sample_text(path)
    for knob in knobs:
        for literal in knob.options[0]:
            if not _literal(literal).search(text):
                raise ValueError(f"{path}: no {literal!r} in the sample; update the generator")
    for name in names:
        if not re.search(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
            raise ValueError(f"{path}: the sample does not name {name!r}; update the generator")
    return text


def _literal(literal: str) -> re.Pattern[str]:
    """A quantity literal as a whole ("1 mg" not inside "21 mg" nor "1 mg/kg")."""
    return re.compile(rf"(?<![\w.]){re.escape(literal)}(?![\w/])")


def turn_knobs(text: str, knobs: Sequence[Knob], rng: random.Random) -> str:
    """Choose an option of every knob and replace all their literals in one pass."""
    mapping: dict[str, str] = {}
    for knob in knobs:
        mapping.update(rng.choice(knob.options))
    if not mapping:
        return text
    literals = sorted(mapping, key=len, reverse=True)
    pattern = re.compile("|".join(_literal(literal).pattern for literal in literals))
    return pattern.sub(lambda match: mapping[match.group(0)], text)


def rename(text: str, old: str, new: str) -> str:
    """Every whole-word `old` (any case) as `new` in the same case (Old/old/OLD)."""

    def same_case(match: re.Match[str]) -> str:
        found = match.group(0)
        if found.isupper() and len(found) > 1:
            return new.upper()
        if found[0].isupper():
            return new[0].upper() + new[1:]
        return new.lower()

    return re.sub(rf"\b{re.escape(old)}\b", same_case, text, flags=re.IGNORECASE)


def mojibake(text: str, rng: random.Random) -> str:
    """Some typographic characters written as UTF-8 read as Windows-1252 (``’`` -> ``â€™``)."""
    text = re.sub(r"(?<=\w)'(?=\w)", "’", text)
    for char in "’°²≥×–":
        if char in text and rng.random() < 0.7:
            broken = char.encode("utf-8").decode("cp1252")
            text = text.replace(char, broken, rng.randint(1, 3))
    return text


def vary_monograph_layout(text: str, rng: random.Random) -> str:
    """Heading level and spacing, text on heading lines, bullets, dropped sections, mojibake."""
    if rng.random() < 0.3:
        text = re.sub(r"^### ", "## ", text, flags=re.MULTILINE)
    if rng.random() < 0.3:  # a blank line after every section heading
        text = re.sub(r"^(#{2,3} [^\n]+)\n(?=[^\n])", r"\1\n\n", text, flags=re.MULTILINE)
    elif rng.random() < 0.15:  # text on the heading line ("### Usage:  Text ...")
        text = re.sub(
            r"^(#{2,3} (?:Usage|Dosage|How it Works))\n\n?(?=[A-Z][a-z])",
            r"\1:  ",
            text,
            flags=re.MULTILINE,
        )
    bullet = rng.choice(["*   ", "- ", "* "])
    text = re.sub(r"^\*   ", bullet, text, flags=re.MULTILINE)
    if rng.random() < 0.5:
        text = re.sub(r"^(\d+\.)  ", r"\1 ", text, flags=re.MULTILINE)
    if rng.random() < 0.25:
        text = re.sub(
            r"\n#{2,3} FAQs.*?(?=\n\*\*Disclaimer|\n\*\*Note|\Z)", "\n", text, flags=re.DOTALL
        )
    if rng.random() < 0.15:
        text = re.sub(r"\n\*\*(?:Disclaimer|Note):\*\*[^\n]*\n?\Z", "\n", text)
    if rng.random() < 0.3:
        text = mojibake(text, rng)
    return text


def spaced(text: str) -> str:
    """A compact code page as a spaced one: blank lines between lines, indented ``•`` bullets."""
    lines = [re.sub(r"^- ", "  • ", line) for line in text.strip("\n").split("\n") if line]
    return "\n\n".join(lines) + "\n"


def compact(text: str) -> str:
    """A spaced code page as a compact one: no blank lines, ``- `` bullets, flush numbers."""
    lines = [line for line in text.split("\n") if line.strip()]
    lines = [re.sub(r"^\s*•\s+", "- ", re.sub(r"^\s+(\d+\.)", r"\1", line)) for line in lines]
    return "\n".join(lines) + "\n"


def vary_code_page_layout(text: str, rng: random.Random) -> str:
    """Compact/spaced layout, ``•`` bullets, a missing "Search all medical codes" line."""
    is_spaced = "\n\n" in text.strip() and "  •" in text
    if is_spaced and rng.random() < 0.3:
        text, is_spaced = compact(text), False
    elif not is_spaced and rng.random() < 0.2:
        text, is_spaced = spaced(text), True
    if not is_spaced and rng.random() < 0.25:
        text = re.sub(r"^- ", "• ", text, flags=re.MULTILINE)
    if rng.random() < 0.3:
        text = re.sub(r"\ASearch all medical codes\n+", "", text)
    return text


@dataclass
class _Planned:
    """A document to write: its template and the names it will carry."""

    kind: str
    template: MonographTemplate | CodePageTemplate
    names: list[str]
    aliases: list[str]
    paired: bool = False
    code: str | None = None


def plan(rng: random.Random, names: NameMaker, monographs: int, code_pages: int) -> list[_Planned]:
    """Which template each document varies and which drug it is about."""
    by_path = {t.path: t for t in CODE_PAGES}
    planned: list[_Planned] = []
    pages: list[_Planned] = []
    for template in rng.choices(MONOGRAPHS, [t.weight for t in MONOGRAPHS], k=monographs):
        drug_names = [names.make(template.family) for _ in template.names]
        aliases = [names.make(template.family) for _ in template.aliases]
        monograph = _Planned("monograph", template, drug_names, aliases)
        planned.append(monograph)
        if template.page and len(pages) < code_pages and rng.random() < PAIRED_SHARE:
            page = by_path[template.page]
            monograph.paired = True
            brands = [names.make("brand") for _ in page.aliases]
            pages.append(_Planned("code-page", page, drug_names[:1], brands, paired=True))
    weights = [t.weight for t in CODE_PAGES]
    for page in rng.choices(CODE_PAGES, weights, k=code_pages - len(pages)):
        drug_names = [names.make(page.family)] if page.name else []
        brands = [names.make("brand") for _ in page.aliases]
        pages.append(_Planned("code-page", page, drug_names, brands))
    for kind in CODE_SPACES:
        wanted = [
            p
            for p in pages
            if isinstance(p.template, CodePageTemplate) and p.template.code_kind == kind
        ]
        for page_plan, code in zip(wanted, draw_codes(rng, kind, len(wanted)), strict=True):
            page_plan.code = code
    return planned + pages


def render_monograph(item: _Planned, rng: random.Random) -> tuple[str, str]:
    """(file name, text) of a monograph."""
    template = item.template
    assert isinstance(template, MonographTemplate)
    text = read_template(template.path, template.knobs, template.names + template.aliases)
    text = turn_knobs(text, template.knobs, rng)
    for old, new in zip(template.names + template.aliases, item.names + item.aliases, strict=True):
        text = rename(text, old, new)
    text = vary_monograph_layout(text, rng)
    stem = "-".join(name.lower() for name in item.names)
    if template.stub:
        stem += "-"
    file_name = f"{stem}-monograph.txt" if rng.random() < 0.2 else f"{stem}.md"
    return file_name, text


def render_code_page(item: _Planned, rng: random.Random) -> tuple[str, str]:
    """(file name, text) of a code page."""
    template = item.template
    assert isinstance(template, CodePageTemplate) and item.code is not None
    names = ((template.name,) if template.name else ()) + template.aliases
    text = read_template(template.path, template.knobs, names)
    text = turn_knobs(text, template.knobs, rng)
    text = re.sub(rf"\b{re.escape(template.code)}\b", item.code, text)
    if template.name:
        drug = item.names[0].lower()
        has_suffix = re.search(rf"\b{template.name}-[a-z]{{4}}\b", text) is not None
        text = re.sub(rf"\b{template.name}-[a-z]{{4}}\b", f"{drug}-{fda_suffix(rng)}", text)
        text = rename(text, template.name, drug)
        if not has_suffix and rng.random() < 0.5:  # the descriptor names the drug with a suffix
            text = re.sub(rf"(Injection, ){drug}\b", rf"\g<1>{drug}-{fda_suffix(rng)}", text)
    for old, new in zip(template.aliases, item.aliases, strict=True):
        text = rename(text, old, new)
    text = vary_code_page_layout(text, rng)
    file_name = f"{item.code.lower()}-code-page.txt" if rng.random() < 0.2 else f"{item.code}.txt"
    return file_name, text


def generate_corpus(out: Path, monographs: int, code_pages: int, seed: int = 1) -> GeneratedCorpus:
    """Write exactly `monographs` monographs and `code_pages` code pages under `out`."""
    if monographs < 0 or code_pages < 0:
        raise ValueError("document counts must be 0 or more")
    rng = random.Random(seed)
    planned = plan(rng, NameMaker(rng), monographs, code_pages)
    written: list[GeneratedDocument] = []
    renderers: dict[str, tuple[str, Callable[[_Planned, random.Random], tuple[str, str]]]] = {
        "monograph": ("monographs", render_monograph),
        "code-page": ("hcpcs", render_code_page),
    }
    for item in planned:
        folder, render = renderers[item.kind]
        file_name, text = render(item, rng)
        path = out / folder / file_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(
            GeneratedDocument(
                path, item.kind, item.template.path, tuple(item.names), item.code, item.paired
            )
        )
    return GeneratedCorpus(out, tuple(written))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--count",
        type=int,
        default=2000,
        help="N variations cycling through the samples (default mode)",
    )
    parser.add_argument(
        "--monographs",
        type=int,
        default=None,
        metavar="N",
        help="exactly N monographs (with --code-pages: a corpus like a real one)",
    )
    parser.add_argument(
        "--code-pages", type=int, default=None, metavar="N", help="exactly N code pages"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.monographs is None and args.code_pages is None:
        written = generate(args.out, args.count, args.seed)
        print(f"wrote {len(written)} documents to {args.out}")
        return 0
    corpus = generate_corpus(args.out, args.monographs or 0, args.code_pages or 0, args.seed)
    paired = sum(1 for d in corpus.monographs if d.paired)
    print(
        f"wrote {len(corpus.monographs)} monographs and {len(corpus.code_pages)} code pages "
        f"to {args.out} ({paired} drugs with both)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
