"""The safety report's counts: what the README's tables and the closing notes quote."""
from bot.safety.report import Outcome, score


def test_counts_split_crises_spanish_near_misses_and_follow_ups():
    outcomes = [
        Outcome("crisis caught", "self_harm", "self_harm", "rules"),
        Outcome("crisis read as another crisis", "abuse", "violence", "reader"),
        Outcome("crisis missed", "violence", "none", "", spanish=True, checked_in=True),
        Outcome("spanish crisis caught", "self_harm", "self_harm", "reader", spanish=True),
        Outcome("near miss, crisis reply", "none", "violence", "rules"),
        Outcome("near miss, follow-up flag", "none", "academic", "reader"),
        Outcome("near miss, nothing", "none", "none", ""),
        Outcome("near miss, asked if okay", "none", "none", "", checked_in=True),
        Outcome("follow-up right", "bullying", "bullying", "reader"),
        Outcome("follow-up wrong", "financial", "none", ""),
    ]
    scores = score(outcomes)
    assert scores.counts == ("crises caught 3 of 4, Spanish 1 of 2; labelled none 4: crisis replies 1, any flag 2; "
                             "follow-ups right 1 of 2; check-ins on missed crises 1, on labelled none 1")
    assert scores.crisis_recall == 0.75
    assert [o.text for o in scores.missed_crises] == ["crisis missed"]
    assert [o.text for o in scores.false_alarms] == ["near miss, crisis reply"]
