"""The place gazetteer and the rules that use it as evidence (places, sports teams, venues).

The gazetteer holds real places (that is its job), so its own tests name real
countries and regions; the people, bodies and towns around them are invented.
"""
from __future__ import annotations

import pytest

from indexer.entities import gazetteer
from indexer.entities.places import is_facility, missed_areas, sports_report

from entity_helpers import entities, spans_of


@pytest.mark.parametrize("name, kind", [
    ("Africa", "continent"), ("South America", "continent"),
    ("Kenya", "country"), ("U.S.", "country"), ("UK", "country"), ("the Netherlands", "country"),
    ("Singapore", "country"),  # a country and a city: the more prominent kind
    ("Tasmania", "region"), ("Ontario", "region"), ("Middle East", "region"),
    ("Nairobi", "city"),
    ("Velinor", None), ("Lakes", None), ("Central", None),  # invented; generic subdivision words
])
def test_kind_of_a_name(name, kind):
    assert gazetteer.kind(name) == kind


def test_small_api():
    assert gazetteer.is_country("Peru") and not gazetteer.is_country("Tasmania")
    assert gazetteer.is_region("Tasmania") and gazetteer.is_continent("Asia")
    assert gazetteer.is_area("Kenya") and not gazetteer.is_area("Nairobi")  # cities are not areas
    assert gazetteer.is_city("Nairobi", 1_000_000) and not gazetteer.is_city("Velinor")
    assert gazetteer.city_population("Velinor") == 0


@pytest.mark.parametrize("demonym, country", [
    ("Kenyan", "Kenya"), ("Peruvians", "Peru"), ("Dutch", "The Netherlands"), ("British", "United Kingdom"),
    ("Velinese", None),
])
def test_demonym_to_country(demonym, country):
    assert gazetteer.demonym_country(demonym) == country


def test_loaded_once_per_process():
    gazetteer.kind("Kenya"), gazetteer.kind("Nairobi")
    assert gazetteer._areas.cache_info().currsize == 1 and gazetteer._cities.cache_info().currsize == 1
    before = gazetteer._areas.cache_info().hits
    gazetteer.kind("Peru")
    assert gazetteer._areas.cache_info().hits == before + 1 and gazetteer._areas.cache_info().misses == 1


# --- gazetteer as evidence ---------------------------------------------------------------------

def test_known_region_or_country_read_as_a_person_or_body_is_a_place():
    text = "Growers in Tasmania said the season was poor. Tasmania exports fell, and Peru agreed."
    assert entities(text, ("Tasmania", "PERSON"), ("Tasmania", "ORG"), ("Peru", "PERSON")) == {
        "place": {"Tasmania", "Peru"}}


def test_gazetteer_never_overrides_a_person_cue():
    # An honorific, a given name, and a full name using the word: people stay people.
    text = "Mrs Georgia Velk spoke. Georgia said the plan works. Dr Kenya Marlowe agreed."
    result = entities(text, ("Mrs Georgia Velk", "PERSON"), ("Georgia", "PERSON"), ("Dr Kenya Marlowe", "PERSON"))
    assert result == {"person": {"Georgia Velk", "Kenya Marlowe"}}
    # An organisation with a head noun, or rule-backed, keeps its type.
    text = "The Peru Solidarity Trust met."
    assert entities(text, ("Peru Solidarity Trust", "ORG")) == {"organisation": {"Peru Solidarity Trust"}}


def test_a_big_city_read_as_a_person_is_a_place_but_not_a_known_name():
    text = "Traders in Nairobi said prices rose."
    assert entities(text, ("Nairobi", "PERSON")) == {"place": {"Nairobi"}}


def test_acronym_read_as_a_place_that_no_gazetteer_knows_is_an_organisation():
    text = "Officials of the VTO met officials from the UK."
    assert entities(text, ("VTO", "GPE"), ("UK", "GPE")) == {"organisation": {"VTO"}, "place": {"UK"}}


