"""Indication rules of a Usage section, on invented sentences (one rule per test)."""

from __future__ import annotations

import pytest

from medkg.extract.indication import extract_indications
from medkg.extract.indication.terms import conditions
from medkg.model import IndicationFact
from medkg.parse.monograph import parse


def read(usage: str, title: str = "Examplumab") -> tuple[IndicationFact, ...]:
    text = f"---\ntitle: {title}\n---\n# {title}\n### Usage\n{usage}\n"
    document = parse(text, "x.md")
    section = document.section("Usage")
    assert section is not None
    facts, _ = extract_indications(document, section, title)
    for fact in facts:
        ev = fact.evidence
        assert document.text[ev.start : ev.end] == ev.quote
    return facts


def names(facts: tuple[IndicationFact, ...]) -> list[str]:
    return [f.condition.text for f in facts]


# -- examples, coordination, leading phrases, generic heads -------------------


def test_examples_after_such_as_are_indications() -> None:
    facts = read(
        "Examplumab is mainly used to treat allergic conditions such as hay fever "
        "(seasonal sniffles), hives (urticaria), and other allergic reactions."
    )
    assert names(facts) == ["allergic conditions", "hay fever", "hives", "allergic reactions"]
    assert facts[1].condition.glosses == ("seasonal sniffles",)


def test_examples_of_a_generic_tail_replace_the_head() -> None:
    facts = read(
        "Its primary use is for the short-term relief of aches from things like sprains, "
        "strains, and bruises."
    )
    assert names(facts) == ["sprains", "strains", "bruises"]
    assert {f.qualifier.text for f in facts if f.qualifier} == {"short-term relief"}


def test_generic_head_with_examples_gives_only_the_examples() -> None:
    assert names(read("Testadine is used to treat conditions such as gout and bursitis.")) == [
        "gout",
        "bursitis",
    ]


def test_treat_or_prevent_is_one_trigger_and_a_head_distributes_over_its_objects() -> None:
    facts = read(
        "This product is used to treat or prevent deficiencies in copper, biotin (vitamin H), "
        "and iodine."
    )
    assert names(facts) == ["deficiency in copper", "deficiency in biotin", "deficiency in iodine"]


def test_modifiers_share_the_head_noun() -> None:
    facts = read("Testadine is used to treat ear, urinary and soft tissue infections.")
    assert names(facts) == ["ear infections", "urinary infections", "soft tissue infections"]


def test_degree_modifiers_share_the_rest_of_the_phrase() -> None:
    facts = read("Testadine is used to treat mild or persistent night cramps in adults.")
    assert names(facts) == ["mild night cramps", "persistent night cramps"]
    assert {f.population.text for f in facts if f.population} == {"adults"}


def test_two_conditions_joined_by_and_are_two() -> None:
    facts = read("Testadine is used to treat chronic gout (uric arthritis) and kidney stones.")
    assert names(facts) == ["chronic gout", "kidney stones"]


def test_a_preposition_keeps_a_coordination_whole() -> None:
    facts = read("Testadine is used to relieve ache and swelling associated with gout.")
    assert names(facts) == ["ache and swelling associated with gout"]


def test_leading_treatment_phrase_is_the_qualifier() -> None:
    facts = read(
        "Examplumab is used for the long-term maintenance treatment of airway narrowing in "
        "adults with chronic lung disease."
    )
    assert names(facts) == ["airway narrowing"]
    assert facts[0].qualifier is not None and facts[0].qualifier.text == "long-term maintenance"
    assert facts[0].population is not None
    assert facts[0].population.text == "adults with chronic lung disease"


@pytest.mark.parametrize(
    "sentence",
    [
        "It is the only medicine approved for this specific condition.",
        "Testadine is used to treat various conditions.",
        "Testadine is used for this purpose.",
        "Testadine is used to treat these symptoms.",
    ],
)
def test_generic_heads_and_pronouns_are_no_conditions(sentence: str) -> None:
    assert read(sentence, "Testadine") == ()


def test_vague_determiners_go() -> None:
    assert names(read("Testadine is used to treat a wide range of fungal infections.")) == [
        "fungal infections"
    ]


def test_population_with_condition() -> None:
    facts = read("Examplumab is also used to treat adults with advanced bone sarcoma.")
    assert names(facts) == ["advanced bone sarcoma"]
    assert facts[0].population is not None and facts[0].population.text == "adults"


def test_list_ends_before_an_aside_but_keeps_its_explicit_examples() -> None:
    facts = read(
        "Testadine is used to treat gut infections, particularly in the colon (e.g., "
        "amoebic colitis, worm infestation)."
    )
    assert names(facts) == ["gut infections", "amoebic colitis", "worm infestation"]


