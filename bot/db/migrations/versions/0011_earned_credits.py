"""earned credits: the courses on each student's transcript, imported from the school's SIS export

One row per student, course, term and school year, compared in any case (a unique index on lower(course) and
lower(term)), so `ilp transcripts import` run twice on the same file adds no credits twice.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 16:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('earned_credits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('student_id', sa.Integer(), nullable=False),
    sa.Column('course', sa.String(length=200), nullable=False),
    sa.Column('course_id', sa.String(length=100), nullable=True),
    sa.Column('subject_area', sa.String(length=50), nullable=True),
    sa.Column('credits', sa.Numeric(precision=4, scale=2, asdecimal=False), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(length=30), nullable=False),
    sa.Column('school_year', sa.String(length=7), nullable=False),
    sa.Column('mark', sa.String(length=10), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('grade BETWEEN 6 AND 12', name=op.f('ck_earned_credits_grade')),
    sa.CheckConstraint('credits >= 0 AND credits <= 5', name=op.f('ck_earned_credits_credits')),
    sa.ForeignKeyConstraint(['student_id'], ['students.id'], name=op.f('fk_earned_credits_student_id_students'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_earned_credits'))
    )
    op.create_index(op.f('ix_earned_credits_student_id'), 'earned_credits', ['student_id'], unique=False)
    op.create_index('uq_earned_credits_course_term', 'earned_credits',
                    ['student_id', sa.text('lower(course)'), sa.text('lower(term)'), 'school_year'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_earned_credits_course_term', table_name='earned_credits')
    op.drop_index(op.f('ix_earned_credits_student_id'), table_name='earned_credits')
    op.drop_table('earned_credits')
