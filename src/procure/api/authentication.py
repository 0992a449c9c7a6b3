"""Bearer-token authentication of the REST API.

Pages use cookie sessions with CSRF protection instead (procure.web); the API takes only
bearer tokens, so a browser's cookies can never be used against it from another site.
"""

from __future__ import annotations

from anyio import to_thread
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.base import DefineMiddleware
from sqlmodel import Session

from procure.services.tokens import principal_for_token

# The health and readiness routes and the token route itself need no token.
PUBLIC_PATHS = [r"^/api/health", r"^/api/ready", r"^/api/auth/token$"]


class BearerTokenMiddleware(AbstractAuthenticationMiddleware):
    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise NotAuthorizedException(
                "sign in first: send 'Authorization: Bearer <token>' with a token from POST /api/auth/token"
            )
        engine = connection.app.state.engine
        token = token.strip()

        # Asked of the database on every request, so that a revocation made through any
        # process counts here at once (procure.services.tokens).
        def lookup():
            with Session(engine) as session:
                return principal_for_token(session, token)

        principal = await to_thread.run_sync(lookup)
        if principal is None:
            raise NotAuthorizedException("the token is unknown, expired or revoked: request a new one")
        return AuthenticationResult(user=principal, auth=None)


bearer_authentication = DefineMiddleware(BearerTokenMiddleware, exclude=PUBLIC_PATHS)
