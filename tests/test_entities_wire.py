"""Wire-story furniture, fields of work and competitions (issue 13, second round of rules).

Invented names; real country names only where the place gazetteer is the evidence.
Pure functions over text and hand-written NER spans: no spaCy model is loaded here.
"""
from __future__ import annotations

import pytest

from indexer.entities.datelines import credit_spans, dateline_spans
from indexer.entities.phrases import is_field_phrase
from indexer.entities.spans import extend_cut_organisations
from indexer.entities.normalise import clean_name
from indexer.entities.types import is_not_a_name

from entity_helpers import entities, spans_of


def _field(text: str, name: str) -> bool:
    start = text.index(name)
    return is_field_phrase(text, start, start + len(name))


def _named(text: str, spans) -> set[tuple[str, str]]:
    return {(text[a:b], label) for a, b, label in spans}


# --- datelines and credits ------------------------------------------------------------------------

def test_a_dateline_in_capitals_is_a_place_when_a_known_country_follows_and_its_agency_an_organisation():
    text = "Banks report profits\n\nBRANDOVER, Norway, March 3 (Velwire) - Quarstone Bank said on Monday.\n"
    assert _named(text, dateline_spans(text, [])) == {("BRANDOVER", "GPE"), ("Velwire", "ORG")}
    found = entities(text)
    assert found["place"] == {"BRANDOVER"} and found["organisation"] == {"Velwire"}


def test_a_known_city_in_capitals_opens_a_dateline_even_without_a_country():
    text = "Squad named\n\nLAHORE: The Velmora Cricket Board named its squad on Monday.\n"
    assert ("LAHORE", "GPE") in _named(text, dateline_spans(text, [(24, 30, "ORG")]))


def test_capitals_that_are_no_known_place_and_no_dateline_are_left_alone():
    text = "KESTREL, the new fund, opened on Monday.\n\nVELTAG said it would list in May.\n"
    assert dateline_spans(text, []) == []


def test_a_model_span_over_the_dateline_is_replaced_not_doubled():
    text = "ODESSA, Ukraine (Velwire) - Talks resumed.\n"
    spans = dateline_spans(text, [(0, 6, "ORG"), (8, 15, "GPE")])
    assert _named(text, spans) == {("ODESSA", "GPE"), ("Ukraine", "GPE"), ("Velwire", "ORG")}


def test_people_in_a_credit_line_are_people():
    text = "Profits rose.\n\nReporting by Anil Varghese and Ruth Kell in Kelburn; Editing by Tom Hollis\n"
    spans = credit_spans(text, spans_of(text, ("Anil Varghese", "ORG")))
    assert _named(text, spans) == {("Anil Varghese", "PERSON"), ("Ruth Kell", "PERSON"), ("Tom Hollis", "PERSON")}


def test_a_long_first_line_is_the_story_not_a_title_case_headline():
    # With no headline, the dateline sentence opens the text; its names are no headline-only words.
    text = ("KELBURN, Norway, March 3 (Velwire) - Quarstone Bank Corp and Teller Group Inc Reported Higher "
            "Profits On Tuesday As Lending Grew Across The Region And Fees Rose.\n\nAnalysts were pleased.\n")
    found = entities(text, ("Quarstone Bank Corp", "ORG"), ("Teller Group Inc", "ORG"))
    assert found["organisation"] >= {"Quarstone Bank Corp", "Teller Group Inc"}


# --- fields of work -------------------------------------------------------------------------------

@pytest.mark.parametrize("text, name", [
    ("the Minister of Cabinet Affairs said", "Cabinet Affairs"),
    ("cooperation in the field of Security and Crime Combatting.", "Security and Crime Combatting"),
    ("in areas of Culture/Arts and tourism", "Culture/Arts"),
    ("Deputy Minister of Natural Resources and Environment of Osk", "Natural Resources and Environment"),
    ("an accord on Technical and Trade Cooperation was signed", "Technical and Trade Cooperation"),
    ("cooperation in the field of Agriculture, and", "Agriculture"),
])
def test_a_field_of_work_is_no_name(text, name):
    assert _field(text, name)


@pytest.mark.parametrize("text, name", [
    ("Standard and Poor's said", "Standard and Poor's"),  # a possessive: a firm
    ("Marks and Spencer said", "Marks and Spencer"),  # a given name
    ("Trinidad and Tobago won", "Trinidad and Tobago"),  # a country
    ("the Food and Drug Administration", "Food and Drug Administration"),  # a head noun last
    ("the Ministry of Health and Family Welfare", "Ministry of Health and Family Welfare"),  # head + "of"
    ("Crate & Barrel opened", "Crate & Barrel"),  # an ampersand firm
    ("shares of General Motors rose", "General Motors"),  # everyday words, but no field position
])
def test_names_made_of_everyday_words_stay_names(text, name):
    assert not _field(text, name)


def test_field_phrases_are_dropped_and_the_ministry_kept():
    text = "The Ministry of Mines and Oil of Osk signed an accord on cooperation in the field of Trade and Industry."
    found = entities(text, ("Ministry of Mines and Oil of Osk", "ORG"), ("Trade and Industry", "ORG"))
    assert found == {"organisation": {"Ministry of Mines and Oil of Osk"}}


def test_an_organisation_cut_after_an_opening_word_is_extended():
    text = "an accord with the Office of the Prime Minister on Monday"
    spans = extend_cut_organisations(text, spans_of(text, ("the Office of the Prime", "ORG")))
    assert _named(text, spans) == {("the Office of the Prime Minister", "ORG")}
    assert entities(text, ("the Office of the Prime", "ORG")) == {"organisation": {"Office of the Prime Minister"}}


def test_an_organisation_is_not_extended_into_the_next_span():
    text = "the Velin Trust and Osk Council met"
    spans = spans_of(text, ("the Velin Trust and", "ORG"), ("Osk Council", "ORG"))
    assert extend_cut_organisations(text, spans) == spans


# --- abbreviations of common nouns, competitions ---------------------------------------------------

@pytest.mark.parametrize("name", ["MoU", "MoUs", "ODI", "ODIs", "T20", "CEO", "GDP", "IP",
                                  "Premier League", "Velmora Super League", "Second Division A",
                                  "First Division", "Primeira Liga", "Osk Airshow", "Velin Air Show"])
def test_document_words_formats_and_competitions_are_no_names(name):
    assert is_not_a_name(name)


@pytest.mark.parametrize("name", ["Arab League", "Velin League of Women Voters", "Osk Division",
                                  "Moud", "Ipson", "Velcorp"])
def test_bodies_named_league_or_division_and_ordinary_names_stay(name):
    assert not is_not_a_name(name)


def test_an_mou_tagged_as_a_facility_is_no_place():
    text = "The Osk Trust and the Velin Council signed an MoU on Monday."
    found = entities(text, ("Osk Trust", "ORG"), ("Velin Council", "ORG"), ("MoU", "FAC"))
    assert found == {"organisation": {"Osk Trust", "Velin Council"}}


# --- sports: a player's club, teams joined by "and", a team cue beats the gazetteer ------------------

_SQUAD = ("The national squad was named for friendly matches with the teams of Norway and Peru. "
          "The coach picked 26 players. In particular, Lena Marsk from Velmora, Ivo Tarn (Kestrel Rovers) "
          "and Ada Quill from Qarvik will join the team. The side will play against Peru on March 25.")


def test_a_players_club_and_teams_joined_by_and_are_organisations_in_a_sports_report():
    found = entities(_SQUAD, ("Norway", "GPE"), ("Peru", "ORG"), ("Lena Marsk", "PERSON"), ("Velmora", "GPE"),
                     ("Ivo Tarn", "PERSON"), ("Kestrel Rovers", "GPE"), ("Ada Quill", "PERSON"), ("Qarvik", "GPE"),
                     ("Peru", "GPE"))
    assert found["organisation"] == {"Norway", "Peru", "Velmora", "Kestrel Rovers", "Qarvik"}
    assert found["person"] == {"Lena Marsk", "Ivo Tarn", "Ada Quill"}
    assert "place" not in found


def test_a_person_from_a_town_outside_sport_stays_in_a_place():
    text = "The council heard from residents. Lena Marsk from Velmora said the road was unsafe, and Ivo Tarn agreed."
    found = entities(text, ("Lena Marsk", "PERSON"), ("Velmora", "GPE"), ("Ivo Tarn", "PERSON"))
    assert found["place"] == {"Velmora"}


