"""Persistence: SQLModel tables, the engine and sessions, Alembic migrations, and the
mapping of stored rows onto the domain dataclasses the rules engine reads."""
