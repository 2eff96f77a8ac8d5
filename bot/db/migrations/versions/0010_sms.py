"""sms: a mobile number on youth_profiles; sms_conversations (the number per
conversation, opt-out), sms_inbound (the gateway's message ids), sms_outbound
(texts and their delivery status)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-08 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('youth_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('mobile', sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_youth_profiles_mobile'), ['mobile'])
    op.create_table('sms_conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('msisdn', sa.String(length=20), nullable=False),
    sa.Column('opted_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('opted_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('offered', sa.Text(), nullable=False),
    sa.Column('last_inbound_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_conversations')),
    sa.UniqueConstraint('conversation_id', name=op.f('uq_sms_conversations_conversation_id')),
    sa.UniqueConstraint('msisdn', name=op.f('uq_sms_conversations_msisdn'))
    )
    op.create_table('sms_inbound',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('gateway_id', sa.String(length=64), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_inbound')),
    sa.UniqueConstraint('gateway_id', name=op.f('uq_sms_inbound_gateway_id'))
    )
    op.create_index(op.f('ix_sms_inbound_conversation_id'), 'sms_inbound', ['conversation_id'], unique=False)
    op.create_table('sms_outbound',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('msisdn', sa.String(length=20), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('gateway_id', sa.String(length=64), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'sent', 'delivered', 'undelivered', 'failed', 'suppressed')", name=op.f('ck_sms_outbound_status_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sms_outbound'))
    )
    op.create_index(op.f('ix_sms_outbound_conversation_id'), 'sms_outbound', ['conversation_id'], unique=False)
    op.create_index(op.f('ix_sms_outbound_gateway_id'), 'sms_outbound', ['gateway_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_sms_outbound_gateway_id'), table_name='sms_outbound')
    op.drop_index(op.f('ix_sms_outbound_conversation_id'), table_name='sms_outbound')
    op.drop_table('sms_outbound')
    op.drop_index(op.f('ix_sms_inbound_conversation_id'), table_name='sms_inbound')
    op.drop_table('sms_inbound')
    op.drop_table('sms_conversations')
    with op.batch_alter_table('youth_profiles', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_youth_profiles_mobile'), type_='unique')
        batch_op.drop_column('mobile')
