"""Service tests (a package: its test modules share basenames with tests/api)."""
