"""The REST API: every controller under /api, behind bearer-token authentication.

`API_CONTROLLERS` is the one list of controllers (the authorization matrix test reads it).
"""

from litestar import Router

from procure.api.authentication import bearer_authentication
from procure.api.clauses import ClauseController
from procure.api.compliance import ComplianceController
from procure.api.contracts import ContractController
from procure.api.health import HealthController, WhoAmIController

API_CONTROLLERS = [HealthController, WhoAmIController, ContractController, ClauseController, ComplianceController]

api_router = Router(path="/api", route_handlers=API_CONTROLLERS, middleware=[bearer_authentication])
