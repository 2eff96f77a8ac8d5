"""course_enrollments.message_id: the id of the message whose yes wrote the
enrollment, one enrollment per message and conversation (a yes sent again
after its Rasa server died is not written twice)

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 23:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('course_enrollments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('message_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f('uq_course_enrollments_conversation_id'), ['conversation_id', 'message_id']
        )


def downgrade() -> None:
    with op.batch_alter_table('course_enrollments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_course_enrollments_conversation_id'), type_='unique')
        batch_op.drop_column('message_id')
