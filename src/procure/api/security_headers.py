"""Security headers on every response, pages and API alike.

The pages load their one script and stylesheet from /static and have no inline script,
so the Content-Security-Policy allows only the site itself; nothing may frame a page.
Charts are SVG files made by matplotlib, which style themselves with an inline <style>
element: their own responses allow inline style, nothing else. HSTS is sent only over
https (directly or through a proxy uvicorn trusts), where it means something.

Nothing but the public resources (static files, the OpenAPI document, the health check)
may be kept by a browser or a proxy: every other answer — pages, API JSON, PDFs,
spreadsheets, charts — says `Cache-Control: no-store`, replacing any weaker directive, so
that after signing out on a shared computer Back shows nothing of the contract.
"""

from __future__ import annotations

from litestar.types import Message, Scope

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
COMMON = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
}
HSTS = b"max-age=31536000; includeSubDomains"
NO_STORE = b"no-store"
# Path prefixes whose answers are the same for everyone and may be cached.
PUBLIC_PREFIXES = ("/static/", "/schema", "/api/health")


def is_public(path: str) -> bool:
    return any(path == prefix.rstrip("/") or path.startswith(prefix) for prefix in PUBLIC_PREFIXES)


async def add_security_headers(message: Message, scope: Scope) -> None:
    """A `before_send` hook: it sees every response, including the router's own 404s."""
    if message["type"] != "http.response.start" or scope["type"] != "http":
        return
    headers = list(message.get("headers", []))
    present = {bytes(name).lower() for name, _ in headers}
    content_type = next((bytes(value) for name, value in headers if bytes(name).lower() == b"content-type"), b"")
    policy = SVG_POLICY if content_type.startswith(b"image/svg") else CONTENT_SECURITY_POLICY
    wanted = {**COMMON, b"content-security-policy": policy.encode()}
    if scope.get("scheme") == "https":
        wanted[b"strict-transport-security"] = HSTS
    headers.extend((name, value) for name, value in wanted.items() if name not in present)
    if not is_public(scope.get("path", "")):
        headers = [(name, value) for name, value in headers if bytes(name).lower() != b"cache-control"]
        headers.append((b"cache-control", NO_STORE))
    message["headers"] = headers