def test_the_agency_of_a_dateline_with_only_a_date_is_an_organisation():
    text = "Lender's profit rises\n\nJuly 18 (Velwire) -- Quarstone Bank said on Tuesday that profit rose.\n"
    assert ("Velwire", "ORG") in _named(text, dateline_spans(text, []))


def test_a_bracketed_abbreviation_inside_a_sentence_is_no_agency():
    text = "Talks opened.\n\nThe Velin Rowing Trust (VRT) - a charity - said on Monday that it would close.\n"
    assert dateline_spans(text, []) == []


# --- company legal forms ---------------------------------------------------------------------------

def test_and_after_a_legal_form_separates_two_companies():
    from indexer.entities.companies import split_at_legal_forms

    text = "rivals Harlow Fargo & Co and Teller Group Inc reported"
    spans = split_at_legal_forms(text, spans_of(text, ("Harlow Fargo & Co and Teller Group Inc", "ORG")))
    assert _named(text, spans) == {("Harlow Fargo & Co", "ORG"), ("Teller Group Inc", "ORG")}
    found = entities(text, ("Harlow Fargo & Co and Teller Group Inc", "ORG"))
    assert found == {"organisation": {"Harlow Fargo & Co", "Teller Group Inc"}}


def test_and_inside_a_company_name_without_a_legal_form_stays():
    from indexer.entities.companies import split_at_legal_forms

    text = "shares of Barlow and Quint Holdings rose"
    spans = spans_of(text, ("Barlow and Quint Holdings", "ORG"))
    assert split_at_legal_forms(text, spans) == spans


@pytest.mark.parametrize("raw, name", [
    ("Ethiopian Ministry of Mines and Energy", "Ministry of Mines and Energy"),
    ("Norwegian Finance Ministry", "Finance Ministry"),
    ("Chinese State Council", "State Council"),
    ("British Council", "British Council"),
    ("Russian Football Union", "Russian Football Union"),
    ("Kenyan Ministry", "Kenyan Ministry"),  # nothing would be left but a common noun
])
def test_a_nationality_before_a_ministry_describes_it(raw, name):
    from indexer.entities.types import strip_national_adjective

    assert strip_national_adjective(raw) == name


# --- venues ----------------------------------------------------------------------------------------

def test_untagged_venues_in_a_fixture_list_are_places():
    text = ("Fixtures: first Test at Kelburn Oval from April 21; second Test at Osk National Cricket Stadium; "
            "the final at the Harbour Park Arena.")
    found = entities(text, ("Kelburn", "GPE"))
    assert found == {"place": {"Kelburn Oval", "Osk National Cricket Stadium", "Harbour Park Arena"}}


def test_an_organisation_holding_a_venue_word_keeps_its_name():
    text = "The Velin Stadium Trust said the Osk Arena would open."
    found = entities(text, ("Velin Stadium Trust", "ORG"))
    assert found == {"organisation": {"Velin Stadium Trust"}, "place": {"Osk Arena"}}


# --- trade nouns and lists --------------------------------------------------------------------------

def test_a_one_word_name_after_a_trade_noun_is_an_organisation():
    text = "Velcom won the contract, and rival Tarnix said it had also signed; news portal Quillo reported it."
    found = entities(text, ("Velcom", "ORG"), ("Tarnix", "PERSON"), ("Quillo", "GPE"))
    assert found == {"organisation": {"Velcom", "Tarnix", "Quillo"}}


def test_a_known_personal_name_after_rival_stays_a_person():
    text = "The senator and her rival Hughes met on Monday."
    assert entities(text, ("Hughes", "PERSON")) == {"person": {"Hughes"}}


def test_an_untagged_name_closing_a_list_of_organisations_is_one():
    from indexer.entities.spans import complete_lists

    text = "It signed deals with Velcom Mobile, Velcom Telecom and Velcom Unicom. The deals run for a year."
    spans = spans_of(text, ("Velcom Mobile", "ORG"), ("Velcom Telecom", "ORG"), ("Velcom", "GPE"))
    assert _named(text, complete_lists(text, spans)) == {
        ("Velcom Mobile", "ORG"), ("Velcom Telecom", "ORG"), ("Velcom Unicom", "ORG")}


def test_a_list_of_people_is_not_completed():
    from indexer.entities.spans import complete_lists

    text = "Users of Tarnfox, Osprey and Harbour Browser were warned."
    spans = spans_of(text, ("Tarnfox", "PERSON"), ("Osprey", "PERSON"))
    assert complete_lists(text, spans) == spans


# --- models named by number -------------------------------------------------------------------------

@pytest.mark.parametrize("name, brand", [
    ("Velcraft Trent 7000", "Velcraft"), ("Vantrex 737", "Vantrex"), ("Heavy Lifter 900", ""),
    ("Channel 4", None), ("Studio 54", None), ("Vision 2030", None), ("Velin Trust", None),
])
def test_a_product_named_by_maker_and_model_number(name, brand):
    from indexer.entities.products import model_brand

    assert model_brand(name) == brand


def test_a_models_name_after_its_number_goes_with_its_bare_mentions_and_the_maker_stays():
    text = ("Tarnair will buy 100 more Velcraft 737 Max jets, and 120 Osprey planes. Engines come from the "
            "Quennox Trent 7000 line. The Max jets fly in May.")
    found = entities(text, ("Tarnair", "ORG"), ("Velcraft", "ORG"), ("Max", "PERSON"), ("Osprey", "ORG"),
                     ("Quennox Trent 7000", "ORG"), ("Max", "PERSON"))
    assert found == {"organisation": {"Tarnair", "Velcraft", "Osprey", "Quennox"}}


# --- makers and their products ----------------------------------------------------------------------

def test_a_makers_product_in_a_text_about_software_leaves_the_maker():
    text = ("Velsoft will let users edit files in a browser. Velsoft Lens runs on desktop computers and "
            "tablets; the software competes with Tarnix Docs and Tarnix Sheets, launched by a rival.")
    found = entities(text, ("Velsoft", "ORG"), ("Velsoft Lens", "PERSON"), ("Tarnix Docs", "ORG"),
                     ("Tarnix Sheets", "GPE"))
    assert found == {"organisation": {"Velsoft", "Tarnix"}}


def test_outside_software_two_names_sharing_a_first_word_stay():
    text = "Velsoft Holdings and Velsoft Lens Trust met the Harbour Council on Monday."
    found = entities(text, ("Velsoft Holdings", "ORG"), ("Velsoft Lens Trust", "ORG"), ("Harbour Council", "ORG"))
    assert found == {"organisation": {"Velsoft Holdings", "Velsoft Lens Trust", "Harbour Council"}}


# --- figures, parties, teams named by players, lists of divisions ---------------------------------

@pytest.mark.parametrize("raw, clean", [
    ("Kelburn Rovers 2-1", "Kelburn Rovers"), ("Velcorp 0.6%", "Velcorp"), ("Velcorp +1.2", "Velcorp"),
    ("Channel 4", "Channel 4"), ("Route 66", "Route 66"),
])
def test_a_score_or_change_after_a_name_is_cut(raw, clean):
    from indexer.entities.normalise import clean_name

    assert clean_name(raw) == clean


@pytest.mark.parametrize("name, not_a_name", [
    ("N1.53", True), ("$5", True), ("N10.88", True), ("G20", False), ("3M", False), ("CCTV", True), ("MPP", True),
])
def test_prices_and_more_common_abbreviations(name, not_a_name):
    assert is_not_a_name(name) is not_a_name


def test_a_party_named_by_its_members_is_an_organisation_and_faith_groups_are_not():
    text = "The Social Democrats and the Greens agreed; Muslims and Christians marched, and the Velish waited."
    found = entities(text, ("The Social Democrats", "NORP"), ("Greens", "NORP"), ("Muslims", "NORP"),
                     ("Christians", "NORP"), ("Velish", "NORP"))
    assert found == {"organisation": {"Social Democrats", "Greens"}}


def test_a_team_named_by_its_players_is_an_organisation_in_a_sports_report_only():
    sport = "The Kelburn Lakers beat the Osk Rovers 101-99 in overtime; the coach praised his players after the match."
    assert entities(sport, ("Kelburn Lakers", "NORP"), ("Osk Rovers", "NORP")) == {
        "organisation": {"Kelburn Lakers", "Osk Rovers"}}
    other = "The Kelburn Lakers met the council about the new lake path on Monday."
    assert entities(other, ("Kelburn Lakers", "NORP")) == {}


