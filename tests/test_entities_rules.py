"""One test per entity rule, each with a before/after example of invented names.

These rules are pure functions over text and raw NER spans, so no spaCy model is
loaded here; tests/test_enrich.py runs the real pipeline end to end.
"""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from indexer.entities.links import acronym_links, is_acronym, person_links, short_form_links
from indexer.entities.normalise import best_spelling, clean_name, fold, strip_honorifics
from indexer.entities.resolve import make_mention
from indexer.entities.spans import (
    acronym_spans, extend_persons, intro_places, join_adjacent_surname, join_connectors, overlap_checker,
    split_acronym_person, split_joined_organisations, split_lines, titled_persons, trim_lowercase_tail,
)
from indexer.entities.types import is_event, is_nationality, repair_type
from indexer.entities.years import mentioned_years, metadata_date_spans


from entity_helpers import entities, spans_of


# --- 1. normalisation -------------------------------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("the Harbour Trust", "Harbour Trust"),
    ("Novak's", "Novak"),
    ("Marta Lindqvist’s", "Marta Lindqvist"),
    ("“Kestrel Foundation”,", "Kestrel Foundation"),
    ("  Port   Velin\n ", "Port Velin"),
    ("James'", "James"),
])
def test_clean_name_strips_article_possessive_quotes_and_spaces(raw, clean):
    assert clean_name(raw) == clean


@pytest.mark.parametrize("raw, name, honorific", [
    ("Mrs Irena Novak", "Irena Novak", True),
    ("H.E. Tomas Kral", "Tomas Kral", True),
    ("His Excellency Tomas Kral", "Tomas Kral", True),
    ("Ambassador Tomas Kral", "Tomas Kral", False),
    ("Vice-President Ana Ruiz", "Ana Ruiz", False),
    ("Dr. Marta Lindqvist MP", "Marta Lindqvist", True),
    ("Cllr Oskar Brandt", "Oskar Brandt", False),
    ("M. Luc Ferrand", "Luc Ferrand", True),
    ("Striker Kofi Mensah-Dahl", "Kofi Mensah-Dahl", False),
    ("He Lin", "He Lin", False),  # "He" is a surname; only "H.E." is the honorific
    ("Singer Brown", "Singer Brown", False),  # a role word is kept when it would leave one word
])
def test_strip_honorifics_and_titles(raw, name, honorific):
    assert strip_honorifics(raw) == (name, honorific)


def test_fold_joins_case_diacritic_and_transliteration_variants():
    assert fold("Jiří Dvorník") == fold("JIRI DVORNIK") == fold("Jiri  Dvornik") == "jiri dvornik"
    assert fold("Vice-President") == fold("vice president")
    assert fold("Jiří") != fold("George")


def test_display_spelling_is_most_frequent_with_diacritics_winning_ties():
    assert best_spelling({"Jiri Dvornik": 1, "Jiří Dvorník": 1}) == "Jiří Dvorník"
    assert best_spelling({"Jiri Dvornik": 3, "Jiří Dvorník": 1}) == "Jiri Dvornik"


# --- 3. type repair -----------------------------------------------------------------------------

def test_honorific_makes_a_person():
    # before: the model tags "H.E. Tomas Kral" as an organisation
    assert repair_type("Tomas Kral", "H.E. Tomas Kral", "organisation") == "person"


def test_title_and_two_name_words_make_a_person():
    # before: "Councillor Tessa Varn" tagged as an organisation
    assert repair_type("Tessa Varn", "Councillor Tessa Varn", "organisation") == "person"
    assert repair_type("General Rivets", "General Rivets", "organisation") == "organisation"


def test_organisational_head_noun_makes_an_organisation():
    assert repair_type("Velin Rowing Association", "Velin Rowing Association", "person") == "organisation"
    assert repair_type("Embassy of Perlandia", "Embassy of Perlandia", "place") == "organisation"
    # A head noun that also ends place names does not overrule a place label.
    assert repair_type("West Bank", "West Bank", "place") == "place"


