"""Extracting facts from code pages: the seed's gold facts and the corpus variations."""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medkg.errors import SourceError
from medkg.extract.code_page import extract
from medkg.extract.code_page.descriptor import descriptor_words
from medkg.model import Band, Document, Evidence, Extraction, Mention, ProcedureFact
from medkg.parse.code_page import HEADINGS, parse
from medkg.read.decode import read_source

HERE = Path(__file__).resolve().parent
SEED = HERE.parent / "data" / "sources" / "j3111-code-page.txt"
CORPUS = HERE / "fixtures" / "corpus" / "hcpcs"
PAGES = [SEED, *sorted(CORPUS.glob("*.txt"))]


def _extract(path: Path) -> Extraction:
    source = read_source(path)
    return extract(parse(source.text, source.name))


def _texts(mentions: tuple[Mention, ...]) -> list[str]:
    return [m.text for m in mentions]


def _procedure(extraction: Extraction) -> ProcedureFact:
    assert len(extraction.procedures) == 1
    return extraction.procedures[0]


def _evidence_in(document: Document, value: object) -> list[Evidence]:
    """Every Evidence inside a fact, checking mention text == quote on the way."""
    if isinstance(value, Evidence):
        return [value]
    if isinstance(value, Mention):
        assert value.text == value.evidence.quote
    if isinstance(value, tuple):
        return [ev for item in value for ev in _evidence_in(document, item)]
    if is_dataclass(value) and not isinstance(value, type):
        return [
            ev
            for f in fields(value)
            if f.name != "document"
            for ev in _evidence_in(document, getattr(value, f.name))
        ]
    return []


def _assert_evidence_exact(extraction: Extraction) -> None:
    document = extraction.document
    for ev in _evidence_in(document, extraction):
        assert ev.document == document.source
        assert document.text[ev.start : ev.end] == ev.quote, ev


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_every_evidence_quote_is_its_exact_span(path: Path) -> None:
    _assert_evidence_exact(_extract(path))


# --------------------------------------------------------------------------
# Seed: every hcpcs and procedure fact of the gold standard
# --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> Extraction:
    return _extract(SEED)


def test_seed_billing_code(seed: Extraction) -> None:
    (code,) = seed.billing_codes
    assert code.system == "HCPCS"
    assert (code.code.text, code.code.evidence.start, code.code.evidence.end) == ("J3111", 186, 191)
    assert code.code.evidence.section == "Name of the Procedure"
    assert code.descriptor.text == "Injection, romosozumab-aqqg, 1 mg"
    assert (code.descriptor.evidence.start, code.descriptor.evidence.end) == (25, 58)
    assert code.billing_unit is not None
    assert (code.billing_unit.value, code.billing_unit.unit) == (Decimal(1), "mg")
    assert code.billing_unit.evidence.quote == "1 mg"
    assert not code.billing_unit.maximum
    assert code.unit_is_each is False
    [drug_name] = code.drug_names
    assert (drug_name.text, drug_name.evidence.start) == ("romosozumab-aqqg", 36)


def test_seed_drug(seed: Extraction) -> None:
    (drug,) = seed.drugs
    assert drug.name.text == "Romosozumab"
    assert drug.name.evidence.section == "Summary"
    assert drug.name.evidence.start == 201
    assert _texts(drug.other_names) == ["romosozumab-aqqg"]


def test_seed_procedure_names(seed: Extraction) -> None:
    procedure = _procedure(seed)
    assert procedure.code.text == "J3111"
    assert procedure.common_name is not None and procedure.medical_term is not None
    assert procedure.common_name.text == "Injection of romosozumab"
    assert procedure.medical_term.text == "Injection, romosozumab-aqqg, 1 mg"
    assert procedure.medical_term.evidence.start == 145
    assert procedure.summary is not None
    assert procedure.summary.text.startswith("Romosozumab is an injectable medication")
    assert procedure.summary.text.endswith("through a subcutaneous injection.")
    assert [(r.text, r.evidence.section) for r in procedure.routes] == [("subcutaneous", "Summary")]


