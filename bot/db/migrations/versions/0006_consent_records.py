"""consent_records: what was asked, the words shown, the answer, when

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 12:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('consent_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=255), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('text_shown', sa.Text(), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=False),
    sa.Column('subject', sa.String(length=60), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("answer IN ('given', 'declined')", name=op.f('ck_consent_records_answer_known')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent_records'))
    )
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consent_records_conversation_id'), ['conversation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consent_records_subject'), ['subject'], unique=False)
    # Enrollments made before this table recorded their consent on the row: copy it.
    op.execute(
        "INSERT INTO consent_records (conversation_id, purpose, text_shown, answer, subject, at) "
        "SELECT conversation_id, 'course_enrollment', consent_text, 'given', reference_code, created_at "
        "FROM course_enrollments"
    )


def downgrade() -> None:
    with op.batch_alter_table('consent_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consent_records_subject'))
        batch_op.drop_index(batch_op.f('ix_consent_records_conversation_id'))
    op.drop_table('consent_records')
