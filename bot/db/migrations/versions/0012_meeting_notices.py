"""meeting notices: mentor_meetings.staff_notice (what the young person is to
be told about staff's latest change: confirmed or moved), staff_notice_sent_at
and staff_notice_channel (when and how they were told)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mentor_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_notice', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('staff_notice_sent_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('staff_notice_channel', sa.String(length=20), nullable=True))
        batch_op.create_check_constraint(
            batch_op.f('ck_mentor_meetings_staff_notice_known'),
            "staff_notice IS NULL OR staff_notice IN ('confirmed', 'moved')",
        )


def downgrade() -> None:
    with op.batch_alter_table('mentor_meetings', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_mentor_meetings_staff_notice_known'), type_='check')
        batch_op.drop_column('staff_notice_channel')
        batch_op.drop_column('staff_notice_sent_at')
        batch_op.drop_column('staff_notice')
