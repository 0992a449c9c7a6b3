"""The web pages: server-rendered HTML for buyers, contractors and auditors.

Pages call the same service functions as the REST API (procure.services); nothing here
decides who may see what or how a figure is computed. They authenticate with a signed
cookie session and protect every state-changing form with a CSRF token; the REST API
under /api keeps bearer tokens only.

    from procure.web import csrf_config, template_config, web_router
"""

from procure.web.routes import csrf_config, template_config, web_router

__all__ = ["csrf_config", "template_config", "web_router"]
