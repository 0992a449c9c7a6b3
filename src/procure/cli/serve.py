from __future__ import annotations

import click
import uvicorn

from procure.settings import get_settings


@click.command()
@click.option("--host", default=None, help="Address to listen on (PROCURE_HOST, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port to listen on (PROCURE_PORT, 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Serve the API and the pages."""
    settings = get_settings()
    uvicorn.run(
        "procure.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        log_level=settings.log_level,
    )
