"""Accounts: organisation administrators.

An `is_org_admin` user may create users of its own organisation. Existing users get
false (the server default), so the column can be NOT NULL on a populated table.

Revision ID: 375247070caf
Revises: 5964a9b5b14e
Create Date: 2026-11-22 19:10:32.864663

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '375247070caf'
down_revision: Union[str, Sequence[str], None] = '5964a9b5b14e'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('is_org_admin', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('is_org_admin')
