"""Precision rules of the indication extractor: what is never read as a condition
(invented sentences, one rule per test)."""

from __future__ import annotations

from medkg.extract.indication.filters import function_words_only, is_generic

from .test_extract_indications import names, read


def test_examples_of_a_negated_piece_are_no_conditions() -> None:
    facts = read(
        "Testadine is used for symptomatic relief and does not cure the root cause of the "
        "cold (e.g., a viral illness)."
    )
    assert names(facts) == []


def test_multiple_before_a_name_is_part_of_it() -> None:
    facts = read("Examplumab is used to treat multiple myeloma and multiple sclerosis.")
    assert names(facts) == ["multiple myeloma", "multiple sclerosis"]


def test_a_generic_head_after_vague_words_is_no_condition() -> None:
    assert names(read("Examplumab is used for previously untreated cases.")) == []
    assert names(read("Testadine is used for two key purposes: pain and fever.")) == []
    assert is_generic("severe cases") and not is_generic("bacterial vaginosis cases")
    # before "of X" the head is kept with its condition
    assert names(read("It treats severe cases of asthma.")) == ["severe cases of asthma"]


def test_adverbs_alone_are_no_condition() -> None:
    facts = read("Testadine is used to treat gout or, less often, bursitis.")
    assert names(facts) == ["gout", "bursitis"]
    assert function_words_only("sometimes") and not function_words_only("gout")


def test_a_measure_of_a_condition_gives_the_condition() -> None:
    facts = read("Examplumab is used to reduce the frequency and severity of cluster headaches.")
    assert names(facts) == ["cluster headaches"]


def test_a_possible_risk_is_no_condition() -> None:
    assert names(read("This product is designed to reduce the potential for misuse.")) == []


def test_a_descriptive_clause_and_its_examples_are_no_conditions() -> None:
    facts = read(
        "Testadine is used for hay fever. This includes seasonal hay fever, characterized "
        "by symptoms like sneezing, runny nose and itchy eyes, manifesting as red eyes."
    )
    assert names(facts) == ["hay fever", "seasonal hay fever"]


def test_a_dangling_coordinator_or_parenthesis_is_cut_from_the_term() -> None:
    facts = read("Testadine is used to treat bedwetting (nocturnal enuresis; a common issue).")
    assert names(facts) == ["bedwetting"]
    facts = read(
        "Testadine is used to treat kidney infections (like nephritis) or, less often, gout."
    )
    assert names(facts) == ["kidney infections", "gout"]


def test_a_hedged_this_includes_names_no_condition() -> None:
    facts = read("Examplumab is used to treat skin conditions. This might include eczema or acne.")
    assert names(facts) == ["skin conditions"]


def test_this_refers_to_under_a_component_label_is_no_use() -> None:
    facts = read(
        "Testadine is used to treat anaemia. Each component plays a role:\n\n"
        "* **Zinc:** This refers to a mixture of several salts.\n"
    )
    assert names(facts) == ["anaemia"]


def test_a_relative_that_is_contracted_is_the_qualifier() -> None:
    facts = read("Its primary use is for pain that's lasting and needs daily opioid treatment.")
    assert names(facts) == ["pain"]


def test_helps_with_coordinated_verbs_is_one_trigger() -> None:
    facts = read("It helps to prevent or control nausea after surgery.")
    assert names(facts) == ["nausea after surgery"]


def test_a_label_whose_body_calls_the_evidence_weak_states_no_use() -> None:
    facts = read(
        "Its main uses include:\n\n"
        "* **Gout:** A related medicine is commonly used for gout. Examplumab has shown some "
        "use in a few cases, but its role is less established.\n"
    )
    assert names(facts) == []


def test_a_letter_coordinated_with_a_name_takes_its_words() -> None:
    assert names(read("Testadine is used to treat hepatitis B and C.")) == [
        "hepatitis B",
        "hepatitis C",
    ]


def test_a_term_that_opens_with_a_verb_of_the_drug_is_no_condition() -> None:
    facts = read("Its main uses include:\n\n* **Cramps:** Alleviates pain and discomfort.\n")
    assert names(facts) == ["Cramps"]
    assert names(read("Testadine is used for cleaning minor cuts.")) == []
