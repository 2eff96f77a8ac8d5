"""sms retry: sms_outbound.next_attempt_at (a text the gateway could not take
stays queued and is tried again from the database after a growing pause)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 12:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('sms_outbound', schema=None) as batch_op:
        batch_op.add_column(sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('sms_outbound', schema=None) as batch_op:
        batch_op.drop_column('next_attempt_at')
