"""Shared API test fixtures: the app on the test database, and two tenants with users.

The fixtures are in api_fixtures.py (the security tests use them too); helpers to build
more organisations and users are in api_parties.py.
"""

from api_fixtures import api_client, tenants  # noqa: F401
