"""imported occupations: the career catalog's O*NET overlay

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 19:10:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('occupations',
    sa.Column('onet_soc', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('riasec', sa.String(length=3), nullable=True),
    sa.Column('job_zone', sa.Integer(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('job_zone BETWEEN 1 AND 5', name=op.f('ck_occupations_job_zone')),
    sa.PrimaryKeyConstraint('onet_soc', name=op.f('pk_occupations'))
    )


def downgrade() -> None:
    op.drop_table('occupations')
