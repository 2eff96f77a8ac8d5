"""course teams and enrollments

Revision ID: 0001
Revises: 
Create Date: 2026-11-24 18:50:07.247646
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('course_teams',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('place', sa.String(length=100), nullable=False),
    sa.Column('address', sa.String(length=200), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('seats_taken', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity > 0', name=op.f('ck_course_teams_capacity_positive')),
    sa.CheckConstraint('seats_taken >= 0 AND seats_taken <= capacity', name=op.f('ck_course_teams_seats_within_capacity')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_teams')),
    sa.UniqueConstraint('code', name=op.f('uq_course_teams_code'))
    )
    with op.batch_alter_table('course_teams', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_teams_start_date'), ['start_date'], unique=False)

    op.create_table('course_enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference_code', sa.String(length=12), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('parent_name', sa.String(length=100), nullable=False),
    sa.Column('partner_name', sa.String(length=100), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=20), nullable=True),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('consent_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('active', 'cancelled')", name=op.f('ck_course_enrollments_status_known')),
    sa.CheckConstraint('due_date IS NOT NULL OR birth_date IS NOT NULL', name=op.f('ck_course_enrollments_has_child_date')),
    sa.CheckConstraint('email IS NOT NULL OR phone IS NOT NULL', name=op.f('ck_course_enrollments_has_contact')),
    sa.ForeignKeyConstraint(['team_id'], ['course_teams.id'], name=op.f('fk_course_enrollments_team_id_course_teams')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_course_enrollments')),
    sa.UniqueConstraint('reference_code', name=op.f('uq_course_enrollments_reference_code'))
    )
    with op.batch_alter_table('course_enrollments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_course_enrollments_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_enrollments_email'), ['email'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_enrollments_phone'), ['phone'], unique=False)
        batch_op.create_index(batch_op.f('ix_course_enrollments_team_id'), ['team_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('course_enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_enrollments_team_id'))
        batch_op.drop_index(batch_op.f('ix_course_enrollments_phone'))
        batch_op.drop_index(batch_op.f('ix_course_enrollments_email'))
        batch_op.drop_index(batch_op.f('ix_course_enrollments_conversation_id'))

    op.drop_table('course_enrollments')
    with op.batch_alter_table('course_teams', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_course_teams_start_date'))

    op.drop_table('course_teams')