def test_seed_purpose_and_lists(seed: Extraction) -> None:
    procedure = _procedure(seed)
    assert _texts(procedure.purpose) == [
        "Romosozumab is primarily used to treat osteoporosis, particularly in postmenopausal "
        "women who are at high risk for fractures.",
        "The goal is to strengthen bones and reduce the risk of fractures.",
    ]
    assert _texts(procedure.goals) == ["strengthen bones", "reduce the risk of fractures"]
    assert _texts(procedure.indications) == [
        "History of osteoporotic fracture",
        "Multiple risk factors for fracture",
        "Failure or intolerance to other osteoporosis treatments",
    ]
    assert _texts(procedure.preparation) == [
        "No specific fasting or dietary restrictions",
        "Inform the healthcare provider of all current medications and allergies",
        "Blood tests may be conducted to assess calcium levels",
    ]
    assert _texts(procedure.steps) == [
        "The patient is positioned comfortably.",
        "The injection site (usually the abdomen or upper thigh) is cleansed with an antiseptic.",
        "Romosozumab is administered via a subcutaneous injection.",
        "The procedure does not typically require anesthesia or sedation.",
    ]
    assert _texts(procedure.benefits) == [
        "Increased bone density",
        "Reduced risk of fractures, often noticeable within 12 months",
    ]
    assert _texts(procedure.recovery) == [
        "Minimal recovery time is needed",
        "Patients can typically resume normal activities immediately",
        "Follow-up appointments are essential to monitor bone density and overall health",
    ]
    assert len(procedure.patient_experience) == 3
    assert procedure.patient_experience[0].text.startswith("The injection procedure is generally")


def test_seed_sites_anesthesia_duration_setting(seed: Extraction) -> None:
    procedure = _procedure(seed)
    assert [(m.text, m.evidence.start) for m in procedure.body_sites] == [
        ("abdomen", 1018),
        ("upper thigh", 1029),
    ]
    assert procedure.anesthesia_required is False
    assert procedure.anesthesia_evidence is not None
    assert procedure.anesthesia_evidence.quote == (
        "The procedure does not typically require anesthesia or sedation."
    )
    injection, appointment = procedure.durations
    assert (injection.of, injection.quantity, injection.text) == (
        "procedure",
        None,
        "a few minutes",
    )
    assert appointment.of == "appointment"
    assert appointment.quantity is not None
    assert (appointment.quantity.value, appointment.quantity.unit) == (Decimal(30), "min")
    assert appointment.quantity.approximate is True
    assert appointment.quantity.evidence.quote == "around 30 minutes"
    assert _texts(procedure.settings) == ["outpatient clinic", "physician's office"]


def test_seed_personnel(seed: Extraction) -> None:
    nurse, physician = _procedure(seed).personnel
    assert (nurse.who.text, nurse.role, nurse.optional) == (
        "trained nurse or healthcare professional",
        "administers",
        False,
    )
    assert (physician.who.text, physician.role, physician.optional) == (
        "physician",
        "supervises",
        True,
    )
    assert physician.evidence.quote == "A physician may be present to oversee the procedure."


def test_seed_risks(seed: Extraction) -> None:
    risks = _procedure(seed).risks
    assert [(r.risk.text, r.band, r.frequency_text) for r in risks] == [
        ("mild pain or redness at the injection site", Band.COMMON, "Common risks"),
        ("headache", Band.COMMON, "Common risks"),
        ("joint pain", Band.COMMON, "Common risks"),
        ("allergic reactions", Band.RARE, "Rare risks"),
        ("cardiovascular events such as heart attack or stroke", Band.RARE, "Rare risks"),
    ]
    assert risks[4].risk.glosses == ("heart attack", "stroke")
    assert risks[0].evidence.quote.startswith("Common risks: mild pain")


def test_seed_alternatives_and_statements(seed: Extraction) -> None:
    alternatives = _procedure(seed).alternatives
    assert _texts(alternatives) == [
        "bisphosphonates",
        "hormone replacement therapy",
        "lifestyle modifications (diet and exercise)",
    ]
    assert alternatives[2].glosses == ("diet and exercise",)
    assert [(s.kind, s.evidence.section, s.evidence.quote) for s in seed.statements] == [
        (
            "unstructured",
            "Alternatives",
            "Each alternative varies in efficacy, side effects, and patient suitability",
        ),
    ]


