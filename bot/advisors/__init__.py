"""Community advisors: guided scripts (data/advisor_scripts), their assigned students and sessions."""
