"""Title, publication date and agency from plain article text (invented articles only)."""
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.metadata import MAX_TITLE_CHARS, Metadata, extract_metadata, parse_date

BODY = (
    "The harbour council of Velmora met for the third time this month to discuss the new ferry timetable, "
    "which residents say leaves the outer islands without a morning connection.\n\n"
    "Council chair Orla Menning said the plan would be reviewed before the summer season.\n"
)


def published(text: str) -> dt.date | None:
    return extract_metadata(text).published


def agency(text: str) -> str | None:
    return extract_metadata(text).agency


# --- title ---------------------------------------------------------------------------------------

def test_title_is_first_non_empty_line():
    meta = extract_metadata("\n\n   Ferry timetable divides Velmora islanders  \n\n" + BODY)
    assert meta.title == "Ferry timetable divides Velmora islanders"


def test_long_title_is_cut_at_a_word_boundary():
    line = " ".join(["harbour"] * 100)  # 799 characters
    title = extract_metadata(line + "\n\n" + BODY).title
    assert len(title) <= MAX_TITLE_CHARS
    assert title.endswith("harbour") and line.startswith(title)


def test_title_skips_pure_metadata_lines():
    meta = extract_metadata("Date: 2021-11-03\nBy Northgate Press Agency\nFerry plan approved\n\n" + BODY)
    assert meta.title == "Ferry plan approved"


def test_a_dateline_opening_the_story_is_never_the_title():
    # The text has no headline: its first line is a dateline and the story's first sentence.
    meta = extract_metadata("date 2023-02-25 LISBON, Portugal, February 25. Ferry plan approved today.\n" + BODY)
    assert meta.title is None and meta.published == dt.date(2023, 2, 25)
    story = ("VELMORA, Quorra, March 3. The harbour council of Velmora met on Monday to discuss the new "
             "ferry timetable, which islanders say leaves them stranded in the evenings.")
    assert extract_metadata(story + "\n\n" + BODY).title is None
    assert extract_metadata("OSTRAVIK, Noland, 12 May 2020 – Fishers gathered at the quay.\n" + BODY).title is None


@pytest.mark.parametrize("headline", [
    "Ferry plan approved for Velmora, March 3",  # a date at the end of a headline
    "Velmora, Quorra and Ostravik sign a ferry pact",
    "March 3: the day the ferry came back",
    "Islanders in Velmora, March 3. Who pays?",  # no comma before the date: not a dateline
])
def test_headlines_with_places_or_dates_stay_titles(headline):
    assert extract_metadata(headline + "\n\n" + BODY).title == headline


def test_empty_text_has_no_metadata():
    assert extract_metadata("") == Metadata(None, None, None)
    assert extract_metadata(" \n\n ") == Metadata(None, None, None)


# --- publication date: header labels -------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("date 2023-02-25 LISBON, Portugal, February 25. The ferry council met, Quorra reports.", dt.date(2023, 2, 25)),
    ("Date: 2021-11-03", dt.date(2021, 11, 3)),
    ("Published: 12 May 2020", dt.date(2020, 5, 12)),
    ("Updated 3 March 2019", dt.date(2019, 3, 3)),
    ("Posted on Tuesday, 12 May 2020 at 10:15", dt.date(2020, 5, 12)),
    ("Published: 03.04.2015", dt.date(2015, 4, 3)),  # dotted dates are day first
    ("Date: 12th of May 2020", dt.date(2020, 5, 12)),
])
def test_header_label_dates(line, expected):
    assert published("Ferry plan approved\n" + line + "\n\n" + BODY) == expected


def test_published_label_wins_over_updated_label():
    text = "Ferry plan approved\nUpdated 3 March 2019\nPublished: 1 March 2019\n\n" + BODY
    assert published(text) == dt.date(2019, 3, 1)


# --- publication date: datelines -----------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("Regional affairs Bulletins 26 February 2015 17:41 (UTC +04:00)", dt.date(2015, 2, 26)),
    ("NAIROBI, March 3, 2019 (Coastline Wire) - The ferry council met on Monday to discuss a plan that "
     "residents of the outer islands have opposed for years, officials said.", dt.date(2019, 3, 3)),
    ("Lisbon, 26 February 2015", dt.date(2015, 2, 26)),
    ("Monday, 4 June 2021", dt.date(2021, 6, 4)),
])
def test_dateline_dates(line, expected):
    assert published("Ferry plan approved\n\n" + line + "\n\n" + BODY) == expected