def test_aside_about_people_adds_nothing() -> None:
    facts = read(
        "Testadine is used to treat gout, especially in people with conditions such as obesity."
    )
    assert names(facts) == ["gout"]
    assert facts[0].population is None


def test_excipient_role_is_a_use() -> None:
    facts = read("Testol mainly serves as a preservative in nasal sprays and ear drops.", "Testol")
    assert names(facts) == ["preservative in nasal sprays and ear drops"]


def test_diagnostic_imaging_of_a_condition() -> None:
    facts = read("Examplumab is used for imaging of bone metastases.")
    assert names(facts) == ["bone metastases"]
    assert facts[0].qualifier is not None and facts[0].qualifier.text == "imaging"


# -- negation, hedging, past use --------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Testadine is not indicated for use in gout.",
        "It is not suitable for treating deep cuts or burns.",
        "Testadine is no longer used to treat gout.",
        "Testadine was withdrawn and was previously used to treat gout.",
        "Testadine might once have been used to treat gout.",
        "It was not previously used to treat gout.",
        "Additionally, it might be considered in some cases to manage gout.",
        "Testadine may be used to treat gout.",
        "Research suggests it could be used to treat gout.",
    ],
)
def test_negated_hedged_or_past_uses_state_nothing(sentence: str) -> None:
    assert read(sentence, "Testadine") == ()


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Testadine was previously used to treat gout in humans.", [("gout", "humans")]),
        ("While it was historically used for gout, this use is now rare.", [("gout", None)]),
        ("Its primary use was in the treatment of gout.", [("gout", None)]),
        (
            "Historically, it was used to treat gout in adults who have flares.",
            [("gout", "adults")],
        ),
        (
            "Testadine has formerly been used to treat rickets and gout.",
            [("rickets", None), ("gout", None)],
        ),
    ],
)
def test_a_past_use_is_an_indication_qualified_as_past(
    sentence: str, expected: list[tuple[str, str | None]]
) -> None:
    facts = read(sentence, "Testadine")
    assert [(f.condition.text, f.population.text if f.population else None) for f in facts] == (
        expected
    )
    assert all(f.qualifier is not None and f.qualifier.text == "past use" for f in facts)


def test_a_qualifier_of_a_past_use_becomes_a_criterion() -> None:
    (fact,) = read("Testadine was previously used to treat gout in adults who are at risk.")
    assert fact.qualifier is not None and fact.qualifier.text == "past use"
    assert [c.text for c in fact.criteria] == ["at risk"]


def test_examples_after_a_population_are_conditions_for_it() -> None:
    facts = read(
        "Testadine was previously used to treat infections in humans, including "
        "respiratory and urinary infections, and septicemia, but it is now discontinued.",
        "Testadine",
    )
    assert names(facts) == [
        "infections",
        "respiratory infections",
        "urinary infections",
        "septicemia",
    ]
    assert {f.population.text for f in facts if f.population} == {"humans"}
    assert all(f.qualifier is not None and f.qualifier.text == "past use" for f in facts)


def test_examples_of_a_past_use_are_past_uses() -> None:
    facts = read("Testadine was previously used to treat gout. This includes acute flares.")
    assert names(facts) == ["gout", "acute flares"]
    assert all(f.qualifier is not None and f.qualifier.text == "past use" for f in facts)


def test_a_use_in_animals_with_its_own_object_does_not_give_them_to_the_last_use() -> None:
    facts = read("Testadine is used to treat gout. It is also used in cattle to treat mastitis.")
    assert [(f.condition.text, f.population) for f in facts] == [("gout", None)]


def test_an_occasional_use_is_a_stated_use() -> None:
    assert names(read("Testadine is sometimes used to treat gout.", "Testadine")) == ["gout"]


def test_helps_to_relieve_needs_the_drug_as_subject() -> None:
    assert names(read("Testadine helps to relieve itching.", "Testadine")) == ["itching"]
    assert read("This blocking action helps to relieve sneezing and itching.", "Testadine") == ()
    assert read("Its anti-swelling effect treats redness.", "Testadine") == ()


# -- lists ---------------------------------------------------------------------


def test_labels_under_a_lead_in_are_indications_and_a_plain_body_adds_more() -> None:
    facts = read(
        "Testacillin is used to treat many bacterial infections.\n\n"
        "Common infections treated include:\n\n"
        "* **Chest infections:** Pneumonia (in some cases), bronchitis.\n"
        "* **Gum infections:** A painful swelling of the gums that can spread.\n",
        "Testacillin",
    )
    assert names(facts) == [
        "bacterial infections",
        "Chest infections",
        "Pneumonia",
        "bronchitis",
        "Gum infections",
    ]


