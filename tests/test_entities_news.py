"""Error classes seen on unseen real news (issue 13), one test per rule, invented names only.

Pure functions over text and hand-written NER spans: no spaCy model is loaded here.
"""
from __future__ import annotations

import pytest

from indexer.entities.normalise import clean_name, strip_honorifics
from indexer.entities.products import is_code_or_version, product_vocabulary, vehicle_name
from indexer.entities.resolve import TentativeEntity, resolve_document
from indexer.entities.spans import join_split_organisation, split_office_holder

from entity_helpers import entities, spans_of


# --- abbreviation periods and broken spans ---------------------------------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("U.V.", "U.V."),  # initials keep their final period
    ("the V.R.", "V.R."),
    ("Osk, D.V.", "Osk, D.V."),
    ("Kellwater Holdings Inc.", "Kellwater Holdings Inc."),
    ("Harbour Trust.", "Harbour Trust"),  # a sentence's period is no part of a name
    ("Velmora Health Agency (VHA", "Velmora Health Agency"),  # unbalanced bracket
    ("VHA)", "VHA"),
    ("a Velmora Health Agency", "Velmora Health Agency"),  # a leading article
    ("an Osk Council", "Osk Council"),
    ("A Velmora Trust", "Velmora Trust"),
    ("A Corvela", "A Corvela"),  # a capital "A" before one word may be the name's own
])
def test_clean_name_keeps_abbreviations_and_mends_broken_spans(raw, clean):
    assert clean_name(raw) == clean


def test_unclosed_bracket_acronym_still_joins_its_long_form():
    text = "The Velmora Health Agency (VHA said on Tuesday it would act. VHA staff arrive soon."
    assert entities(text, ("Velmora Health Agency (VHA", "ORG"), ("VHA", "ORG")) == {
        "organisation": {"Velmora Health Agency"}}


def test_acronym_and_long_form_are_one_value_displayed_as_the_long_form():
    text = "The VTA (Velmora Trade Agency) met on Monday. VTA officials said the Velmora Trade Agency would act."
    assert entities(text, ("VTA", "ORG"), ("Velmora Trade Agency", "ORG"), ("VTA", "ORG"),
                    ("Velmora Trade Agency", "ORG")) == {"organisation": {"Velmora Trade Agency"}}
    text = "The Osk Rivers Council (ORC) met. ORC chair Mira Tallis spoke."
    assert entities(text, ("Osk Rivers Council", "ORG"), ("ORC", "PERSON"), ("Mira Tallis", "PERSON")) == {
        "organisation": {"Osk Rivers Council"}, "person": {"Mira Tallis"}}


# --- descriptors glued to names ---------------------------------------------------------------------

@pytest.mark.parametrize("raw, name", [
    ("Catholic Tomasz Brevik", "Tomasz Brevik"),
    ("Republican Anna Kellmar", "Anna Kellmar"),
    ("Kenyan Joseph Oruvo", "Joseph Oruvo"),  # a nationality adjective
    ("Administrator Morrow", "Morrow"),
    ("Democrat Kellmar", "Democrat Kellmar"),  # one name word would be left: kept
])
def test_religious_party_and_nationality_descriptors_are_stripped(raw, name):
    assert strip_honorifics(raw)[0] == name


def test_office_title_between_an_organisation_and_a_person_splits_them():
    text = "Velin Space Agency Administrator Dalen Morrow said so. The VSA Administrator agreed."
    spans = split_office_holder(text, spans_of(text, ("Velin Space Agency Administrator Dalen Morrow", "PERSON"),
                                               ("VSA Administrator", "ORG")))
    assert [(text[s:e], label) for s, e, label in spans] == [
        ("Velin Space Agency", "ORG"), ("Dalen Morrow", "PERSON"), ("VSA", "ORG")]
    text = "Velin Space Agency Administrator Dalen Morrow said so. Administrator Morrow added more."
    assert entities(text, ("Velin Space Agency Administrator Dalen Morrow", "PERSON"), ("Morrow", "PERSON")) == {
        "organisation": {"Velin Space Agency"}, "person": {"Dalen Morrow"}}


def test_a_title_inside_a_name_without_an_organisation_before_it_stays():
    text = "Mara Quill Administrator of the fund spoke."
    assert split_office_holder(text, spans_of(text, ("Mara Quill Administrator", "PERSON"))) == [(0, 24, "PERSON")]


# --- hyphenated given names, name order --------------------------------------------------------------

def test_hyphenated_given_name_cut_by_the_model_is_whole_and_order_kept():
    text = "Legislator Chan Kwok-wing and lawmaker Leung Siu-fai spoke. Chan said no. The Novak Tomas-led group met."
    result = entities(text, ("Chan Kwok", "PERSON"), ("Leung Siu-fai", "PERSON"), ("Chan", "PERSON"),
                      ("Novak Tomas", "PERSON"))
    # Surname first as written; "Chan" alone joins the full name; "-led" is no syllable of a name.
    assert result == {"person": {"Chan Kwok-wing", "Leung Siu-fai", "Novak Tomas"}}


# --- products, vehicles, software, missions -------------------------------------------------------------

@pytest.mark.parametrize("name, code", [
    ("XR-7", True), ("VT9", True), ("Velnet 4.2", True), ("Osk Phone X5", True),
    ("Velox-19", True), ("Channel 4", False), ("G7", False), ("G-20", False), ("Velin Trust", False),
    ("F-16", False),
])
def test_codes_and_versions(name, code):
    assert is_code_or_version(name) is code


