"""satisfaction: the offers of the question after a reached goal (a nonce's SHA-256,
single use) and the answers (goal, team, score 1-5, masked comment, day,
channel; no conversation id)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 13:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('satisfaction_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('goal', sa.String(length=20), nullable=False),
    sa.Column('team', sa.String(length=20), nullable=True),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.CheckConstraint("goal IN ('enrollment', 'staff_case', 'youth_change')", name=op.f('ck_satisfaction_answers_goal_known')),
    sa.CheckConstraint('score BETWEEN 1 AND 5', name=op.f('ck_satisfaction_answers_score_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_answers'))
    )
    with op.batch_alter_table('satisfaction_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_answers_day'), ['day'], unique=False)

    op.create_table('satisfaction_offers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce_hash', sa.String(length=64), nullable=False),
    sa.Column('goal', sa.String(length=20), nullable=False),
    sa.Column('team', sa.String(length=20), nullable=True),
    sa.Column('channel', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("goal IN ('enrollment', 'staff_case', 'youth_change')", name=op.f('ck_satisfaction_offers_goal_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_satisfaction_offers')),
    sa.UniqueConstraint('nonce_hash', name=op.f('uq_satisfaction_offers_nonce_hash'))
    )
    with op.batch_alter_table('satisfaction_offers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_satisfaction_offers_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('satisfaction_offers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfaction_offers_created_at'))

    op.drop_table('satisfaction_offers')
    with op.batch_alter_table('satisfaction_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_satisfaction_answers_day'))

    op.drop_table('satisfaction_answers')
