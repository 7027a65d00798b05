"""A student's data as a whole: deleting it everywhere, and how long conversations are kept."""
