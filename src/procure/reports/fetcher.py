"""The only way the PDF renderer may load a resource: from memory, never from disk or network.

Clause texts, titles and organisation names are user input. They are escaped by the
templates, but the fetcher is the second wall: even markup that got through could not make
WeasyPrint read `file:///etc/passwd` or call a URL.
"""

from __future__ import annotations

from collections.abc import Mapping

from weasyprint.urls import URLFetcher, URLFetcherResponse

# Resources the report generates itself (stylesheet, charts) are served under this scheme.
MEMORY_SCHEME = "procure-memory:"


class FetchRefused(ValueError):
    """The renderer asked for a URL the report does not allow."""


class MemoryOnlyFetcher(URLFetcher):
    """Serves `data:` URIs and `procure-memory:NAME` resources; refuses everything else."""

    def __init__(self, resources: Mapping[str, tuple[bytes, str]] | None = None) -> None:
        # Nothing is ever opened through urllib, but the base class sets up its handlers;
        # the allowed protocols are our second guard should `fetch` ever be bypassed.
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self._resources = dict(resources or {})
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith(MEMORY_SCHEME):
            name = url[len(MEMORY_SCHEME):]
            if name in self._resources:
                body, mime_type = self._resources[name]
                return URLFetcherResponse(url, body, {"Content-Type": mime_type})
        elif url.lower().startswith("data:"):
            return super().fetch(url, headers)
        self.refused.append(url)
        raise FetchRefused(f"the report renderer does not load {url[:80]!r}")
