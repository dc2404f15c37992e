"""An interaction stated with a plain modal is a fact; one doubted further ("could
potentially interact") is not (invented sentences)."""

from __future__ import annotations

import pytest

from tests.test_extract_precautions import run


def interactions(body: str) -> list[str]:
    _, warnings, _ = run(body, "Testadine")
    return [w.condition.text for w in warnings if w.kind == "interaction" and w.condition]


def test_a_modal_interaction_is_stated() -> None:
    assert interactions("Testadine may interact with warfarin.") == ["warfarin"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Testadine could potentially interact with warfarin.",
        "**Drug Interactions:** It may possibly interact with antacids.",
        "Testadine might theoretically interact with warfarin.",
    ],
)
def test_a_doubted_interaction_is_not(sentence: str) -> None:
    assert interactions(sentence) == []