def test_match_formats_are_no_teams():
    text = "The squad for the two Tests and three ODIs was named; the team beat the hosts 2-1 in the last match."
    assert entities(text, ("Tests", "NORP"), ("ODIs", "NORP")) == {}


def test_names_listed_after_a_plural_division_noun_are_places():
    text = "The first phase covers nine governorates, including: Velmora, Kestrel Bay and Ostrin."
    found = entities(text, ("Velmora", "PERSON"), ("Kestrel Bay", "ORG"), ("Ostrin", "PERSON"))
    assert found == {"place": {"Velmora", "Kestrel Bay", "Ostrin"}}


# --- dashes, credits, offices, adjectives, buildings -----------------------------------------------

def test_a_loose_dash_ends_a_name_and_a_slash_credit_is_split():
    from indexer.entities.spans import cut_at_loose_dashes

    text = "Ana Lorne- Cabinet Secretary, spoke; Ivo Tarn- Cabinet Secretary too. (Photo: Tom Hale/VWA)"
    spans = cut_at_loose_dashes(text, spans_of(text, ("Ana Lorne- Cabinet", "ORG"), ("Ivo Tarn-", "PERSON"),
                                               ("Tom Hale/VWA", "PERSON")))
    assert _named(text, spans) == {("Ana Lorne", "ORG"), ("Ivo Tarn", "PERSON"), ("Tom Hale", "PERSON"),
                                   ("VWA", "ORG")}


def test_hyphenated_names_are_not_cut():
    from indexer.entities.spans import cut_at_loose_dashes

    text = "The Ethio-Velin Commission met in Saint-Aubrel-sur-Osk."
    spans = spans_of(text, ("Ethio-Velin Commission", "ORG"), ("Saint-Aubrel-sur-Osk", "GPE"))
    assert cut_at_loose_dashes(text, spans) == spans


def test_an_office_held_for_a_country_names_only_the_country():
    from indexer.entities.types import office_of_place

    assert office_of_place("Chief Justice of Norway") == "Norway"
    assert office_of_place("Chief Justice of Velin Trust") is None
    text = "The Chief Justice of Norway formed a bench."
    assert entities(text, ("Chief Justice of Norway", "ORG")) == {"place": {"Norway"}}


@pytest.mark.parametrize("raw, name", [
    ("Saudi Velco", "Saudi Velco"), ("British Airways", "British Airways"),
])
def test_a_nationality_before_a_company_stays_it_may_be_its_name(raw, name):
    from indexer.entities.types import strip_national_adjective

    assert strip_national_adjective(raw) == name


def test_named_gardens_buildings_and_towers_are_places():
    text = "They met at the Velin Garden, then at the Union Buildings and at Osk Tower."
    found = entities(text, ("Union Buildings", "ORG"), ("Osk Tower", "PERSON"))
    assert found == {"place": {"Velin Garden", "Union Buildings", "Osk Tower"}}


def test_a_body_named_after_a_list_of_fields_is_one_name():
    from indexer.entities.spans import extend_field_lists

    text = ("The Ministry of Mines, Oil and Natural Gas met the Ministry of Public Service and Gender, "
            "the Ministry of Health and Velin Trust, and the Department of Energy and Osk.")
    spans = spans_of(text, ("The Ministry of Mines", "ORG"), ("Oil", "ORG"), ("the Ministry of Public Service", "ORG"),
                     ("Gender", "ORG"), ("the Ministry of Health", "ORG"), ("Velin Trust", "ORG"),
                     ("the Department of Energy", "ORG"))
    assert {name for name, _ in _named(text, extend_field_lists(text, spans))} == {
        "The Ministry of Mines, Oil and Natural Gas", "the Ministry of Public Service and Gender",
        "the Ministry of Health", "Velin Trust", "the Department of Energy"}


# --- acronyms the model leaves untagged --------------------------------------------------------------

def test_an_untagged_acronym_in_running_text_is_an_organisation():
    from indexer.entities.spans import untagged_acronyms

    text = ("Headline Here\n\nThe VELCA said on Monday that a PML-V leader met the CEO of Osk. Output rose "
            "to 50 MW, the UK said; it cost 40 USD. PHOTO\nKELBURN OPENS NEW PORT\nFootwork FC won in Part II.")
    assert {name for name, _ in _named(text, untagged_acronyms(text, []))} == {"VELCA", "PML-V"}


def test_a_tagged_acronym_is_left_to_the_model():
    from indexer.entities.spans import untagged_acronyms

    text = "The VELCA said it would appeal."
    spans = spans_of(text, ("VELCA", "ORG"))
    assert untagged_acronyms(text, spans) == spans


# --- awards, plans and laws; people of a place; share moves -------------------------------------------

@pytest.mark.parametrize("name", ["Velin Schlesinger Award", "Osk Disaster Plan", "Clean Harbour Act",
                                  "Velin Treaty", "Kelburn Accord", "Osk Medal"])
def test_awards_plans_laws_and_treaties_are_no_entities(name):
    from indexer.entities.types import is_event

    assert is_event(name)


@pytest.mark.parametrize("name, people", [
    ("Queenslanders", True), ("Londoners", True), ("Texans", True), ("Rangers", False), ("Lakers", False),
    ("Chelsea", False), ("Jordan", False),
])
def test_the_people_of_a_known_place_are_a_nationality_like_group(name, people):
    from indexer.entities.types import is_nationality

    assert is_nationality(name) is people


def test_a_share_price_move_makes_an_unknown_place_a_company():
    text = "Indian shares rose as Velcorp rose 2.1% and Tarnex fell 3 per cent; Norway rose in the rankings."
    found = entities(text, ("Velcorp", "GPE"), ("Tarnex", "GPE"), ("Norway", "GPE"))
    assert found == {"organisation": {"Velcorp", "Tarnex"}, "place": {"Norway"}}


# --- sport: players and clubs mistaken for each other -------------------------------------------------

def test_an_organisation_labelled_full_name_whose_surname_is_a_person_alone_is_a_person():
    text = ("Tarnova wins\n\nJo-Vael Tarnova said he could beat Ivo Quell in the quarter-finals.\n\n"
            "Tarnova, who won a long match at the weekend, was 4-2 up.\n")
    found = entities(text, ("Tarnova", "PERSON"), ("Jo-Vael Tarnova", "ORG"), ("Ivo Quell", "PERSON"),
                     ("Tarnova", "PERSON"))
    assert found == {"person": {"Jo-Vael Tarnova", "Ivo Quell"}}


def test_a_club_with_an_everyday_last_word_stays_a_club_beside_its_short_name():
    text = "Kelburn Rovers beat Osk Athletic 3-1 in the match; Rovers scored twice and the team won the league."
    found = entities(text, ("Kelburn Rovers", "ORG"), ("Osk Athletic", "ORG"), ("Rovers", "PERSON"))
    assert "Kelburn Rovers" in found["organisation"] and "person" not in found


def test_clubs_read_as_people_are_teams_in_a_sports_report_but_players_stay():
    text = ("Velbury lost 2-0 at home and Tarnspur were beaten 3-0 in the match. "
            "Ana Quell beat Mira Tarnova 6-2 in the final, and Tarnova lost again.")
    found = entities(text, ("Velbury", "PERSON"), ("Tarnspur", "PERSON"), ("Ana Quell", "PERSON"),
                     ("Mira Tarnova", "PERSON"), ("Tarnova", "PERSON"))
    assert found == {"organisation": {"Velbury", "Tarnspur"}, "person": {"Ana Quell", "Mira Tarnova"}}


def test_a_given_name_read_as_a_place_is_a_person_unless_it_stands_where_a_place_does():
    text = "The prize went to Cosimo Vell and Giovanni, and the talks were held at the guest house Marisol."
    found = entities(text, ("Cosimo Vell", "PERSON"), ("Giovanni", "GPE"), ("Marisol", "GPE"))
    assert found == {"person": {"Cosimo Vell", "Giovanni"}, "place": {"Marisol"}}


# --- office abbreviations, photo credits, bases, players read as places -------------------------------

