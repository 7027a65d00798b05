"""Schools and students: the roster import and student lookups."""
