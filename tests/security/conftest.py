"""Security regression tests (issue 12's findings): the API tests' app and two tenants."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "api"))

from api_fixtures import api_client, tenants  # noqa: E402, F401
