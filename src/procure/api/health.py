from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec

from procure import __version__
from procure.api.error_responses import ErrorBody
from procure.api.errors import error_body
from procure.storage.migrations import readiness_problem


@dataclass
class Health:
    status: str
    version: str


@dataclass
class Readiness:
    status: str
    revision: str


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/", summary="Liveness of the service")
    async def health(self) -> Health:
        return Health(status="ok", version=__version__)


class ReadinessController(Controller):
    path = "/ready"
    tags = ["health"]

    @get(
        "/",
        summary="Readiness: 200 when the database is reachable and migrated to the latest revision, else 503",
        sync_to_thread=True,
        responses={503: ResponseSpec(ErrorBody, description="The database cannot be reached or is not migrated: the error says which",
                                     generate_examples=False)},
    )
    def ready(self, state: State) -> Response[Readiness]:
        revision, problem = readiness_problem(state.engine)
        if problem is not None:
            return Response(error_body(problem), status_code=503)  # type: ignore[arg-type]
        return Response(Readiness(status="ready", revision=revision or ""))
