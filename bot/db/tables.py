"""Tables of the plan database.

Every plan item records its author (role and, for staff, the user id) and when it was written.
Items written from a conversation carry `source_event` (sender and Rasa message id) with a unique
constraint, so a retried action writes nothing twice.
"""
from __future__ import annotations

import datetime as dt
from typing import Any, Literal, get_args

from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import declarative_base, declared_attr, relationship

# Stable constraint names make Alembic migrations portable between SQLite and PostgreSQL.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)
Base: Any = declarative_base(metadata=metadata)  # SQLAlchemy 1.4 ships no types

# The closed sets of values a column may hold: a Literal type for the code that passes them around, and its values
# as a tuple (in this order) for the CHECK constraint that makes the database refuse any other value.
RiasecType = Literal["R", "I", "A", "S", "E", "C"]
RIASEC_TYPES: tuple[RiasecType, ...] = get_args(RiasecType)
StaffRole = Literal["counselor", "advisor", "admin"]
STAFF_ROLES: tuple[StaffRole, ...] = get_args(StaffRole)
# Who wrote a plan item: the student, or a staff member for them (an advisor in a session, a counselor's note).
AuthorRole = Literal["student", "advisor", "counselor", "admin", "system"]
AUTHOR_ROLES: tuple[AuthorRole, ...] = get_args(AuthorRole)
# Who read or changed a record: a plan item's author, or an `ilp` command run on the server.
AuditActorRole = Literal[AuthorRole, "cli"]
AUDIT_ACTOR_ROLES: tuple[AuditActorRole, ...] = get_args(AuditActorRole)
FlagSeverity = Literal["urgent", "high", "normal"]
FLAG_SEVERITIES: tuple[FlagSeverity, ...] = get_args(FlagSeverity)
FlagStatus = Literal["open", "acknowledged", "resolved"]
FLAG_STATUSES: tuple[FlagStatus, ...] = get_args(FlagStatus)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def _in(column: str, values: tuple) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class School(Base):
    __tablename__ = "schools"
    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class StaffUser(Base):
    __tablename__ = "staff_users"
    __table_args__ = (CheckConstraint(_in("role", STAFF_ROLES), name="role"),)
    id = Column(Integer, primary_key=True)
    email = Column(String(254), nullable=False, unique=True)
    display_name = Column(String(200), nullable=False, default="")
    role = Column(String(20), nullable=False)
    school_id = Column(Integer, ForeignKey("schools.id"), nullable=True)
    password_hash = Column(String(200), nullable=False)
    session_version = Column(Integer, nullable=False, default=0, server_default="0")  # bot.sign_in_sessions
    disabled_at = Column(DateTime, nullable=True)  # a disabled account cannot sign in
    created_at = Column(DateTime, nullable=False, default=utcnow)

    school = relationship(School)


class Student(Base):
    __tablename__ = "students"
    __table_args__ = (CheckConstraint("grade BETWEEN 6 AND 12", name="grade"),)
    id = Column(Integer, primary_key=True)
    external_id = Column(String(64), nullable=False, unique=True)
    school_id = Column(Integer, ForeignKey("schools.id"), nullable=False)
    counselor_id = Column(Integer, ForeignKey("staff_users.id"), nullable=True)
    first_name = Column(String(100), nullable=False)
    last_name = Column(String(100), nullable=False)
    grade = Column(Integer, nullable=False)
    sign_in_code_hash = Column(String(200), nullable=True)
    session_version = Column(Integer, nullable=False, default=0, server_default="0")  # bot.sign_in_sessions
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    school = relationship(School)
    counselor = relationship(StaffUser)
    plan = relationship("Plan", back_populates="student", uselist=False)


# Student IDs are unique whatever their case: staff and students type "s1001" for "S1001" (migration 0008).
Index("uq_students_external_id_lower", func.lower(Student.external_id), unique=True)


class Plan(Base):
    __tablename__ = "plans"
    id = Column(Integer, primary_key=True)
    student_id = Column(Integer, ForeignKey("students.id", ondelete="CASCADE"), nullable=False, unique=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow)

    student = relationship(Student, back_populates="plan")


