"""procure: a tracker for social clauses in public procurement."""

from importlib.metadata import PackageNotFoundError, version

try:
    # One version, pyproject.toml's: `procure --version` and the report's footer show it.
    __version__ = version("procure")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
