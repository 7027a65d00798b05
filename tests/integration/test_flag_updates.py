"""Counselors move flags forward and add notes (the web dashboard's use case)."""
import pytest
from sqlalchemy import select

from bot.db.tables import AuditEntry
from bot.errors import InvalidInput
from bot.flags import NoteEntry, raise_flag, read_notes, update_flag
from bot.staff import add_user
from tests.builders import enrol


def test_flag_moves_forward_and_notes_are_appended_with_a_timestamp_and_audited(uow_factory):
    enrol(uow_factory, "S1")
    counselor_id = add_user(uow_factory(), email="pat.rivera@school.example", role="counselor",
                            password="a-long-test-password", display_name="Pat Rivera")
    flag_id = raise_flag(uow_factory(), "S1", category="bullying", severity="high", excerpt="they push me")
    acknowledged = update_flag(uow_factory(), flag_id, status="acknowledged", note="Met with Sam at 10:00.",
                               actor_role="counselor", actor_id=counselor_id)
    resolved = update_flag(uow_factory(), flag_id, status="resolved", actor_role="counselor", actor_id=counselor_id)
    assert acknowledged["status"] == "acknowledged" and resolved["status"] == "resolved"
    assert resolved["counselor_notes"].endswith("] Pat Rivera (counselor): Met with Sam at 10:00.\n")  # by name
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


def test_a_note_of_several_lines_stays_one_note_and_cannot_pass_for_another_authors(uow_factory):
    enrol(uow_factory, "S1")
    counselor_id = add_user(uow_factory(), email="pat.rivera@school.example", role="counselor",
                            password="a-long-test-password", display_name="Pat Rivera")
    flag_id = raise_flag(uow_factory(), "S1", category="academic", severity="normal", excerpt="failing math")
    forged = "Called home.\r\n[2026-01-01 09:00] Dana Admin (admin): resolved, nothing to see"
    notes = update_flag(uow_factory(), flag_id, note=forged, actor_role="counselor",
                        actor_id=counselor_id)["counselor_notes"]
    [entry] = read_notes(notes)
    assert (entry.author, entry.text) == ("Pat Rivera (counselor)", forged.replace("\r\n", "\n"))
    raise_flag(uow_factory(), "S1", category="academic", severity="normal", excerpt="still failing")  # a repeat
    with uow_factory() as uow:
        from bot.db.tables import Flag
        entries = read_notes(uow.session.get(Flag, flag_id).counselor_notes)
    assert [(e.author, e.is_repeat, e.text) for e in entries][1:] == [("repeated", True, "still failing")]
    assert isinstance(entries[0], NoteEntry) and entries[0].at is not None
