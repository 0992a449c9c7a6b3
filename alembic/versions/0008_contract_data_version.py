"""Contracts: a data version for the read model.

`data_version` counts the changes to everything the rules engine reads of a contract
(its fields, clauses, waivers, appointments, participants, placements, labour hours and
period reports). It is bumped in the same transaction as the change
(procure.storage.data_version), so a cached compliance answer keyed by it is exact in
every process at once. Existing contracts start at 1 (the server default).

Revision ID: a1c0e5510008
Revises: 375247070caf
Create Date: 2026-12-02 13:10:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'a1c0e5510008'
down_revision: Union[str, Sequence[str], None] = 'a1c0e5510007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    # A plain ADD COLUMN, not batch mode: on SQLite batch mode may recreate `contracts`,
    # which fails while foreign keys are on and other tables' rows refer to it.
    op.add_column('contracts', sa.Column('data_version', sa.BigInteger(), nullable=False, server_default=sa.text('1')))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # Not batch mode: recreating `contracts` would fail while foreign keys are on and
        # other tables' rows refer to it. SQLite drops a plain column in place (3.35+).
        op.execute("ALTER TABLE contracts DROP COLUMN data_version")
    else:
        op.drop_column('contracts', 'data_version')
