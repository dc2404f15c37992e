"""What the bold label of a Precautions block heads, and whether a fact names it.

* `label_kind` — contraindications ("Contraindications:"), interactions
  ("Drug Interactions:"), a category of precautions ("Warnings", "Storage",
  "Specific Warnings", "Special Considerations", a label with a
  ``category-word`` such as "Increased Risk"), or a condition or
  population ("Pregnancy and Lactation", "Elderly Patients").
* `aside_label` — a label of a topic aside from precautions ("Storage",
  "Disposal": ``aside-label`` words): its block states no warning.
* `topic_label` — a label condition with a lay topic head ("Muscle Problems",
  "Stomach Issues": ``topic-head`` words): over a block whose sentences state
  facts it is their topic, not a further condition.
* `lay_wording` — whether a fact names a label's condition in lay words
  ("kidney problems" under "Renal Impairment"): the label's words are kept.
* `shares_a_word` — whether a label's condition and a fact's condition share a
  content word (heads like "impairment" and people words like "patients" do
  not count; words of one group of ``data/terminology/condition-synonyms.csv``
  — "lactation" and "breastfeeding", "geriatric" and "older" — count as one),
  so that a label whose condition a fact of its block already names gives no
  second caution.
"""

from __future__ import annotations

import functools
import re
from typing import Literal

from medkg.extract.precaution.terms import precaution_words
from medkg.resources import terminology_rows

LabelKind = Literal["contraindication", "interaction", "category", "condition"]


def label_kind(label: str) -> LabelKind:
    """What a block label heads: contraindications, interactions, a category of
    precautions ("Warnings", "Storage"), or a condition/population ("Pregnancy")."""
    key = " ".join(label.lower().replace("&", "and").split()).strip(" :*")
    words = precaution_words()
    if "contraindicat" in key:
        return "contraindication"
    if "interaction" in key or key in words.get("interaction-label", ()):
        return "interaction"
    if set(key.split()) & words.get("category-word", frozenset()):
        return "category"  # "Increased Risk", "Bleeding Risk": the risks of its block
    if key in words.get("category-label", ()) or key.split()[-1:] in (
        ["precautions"],
        ["warnings"],
        ["cautions"],
        ["measures"],
        ["considerations"],
    ):
        return "category"
    if set(key.split()) & {"warnings", "precautions", "cautions"}:
        return "category"  # "Warnings for Specific Groups": a category, not a condition
    return "condition"


def aside_label(label: str) -> bool:
    """Whether a block label names a topic aside from precautions ("Storage")."""
    key = " ".join(label.lower().replace("&", "and").split()).strip(" :*")
    return key in precaution_words().get("aside-label", frozenset())


def topic_label(condition: str) -> bool:
    """Whether a label's condition ends in a lay topic head ("Stomach Issues")."""
    words = condition.lower().split()
    return bool(words) and words[-1] in precaution_words().get("topic-head", frozenset())


_GENERIC_WORDS = frozenset(
    {"patients", "patient", "people", "persons", "individuals", "women", "men", "use", "the"}
)


@functools.cache
def _synonyms() -> dict[str, str]:
    rows = terminology_rows("condition-synonyms.csv", "condition synonym list", ("word", "group"))
    return {row["word"].strip().lower(): row["group"].strip().lower() for row in rows}


def _content_words(phrase: str) -> set[str]:
    heads = precaution_words().get("head", frozenset())
    synonyms = _synonyms()
    words = [w for w in re.findall(r"[a-z]+", phrase.lower()) if len(w) > 2]
    found = {synonyms.get(w, w).rstrip("s") for w in words}
    return found - {w.rstrip("s") for w in heads | _GENERIC_WORDS}


def shares_a_word(label: str, condition: str) -> bool:
    """Whether a label's condition and a fact's condition share a content word
    ("Delayed Hypersensitivity" and "delayed-onset hypersensitivity reactions")."""
    return bool(_content_words(label) & _content_words(condition))


def lay_wording(label: str, condition: str) -> bool:
    """Whether `condition` names the label's condition with a lay topic head ("kidney
    problems", "liver issues") where the label has a clinical one ("Renal Impairment",
    "Liver Disease")."""
    if "/" in label or not topic_label(condition) or topic_label(label):
        return False
    heads = precaution_words().get("topic-head", frozenset())
    words = {w for w in _content_words(condition) if w not in heads}
    return bool(words) and words <= _content_words(label)  # not "heart rhythm problems"
