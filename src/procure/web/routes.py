"""The router of the pages, and the CSRF and template configuration the app installs.

Pages authenticate by cookie session (procure.web.sessions), not by bearer token: the
router opts out of the API's token middleware and provides its own `principal`.
"""

from __future__ import annotations

from pathlib import Path

from litestar import Request, Router
from litestar.config.csrf import CSRFConfig
from litestar.di import NamedDependency, Provide
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.template.config import TemplateConfig

from procure.dependencies import DbSession
from procure.resources import resource_dir
from procure.services.access import Principal
from procure.settings import Settings
from procure.web.controllers.account import AccountController
from procure.web.controllers.appointments import InvitationController
from procure.web.controllers.audit import AuditController
from procure.web.controllers.clauses import ClauseController
from procure.web.controllers.contracts import ContractController
from procure.web.controllers.reporting import ReportingController
from procure.web.pages import PAGE_EXCEPTION_HANDLERS
from procure.web.sessions import SecureCookies, Viewer, current_viewer, derived_key, session_middleware

TEMPLATE_DIR = resource_dir("templates") / "pages"
STATIC_DIR = Path(__file__).resolve().parent / "static"

WEB_CONTROLLERS = [AccountController, InvitationController, ContractController, ClauseController, ReportingController, AuditController]

# The API's bearer-token middleware skips routes carrying this option.
PUBLIC = {"exclude_from_auth": True}


def provide_viewer(request: Request, db: DbSession) -> Viewer:
    return current_viewer(request, db)


def provide_principal(viewer: NamedDependency[Viewer]) -> Principal:
    return viewer.principal


def web_router(settings: Settings) -> Router:
    static = create_static_files_router(path="/static", directories=[STATIC_DIR], opt=PUBLIC,
                                        include_in_schema=False, cache_control=None)
    return Router(
        path="/",
        route_handlers=[*WEB_CONTROLLERS, static],
        opt=PUBLIC,
        middleware=[SecureCookies, session_middleware(settings)],
        dependencies={
            "viewer": Provide(provide_viewer, sync_to_thread=True),
            "principal": Provide(provide_principal, sync_to_thread=False),
        },
        exception_handlers=PAGE_EXCEPTION_HANDLERS,
        include_in_schema=False,
    )


def csrf_config(settings: Settings) -> CSRFConfig:
    # The API is excluded: it takes bearer tokens only, which a browser never sends by itself.
    return CSRFConfig(
        secret=derived_key(settings, b"csrf").hex(),
        cookie_name="procure_csrf",
        cookie_samesite="lax",
        cookie_httponly=True,  # forms carry the token in a hidden field; no script needs the cookie
        exclude=["^/api", "^/schema"],
    )


template_config = TemplateConfig(directory=TEMPLATE_DIR, engine=JinjaTemplateEngine)