@pytest.mark.parametrize("line", ["Velmora, Freedonia, Feb. 26", "Geneva, Feb. 26", "GENEVA, 26 February -"])
def test_dateline_without_year_gives_no_date(line):
    text = ("Ferry plan approved\n\n" + line + "\n\nOn 24 February, the council met. The ferry line has run "
            "since 1992 and was last renewed in 2004.\n" + BODY)
    assert published(text) is None


def test_trailing_timestamp():
    assert published("Ferry plan approved\n\n" + BODY + "\n\nVelmora haberleri 2022-02-28 15:30:00\n") == dt.date(2022, 2, 28)
    assert published("Ferry plan approved\n\n" + BODY + "\n2022-02-28T15:30:00Z") == dt.date(2022, 2, 28)


def test_trailing_label_date():
    assert published("Ferry plan approved\n\n" + BODY + "\nPublished: 4 June 2021") == dt.date(2021, 6, 4)


def test_header_date_wins_over_trailing_timestamp():
    text = "Ferry plan approved\nLisbon, 26 February 2015\n\n" + BODY + "\n2022-02-28 15:30:00"
    assert published(text) == dt.date(2015, 2, 26)


@pytest.mark.parametrize("prose", [
    "On 24 February 2015, the harbour council of Velmora met to discuss the ferry timetable.",
    "The harbour council met on 24 February 2015.",
    "Residents who gathered outside the town hall in Velmora, 24 February 2015, said the ferry plan would "
    "leave the outer islands without a morning connection for most of the year.",
    "The ferry line has run since 1992 and carried 40,000 passengers in 2019.",
])
def test_dates_in_body_prose_are_not_publication_dates(prose):
    assert published("Ferry plan approved\n\n" + prose + "\n\n" + BODY) is None


def test_dates_outside_header_and_trailer_are_ignored():
    filler = "".join(f"Paragraph {i} about the ferry timetable.\n\n" for i in range(20))
    assert published("Ferry plan approved\n\n" + filler + "Lisbon, 26 February 2015\n\n" + filler) is None


def test_date_mid_paragraph_in_trailer_is_not_a_timestamp():
    assert published("Ferry plan approved\n\n" + BODY + "\nThe line opened on 2 May 1999 and still runs.") is None


@pytest.mark.parametrize("line", ["Date: 1850-01-01", "Lisbon, 26 February 1850"])
def test_dates_before_1900_are_rejected(line):
    assert published("Ferry plan approved\n" + line + "\n\n" + BODY) is None


def test_future_dates_are_rejected():
    future = dt.date.today() + dt.timedelta(days=400)
    assert published(f"Ferry plan approved\nDate: {future.isoformat()}\n\n" + BODY) is None


# --- agency --------------------------------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("NAIROBI, March 3, 2019 (Coastline Wire) - The ferry council met.", "Coastline Wire"),
    ("Paris, 4 June 2021 /Northgate Press Agency/ - The ferry council met.", "Northgate Press Agency"),
    ("Velmora, February 28, QNEWS", "QNEWS"),
    ("Velmora, 28 February 2021 – Quorra Media – The ferry council met.", "Quorra Media"),
    ("LISBON (Northgate Press) - The ferry council met on Monday.", "Northgate Press"),
    ("By Northgate Press Agency", "Northgate Press Agency"),
    ("By Orla Menning, Coastline Wire", "Coastline Wire"),
    ("By QNEWS", "QNEWS"),
    ("Source: Coastline Wire", "Coastline Wire"),
    ("date 2023-02-25 LISBON, Portugal, February 25. The ferry council met, Quorra reports.", "Quorra"),
])
def test_agency_shapes(line, expected):
    assert agency("Ferry plan approved\n" + line + "\n\n" + BODY) == expected


@pytest.mark.parametrize("line", [
    "Regional affairs Bulletins 26 February 2015 17:41 (UTC +04:00)",  # a time zone, not a source
    "By Orla Menning",  # a person's byline
    "By Orla Menning, Senior Reporter",
    "Lisbon, 26 February 2015 - The ferry council met on Monday.",
    "Ferry council approves plan (PHOTO) (VIDEO)",
])
def test_not_an_agency(line):
    assert agency("Ferry plan approved\n" + line + "\n\n" + BODY) is None