def test_nationality_adjective_alone_is_no_entity():
    assert is_nationality("Estonian") and is_nationality("Peruvians") and is_nationality("Estonian–Latvian")
    assert is_nationality("Latvian, Estonian & Danish")
    assert is_nationality("Kyrgyzstani") and is_nationality("Tajikistanis")  # the "-stani" forms too
    assert repair_type("Estonian", "Estonian", "person") is None
    assert not is_nationality("Estonian Rowing Society")


def test_events_and_time_zones_are_no_entities():
    assert is_event("Velin Film Festival") and repair_type("Velin Film Festival", "Velin Film Festival", "organisation") is None
    assert repair_type("UTC +03:00", "UTC +03:00", "organisation") is None


def test_person_after_a_work_noun_is_a_title_in_every_mention():
    text = "The documentary Silent Harbour was shown twice. Silent Harbour won a prize."
    got = entities(text, ("Silent Harbour", "PERSON"), ("Silent Harbour", "PERSON"))
    assert "person" not in got


def test_lowercase_spans_and_bare_head_nouns_are_dropped():
    assert make_mention("the eelgrass grew", 4, 12, "ORG") is None
    assert make_mention("the Cabinet met", 4, 11, "ORG") is None


def test_place_cue_turns_an_organisation_into_a_place():
    text = "The festival was held in Dravik last week."
    assert entities(text, ("Dravik", "ORG")) == {"place": {"Dravik"}}


def test_place_in_a_list_of_places():
    text = "Events took place in Velin, Dravik and Osterholm."
    got = entities(text, ("Velin", "GPE"), ("Dravik", "ORG"), ("Osterholm", "GPE"))
    assert got == {"place": {"Velin", "Dravik", "Osterholm"}}


def test_every_name_listed_after_a_plural_place_noun_is_a_place():
    # Before: the model read the listed names as people and missed one entirely.
    text = "Aid reached the hill-top villages of Orvek, Sanna Dol, Teskir and Halvard Rin near Dravik."
    got = entities(text, ("Orvek", "PERSON"), ("Sanna Dol", "PERSON"), ("Halvard Rin", "PERSON"), ("Dravik", "GPE"))
    assert got == {"place": {"Orvek", "Sanna Dol", "Teskir", "Halvard Rin", "Dravik"}}


def test_a_name_after_a_person_and_comma_of_is_where_they_live():
    text = "The farmer Tomas Reyn, of Kelmworth, said the road was closed."
    assert entities(text, ("Tomas Reyn", "PERSON"), ("Kelmworth", "ORG")) == \
        {"person": {"Tomas Reyn"}, "place": {"Kelmworth"}}
    # "…, of the Harbour Trust," names a body: the head noun keeps it an organisation.
    text = "Ilse Varn, of the Harbour Trust, said so."
    assert entities(text, ("Ilse Varn", "PERSON"), ("the Harbour Trust", "ORG")) == \
        {"person": {"Ilse Varn"}, "organisation": {"Harbour Trust"}}


def test_a_plural_head_noun_shared_by_two_countries_gives_two_organisations():
    text = "The Ministries of Transport of Perlandia and the Republic of Ostmark signed the accord."
    got = entities(text, ("The Ministries of Transport", "ORG"), ("Perlandia", "GPE"),
                   ("the Republic of Ostmark", "GPE"))
    assert got == {"organisation": {"Ministry of Transport of Perlandia",
                                    "Ministry of Transport of the Republic of Ostmark"}}


def test_a_common_word_before_a_given_name_is_cut_from_a_person():
    # The model ran the end of "Minister of Foreign Affairs" into the name.
    text = "Deputy Minister of Foreign Affairs Carmen Ruiz Toval opened the talks."
    assert entities(text, ("Affairs Carmen Ruiz Toval", "PERSON")) == {"person": {"Carmen Ruiz Toval"}}