# --------------------------------------------------------------------------
# Corpus: the EXPECTED.yaml `hcpcs:` entries and the variations they show
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "code", "system", "descriptor", "unit", "drug"),
    [
        ("J0584.txt", "J0584", "HCPCS", "Injection, burosumab-twza 1 mg", (1, "mg"), "Burosumab"),
        ("J2350.txt", "J2350", "HCPCS", "Injection, ocrelizumab, 1 mg", (1, "mg"), "Ocrelizumab"),
        (
            "J2796.txt",
            "J2796",
            "HCPCS",
            "Injection, romiplostim, 10 micrograms",
            (10, "ug"),
            "Romiplostim",
        ),
        (
            "A4206.txt",
            "A4206",
            "HCPCS",
            "Syringe with needle, sterile, 1 cc or less, each",
            (1, "{each}"),
            None,
        ),
        (
            "96372.txt",
            "96372",
            "CPT",
            "Therapeutic, prophylactic, or diagnostic injection (specify substance or drug); "
            "subcutaneous or intramuscular",
            None,
            None,
        ),
    ],
)
def test_corpus_billing_codes(
    page: str,
    code: str,
    system: str,
    descriptor: str,
    unit: tuple[int, str] | None,
    drug: str | None,
) -> None:
    extraction = _extract(CORPUS / page)
    (fact,) = extraction.billing_codes
    assert (fact.code.text, fact.system, fact.descriptor.text) == (code, system, descriptor)
    if unit is None:
        assert fact.billing_unit is None
    else:
        assert fact.billing_unit is not None
        assert (fact.billing_unit.value, fact.billing_unit.unit) == (Decimal(unit[0]), unit[1])
    assert [d.name.text for d in extraction.drugs] == ([drug] if drug else [])
    assert len(fact.drug_names) == (1 if drug else 0)


def test_suffixed_descriptor_name_without_comma() -> None:
    extraction = _extract(CORPUS / "J0584.txt")
    (fact,) = extraction.billing_codes
    assert [name.text for name in fact.drug_names] == ["burosumab-twza"]
    assert _texts(extraction.drugs[0].other_names) == ["burosumab-twza"]


def test_unsuffixed_drug_has_no_other_name() -> None:
    (drug,) = _extract(CORPUS / "J2350.txt").drugs
    assert drug.other_names == ()


def test_each_is_a_count_unit() -> None:
    (fact,) = _extract(CORPUS / "A4206.txt").billing_codes
    assert fact.unit_is_each is True
    assert fact.billing_unit is not None and fact.billing_unit.evidence.quote == "each"


@pytest.mark.parametrize(
    ("page", "routes", "settings_", "sites"),
    [
        (
            "J0584.txt",
            ["under the skin"],
            ["physician's office", "outpatient clinic"],
            ["upper arm", "upper thigh", "buttocks", "abdomen"],
        ),
        ("J2350.txt", ["intravenous"], ["Infusion center", "Hospital outpatient department"], []),
        ("J2796.txt", ["under the skin"], ["clinic", "physician's office"], []),
        (
            "96372.txt",
            ["under the skin", "into a muscle"],  # "by injection under the skin or into a muscle"
            ["Physician's office", "outpatient clinic", "hospital outpatient department"],
            [],
        ),
        ("A4206.txt", [], ["Home", "clinic", "hospital"], []),
    ],
)
def test_corpus_route_settings_sites(
    page: str, routes: list[str], settings_: list[str], sites: list[str]
) -> None:
    procedure = _procedure(_extract(CORPUS / page))
    assert _texts(procedure.routes) == routes
    assert _texts(procedure.settings) == settings_
    assert _texts(procedure.body_sites) == sites


def test_cpt_page_names_from_prose() -> None:
    procedure = _procedure(_extract(CORPUS / "96372.txt"))
    assert procedure.common_name is not None and procedure.medical_term is not None
    assert procedure.common_name.text == "subcutaneous or intramuscular injection"
    assert procedure.medical_term.text == (
        "Therapeutic, prophylactic, or diagnostic injection; subcutaneous or intramuscular"
    )
    assert [(p.who.text, p.role) for p in procedure.personnel] == [
        ("Nurse", "performs"),
        ("medical assistant", "performs"),
        ("physician", "performs"),
    ]
    (duration,) = procedure.durations
    assert duration.quantity is not None
    assert (duration.quantity.low, duration.quantity.high, duration.quantity.approximate) == (
        Decimal(5),
        Decimal(10),
        True,
    )