def test_office_abbreviations_before_a_surname_make_a_person():
    text = "PM Tarvo met CM Ostrin on Monday."
    found = entities(text, ("PM Tarvo", "ORG"), ("CM Ostrin", "ORG"))
    assert found == {"person": {"Tarvo", "Ostrin"}}


def test_a_photo_credit_courtesy_is_no_part_of_the_name():
    from indexer.entities.normalise import clean_name

    assert clean_name("Courtesy Velin University") == "Velin University"
    assert clean_name("Photo courtesy of the Osk Trust") == "Osk Trust"


def test_an_air_force_base_is_a_place():
    text = "The rocket lifted off from Kelvar Air Force Base on Monday."
    assert entities(text, ("Kelvar Air Force Base", "ORG")) == {"place": {"Kelvar Air Force Base"}}


def test_a_player_read_as_a_place_in_a_list_of_players_is_a_person():
    text = "The squad: Ana Quell, Kurtan Beale, Ivo Tarnov and Mira Osk were named."
    found = entities(text, ("Ana Quell", "PERSON"), ("Kurtan Beale", "GPE"), ("Ivo Tarnov", "PERSON"),
                     ("Mira Osk", "PERSON"))
    assert found == {"person": {"Ana Quell", "Kurtan Beale", "Ivo Tarnov", "Mira Osk"}}


def test_a_country_before_international_or_winger_is_its_team_in_a_sports_report():
    text = "The Norway international joined the club on loan; the Peru winger scored twice as the team won the match 2-1."
    found = entities(text, ("Norway", "GPE"), ("Peru", "GPE"))
    assert found == {"organisation": {"Norway", "Peru"}}


def test_names_listed_after_a_plural_noun_for_bodies_are_organisations():
    text = "We looked at the airlines of Velora, Tarnair and Osk Airways in June; Velora grew fastest."
    found = entities(text, ("Velora", "GPE"), ("Tarnair", "GPE"), ("Osk Airways", "ORG"), ("Velora", "GPE"))
    assert found == {"organisation": {"Velora", "Tarnair", "Osk Airways"}}


def test_a_country_in_brackets_after_a_city_is_a_place():
    text = "It added flights to Kelvar (Senegal) and Qarvik."
    assert entities(text, ("Kelvar", "GPE"), ("Qarvik", "GPE")) == {"place": {"Kelvar", "Senegal", "Qarvik"}}


def test_police_ranks_and_counsels_letters_are_no_part_of_a_name():
    text = ("Garda Ivo Tarnov told the court. Mira Quell BL appeared for him. Majority Leader Kurt Osken spoke, "
            "and SSP Ana Velk agreed. Photo: Tom Hale/Velin Images")
    found = entities(text, ("Garda Ivo Tarnov", "PERSON"), ("Mira Quell BL", "PERSON"), ("Kurt Osken", "PERSON"),
                     ("SSP Ana Velk", "PERSON"), ("Tom Hale/Velin Images", "PERSON"))
    assert found == {"person": {"Ivo Tarnov", "Mira Quell", "Kurt Osken", "Ana Velk", "Tom Hale"},
                     "organisation": {"Velin Images"}}


def test_two_bodies_joined_by_and_or_ampersand_are_split_when_each_opens_with_its_head():
    from indexer.entities.spans import split_joined_organisations

    for name, parts in [("the Ministry of Transport & Ministry of Health", ["the Ministry of Transport", "Ministry of Health"]),
                        ("the Department of Health and Human Services", ["the Department of Health and Human Services"]),
                        ("Ministry of Health and Family Welfare", ["Ministry of Health and Family Welfare"])]:
        text = f"{name} said so."
        assert [text[a:b] for a, b, _ in split_joined_organisations(text, [(0, len(name), "ORG")])] == parts


# --- titles, bare words, possessives and joined laws (fourth round) ------------------------------------

def test_a_full_name_does_not_grow_over_the_end_of_a_title():
    text = "The Senate Majority Leader Oduya Kamberi said on Monday that the bill would pass."
    assert entities(text, ("Oduya Kamberi", "PERSON")) == {"person": {"Oduya Kamberi"}}


def test_a_given_name_before_a_surname_is_still_taken():
    text = "The report was written by Wycliffe Tarus Kiptanui and read by many."
    assert entities(text, ("Tarus Kiptanui", "PERSON")) == {"person": {"Wycliffe Tarus Kiptanui"}}


def test_a_bare_word_read_as_both_a_person_and_an_organisation_is_an_organisation():
    text = ("Velcorn said it would appeal. Velcorn was fined in May. Velcorn shares fell. "
            "Critics say Velcorn failed the town.")
    found = entities(text, ("Velcorn", "PERSON"), ("Velcorn", "ORG"), ("Velcorn", "PERSON"), ("Velcorn", "PERSON"))
    assert found == {"organisation": {"Velcorn"}}


def test_a_surname_read_as_an_organisation_once_stays_the_persons():
    text = "Oduya Kamberi spoke first. Kamberi said the plan would fail. Kamberi left. Kamberi won."
    found = entities(text, ("Oduya Kamberi", "PERSON"), ("Kamberi", "PERSON"), ("Kamberi", "ORG"),
                     ("Kamberi", "PERSON"))
    assert found == {"person": {"Oduya Kamberi"}}


def test_a_one_word_person_the_model_never_doubts_stays_a_person():
    text = "Tarnovik said he would run. Tarnovik won the vote in May."
    assert entities(text, ("Tarnovik", "PERSON"), ("Tarnovik", "PERSON")) == {"person": {"Tarnovik"}}


def test_a_name_right_after_a_person_noun_is_a_person():
    text = "Speaking to the Courier, VFP spokesperson Leigh-Ann Tavish said the plan would fail."
    found = entities(text, ("VFP", "ORG"), ("Leigh-Ann Tavish", "ORG"))
    assert found == {"organisation": {"VFP"}, "person": {"Leigh-Ann Tavish"}}


def test_a_large_city_of_two_words_read_as_a_person_or_an_organisation_is_a_place():
    text = "The airline will add flights from Kota Kinabalu to Osk and from Kota Kinabalu to Velin."
    found = entities(text, ("Kota Kinabalu", "PERSON"), ("Kota Kinabalu", "ORG"))
    assert found == {"place": {"Kota Kinabalu"}}


def test_a_capitalised_word_counted_with_a_is_no_person():
    text = "The Senate cannot have a Bill passed without the Assembly."
    assert "person" not in entities(text, ("Bill", "PERSON"))


def test_the_first_half_of_a_law_joined_by_and_is_no_name():
    text = "Another one, the Osk Assembly Powers and Privileges Bill by Senator Ivo Tarnel, was passed."
    found = entities(text, ("Osk Assembly Powers", "ORG"), ("Privileges Bill", "PERSON"), ("Ivo Tarnel", "PERSON"))
    assert found == {"person": {"Ivo Tarnel"}}


def test_a_persons_film_after_a_possessive_is_no_part_of_the_name():
    text = "The evening saw Ivan Tarnel's Quietude chosen, and Ridham Osvani’s Velmont Road won a prize."
    found = entities(text, ("Ivan Tarnel's", "PERSON"), ("Quietude", "PERSON"), ("Ridham Osvani’s Velmont Road", "ORG"))
    assert {"Ivan Tarnel", "Ridham Osvani"} <= found["person"]
    assert not any("’s" in n or "'s" in n for names in found.values() for n in names)


def test_a_firm_after_a_founders_possessive_is_split_off_as_an_organisation():
    text = "Last year Mira Oskvale’s Velcorp opened a plant near the river."
    found = entities(text, ("Mira Oskvale’s Velcorp", "ORG"))
    assert found == {"person": {"Mira Oskvale"}, "organisation": {"Velcorp"}}


def test_a_two_word_surname_with_a_particle_joins_the_full_name():
    text = "Anouk van Velde scored twice. Van Velde said the team had played well."
    found = entities(text, ("Anouk van Velde", "PERSON"), ("Van Velde", "PERSON"))
    assert found == {"person": {"Anouk van Velde"}}


def test_an_organisation_span_running_past_its_possessive_is_cut_to_the_body():
    text = "Ana Quell, the Velin University’s Chief Operations Officer, opened the Osk Hospital’s Civic campus."
    found = entities(text, ("Ana Quell", "PERSON"), ("Velin University’s Chief Operations Officer", "ORG"),
                     ("Osk Hospital’s Civic", "ORG"))
    assert found == {"person": {"Ana Quell"}, "organisation": {"Velin University", "Osk Hospital"}}


