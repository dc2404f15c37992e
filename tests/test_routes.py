"""Routes of administration: the vocabulary (data/terminology/routes.csv and its codes in
identifiers.csv) and the route words a dosing clause states (`medkg.extract.routes`).

One test per pattern: abbreviations, case, lists of alternatives ("A or B", "A/B",
"A, B or C"), glosses, negation, other administrations, adjectives that need a dosing
word, routes the vocabulary lacks; then the same rules through the regimen extractor and
the linker, and property tests over every spelling of the vocabulary.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from medkg.errors import ResourceMissing
from medkg.extract.routes import route_lists, route_words, stated_routes
from medkg.link.lexicon import bundled_lexicon
from medkg.link.linker import Linker
from medkg.model import Evidence, Mention
from medkg.route_vocabulary import (
    COLUMNS,
    EXACT_CASE,
    RouteSpelling,
    bundled_routes,
    load_routes,
)

from .test_extract_regimen import from_text

TERMINOLOGY = Path(__file__).resolve().parent.parent / "data" / "terminology"
VOCABULARY = bundled_routes()


def rows(name: str) -> list[dict[str, str]]:
    with (TERMINOLOGY / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def stated(text: str) -> list[str]:
    """The route words text states for its dose, as written."""
    return [text[w.start : w.end] for w in stated_routes(text, 0, len(text))]


def concepts(text: str) -> list[str]:
    """The route concepts of the words text states (None for a word the vocabulary lacks)."""
    found = []
    for word in stated_routes(text, 0, len(text)):
        spelling = VOCABULARY.lookup(text[word.start : word.end])
        found.append(spelling.concept if spelling else "-")
    return found


# -- the vocabulary -------------------------------------------------------------------------


def test_vocabulary_is_in_canonical_form() -> None:
    table = rows("routes.csv")
    assert list(table[0]) == COLUMNS
    keys = [(r["concept"], r["spelling"].lower(), r["spelling"]) for r in table]
    assert keys == sorted(keys)
    for row in table:
        assert row["label"] == row["concept"].removesuffix("-route") + " route"
        assert row["source"].startswith("route vocabulary: ")


def test_the_brief_s_routes_and_abbreviations_are_covered() -> None:
    labels = set(VOCABULARY.labels.values())
    brief = [
        "oral", "sublingual", "buccal", "intravenous", "intramuscular", "subcutaneous",
        "intradermal", "intrathecal", "epidural", "intra-articular", "intravitreal", "ophthalmic",
        "otic", "nasal", "inhalation", "topical", "cutaneous", "transdermal", "rectal", "vaginal",
        "intravesical", "intralesional",
    ]  # fmt: skip
    for route in brief:
        assert f"{route} route" in labels
    expected = {
        "IV": "intravenous-route",
        "i.v.": "intravenous-route",
        "IM": "intramuscular-route",
        "SC": "subcutaneous-route",
        "SQ": "subcutaneous-route",
        "SubQ": "subcutaneous-route",
        "s.c.": "subcutaneous-route",
        "PO": "oral-route",
        "p.o.": "oral-route",
        "SL": "sublingual-route",
        "ID": "intradermal-route",
        "IT": "intrathecal-route",
    }
    for abbreviation, concept in expected.items():
        spelling = VOCABULARY.lookup(abbreviation)
        assert spelling is not None and spelling.concept == concept, abbreviation
        assert spelling.match == EXACT_CASE, abbreviation


def test_every_route_code_is_a_confirmed_snomed_route_code_of_a_route_concept() -> None:
    routes = set(VOCABULARY.labels)
    coded = {}
    for row in rows("identifiers.csv"):
        if row["concept"] in routes:
            assert row["scheme"] == "SNOMEDCT"
            assert row["label"] == VOCABULARY.labels[row["concept"]]
            assert "route-codes" in row["source"] or "RouteOfAdministration" in row["source"]
            coded.setdefault(row["concept"], []).append(row["id"])
    assert all(len(ids) == 1 for ids in coded.values())  # one code per route
    assert len({ids[0] for ids in coded.values()}) == len(coded)  # no code for two routes
    # a route whose code could not be confirmed stays a concept without an identifier
    assert routes - set(coded) == {"epidural-route", "inhalation-route"}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("oral-route,oral route,gulped,loudly,x", "match 'loudly' is not one of"),
        ("oral-route,mouth route,gulped,any case,x", "labelled both"),
        ("nasal-route,nasal route,orally,any case,x", "names both 'oral-route' and 'nasal-route'"),
        ("oral-route,oral route,,any case,x", "every column must have a value"),
        ("oral-route,oral route,per os,any case,x, y", "more than 5 values; quote a value"),
    ],
)
def test_a_broken_route_table_is_refused_naming_the_line(
    tmp_path: Path, row: str, message: str
) -> None:
    path = tmp_path / "routes.csv"
    path.write_text(
        ",".join(COLUMNS) + "\noral-route,oral route,orally,any case,x\n" + row + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ResourceMissing, match=message) as raised:
        load_routes(path)
    assert "line 3" in str(raised.value)


def test_a_route_table_with_another_header_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "routes.csv"
    path.write_text("concept,label,spelling,source\noral-route,oral route,orally,x\n")
    with pytest.raises(ResourceMissing, match="line 1: expected the columns") as raised:
        load_routes(path)
    assert str(path) in str(raised.value) and "make the header" in str(raised.value)


# -- route words and lists --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "routes"),
    [
        ("Give 1 g IV every 8 hours.", ["intravenous-route"]),
        ("0.5 mL IM once.", ["intramuscular-route"]),
        ("100 mg SubQ daily.", ["subcutaneous-route"]),
        ("100 mg subQ daily.", ["subcutaneous-route"]),
        ("5 mg SC weekly.", ["subcutaneous-route"]),
        ("10 mg PO twice daily.", ["oral-route"]),
        ("1 g i.v. daily.", ["intravenous-route"]),
        ("0.4 mg SL as needed.", ["sublingual-route"]),
        ("0.1 mL ID once.", ["intradermal-route"]),
        ("12 mg IT every 2 weeks.", ["intrathecal-route"]),
        ("One spray intranasally twice daily.", ["nasal-route"]),
        ("Insert one pessary per vaginam at night.", ["vaginal-route"]),
    ],
)
def test_abbreviations_and_words_name_their_route(text: str, routes: list[str]) -> None:
    assert concepts(text) == routes


@pytest.mark.parametrize(
    ("text", "routes"),
    [
        ("Give 1 g IV or IM every 8 hours.", ["IV", "IM"]),
        ("200 mg IM/SubQ daily.", ["IM", "SubQ"]),
        ("200 mg IV/IM/SubQ daily.", ["IV", "IM", "SubQ"]),
        ("1 g IV, IM or SC daily.", ["IV", "IM", "SC"]),
        ("1 g IV, IM, or SC daily.", ["IV", "IM", "SC"]),
        ("It can be given orally or intravenously.", ["orally", "intravenously"]),
        ("1 g intravenously and/or intramuscularly.", ["intravenously", "intramuscularly"]),
        # a comma alone does not make a list, nor does "and"
        ("1 g IV, oral dosing may follow.", ["IV"]),
        ("1 g IV and then oral tablets.", ["IV"]),
    ],
)
def test_alternatives_give_every_route(text: str, routes: list[str]) -> None:
    assert stated(text) == routes


def test_a_bracketed_route_word_of_the_same_route_is_a_gloss() -> None:
    text = "Intravenous (IV) or Intramuscular [IM]: 500 mcg three times a week."
    words = stated_routes(text, 0, len(text))
    assert [(text[w.start : w.end], text[slice(*w.gloss)] if w.gloss else None) for w in words] == [
        ("Intravenous", "IV)"),
        ("Intramuscular", "IM]"),
    ]
    # a bracketed word of another route is no gloss: it is a route word of its own
    other = "Give it orally (IV use is not possible)."
    assert [other[w.start : w.end] for w in route_words(other, 0, len(other))] == ["orally", "IV"]


@pytest.mark.parametrize(
    "text",
    [
        "It is not for intravenous use.",
        "It should not be given intramuscularly.",
        "It must never be injected intrathecally.",
        "This combination is not typically administered intravenously.",
        "It is not available in an IV formulation.",
        "It is not meant to be taken orally or administered intravenously.",
        "Neither component is given intravenously.",
        "There is no oral form.",
        "Avoid IM injection in patients with bleeding disorders.",
        "IV administration is not recommended.",
        "IM and IV administration should generally be avoided in older adults.",
        "Intrathecal administration is contraindicated.",
        "Oral use is not possible in unconscious patients.",
        "Intravenous administration is not a typical route for it.",
        "Not for intravenous, intrathecal or intramuscular use.",
    ],
)
def test_a_negated_route_is_not_a_route_of_the_regimen(text: str) -> None:
    assert stated(text) == []
    assert all(found.negated for found in route_lists(text, 0, len(text)))


@pytest.mark.parametrize(
    ("text", "routes"),
    [
        ("Not for intravenous use; give 2 mg subcutaneously.", ["subcutaneously"]),
        ("Without IV access, give 2 mg IM.", ["IM"]),
        ("It is not given orally but intravenously.", ["intravenously"]),
        # limits negate an amount, not the route
        ("Do not exceed 4 g orally per day.", ["orally"]),
        ("It should not be given intravenously faster than 1 mL per minute.", ["intravenously"]),
        ("No more than 2 doses IV per day.", ["IV"]),
        # a negation in a condition or in the next clause does not reach the route
        ("Give IV if oral tablets are not possible.", ["IV"]),
        ("Dose does not need adjustment when given IV.", ["IV"]),
    ],
)
def test_negation_reaches_only_its_own_route(text: str, routes: list[str]) -> None:
    assert stated(text) == routes


@pytest.mark.parametrize(
    ("text", "routes"),
    [
        ("Switch to oral therapy when possible after 3 days of IV treatment.", []),
        ("500 mg PO twice daily after 3 days of IV treatment.", ["PO"]),
        ("Give 1-2 mg 1 hour after an oral dose of another drug.", []),
        ("It can be used as an alternative to IV administration.", []),
        ("Both are available separately as IV medications.", []),
        ("Give it IV, separately from other infusions.", ["IV"]),
        ("It can be given intravenously, but not in this combination.", []),
        # … in its own sentence only
        (
            "It is given under the skin or into a muscle. The drug is billed separately.",
            ["under the skin", "into a muscle"],
        ),
    ],
)
def test_routes_of_other_administrations_are_not_the_clause_s(text: str, routes: list[str]) -> None:
    assert stated(text) == routes


@pytest.mark.parametrize(
    ("text", "routes"),
    [
        ("IT", ["intrathecal-route"]),
        ("it", []),
        ("Give 12 mg IT weekly; give it slowly.", ["intrathecal-route"]),
        ("ID", ["intradermal-route"]),
        ("Check the patient's id before each dose.", []),
        ("PO", ["oral-route"]),
        ("po", []),
        ("iv", []),
        ("Sc", []),
        # "IV" as a Roman numeral is no route
        ("For stage IV melanoma, take 400 mg orally twice daily.", ["oral-route"]),
        ("For stage III or IV disease, take 2 tablets by mouth.", ["oral-route"]),
        ("Type IV hypersensitivity has been reported.", []),
        # and no route hides in another word
        ("Patients with HIV take 1 tablet daily.", []),
    ],
)
def test_abbreviations_are_matched_as_written_only(text: str, routes: list[str]) -> None:
    assert concepts(text) == routes


@pytest.mark.parametrize(
    ("text", "routes"),
    [
        ("Take two oral tablets daily.", ["oral-route"]),
        ("The oral dose is 500 mg.", ["oral-route"]),
        ("Oral: 10 mg every 8 hours.", ["oral-route"]),
        ("**Oral (Sustained-Release):** 40 mg every 8 hours.", ["oral-route"]),
        ("Oral immediate-release: 5 to 40 mg.", ["oral-route"]),
        ("Two sprays of nasal spray in each nostril.", ["nasal-route"]),
        ("It is given rectal or vaginal use only.", ["rectal-route", "vaginal-route"]),
        ("Oral or IV: 1 g daily.", ["oral-route", "intravenous-route"]),
        # the same adjectives naming conditions or drug classes are no routes
        ("For oral thrush, 100 mg once daily.", []),
        ("For nasal congestion, take one tablet orally.", ["oral-route"]),
        ("It may be combined with topical steroids.", []),
        ("Rectal bleeding has been reported.", []),
        (
            "Triamcinolone ophthalmic is administered via intravitreal injection.",
            ["intravitreal-route"],
        ),
    ],
)
def test_adjectives_that_name_conditions_need_a_dosing_word(text: str, routes: list[str]) -> None:
    assert concepts(text) == routes


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("500 mg by intraosseous infusion every 12 hours.", "intraosseous"),
        ("0.8 mg via submucosal injection.", "submucosal"),
        ("500 mg as an intraperitoneal instillation.", "intraperitoneal"),
        ("It is given by the intracavernosal route.", "intracavernosal"),
    ],
)
def test_a_route_word_the_vocabulary_lacks_is_kept_as_written(text: str, word: str) -> None:
    (found,) = stated_routes(text, 0, len(text))
    assert (text[found.start : found.end], found.known) == (word, False)
    assert VOCABULARY.lookup(word) is None


@pytest.mark.parametrize(
    "text",
    [
        "Subsequent injections are given weekly.",
        "Periodic injections may be needed.",
        "Internal use only.",
        "Additional infusions may follow.",
    ],
)
def test_ordinary_words_are_not_taken_for_routes(text: str) -> None:
    assert route_words(text, 0, len(text)) == []


# -- through the regimen extractor and the linker ---------------------------------------------


def test_a_regimen_gets_every_alternative_and_keeps_their_evidence() -> None:
    document, ((regimen,), _, _) = from_text("* **Adults:** 1 g IV or IM every 8 hours.")
    assert [r.text for r in regimen.routes] == ["IV", "IM"]
    for route in regimen.routes:
        assert document.text[route.evidence.start : route.evidence.end] == route.text


def test_a_label_gives_the_route_when_the_clause_has_none() -> None:
    body = "* **IV or IM:** 500 mcg three times a week.\n* **Oral:** 1 mg daily."
    _, (regimens, _, _) = from_text(body)
    assert [[r.text for r in regimen.routes] for regimen in regimens] == [["IV", "IM"], ["Oral"]]


def test_a_negated_route_never_reaches_a_regimen() -> None:
    body = (
        "Testdrug is not for intrathecal use.\n\nThe dose is 2 mg every week, given by injection."
    )
    _, ((regimen,), _, statements) = from_text(body)
    assert regimen.routes == ()
    # the sentence is kept as written
    assert any("intrathecal" in s.evidence.quote for s in statements)


def test_the_linker_and_the_extractors_share_one_reading_of_the_table() -> None:
    assert bundled_lexicon().routes is VOCABULARY


def _mention(text: str) -> Mention:
    return Mention(text, Evidence("m.md", "Dosage", text, 0, len(text)))


def test_the_linker_maps_spellings_and_has_no_concept_for_unknown_words() -> None:
    linker = Linker(bundled_lexicon(), [])
    for text, key in (("IV", "intravenous-route"), ("SubQ", "subcutaneous-route")):
        ref = linker.route(_mention(text))
        assert ref is not None and ref.key == key
    assert linker.route(_mention("intraosseous")) is None
    assert linker.route(_mention("it")) is None


# -- properties over the whole vocabulary -----------------------------------------------------

UNCONDITIONAL = sorted(
    (s for s in VOCABULARY.spellings if not s.needs_dosing_word), key=lambda s: s.spelling
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(UNCONDITIONAL), st.sampled_from(["Give 10 mg ", "Then ", "Dose: 1 g "]))
def test_every_spelling_is_found_and_names_its_route(spelling: RouteSpelling, prefix: str) -> None:
    text = f"{prefix}{spelling.spelling} once daily."
    (word,) = stated_routes(text, 0, len(text))
    assert text[word.start : word.end] == spelling.spelling
    found = VOCABULARY.lookup(text[word.start : word.end])
    assert found is not None and found.concept == spelling.concept


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(UNCONDITIONAL), min_size=2, max_size=4, unique_by=lambda s: s.concept)
)
def test_a_list_of_alternatives_gives_every_route_in_order(spellings: list[RouteSpelling]) -> None:
    words = [s.spelling for s in spellings]
    text = "Give 10 mg " + ", ".join(words[:-1]) + " or " + words[-1] + " once daily."
    assert concepts(text) == [s.concept for s in spellings]
    negated = "It is not for " + " or ".join(words) + " use."
    assert stated(negated) == []


@settings(max_examples=100, deadline=None)
@given(st.sampled_from([s for s in VOCABULARY.spellings if s.match == EXACT_CASE]))
def test_an_exact_case_spelling_in_another_case_is_no_route(spelling: RouteSpelling) -> None:
    for variant in {spelling.spelling.lower(), spelling.spelling.upper()} - {
        s.spelling for s in VOCABULARY.spellings
    }:
        text = f"Give 10 mg {variant} once daily."
        assert route_words(text, 0, len(text)) == [], variant


def test_a_roman_numeral_shaped_route_before_a_dotted_abbreviation_is_a_route() -> None:
    assert concepts("Give 10 mg IV or I.M. once daily.") == [
        "intravenous-route",
        "intramuscular-route",
    ]
    assert stated("Stage III or IV. Give 10 mg orally.") == ["orally"]
