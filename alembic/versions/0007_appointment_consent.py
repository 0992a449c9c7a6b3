"""Appointments need the appointed organisation's consent.

An appointment (now also of the contract's own contractor) has a status: `pending` until
the appointed organisation accepts or declines it. Only an accepted appointment lets the
organisation see the contract.

Existing installations keep working: every existing appointment was in effect, so it is
migrated as `accepted`, and every existing contract's contractor gets an accepted
`contractor` appointment.

An invitation names the organisation by number (`org_number`); `organisation_id` is set
when that number is registered, so an invitation to an unknown number is stored like any
other and the buyer's answer does not reveal which numbers exist. Downgrading drops the contractor appointments and every
appointment that was never accepted (the old schema would have made them effective).

Revision ID: a1c0e5510007
Revises: 375247070caf
Create Date: 2026-12-02 13:30:00

"""
import uuid
from datetime import datetime, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = 'a1c0e5510007'
down_revision: Union[str, Sequence[str], None] = 'a1c0e5510006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

OLD_ROLES = "role IN ('subcontractor', 'auditor')"
NEW_ROLES = "role IN ('contractor', 'subcontractor', 'auditor')"
STATUSES = "status IN ('pending', 'accepted', 'declined')"


def upgrade() -> None:
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('status', sa.String(length=20), nullable=False, server_default='accepted')
        )
        batch_op.add_column(sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('org_number', sa.String(length=20), nullable=False, server_default=''))
        batch_op.drop_constraint(batch_op.f('ck_appointments_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', NEW_ROLES)
        batch_op.create_check_constraint('status_known', STATUSES)
    organisations = sa.table('organisations', sa.column('id', sa.Uuid()), sa.column('org_number', sa.String()))
    bare = sa.table('appointments', sa.column('organisation_id', sa.Uuid()), sa.column('org_number', sa.String()))
    op.execute(bare.update().values(org_number=(
        sa.select(organisations.c.org_number).where(organisations.c.id == bare.c.organisation_id).scalar_subquery()
    )))
    # The server defaults served the existing rows only; new rows say their status and number.
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.alter_column('status', server_default=None, existing_type=sa.String(length=20))
        batch_op.alter_column('org_number', server_default=None, existing_type=sa.String(length=20))
        batch_op.alter_column('organisation_id', nullable=True, existing_type=sa.Uuid())
        batch_op.drop_constraint(batch_op.f('uq_appointments_contract_id_organisation_id_role'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_appointments_contract_id_org_number_role'), ['contract_id', 'org_number', 'role'])
        batch_op.create_index(batch_op.f('ix_appointments_org_number'), ['org_number'], unique=False)

    appointments = sa.table(
        'appointments',
        sa.column('id', sa.Uuid()), sa.column('contract_id', sa.Uuid()), sa.column('organisation_id', sa.Uuid()),
        sa.column('org_number', sa.String()), sa.column('role', sa.String()), sa.column('status', sa.String()),
        sa.column('created_at', sa.DateTime(timezone=True)), sa.column('responded_at', sa.DateTime(timezone=True)),
    )
    contracts = sa.table('contracts', sa.column('id', sa.Uuid()), sa.column('contractor_org_id', sa.Uuid()))
    connection = op.get_bind()
    now = datetime.now(timezone.utc)
    existing = sa.select(contracts.c.id, contracts.c.contractor_org_id, organisations.c.org_number).join(
        organisations, organisations.c.id == contracts.c.contractor_org_id)
    rows = [
        {"id": uuid.uuid4(), "contract_id": contract_id, "organisation_id": org_id, "org_number": number,
         "role": "contractor", "status": "accepted", "created_at": now, "responded_at": now}
        for contract_id, org_id, number in connection.execute(existing)
    ]
    if rows:
        connection.execute(appointments.insert(), rows)


def downgrade() -> None:
    appointments = sa.table('appointments', sa.column('role', sa.String()), sa.column('status', sa.String()),
                            sa.column('organisation_id', sa.Uuid()))
    op.execute(appointments.delete().where(sa.or_(
        appointments.c.role == 'contractor', appointments.c.status != 'accepted', appointments.c.organisation_id.is_(None))))
    with op.batch_alter_table('appointments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_appointments_org_number'))
        batch_op.drop_constraint(batch_op.f('uq_appointments_contract_id_org_number_role'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_appointments_contract_id_organisation_id_role'), ['contract_id', 'organisation_id', 'role'])
        batch_op.alter_column('organisation_id', nullable=False, existing_type=sa.Uuid())
        batch_op.drop_column('org_number')
        batch_op.drop_constraint(batch_op.f('ck_appointments_status_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_appointments_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', OLD_ROLES)
        batch_op.drop_column('responded_at')
        batch_op.drop_column('status')