# --- written after the tenth set was scored (not measured blind) ---------------------------------------

def test_one_span_over_two_names_written_alone_elsewhere_is_split():
    text = ("Velcorp cut power again. Osk Power said it paid. Talks between Velcorp and Osk Power failed, "
            "and the Velcorp-Osk Power dispute goes on.")
    found = entities(text, ("Velcorp", "ORG"), ("Osk Power", "ORG"), ("Velcorp and Osk Power", "ORG"),
                     ("Velcorp-Osk Power", "ORG"))
    assert found == {"organisation": {"Velcorp", "Osk Power"}}


def test_a_pair_is_kept_whole_when_its_parts_are_never_written_alone():
    text = "Marlow and Fenwick opened a store; Marlow and Fenwick shares rose."
    found = entities(text, ("Marlow and Fenwick", "ORG"), ("Marlow and Fenwick", "ORG"))
    assert found == {"organisation": {"Marlow and Fenwick"}}


def test_a_headed_short_name_joins_the_one_name_that_adds_words_in_front():
    text = "The Velin High Court heard the case. The High Court then adjourned."
    found = entities(text, ("Velin High Court", "ORG"), ("High Court", "ORG"))
    assert found == {"organisation": {"Velin High Court"}}


def test_a_body_of_another_body_is_not_its_short_name():
    text = "The Cultural Centre of the Osk Embassy opened; the Osk Embassy sent a speaker."
    found = entities(text, ("Cultural Centre of the Osk Embassy", "ORG"), ("Osk Embassy", "ORG"))
    assert found == {"organisation": {"Cultural Centre of the Osk Embassy", "Osk Embassy"}}


def test_names_listed_after_a_plural_body_noun_stay_places_when_they_are_countries():
    text = "The governors of the central banks of Europe, Norway and Japan met in Osk."
    found = entities(text, ("Europe", "LOC"), ("Norway", "GPE"), ("Japan", "GPE"), ("Osk", "GPE"))
    assert found == {"place": {"Europe", "Norway", "Japan", "Osk"}}


def test_a_name_before_lowercase_police_is_the_place_of_the_force():
    text = "The magistrate was arrested by Velbury police on Monday."
    assert entities(text, ("Velbury", "ORG")) == {"place": {"Velbury"}}


def test_initials_a_hyphenated_given_name_and_a_particle_are_parts_of_a_name():
    text = ('Acting Chief Justice R.K. Velgraw heard it. "We must act," said Petter-Borre Osk, CEO of Velnor. '
            "Incoming CEO Joaquim Tarsa e Luna told reporters.")
    found = entities(text, ("Velgraw", "PERSON"), ("Borre Osk", "PERSON"), ("Velnor", "ORG"),
                     ("Joaquim Tarsa", "PERSON"))
    assert found["person"] == {"R.K. Velgraw", "Petter-Borre Osk", "Joaquim Tarsa e Luna"}


def test_an_honorific_at_the_end_or_inside_an_organisation_span_belongs_to_the_next_name():
    text = ("Principal Velin Medical College Prof Dr. Nadim Osk Tarar, and Osk Hospital Dr. Yahya Velun "
            "attended.")
    found = entities(text, ("Velin Medical College Prof Dr. Nadim Osk Tarar", "ORG"), ("Osk Hospital Dr.", "ORG"),
                     ("Yahya Velun", "PERSON"))
    assert found == {"organisation": {"Velin Medical College", "Osk Hospital"},
                     "person": {"Nadim Osk Tarar", "Yahya Velun"}}


def test_two_names_set_side_by_side_with_a_spaced_slash_are_two():
    text = "Copyright Velin Point / Osk Point News, 2023."
    assert entities(text, ("Velin Point / Osk Point News", "ORG")) == {"organisation": {"Velin Point", "Osk Point News"}}


@pytest.mark.parametrize("name", ["IST", "AEST", "iPhone", "iPad", "TEU", "MRI", "Super Rugby", "Osk Harbour Project"])
def test_time_zones_products_units_competitions_and_projects_are_no_names(name):
    assert is_not_a_name(name) or entities(f"It was {name} again, they said.", (name, "ORG")) == {}


@pytest.mark.parametrize("name", ["CST Group", "Ireland", "Istanbul", "eBay"])
def test_names_that_only_look_like_time_zones_or_products_stay(name):
    assert not is_not_a_name(name)


def test_an_unknown_full_name_read_as_a_group_is_a_person():
    text = "The dispute is more proof of Panyaza Tarlesi’s failure, as Premier of Osk, to act."
    assert entities(text, ("Panyaza Tarlesi", "NORP")) == {"person": {"Panyaza Tarlesi"}}


def test_a_nationality_group_stays_no_value():
    text = "Many South Africans and Gulf Arabs travelled."
    assert entities(text, ("South Africans", "NORP"), ("Gulf Arabs", "NORP")) == {}


def test_a_large_city_of_four_words_read_as_a_person_is_a_place_even_after_a_given_name():
    text = "It will be connected by road to Ho Chi Minh City and beyond."
    assert entities(text, ("Ho Chi Minh City", "PERSON")) == {"place": {"Ho Chi Minh City"}}


# --- sixth round (written with the tenth blind set in view) ---------------------------------------------

def test_a_speaker_title_before_a_name_leaves_the_body_and_the_person():
    text = "The bills were passed after NA Speaker Asad Tarvani read them out."
    assert entities(text, ("NA Speaker Asad Tarvani", "ORG")) == {"organisation": {"NA"}, "person": {"Asad Tarvani"}}


def test_rail_companies_are_organisations_even_beside_people():
    text = "Northern Osk Rail, Velmont Railway and Ana Quell met the minister."
    found = entities(text, ("Northern Osk Rail", "ORG"), ("Velmont Railway", "PERSON"), ("Ana Quell", "PERSON"))
    assert found == {"organisation": {"Northern Osk Rail", "Velmont Railway"}, "person": {"Ana Quell"}}


@pytest.mark.parametrize("name", ["Minister of Finance", "the Secretary of State", "Minister for Osk Affairs"])
def test_an_office_named_by_its_title_is_no_organisation(name):
    text = f"Funds were released by {name} on Monday."
    assert entities(text, (name, "ORG")) == {}


def test_an_office_of_a_named_body_still_gives_the_body():
    text = "Ana Quell, Executive Director of the Velin Rowing Trust, spoke."
    assert entities(text, ("Ana Quell", "PERSON"), ("Executive Director of the Velin Rowing Trust", "ORG"))["organisation"] \
        == {"Velin Rowing Trust"}


def test_a_dotted_acronym_and_its_undotted_form_are_one_value():
    text = "The V.R. fined the firm. The VR said the fine was final, and V.R. officials agreed."
    found = entities(text, ("V.R.", "ORG"), ("VR", "ORG"), ("V.R.", "ORG"))
    assert len(found["organisation"]) == 1


def test_a_possessive_between_two_bodies_gives_both():
    text = "Data came from the VRC’s Internal Displacement Monitoring Centre this year."
    found = entities(text, ("VRC’s Internal Displacement Monitoring Centre", "ORG"))
    assert found == {"organisation": {"VRC", "Internal Displacement Monitoring Centre"}}


def test_a_company_whose_name_holds_a_possessive_stays_whole():
    text = "Osk Jade bought Y’s Table Corporation last year."
    found = entities(text, ("Osk Jade", "ORG"), ("Y’s Table Corporation", "ORG"))
    assert "Table Corporation" not in found["organisation"]


def test_a_single_body_word_after_in_stays_an_organisation():
    text = "The minister spoke in Parliament on Tuesday; the Minority in Parliament objected."
    assert entities(text, ("Parliament", "ORG"), ("Parliament", "ORG")) == {"organisation": {"Parliament"}}


def test_a_countrys_report_is_no_persons_work():
    text = '"New Zealand\'s environment report is a warning," she said. Despite New Zealand having lakes, most are poor.'
    assert entities(text, ("New Zealand's", "GPE"), ("New Zealand", "GPE")) == {"place": {"New Zealand"}}