def test_missed_regions_and_countries_after_a_place_cue_are_added():
    text = "Farmers in Tasmania and Ontario, and traders from the Netherlands, met Ana Velk in Velinor."
    spans = missed_areas(text, spans_of(text, ("Ana Velk", "PERSON")))
    assert [text[s:e] for s, e, _ in spans] == ["Tasmania", "Ontario", "Netherlands", "Ana Velk"]
    assert entities(text, ("Ana Velk", "PERSON"))["place"] == {"Tasmania", "Ontario", "Netherlands"}


# --- sports reports ------------------------------------------------------------------------------

SPORTS = ("Kenya beat Peru 2-1 in the match at Velinor Stadium on Saturday, with the coach praising the squad. "
          "Ghana drew with Chile in the other group game, and the fans of Velinor cheered.")


def test_countries_that_play_in_a_sports_report_are_teams():
    assert sports_report(SPORTS)
    result = entities(SPORTS, ("Kenya", "GPE"), ("Peru", "GPE"), ("Velinor Stadium", "ORG"), ("Ghana", "GPE"),
                      ("Chile", "GPE"), ("Velinor", "GPE"))
    assert result == {"organisation": {"Kenya", "Peru", "Ghana", "Chile"},
                      "place": {"Velinor Stadium", "Velinor"}}


def test_countries_outside_sports_reports_stay_places():
    text = "Kenya beat its export record, and trade with Peru drew praise in the annual report."
    assert not sports_report(text)
    assert entities(text, ("Kenya", "GPE"), ("Peru", "GPE")) == {"place": {"Kenya", "Peru"}}


# --- venues ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, etype, facility", [
    ("Velinor Stadium", "organisation", True), ("Osk Space Centre", "organisation", True),
    ("Harbour Square", "person", True), ("Anna Park", "person", False), ("Osk Park", "organisation", True),
    ("Velinor Museum", "organisation", False),  # an institution: an organisation
])
def test_facilities_are_places(name, etype, facility):
    assert is_facility(name, etype) is facility


def test_venue_convention_facilities_places_institutions_organisations():
    text = "The crew flew from Velinor Airport to the Osk Space Centre; the Velinor Museum and Velinor Gallery lent works."
    result = entities(text, ("Velinor Airport", "FAC"), ("the Osk Space Centre", "ORG"), ("the Velinor Museum", "ORG"),
                      ("Velinor Gallery", "PERSON"))
    assert result == {"place": {"Velinor Airport", "Osk Space Centre"},
                      "organisation": {"Velinor Museum", "Velinor Gallery"}}


def test_untagged_team_that_beats_another_in_a_sports_report_is_added():
    text = "Harrowgate beat Velinor Rovers 3-1 on Sunday. Manager Tomas Kral praised the squad; They beat the odds."
    result = entities(text, ("Velinor Rovers", "ORG"))
    assert result == {"organisation": {"Harrowgate", "Velinor Rovers"}, "person": {"Tomas Kral"}}
    text = "Harrowgate beat its export record on Sunday."  # no sports report: nothing added
    assert entities(text) == {}


def test_a_missed_area_opening_a_longer_name_is_no_place_of_its_own():
    text = "Officials from the Ontario Ministry of Lakes met staff of the Ontario Velin Bank in Ontario."
    spans = missed_areas(text, spans_of(text, ("Ministry of Lakes", "ORG")))
    assert [(text[s:e], label) for s, e, label in spans] == [
        ("Ontario Ministry of Lakes", "ORG"), ("Ontario", "GPE")]  # the last one, after "in"


def test_a_business_cue_keeps_an_organisation_named_like_a_region():
    text = "Tasmania shares rose after Tasmania posted profits."
    assert entities(text, ("Tasmania", "ORG"), ("Tasmania", "ORG")) == {"organisation": {"Tasmania"}}


def test_a_country_that_is_also_a_given_name_is_a_place_without_a_person_cue():
    text = "Officials said Jordan signed the deal. Victoria agreed."
    assert entities(text, ("Jordan", "PERSON"), ("Victoria", "PERSON")) == {
        "place": {"Jordan"}, "person": {"Victoria"}}
