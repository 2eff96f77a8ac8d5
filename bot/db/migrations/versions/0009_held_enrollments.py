"""an enrollment can be 'held': made past the per-contact limit, it takes no
seat and waits for staff to check it (a case for the course team), so that
no answer tells a stranger whether a contact has enrolled before

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 03:20:00
"""
from alembic import op


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('course_enrollments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_course_enrollments_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', "status IN ('active', 'held', 'cancelled')")


def downgrade() -> None:
    op.execute("UPDATE course_enrollments SET status = 'cancelled' WHERE status = 'held'")
    with op.batch_alter_table('course_enrollments', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_course_enrollments_status_known'), type_='check')
        batch_op.create_check_constraint('status_known', "status IN ('active', 'cancelled')")
