"""The page-versus-fragment decision (pure view logic: no search engine involved)."""
import pytest

from search_service.web import create_app
from search_service.web.partial import SEARCH_REGION, is_htmx_partial_request


@pytest.fixture
def app(tmp_path):
    app = create_app({"DATA_DIR": str(tmp_path)})
    app.testing = True
    return app


@pytest.mark.parametrize(
    "headers, target, expected",
    [
        ({}, SEARCH_REGION, False),  # plain browser request, reload, link
        ({"HX-Request": "true", "HX-Target": SEARCH_REGION}, SEARCH_REGION, True),
        ({"HX-Request": "true", "HX-Target": SEARCH_REGION, "HX-Boosted": "true"}, SEARCH_REGION, False),
        ({"HX-Request": "true", "HX-Target": SEARCH_REGION, "HX-History-Restore-Request": "true"}, SEARCH_REGION, False),
        ({"HX-History-Restore-Request": "true"}, SEARCH_REGION, False),
        ({"HX-Request": "true", "HX-Target": "some-other-element"}, SEARCH_REGION, False),
        ({"HX-Request": "true"}, SEARCH_REGION, False),  # untargeted (e.g. hx-target="body" without id)
        ({"HX-Request": "false", "HX-Target": SEARCH_REGION}, SEARCH_REGION, False),
        ({"HX-Request": "true"}, None, True),  # any targeted htmx request, when no target is required
    ],
)
def test_partial_only_for_targeted_non_boosted_non_history_htmx_requests(app, headers, target, expected):
    with app.test_request_context("/search?q=x", headers=headers):
        assert is_htmx_partial_request(target) is expected
