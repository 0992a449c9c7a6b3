"""The composition root: one Litestar application serving the REST API and the pages."""

from __future__ import annotations

from litestar import Litestar
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin

from procure import __version__
from procure.api.health import HealthController
from procure.settings import Settings, get_settings


def create_app(settings: Settings | None = None) -> Litestar:
    settings = settings or get_settings()
    return Litestar(
        route_handlers=[HealthController],
        openapi_config=OpenAPIConfig(
            title="procure",
            version=__version__,
            description="Social clauses in public procurement: contracts, placements, compliance.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
        ),
        state={"settings": settings},
        debug=False,
    )
