"""reminder claims: mentor_meetings.reminder_claimed_at, taken by one reminder
scheduler before it sends, so that several schedulers send a reminder once

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 09:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mentor_meetings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reminder_claimed_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mentor_meetings', schema=None) as batch_op:
        batch_op.drop_column('reminder_claimed_at')
