"""Counselors move flags forward and add notes (the web dashboard's use case)."""
import pytest
from sqlalchemy import select

from bot.db.tables import AuditEntry
from bot.errors import InvalidInput
from bot.flags import raise_flag, update_flag
from tests.builders import enrol


def test_flag_moves_forward_and_notes_are_appended_with_a_timestamp_and_audited(uow_factory):
    enrol(uow_factory, "S1")
    flag_id = raise_flag(uow_factory(), "S1", category="bullying", severity="high", excerpt="they push me")
    acknowledged = update_flag(uow_factory(), flag_id, status="acknowledged", note="Met with Sam at 10:00.",
                               actor_role="counselor", actor_id=7)
    resolved = update_flag(uow_factory(), flag_id, status="resolved", actor_role="counselor", actor_id=7)
    assert acknowledged["status"] == "acknowledged" and resolved["status"] == "resolved"
    assert resolved["counselor_notes"].endswith("] counselor #7: Met with Sam at 10:00.\n")
    assert resolved["counselor_notes"].startswith("[20")
    with uow_factory() as uow:
        details = [entry.detail for entry in uow.session.scalars(select(AuditEntry).where(AuditEntry.action == "update_flag"))]
    assert details == [f"flag #{flag_id}: status open -> acknowledged, note added",
                       f"flag #{flag_id}: status acknowledged -> resolved"]


@pytest.mark.parametrize("first, then", [
    ("acknowledged", "open"),      # no going back
    ("resolved", "acknowledged"),
])
def test_status_cannot_go_back(uow_factory, first, then):
    enrol(uow_factory, "S1")
    flag_id = raise_flag(uow_factory(), "S1", category="academic", severity="normal")
    update_flag(uow_factory(), flag_id, status=first, actor_role="counselor", actor_id=1)
    with pytest.raises(InvalidInput, match="cannot go back"):
        update_flag(uow_factory(), flag_id, status=then, actor_role="counselor", actor_id=1)


@pytest.mark.parametrize("flag_id, changes, message", [
    (999, {"status": "resolved"}, "no flag #999"),                     # unknown id
    (None, {"status": "closed"}, "status must be one of"),             # unknown status
    (None, {"note": "   "}, "give a new status, a note, or both"),     # nothing to do
    (None, {"note": "x" * 2001}, "at most 2000 characters"),           # note too long
    (None, {"note": "hi", "actor_role": "student"}, "only counselors and admins"),  # students do not update flags
    (None, {"status": "resolved", "actor_role": "advisor"}, "only counselors and admins"),  # nor do volunteers
])
def test_bad_updates_are_refused_clearly(uow_factory, flag_id, changes, message):
    enrol(uow_factory, "S1")
    existing = raise_flag(uow_factory(), "S1", category="academic", severity="normal")
    changes = {"actor_role": "counselor", "actor_id": 1, **changes}
    with pytest.raises(InvalidInput, match=message):
        update_flag(uow_factory(), flag_id or existing, **changes)
