"""student IDs unique whatever their case (a unique index on lower(external_id))

Staff and students look a student up by ID in any case ("s1001" finds "S1001"), so two students may
not have IDs that differ only in case. A database that has such a pair cannot take the index: the
upgrade stops and names them, to be merged or renamed by hand first.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08 12:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    clashes = op.get_bind().execute(sa.text(
        "SELECT lower(external_id), count(*) FROM students GROUP BY lower(external_id) HAVING count(*) > 1"
    )).all()
    if clashes:
        ids = ", ".join(sorted(row[0] for row in clashes))
        raise RuntimeError(f"student IDs that differ only in case: {ids}. Student IDs must be unique whatever "
                           f"their case; merge or rename these students, then run `ilp db upgrade` again.")
    op.create_index('uq_students_external_id_lower', 'students', [sa.text('lower(external_id)')], unique=True)


def downgrade() -> None:
    op.drop_index('uq_students_external_id_lower', table_name='students')
