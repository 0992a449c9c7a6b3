from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, get

from procure import __version__
from procure.services.access import Principal


@dataclass
class Health:
    status: str
    version: str


class HealthController(Controller):
    path = "/health"
    tags = ["health"]

    @get("/", summary="Liveness of the service")
    async def health(self) -> Health:
        return Health(status="ok", version=__version__)


class WhoAmIController(Controller):
    path = "/me"
    tags = ["auth"]

    @get("/", summary="The signed-in user", sync_to_thread=False)
    def me(self, principal: "Principal") -> dict:
        return {"email": principal.email, "role": principal.role}