def test_bulleted_name_block_and_labelled_purpose() -> None:
    extraction = _extract(CORPUS / "J2350.txt")
    procedure = _procedure(extraction)
    assert procedure.common_name is not None and procedure.medical_term is not None
    assert procedure.common_name.text == "Ocrelizumab infusion"
    assert procedure.medical_term.text == "Anti-CD20 monoclonal antibody intravenous infusion"
    assert _texts(procedure.purpose) == [
        "Relapsing forms of multiple sclerosis",
        "Primary progressive multiple sclerosis",
    ]
    assert _texts(procedure.goals) == ["Fewer relapses", "Slower progression of disability"]
    assert [(d.of, d.text) for d in procedure.durations] == [
        ("procedure", "about 2 to 4 hours"),
        ("observation", "one hour"),
    ]
    assert procedure.risks[0].risk.glosses == ("itching", "rash", "throat irritation", "flushing")
    assert _texts(procedure.alternatives) == ["interferon beta", "natalizumab"]
    assert [(p.who.text, p.role) for p in procedure.personnel] == [
        ("Infusion nurse", "performs"),
        ("Neurologist", "supervises"),
    ]
    assert extraction.statements == ()


def test_active_voice_personnel_and_prose_goals() -> None:
    procedure = _procedure(_extract(CORPUS / "J0584.txt"))
    assert [(p.who.text, p.role, p.optional) for p in procedure.personnel] == [
        ("nurse or other trained healthcare professional", "administers", False),
        ("physician", "supervises", False),
    ]
    assert _texts(procedure.goals) == [
        "restore normal phosphate levels",
        "heal rickets and osteomalacia",
        "reduce bone pain",
    ]
    assert procedure.anesthesia_required is False
    assert [(d.of, d.text) for d in procedure.durations] == [
        ("procedure", "about 5 minutes"),
        ("appointment", "15 to 30 minutes"),
    ]


def test_spaced_page_names_and_leftovers() -> None:
    extraction = _extract(CORPUS / "J2796.txt")
    procedure = _procedure(extraction)
    assert procedure.common_name is not None and procedure.medical_term is not None
    assert procedure.common_name.text == "Romiplostim injection"
    assert procedure.medical_term.text == "Thrombopoietin receptor agonist injection"
    assert procedure.code.evidence.section == "Untitled"
    assert len(procedure.steps) == 4
    assert [s.evidence.quote for s in extraction.statements] == [
        "Nplate shot",
        "Injection of Romiplostim (J2796)",
    ]


def test_orphan_text_of_dropped_headings_is_kept() -> None:
    extraction = _extract(CORPUS / "A4206.txt")
    procedure = _procedure(extraction)
    assert procedure.summary is None and procedure.purpose == () and procedure.indications == ()
    assert procedure.medical_term is not None
    assert procedure.medical_term.text == "Syringe with needle, sterile, 1 cc or less, each"
    assert [(s.evidence.section, s.evidence.quote) for s in extraction.statements] == [
        (
            "Untitled",
            "Sterile 1 cc syringes with an attached needle are used to give small "
            "volumes of medicine, such as insulin or vaccines, under the skin or into a "
            "muscle.",
        ),
        ("Untitled", "Accurate measurement of small doses"),
        ("Untitled", "Single use to prevent infection"),
        ("Untitled", "Patients who inject medicines at home"),
        ("Untitled", "Clinics giving vaccines or subcutaneous medicines"),
    ]
    (duration,) = procedure.durations
    assert duration.quantity is not None
    assert (duration.quantity.value, duration.quantity.unit, duration.quantity.maximum) == (
        Decimal(1),
        "min",
        True,
    )


# --------------------------------------------------------------------------
# Rules on small pages
# --------------------------------------------------------------------------


def _page(descriptor: str, body: str, code: str = "(HCPCS J1234)") -> Extraction:
    text = f"{descriptor}\nHCPCS code\nName of the Procedure\nA name {code}\n{body}"
    return extract(parse(text, "page.txt"))


