"""Generate news-style articles with invented names, for benchmarks.

Sentences are drawn from templates that mention people, organisations, places
and years the way press articles do, so NER does realistic work. Seeded, so
every run measures the same texts.
"""
from __future__ import annotations

import random
import re
from pathlib import Path

FIRST = ["Amara", "Tomasz", "Lena", "Osric", "Halina", "Kofi", "Ines", "Rafael", "Mirela", "Johan", "Priya", "Emeka",
         "Sofia", "Anders", "Leila", "Mateo", "Yusuf", "Greta", "Nikolai", "Aisha", "Bruno", "Chiara", "Dmitri", "Elena"]
LAST = ["Velikan", "Osei", "Marsh", "Pellham", "Brenner", "Mensah", "Duarte", "Okafor", "Lindqvist", "Haddad",
        "Moreau", "Kowalczyk", "Santos", "Novak", "Adeyemi", "Fischer", "Rossi", "Petrov", "Nakamura", "Quist"]
ORG_HEAD = ["Foundation", "Council", "Association", "Trust", "Agency", "Ministry of Transport", "Society", "Group",
            "Institute", "Union", "Committee", "Bank"]
ORG_NAME = ["Northern Rivers", "Harbourside", "Green Valley", "Coastal", "National Heritage", "Eastbrook", "Silverline",
            "Meridian", "Highland", "Lakeshore"]
PLACES = ["Paris", "Nairobi", "Lisbon", "Toronto", "Geneva", "Oslo", "Accra", "Lima", "Warsaw", "Kenya", "Canada",
          "Portugal", "Norway", "Ghana", "Peru", "Poland", "Brazil", "Japan", "Egypt", "Chile"]
TOPICS = ["flood defences", "a new library", "rail services", "school funding", "the harbour redevelopment",
          "renewable energy", "public health", "the film festival", "housing", "water supply"]
TEMPLATES = [
    "{person} of the {org} said on Tuesday that {topic} in {place} would be reviewed before {year}.",
    "The {org} was founded in {year} and has worked on {topic} across {place} ever since.",
    "Speaking in {place}, {person} described {topic} as the most pressing issue since {year}.",
    "Officials from the {org} met {person} to discuss {topic} and the budget for {year}.",
    "According to {person}, some {count} residents of {place} signed a petition about {topic}.",
    "{person} thanked volunteers and partners, including the {org}, for their support.",
    "The report, published by the {org}, compares {topic} in {place} and {place2}.",
    "Critics in {place} argued that the plan ignored lessons from {year}, when {topic} failed.",
    "A spokesperson for the {org} declined to comment on the talks with {person}.",
    "Work on {topic} is expected to begin in {place} next spring and finish in {year}.",
]


#: The NER label each template field stands for (what spaCy's English models would say).
FIELD_LABELS = {"person": "PERSON", "org": "ORG", "place": "GPE", "place2": "GPE", "year": "DATE",
                "count": "CARDINAL"}
_FIELD = re.compile(r"\{(\w+)\}")


def article(rng: random.Random, n: int) -> str:
    """One generated article (see :func:`article_with_spans`)."""
    return article_with_spans(rng, n)[0]


def article_with_spans(rng: random.Random, n: int) -> tuple[str, list[tuple[int, int, str]]]:
    """One generated article and the NER spans ``(start, end, label)`` of the names and numbers
    its templates put in, as a stand-in for stored NER output (no spaCy needed)."""
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)]
    orgs = [f"{rng.choice(ORG_NAME)} {rng.choice(ORG_HEAD)}" for _ in range(2)]
    topic = rng.choice(TOPICS)
    title_place = rng.choice(PLACES)
    head = f"{topic.capitalize()} debated in {title_place} ({n})"
    lines = [head, f"date {rng.randint(2005, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", ""]
    spans = [(len(head) - len(f" ({n})") - len(title_place), len(head) - len(f" ({n})"), "GPE")]
    offset = len(lines[0]) + len(lines[1]) + 2 + 1  # three lines joined by newlines so far
    paragraph: list[str] = []
    para_len = 0
    for i in range(rng.randint(22, 34)):
        template = rng.choice(TEMPLATES)
        # Drawn in the order str.format's keyword arguments were, so texts stay as before.
        values = {"person": rng.choice(people), "org": rng.choice(orgs), "topic": topic,
                  "place": rng.choice(PLACES), "place2": rng.choice(PLACES), "year": str(rng.randint(1950, 2024)),
                  "count": str(rng.randint(100, 9000))}
        sentence, start = "", offset + para_len + (1 if paragraph else 0)
        pos = 0
        for match in _FIELD.finditer(template):
            sentence += template[pos:match.start()]
            value = values[match.group(1)]
            if match.group(1) in FIELD_LABELS:
                spans.append((start + len(sentence), start + len(sentence) + len(value), FIELD_LABELS[match.group(1)]))
            sentence += value
            pos = match.end()
        sentence += template[pos:]
        para_len += len(sentence) + (1 if paragraph else 0)
        paragraph.append(sentence)
        if i % 4 == 3:
            lines.append(" ".join(paragraph))
            lines.append("")
            offset += para_len + 2
            paragraph, para_len = [], 0
    lines.append(" ".join(paragraph))
    return "\n".join(lines) + "\n", spans


def write_corpus(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write ``count`` articles as .txt files into ``folder``; return their paths."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        path = folder / f"article-{n:05d}.txt"
        path.write_text(article(rng, n), encoding="utf-8")
        paths.append(path)
    return paths
