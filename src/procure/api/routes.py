"""The REST API: every controller under /api, behind bearer-token authentication.

`API_CONTROLLERS` is the one list of controllers (the authorization matrix test reads it).
"""

from litestar import Router

from procure.api.accounts import OrganisationController, UserController
from procure.api.audit import AuditLogController
from procure.api.auth import TokenController, WhoAmIController
from procure.api.authentication import bearer_authentication
from procure.api.clauses import ClauseController
from procure.api.compliance import ComplianceController
from procure.api.contracts import ContractController, InvitationController
from procure.api.error_responses import document_error_responses
from procure.api.evidence import EvidenceController
from procure.api.health import HealthController, ReadinessController
from procure.api.placements import ParticipantController, PlacementController
from procure.api.reporting import HoursController, PeriodReportController
from procure.api.reports import ReportController, ReportVerificationController

API_CONTROLLERS = [HealthController, ReadinessController, TokenController, WhoAmIController, OrganisationController, UserController, AuditLogController, ContractController, InvitationController, ClauseController, ComplianceController, ParticipantController, PlacementController, HoursController, PeriodReportController, EvidenceController, ReportController, ReportVerificationController]

document_error_responses(API_CONTROLLERS)

api_router = Router(path="/api", route_handlers=API_CONTROLLERS, middleware=[bearer_authentication])