def test_names_with_digits_streets_bare_plural_heads_and_lone_titles_are_no_entities():
    text = "Councils said COVID-19 rules would end, and our Treasurer agreed on Lindqvist Road."
    assert entities(text, ("Councils", "ORG"), ("COVID-19", "PERSON"), ("Treasurer", "PERSON"),
                    ("Lindqvist Road", "PERSON")) == {}
    # A square is a facility you go to: a place (the venue convention), not a person.
    text = "They gathered on Lindqvist Square."
    assert entities(text, ("Lindqvist Square", "PERSON")) == {"place": {"Lindqvist Square"}}
    # As a title the office is stripped from the name it introduces.
    text = "State Treasurer Mara Quill agreed."
    assert entities(text, ("Treasurer Mara Quill", "PERSON")) == {"person": {"Mara Quill"}}


def test_dateline_place():
    text = "Market reopens\n\nDravik, March 12\n\nThe market reopened on Tuesday."
    assert entities(text, ("Dravik", "ORG")) == {"place": {"Dravik"}}


def test_bracket_after_a_dateline_is_the_news_agency():
    text = "DRAVIK, May 3, 2021 (Osk Valley Wire) - Floods hit the town."
    # The place of the dateline, in capitals and untagged, is found too (see test_entities_wire).
    assert entities(text, ("Osk Valley Wire", "GPE")) == {"organisation": {"Osk Valley Wire"}, "place": {"DRAVIK"}}


def test_given_name_with_recurring_surname_is_a_person():
    text = "Helena Marsh opened the hall. Later Marsh thanked the donors."
    got = entities(text, ("Helena Marsh", "ORG"), ("Marsh", "ORG"))
    assert got == {"person": {"Helena Marsh"}}


def test_within_document_majority_type():
    text = "Osterholm grew. Osterholm is a port. Visitors love Osterholm."
    got = entities(text, ("Osterholm", "GPE"), ("Osterholm", "PERSON"), ("Osterholm", "GPE"))
    assert got == {"place": {"Osterholm"}}


# --- 2. within-document resolution --------------------------------------------------------------

def test_surname_and_first_name_resolve_to_the_full_name():
    text = "Irena Novak spoke first. Novak said the plan works. Irena laughed."
    got = entities(text, ("Irena Novak", "PERSON"), ("Novak", "ORG"), ("Irena", "PERSON"))
    assert got == {"person": {"Irena Novak"}}


def test_ambiguous_surname_is_not_resolved_and_not_an_organisation():
    text = "Irena Novak and Pavel Novak arrived. Novak said little."
    got = entities(text, ("Irena Novak", "PERSON"), ("Pavel Novak", "PERSON"), ("Novak", "ORG"))
    assert got == {"person": {"Irena Novak", "Pavel Novak"}}


def test_hyphenated_surname_resolves():
    text = "Dr Amira Holt-Varga led the study. Holt-Varga said it was hard."
    got = entities(text, ("Dr Amira Holt-Varga", "PERSON"), ("Holt-Varga", "ORG"))
    assert got == {"person": {"Amira Holt-Varga"}}


def test_bracketed_acronym_joins_the_full_name():
    text = "The Northern Rivers Trust (NRT) met. NRT said yes. NRT Estonia agreed."
    got = entities(text, ("The Northern Rivers Trust", "ORG"), ("NRT", "ORG"), ("NRT", "GPE"), ("NRT Estonia", "ORG"))
    assert got == {"organisation": {"Northern Rivers Trust"}}


def test_is_acronym():
    assert is_acronym("NRT", ["Northern", "Rivers", "Trust"])
    assert is_acronym("TEAS", ["The", "Estonian", "Arts", "Society"])
    assert is_acronym("BoP", ["Bank", "of", "Perlandia"])
    assert not is_acronym("NRT", ["Northern", "Trust"])


def test_bare_acronym_of_one_organisation_in_the_document():
    text = "The Velin Harbour Authority said no. Later VHA said yes."
    got = entities(text, ("The Velin Harbour Authority", "ORG"), ("VHA", "ORG"))
    assert got == {"organisation": {"Velin Harbour Authority"}}


