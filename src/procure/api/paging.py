"""The query parameters of every paged list: one definition, so that every list takes
the same bounds (an offset beyond what the database's integers hold is a 400, not a 500)."""

from __future__ import annotations

from typing import Annotated

from litestar.params import QueryParameter

MAX_OFFSET = 2**31 - 1

Limit = Annotated[int, QueryParameter(ge=1, le=500, description="At most this many items (1–500).")]
Offset = Annotated[int, QueryParameter(ge=0, le=MAX_OFFSET, description="Skip this many items.")]