def test_a_known_region_opening_with_a_given_name_is_a_place_after_in():
    text = "The Rail Minister met the operator in Milton Keynes on Monday."
    assert entities(text, ("Milton Keynes", "PERSON")) == {"place": {"Milton Keynes"}}


def test_a_ticker_after_an_exchange_is_no_name():
    text = "Velmed (NYSE: VMD) missed forecasts; Velmed shares fell 5 per cent."
    found = entities(text, ("Velmed", "ORG"), ("VMD", "ORG"), ("Velmed", "ORG"))
    assert found == {"organisation": {"Velmed"}}


def test_a_family_named_by_a_persons_surname_is_no_value():
    text = "Robert McVellan was sentenced. The McVellans had accepted gifts."
    assert entities(text, ("Robert McVellan", "PERSON"), ("McVellans", "ORG")) == {"person": {"Robert McVellan"}}


# --- seventh round (written with the eleventh blind set in view) ----------------------------------------

def test_a_two_word_nationality_opens_a_bodys_name():
    text = "The Saudi Arabian General Investment Authority (Sagia) licensed the venture."
    found = entities(text, ("Saudi", "NORP"), ("Arabian General Investment Authority", "ORG"))
    assert found == {"organisation": {"Saudi Arabian General Investment Authority"}}


def test_an_acronym_written_as_a_word_in_brackets_repairs_the_name():
    text = "The Northern Rivers Water Trust (Nrwt) said Nrwt would appeal."
    found = entities(text, ("Rivers Water Trust", "ORG"), ("Nrwt", "ORG"))
    assert found == {"organisation": {"Northern Rivers Water Trust"}}


def test_a_country_before_a_possessive_is_a_place_and_its_firm_an_organisation():
    text = "Norway’s Velcorp Tracker will supply the plant, and Norway’s Prime Minister opened it."
    found = entities(text, ("Norway’s Velcorp Tracker", "ORG"), ("Norway’s Prime Minister", "GPE"))
    assert found == {"place": {"Norway"}, "organisation": {"Velcorp Tracker"}}


def test_honours_after_a_name_make_a_person():
    text = "The trust appointed Nick Osvale CBE, DL, as its chair."
    assert entities(text, ("Nick Osvale CBE", "ORG"), ("DL", "ORG")) == {"person": {"Nick Osvale"}}


def test_a_currency_before_an_amount_is_no_part_of_the_name():
    text = "The regulator fined Velfone Tk 50 crore and Oskatel Rs 20 lakh."
    found = entities(text, ("Velfone Tk", "ORG"), ("Oskatel Rs", "ORG"))
    assert found == {"organisation": {"Velfone", "Oskatel"}}


@pytest.mark.parametrize("name", ["Vietnamese Government", "Liberian university"])
def test_a_nationality_before_a_generic_body_describes_it(name):
    assert entities(f"The {name} signed it.", (name, "ORG")) == {}


def test_a_nationality_before_army_still_names_the_force():
    assert entities("The British Army sent troops.", ("British Army", "ORG")) == {"organisation": {"British Army"}}


def test_a_plural_title_is_no_part_of_the_name():
    text = "They were received by Prime Ministers Mostafa Osvali and Bisher Tarkhan."
    found = entities(text, ("Ministers Mostafa Osvali", "PERSON"), ("Bisher Tarkhan", "PERSON"))
    assert found == {"person": {"Mostafa Osvali", "Bisher Tarkhan"}}


def test_sim_cards_and_voip_are_no_names():
    text = "Operators sold SIM cards and VoIP calls."
    assert entities(text, ("SIM", "ORG"), ("VoIP", "ORG")) == {}


# --- eighth round (written with the twelfth blind set in view) ------------------------------------------

def test_a_credit_with_the_agency_first_gives_the_agency_and_the_photographer():
    text = "The plant at night.\nVELWIRE/Jason Tarlow\n"
    assert entities(text, ("VELWIRE/Jason Tarlow", "ORG")) == {"organisation": {"VELWIRE"}, "person": {"Jason Tarlow"}}


@pytest.mark.parametrize("name", ["Osk International Conference Centre", "Velin Convention Center",
                                  "Tarn Exhibition Centre"])
def test_conference_and_exhibition_centres_are_venues(name):
    assert entities(f"Talks were held at the {name} on Monday.", (name, "ORG")) == {"place": {name}}


def test_a_centre_that_is_a_body_stays_an_organisation():
    text = "The Velin Displacement Monitoring Centre published the figures."
    found = entities(text, ("Velin Displacement Monitoring Centre", "ORG"))
    assert found == {"organisation": {"Velin Displacement Monitoring Centre"}}


@pytest.mark.parametrize("name", ["Federal Government", "State Government", "Provincial Government"])
def test_a_level_of_government_names_no_body(name):
    assert entities(f"The {name} appealed the ruling.", (name, "ORG")) == {}


def test_an_operation_is_no_name():
    assert entities("Police seized logs under Operation Clean Harbour.", ("Operation Clean Harbour", "ORG")) == {}


def test_an_acronym_of_a_courts_last_words_joins_the_court():
    text = "The Velin High Court ordered the release. The HC said the arrest was unlawful."
    found = entities(text, ("Velin High Court", "ORG"), ("HC", "ORG"))
    assert found == {"organisation": {"Velin High Court"}}


# --- ninth round (written with sets 6-14 in view, before the fourteenth and fifteenth were scored) -------------

@pytest.mark.parametrize("text, portfolio", [
    ("The Minister of Heavy Industries opened the plant.", "Heavy Industries"),
    ("Ana Osk, Vice President for Academic Affairs, spoke.", "Academic Affairs"),
    ("Tarn, the Director of Customer Services, agreed.", "Customer Services"),
    ("The Minister for Public Enterprises signed it.", "Public Enterprises"),
])
def test_what_an_office_covers_after_its_title_is_no_organisation(text, portfolio):
    assert "organisation" not in entities(text, (portfolio, "ORG"))


def test_a_body_named_after_an_office_title_stays_an_organisation():
    text = "Ana Osk, Director of Velcorp Holdings, and the Minister of the Velin Rowing Trust spoke."
    found = entities(text, ("Ana Osk", "PERSON"), ("Velcorp Holdings", "ORG"), ("Velin Rowing Trust", "ORG"))
    assert found["organisation"] == {"Velcorp Holdings", "Velin Rowing Trust"}


def test_an_agency_noun_before_an_unfamiliar_word_outvotes_person_labels():
    text = ("Economic development agency Korvanto said on Monday it had filed the plans. Korvanto leases the "
            "rights. Korvanto added that it will lead a team. Korvanto will keep its price.")
    found = entities(text, *[("Korvanto", "ORG")] + [("Korvanto", "PERSON")] * 3)
    assert found == {"organisation": {"Korvanto"}}


def test_a_known_surname_after_a_company_noun_is_not_settled_by_it():
    text = "The company Brown said nothing. Brown told reporters he would stay. Brown is 54."
    found = entities(text, *[("Brown", "PERSON")] * 3)
    assert found == {"person": {"Brown"}}


@pytest.mark.parametrize("cue", ["state-run", "state-owned", "publicly listed", "copper producer"])
def test_a_state_run_or_producing_business_read_as_a_place_is_an_organisation(cue):
    text = f"Workers at {cue} Brastelco struck. Brastelco said talks would go on. Brastelco is in talks with Velin."
    found = entities(text, *[("Brastelco", "GPE")] * 3, ("Velin", "GPE"))
    assert found["organisation"] == {"Brastelco"}


def test_whose_chief_executive_and_the_mining_company_mark_a_business():
    text = "Output came from Vessonn, whose CEO visits in May, and from the Tarkan mining company."
    found = entities(text, ("Vessonn", "GPE"), ("Tarkan", "GPE"))
    assert found == {"organisation": {"Vessonn", "Tarkan"}}


def test_a_known_place_before_company_stays_a_place():
    text = "A Nairobi company won the bid. Nairobi is growing."
    assert entities(text, ("Nairobi", "GPE"), ("Nairobi", "GPE")) == {"place": {"Nairobi"}}


def test_a_tie_goes_to_the_type_a_rule_backs():
    text = "The oil company Brastelco fired its head. Brastelco said the results were good. Brastelco grew."
    found = entities(text, ("Brastelco", "PERSON"), ("Brastelco", "GPE"), ("Brastelco", "PERSON"))
    assert found == {"organisation": {"Brastelco"}}