def test_a_body_that_opens_with_this_includes_lists_more() -> None:
    facts = read(
        "Its main uses include:\n\n"
        "* **Tummy pain:** This includes pain associated with gut spasm, acid upset, and "
        "other conditions causing discomfort.\n"
    )
    assert names(facts) == ["Tummy pain", "pain associated with gut spasm", "acid upset"]


def test_component_and_goal_labels_are_no_conditions() -> None:
    facts = read(
        "This combination is used to treat low iron. Specific uses include:\n\n"
        "* **Copper Gluconate (Copper):** Essential for red cell production.\n"
        "* **Supporting nerve function:** Nerves need it.\n"
        "* **Tiredness:** A common result of low iron.\n",
        "Copper Gluconate + Biotin",
    )
    assert names(facts) == ["low iron", "Tiredness"]


def test_treatment_line_label_qualifies_the_condition_of_its_body() -> None:
    facts = read(
        "Examplumab is used in two main situations:\n\n"
        "1. **First-line maintenance treatment:** For adults with advanced ovarian or "
        "primary gut cancer who have responded to earlier chemotherapy.\n"
    )
    assert names(facts) == ["advanced ovarian cancer", "primary gut cancer"]
    for fact in facts:
        assert fact.population is not None and fact.population.text == "adults"
        assert fact.qualifier is not None
        assert fact.qualifier.text == "First-line maintenance treatment"
        assert [c.text for c in fact.criteria] == ["have responded to earlier chemotherapy"]


def test_a_label_body_that_only_describes_adds_nothing() -> None:
    facts = read(
        "Testadine is prescribed for conditions like:\n\n"
        "* **Scalp eczema:** It effectively manages the redness and flaking of the scalp.\n",
        "Testadine",
    )
    assert names(facts) == ["Scalp eczema"]


def test_components_lead_in_introduces_no_uses() -> None:
    facts = read(
        "Each component plays a distinct role:\n\n* **Night cramps:** Eased by the salt.\n",
        "Testadine",
    )
    assert facts == ()


def test_people_lead_in_introduces_no_uses() -> None:
    facts = read(
        "The vaccine is used for individuals at increased risk, such as:\n\n"
        "* **People travelling abroad:** Exposure is higher.\n",
        "Testadine",
    )
    assert facts == ()


def test_items_under_no_lead_in_are_read_as_sentences() -> None:
    facts = read(
        "This section describes each medicine.\n\n"
        "* **Testadine:** Its primary use is in treating and preventing gastric and duodenal "
        "ulcers.\n",
        "Testadine + Examplol",
    )
    assert names(facts) == ["gastric ulcers", "duodenal ulcers"]


# -- the term parser on its own ----------------------------------------------------


def test_conditions_drop_a_phrase_that_points_back() -> None:
    text = "infections caused by these organisms"
    assert [t.text for t in conditions(text, 0, len(text))] == ["infections"]


def test_conditions_never_return_a_bare_modifier() -> None:
    text = "respiratory, genitourinary and septic shock"
    assert [t.text for t in conditions(text, 0, len(text))] == ["septic shock"]


def test_a_clause_or_a_way_of_treating_is_no_condition() -> None:
    facts = read(
        "Testadine is used to treat gout and as maintenance therapy to prevent flares.",
        "Testadine",
    )
    assert names(facts) == ["gout"]
    assert read("Testadine is often used for symptomatic relief.", "Testadine") == ()


# -- doubt and contrast (benchmarks/RESULTS-negation.md) ------------------------


def test_a_contrasting_clause_neither_adds_a_condition_nor_undoes_the_use() -> None:
    assert names(read("Examplumab is used to treat gout but is not a cure for arthritis.")) == [
        "gout"
    ]
    assert names(read("Examplumab is used to treat gout, although it does not cure it.")) == [
        "gout"
    ]
    assert names(read("Examplumab is used to treat mild but persistent pain.")) == [
        "mild but persistent pain"
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Examplumab is believed to be used to treat gout.",
        "Examplumab is thought to help relieve gout.",
        "Examplumab is reportedly used to treat gout.",
    ],
)
def test_belief_and_hearsay_state_no_use(sentence: str) -> None:
    assert names(read(sentence)) == []


@pytest.mark.parametrize(
    "body",
    [
        "Some studies suggest it may help.",
        "Investigated as a possible add-on; more research is needed.",
        "It might be used in mild cases when other options fail.",
        "In some cases it may offer relief.",
        "It is not approved for this use.",
        "Early trials are ongoing.",
    ],
)
def test_a_label_whose_body_doubts_the_use_is_no_indication(body: str) -> None:
    facts = read(
        f"Examplumab has these uses:\n\n* **Gout:** {body}\n* **Eczema:** It calms flares."
    )
    assert names(facts) == ["Eczema"]