class PlanItem:
    """Columns every plan item shares: which plan, who wrote it, when, and from which event."""

    id = Column(Integer, primary_key=True)
    author_role = Column(String(20), nullable=False)  # AUTHOR_ROLES: its CHECK constraint is added below the tables
    author_staff_id = Column(Integer, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    source_event = Column(String(200), nullable=True)
    # Set when the student (or their advisor) took the item back ("undo that"): the row stays as history,
    # and every read of the plan leaves it out (bot.plans.retraction).
    retracted_at = Column(DateTime, nullable=True)

    @declared_attr
    def plan_id(cls):
        return Column(Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False, index=True)


class Answer(PlanItem, Base):
    """Every answer a student (or an advisor for them) gave, as given; structured items derive from it."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("plan_id", "source_event", "topic", name="uq_answers_event"),)
    topic = Column(String(50), nullable=False)
    text = Column(Text, nullable=False)


# A catalog item the student named (bot.nlp.mentions), or a statement the interest reader placed in a type, kept in
# the student's words (bot.plans.view.STATEMENT).
MentionKind = Literal["activity", "school_subject", "career", "statement"]
MENTION_KINDS: tuple[MentionKind, ...] = get_args(MentionKind)


class InterestMention(PlanItem, Base):
    """An activity, school subject or career the student said they like, tied to a RIASEC type."""

    __tablename__ = "interest_mentions"
    __table_args__ = (
        UniqueConstraint("plan_id", "source_event", "item_id", name="uq_interest_mentions_event"),
        CheckConstraint(_in("riasec", RIASEC_TYPES), name="riasec"),
        CheckConstraint(_in("kind", MENTION_KINDS), name="kind"),
    )
    kind = Column(String(20), nullable=False)
    item_id = Column(String(100), nullable=False)
    label = Column(String(200), nullable=False)
    riasec = Column(String(1), nullable=False)


InventoryAnswer = Literal["like", "unsure", "dislike"]
INVENTORY_RESPONSES: tuple[InventoryAnswer, ...] = get_args(InventoryAnswer)


class InventoryResponse(PlanItem, Base):
    """The student's answer to one interest inventory item; answering again replaces it."""

    __tablename__ = "inventory_responses"
    __table_args__ = (
        UniqueConstraint("plan_id", "item_id", name="uq_inventory_responses_item"),
        CheckConstraint(_in("riasec", RIASEC_TYPES), name="riasec"),
        CheckConstraint(_in("response", INVENTORY_RESPONSES), name="response"),
    )
    item_id = Column(String(20), nullable=False)
    riasec = Column(String(1), nullable=False)
    response = Column(String(10), nullable=False)


class WorkValue(PlanItem, Base):
    __tablename__ = "work_values"
    __table_args__ = (UniqueConstraint("plan_id", "value", name="uq_work_values_value"),)
    value = Column(String(30), nullable=False)
    rank = Column(Integer, nullable=False)


# bot.plans.self_exploration reads strength, skill or accomplishment; the My plan page has words for a hobby too.
StrengthKind = Literal["strength", "skill", "hobby", "accomplishment"]
STRENGTH_KINDS: tuple[StrengthKind, ...] = get_args(StrengthKind)
# bot.plans.activities: "other" is an activity the words name no kind of (saved after the student says yes).
ActivityKind = Literal["club", "sport", "job", "job_shadowing", "internship", "dual_credit", "volunteering", "other"]
ACTIVITY_KINDS: tuple[ActivityKind, ...] = get_args(ActivityKind)
ActivityStatus = Literal["planned", "doing", "done"]
ACTIVITY_STATUSES: tuple[ActivityStatus, ...] = get_args(ActivityStatus)


class Strength(PlanItem, Base):
    __tablename__ = "strengths"
    __table_args__ = (CheckConstraint(_in("kind", STRENGTH_KINDS), name="kind"),)
    kind = Column(String(20), nullable=False)
    text = Column(String(1000), nullable=False)


class Activity(PlanItem, Base):
    __tablename__ = "activities"
    __table_args__ = (
        CheckConstraint(_in("kind", ACTIVITY_KINDS), name="kind"),
        CheckConstraint(_in("status", ACTIVITY_STATUSES), name="status"),
    )
    kind = Column(String(30), nullable=False)
    name = Column(String(200), nullable=False)
    grade = Column(Integer, nullable=True)
    status = Column(String(20), nullable=False, default="planned")


class CareerInterest(PlanItem, Base):
    __tablename__ = "career_interests"
    __table_args__ = (UniqueConstraint("plan_id", "onet_soc", name="uq_career_interests_career"),)
    onet_soc = Column(String(10), nullable=True)
    title = Column(String(200), nullable=False)


# career is the career goal itself (bot.plans.services.set_career_goal); bot.plans.goals.kind_of_goal reads the others.
GoalKind = Literal["career", "work", "education", "personal"]
GOAL_KINDS: tuple[GoalKind, ...] = get_args(GoalKind)
# active, or replaced by a newer career goal (set_career_goal); a goal taken back keeps its status and gets
# retracted_at. Nothing writes done or dropped yet, although the My plan page would show them.
GoalStatus = Literal["active", "replaced", "done", "dropped"]
GOAL_STATUSES: tuple[GoalStatus, ...] = get_args(GoalStatus)


class Goal(PlanItem, Base):
    __tablename__ = "goals"
    __table_args__ = (
        CheckConstraint(_in("kind", GOAL_KINDS), name="kind"),
        CheckConstraint(_in("status", GOAL_STATUSES), name="status"),
    )
    kind = Column(String(20), nullable=False)
    text = Column(String(1000), nullable=False)
    status = Column(String(20), nullable=False, default="active")

    steps = relationship("GoalStep", order_by="GoalStep.id", cascade="all, delete-orphan")


class GoalStep(Base):
    __tablename__ = "goal_steps"
    id = Column(Integer, primary_key=True)
    goal_id = Column(Integer, ForeignKey("goals.id", ondelete="CASCADE"), nullable=False, index=True)
    text = Column(String(1000), nullable=False)
    due_date = Column(Date, nullable=True)
    done_at = Column(DateTime, nullable=True)
    author_role = Column(String(20), nullable=False)  # AUTHOR_ROLES, as a plan item's
    author_staff_id = Column(Integer, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    source_event = Column(String(200), nullable=True)
    retracted_at = Column(DateTime, nullable=True)


# The ids of the options in data/plan/postsecondary.yml (bot.plans.content checks them against these).
PostsecondaryPath = Literal["four_year", "two_year", "apprenticeship", "military", "work"]
POSTSECONDARY_PATHS: tuple[PostsecondaryPath, ...] = get_args(PostsecondaryPath)


class PostsecondaryChoice(PlanItem, Base):
    """History of the postsecondary plan; the newest row is the current plan."""

    __tablename__ = "postsecondary_choices"
    __table_args__ = (CheckConstraint(_in("choice", POSTSECONDARY_PATHS), name="choice"),)
    choice = Column(String(30), nullable=False)


class CoursePlanEntry(PlanItem, Base):
    __tablename__ = "course_plan_entries"
    __table_args__ = (CheckConstraint("grade BETWEEN 6 AND 12", name="grade"),)
    grade = Column(Integer, nullable=False)
    course = Column(String(200), nullable=False)
    subject_area = Column(String(50), nullable=True)


class EarnedCredit(Base):
    """A course on a student's transcript as the school's student information system exported it
    (`ilp transcripts import`). Not a plan item: the school writes it, not the student, and nobody takes it back.

    One row per student, course, term and school year (compared in any case), so importing a file again
    updates rows instead of adding credits twice.
    """

    __tablename__ = "earned_credits"
    __table_args__ = (
        CheckConstraint("grade BETWEEN 6 AND 12", name="grade"),
        CheckConstraint("credits >= 0 AND credits <= 5", name="credits"),
    )
    id = Column(Integer, primary_key=True)
    student_id = Column(Integer, ForeignKey("students.id", ondelete="CASCADE"), nullable=False, index=True)
    course = Column(String(200), nullable=False)  # as the SIS wrote it
    course_id = Column(String(100), nullable=True)  # the catalog course it matched (data/plan/courses.yml), if any
    subject_area = Column(String(50), nullable=True)  # an area id of data/schools/; null: counts as an elective
    credits = Column(Numeric(4, 2, asdecimal=False), nullable=False)  # earned: 0 for a course failed
    grade = Column(Integer, nullable=False)
    term = Column(String(30), nullable=False)  # as the SIS wrote it: "Fall", "S1", "Full year"
    school_year = Column(String(7), nullable=False)  # "2025-26"
    mark = Column(String(10), nullable=True)
    imported_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


Index("uq_earned_credits_course_term", EarnedCredit.student_id, func.lower(EarnedCredit.course),
      func.lower(EarnedCredit.term), EarnedCredit.school_year, unique=True)


class BenchmarkCompletion(PlanItem, Base):
    __tablename__ = "benchmark_completions"
    __table_args__ = (UniqueConstraint("plan_id", "benchmark_id", name="uq_benchmark_completions_benchmark"),)
    benchmark_id = Column(String(100), nullable=False)


class PlanNote(PlanItem, Base):
    """A note on the plan, written by an advisor in a session (or by a counselor)."""

    __tablename__ = "plan_notes"
    text = Column(String(2000), nullable=False)
    advisor_session_id = Column(Integer, ForeignKey("advisor_sessions.id", ondelete="SET NULL"), nullable=True)


AdvisorSessionStatus = Literal["open", "finished", "ended_early"]
ADVISOR_SESSION_STATUSES: tuple[AdvisorSessionStatus, ...] = get_args(AdvisorSessionStatus)
AdvisorStepOutcome = Literal["answered", "skipped"]
ADVISOR_STEP_OUTCOMES: tuple[AdvisorStepOutcome, ...] = get_args(AdvisorStepOutcome)


class AdvisorAssignment(Base):
    """A community advisor may meet this student (assigned by a counselor or `ilp advisors assign`)."""

    __tablename__ = "advisor_assignments"
    __table_args__ = (UniqueConstraint("advisor_id", "student_id", name="uq_advisor_assignments_pair"),)
    id = Column(Integer, primary_key=True)
    advisor_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    student_id = Column(Integer, ForeignKey("students.id", ondelete="CASCADE"), nullable=False, index=True)
    assigned_by_staff_id = Column(Integer, nullable=True)
    created_at = Column(DateTime, nullable=False, default=utcnow)


class AdvisorSession(Base):
    """One guided session: which script, where it stands, and the student's agreement to it.

    `conversation_id` is the Rasa sender ID of the session's conversation (never the student's own).
    `path` is the JSON list of step ids visited, newest last, so Back returns to the step before.
    """

    __tablename__ = "advisor_sessions"
    __table_args__ = (CheckConstraint(_in("status", ADVISOR_SESSION_STATUSES), name="status"),)
    id = Column(Integer, primary_key=True)
    conversation_id = Column(String(64), nullable=False, unique=True)
    student_id = Column(Integer, ForeignKey("students.id", ondelete="CASCADE"), nullable=False, index=True)
    advisor_id = Column(Integer, ForeignKey("staff_users.id", ondelete="CASCADE"), nullable=False, index=True)
    script_id = Column(String(100), nullable=False)
    consent_at = Column(DateTime, nullable=False)
    status = Column(String(20), nullable=False, default="open")
    current_step = Column(String(100), nullable=True)
    path = Column(Text, nullable=False, default="[]")
    last_event = Column(String(200), nullable=True)  # the message handled last: a retried action changes nothing
    started_at = Column(DateTime, nullable=False, default=utcnow)
    ended_at = Column(DateTime, nullable=True)

    student = relationship(Student)
    advisor = relationship(StaffUser)
    steps = relationship("AdvisorSessionStep", order_by="AdvisorSessionStep.id", cascade="all, delete-orphan")


class AdvisorSessionStep(Base):
    """What happened at a step: answered (with what was saved) or skipped. Going back adds rows, never removes."""

    __tablename__ = "advisor_session_steps"
    __table_args__ = (CheckConstraint(_in("outcome", ADVISOR_STEP_OUTCOMES), name="outcome"),)
    id = Column(Integer, primary_key=True)
    session_id = Column(Integer, ForeignKey("advisor_sessions.id", ondelete="CASCADE"), nullable=False, index=True)
    step_id = Column(String(100), nullable=False)
    outcome = Column(String(20), nullable=False)
    saved = Column(String(1000), nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=utcnow)


class ImportedOccupation(Base):
    """An occupation read from the O*NET database files (`ilp careers import-onet`).

    Overlays the shipped catalog (data/careers/occupations.yml) by O*NET-SOC code; a column left
    null was not in the files imported so far, and the shipped value (if any) stands.
    """

    __tablename__ = "occupations"
    __table_args__ = (CheckConstraint("job_zone BETWEEN 1 AND 5", name="job_zone"),)
    onet_soc = Column(String(10), primary_key=True)
    title = Column(String(200), nullable=False)
    riasec = Column(String(3), nullable=True)
    job_zone = Column(Integer, nullable=True)
    description = Column(Text, nullable=True)
    imported_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class OccupationPay(Base):
    """A national median annual wage from a BLS OEWS file (`ilp careers import-pay`), by 6-digit SOC code.

    Overlays data/careers/pay.yml; median_annual_wage is null when BLS top-codes it (above the
    highest wage it publishes, `#` in the file).
    """

    __tablename__ = "occupation_pay"
    soc_code = Column(String(7), primary_key=True)
    title = Column(String(200), nullable=False)
    median_annual_wage = Column(Integer, nullable=True)
    period = Column(String(20), nullable=False)  # "May 2023": the OEWS reference period
    imported_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class Flag(Base):
    __tablename__ = "flags"
    __table_args__ = (
        CheckConstraint(_in("severity", FLAG_SEVERITIES), name="severity"),
        CheckConstraint(_in("status", FLAG_STATUSES), name="status"),
    )
    id = Column(Integer, primary_key=True)
    student_id = Column(Integer, ForeignKey("students.id", ondelete="CASCADE"), nullable=False, index=True)
    category = Column(String(40), nullable=False)
    severity = Column(String(10), nullable=False)
    status = Column(String(20), nullable=False, default="open")
    excerpt = Column(String(500), nullable=False, default="")
    conversation_id = Column(String(64), nullable=True)
    event_id = Column(String(100), nullable=True)
    counselor_notes = Column(Text, nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=utcnow)
    updated_at = Column(DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    student = relationship(Student)


class AuditEntry(Base):
    """Who read or changed what. Holds ids, never student words."""

    __tablename__ = "audit_log"
    __table_args__ = (CheckConstraint(_in("actor_role", AUDIT_ACTOR_ROLES), name="actor_role"),)
    id = Column(Integer, primary_key=True)
    actor_role = Column(String(20), nullable=False)
    actor_id = Column(Integer, nullable=True)
    action = Column(String(50), nullable=False)
    student_id = Column(Integer, nullable=True, index=True)
    detail = Column(String(500), nullable=False, default="")
    created_at = Column(DateTime, nullable=False, default=utcnow)


class SignInFailure(Base):
    """A failed sign-in, kept for the throttle's window. `key` is a hash: typed IDs and emails are not kept."""

    __tablename__ = "sign_in_failures"
    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, index=True)
    at = Column(DateTime, nullable=False, default=utcnow, index=True)


class AlertOutbox(Base):
    """Urgent alerts waiting for delivery, written in the same transaction as their flag.

    A row is delivered when `delivered_at` is set; until then the delivery worker retries it at
    `next_attempt_at`. `payload` is the exact JSON body sent (and signed), so retries send the same bytes.
    """

    __tablename__ = "alert_outbox"
    __table_args__ = (UniqueConstraint("flag_id", "event_id", name="uq_alert_outbox_event"),)
    id = Column(Integer, primary_key=True)
    flag_id = Column(Integer, ForeignKey("flags.id", ondelete="CASCADE"), nullable=False, index=True)
    event_id = Column(String(100), nullable=True)
    payload = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False, default=utcnow)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False, default=utcnow, index=True)
    delivered_at = Column(DateTime, nullable=True)
    last_error = Column(String(500), nullable=False, default="")


# Every author_role (the plan items' and the goal steps') is one of AUTHOR_ROLES: ck_<table>_author_role, added here as
# each table's own constraint (a CHECK constraint given to the mixin's column would be the column's, which
# SQLAlchemy 1.4 leaves out of the table's constraints and Alembic compares wrongly).
for _table in metadata.tables.values():
    if "author_role" in _table.columns:
        _table.append_constraint(CheckConstraint(_in("author_role", AUTHOR_ROLES), name="author_role"))