def test_a_bodys_headquarters_is_no_person():
    text = "Staff left Brastelco Headquarters in Velin on Monday."
    assert "person" not in entities(text, ("Brastelco Headquarters", "PERSON"))


@pytest.mark.parametrize("text, name", [
    ("A 27-year-old Perth man was charged.", "Perth"),
    ("Salga calls on Tarnvale municipalities to act.", "Tarnvale"),
    ("The Velcaster residents objected.", "Velcaster"),
    ("Workers at the Osknavi copper deposit struck.", "Osknavi"),
    ("Floods hit the Tarnbrook river valley.", "Tarnbrook"),
    ("Palmerston North councillor Ana Osk responded.", "Palmerston North"),
])
def test_a_name_before_the_people_features_or_offices_of_a_place_is_that_place(text, name):
    assert entities(text, (name, "ORG"))["place"] == {name}


@pytest.mark.parametrize("text, name", [
    ("A Labour councillor said so.", "Labour"),
    ("The Tarkhanov family left.", "Tarkhanov"),
])
def test_a_party_before_councillor_or_a_surname_before_family_stays(text, name):
    assert "place" not in entities(text, (name, "ORG"))


@pytest.mark.parametrize("text, span, places", [
    ("Volunteers work in Jigawa & Kebbi now.", "Jigawa & Kebbi", {"Jigawa", "Kebbi"}),
    ("Flights to Auckland and New Zealand rose.", "Auckland and New Zealand", {"Auckland", "New Zealand"}),
    ("The councils are Barcoo, Burdekin, Mackay and Tarn.", "Burdekin, Mackay", {"Burdekin", "Mackay"}),
    ("Teams in FCT & Lagos helped.", "FCT & Lagos", {"FCT", "Lagos"}),
])
def test_two_places_in_one_organisation_span_are_split(text, span, places):
    found = entities(text, (span, "ORG"))
    assert "organisation" not in found and places <= found["place"]


@pytest.mark.parametrize("name", ["Trinidad and Tobago", "Johnson & Johnson", "Velcorp & Osk"])
def test_a_place_named_with_and_or_a_firm_with_an_ampersand_is_not_split(name):
    found = entities(f"Shares of {name} rose.", (name, "ORG"))
    assert name in found.get("organisation", set()) | found.get("place", set())


@pytest.mark.parametrize("text, portfolio", [
    ("Ana Osk, Minister for Justice, Finance, Public Enterprises, and Civil Service, spoke.", "Public Enterprises"),
    ("Kelburn Transport Authority General Manager, Customer Services, Ana Osk says so.", "Customer Services"),
    ("Education Minister Jeremy Tarn said so.", "Education"),
])
def test_a_portfolio_in_a_list_after_a_title_or_before_one_is_no_organisation(text, portfolio):
    assert "organisation" not in entities(text, (portfolio, "ORG"))


def test_a_portfolio_word_before_a_ministry_keeps_the_ministry():
    text = "The Finance Ministry said so."
    assert entities(text, ("Finance Ministry", "ORG")) == {"organisation": {"Finance Ministry"}}


@pytest.mark.parametrize("name", ["Chief Executive Officer", "Board of Directors", "General Manager"])
def test_a_title_or_a_governing_board_alone_names_no_body(name):
    assert entities(f"The {name} of the Velin Cocoa Board approved it.", (name, "ORG"),
                    ("Velin Cocoa Board", "ORG")) == {"organisation": {"Velin Cocoa Board"}}


@pytest.mark.parametrize("name", ["Atacama Desert", "Juaboso Constituency", "Ouellette Campus", "Gwadar Port"])
def test_a_person_label_on_a_name_ending_in_a_geographic_noun_is_a_place(name):
    assert entities(f"They met near the {name} on Monday.", (name, "PERSON")) == {"place": {name}}


def test_a_given_name_before_a_geographic_noun_keeps_the_person():
    assert entities("Maria Valley said so.", ("Maria Valley", "PERSON")) == {"person": {"Maria Valley"}}


@pytest.mark.parametrize("text, name", [
    ("Construction of the Tarnbocas oil refinery will go on.", "Tarnbocas"),
    ("Assets include the Velcarajo copper project and others.", "Velcarajo"),
])
def test_a_person_label_before_a_refinery_or_a_project_is_a_place(text, name):
    assert entities(text, (name, "PERSON")) == {"place": {name}}


def test_the_seat_of_a_member_of_parliament_is_a_place():
    text = "Kwabena Osk, MP for Tarnaboso in the west, spoke."
    found = entities(text, ("Kwabena Osk", "PERSON"), ("Tarnaboso", "PERSON"))
    assert found == {"person": {"Kwabena Osk"}, "place": {"Tarnaboso"}}


def test_a_line_opening_name_before_an_agency_in_brackets_and_a_dash_is_the_dateline_place():
    text = "Strike looms\nKelvaro (Velwire) – More than 3,200 workers plan to strike."
    found = entities(text, ("Kelvaro", "PERSON"), ("Velwire", "ORG"))
    assert found == {"place": {"Kelvaro"}, "organisation": {"Velwire"}}


def test_a_country_labelled_a_place_is_not_the_first_name_of_a_misread_person():
    text = "Photo: Velaid Jordan Portal\nAMMAN - Jordan and Osklia agreed on a water deal. Jordan will pay."
    found = entities(text, ("Jordan Portal", "PERSON"), ("Jordan", "GPE"), ("Jordan", "GPE"))
    assert "Jordan" in found["place"]


def test_a_caption_with_a_sentence_break_is_no_headline_whose_names_are_dropped():
    text = ("Food aid in Tarnop, Unity state, South Sudan, March 2017. Photo: Ana Osk/Velaid\n\n"
            "Statements from the Velin Refugee Council on the launch of the overview.\n")
    found = entities(text, ("South Sudan", "GPE"), ("Velin Refugee Council", "ORG"))
    assert found["place"] == {"South Sudan"}


def test_a_credit_cut_after_the_given_names_is_joined_then_split_at_the_slash():
    text = "Aid in Tarnop, March 2017. Photo: Albert Osk Tarvan/VRC\n\nThe council spoke."
    found = entities(text, ("Albert Osk", "PERSON"), ("Tarvan/VRC", "ORG"))
    assert found == {"person": {"Albert Osk Tarvan"}, "organisation": {"VRC"}}


def test_a_known_place_the_model_reads_as_a_group_is_a_place():
    text = "The Punjab government was bringing reforms; bankers met in Sintra."
    assert entities(text, ("Punjab", "NORP"), ("Sintra", "NORP")) == {"place": {"Punjab", "Sintra"}}


def test_a_nationality_read_as_a_group_stays_no_facet():
    assert entities("Welsh ministers met.", ("Welsh", "NORP")) == {}


def test_a_name_opening_with_a_country_is_no_person():
    text = ("Officers of Sri Lanka Customs detained five passengers, Sri Lanka Customs said. Sri Lanka Customs "
            "stated that three were arrested.")
    found = entities(text, ("Sri Lanka Customs", "ORG"), ("Sri Lanka Customs", "ORG"), ("Sri Lanka Customs", "PERSON"))
    assert found == {"organisation": {"Sri Lanka Customs"}}


def test_a_country_that_is_a_given_name_still_opens_a_persons_name():
    text = "Jordan Velk scored twice. Jordan Velk said he was happy."
    assert entities(text, ("Jordan Velk", "PERSON"), ("Jordan Velk", "ORG")) == {"person": {"Jordan Velk"}}


def test_an_office_of_a_body_backs_its_organisation_label():
    text = "Ana Osk, Chief Technology Officer of Velti Airtel, spoke. Operator Velti Airtel said so."
    found = entities(text, ("Ana Osk", "PERSON"), ("Velti Airtel", "ORG"), ("Velti Airtel", "PERSON"))
    assert found == {"person": {"Ana Osk"}, "organisation": {"Velti Airtel"}}


def test_a_name_ending_in_an_acronym_is_no_person():
    text = "The plant science unit, Tarnwick HRI, got a grant."
    assert entities(text, ("Tarnwick HRI", "PERSON")) == {"organisation": {"Tarnwick HRI"}}


def test_a_regnal_numeral_ends_a_persons_name():
    assert entities("Akosua Dwaben II spoke.", ("Akosua Dwaben II", "PERSON")) == {"person": {"Akosua Dwaben II"}}


