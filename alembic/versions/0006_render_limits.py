"""Render limits: report renders in progress per user, shared by all app processes.

Revision ID: a1c0e5510006
Revises: 375247070caf
Create Date: 2026-12-02 13:30:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'a1c0e5510006'
down_revision: Union[str, Sequence[str], None] = 'a1c0e5510005'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('render_leases',
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('user_id', sa.Uuid(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_render_leases_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_render_leases')),
    sa.UniqueConstraint('user_id', 'slot', name=op.f('uq_render_leases_user_id_slot'))
    )
    with op.batch_alter_table('render_leases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_render_leases_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('render_leases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_render_leases_user_id'))
    op.drop_table('render_leases')