def test_short_forms_of_organisations_and_places():
    text = "Dravik Rovers won. Rovers fans cheered. The Dravik Philharmonic Society played; " \
           "the Dravik Philharmonic bowed. The River Osk rose; the Osk flooded."
    got = entities(text, ("Dravik Rovers", "ORG"), ("Rovers", "PERSON"), ("The Dravik Philharmonic Society", "ORG"),
                   ("the Dravik Philharmonic", "ORG"), ("The River Osk", "LOC"), ("Osk", "GPE"))
    assert got == {"organisation": {"Dravik Rovers", "Dravik Philharmonic Society"}, "place": {"River Osk"}}


def test_name_only_in_a_title_case_headline_is_dropped():
    text = "Velin Council Approves Harbour Wall\n\nThe Velin Council voted for the wall on Tuesday."
    got = entities(text, ("Velin Council Approves Harbour Wall", "ORG"), ("The Velin Council", "ORG"))
    assert got == {"organisation": {"Velin Council"}}
    # A name in the headline that the body repeats stays.
    text = "Mayor Odile Brandt Opens New Bridge Today\n\nOdile Brandt cut the ribbon."
    got = entities(text, ("Odile Brandt", "PERSON"), ("Odile Brandt", "PERSON"))
    assert got == {"person": {"Odile Brandt"}}


def test_common_noun_capitalised_at_sentence_start_is_dropped():
    text = "Kelp covers the bay. The kelp grows fast."
    assert entities(text, ("Kelp", "ORG")) == {}


# --- span repair --------------------------------------------------------------------------------

def test_spans_are_cut_at_line_breaks():
    text = "Clean-up on the River Osk\n\nDRAVIK, May 3"
    assert split_lines(text, [(16, len(text) - 7, "GPE")]) == [(16, 25, "GPE"), (27, 33, "GPE")]


def test_person_span_grows_over_missing_name_words():
    text = "The race was won by Kofi Abena Mensah of Ghana. Ms Adjoa Boateng Quaye, an official, said so."
    before = spans_of(text, ("Abena Mensah", "PERSON"), ("Ghana", "GPE"), ("Boateng Quaye", "PERSON"))
    after = extend_persons(text, before)
    assert [text[s:e] for s, e, _ in after] == ["Kofi Abena Mensah", "Ghana", "Ms Adjoa Boateng Quaye"]


@given(st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=12),
       st.integers(0, 70), st.integers(1, 12))
def test_overlap_check_by_bisection_matches_the_plain_definition(raw, s, length):
    # extend_persons checks each candidate word against every span; the bisection
    # must answer exactly as the plain scan would, overlapping spans included.
    intervals = [(a, a + n) for a, n in raw]
    e = s + length
    assert overlap_checker(intervals)(s, e) == (not any(a < e and s < b for a, b in intervals))


def test_everyday_words_run_onto_a_name_are_trimmed():
    text = "the Velwire news agency said. The Académie des sciences met. Ostbrook bank paid."
    before = spans_of(text, ("Velwire news agency", "ORG"), ("Académie des sciences", "ORG"), ("Ostbrook bank", "ORG"))
    after = trim_lowercase_tail(text, before)
    # A name that would end in a lowercase particle stays whole, and so does a single head noun.
    assert [text[s:e] for s, e, _ in after] == ["Velwire", "Académie des sciences", "Ostbrook bank"]


def test_one_span_holding_two_organisations_is_split():
    text = ("funded by the Department of Fisheries, Department of Ports and the Ostmark Institute. "
            "The Department of Health’s Office of Rural Clinics agreed. Children's Hospital of Velin too.")
    before = spans_of(text, ("the Department of Fisheries, Department of Ports", "ORG"),
                      ("The Department of Health’s Office of Rural Clinics", "ORG"),
                      ("Children's Hospital of Velin", "ORG"))
    after = split_joined_organisations(text, before)
    assert [text[s:e] for s, e, _ in after] == [
        "Department of Fisheries", "Department of Ports", "Department of Health", "Office of Rural Clinics",
        "Children's Hospital of Velin",  # no head noun before the possessive: one name
    ]


