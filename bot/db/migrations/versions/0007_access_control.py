"""access control: enrollment_lookup_attempts (wrong codes or contacts typed to check
or cancel an enrollment), conversation_bindings.last_seen_at (a pairing expires when idle),
staff_sessions (server-side staff sessions that logout revokes), staff_users.team and
escalations.team (staff see their own team's cases)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('enrollment_lookup_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference_code', sa.String(length=12), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment_lookup_attempts'))
    )
    with op.batch_alter_table('enrollment_lookup_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_lookup_attempts_reference_code'), ['reference_code'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_lookup_attempts_at'), ['at'], unique=False)
    op.create_table('staff_sessions',
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['staff_users.id'], name=op.f('fk_staff_sessions_user_id_staff_users'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('key_hash', name=op.f('pk_staff_sessions'))
    )
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sessions_user_id'), ['user_id'], unique=False)
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team', sa.String(length=20), nullable=False, server_default='family'))
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team', sa.String(length=20), nullable=False, server_default='family'))
        batch_op.create_index(batch_op.f('ix_escalations_team'), ['team'], unique=False)
    with op.batch_alter_table('conversation_bindings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE conversation_bindings SET last_seen_at = bound_at")
    with op.batch_alter_table('conversation_bindings', schema=None) as batch_op:
        batch_op.alter_column('last_seen_at', existing_type=sa.DateTime(timezone=True), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalations_team'))
        batch_op.drop_column('team')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('team')
    with op.batch_alter_table('staff_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sessions_user_id'))
    op.drop_table('staff_sessions')
    with op.batch_alter_table('conversation_bindings', schema=None) as batch_op:
        batch_op.drop_column('last_seen_at')
    with op.batch_alter_table('enrollment_lookup_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_lookup_attempts_at'))
        batch_op.drop_index(batch_op.f('ix_enrollment_lookup_attempts_reference_code'))
    op.drop_table('enrollment_lookup_attempts')
