"""gunicorn settings for production: ``gunicorn 'search_service:create_app()'``.

Environment: SEARCH_BIND (default 127.0.0.1:8000), SEARCH_WORKERS (or
WEB_CONCURRENCY; default 2), SEARCH_THREADS (default 4), SEARCH_ACCESS_LOG
(default "-" = stderr; empty to disable). App settings come from SEARCH_* as usual
(SEARCH_DATA_DIR, SEARCH_BACKEND, ...). Workers open the index themselves
(preload_app = False), so a reindex's atomic switch is picked up per worker.
"""
from search_service.web.serve import gunicorn_options

globals().update(gunicorn_options())
