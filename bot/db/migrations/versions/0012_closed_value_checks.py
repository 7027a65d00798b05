"""CHECK constraints on the columns that hold a closed set of values: kinds, statuses, roles

Every plan item's author_role (and goal_steps'), the audit log's actor_role, interest_mentions.kind, strengths.kind,
activities.kind and status, goals.kind and status, and postsecondary_choices.choice may hold only the values the
code writes (bot.db.tables: AUTHOR_ROLES, AUDIT_ACTOR_ROLES, MENTION_KINDS, STRENGTH_KINDS, ACTIVITY_KINDS,
ACTIVITY_STATUSES, GOAL_KINDS, GOAL_STATUSES, POSTSECONDARY_PATHS). The values are copied here, not imported, so
this revision stays what it was when written.

No earlier version of the code wrote a value outside these sets, so no value is mapped. A database that holds one
anyway (written by hand or by other software) cannot take the constraints: the upgrade checks every column first,
changes nothing, and stops naming each table, column and value with its number of rows, to be corrected by hand
before `ilp db upgrade` is run again.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 22:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

AUTHOR_ROLES = ('student', 'advisor', 'counselor', 'admin', 'system')

# table -> column -> the values it may hold; each constraint is named ck_<table>_<column>.
CHECKS: dict[str, dict[str, tuple[str, ...]]] = {
    'answers': {'author_role': AUTHOR_ROLES},
    'interest_mentions': {'author_role': AUTHOR_ROLES,
                          'kind': ('activity', 'school_subject', 'career', 'statement')},
    'inventory_responses': {'author_role': AUTHOR_ROLES},
    'work_values': {'author_role': AUTHOR_ROLES},
    'strengths': {'author_role': AUTHOR_ROLES, 'kind': ('strength', 'skill', 'hobby', 'accomplishment')},
    'activities': {'author_role': AUTHOR_ROLES,
                   'kind': ('club', 'sport', 'job', 'job_shadowing', 'internship', 'dual_credit', 'volunteering',
                            'other'),
                   'status': ('planned', 'doing', 'done')},
    'career_interests': {'author_role': AUTHOR_ROLES},
    'goals': {'author_role': AUTHOR_ROLES, 'kind': ('career', 'work', 'education', 'personal'),
              'status': ('active', 'replaced', 'done', 'dropped')},
    'goal_steps': {'author_role': AUTHOR_ROLES},
    'postsecondary_choices': {'author_role': AUTHOR_ROLES,
                              'choice': ('four_year', 'two_year', 'apprenticeship', 'military', 'work')},
    'course_plan_entries': {'author_role': AUTHOR_ROLES},
    'benchmark_completions': {'author_role': AUTHOR_ROLES},
    'plan_notes': {'author_role': AUTHOR_ROLES},
    'audit_log': {'actor_role': (*AUTHOR_ROLES, 'cli')},
}


def _in(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def values_outside(connection) -> list[str]:
    """'table.column: value (n rows)' for every stored value a constraint of this revision would refuse."""
    found = []
    for table, columns in CHECKS.items():
        for column, values in columns.items():
            rows = connection.execute(sa.text(
                f"SELECT {column}, count(*) FROM {table} WHERE NOT ({_in(column, values)}) "
                f"GROUP BY {column} ORDER BY {column}")).all()
            found += [f"{table}.{column}: {value!r} ({count} row{'s' * (count != 1)})" for value, count in rows]
    return found


def upgrade() -> None:
    outside = values_outside(op.get_bind())
    if outside:
        raise RuntimeError("values outside the set their column may hold: " + "; ".join(outside) + ". Correct "
                           "these rows (the sets are in bot/db/tables.py), then run `ilp db upgrade` again; nothing "
                           "was changed.")
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, values in columns.items():
                batch_op.create_check_constraint(op.f(f'ck_{table}_{column}'), _in(column, values))


def downgrade() -> None:
    for table, columns in reversed(CHECKS.items()):
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(columns):
                batch_op.drop_constraint(op.f(f'ck_{table}_{column}'), type_='check')
