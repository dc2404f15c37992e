"""Cautions a Dosage section states, and risks of a kind of use ("Prolonged use can lead
to X") in Precautions sentences and FAQ answers."""

from __future__ import annotations

import pytest

from medkg.extract.monograph import extract
from medkg.extract.precaution.dosage import dosage_cautions
from medkg.extract.precaution.long_use import long_use_span
from medkg.parse.monograph import parse
from tests.test_extract_precaution_sentences import rows
from tests.test_extract_reactions import section_of


def dosage_rows(body: str, drug: str = "Exampline") -> list[tuple[str, str | None]]:
    document = parse("# Exampline\n### Dosage\n" + body + "\n", "t.md")
    facts = dosage_cautions(document, section_of(document, "Dosage"), drug)
    for fact in facts:
        assert document.text[fact.evidence.start : fact.evidence.end] == fact.evidence.quote
    return [(f.kind, f.condition.text if f.condition else None) for f in facts]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("* **Adults:** 10 mg daily. Use with caution in patients with asthma.", ["asthma"]),
        (
            "Dose reduction may be needed in people with liver cirrhosis or those on dialysis.",
            ["liver cirrhosis", "dialysis"],
        ),
        (
            "No dose change is advised for mild disease, but dose reduction may be needed in "
            "patients with severe kidney failure.",
            ["severe kidney failure"],
        ),
        ("Patients weighing under 40 kg should be closely monitored.", []),  # no "with"
        ("Patients with low body weight should be closely monitored.", ["low body weight"]),
    ],
)
def test_dosage_cautions(body: str, expected: list[str]) -> None:
    assert [condition for _, condition in dosage_rows(body)] == expected


@pytest.mark.parametrize(
    "body",
    [
        "Dose adjustments are not needed for people with mild kidney failure.",
        "Dose adjustments for patients with liver failure have not been established.",
        "The usual dose is 10 mg once daily with food.",
        "Exampline should not be used in children.",  # a contraindication, not read here
    ],
)
def test_dosage_sentences_without_a_caution(body: str) -> None:
    assert dosage_rows(body) == []


def test_a_dosage_caution_reaches_the_extraction() -> None:
    document = parse(
        "# Exampline\n### Dosage\nUse with caution in patients with epilepsy.\n", "t.md"
    )
    warnings = extract(document).warnings
    assert [(w.kind, w.condition.text if w.condition else None) for w in warnings] == [
        ("caution", "epilepsy")
    ]


def risks(sentence: str, drug: str = "Exampline") -> tuple[str, str] | None:
    found = long_use_span(sentence, 0, len(sentence), drug)
    if found is None:
        return None
    (rs, re_), (us, ue) = found
    return sentence[rs:re_], sentence[us:ue]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Prolonged use can lead to tolerance.", ("tolerance", "Prolonged use")),
        (
            "Long-term use of Exampline may increase the risk of certain side effects, such as "
            "cataracts.",
            ("cataracts", "Long-term use"),
        ),
        ("High doses can cause liver damage.", ("liver damage", "High doses")),
        (
            "Chronic use can lead to dependence, meaning the dose must be raised.",
            ("dependence", "Chronic use"),
        ),
    ],
)
def test_risks_of_a_kind_of_use(sentence: str, expected: tuple[str, str]) -> None:
    assert risks(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Prolonged use might lead to tolerance.",  # a hedge
        "Long-term use can potentially cause thinning of the skin.",  # a hedge
        "Prolonged use does not lead to dependence.",  # negated
        "Long-term use of antacids may lead to kidney stones.",  # another substance
        "Take it with food.",
        "Stopping prolonged use can lead to withdrawal symptoms.",  # the stopping does
        "Abrupt discontinuation after long-term use can cause rebound headache.",
    ],
)
def test_no_risk_of_a_kind_of_use(sentence: str) -> None:
    assert risks(sentence) is None


def test_a_space_padded_line_is_read_in_linear_time() -> None:
    """A table row padded with spaces (editors pad Markdown tables) once took minutes: runs
    of white space had several places in the patterns. Run in a child process so a
    regression fails after a minute instead of hanging the suite."""
    import subprocess
    import sys

    program = (
        "from medkg.extract.precaution.long_use import long_use_span\n"
        "for n in (1000, 20000):\n"
        "    s = 'Prolonged use' + ' ' * n + 'of x can ' + ' ' * n + 'lead'\n"
        "    assert long_use_span(s, 0, len(s), 'Examplumab') is None\n"
    )
    subprocess.run([sys.executable, "-c", program], check=True, timeout=60)


def test_a_precaution_sentence_gives_the_risks_of_long_use() -> None:
    assert rows("Long-term use can lead to bone loss and dental problems.") == [
        ("increased-risk", "bone loss", []),
        ("increased-risk", "dental problems", []),
    ]


def test_an_faq_answer_gives_the_risks_of_long_use_with_the_use_as_detail() -> None:
    document = parse(
        "# Exampline\n### FAQs\n"
        "* **Q: Is it safe to take for years?** A: Long-term use can lead to bone loss.\n",
        "t.md",
    )
    warnings = [w for w in extract(document).warnings if w.kind == "increased-risk"]
    assert [
        (w.condition.text if w.condition else None, [d.text for d in w.details]) for w in warnings
    ] == [("bone loss", ["Long-term use"])]