def test_a_surname_labelled_on_its_own_joins_the_person_before_it():
    text = "President Arvo Tamsin Kellberg's government fell. Kellberg resigned."
    before = spans_of(text, ("Arvo Tamsin", "PERSON"), ("Kellberg", "ORG"), ("Kellberg", "PERSON"))
    assert [(text[s:e], lab) for s, e, lab in join_adjacent_surname(text, before)] == \
        [("Arvo Tamsin Kellberg", "PERSON"), ("Kellberg", "PERSON")]


def test_connector_joins_a_cut_name():
    text = "the Ministry of Water and Lake Basins said"
    before = spans_of(text, ("Ministry of Water and", "ORG"), ("Lake Basins", "LOC"))
    assert [text[s:e] for s, e, _ in join_connectors(text, before)] == ["Ministry of Water and Lake Basins"]


def test_acronym_repairs_a_split_name():
    text = "organised by The Estonian Arts Socety (TEAS) in Velin"
    before = spans_of(text, ("The Estonian", "ORG"), ("Socety", "PERSON"), ("Velin", "GPE"))
    after = acronym_spans(text, before)
    assert [(text[s:e], lab) for s, e, lab in after] == [("The Estonian Arts Socety", "ORG"), ("Velin", "GPE")]


def test_acronym_followed_by_a_person_is_split():
    text = "said VELCO Helena Marsh on Monday"
    after = split_acronym_person(text, spans_of(text, ("VELCO Helena Marsh", "ORG")))
    assert [(text[s:e], lab) for s, e, lab in after] == [("VELCO", "ORG"), ("Helena Marsh", "PERSON")]


def test_titled_person_missed_by_the_model_is_added():
    text = "Mayor Odile Brandt-Sauer said the bridge will stay."
    after = titled_persons(text, [])
    assert [text[s:e] for s, e, _ in after] == ["Mayor Odile Brandt-Sauer"]


def test_town_of_introduces_a_place():
    text = "He was born in the small town of Dřevín in 1950."
    assert [text[s:e] for s, e, _ in intro_places(text, [])] == ["Dřevín"]


# --- 6. years ------------------------------------------------------------------------------------

TODAY = dt.date(2024, 6, 1)


def years(text: str, *dates: str) -> list[int]:
    return mentioned_years(text, [(s, e) for s, e, _ in spans_of(text, *[(d, "DATE") for d in dates])], TODAY)


def test_years_in_time_context_are_found():
    assert years("The trust was founded in 1992 and launched a campaign in 2008.") == [1992, 2008]
    assert years("Between 1990 and 1995 the port grew.") == [1990, 1995]
    assert years("It ran (1971–1974) on Feb. 26, 1992.") == [1971, 1974, 1992]
    assert years("On the last day of the 2019 season they won.") == [2019]
    assert years("The storm in May 2008 hit hard.", "May 2008") == [2008]


def test_counts_addresses_and_prices_are_not_years():
    assert years("The disaster killed 613 people and displaced 1200 residents in 1992.") == [1992]
    assert years("The office at 1840 Harbour Road opened.", "1840") == []
    assert years("Tickets cost $2000 and room 1999 was full.") == []
    assert years("The fund rose by 1500 residents.") == []


def test_implausible_years_are_ignored():
    assert years("In 999 and in 2030 nothing happened; in 2025 something did.") == [2025]


def test_the_articles_own_date_stamp_is_not_a_mentioned_year():
    text = "Bridge reopens\nDate: 2021-11-03\n\nDRAVIK, March 3, 2021 (Velin Wire) - The bridge built in 1910 reopened."
    assert len(metadata_date_spans(text)) == 2
    assert years(text) == [1910]
    # The same year in the body is still a mentioned year.
    assert years(text + " Work began in 2021.") == [1910, 2021]
