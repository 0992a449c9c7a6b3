from __future__ import annotations

import click
import uvicorn

from procure.settings import get_settings


@click.command()
@click.option("--host", default=None, help="Address to listen on (PROCURE_HOST, 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port to listen on (PROCURE_PORT, 8000).")
@click.option(
    "--workers", default=1, show_default=True, type=click.IntRange(min=1),
    help="Worker processes. They share nothing but the database, which holds sessions, "
    "token revocations and sign-in throttles, so any number behave as one.",
)
def serve(host: str | None, port: int | None, workers: int) -> None:
    """Serve the API and the pages."""
    settings = get_settings()
    uvicorn.run(
        "procure.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        log_level=settings.log_level,
        # Forwarded headers are believed only from PROCURE_TRUSTED_PROXIES, and the app
        # decides that itself (procure.forwarded): uvicorn's own handling, which
        # trusts loopback by default, stays off.
        proxy_headers=False,
    )
