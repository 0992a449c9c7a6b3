"""The renderer never reads a local file or a URL, whatever the HTML asks for."""

from __future__ import annotations

import pytest

from procure.reports.fetcher import FetchRefused, MemoryOnlyFetcher


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "FILE:///etc/passwd", "http://127.0.0.1:8000/", "https://example.org/x.png",
     "ftp://example.org/x", "procure-memory:not-there"],
)
def test_the_fetcher_refuses_files_and_urls(url: str) -> None:
    fetcher = MemoryOnlyFetcher()
    with pytest.raises(FetchRefused):
        fetcher(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_data_uris_and_its_own_resources() -> None:
    fetcher = MemoryOnlyFetcher({"chart.svg": (b"<svg/>", "image/svg+xml")})
    assert fetcher("data:text/plain;base64,aGVsbG8=").read() == b"hello"
    response = fetcher("procure-memory:chart.svg")
    assert (response.read(), response.content_type) == (b"<svg/>", "image/svg+xml")


def test_markup_asking_for_a_file_is_laid_out_without_reading_it(tmp_path) -> None:
    from procure.reports.render import html_to_pdf

    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    fetcher = MemoryOnlyFetcher()
    html = (f'<html><head><link rel="stylesheet" href="{secret.as_uri()}"></head>'
            '<body><img src="file:///etc/passwd"><img src="http://127.0.0.1:9/x.png">text</body></html>')
    pdf = html_to_pdf(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF-")
    assert set(fetcher.refused) == {secret.as_uri(), "file:///etc/passwd", "http://127.0.0.1:9/x.png"}
