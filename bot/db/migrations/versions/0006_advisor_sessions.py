"""advisor sessions: assignments, guided sessions, their steps, and plan notes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 09:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('advisor_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('advisor_id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['advisor_id'], ['staff_users.id'], name=op.f('fk_advisor_assignments_advisor_id_staff_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_advisor_assignments_student_id_students'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisor_assignments')),
    sa.UniqueConstraint('advisor_id', 'student_id', name='uq_advisor_assignments_pair')
    )
    op.create_index(op.f('ix_advisor_assignments_advisor_id'), 'advisor_assignments', ['advisor_id'], unique=False)
    op.create_index(op.f('ix_advisor_assignments_student_id'), 'advisor_assignments', ['student_id'], unique=False)
    op.create_table('advisor_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conversation_id', sa.String(length=64), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('advisor_id', sa.Integer(), nullable=False),
    sa.Column('script_id', sa.String(length=100), nullable=False),
    sa.Column('consent_at', sa.DateTime(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('current_step', sa.String(length=100), nullable=True),
    sa.Column('path', sa.Text(), nullable=False),
    sa.Column('last_event', sa.String(length=200), nullable=True),
    sa.Column('started_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('open', 'finished', 'ended_early')", name=op.f('ck_advisor_sessions_status')),
    sa.ForeignKeyConstraint(['advisor_id'], ['staff_users.id'], name=op.f('fk_advisor_sessions_advisor_id_staff_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_advisor_sessions_student_id_students'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisor_sessions')),
    sa.UniqueConstraint('conversation_id', name=op.f('uq_advisor_sessions_conversation_id'))
    )
    op.create_index(op.f('ix_advisor_sessions_advisor_id'), 'advisor_sessions', ['advisor_id'], unique=False)
    op.create_index(op.f('ix_advisor_sessions_student_id'), 'advisor_sessions', ['student_id'], unique=False)
    op.create_table('advisor_session_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('step_id', sa.String(length=100), nullable=False),
    sa.Column('outcome', sa.String(length=20), nullable=False),
    sa.Column('saved', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint("outcome IN ('answered', 'skipped')", name=op.f('ck_advisor_session_steps_outcome')),
    sa.ForeignKeyConstraint(['session_id'], ['advisor_sessions.id'], name=op.f('fk_advisor_session_steps_session_id_advisor_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisor_session_steps'))
    )
    op.create_index(op.f('ix_advisor_session_steps_session_id'), 'advisor_session_steps', ['session_id'], unique=False)
    op.create_table('plan_notes',
    sa.Column('text', sa.String(length=2000), nullable=False),
    sa.Column('advisor_session_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_role', sa.String(length=20), nullable=False),
    sa.Column('author_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('source_event', sa.String(length=200), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['advisor_session_id'], ['advisor_sessions.id'], name=op.f('fk_plan_notes_advisor_session_id_advisor_sessions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_plan_notes_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_notes'))
    )
    op.create_index(op.f('ix_plan_notes_plan_id'), 'plan_notes', ['plan_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_plan_notes_plan_id'), table_name='plan_notes')
    op.drop_table('plan_notes')
    op.drop_index(op.f('ix_advisor_session_steps_session_id'), table_name='advisor_session_steps')
    op.drop_table('advisor_session_steps')
    op.drop_index(op.f('ix_advisor_sessions_student_id'), table_name='advisor_sessions')
    op.drop_index(op.f('ix_advisor_sessions_advisor_id'), table_name='advisor_sessions')
    op.drop_table('advisor_sessions')
    op.drop_index(op.f('ix_advisor_assignments_student_id'), table_name='advisor_assignments')
    op.drop_index(op.f('ix_advisor_assignments_advisor_id'), table_name='advisor_assignments')
    op.drop_table('advisor_assignments')
