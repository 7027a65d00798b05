"""Credits students have earned, from the transcripts a school's student information system exports."""
