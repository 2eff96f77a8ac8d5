"""one open escalation per conversation, held by a partial unique index; open
duplicates from before (a race the index now prevents) are merged into the
newest: the older ones are closed with the outcome "merged"

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 00:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(sa.text(
        "UPDATE escalations SET status = 'closed', outcome = 'merged', closed_at = updated_at "
        "WHERE status != 'closed' AND id NOT IN "
        "(SELECT MAX(id) FROM escalations WHERE status != 'closed' GROUP BY conversation_id)"))
    op.create_index('uq_escalations_open_conversation_id', 'escalations', ['conversation_id'], unique=True,
                    sqlite_where=sa.text("status != 'closed'"), postgresql_where=sa.text("status != 'closed'"))


def downgrade() -> None:
    op.drop_index('uq_escalations_open_conversation_id', table_name='escalations')
