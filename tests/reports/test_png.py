"""A page of the report, rasterised with poppler's pdftoppm, is really drawn (not blank)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from PIL import Image

from report_fixtures import rendered


def _png(pdf_path: Path, page: int, out_prefix: Path) -> Path:
    assert shutil.which("pdftoppm"), "pdftoppm is missing: apt-get install poppler-utils"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile",
                    str(pdf_path), str(out_prefix)], check=True, capture_output=True)
    return out_prefix.with_suffix(".png")


def test_the_cover_and_a_clause_page_are_drawn(artifacts: Path) -> None:
    report = rendered("remonthagen", "sv")
    pdf_path = artifacts / "report-remonthagen-sv.pdf"
    pdf_path.write_bytes(report.pdf)
    for page in (1, 2):
        png = _png(pdf_path, page, artifacts / f"report-remonthagen-sv-page{page}")
        image = Image.open(png).convert("L")
        histogram = image.histogram()
        dark = sum(histogram[:128])
        assert dark > 0.005 * image.width * image.height, f"page {page} is (nearly) blank"
        # The cover's verdict box is a solid colour: plenty of non-white, non-text pixels.
        if page == 1:
            assert image.convert("RGB").getcolors(1 << 16) is not None
