from __future__ import annotations

from dataclasses import dataclass

from litestar import Controller, get

from procure import __version__


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