# --- structured dates ----------------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("2021-06-04", dt.date(2021, 6, 4)),
    ("2021-06-04T09:30:00+02:00", dt.date(2021, 6, 4)),
    ("2021-06-04T09:30:00Z", dt.date(2021, 6, 4)),
    ("4 June 2021", dt.date(2021, 6, 4)),
    ("June 4, 2021", dt.date(2021, 6, 4)),
    ("Fri, 04 Jun 2021 09:30:00 GMT", dt.date(2021, 6, 4)),
    ("03.04.2015", dt.date(2015, 4, 3)),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["", "   ", "June 2021", "2021", "not a date", "1850-01-01", "2999-01-01"])
def test_parse_date_rejects_partial_or_implausible(value):
    assert parse_date(value) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_extract_metadata_never_raises(text):
    meta = extract_metadata(text)
    assert meta.title is None or (0 < len(meta.title) <= MAX_TITLE_CHARS and "\n" not in meta.title)
    assert meta.published is None or dt.date(1900, 1, 1) <= meta.published <= dt.date.today() + dt.timedelta(days=1)


def test_the_body_starts_after_the_headline_and_its_metadata_lines():
    from indexer.chunking import chunk_text
    from indexer.metadata import body_start
    text = ("Ferry plan approved\nDate: 2019-11-30\nBy Mira Holt\nVelmora Quay 2022-02-28 15:30:00\n\n"
            "The harbour council approved the plan. Islanders welcomed it.")
    start = body_start(text)
    assert text[start:].startswith("The harbour council")
    passages = chunk_text(text, start=start)
    assert passages and text[passages[0].start:].startswith("The harbour council")  # no snippet opens with "Date:"
    # a story without a headline: the dateline paragraph is the body
    story = "VELMORA, Quorra, March 3. The council met.\n\nIt approved the plan."
    assert body_start(story) == 0
    assert body_start("Just a headline\n") == 0  # nothing after it: the text stays whole in passages


def test_metadata_lines_yield_no_entities():
    """Date, byline, source and timestamp lines keep their text but give no names;
    the same name in the story is still found there."""
    from indexer.enrich import Enricher
    from indexer.metadata import metadata_ranges
    from search_service.config import load_settings

    text = ("Ferry plan approved\nDate: 2019-11-30\nBy Mira Holt\nSource: Quorran Wire Service\n"
            "Velmora Quay 2022-02-28 15:30:00\n\n"
            "The Velmora Harbour Council approved the ferry plan on Tuesday, said Tomas Brekke, "
            "who chairs it. Islanders in Ostrava welcomed the decision.\n")
    ranges = metadata_ranges(text)
    assert [text[s:e] for s, e in ranges] == [
        "Date: 2019-11-30", "By Mira Holt", "Source: Quorran Wire Service", "Velmora Quay 2022-02-28 15:30:00"]
    # spans as the model could give them: names in metadata lines and in the story
    spans = [(text.index("Mira Holt"), text.index("Mira Holt") + 9, "PERSON"),
             (text.index("Quorran Wire Service"), text.index("Quorran Wire Service") + 20, "ORG"),
             (text.index("Velmora Quay"), text.index("Velmora Quay") + 7, "ORG"),
             (text.index("Velmora Harbour Council"), text.index("Velmora Harbour Council") + 23, "ORG"),
             (text.index("Tomas Brekke"), text.index("Tomas Brekke") + 12, "PERSON"),
             (text.index("Ostrava"), text.index("Ostrava") + 7, "GPE")]
    entities, _ = Enricher.analyse(text, spans)
    names = {e.name for e in entities}
    assert {"Velmora Harbour Council", "Tomas Brekke", "Ostrava"} <= names
    assert not names & {"Mira Holt", "Quorran Wire Service", "Velmora"}
    for entity in entities:  # no mention points into a metadata line
        assert not any(s < r_end and r_start < e for s, e in entity.mentions for r_start, r_end in ranges)
    # a story whose first line is a dateline paragraph has no metadata lines
    assert metadata_ranges("VELMORA, Quorra, March 3. The council met.\n\nIt approved the plan.") == []
