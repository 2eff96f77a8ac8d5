"""services: the support-service catalogue FAQ answers come from

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 08:51:03.253982
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('services',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=60), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('read_more', sa.Text(), nullable=False),
    sa.Column('audience', sa.Text(), nullable=False),
    sa.Column('price', sa.Text(), nullable=False),
    sa.Column('unit', sa.String(length=60), nullable=False),
    sa.Column('link', sa.String(length=500), nullable=False),
    sa.Column('next_step', sa.Text(), nullable=False),
    sa.Column('related', sa.String(length=300), nullable=False),
    sa.Column('sources', sa.Text(), nullable=False),
    sa.Column('reviewed_on', sa.Date(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_services')),
    sa.UniqueConstraint('topic', name=op.f('uq_services_topic'))
    )


def downgrade() -> None:
    op.drop_table('services')
