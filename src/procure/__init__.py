"""procure: a tracker for social clauses in public procurement."""

__version__ = "0.1.0"