def test_up_to_unit_is_a_maximum() -> None:
    (fact,) = _page("Injection, cyanocobalamin, up to 1,000 mcg", "").billing_codes
    assert fact.billing_unit is not None
    assert (fact.billing_unit.value, fact.billing_unit.unit) == (Decimal(1000), "ug")
    assert fact.billing_unit.maximum is True
    assert fact.billing_unit.evidence.quote == "up to 1,000 mcg"


def test_cpt_shaped_code_is_never_hcpcs() -> None:
    (fact,) = _page("Some procedure", "", code="(96372)").billing_codes
    assert (fact.code.text, fact.system) == ("96372", "CPT")


def test_anesthesia_not_stated_is_none_and_stated_is_true() -> None:
    assert _procedure(_page("X", "Summary\nA short visit.\n")).anesthesia_required is None
    stated = _procedure(_page("X", "Procedure Description\n- Local anesthesia is required.\n"))
    assert stated.anesthesia_required is True


def test_summary_uses_all_its_sentences() -> None:
    extraction = _page("X", "Summary\nFirst sentence. Second sentence.\n")
    assert _procedure(extraction).summary is not None
    assert extraction.statements == ()


_PIECES = st.sampled_from(
    [
        *HEADINGS,
        "HCPCS code",
        "Injection, x-abcd, 1 mg",
        "(HCPCS J1234)",
        "- ",
        "• ",
        "1. ",
        "",
        "Goals:",
        "Common risks: a, b such as c, d",
        "Common Name: x Medical Term: y",
        "The site (usually the arm) is cleaned.",
        "No anesthesia.",
        "about 5 minutes; visit lasts",
        "at least one hour",
        "A nurse may be present to oversee it.",
        "administered by",
        "such as",
        "commonly known as",
        ":",
        "a few minutes",
        "less than a minute",
        "The goal is to",
        "in",
        "(",
    ]
)
_LINE = st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=4).map(" ".join)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(_LINE, st.lists(_LINE, max_size=20).map("\n".join))
def test_extraction_of_any_page_keeps_exact_evidence(descriptor: str, body: str) -> None:
    text = f"{descriptor}\nHCPCS code\n(HCPCS J1234)\n{body}"
    try:
        document = parse(text, "fuzzed.txt")
    except SourceError:
        return
    _assert_evidence_exact(extract(document))


def test_setting_list_follows_the_verb() -> None:
    body = "Setting\nIn most cases, the procedure is performed in a hospital or a day clinic.\n"
    assert _texts(_procedure(_page("X", body)).settings) == ["hospital", "day clinic"]


def test_under_anesthesia_is_required_and_under_the_skin_is_not() -> None:
    done = _procedure(_page("X", "Procedure Description\n- Done under general anesthesia.\n"))
    assert done.anesthesia_required is True
    body = "Procedure Description\n- A local anesthetic goes under the skin.\n"
    skin = _procedure(_page("X", body))
    assert skin.anesthesia_required is None
    assert skin.anesthesia_evidence is None


def test_duration_clause_without_a_time_is_kept() -> None:
    body = "Duration\nThe infusion takes about 2 hours, and the nurse stays nearby.\n"
    extraction = _page("X", body)
    assert [d.text for d in _procedure(extraction).durations] == ["about 2 hours"]
    assert [s.evidence.quote for s in extraction.statements] == ["the nurse stays nearby"]