def test_vehicles_missions_and_products_are_no_entities():
    assert vehicle_name("Space Shuttle Meridian") == "Meridian" and vehicle_name("Meridian Trust") is None
    text = "The Space Shuttle Meridian landed. Officials said Meridian had performed well on the XR-7 mission."
    assert entities(text, ("Space Shuttle Meridian", "ORG"), ("Meridian", "ORG"), ("XR-7", "ORG")) == {}
    text = "Crews boarded the spacecraft Halvard at dawn; Halvard docked at noon."
    assert entities(text, ("Halvard", "PERSON"), ("Halvard", "PERSON")) == {}


def test_lone_product_words_read_as_people_in_a_text_about_software():
    text = ("Users of Velnet 4.2 should upgrade the software, the firm said. Chrome and Safari were not affected, "
            "Velfox users are safe, Anna Kowal said; Kowal uses it.")
    assert product_vocabulary(text)
    result = entities(text, ("Velnet 4.2", "ORG"), ("Chrome", "PERSON"), ("Safari", "PERSON"),
                      ("Velfox", "PERSON"), ("Anna Kowal", "PERSON"), ("Kowal", "PERSON"))
    assert result == {"person": {"Anna Kowal"}}
    # Without that vocabulary a lone name stays.
    text = "Velfox arrived on Monday and spoke to the crowd."
    assert entities(text, ("Velfox", "PERSON")) == {"person": {"Velfox"}}


# --- organisations --------------------------------------------------------------------------------------

def test_organisation_cut_before_its_head_noun_phrase_is_joined():
    text = "The Ministry of Coastal Affairs and the Velin Labour Party welcomed it; Osk Velin Trust too."
    spans = join_split_organisation(text, spans_of(text, ("Ministry of Coastal Affairs", "ORG"), ("the Velin", "ORG"),
                                                   ("Labour Party", "ORG")))
    assert [text[s:e] for s, e, _ in spans] == ["Ministry of Coastal Affairs", "the Velin Labour Party"]
    assert entities(text, ("the Velin", "ORG"), ("Labour Party", "ORG")) == {"organisation": {"Velin Labour Party"}}


def test_ampersand_names_a_firm_and_shares_in_is_no_place_cue():
    text = "Shares in Kellwater & Brandt fell. A spokesman for Kellwater & Brandt declined to comment."
    assert entities(text, ("Kellwater & Brandt", "ORG"), ("Kellwater & Brandt", "PERSON")) == {
        "organisation": {"Kellwater & Brandt"}}
    text = "Investors bought shares in Velmont on Monday, while farmers in Velmont protested."
    assert entities(text, ("Velmont", "ORG")) == {"organisation": {"Velmont"}}


def test_organisation_cues_retype_people_and_unknown_places():
    text = "Velmont's chief executive, Dara Quill, spoke. Analysts said Brixo shares would rise."
    assert entities(text, ("Velmont", "PERSON"), ("Dara Quill", "PERSON"), ("Brixo", "GPE")) == {
        "organisation": {"Velmont", "Brixo"}, "person": {"Dara Quill"}}
    # A known place keeps its type: "Kenya's profits" is a country's economy.
    text = "Kenya's profits from tea rose."
    assert entities(text, ("Kenya", "GPE")) == {"place": {"Kenya"}}


def test_untagged_company_in_an_organisation_position_is_added_and_joins_its_full_name():
    text = "Orlanda Motors agreed to buy Pellworth Group. Pellworth shares rose 5%, and its shares doubled."
    assert entities(text, ("Orlanda Motors", "ORG"), ("Pellworth Group", "ORG")) == {
        "organisation": {"Orlanda Motors", "Pellworth Group"}}
    text = "Bank shares rose. A spokesman for Anna said no."  # common words and given names are no company
    assert entities(text) == {}


def test_a_legislature_named_alone_is_kept_but_not_a_bare_council():
    text = "Congress passed the bill, the Senate will vote, and the Council met."
    assert entities(text, ("Congress", "ORG"), ("Senate", "ORG"), ("Council", "ORG")) == {
        "organisation": {"Congress", "Senate"}}


def test_a_one_word_name_that_reports_is_a_name_even_at_a_sentence_start():
    # Tentative values survive only if another article confirms them; a name that says something is sure.
    text = "Harvest said on Monday it would hire staff.\nFounded in 2011, the firm grew."
    found = resolve_document(text, spans_of(text, ("Harvest", "ORG"), ("Founded", "PERSON")))
    assert {e.name: isinstance(e, TentativeEntity) for e in found} == {"Harvest": False, "Founded": True}


def test_vehicle_named_once_in_full_drops_its_later_bare_mentions():
    text = "The space shuttle Meridian landed at dawn. Officials said Meridian performed well."
    assert entities(text, ("Meridian", "ORG")) == {}


def test_role_word_before_a_known_given_name_introduces_a_person_even_after_a_sentence_end():
    text = "The side won on Sunday. Striker Kofi Mensah scored; Coach House Velin was shut."
    assert entities(text) == {"person": {"Kofi Mensah"}}


def test_a_spokesman_for_a_person_named_in_full_is_no_organisation():
    text = "Anna Kowal won the vote. A spokesman for Kowal said she was pleased."
    assert entities(text, ("Anna Kowal", "PERSON"), ("Kowal", "ORG")) == {"person": {"Anna Kowal"}}
    text = "Nairobi shares fell and a spokesman for Kowal declined to comment."  # a large city's market
    assert entities(text) == {"organisation": {"Kowal"}}