def test_an_unfamiliar_word_listed_with_an_organisation_is_one():
    text = "Velfone was fined Tk 20 million, while Grameenvel and Tarnlink were fined Tk 5 million."
    found = entities(text, ("Velfone", "ORG"), ("Grameenvel", "ORG"), ("Tarnlink", "PERSON"))
    assert found == {"organisation": {"Velfone", "Grameenvel", "Tarnlink"}}


def test_a_short_form_inside_one_longer_organisation_name_joins_it():
    text = "The Osklian Red Cross Society launched an appeal. The Red Cross needs help."
    found = entities(text, ("Osklian Red Cross Society", "ORG"), ("Red Cross", "ORG"))
    assert found == {"organisation": {"Osklian Red Cross Society"}}


def test_a_ministry_written_both_ways_is_one_value():
    text = "The Ministry of Finance paid. A Finance Ministry official said so."
    found = entities(text, ("Ministry of Finance", "ORG"), ("Finance Ministry", "ORG"))
    assert found == {"organisation": {"Ministry of Finance"}}


def test_a_name_opening_a_longer_organisation_name_stays_its_own_body():
    text = "Velcorp Solutions, a subsidiary of Velcorp, signed the deal. Velcorp said so."
    found = entities(text, ("Velcorp Solutions", "ORG"), ("Velcorp", "ORG"), ("Velcorp", "ORG"))
    assert found == {"organisation": {"Velcorp Solutions", "Velcorp"}}


def test_a_place_without_its_administrative_word_joins_the_full_name():
    text = "Police in Makati City arrested two men. Makati is busy."
    assert entities(text, ("Makati City", "GPE"), ("Makati", "GPE")) == {"place": {"Makati City"}}


@pytest.mark.parametrize("full, short", [("Jose Melencio Tarnatez Jr.", "Tarnatez"),
                                         ("Aiyaz Sayed-Khaivum", "Khaivum")])
def test_a_surname_before_a_suffix_or_in_a_hyphenated_surname_joins_the_full_name(full, short):
    text = f"{full} spoke on Monday. {short} said the plan would work."
    assert entities(text, (full, "PERSON"), (short, "PERSON")) == {"person": {full}}


@pytest.mark.parametrize("text, state", [
    ("The plant in Louisburg, KY, closed.", "KY"),
    ("She lives in Kelburn, Calif. She moved there in May.", "Calif."),
    ("Flights from Tarnwood, NSW, resumed.", "NSW"),
])
def test_a_short_state_after_a_town_is_a_place(text, state):
    town = text.split(",")[0].split()[-1]
    found = entities(text, (town, "GPE"), (state.rstrip("."), "ORG"))
    assert state in found["place"] and "organisation" not in found


@pytest.mark.parametrize("text", ["Shares of Velcorp, SA rose.", "HEAVY RAIN, IN PARTS OF THE NORTH"])
def test_a_legal_form_or_a_line_in_capitals_gives_no_state(text):
    found = entities(text)
    assert "place" not in found


@pytest.mark.parametrize("text, state", [
    ("LOUISBURG, KY (Velwire) - The club won.", "KY"),
    ("Profit at the Tarnino, Calif.-based firm rose.", "Calif."),
])
def test_a_short_state_in_a_dateline_or_before_based_is_a_place(text, state):
    assert state in entities(text).get("place", set())


@pytest.mark.parametrize("name", ["Velin Space Telescope", "Osk Satellite Launch Vehicle", "Tarn Earth Orbiter",
                                  "International Space Station"])
def test_instruments_and_craft_are_no_entities(name):
    assert entities(f"Data from the {name} arrived.", (name, "ORG")) == {}


def test_a_demonstrative_before_a_name_makes_a_description():
    assert entities("He asked this Honourable Court to act.", ("this Honourable Court", "ORG")) == {}


@pytest.mark.parametrize("name", ["Velin Government Code", "Millennium Development Goals"])
def test_codes_and_goals_are_no_organisations(name):
    assert entities(f"They cited the {name} on Monday.", (name, "ORG")) == {}


def test_a_function_word_left_at_the_end_of_a_span_goes():
    assert clean_name("Gold-Laden Sheep And") == "Gold-Laden Sheep"
    assert clean_name("Velin Deal For") == "Velin Deal"
    assert clean_name("Tarn and Osk") == "Tarn and Osk"


def test_the_acronym_of_a_craft_goes_with_it():
    text = "Images from the Velin Space Telescope (VST) arrived. The VST saw two galaxies."
    assert entities(text, ("Velin Space Telescope", "ORG"), ("VST", "ORG"), ("VST", "ORG")) == {}


def test_a_player_read_as_a_club_in_a_match_report_is_a_person():
    text = ("Velin United beat Osk Rovers 2-1 in the league on Sunday. Striker Odvar Ighalsen scored twice "
            "and the coach praised the team after the match. Kaizer Chiefs drew.")
    found = entities(text, ("Velin United", "ORG"), ("Osk Rovers", "ORG"), ("Odvar Ighalsen", "ORG"),
                     ("Kaizer Chiefs", "ORG"))
    assert found["person"] == {"Odvar Ighalsen"} and {"Velin United", "Osk Rovers", "Kaizer Chiefs"} <= found["organisation"]


def test_a_club_read_as_a_player_in_a_match_report_is_an_organisation():
    text = ("Nairobi Tarnhua beat Osk Rovers 2-1 in the league on Sunday. The striker scored twice and the "
            "coach praised the team after the match. Jordan Velkson played.")
    found = entities(text, ("Nairobi Tarnhua", "PERSON"), ("Osk Rovers", "ORG"), ("Jordan Velkson", "PERSON"))
    assert found == {"organisation": {"Nairobi Tarnhua", "Osk Rovers"}, "person": {"Jordan Velkson"}}


def test_a_legal_form_tagged_alone_joins_the_company_name_before_it():
    text = "Farms will be built by German wpd AG, and E.ON AG will buy the power."
    found = entities(text, ("German", "NORP"), ("AG", "ORG"), ("E.ON", "ORG"), ("AG", "ORG"))
    assert found == {"organisation": {"wpd AG", "E.ON AG"}}


def test_a_persons_name_and_sons_is_a_family_firm():
    text = "The farm partnership David Tarnley and Sons was fined."
    assert entities(text, ("David Tarnley", "PERSON")) == {"organisation": {"David Tarnley and Sons"}}


def test_an_institute_named_after_two_people_is_one_organisation():
    text = "The Walter and Eliza Tarn Institute said so."
    found = entities(text, ("Walter", "PERSON"), ("Eliza Tarn Institute", "ORG"))
    assert found == {"organisation": {"Walter and Eliza Tarn Institute"}}


@pytest.mark.parametrize("raw, name", [("Lundvel-group", "Lundvel"), ("Velcorp-owned", "Velcorp"),
                                       ("Tarn-led", "Tarn"), ("Osk-based", "Osk")])
def test_a_lowercase_word_hyphenated_onto_a_name_goes(raw, name):
    assert clean_name(raw) == name


def test_an_untagged_given_name_and_before_an_institute_opens_its_name():
    text = "Dr Ana Osk from the Walter and Eliza Tarn Institute of Research spoke."
    found = entities(text, ("Ana Osk", "PERSON"), ("Eliza Tarn Institute of Research", "ORG"))
    assert found["organisation"] == {"Walter and Eliza Tarn Institute of Research"}


@pytest.mark.parametrize("full, acronym", [("Emirates Velin Agency", "WAM"), ("Osklian Cocoa Board", "COCOBOD")])
def test_a_bracketed_acronym_after_an_organisation_abbreviates_it_whatever_its_letters(full, acronym):
    text = f"The {full} ({acronym}) said so. {acronym} added that talks went on."
    found = entities(text, (full, "ORG"), (acronym, "ORG"), (acronym, "ORG"))
    assert found == {"organisation": {full}}


def test_a_country_in_brackets_after_an_organisation_is_no_acronym_of_it():
    text = "The Velcorp Holdings (UK) said so. The UK grew."
    found = entities(text, ("Velcorp Holdings", "ORG"), ("UK", "GPE"), ("UK", "GPE"))
    assert found == {"organisation": {"Velcorp Holdings"}, "place": {"UK"}}
