"""occupation pay: national median wages from a BLS OEWS file (ilp careers import-pay)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 15:30:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('occupation_pay',
    sa.Column('soc_code', sa.String(length=7), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('median_annual_wage', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=20), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('soc_code', name=op.f('pk_occupation_pay'))
    )


def downgrade() -> None:
    op.drop_table('occupation_pay')