def test_a_label_body_that_describes_the_condition_keeps_the_use() -> None:
    facts = read(
        "Examplumab has these uses:\n\n* **Blastosis:** A fungal infection, potentially "
        "spreading to the lungs. Examplumab is the usual choice."
    )
    assert names(facts) == ["Blastosis"]


# -- use as a form or role, animals, off-label --------------------------------


def test_use_as_a_form_to_treat_names_the_condition_and_the_animals() -> None:
    facts = read(
        "Today its use is restricted to farm animals, namely as a uterine wash to treat "
        "acute and chronic metritis in cattle and sheep."
    )
    assert names(facts) == ["acute metritis", "chronic metritis"]
    assert {f.population.text for f in facts if f.population} == {"cattle and sheep"}


def test_past_use_as_a_form_states_no_use() -> None:
    assert read("Its use was once as a rinse to treat mouth sores.") == ()


def test_a_denial_inside_the_use_as_a_form_trigger_states_no_use() -> None:
    assert read("Its use is not recommended as a first-line agent to treat gout.") == ()
    assert read("Its use is never advised as a rinse to treat mouth sores.") == ()


def test_off_label_in_the_clause_of_a_use_is_its_qualifier() -> None:
    facts = read(
        "Examplumab treats gout. It is occasionally prescribed off-label for chronic hiccups."
    )
    by_name = {f.condition.text: f.qualifier for f in facts}
    assert by_name["gout"] is None
    qualifier = by_name["chronic hiccups"]
    assert qualifier is not None and qualifier.text == "off-label"


def test_off_label_lead_in_marks_every_item_under_it() -> None:
    facts = read(
        "Examplumab is used to treat psoriasis. Off-label uses include:\n\n"
        "* **Lichen planus:** It is applied to the patches.\n"
        "* **Vitiligo:** It can even out the skin tone.\n"
    )
    qualifiers = {f.condition.text: f.qualifier.text if f.qualifier else None for f in facts}
    assert qualifiers == {"psoriasis": None, "Lichen planus": "Off-label", "Vitiligo": "Off-label"}


def test_closing_etc_is_no_condition() -> None:
    assert names(read("Testadine is used to treat gout, bursitis, etc.")) == ["gout", "bursitis"]


def test_a_past_use_in_a_clause_about_something_else_is_not_the_drugs() -> None:
    sentence = (
        "It shortens sedation after procedures where other drugs were used for conscious sedation."
    )
    assert read(sentence, "Testadine") == ()


def test_a_list_of_uses_ends_before_a_main_clause_saying_what_is_done_now() -> None:
    facts = read(
        "While it is used for skin conditions like pemphigoid and dermatitis,  newer "
        "guidelines now favor other options.",
        "Testadine",
    )
    assert names(facts) == ["skin conditions", "pemphigoid", "dermatitis"]


# -- uses named by a role -----------------------------------------------------


def test_a_role_names_its_purpose_as_a_use() -> None:
    facts = read("Testadine is used as a mild sedative and local analgesic for ear conditions.")
    assert names(facts) == ["sedation", "local analgesia"]
    assert all(f.qualifier is not None and f.qualifier.text == "for ear conditions" for f in facts)
    assert [f.condition.evidence.quote for f in facts] == ["mild sedative", "local analgesic"]


def test_a_past_role_is_a_past_use() -> None:
    facts = read("Testadine has historically been used as a nasal decongestant.")
    assert names(facts) == ["nasal decongestion"]
    assert facts[0].qualifier is not None and facts[0].qualifier.text == "past use"


@pytest.mark.parametrize(
    "sentence",
    [
        "Testadine is not used as a sedative.",
        "Testadine may be used as a sedative.",
        "Testadine is used as a base for creams.",  # no listed role
    ],
)
def test_a_negated_hedged_or_unlisted_role_names_no_use(sentence: str) -> None:
    assert read(sentence, "Testadine") == ()


def test_a_role_followed_by_a_treating_verb_gives_the_verbs_object() -> None:
    facts = read("Testadine is used as an antiemetic to treat nausea after surgery.")
    assert names(facts) == ["nausea after surgery"]


def test_a_sentence_after_a_role_states_its_own_uses() -> None:
    facts = read(
        "Testadine is used as a topical antiseptic. Its main use is to prevent infection "
        "in minor cuts."
    )
    assert "topical antisepsis" in names(facts)
    assert any(name.startswith("infection") for name in names(facts))
