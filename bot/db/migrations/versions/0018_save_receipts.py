"""save_receipts: what a young person's save answered, by conversation, message
and action, so a message sent again is answered the same and saved once (kept a day)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 02:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('save_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('message_id', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('replies', sa.Text(), nullable=False),
    sa.Column('remembered', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_save_receipts')),
    sa.UniqueConstraint('conversation_id', 'message_id', 'action', name=op.f('uq_save_receipts_conversation_id'))
    )
    with op.batch_alter_table('save_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_save_receipts_created_at'), ['created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('save_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_save_receipts_created_at'))

    op.drop_table('save_receipts')
