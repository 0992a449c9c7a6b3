"""Import safety: failed placement imports per user, for the import throttle.

Revision ID: a1c0e5510005
Revises: 375247070caf
Create Date: 2026-12-02 13:10:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision: str = 'a1c0e5510005'
down_revision: Union[str, Sequence[str], None] = 'a1c0e5510004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('import_failures',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_import_failures_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_failures'))
    )
    with op.batch_alter_table('import_failures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_failures_user_id_at'), ['user_id', 'at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('import_failures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_failures_user_id_at'))
    op.drop_table('import_failures')
