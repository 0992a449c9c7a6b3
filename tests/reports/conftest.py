"""Fixtures of the report tests (helpers in report_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_fixtures import ARTIFACTS, Rendered, rendered


@pytest.fixture(params=["sv", "en"])
def remonthagen(request: pytest.FixtureRequest) -> Rendered:
    return rendered("remonthagen", request.param)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
