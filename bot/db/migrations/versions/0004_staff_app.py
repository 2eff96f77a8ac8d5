"""staff app: staff_users, audit_log, escalation_notes, review_tags; escalations get outcome and times

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 11:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('password_hash', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("role IN ('staff', 'admin')", name=op.f('ck_staff_users_role_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_users')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_users_username'))
    )
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('client', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_actor'), ['actor'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    op.create_table('escalation_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('escalation_id', sa.Integer(), nullable=False),
    sa.Column('author', sa.String(length=100), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('note', 'task')", name=op.f('ck_escalation_notes_kind_known')),
    sa.ForeignKeyConstraint(['escalation_id'], ['escalations.id'],
                            name=op.f('fk_escalation_notes_escalation_id_escalations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_escalation_notes'))
    )
    with op.batch_alter_table('escalation_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_escalation_notes_escalation_id'), ['escalation_id'], unique=False)

    op.create_table('review_tags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('message_at', sa.Float(), nullable=False),
    sa.Column('message_text', sa.Text(), nullable=False),
    sa.Column('predicted_intent', sa.String(length=100), nullable=False),
    sa.Column('confidence', sa.Float(), nullable=True),
    sa.Column('tag', sa.String(length=40), nullable=False),
    sa.Column('correct_intent', sa.String(length=100), nullable=True),
    sa.Column('tagged_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_tags'))
    )
    with op.batch_alter_table('review_tags', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_tags_conversation_id'), ['conversation_id'], unique=False)

    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('claimed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True))

    # The free-text staff_notes column becomes one note per entry, with an author.
    op.execute(
        "INSERT INTO escalation_notes (escalation_id, author, kind, text, created_at) "
        "SELECT id, 'assistenten', 'task', staff_notes, updated_at FROM escalations WHERE staff_notes <> ''"
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_column('staff_notes')


def downgrade() -> None:
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('staff_notes', sa.Text(), nullable=False, server_default=''))
    op.execute(
        "UPDATE escalations SET staff_notes = COALESCE((SELECT string_agg(text, '\n') FROM escalation_notes "
        "WHERE escalation_notes.escalation_id = escalations.id), '')"
        if op.get_bind().dialect.name == "postgresql" else
        "UPDATE escalations SET staff_notes = COALESCE((SELECT group_concat(text, char(10)) FROM escalation_notes "
        "WHERE escalation_notes.escalation_id = escalations.id), '')"
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_column('answered_at')
        batch_op.drop_column('claimed_at')
        batch_op.drop_column('outcome')

    with op.batch_alter_table('review_tags', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_tags_conversation_id'))
    op.drop_table('review_tags')
    with op.batch_alter_table('escalation_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_escalation_notes_escalation_id'))
    op.drop_table('escalation_notes')
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_log_at'))
        batch_op.drop_index(batch_op.f('ix_audit_log_actor'))
        batch_op.drop_index(batch_op.f('ix_audit_log_action'))
    op.drop_table('audit_log')
    op.drop_table('staff_users')
