"""Cautions that name their conditions by a back-reference ("However, caution is advised
in these patients"), in Precautions and Dosage sections (fixtures written for these
tests)."""

from __future__ import annotations

import pytest

from tests.test_extract_precaution_dosage import dosage_rows
from tests.test_extract_precautions import run


def cautions(body: str) -> list[str]:
    _, warnings, _ = run(body, "Examplumab")
    return [w.condition.text for w in warnings if w.kind == "caution" and w.condition]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "No dose change is given for patients with gout, asthma, or renal impairment. "
            "However, caution is advised in these patients.",
            ["gout", "asthma", "renal impairment"],
        ),
        (
            "The label gives no dose for hepatic (liver) or renal (kidney) impairment. "
            "However, caution is advised, and a lower dose might be needed in such cases.",
            ["hepatic (liver) impairment", "renal (kidney) impairment"],
        ),
        (
            "No dose change is advised for hepatic impairment; however, caution is advised.",
            ["hepatic impairment"],
        ),
        (
            "Dose changes may be needed for older adults and children. "
            "Close monitoring is essential.",
            ["older adults", "children"],
        ),
    ],
)
def test_dosage_back_references(body: str, expected: list[str]) -> None:
    assert dosage_rows(body, "Examplumab") == [("caution", c) for c in expected]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Examplumab has not been studied in people with thyroid disease. "
            "Caution should be exercised in these populations.",
            ["thyroid disease"],
        ),
        (
            "Patients with heart failure may retain fluid. Close monitoring is crucial in "
            "these patients.",
            ["heart failure"],
        ),
    ],
)
def test_precaution_back_references(body: str, expected: list[str]) -> None:
    assert cautions(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        # nothing before it names a condition or people
        "Topical use carries less risk than oral use, but caution is advised.",
        # "with a doctor", "in the label": no antecedent
        "Discuss use with a doctor. The dose is given in the label. Caution is advised.",
        # the nearest phrase is too vague; an earlier one is not taken instead
        "For mild renal impairment no change is needed. For severe impairment the label "
        "gives no dose. Caution is advised.",
        # a negated caution
        "No dose change is needed for gout. Caution is not needed.",
    ],
)
def test_no_antecedent_no_caution(body: str) -> None:
    assert dosage_rows(body, "Examplumab") == []


def test_a_condition_already_named_is_not_given_twice() -> None:
    body = "Use with caution in patients with gout. Close monitoring is crucial in these cases."
    assert cautions(body) == ["gout"]
