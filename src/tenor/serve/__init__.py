"""`tenor serve`: a Perspective API compatible HTTP service (needs the [serve] extra).

from tenor.serve import create_app
app = create_app()            # an ASGI app; run it with uvicorn or any ASGI server
"""

from __future__ import annotations

from ..store import SuggestionStore
from ._app import create_app
from ._discovery import discovery_document

__all__ = ["SuggestionStore", "create_app", "discovery_document"]
