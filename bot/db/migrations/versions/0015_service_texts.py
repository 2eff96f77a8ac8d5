"""service texts edited in the staff app: service_text_versions (every change
of a service's texts with every editable field before and after it, what a
revert restores) and the role 'editor' (staff who may edit them)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 13:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('service_text_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=False),
    sa.Column('change', sa.String(length=10), nullable=False),
    sa.Column('reverted_from', sa.Integer(), nullable=True),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("change IN ('edit', 'revert', 'seed')", name=op.f('ck_service_text_versions_change_known')),
    sa.ForeignKeyConstraint(['service_id'], ['services.id'], name=op.f('fk_service_text_versions_service_id_services'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_text_versions'))
    )
    with op.batch_alter_table('service_text_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_text_versions_service_id'), ['service_id'], unique=False)
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_users_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', "role IN ('staff', 'teamlead', 'editor', 'admin')")


def downgrade() -> None:
    op.execute("UPDATE staff_users SET role = 'staff' WHERE role = 'editor'")
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_staff_users_role_known'), type_='check')
        batch_op.create_check_constraint('role_known', "role IN ('staff', 'teamlead', 'admin')")
    with op.batch_alter_table('service_text_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_text_versions_service_id'))
    op.drop_table('service_text_versions')
