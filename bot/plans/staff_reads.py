"""A staff member's read of a student's plan: the caseload decides whether they may, the read is audited."""
from __future__ import annotations

from bot.caseload import Viewer, audit_read, student_in_view
from bot.db.unit_of_work import UnitOfWork
from bot.plans.view import PlanView, plan_view


def read_plan_view(uow: UnitOfWork, viewer: Viewer, external_id: str, *, action: str = "plan.read") -> PlanView:
    """A staff read of a student's plan: checks the caseload, returns the plan and audits the read."""
    with uow:
        student = student_in_view(uow.session, viewer, external_id)
        view = plan_view(uow.session, student)
        audit_read(uow.session, viewer, student, action)
        uow.commit()
        return view
