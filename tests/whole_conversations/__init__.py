"""Whole student conversations played through the real stack, the plan judged after every turn (issue 19)."""
