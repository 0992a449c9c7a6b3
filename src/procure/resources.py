"""Where the repository's own directories are: `alembic/`, `templates/`, `contracts/`.

They live at the top of the repository. A wheel (`pip install .`) carries them as package
data, under `procure/_alembic`, `procure/_templates` and `procure/_contracts` (the
mapping is `[tool.setuptools.package-dir]` in pyproject.toml); an editable install from
a checkout (`make setup`) reads them where they are.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parents[1]  # src/procure -> the repository


def resource_dir(name: str) -> Path:
    """The directory `name` ("alembic", "templates", "contracts"): packaged, else the checkout's."""
    packaged = _PACKAGE / f"_{name}"
    return packaged if packaged.is_dir() else _CHECKOUT / name
