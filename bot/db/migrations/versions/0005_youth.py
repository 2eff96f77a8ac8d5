"""youth: youth_profiles, mentor_meetings, education_events, pairing_codes, conversation_bindings, pairing_attempts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 12:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('youth_profiles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=20), nullable=False),
    sa.Column('first_name', sa.String(length=60), nullable=False),
    sa.Column('mentor_name', sa.String(length=100), nullable=False),
    sa.Column('mentor_contact', sa.String(length=200), nullable=False),
    sa.Column('aftercare_ends_on', sa.Date(), nullable=False),
    sa.Column('programme', sa.String(length=100), nullable=True),
    sa.Column('institution', sa.String(length=150), nullable=True),
    sa.Column('plan_next_step', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_youth_profiles')),
    sa.UniqueConstraint('reference', name=op.f('uq_youth_profiles_reference'))
    )
    op.create_table('mentor_meetings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('window_first', sa.Date(), nullable=True),
    sa.Column('window_last', sa.Date(), nullable=True),
    sa.Column('window_text', sa.String(length=200), nullable=True),
    sa.Column('with_whom', sa.String(length=100), nullable=False),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('how_it_went', sa.String(length=100), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('reason', sa.String(length=300), nullable=True),
    sa.Column('replaces_id', sa.Integer(), nullable=True),
    sa.Column('conversation_id', sa.String(length=255), nullable=True),
    sa.Column('reminder_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('changed_by', sa.String(length=100), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('requested', 'confirmed', 'held', 'moved', 'cancelled')",
                       name=op.f('ck_mentor_meetings_status_known')),
    sa.CheckConstraint('rating IS NULL OR (rating >= 1 AND rating <= 5)', name=op.f('ck_mentor_meetings_rating_1_to_5')),
    sa.ForeignKeyConstraint(['profile_id'], ['youth_profiles.id'],
                            name=op.f('fk_mentor_meetings_profile_id_youth_profiles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaces_id'], ['mentor_meetings.id'],
                            name=op.f('fk_mentor_meetings_replaces_id_mentor_meetings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_meetings'))
    )
    with op.batch_alter_table('mentor_meetings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_meetings_profile_id'), ['profile_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_meetings_starts_at'), ['starts_at'], unique=False)

    op.create_table('education_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('programme', sa.String(length=100), nullable=False),
    sa.Column('institution', sa.String(length=150), nullable=True),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('recorded_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('started', 'changed', 'paused', 'stopped', 'finished')",
                       name=op.f('ck_education_events_kind_known')),
    sa.ForeignKeyConstraint(['profile_id'], ['youth_profiles.id'],
                            name=op.f('fk_education_events_profile_id_youth_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_education_events'))
    )
    with op.batch_alter_table('education_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_education_events_profile_id'), ['profile_id'], unique=False)

    op.create_table('pairing_codes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failed_attempts', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['youth_profiles.id'],
                            name=op.f('fk_pairing_codes_profile_id_youth_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_codes')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_pairing_codes_code_hash'))
    )
    with op.batch_alter_table('pairing_codes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairing_codes_profile_id'), ['profile_id'], unique=False)

    op.create_table('conversation_bindings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('profile_id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('bound_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['profile_id'], ['youth_profiles.id'],
                            name=op.f('fk_conversation_bindings_profile_id_youth_profiles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversation_bindings')),
    sa.UniqueConstraint('conversation_id', name=op.f('uq_conversation_bindings_conversation_id'))
    )
    with op.batch_alter_table('conversation_bindings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversation_bindings_profile_id'), ['profile_id'], unique=False)

    op.create_table('pairing_attempts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pairing_attempts'))
    )
    with op.batch_alter_table('pairing_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pairing_attempts_conversation_id'), ['conversation_id'], unique=False)


def downgrade() -> None:
    for table, indexes in [
        ('pairing_attempts', ['ix_pairing_attempts_conversation_id']),
        ('conversation_bindings', ['ix_conversation_bindings_profile_id']),
        ('pairing_codes', ['ix_pairing_codes_profile_id']),
        ('education_events', ['ix_education_events_profile_id']),
        ('mentor_meetings', ['ix_mentor_meetings_starts_at', 'ix_mentor_meetings_profile_id']),
    ]:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for index in indexes:
                batch_op.drop_index(index)
        op.drop_table(table)
    op.drop_table('youth_profiles')
