"""interest inventory: one answer per item per plan; type scores are computed from them

The interest_scores table (never written) is dropped: scores are derived from the responses.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 18:05:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('inventory_responses',
    sa.Column('item_id', sa.String(length=20), nullable=False),
    sa.Column('riasec', sa.String(length=1), nullable=False),
    sa.Column('response', sa.String(length=10), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_role', sa.String(length=20), nullable=False),
    sa.Column('author_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('source_event', sa.String(length=200), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("riasec IN ('R', 'I', 'A', 'S', 'E', 'C')", name=op.f('ck_inventory_responses_riasec')),
    sa.CheckConstraint("response IN ('like', 'unsure', 'dislike')", name=op.f('ck_inventory_responses_response')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_inventory_responses_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inventory_responses')),
    sa.UniqueConstraint('plan_id', 'item_id', name='uq_inventory_responses_item')
    )
    with op.batch_alter_table('inventory_responses', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inventory_responses_plan_id'), ['plan_id'], unique=False)


    with op.batch_alter_table('interest_scores', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_interest_scores_plan_id'))
    op.drop_table('interest_scores')


def downgrade() -> None:
    op.create_table('interest_scores',
    sa.Column('riasec', sa.String(length=1), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('author_role', sa.String(length=20), nullable=False),
    sa.Column('author_staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('source_event', sa.String(length=200), nullable=True),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("riasec IN ('R', 'I', 'A', 'S', 'E', 'C')", name=op.f('ck_interest_scores_riasec')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_interest_scores_plan_id_plans'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interest_scores')),
    sa.UniqueConstraint('plan_id', 'riasec', name='uq_interest_scores_type')
    )
    with op.batch_alter_table('interest_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interest_scores_plan_id'), ['plan_id'], unique=False)
    with op.batch_alter_table('inventory_responses', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inventory_responses_plan_id'))
    op.drop_table('inventory_responses')