# --------------------------------------------------------------------------
# Descriptors naming several drugs; the unit wherever the descriptor states it
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("descriptor", "drugs", "unit"),
    [
        ("Injection, examplumab-abcd, 1 mg", ["examplumab-abcd"], ("1", "mg", "1 mg")),
        ("Injection, examplumab 5 mg", ["examplumab"], ("5", "mg", "5 mg")),
        (
            "Injection, alphamab, betamab, and gammase-wxyz, per 10 mg",
            ["alphamab", "betamab", "gammase-wxyz"],
            ("10", "mg", "10 mg"),
        ),
        ("Injection, alphamab and gammase, 2 mg", ["alphamab", "gammase"], ("2", "mg", "2 mg")),
        (
            "Injection, alphamab, 10 mg and gammase-wxyz",
            ["alphamab", "gammase-wxyz"],
            ("10", "mg", "10 mg"),
        ),
        ("Injection, alphamab 10 mg and gammase", ["alphamab", "gammase"], ("10", "mg", "10 mg")),
        ("Injection, alphacillin 50 mg and betabactam 25 mg", ["alphacillin", "betabactam"], None),
        (
            "Injection, alphamab-pqrs, biosimilar, (Brandname), 10 mg",
            ["alphamab-pqrs"],
            ("10", "mg", "10 mg"),
        ),
        (
            "Injection, alphase alfa, 10 mg, not otherwise specified",
            ["alphase alfa"],
            ("10", "mg", "10 mg"),
        ),
        (
            "Injection, alphamab, intravenous and subcutaneous, 1 mg",
            ["alphamab"],
            ("1", "mg", "1 mg"),
        ),
        ("Injection, alphamab, preservative-free, and betamab", ["alphamab"], None),
        (
            "Injection, alphanol sodium for intravenous use, 1 mg",
            ["alphanol sodium"],
            ("1", "mg", "1 mg"),
        ),
        ("Infusion, alphanol solution, up to 250 cc", ["alphanol"], ("250", "mL", "up to 250 cc")),
        ("Injection, alphanol (100 mg/ml), per vial", ["alphanol"], None),
        ("Injection, alphanol, 1 g/0.125 g (1.125 g)", ["alphanol"], None),
        ("Injection, biosimilar, not otherwise specified, 1 mg", [], ("1", "mg", "1 mg")),
        ("Syringe with needle, sterile, 1 cc or less, each", [], ("1", "{each}", "each")),
        ("Chemotherapy administration, intravenous; up to 1 hour", [], None),
    ],
)
def test_descriptor_drugs_and_unit(
    descriptor: str, drugs: list[str], unit: tuple[str, str, str] | None
) -> None:
    (fact,) = _page(descriptor, "").billing_codes
    assert [name.text for name in fact.drug_names] == drugs
    if unit is None:
        assert fact.billing_unit is None
    else:
        assert fact.billing_unit is not None
        got = fact.billing_unit
        assert (str(got.value), got.unit, got.evidence.quote) == unit
        assert got.maximum is unit[2].startswith("up to")


def test_one_drug_fact_per_drug_named() -> None:
    page = _page(
        "Injection, alphamab, betamab-wxyz, and alphamab-abcd, per 10 mg",
        "Summary\nAlphamab and betamab are given together.\n",
    )
    assert [drug.name.text for drug in page.drugs] == ["Alphamab", "betamab"]
    assert [_texts(drug.other_names) for drug in page.drugs] == [[], ["betamab-wxyz"]]


_DRUG_WORD = st.from_regex(r"\A[a-z]{4,10}(?:mab|nib|ase)(?:-[a-z]{4})?\Z").filter(
    lambda word: not descriptor_words().is_descriptor_word(word)
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_DRUG_WORD, min_size=2, max_size=4, unique=True),
    st.integers(min_value=1, max_value=500),
    st.sampled_from(["mg", "mcg", "units"]),
    st.sampled_from(["after", "first"]),
)
def test_coordinated_drugs_are_all_named_and_the_unit_read(
    names: list[str], amount: int, unit: str, where: str
) -> None:
    if where == "after":  # "A, B, and C, per 10 mg"
        listed = ", ".join(names[:-1]) + f", and {names[-1]}"
        descriptor = f"Injection, {listed}, per {amount} {unit}"
    else:  # "A, 10 mg and B"
        names = names[:2]
        descriptor = f"Injection, {names[0]}, {amount} {unit} and {names[1]}"
    (fact,) = _page(descriptor, "").billing_codes
    assert [name.text for name in fact.drug_names] == names
    assert fact.billing_unit is not None
    assert fact.billing_unit.value == Decimal(amount)
    assert fact.billing_unit.evidence.quote == f"{amount} {unit}"


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    _DRUG_WORD,
    st.lists(
        st.sampled_from(
            ["biosimilar", "not otherwise specified", "preservative free", "intravenous", "(Brand)"]
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_descriptor_words_are_never_drugs(name: str, qualifiers: list[str]) -> None:
    descriptor = f"Injection, {name}, {', '.join(qualifiers)}, and {qualifiers[0]}, 1 mg"
    (fact,) = _page(descriptor, "").billing_codes
    assert [m.text for m in fact.drug_names] == [name]
