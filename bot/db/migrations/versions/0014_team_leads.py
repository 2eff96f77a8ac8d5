"""a staff account can be a team lead ('teamlead'): works the team's cases
like staff, and sees the dashboard of the team's numbers

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 12:30:00
"""
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_users_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', "role IN ('staff', 'teamlead', 'admin')")


def downgrade() -> None:
    op.execute("UPDATE staff_users SET role = 'staff' WHERE role = 'teamlead'")
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_users_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', "role IN ('staff', 'admin')")
