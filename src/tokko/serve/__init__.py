"""``tokko serve``: the engine over HTTP — a JSON API for budgeting systems and a web page for
finance officers (issue 17).

- :mod:`tokko.serve.app` assembles the application (:func:`create_app`) from a
  :class:`~tokko.serve.config.ServeConfig`;
- :mod:`tokko.serve.api` holds the JSON API under ``/api/v1/`` and ``/healthz``, each endpoint
  one library call; :mod:`tokko.serve.models` the few response models the library has no model
  for;
- :mod:`tokko.serve.problems` turns every refusal into RFC 9457 problem JSON (tokko's codes,
  both languages); :mod:`tokko.serve.guard` is the ASGI layer that keeps the server safe by
  default (size limit, bearer token, security headers, one log line per request, no traceback
  in any response);
- :mod:`tokko.serve.jobs` holds the uploads of one request in a temporary folder removed when
  the request ends; :mod:`tokko.serve.live` the rules in force, re-read when their files
  change; :mod:`tokko.serve.page` the web page and the API's own documentation page (package
  files under ``static/``, no build step, no CDN).

FastAPI, uvicorn and python-multipart come with ``pip install 'tokko[serve]'``; nothing else of
tokko imports this package.
"""

from tokko.serve.app import create_app
from tokko.serve.config import ServeConfig

__all__ = ["ServeConfig", "create_app"]
