"""taking back a save: every plan item (and goal step) can be marked retracted; goal steps carry their event

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

# Every table whose rows are plan items (bot.db.tables.PlanItem).
PLAN_ITEM_TABLES = ('answers', 'interest_mentions', 'inventory_responses', 'work_values', 'strengths', 'activities',
                    'career_interests', 'goals', 'postsecondary_choices', 'course_plan_entries',
                    'benchmark_completions', 'plan_notes')


def upgrade() -> None:
    for table in PLAN_ITEM_TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('retracted_at', sa.DateTime(), nullable=True))
    with op.batch_alter_table('goal_steps', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source_event', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('retracted_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('goal_steps', schema=None) as batch_op:
        batch_op.drop_column('retracted_at')
        batch_op.drop_column('source_event')
    for table in reversed(PLAN_ITEM_TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('retracted_at')
