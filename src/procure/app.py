"""The composition root: one Litestar application serving the REST API and the pages."""

from __future__ import annotations

from litestar import Litestar
from litestar.datastructures import State
from litestar.logging.config import LoggingConfig
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from sqlalchemy import Engine

from procure import __version__
from procure.api.errors import EXCEPTION_HANDLERS, exception_logger
from procure.api.routes import api_router
from procure.api.security_headers import add_security_headers
from procure.dependencies import DEPENDENCIES, sqlite_write_lock
from procure.forwarded import trusted_proxy_headers
from procure.settings import Settings, get_settings
from procure.storage.database import create_database_engine
from procure.web import csrf_config, template_config, web_router
from procure.web.sessions import SignInRequired


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> Litestar:
    settings = settings or get_settings()
    engine = engine or create_database_engine(settings.database_url)
    return Litestar(
        route_handlers=[api_router, web_router(settings)],
        csrf_config=csrf_config(settings),
        before_send=[add_security_headers],
        middleware=[trusted_proxy_headers(settings.trusted_proxies)],
        template_config=template_config,
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        # A 500 is a bug: its traceback goes to the log at ERROR in production too. A
        # user's mistake (4xx) is one line at INFO; a database outage (503) is logged
        # by its handler. The logger, not `disable_stack_trace`, decides: that set
        # matches exact types only, so subclasses (NotFound, InvalidInput) slipped by.
        logging_config=LoggingConfig(log_exceptions="always", disable_stack_trace=set(),
                                     exception_logging_handler=exception_logger({SignInRequired: 303})),
        openapi_config=OpenAPIConfig(
            title="procure",
            version=__version__,
            description="Social clauses in public procurement: contracts, placements, compliance.",
            path="/schema",
            render_plugins=[ScalarRenderPlugin(), SwaggerRenderPlugin(path="/swagger")],
            components=Components(
                security_schemes={"BearerToken": SecurityScheme(type="http", scheme="bearer")}
            ),
            security=[{"BearerToken": []}],
        ),
        state=State({"settings": settings, "engine": engine, "write_lock": sqlite_write_lock(engine)}),
        on_shutdown=[engine.dispose],
        debug=False,
    )
