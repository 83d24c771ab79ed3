"""No server file-system path in any page or API answer.

The sample corpus is indexed from its folder in the repository into a temporary data
folder (real spaCy, real Tantivy); then every page reachable by links from the front
page, every document page and every API answer is read and searched for both folders.
"""
from __future__ import annotations

import re
from collections import deque
from html import unescape
from pathlib import Path

from search_service.backends import open_backend
from web_fixtures import app_client

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "indexer" / "sample_corpus"
#: Enough pages to reach every kind of page (search states, facets, documents).
MAX_PAGES = 120


def _links(body: str) -> list[str]:
    return [unescape(h) for h in re.findall(r'href="(/[^"#]*)', body) if not h.startswith("/static/")]


def test_no_page_or_api_answer_shows_a_server_path(sample_index):
    config, _ = sample_index
    data_dir = str(Path(config.data_dir).resolve())
    forbidden = [str(CORPUS), str(CORPUS.resolve()), data_dir, str(REPO)]
    client = app_client(config)

    backend = open_backend(config)
    try:
        ids = [a.id for a in backend.iter_articles()]
        sources = [a.source for a in backend.iter_articles()]
    finally:
        backend.close()
    assert ids and all(s.startswith(str(CORPUS.resolve())) for s in sources)  # the index does hold them

    start = ["/", "/search?q=lake", "/facets/person", "/facets/place?prefix=a", "/api/openapi.json", "/healthz",
             "/api/search?q=lake", "/api/facets/person", "/documents/no-such-document", "/search?page=999"]
    start += [f"/documents/{i}" for i in ids] + [f"/api/documents/{i}" for i in ids]
    queue, seen, shown_sources = deque(start), set(start), 0
    while queue and len(seen) <= MAX_PAGES + len(start):
        url = queue.popleft()
        response = client.get(url)
        body = response.get_data(as_text=True)
        for path in forbidden:
            assert path not in body and path not in unescape(body), (url, path)
        shown_sources += body.count('class="source"')
        if response.mimetype == "text/html":
            for link in _links(body):
                if link not in seen:
                    seen.add(link)
                    queue.append(link)
    assert shown_sources > 0  # sources are shown, as the label relative to the corpus folder

